"""Clitic-aware matching: what may stand before a term, and what after it."""

from __future__ import annotations

from agents.arabic import normalize
from agents.matcher import TermMatcher


def found(matcher: TermMatcher[str], text: str) -> list[str]:
    return [m.value for m in matcher.find(normalize(text))]


def test_matcher_accepts_clitics_and_the_article() -> None:
    m = TermMatcher([("شرطة", "police", "word")])
    assert found(m, "أعلنت الشرطة وبالشرطة وللشرطة") == ["police", "police", "police"]
    assert found(m, "شرطتها") == []  # a suffix on a "word" term does not match


def test_matcher_tail_rules() -> None:
    m = TermMatcher([("إرهاب", "terror", "stem"), ("خلية", "cell", "inflect")])
    assert found(m, "الإرهابيين وخلايا والخلية وخليتهم") == ["terror", "cell", "cell"]
    assert found(m, "خليت") == []
    assert found(m, "مخلية") == []  # not after a non-clitic letter


def test_matcher_longest_match_wins() -> None:
    m = TermMatcher([("الدار", "house", "word"), ("الدار البيضاء", "casablanca", "word")])
    assert found(m, "بالدار البيضاء") == ["casablanca"]


def test_matcher_proper_names_refuse_the_article() -> None:
    names = TermMatcher(
        [("حديثة", "haditha", "word"), ("طنجة", "tangier", "word")], allow_article=False
    )
    assert found(names, "الأحياء الحديثة") == []
    assert found(names, "وبطنجة") == ["tangier"]


def test_matcher_lam_lam_contraction() -> None:
    m = TermMatcher([("الرباط", "rabat", "word")], allow_article=False)
    matches = list(m.find(normalize("زيارة للرباط")))
    assert [x.value for x in matches] == ["rabat"] and matches[0].elided_alef
