"""Clitic-aware multi-term matching over normalised Arabic text (Aho-Corasick).

Lexicons and the gazetteer hold bare, normalised forms ("طنجه", "ارهاب"); news
text writes them with attached clitics ("بمدينة طنجة", "وبطنجة", "للإرهاب") and
inflections ("الإرهابيين"). One automaton per lexicon finds every occurrence
in a single pass (pyahocorasick, C speed); each hit is then checked at its
edges: on the left only clitics may stand between it and the word start, on
the right the term's `tail` rule decides (word end, an inflection, anything).
Overlaps resolve to the longest match, so "الدار البيضاء" wins over "الدار".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

from .arabic import normalize

V = TypeVar("V")

# What may be glued before a word: conjunctions, prepositions, the article, in
# the orders Arabic allows (و/ف, then ب/ل/ك, then ال). "لل" is ل + ال with the
# alef dropped, handled by `_LAM_LAM` below.
CLITIC_SEQUENCES = frozenset(
    [a + b + c for a in ("", "و", "ف") for b in ("", "ب", "ل", "ك") for c in ("", "ال")]
    + [a + "لل" for a in ("", "و", "ف")]
)
_NO_ARTICLE = frozenset(c for c in CLITIC_SEQUENCES if not c.endswith(("ال", "لل")))
# Inflectional endings a term marked tail="inflect" may carry.
INFLECTIONS = frozenset(
    (
        "",
        "ه",
        "ها",
        "هم",
        "هن",
        "ات",
        "ين",
        "ون",
        "ان",
        "تان",
        "تين",
        "ي",
        "يه",
        "يين",
        "يون",
        "يات",
        "يا",
        "ا",
        "كم",
        "نا",
        "تها",
        "تهم",
        "اته",
        "اتها",
        "اتهم",
    )
)


def _is_letter(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@dataclass(frozen=True, slots=True)
class Match(Generic[V]):
    start: int  # in the normalised text, the term itself (clitics excluded)
    end: int
    term: str
    value: V
    elided_alef: bool = False  # "للدار": the match starts after ل, the term's ا is not written


@dataclass(frozen=True, slots=True)
class _Entry(Generic[V]):
    term: str
    value: V
    tail: str  # "word": whole word only; "inflect": + INFLECTIONS; "stem": any continuation
    lam_lam: bool  # the key is the ال-term written after ل ("لشرطه" of "للشرطه")
    suffixed: bool = False  # the key ends in ت for the term's ة: a suffix must follow (خليتهم)


class TermMatcher(Generic[V]):
    """Find lexicon terms in normalised text, clitic-aware, longest match first."""

    def __init__(self, terms: Iterable[tuple[str, V, str]], allow_article: bool = True) -> None:
        """`terms`: (surface form, value, tail rule); forms are normalised here.

        `allow_article=False` for proper names: "ال" may not be glued on ("الحديثة" is
        not the town حديثة), though و/ف/ب/ل/ك still may.
        """
        self._clitics = CLITIC_SEQUENCES if allow_article else _NO_ARTICLE
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list[_Entry[V]]] = {}
        for surface, value, tail in terms:
            if tail not in ("word", "inflect", "stem"):
                raise ValueError(f"unknown tail rule {tail!r} for {surface!r}")
            term = " ".join(normalize(surface).split())
            if len(term) < 2:
                continue
            entries.setdefault(term, []).append(_Entry(term, value, tail, False))
            if term.startswith("ال") and len(term) > 3:
                entries.setdefault(term[1:], []).append(_Entry(term, value, tail, True))
            if tail != "word" and term.endswith("ه") and len(term) > 3:
                entries.setdefault(term[:-1] + "ت", []).append(
                    _Entry(term, value, tail, False, True)
                )
        for key, items in entries.items():
            self._automaton.add_word(key, (key, items))
        self.size = len(entries)
        if entries:
            self._automaton.make_automaton()

    def _left_ok(self, text: str, start: int, lam_lam: bool) -> bool:
        word_start = start
        while word_start > 0 and _is_letter(text[word_start - 1]):
            word_start -= 1
            if start - word_start > 4:
                return False
        prefix = text[word_start:start]
        if lam_lam:  # "للشرطه": the key "لشرطه" must follow another ل
            return prefix.endswith("ل") and prefix[:-1] in ("", "و", "ف")
        return prefix in self._clitics

    @staticmethod
    def _right_ok(text: str, end: int, tail: str, suffixed: bool = False) -> bool:
        if suffixed and (end >= len(text) or not _is_letter(text[end])):
            return False  # "خليت" needs its suffix: "خليتهم"
        if tail == "stem":
            return True
        word_end = end
        while word_end < len(text) and _is_letter(text[word_end]):
            word_end += 1
            if word_end - end > 4:
                return False
        rest = text[end:word_end]
        return rest == "" if tail == "word" else rest in INFLECTIONS

    def find(self, text: str) -> Iterator[Match[V]]:
        """Non-overlapping matches in normalised `text`, in order, longest first on overlap."""
        if not self.size:
            return
        hits: list[tuple[int, int, _Entry[V]]] = []
        for last, (key, items) in self._automaton.iter(text):
            start = last - len(key) + 1
            for entry in items:
                if self._left_ok(text, start, entry.lam_lam) and self._right_ok(
                    text, last + 1, entry.tail, entry.suffixed
                ):
                    hits.append((start, last + 1, entry))
                    break
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        taken_until = -1
        for start, end, entry in hits:
            if start < taken_until:
                continue
            # prefer a longer match starting inside this one (rare): skip if one covers more
            taken_until = end
            yield Match(start, end, entry.term, entry.value, entry.lam_lam)
