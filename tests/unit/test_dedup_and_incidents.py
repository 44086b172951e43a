"""Near-duplicate detection (MinHash, the band index) and incident matching, as pure logic."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import orjson
import pytest

from agents.dedup.index import (
    BUCKET_LIMIT,
    Entry,
    Match,
    MemoryIndex,
    add,
    decide,
)
from agents.dedup.minhash import (
    MIN_JACCARD,
    Signature,
    containment,
    near_copy,
    near_copy_score,
    signature,
    similarity,
)
from agents.incidents.matching import (
    MAX_MATCHED_EVENTS,
    MAX_SOURCES,
    Block,
    Incident,
    affinity,
    blocking_key,
    file_article,
    incident_id_for,
    pair_affinity,
)
from agents.pipeline import Analyzer, Embedded
from streams.records import ArticleResult, RawArticle

THRESHOLD = 0.8  # the embedded mode's default near-copy threshold
WINDOW = 30 * 86400.0
RELATED = "أخبار ذات صلة"  # where seed 000's list of other stories begins
OTHER_TAIL = (
    "\nتابعوا آخر المستجدات على موقعنا الإلكتروني وصفحاتنا على شبكات التواصل الاجتماعي."
    "\nاقرأ أيضا: الأرصاد الجوية تتوقع أمطارا رعدية غدا في عدد من مناطق الشمال."
)
UNRELATED = (
    "فاز فريق المدينة على ضيفه بثلاثة أهداف مقابل هدف واحد في المباراة التي جرت مساء السبت "
    "على أرضية الملعب البلدي، وصعد بذلك إلى المركز الثاني في ترتيب البطولة قبل ثلاث جولات "
    "من نهاية الموسم، فيما أشاد المدرب بروح المجموعة وبدعم الجماهير التي حضرت بكثافة."
)

SURFACES = {"Tamesna": "تامسنا", "Azemmour": "أزمور", "Nador": "الناظور", "Tangier": "طنجة"}


def big_city(name: str) -> bool:
    return name == "Tangier"


def body(seeds: dict[str, str]) -> str:
    """Seed 000 without its list of related stories (what cleaning keeps of the page)."""
    return seeds["000"].split(RELATED)[0]


def sig(text: str) -> Signature:
    found = signature(text)
    assert found is not None
    return found


def entry(article_id: str, ts: float, text: str) -> tuple[Entry, list[int]]:
    s = sig(text)
    return Entry(article_id, ts, s.array, s.size), s.bands()


def event(event_id: str, article: str | None = None, **fields: Any) -> dict[str, Any]:
    """An event as on the wire: a dismantled cell in Tamesna on 2025-02-19 unless told."""
    places = fields.pop("places", ["Tamesna"])
    record: dict[str, Any] = {
        "event_id": event_id,
        "article_id": article or f"art-{event_id}",
        "type": "cell_dismantled",
        "date": "2025-02-19",
        "places": [
            {"name": n, "surface": SURFACES.get(n, n), "country": "MA", "precision": "city"}
            for n in places
        ],
        "countries": ["MA"],
        "organizations": [],
        "agencies": [],
        "seized": [],
        "members": None,
        "killed": None,
        "age_min": None,
        "age_max": None,
        "evidence": [{"field": "type", "text": f"تفكيك خلية ({event_id})", "source": "text"}],
    }
    record.update(fields)
    return record


def file_all(events: list[dict[str, Any]], big=big_city) -> Block:
    block = Block("MA", big=big)
    for e in events:
        block.add(e, 0.0, WINDOW)
    return block


def groups(block: Block) -> set[frozenset[str]]:
    return {frozenset(i.to_record()["event_ids"]) for i in block.incidents}


# minhash ---------------------------------------------------------------------------------


def test_minhash_spacing_punctuation_and_diacritics_do_not_change_the_signature(seeds) -> None:
    text = body(seeds)
    respaced = text.replace("، ", " ، ").replace(". ", " .  ").replace("\n", "\n\n ")
    marked = text.replace("الإرهابية", "الإرهـابيّة").replace("الأمنية", "الأمنيَّة")
    assert respaced != text and marked != text
    assert sig(respaced) == sig(text)
    assert sig(marked) == sig(text)


def test_minhash_other_tail_is_a_near_copy(seeds) -> None:
    original, copy = sig(body(seeds)), sig(body(seeds) + OTHER_TAIL)
    jaccard, contained = similarity(original, copy)
    assert jaccard > 0.8 and contained > 0.9
    score = near_copy(original, copy, THRESHOLD)
    assert score is not None and score > 0.9
    assert len(set(original.bands()) & set(copy.bands())) > 0  # they meet in a bucket


def test_minhash_seed_001_is_contained_in_seed_000(seeds) -> None:
    """001 is a truncated 000: too little Jaccard to be a copy, but all of it is inside."""
    short, long = sig(seeds["001"]), sig(body(seeds))
    assert short.size < long.size
    jaccard, contained = similarity(short, long)
    assert MIN_JACCARD <= jaccard < THRESHOLD
    assert contained > 0.9
    assert near_copy(short, long, THRESHOLD) == near_copy(long, short, THRESHOLD) is not None


def test_minhash_unrelated_texts_and_rewrites_are_not_near_copies(seeds) -> None:
    text = sig(body(seeds))
    for other in (seeds["003"], seeds["004"], UNRELATED):
        jaccard, _ = similarity(text, sig(other))
        assert jaccard < MIN_JACCARD
        assert near_copy(text, sig(other), THRESHOLD) is None
    assert not set(text.bands()) & set(sig(UNRELATED).bands())


def test_minhash_estimates_jaccard_as_well_as_independent_permutations_would() -> None:
    """128 independent permutations estimate J with a standard error of at most 0.044.
    The earlier (a*x + b) mod p with a < 2**31 wrapped around p only a few times, so its
    permutations ranked shingles alike: an error of 0.09 on texts like these."""
    rng = np.random.default_rng(7)
    letters = list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")

    def words(n: int) -> list[str]:
        return ["".join(rng.choice(letters, size=int(rng.integers(3, 8)))) for _ in range(n)]

    def shingles(ws: list[str]) -> set[tuple[str, ...]]:
        return {tuple(ws[i : i + 4]) for i in range(len(ws) - 3)}

    errors = []
    for _ in range(150):
        a = words(400)
        b = a[: int(rng.integers(120, 400))] + words(int(rng.integers(0, 200)))
        truth = len(shingles(a) & shingles(b)) / len(shingles(a) | shingles(b))
        errors.append(similarity(sig(" ".join(a)), sig(" ".join(b)))[0] - truth)
    assert abs(float(np.mean(errors))) < 0.01  # unbiased
    assert float(np.sqrt(np.mean(np.square(errors)))) < 0.05


def test_minhash_too_short_texts_have_no_signature() -> None:
    assert signature("أوقفت الشرطة شخصين") is None  # three words: no 4-word shingle
    four = signature("أوقفت الشرطة شخصين بطنجة")
    assert four is not None and four.size == 1


def test_minhash_containment_from_jaccard_and_sizes() -> None:
    # B inside A, |A| = 100, |B| = 50: J = 50/100, all of B is contained
    assert containment(0.5, 100, 50) == pytest.approx(1.0)
    # |A| = |B| = 100 sharing 50: J = 50/150, half of either is contained
    assert containment(1 / 3, 100, 100) == pytest.approx(0.5)
    assert containment(0.0, 100, 50) == 0.0


def test_minhash_near_copy_score_needs_some_jaccard() -> None:
    # 100 shingles all inside 1000: containment 1.0, but J = 0.1 is stock phrases
    assert containment(0.1, 1000, 100) == pytest.approx(1.0)
    assert near_copy_score(0.1, 1000, 100, THRESHOLD) is None
    assert near_copy_score(0.5, 100, 50, THRESHOLD) == 1.0
    assert near_copy_score(1 / 3, 100, 100, THRESHOLD) is None  # half contained: below 0.8


# the band index ----------------------------------------------------------------------------


def test_index_finds_a_later_copy_and_not_an_unrelated_text(seeds) -> None:
    index = MemoryIndex(THRESHOLD, WINDOW)
    assert index.check(*entry("orig", 0.0, body(seeds))).duplicate_of is None
    assert index.check(*entry("other", 5.0, UNRELATED)).duplicate_of is None
    decision = index.check(*entry("copy", 10.0, body(seeds) + OTHER_TAIL))
    assert decision.duplicate_of is not None
    assert decision.duplicate_of.id == "orig" and decision.duplicate_of.ts == 0.0
    assert decision.duplicate_of.similarity > 0.9
    assert decision.late == []


def test_index_the_smaller_key_is_the_original_whatever_the_arrival_order(seeds) -> None:
    orig, copy = ("orig", 0.0, body(seeds)), ("copy", 10.0, body(seeds) + OTHER_TAIL)
    in_order = MemoryIndex(THRESHOLD, WINDOW)
    in_order.check(*entry(*orig))
    found = in_order.check(*entry(*copy))
    assert found.duplicate_of is not None and found.duplicate_of.id == "orig"

    reversed_ = MemoryIndex(THRESHOLD, WINDOW)
    assert reversed_.check(*entry(*copy)).duplicate_of is None  # nothing before it yet
    late = reversed_.check(*entry(*orig))
    assert late.duplicate_of is None  # the original is never a copy of a later key
    assert [m.id for m in late.late] == ["copy"]


def test_index_look_up_adds_once_and_excludes_itself(seeds) -> None:
    index = MemoryIndex(THRESHOLD, WINDOW)
    e, bands = entry("a", 0.0, body(seeds))
    assert index.look_up(e, bands) == []
    assert index.look_up(e, bands) == []  # redelivered: not its own copy
    assert all(index.buckets[b] is e for b in bands)  # a bucket of one is the entry itself
    assert set(index.signatures) == {"a"}
    again = Entry("a", 0.0, e.array, e.size)  # redelivered: a new object, the same article
    assert index.look_up(again, bands) == []
    assert all(index.buckets[b] is again for b in bands)


def test_index_expire_forgets_articles_older_than_the_window(seeds) -> None:
    index = MemoryIndex(THRESHOLD, window_s=100.0)
    index.add(*entry("old", 0.0, body(seeds)))
    index.add(*entry("recent", 50.0, UNRELATED))
    assert index.expire(100.0) == []  # exactly the window old: still kept
    assert index.expire(120.0) == ["old"]
    assert set(index.signatures) == {"recent"}
    assert index.look_up(*entry("copy", 120.0, body(seeds) + OTHER_TAIL)) == []


def test_index_expire_takes_articles_out_of_their_buckets(seeds) -> None:
    """A bucket never met again must not keep an expired article for the worker's life."""
    index = MemoryIndex(THRESHOLD, window_s=100.0)
    old, old_bands = entry("old", 0.0, body(seeds))
    copy, copy_bands = entry("copy", 10.0, body(seeds) + OTHER_TAIL)
    index.add(old, old_bands)
    index.add(copy, copy_bands)
    shared = set(old_bands) & set(copy_bands)
    assert shared and all(index.buckets[b] == [old, copy] for b in shared)
    assert index.expire(105.0) == ["old"]
    assert all(index.buckets[b] is copy for b in shared)
    assert index.expire(1000.0) == ["copy"]
    assert index.buckets == {} and index.signatures == {}


def test_index_copies_further_apart_than_the_window_are_not_copies(seeds) -> None:
    """The window holds at look-up, not only once `expire` has run."""
    index = MemoryIndex(THRESHOLD, window_s=100.0)
    assert index.check(*entry("orig", 0.0, body(seeds))).duplicate_of is None
    assert index.check(*entry("copy", 1000.0, body(seeds) + OTHER_TAIL)).duplicate_of is None
    late = index.check(*entry("near", 1050.0, body(seeds) + OTHER_TAIL))
    assert late.duplicate_of is not None and late.duplicate_of.id == "copy"


def test_index_bucket_add_drops_old_entries_and_stays_bounded() -> None:
    def at(article_id: str, ts: float) -> Entry:
        return Entry(article_id, ts, np.ones(1, dtype=np.uint32), 1)

    new = at("new", 1000.0)
    bucket = [at("ancient", 0.0), at("kept", 950.0), at("later", 1010.0)]
    assert [e.id for e in add(bucket, new, window_s=100.0)] == ["kept", "new", "later"]
    full = [at(f"id{i:03d}", float(i)) for i in range(BUCKET_LIMIT)]
    bounded = add(full, new, window_s=1e9)
    assert len(bounded) == BUCKET_LIMIT
    assert bounded[0].id == "id001" and bounded[-1] is new


def test_index_decide_takes_the_earliest_key_and_lists_later_ones() -> None:
    matches = [
        Match("c", 5.0, 0.9),
        Match("b", 1.0, 0.95),
        Match("a", 1.0, 0.85),  # same time as b: the id breaks the tie
        Match("b", 1.0, 0.95),  # reported by two partitions
        Match("z", 20.0, 0.9),
        Match("y", 20.0, 0.9),
    ]
    decision = decide((10.0, "me"), matches)
    assert decision.duplicate_of is not None and decision.duplicate_of.id == "a"
    assert [m.id for m in decision.late] == ["y", "z"]
    assert decide((0.0, "first"), matches[:3]).duplicate_of is None


# incidents: blocking and pair affinity ---------------------------------------------------------


def test_incidents_blocking_key_is_order_independent_and_xx_without_countries() -> None:
    assert blocking_key({"countries": ["MA", "ES"]}) == blocking_key({"countries": ["ES", "MA"]})
    assert blocking_key({"countries": ["MA", "ES"]}) == "ES"
    assert blocking_key({"countries": ["MA"]}) == "MA"
    assert blocking_key({"countries": []}) == "XX"
    assert blocking_key({}) == "XX"


def test_incidents_two_reports_of_one_operation_match() -> None:
    """Same town, same day, same cell size; told differently (one names the group)."""
    first = event("e1", members=12, organizations=["ISIS"])
    second = event("e2", members=12, age_min=18, age_max=40)
    score = pair_affinity(first, second, big_city)
    assert score is not None and score >= 1.0  # full place overlap, and corroborated
    assert pair_affinity(second, first, big_city) == score


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"places": ["Nador"]}, id="another-town"),
        pytest.param({"date": "2025-02-26"}, id="a-week-apart"),
        pytest.param({"members": 6}, id="4-vs-6-members"),
        pytest.param({"type": "attack"}, id="attack-vs-cell"),
        pytest.param({"type": "seizure", "seized": ["drugs"]}, id="drugs-vs-terror"),
    ],
)
def test_incidents_reports_that_disagree_do_not_match(change: dict[str, Any]) -> None:
    """A Tamesna cell of 4 on 2025-02-19, and a report differing in one respect."""
    base = event("e1", members=4)
    assert pair_affinity(base, event("e2", **{"members": 4, **change})) is None


def test_incidents_date_tolerance_is_three_days() -> None:
    a = event("e1")
    assert pair_affinity(a, event("e2", date="2025-02-22")) is not None
    assert pair_affinity(a, event("e2", date="2025-02-23")) is None
    assert pair_affinity(a, event("e2", date=None)) is not None  # undated: no objection


def test_incidents_close_tolls_match_and_far_ones_do_not() -> None:
    a = event("e1", type="attack", killed=14, places=["Nador"])
    b = event("e2", type="attack", killed=15, places=["Nador"], date="2025-02-20")
    assert pair_affinity(a, b) is not None  # a toll that grew by one
    assert pair_affinity(a, event("e3", type="attack", killed=30, places=["Nador"])) is None


def test_incidents_a_big_city_alone_needs_corroboration() -> None:
    a = event("e1", places=["Tangier"])
    b = event("e2", places=["Tangier"], date="2025-02-20")
    assert pair_affinity(a, b) is not None  # not known to be big: the shared town is enough
    assert pair_affinity(a, b, big_city) is None
    corroborated = dict(b, date="2025-02-19")  # the same day
    assert pair_affinity(a, corroborated, big_city) is not None
    same_cell = event("e3", places=["Tangier"], date="2025-02-21", members=5)
    assert pair_affinity(dict(a, members=5), same_cell, big_city) is not None
    both = event("e4", places=["Tangier", "Tamesna"], date="2025-02-20")
    assert pair_affinity(event("e5", places=["Tangier", "Tamesna"]), both, big_city) is not None


def test_incidents_affinity_is_the_best_member_score() -> None:
    incident = Incident(
        "inc", "MA", "cell_dismantled", [event("e1", places=["Nador"]), event("e2")]
    )
    new = event("e3", members=12)
    assert pair_affinity(new, incident.events[0]) is None
    assert affinity(new, incident) == pair_affinity(new, incident.events[1])
    assert affinity(event("e4", places=["Azemmour"]), incident) is None


# incidents: blocks and articles -------------------------------------------------------------------


def test_incidents_block_joins_matches_and_opens_the_rest() -> None:
    block = Block("MA", big=big_city)
    first, _ = block.add(event("e1", members=12), 0.0, WINDOW)
    joined, merged = block.add(event("e2", members=12), 10.0, WINDOW)
    apart, _ = block.add(event("e3", places=["Nador"]), 20.0, WINDOW)
    assert joined is first and merged == []
    assert apart is not first
    assert first.incident_id == incident_id_for(event("e1"))
    assert apart.incident_id == incident_id_for(event("e3"))
    assert (first.first_seen, first.last_seen) == (0.0, 10.0)
    assert groups(block) == {frozenset({"e1", "e2"}), frozenset({"e3"})}


def test_incidents_ids_are_deterministic() -> None:
    ids = {incident_id_for(event("e1")) for _ in range(3)}
    assert len(ids) == 1
    (one,) = ids
    assert one.startswith("inc-") and len(one) == len("inc-") + 16
    assert incident_id_for(event("e2")) != one
    fresh = [Block("MA").add(event("e1"), 0.0, WINDOW)[0].incident_id for _ in range(2)]
    assert fresh == [one, one]


def test_incidents_a_redelivered_event_changes_nothing() -> None:
    block = Block("MA", big=big_city)
    incident, _ = block.add(event("e1", members=12), 0.0, WINDOW)
    block.add(event("e2", members=12), 1.0, WINDOW)
    before = incident.to_record()
    again, merged = block.add(event("e2", members=12), 2.0, WINDOW)
    assert again is incident and merged == []
    assert incident.to_record() == before
    filed = file_article(block, [event("e1", members=12)], None, None, 3.0, WINDOW)
    assert filed.opened == 0 and filed.merged == {}
    assert filed.incident_ids == [incident.incident_id]
    assert incident.to_record()["event_ids"] == ["e1", "e2"]


def test_incidents_closed_after_the_window() -> None:
    block = Block("MA")
    old, _ = block.add(event("e1"), 0.0, 100.0)
    new, _ = block.add(event("e2"), 200.0, 100.0)
    assert new is not old
    assert [i.incident_id for i in block.incidents] == [new.incident_id]


def test_incidents_a_bridging_event_merges_and_file_article_reports_it() -> None:
    block = Block("MA", big=big_city)
    tamesna = file_article(block, [event("e1")], "https://a.example/1", "a", 0.0, WINDOW)
    azemmour = file_article(
        block, [event("e2", places=["Azemmour"])], "https://b.example/2", "b", 1.0, WINDOW
    )
    assert tamesna.opened == azemmour.opened == 1
    assert tamesna.incident_ids != azemmour.incident_ids
    both = event("e3", places=["Tamesna", "Azemmour"])
    bridge = file_article(block, [both], "https://c.example/3", "c", 2.0, WINDOW)
    (kept,) = tamesna.incident_ids  # equal scores: the incident seen first stays
    (gone,) = azemmour.incident_ids
    assert bridge.merged == {gone: kept}
    assert bridge.incident_ids == [kept] and bridge.opened == 0
    assert [i.incident_id for i in bridge.changed] == [kept]
    assert [i.incident_id for i in block.incidents] == [kept]
    record = bridge.changed[0].to_record()
    assert sorted(record["event_ids"]) == ["e1", "e2", "e3"]
    assert record["first_seen"] == 0.0 and record["last_seen"] == 2.0


def test_incidents_merge_inside_one_article() -> None:
    block = Block("MA", big=big_city)
    events = [
        event("e1"),
        event("e2", places=["Azemmour"]),
        event("e3", places=["Tamesna", "Azemmour"]),
    ]
    filed = file_article(block, events, None, None, 0.0, WINDOW)
    first = incident_id_for(events[0])
    assert filed.incident_ids == [first, first, first]  # e2's incident was merged away
    assert filed.merged == {incident_id_for(events[1]): first}
    assert filed.opened == 1 and [i.incident_id for i in filed.changed] == [first]


def test_incidents_grouping_is_the_same_in_every_order() -> None:
    events = [
        event("tamesna", members=12),
        event("azemmour", places=["Azemmour"]),
        event("bridge", places=["Tamesna", "Azemmour"], date="2025-02-20"),
        event("tamesna-earlier", members=4, date="2025-02-10"),  # another, older cell
        event("tangier", places=["Tangier"]),
        event("tangier-next-day", places=["Tangier"], date="2025-02-20"),  # uncorroborated
    ]
    expected = {
        frozenset({"tamesna", "azemmour", "bridge"}),
        frozenset({"tamesna-earlier"}),
        frozenset({"tangier"}),
        frozenset({"tangier-next-day"}),
    }
    for order in itertools.permutations(events):
        assert groups(file_all(list(order))) == expected, [e["event_id"] for e in order]


class _ScoreEveryIncident(Block):
    """The block without its place index: every open incident is scored."""

    def _candidates(self, event: dict[str, Any]) -> list[Incident]:
        return self.incidents


class _ExpireEveryTime(_ScoreEveryIncident):
    """The block as it was: every open incident scored and looked over for expiry."""

    def _expire(self, now: float, window_s: float) -> None:
        for incident in [i for i in self.incidents if now - i.last_seen > window_s]:
            self._unindex(incident)
            self.incidents.remove(incident)


def test_incidents_place_index_files_like_scoring_every_incident() -> None:
    rng = np.random.default_rng(7)
    towns = ["Tamesna", "Azemmour", "Nador", "Tangier", "Fes", "Oujda", "Agadir", "Safi"]
    indexed, every = Block("MA", big=big_city), _ScoreEveryIncident("MA", big=big_city)
    for n in range(400):
        places = [str(t) for t in rng.choice(towns, size=rng.integers(0, 3), replace=False)]
        report = event(
            f"e{n}",
            places=places,
            type=str(rng.choice(["cell_dismantled", "arrest", "attack", "seizure"])),
            date=f"2025-02-{rng.integers(1, 28):02d}",
            members=int(rng.integers(2, 6)) if rng.random() < 0.5 else None,
        )
        now, window = float(n), 150.0  # incidents close while the run goes on
        got = file_article(indexed, [report], None, None, now, window)
        want = file_article(every, [dict(report)], None, None, now, window)
        assert (got.incident_ids, got.merged, got.opened) == (
            want.incident_ids,
            want.merged,
            want.opened,
        ), report["event_id"]
    assert groups(indexed) == groups(every) and len(indexed.incidents) > 20
    redelivered = file_article(indexed, [event("e399")], None, None, 400.0, 150.0)
    assert redelivered.opened == 0
    # an event whose incident has closed is filed anew, into an open incident
    assert not any(e["event_id"] == "e0" for i in indexed.incidents for e in i.members())
    (refiled,) = file_article(indexed, [event("e0")], None, None, 400.0, 150.0).incident_ids
    (incident,) = [i for i in indexed.incidents if i.incident_id == refiled]
    assert "e0" in [e["event_id"] for e in incident.members()]


def test_incidents_expire_as_if_every_incident_were_looked_over() -> None:
    """Looked over only once the oldest may have expired, with stream time going back
    and forth (articles of several partitions, late scrapers): the same filing, and the
    closed incidents are reported."""
    rng = np.random.default_rng(11)
    towns = ["Tamesna", "Azemmour", "Nador", "Fes", "Oujda", "Safi"]
    block, naive = Block("MA", big=big_city), _ExpireEveryTime("MA", big=big_city)
    opened = 0
    for n in range(400):
        report = event(
            f"e{n}",
            places=[str(rng.choice(towns))],
            type=str(rng.choice(["cell_dismantled", "attack", "seizure"])),
            date=f"2025-02-{rng.integers(1, 28):02d}",
        )
        now = float(n) + float(rng.normal(0, 40))
        before = {i.incident_id for i in block.incidents}
        got = file_article(block, [report], None, None, now, 100.0)
        want = file_article(naive, [dict(report)], None, None, now, 100.0)
        # what the incidents agent deletes from its table: every incident gone, no other
        gone = before - {i.incident_id for i in block.incidents}
        assert set(got.closed) <= before and gone == (set(got.merged) | set(got.closed)) & before
        assert (got.incident_ids, got.merged, got.opened) == (
            want.incident_ids,
            want.merged,
            want.opened,
        ), report["event_id"]
        assert [i.incident_id for i in block.incidents] == [i.incident_id for i in naive.incidents]
        opened += got.opened
    assert opened > len(block.incidents) + 50  # many closed on the way


def test_incidents_to_record_lists_sources_and_conflicts() -> None:
    block = Block("MA")
    first = event("e1", "art-1", type="attack", places=["Nador"], killed=14, members=3)
    second = event("e2", "art-2", type="attack", places=["Nador"], killed=15, members=3)
    second["date"] = "2025-02-20"
    file_article(block, [first], "https://a.example/1", "outlet-a", 0.0, WINDOW)
    filed = file_article(block, [second], "https://b.example/2", "outlet-b", 5.0, WINDOW)
    (incident,) = filed.changed
    record = incident.to_record()
    assert record["incident_id"] == incident_id_for(first) and record["block"] == "MA"
    assert record["type"] == "attack" and record["countries"] == ["MA"]
    assert record["date"] == "2025-02-19"  # the earliest report
    assert record["killed"] == 15 and record["members"] == 3
    sources = [(s["article_id"], s["event_id"], s["url"], s["source"]) for s in record["sources"]]
    assert sources == [
        ("art-1", "e1", "https://a.example/1", "outlet-a"),
        ("art-2", "e2", "https://b.example/2", "outlet-b"),
    ]
    assert record["conflicts"]["killed"] == {"art-1": 14, "art-2": 15}
    assert record["conflicts"]["date"] == {"art-1": "2025-02-19", "art-2": "2025-02-20"}
    assert "members" not in record["conflicts"]
    assert [p["name"] for p in record["places"]] == ["Nador"]  # once, though both name it
    assert all("evidence" not in e for e in incident.state()["events"])


# the embedded pipeline -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def embedded(analyzer: Analyzer, raws: list[RawArticle]) -> dict[str, ArticleResult]:
    return {r.id[:3]: r for r in Embedded(analyzer=analyzer).run(raws)}


def incident_of(result: ArticleResult) -> set[str | None]:
    return {e.incident_id for e in result.events}


def test_embedded_seeds_duplicates_and_incidents(analyzer, seeds, seed_ids) -> None:
    raws = [RawArticle(id=seed_ids[n], text=seeds[n]) for n in sorted(seeds)]
    out = embedded(analyzer, raws)
    assert {n: r.duplicate_of for n, r in out.items() if r.duplicate_of} == {"001": seed_ids["000"]}
    (tamesna,) = incident_of(out["000"])
    assert tamesna is not None
    assert incident_of(out["001"]) == incident_of(out["004"]) == {tamesna}
    assert out["002"].events and out["003"].events
    assert tamesna not in incident_of(out["002"]) | incident_of(out["003"])


def test_embedded_ingest_time_not_input_order_picks_the_original(analyzer, seeds, seed_ids) -> None:
    """The seeds given newest first, with fetched_at in file order: same outcome."""
    names = sorted(seeds)
    raws = [
        RawArticle(id=seed_ids[n], text=seeds[n], fetched_at=f"2025-02-19T1{i}:00:00+00:00")
        for i, n in enumerate(names)
    ]
    forward, backward = embedded(analyzer, raws), embedded(analyzer, raws[::-1])
    assert backward["001"].duplicate_of == seed_ids["000"]  # a late duplicate, corrected
    assert backward["000"].duplicate_of is None

    def grouping(out: dict[str, ArticleResult]) -> set[frozenset[str]]:
        by_incident: dict[str | None, set[str]] = {}
        for result in out.values():
            for e in result.events:
                by_incident.setdefault(e.incident_id, set()).add(e.event_id)
        return {frozenset(g) for g in by_incident.values()}

    assert grouping(backward) == grouping(forward)
    assert {n: r.duplicate_of for n, r in backward.items()} == {
        n: r.duplicate_of for n, r in forward.items()
    }


def _report(n: int, **fields: Any) -> dict[str, Any]:
    """The n-th outlet's report of one cell dismantled in Tamesna on 2025-02-19."""
    event = {
        "event_id": f"ev{n}",
        "article_id": f"a{n}",
        "type": "cell_dismantled",
        "date": "2025-02-19",
        "places": [{"name": "Tamesna", "precision": "city", "country": "MA"}],
        "countries": ["MA"],
        "organizations": ["isis"],
        "agencies": [],
        "seized": [],
        "members": 12,
        "killed": None,
        "age_min": None,
        "age_max": None,
        "evidence": {},
    }
    return {**event, **fields}


def test_incident_state_stays_bounded_however_many_reports() -> None:
    """Past MAX_MATCHED_EVENTS members are kept as references, past MAX_SOURCES counted."""
    block = Block("MA")
    total = MAX_MATCHED_EVENTS + MAX_SOURCES + 25
    for n in range(total):
        filed = file_article(block, [_report(n)], f"https://outlet{n}.example/x", None, n, 1e9)
    (incident,) = block.incidents
    assert filed.incident_ids == [incident.incident_id]
    assert (len(incident.events), len(incident.refs), incident.dropped) == (
        MAX_MATCHED_EVENTS,
        MAX_SOURCES,
        25,
    )
    record = incident.to_record()
    assert len(record["event_ids"]) == len(set(record["event_ids"])) == total - 25
    assert record["sources_dropped"] == 25
    assert record["sources"][-1]["url"] == f"https://outlet{total - 26}.example/x"
    assert Incident.from_state(orjson.loads(orjson.dumps(incident.state()))) == incident
    # a redelivered report kept as a reference changes nothing
    again = file_article(block, [_report(MAX_MATCHED_EVENTS + 3)], None, None, total, 1e9)
    assert again.incident_ids == [incident.incident_id] and incident.dropped == 25


def test_conflicts_and_merges_count_the_referenced_members() -> None:
    block = Block("MA")
    for n in range(MAX_MATCHED_EVENTS):
        file_article(block, [_report(n)], None, None, n, 1e9)
    file_article(block, [_report(999, members=13)], None, None, 999, 1e9)
    (incident,) = block.incidents
    assert incident.refs[0]["members"] == 13
    record = incident.to_record()
    assert record["conflicts"]["members"]["a999"] == 13 and record["members"] == 13
