"""Numbers as Arabic news writes them: digits, Eastern digits, and words.

Words come with gender and case forms (ثلاثة/ثلاث، اثنان/اثنين/اثنتين), the
teens as two words (إحدى عشر، ثلاثة عشر), tens with an optional unit before
them (خمسة وعشرين), hundreds and thousands (مائة، ثلاثمائة، ألف). All forms
are normalised (agents.arabic.normalize) before lookup, so أ/إ/ا and ة/ه
variants need no entries of their own. Source: Arabic grammar of cardinal
numbers, written by the Raqib team.
"""

# fmt: off
from __future__ import annotations

import re

from agents.arabic import normalize

UNITS = {
    "واحد": 1, "واحده": 1, "احد": 1, "احدى": 1, "احدي": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2,
    "اثنتين": 2, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2, "ثلاثه": 3, "ثلاث": 3, "اربعه": 4,
    "اربع": 4, "خمسه": 5, "خمس": 5, "سته": 6, "ست": 6, "سبعه": 7, "سبع": 7, "ثمانيه": 8,
    "ثماني": 8, "ثمان": 8, "تسعه": 9, "تسع": 9,
}
TENS = {
    "عشره": 10, "عشر": 10, "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40,
    "اربعين": 40, "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
    "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
}
HUNDREDS = {
    "مائه": 100, "مئه": 100, "ميه": 100, "مائتان": 200, "مائتين": 200, "مئتان": 200, "مئتين": 200,
    "ثلاثمائه": 300, "ثلاثمئه": 300, "اربعمائه": 400, "اربعمئه": 400, "خمسمائه": 500,
    "خمسمئه": 500, "ستمائه": 600, "ستمئه": 600, "سبعمائه": 700, "سبعمئه": 700, "ثمانمائه": 800,
    "ثمانمئه": 800, "تسعمائه": 900, "تسعمئه": 900,
}
SCALES = {"الف": 1000, "الاف": 1000, "مليون": 1_000_000, "ملايين": 1_000_000}
# Ordinals in "الرابعة والعشرين" (an age: "in his 24th year") read as the cardinal.
ORDINALS = {
    "الاول": 1, "الاولى": 1, "الثاني": 2, "الثانيه": 2, "الثالث": 3, "الثالثه": 3, "الرابع": 4,
    "الرابعه": 4, "الخامس": 5, "الخامسه": 5, "السادس": 6, "السادسه": 6, "السابع": 7, "السابعه": 7,
    "الثامن": 8, "الثامنه": 8, "التاسع": 9, "التاسعه": 9, "العاشر": 10, "العاشره": 10,
    "العشرين": 20, "الثلاثين": 30, "الاربعين": 40, "الخمسين": 50, "الستين": 60,
}
# The tables are looked up with normalised words (مائة -> مايه), so normalise their keys.
UNITS, TENS, HUNDREDS, SCALES, ORDINALS = (
    {normalize(k): v for k, v in t.items()} for t in (UNITS, TENS, HUNDREDS, SCALES, ORDINALS)
)

_PLURAL_SCALES = frozenset(normalize(w) for w in ("آلاف", "ملايين"))  # only after 3-10
_CLITIC = re.compile(r"^(?:و|ف|ب|ل)(?=\S{3,})")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)?")


def _word_value(word: str) -> int | None:
    for table in (UNITS, TENS, HUNDREDS, ORDINALS):
        if word in table:
            return table[word]
    return None


def parse_words(words: list[str]) -> tuple[int, int] | None:
    """Value of the number written at the start of `words` and how many words it used.

    `words` are normalised tokens; "و" joining parts may be glued ("وعشرين").
    """
    total = 0
    current = 0
    used = 0
    seen_any = False
    for i, raw in enumerate(words[:6]):
        word = raw
        if i > 0 and word.startswith("و") and _word_value(word[1:]) is not None:
            word = word[1:]
        elif i > 0 and word == "و":
            continue
        if word in SCALES:
            if word in _PLURAL_SCALES and not current:
                break  # "آلاف القتلى": thousands, a vague amount, not 1000
            current = max(current, 1) * SCALES[word]
            total += current
            current = 0
            used, seen_any = i + 1, True
            continue
        value = _word_value(word)
        if value is None:
            if _DIGITS.fullmatch(word) and not seen_any:
                return int(float(word.replace(",", "."))), 1
            break
        if value == 10 and current and current < 10:  # "ثلاثة عشر": a teen
            current += 10
        else:
            current += value
        used, seen_any = i + 1, True
    if not seen_any:
        return None
    return total + current, used


def parse_number(text: str) -> int | None:
    """The number at the start of `text` (digits or words), e.g. "إحدى عشر عنصرا" -> 11."""
    words = normalize(text).split()
    if not words:
        return None
    m = _DIGITS.match(words[0])
    if m and m.group() == words[0].rstrip("،,.:"):
        return int(float(m.group().replace(",", ".")))
    found = parse_words(words)
    return found[0] if found else None
