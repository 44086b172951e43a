"""Places: the gazetteer data file, matched clitic-aware, resolved by country context.

gazetteer.jsonl is built by build_gazetteer.py from GeoNames facts and the
team's curated Arabic forms (see data/GAZETTEER.md). One Aho-Corasick
automaton holds every Arabic form; a form shared by several places resolves to
the one in a country the article is about, then to the most populous. Forms
that are also common words (ar_ambiguous) count only after a cue word such as
مدينة or إقليم.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import orjson

from agents.arabic import normalize
from agents.matcher import Match, TermMatcher

GAZETTEER_PATH = Path(__file__).parent / "data" / "gazetteer.jsonl"
# Above this, many unrelated incidents share the city (set on Moroccan cities: Tangier,
# Fes, Salé have several operations a year; Tamesna or Guercif rarely more than one).
BIG_CITY_POPULATION = 300_000
KIND_PRECISION = {
    "country": "country",
    "region": "region",
    "province": "region",
    "area": "region",
    "city": "city",
    "town": "city",
}
# Cue words that make an ambiguous form a place: "بمدينة البيضاء", "جماعة العيون".
CUES = frozenset(
    normalize(w)
    for w in (
        "مدينة",
        "مدينتي",
        "بلدة",
        "جماعة",
        "إقليم",
        "اقليم",
        "عمالة",
        "منطقة",
        "جهة",
        "ولاية",
        "قرية",
        "دوار",
        "حي",
        "ضواحي",
        "مدن",
        "محافظة",
        "بلدية",
        "دائرة",
        "قيادة",
    )
)


@dataclass(frozen=True, slots=True)
class GazetteerPlace:
    key: str
    name: str
    country: str
    kind: str
    lat: float
    lon: float
    geonameid: int | None
    population: int

    @property
    def precision(self) -> str:
        return KIND_PRECISION.get(self.kind, "city")


@dataclass(frozen=True, slots=True)
class Candidates:
    places: tuple[GazetteerPlace, ...]
    ambiguous: bool  # needs a cue word before it


class Gazetteer:
    def __init__(self, path: Path = GAZETTEER_PATH) -> None:
        self.path = path

    @cached_property
    def _index(self) -> dict[str, Candidates]:
        places: dict[str, list[GazetteerPlace]] = {}
        ambiguous: dict[str, bool] = {}
        for line in self.path.read_bytes().splitlines():
            if not line.strip():
                continue
            row = orjson.loads(line)
            place = GazetteerPlace(
                key=row["key"],
                name=row["name"],
                country=row["country"],
                kind=row["kind"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                geonameid=row.get("geonameid"),
                population=int(row.get("population") or 0),
            )
            for form, is_ambiguous in [(f, False) for f in row.get("ar", [])] + [
                (f, True) for f in row.get("ar_ambiguous", [])
            ]:
                norm = " ".join(normalize(form).split())
                if len(norm) < 2:
                    continue
                places.setdefault(norm, []).append(place)
                ambiguous[norm] = ambiguous.get(norm, True) and is_ambiguous
        return {
            form: Candidates(tuple(sorted(ps, key=_rank)), ambiguous[form])
            for form, ps in places.items()
        }

    @cached_property
    def _population(self) -> dict[str, int]:
        names: dict[str, int] = {}
        for candidates in self._index.values():
            for place in candidates.places:
                names[place.name] = max(names.get(place.name, 0), place.population)
        return names

    def is_big_city(self, name: str) -> bool:
        """A city too big for a shared mention to say two reports are one incident."""
        return self._population.get(name, 0) >= BIG_CITY_POPULATION

    @property
    def forms(self) -> dict[str, Candidates]:
        """Every normalised Arabic form the gazetteer knows."""
        return self._index

    @cached_property
    def matcher(self) -> TermMatcher[Candidates]:
        return TermMatcher(
            ((form, cands, "word") for form, cands in self._index.items()), allow_article=False
        )

    def country_names(self) -> dict[str, str]:
        """ISO code -> canonical name, for the countries in the gazetteer."""
        return {
            p.country: p.name for c in self._index.values() for p in c.places if p.kind == "country"
        }

    def find(self, norm_text: str, spaced_text: str | None = None) -> list[Match[Candidates]]:
        """Place mentions in normalised text; an ambiguous form counts after a cue word
        ("مدينة", "إقليم"; "في" for a country) or when it continues a list of places
        ("بين الدار البيضاء والمحمدية")."""
        return self.keep(norm_text, self.matcher.find(norm_text, spaced_text))

    @staticmethod
    def keep(norm_text: str, matches: list[Match[Candidates]]) -> list[Match[Candidates]]:
        """The place mentions among the matcher's `matches` (see `find`): for a caller that
        ran the gazetteer's matcher itself, in a MatcherGroup."""
        kept: list[Match[Candidates]] = []
        previous_end = -10
        for match in matches:
            if match.value.ambiguous:
                country = any(p.kind == "country" for p in match.value.places)
                listed = (
                    0 < match.start - previous_end <= 4
                    and "و" in norm_text[previous_end : match.start]
                )
                if not listed and not _has_cue(norm_text, match.start, country):
                    continue
            previous_end = match.end
            kept.append(match)
        return kept


def _rank(place: GazetteerPlace) -> tuple[int, int]:
    order = {"country": 0, "city": 1, "region": 2, "province": 2, "town": 3, "area": 4}
    return (-place.population, order.get(place.kind, 5))


_PUNCT = "\"'“”«»()[]:،,.-"
# Words after which a country's name is where something happened ("في مالي", "وسط مالي").
LOCATIVE = frozenset(
    normalize(w)
    for w in ("في", "داخل", "وسط", "شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي")
)


def _has_cue(text: str, start: int, country: bool = False) -> bool:
    """Is the word before `start` (clitics and quotes allowed) a cue like مدينة/إقليم?

    A country name that is also a word ("مالي": financial) counts after "في" or a
    glued ب too: "في مالي", "بمالي" are places.
    """
    glued = text[max(0, start - 3) : start]
    if country and glued.endswith("ب") and (len(glued) < 2 or not glued[-2].isalnum()):
        return True
    for word in reversed(text[max(0, start - 24) : start].split()):
        word = word.strip(_PUNCT)
        if word:
            break  # the last word that is not only punctuation
    else:
        return False
    if country and word in LOCATIVE:
        return True
    for prefix in ("", "و", "ب", "ل", "وب", "ف"):
        if word.startswith(prefix) and word[len(prefix) :] in CUES:
            return True
    return False


def resolve(candidates: Candidates, context: set[str], home: str) -> GazetteerPlace:
    """The candidate in a country the article names, else in the home country, else the biggest."""
    for place in candidates.places:
        if place.country in context:
            return place
    for place in candidates.places:
        if place.country == home:
            return place
    return candidates.places[0]
