"""Clitic-aware multi-term matching over normalised Arabic text (Aho-Corasick).

Lexicons and the gazetteer hold bare, normalised forms ("طنجه", "ارهاب"); news
text writes them with attached clitics ("بمدينة طنجة", "وبطنجة", "للإرهاب") and
inflections ("الإرهابيين"). Every clitic-prefixed variant of every term goes
into one automaton, keyed with the word boundary in front (" وبطنجه"), and the
text is searched with its non-letters turned into spaces: so a hit always starts
at a word start, whole-word terms carry the boundary after them too, and the
only Python work per hit is for inflected terms. One pass over the text at C
speed (pyahocorasick) finds everything; overlaps resolve to the longest match,
so "الدار البيضاء" wins over "الدار". A MatcherGroup runs several lexicons in
that one pass (the pass, not the hits, is what costs on a long article), each
lexicon's overlaps resolved on its own.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Generic, NamedTuple, TypeVar

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


class Match(NamedTuple, Generic[V]):
    """A term found in the text. A NamedTuple: one is built per hit, and a frozen
    dataclass costs several times more to construct."""

    start: int  # in the normalised text, the term itself (clitics excluded)
    end: int
    term: str
    value: V
    elided_alef: bool = False  # "للدار": the match starts after ل, the term's ا is not written


# Match(...) goes through a Python-level __new__; tuple.__new__ builds the same object
# at half the cost (per hit, it adds up).
_new_match = tuple.__new__


class _Continued:
    """`rest in _CONTINUED`: the word goes on after the term (a suffix must follow)."""

    def __contains__(self, rest: object) -> bool:
        return bool(rest)


_CONTINUED = _Continued()
_SUFFIXES = INFLECTIONS - {""}


@dataclass(frozen=True, slots=True)
class _Key(Generic[V]):
    term: str
    value: V
    tail: str  # "word": whole word; "inflect": + INFLECTIONS; "stem": any continuation
    prefix: int  # clitic letters before the term in the key
    written: int  # letters of the term as written (one less when the alef is elided)
    elided_alef: bool
    suffixed: bool  # the key ends in ت for the term's ة: a suffix must follow (خليتهم)

    def payload(self, key: str) -> _Payload:
        """What the automaton stores for `key`: all a hit needs, precomputed."""
        check: Container[str] | None = None
        if self.tail == "inflect":
            check = _SUFFIXES if self.suffixed else INFLECTIONS
        elif self.tail == "stem" and self.suffixed:
            check = _CONTINUED
        back = len(key) - 1 - self.prefix  # from the key's last character to the term's start
        return back, self.written, check, (self.term, self.value, self.elided_alef)


# (back, written, check, (term, value, elided_alef)): a hit ending at `last` in the spaced
# text is the term at [last - back, last - back + written) of the text; `check`, when not
# None, holds the allowed rests of the word after the term.
_Payload = tuple[int, int, "Container[str] | None", tuple[str, Any, bool]]
# (start, -length, last, (term, value, elided_alef)): sorts by start, longest first, then
# in the automaton's report order (a term and its whole-word twin start and end together).
_Hit = tuple[int, int, int, tuple[str, Any, bool]]


class TermMatcher(Generic[V]):
    """Find lexicon terms in normalised text, clitic-aware, longest match first."""

    def __init__(self, terms: Iterable[tuple[str, V, str]], allow_article: bool = True) -> None:
        """`terms`: (surface form, value, tail rule); forms are normalised here.

        `allow_article=False` for proper names: "ال" may not be glued on ("الحديثة" is
        not the town حديثة), though و/ف/ب/ل/ك still may.
        """
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
        # key (with its word boundaries) -> payload; MatcherGroup merges these
        self.keys: dict[str, _Payload] = {key: entry.payload(key) for key, entry in keys.items()}
        self.size = len(keys)

    @cached_property
    def _automaton(self) -> ahocorasick.Automaton:
        """Built on the first `find`: a matcher searched only through a MatcherGroup never
        needs its own (the gazetteer's is about 10 MB)."""
        automaton = ahocorasick.Automaton()
        for key, payload in self.keys.items():
            automaton.add_word(key, payload)
        automaton.make_automaton()
        return automaton

    def find(self, text: str, spaced_text: str | None = None) -> list[Match[V]]:
        """Non-overlapping matches in normalised `text`, in order, longest first on overlap.

        `spaced_text`: `spaced(text)` when the caller runs several matchers on one text.
        """
        if not self.size:
            return []
        padded = spaced_text if spaced_text is not None else spaced(text)
        hits: list[_Hit] = []
        for last, (back, written, check, info) in self._automaton.iter(padded):
            start = last - back  # spaced[i + 1] is text[i]
            if check is not None:
                end = start + written
                if text[end : padded.find(" ", end + 1) - 1] not in check:
                    continue
            hits.append((start, -written, last, info))
        return _resolve(hits)


class MatcherGroup:
    """Several TermMatchers searched in one automaton pass: a pass over a news article
    costs about as much whatever the automaton holds, so seven lexicons in one pass cost
    a seventh. `find` gives, for each name, exactly what that matcher's find() gives."""

    def __init__(self, matchers: Mapping[str, TermMatcher[Any]]) -> None:
        self.names = tuple(matchers)
        merged: dict[str, list[tuple[int, *_Payload]]] = {}  # a key may be in several lexicons
        for slot, matcher in enumerate(matchers.values()):
            for key, payload in matcher.keys.items():
                merged.setdefault(key, []).append((slot, *payload))
        self._automaton = ahocorasick.Automaton()
        for key, entries in merged.items():
            self._automaton.add_word(key, tuple(entries))
        self.size = len(merged)
        if merged:
            self._automaton.make_automaton()

    def find(self, text: str, spaced_text: str | None = None) -> dict[str, list[Match[Any]]]:
        """Matches per lexicon name, as TermMatcher.find gives them."""
        hits: list[list[_Hit]] = [[] for _ in self.names]
        if self.size:
            padded = spaced_text if spaced_text is not None else spaced(text)
            for last, entries in self._automaton.iter(padded):
                for slot, back, written, check, info in entries:
                    start = last - back
                    if check is not None:
                        end = start + written
                        if text[end : padded.find(" ", end + 1) - 1] not in check:
                            continue
                    hits[slot].append((start, -written, last, info))
        return {name: _resolve(found) for name, found in zip(self.names, hits, strict=True)}


def _resolve(hits: list[_Hit]) -> list[Match[Any]]:
    """Overlaps resolved: in text order, the longest of those starting together wins and
    what starts inside a kept match is dropped."""
    hits.sort()  # (start, -length, last) never ties: the term info is never compared
    found: list[Match[Any]] = []
    taken_until = -1
    for start, negative_length, _, info in hits:
        if start < taken_until:
            continue
        taken_until = start - negative_length
        found.append(_new_match(Match, (start, taken_until, *info)))
    return found
