"""Arabic text for matching: normalisation that keeps a way back to the original.

Every stage matches on normalised text (no diacritics or tatweel, one alef,
ya for alef maqsura, ha for ta marbuta, ASCII digits, lower-case Latin) but
reports evidence as spans of the ORIGINAL text. Normalisation only maps one
character to one character or deletes characters, so a sorted list of the
deletions is enough to map a normalised offset back (`Normalized.span`).
Everything here runs at C speed (regex, str.translate): no per-character loops.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

# Deleted for matching: harakat and Quranic marks, tatweel, zero-width and bidi controls.
_DELETE = re.compile(
    "[\u064b-\u065f\u0670\u0640\u06d6-\u06ed\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]"
)

# fmt: off
_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ى": "ي", "ی": "ي", "ې": "ي",
    "ئ": "ي", "ة": "ه", "ۀ": "ه", "ھ": "ه", "ہ": "ه", "ؤ": "و", "ک": "ك", "ڪ": "ك", "ڭ": "ك",
    "گ": "ك",  # Moroccan gaf (ڭرسيف) is written ك or ج elsewhere
    "ڤ": "ف", "پ": "ب", "چ": "ج", "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2002": " ",
    "\u2003": " ", "\u2009": " ",
}
_MAP.update({chr(0x0660 + d): str(d) for d in range(10)})  # Arabic-Indic digits
_MAP.update({chr(0x06F0 + d): str(d) for d in range(10)})  # Persian digits
_MAP.update({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})
# fmt: on
# str.translate with a dict table goes through a dict lookup per character (slow for
# Arabic text); a chain of str.replace over only the characters present is ~10x faster.
# No replacement produces a character that another one replaces, so their order is free.
assert not set(_MAP) & set(_MAP.values()), "a replacement is replaced again"
_PAIRS = tuple((old, new) for old, new in _MAP.items() if not "A" <= old <= "Z")
# A-Z are looked for in the text's ASCII bytes instead: `"A" in text` is slow on Arabic
# text, where CPython's search stops at every character whose low byte is 0x41 (ف),
# 0x44 (ل), 0x45 (م)... that is, at every few letters.
_UPPER = {ord(old): (old, new) for old, new in _MAP.items() if "A" <= old <= "Z"}
_NOT_UPPER = bytes(c for c in range(128) if c not in _UPPER)  # for bytes.translate


def _translate(text: str) -> str:
    for old, new in _PAIRS:
        if old in text:
            text = text.replace(old, new)
    ascii_part = text.encode("ascii", "ignore")
    for code in set(ascii_part.translate(None, _NOT_UPPER)):  # the A-Z in the text
        old, new = _UPPER[code]
        text = text.replace(old, new)
    return text


ARABIC_LETTERS = "\u0621-\u064a\u066e-\u06d3"
WORD = re.compile(f"[0-9a-z{ARABIC_LETTERS}]+")
ARABIC_WORD = re.compile(f"[{ARABIC_LETTERS}]{{2,}}")


def normalize(text: str) -> str:
    """Normalised form of `text` for matching (no offsets kept)."""
    return _translate(_DELETE.sub("", text))


class Normalized:
    """`text` is the normalised form of `original`; `span` maps offsets back."""

    __slots__ = ("_deleted", "_shift", "original", "text")
    original: str
    text: str
    _deleted: list[int]  # original offsets of the deleted characters
    _shift: list[int]

    def __init__(self, original: str) -> None:
        deleted = [m.start() for m in _DELETE.finditer(original)]
        if deleted:
            # The text between the deletions, joined: cheaper than a second regex pass
            # (_DELETE.sub) when, as in news text, deletions are few.
            starts = [0, *(p + 1 for p in deleted)]
            ends = [*deleted, len(original)]
            stripped = "".join([original[a:b] for a, b in zip(starts, ends, strict=True)])
        else:
            stripped = original
        self._set(original, _translate(stripped), deleted)

    def _set(self, original: str, text: str, deleted: list[int]) -> None:
        self.original = original
        self.text = text
        self._deleted = deleted
        # _shift[m]: normalised index of the character after the m-th deletion.
        self._shift = [p - m for m, p in enumerate(deleted)] if deleted else []

    def lines(self, spans: list[tuple[int, int]]) -> Normalized:
        """Normalized("\\n".join(original[a:b] for a, b in spans)), built from this one
        (slices and bisects) instead of normalising the joined text again. Spans are
        sorted and disjoint: segments of one page."""
        deleted = self._deleted
        original = "\n".join([self.original[a:b] for a, b in spans])
        if not deleted:  # offsets are the same in both texts
            text = "\n".join([self.text[a:b] for a, b in spans])
            joined_deleted: list[int] = []
        else:
            parts, joined_deleted, at = [], [], 0  # at: where the span starts in `original`
            for a, b in spans:
                i, j = bisect_left(deleted, a), bisect_left(deleted, b)
                parts.append(self.text[a - i : b - j])
                if i < j:
                    joined_deleted += [p - a + at for p in deleted[i:j]]
                at += b - a + 1
            text = "\n".join(parts)
        doc = Normalized.__new__(Normalized)
        doc._set(original, text, joined_deleted)
        return doc

    def normalized_offset(self, index: int) -> int:
        """Normalised offset of the original character at `index` (the inverse of offset)."""
        return index - bisect_left(self._deleted, index) if self._deleted else index

    def slice(self, start: int, end: int) -> str:
        """The normalised text of the original span [start, end)."""
        deleted = self._deleted  # normalized_offset, inlined: the clean stage's hot path
        if not deleted:
            return self.text[start:end]
        return self.text[start - bisect_left(deleted, start) : end - bisect_left(deleted, end)]

    def offset(self, index: int) -> int:
        """Original offset of the normalised character at `index`."""
        return index + bisect_right(self._shift, index) if self._shift else index

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalised span [start, end)."""
        if end <= start:
            s = self.offset(start)
            return s, s
        return self.offset(start), self.offset(end - 1) + 1


# Clitics that attach in front of a word, longest first; "ال" is stripped with them
# so lexicons hold bare stems (بالشرطة، للشرطة، والشرطة -> شرطه).
PREFIXES = (
    "وبال",
    "وكال",
    "فبال",
    "ولل",
    "فلل",
    "وال",
    "فال",
    "بال",
    "كال",
    "لل",
    "ال",
    "وب",
    "ول",
    "وك",
    "فب",
    "فل",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
)
# Suffixes removed by the light stemmer (plural, dual, feminine, possessives), longest first.
SUFFIXES = (
    "يين",
    "ييه",
    "يات",
    "يون",
    "اتها",
    "اته",
    "تها",
    "تهم",
    "هما",
    "ات",
    "ون",
    "ين",
    "ان",
    "ها",
    "هم",
    "يه",
    "ه",
    "ي",
)


def stem(word: str) -> str:
    """A light stem: clitics and one inflectional suffix off, keeping 3+ letters.

    Deliberately crude (no root extraction): lexicon entries are stemmed with the
    same function, so both sides conflate the same way.
    """
    for prefix in PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def tokens(normalized_text: str) -> list[str]:
    return WORD.findall(normalized_text)


def token_spans(normalized_text: str) -> Iterator[tuple[str, int, int]]:
    for m in WORD.finditer(normalized_text):
        yield m.group(), m.start(), m.end()


def is_arabic_letter(ch: str) -> bool:
    return "\u0621" <= ch <= "\u064a" or "\u066e" <= ch <= "\u06d3"
