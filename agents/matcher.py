"""Clitic-aware multi-term matching over normalised Arabic text (Aho-Corasick).

Lexicons and the gazetteer hold bare, normalised forms ("طنجه", "ارهاب"); news
text writes them with attached clitics ("بمدينة طنجة", "وبطنجة", "للإرهاب") and
inflections ("الإرهابيين"). Every clitic-prefixed variant of every term goes
into one automaton, keyed with the word boundary in front (" وبطنجه"), and the
text is searched with its non-letters turned into spaces: so a hit always starts
at a word start, whole-word terms carry the boundary after them too, and the
only Python work per hit is for inflected terms. One pass over the text at C
speed (pyahocorasick) finds everything; overlaps resolve to the longest match,
so "الدار البيضاء" wins over "الدار".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

from .arabic import normalize

V = TypeVar("V")

# What may be glued before a word: conjunctions, prepositions, the article, in the
# orders Arabic allows (و/ف, then ب/ل/ك, then ال). ل + ال is written لل.
_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ل", "ك")
# Inflectional endings a term with tail="inflect" may carry.
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
# The characters that end a word in news text (a regex substitution over the whole
# text costs 5x more than this chain of str.replace over the ones present).
_BOUNDARIES = tuple(".,;:!?\"'()[]/-_،؛؟«»“”‘’…–—\n\t\r")


def spaced(text: str) -> str:
    """What matchers search: `text` with word-ending characters turned into spaces, and a
    space at each end (so spaced[i + 1] is text[i]). Compute once, pass to every find()."""
    for ch in _BOUNDARIES:
        if ch in text:
            text = text.replace(ch, " ")
    return " " + text + " "


def _prefixed(term: str, allow_article: bool) -> Iterator[tuple[str, bool]]:
    """(written form, elided alef) of `term` with every clitic sequence Arabic allows."""
    if term.startswith("ال"):
        for conj in _CONJ:
            for prep in ("", "ب", "ك"):
                yield conj + prep + term, False
            yield conj + "ل" + term[1:], True  # ل + الشرطه -> للشرطه
        return
    for conj in _CONJ:
        for prep in _PREP if allow_article else ("", "ب", "ل"):  # "كبارا" is not a place
            yield conj + prep + term, False
            if allow_article:
                yield conj + prep + "ال" + term, False
        if allow_article:
            yield conj + "لل" + term, False


@dataclass(frozen=True, slots=True)
class Match(Generic[V]):
    start: int  # in the normalised text, the term itself (clitics excluded)
    end: int
    term: str
    value: V
    elided_alef: bool = False  # "للدار": the match starts after ل, the term's ا is not written


@dataclass(frozen=True, slots=True)
class _Key(Generic[V]):
    term: str
    value: V
    tail: str  # "word": whole word; "inflect": + INFLECTIONS; "stem": any continuation
    prefix: int  # clitic letters before the term in the key
    written: int  # letters of the term as written (one less when the alef is elided)
    elided_alef: bool
    suffixed: bool  # the key ends in ت for the term's ة: a suffix must follow (خليتهم)


class TermMatcher(Generic[V]):
    """Find lexicon terms in normalised text, clitic-aware, longest match first."""

    def __init__(self, terms: Iterable[tuple[str, V, str]], allow_article: bool = True) -> None:
        """`terms`: (surface form, value, tail rule); forms are normalised here.

        `allow_article=False` for proper names: "ال" may not be glued on ("الحديثة" is
        not the town حديثة), though و/ف/ب/ل/ك still may.
        """
        self._automaton = ahocorasick.Automaton()
        keys: dict[str, _Key[V]] = {}
        for surface, value, tail in terms:
            if tail not in ("word", "inflect", "stem"):
                raise ValueError(f"unknown tail rule {tail!r} for {surface!r}")
            term = " ".join(normalize(surface).split())
            if len(term) < 2:
                continue
            stems = [(term, False)]
            if tail != "word" and term.endswith("ه") and len(term) > 3:
                stems.append((term[:-1] + "ت", True))
            for stem, suffixed in stems:
                for written, elided in _prefixed(stem, allow_article):
                    prefix = len(written) - len(stem) + (1 if elided else 0)
                    key = " " + written + (" " if tail == "word" and not suffixed else "")
                    old = keys.get(key)
                    # the first entry for a form wins, but a bare form beats a clitic reading:
                    # "باريس" is Paris, not ب + "اريس"
                    if old is None or (old.prefix > 0 and prefix == 0 and not elided):
                        keys[key] = _Key(
                            term, value, tail, prefix, len(written) - prefix, elided, suffixed
                        )
        for key, entry in keys.items():
            self._automaton.add_word(key, (len(key), entry))
        self.size = len(keys)
        if keys:
            self._automaton.make_automaton()

    def find(self, text: str, spaced_text: str | None = None) -> Iterator[Match[V]]:
        """Non-overlapping matches in normalised `text`, in order, longest first on overlap.

        `spaced_text`: `spaced(text)` when the caller runs several matchers on one text.
        """
        if not self.size:
            return
        padded = spaced_text if spaced_text is not None else spaced(text)
        hits: list[tuple[int, int, _Key[V]]] = []
        for last, (length, entry) in self._automaton.iter(padded):
            start = last - length + 1 + entry.prefix  # spaced[i + 1] is text[i]
            end = start + entry.written
            if entry.tail != "word" and (entry.tail == "inflect" or entry.suffixed):
                word_end = padded.find(" ", end + 1) - 1
                rest = text[end:word_end]
                if entry.suffixed and not rest:
                    continue
                if entry.tail == "inflect" and rest not in INFLECTIONS:
                    continue
            hits.append((start, end, entry))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        taken_until = -1
        for start, end, entry in hits:
            if start < taken_until:
                continue
            taken_until = end
            yield Match(start, end, entry.term, entry.value, entry.elided_alef)
