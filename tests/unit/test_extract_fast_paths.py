"""The extractor's shortcuts give what the plain computation gives.

Speed work on extraction skipped work that cannot find anything (regexes over
sentences without the words they need, date scans over texts without a year),
merged the lexicon automata into one pass and rewrote the sentence splitter; each
test here runs the shortcut and the plain way over the seeds and tricky texts.
"""

from __future__ import annotations

import re

import pytest

from agents.arabic import normalize
from agents.extract import counts, dates
from agents.extract.events import _SENTENCE_END, EventExtractor
from agents.matcher import MatcherGroup, TermMatcher, spaced
from streams.pagegen import PageGenerator

TRICKY = [
    "",
    ".",
    "\n\nنص",
    "عام 2024. ثم 3.5 مليون؟ نعم! لا?\n\nفقرة\nأخرى.",
    "في 12.03.2024 و2024-03-12 و 19/02/2025 وفي February 19, 2025 و 3 march 2021",
    "تتكون من ١٢ عنصرا، تتراوح أعمارهم بين 18 و40 عامًا، في العقد الثالث من العمر",
    "أسفر عن مقتل خمسة وعشرين جنديا وسقوط 3 قتلى، واعتقال شخصين وتوقيف شاب",
    "اكثر منخمسه اشخاص؛ ما يقارب عشرين متطرفا (25 سنة) عمره 30 و الرابعة والعشرين من العمر",
    "يوم الاثنين الماضي، أمس، أول أمس، فاتح أبريل 2021، 5 كانون الثاني 2020، كانون\nالثاني",
]


@pytest.fixture(scope="module")
def texts(seeds: dict[str, str]) -> list[str]:
    pages = [text for _, text in PageGenerator().pages(40)]
    return [normalize(t) for t in [*TRICKY, *seeds.values(), *pages]]


def sentences_of(texts: list[str]) -> list[str]:
    return [s for t in texts for s in re.split(r"(?<=[.!؟?\n])", t) if s]


def test_sentence_end_is_the_plain_regex(texts: list[str]) -> None:
    plain = re.compile(r"(?<!\d)[.!؟?](?=\s)|\n+")
    for text in texts:
        assert [m.span() for m in _SENTENCE_END.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ]


def test_counts_cues_never_skip_a_match(texts: list[str], monkeypatch) -> None:
    sentences = sentences_of(texts)
    fast = [(counts.members(s), counts.killed(s), counts.ages(s)) for s in sentences]
    monkeypatch.setattr(counts, "_cues", lambda sentence: -1)  # every cue: every regex runs
    plain = [(counts.members(s), counts.killed(s), counts.ages(s)) for s in sentences]
    assert fast == plain
    assert any(any(found) for found in plain)  # the texts do have counts


def test_dates_without_a_year_or_separator_have_no_written_date(texts: list[str]) -> None:
    for text in texts:
        found = dates._dates_with_year(text)
        if "19" not in text and "20" not in text:
            assert found == []
        if not dates._NUMERIC_HINT.search(text):
            assert dates.NUMERIC_DATE.search(text) is None
    assert any(dates._dates_with_year(t) for t in texts)


def test_matcher_group_gives_each_matchers_own_matches(texts: list[str]) -> None:
    extractor = EventExtractor()
    matchers = {**extractor.matchers, "place": extractor.gazetteer.matcher}
    group = MatcherGroup(matchers)
    for text in texts:
        padded = spaced(text)
        found = group.find(text, padded)
        assert found == {name: m.find(text, padded) for name, m in matchers.items()}


def test_matcher_group_shares_keys_between_lexicons() -> None:
    a = TermMatcher([("خلية", "cell", "inflect"), ("شرطة", "police", "word")])
    b = TermMatcher([("خلية", "other", "word"), ("الدار البيضاء", "casa", "word")])
    group = MatcherGroup({"a": a, "b": b})
    text = normalize("الخلية وخليتهم والشرطة بالدار البيضاء")
    found = group.find(text)
    assert [m.value for m in found["a"]] == ["cell", "cell", "police"]
    assert [m.value for m in found["b"]] == ["other", "casa"]
    assert found == {"a": a.find(text), "b": b.find(text)}


def test_matcher_whole_word_twin_keeps_the_first_reported() -> None:
    # " امن" (stem) ends before " امن " (word): same span, the one reported first wins
    m = TermMatcher([("أمن", "stem", "stem"), ("أمن", "word", "word")])
    assert [x.value for x in m.find(normalize("أمن الدولة"))] == ["stem"]
