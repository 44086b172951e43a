"""How many: members arrested, people killed, ages — from digits and number words.

Patterns run on one normalised sentence at a time and are linear (alternations
of fixed words, bounded gaps), so they cannot backtrack catastrophically.
"More than N" is N, as the corpus annotation guide says; vague quantities
("عدد من", "عشرات") give nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from .numbers import HUNDREDS, ORDINALS, TENS, UNITS, parse_number

_NUMBER_WORDS = sorted(
    set(UNITS) | set(TENS) | set(HUNDREDS) | {"الف", "الاف"}, key=len, reverse=True
)
_WORD_ALT = "|".join(_NUMBER_WORDS)
# A number: digits, or one to four number words joined by spaces / و.
NUM = rf"(?:\d+|(?:{_WORD_ALT})(?:\s(?:و\s?)?(?:{_WORD_ALT})){{0,3}})"
_APPROX = (
    r"(?:(?:اكثر|ازيد|اقل|ما\sيزيد|ما\sلا\sيقل|حوالي|نحو|قرابه|زهاء|ما\sيقارب)\s(?:من|عن)?\s?)?"
)

PERSONS = (
    "عناصر",
    "عنصرا",
    "عنصر",
    "اشخاص",
    "شخصا",
    "افراد",
    "فردا",
    "متطرفين",
    "متطرفا",
    "مشتبه",
    "مشتبها",
    "موقوفين",
    "معتقلين",
    "ارهابيين",
    "ارهابيا",
    "اعضاء",
    "عضوا",
    "متهمين",
    "متهما",
    "شبان",
    "مواطنين",
    "مهاجرين",
    "مهربين",
    "نساء",
    "رجال",
    "داعشيين",
    "جهاديين",
    "متشددين",
    "مسلحين",
    "اشقاء",
    "قاصرين",
    "موالين",
    "اجانب",
    "مغاربه",
    "اسبان",
    "مروجين",
    "تجار",
)
VICTIMS = (
    "قتيلا",
    "قتلي",
    "قتيل",
    "ضحايا",
    "ضحيه",
    "جنديا",
    "جنود",
    "عسكريا",
    "عسكريين",
    "شهيدا",
    "شهداء",
    "شخصا",
    "اشخاص",
    "مدنيين",
    "مدنيا",
    "شرطيا",
    "رجال",
    "عناصر",
    "عنصرا",
)
SINGULAR_PERSONS = (
    "شخص",
    "عنصر",
    "متطرف",
    "مشتبه",
    "شاب",
    "مواطن",
    "امراه",
    "سيده",
    "تاجر",
    "مروج",
    "مهرب",
    "ارهابي",
    "داعشي",
    "متهم",
    "فتاه",
    "قاصر",
    "رجل",
    "مهاجر",
    "طالب",
    "استاذ",
)
DUAL_PERSONS = ("شخصين", "عنصرين", "متطرفين اثنين", "شقيقين", "مشتبهين", "امراتين", "شابين")
ARREST_VERBS = r"(?:توقيف|اعتقال|ايقاف|القبض\sعلي|اوقفت|اعتقلت|اوقف|اعتقل|تحييد|ضبط)"
KILL_WORDS = r"(?:مقتل|و?قتل\S{0,2}|مصرع|استشهاد|وفاه|اودي\sبحياه|لقي|لقوا|حصيله|قضي|سقوط)"

_MEMBERS = [
    re.compile(rf"(?<!\w){_APPROX}(?P<n>{NUM})\s(?:من\s)?(?:ال)?(?:{'|'.join(PERSONS)})(?!\w)"),
    re.compile(
        rf"(?:تتكون|تتالف|مكونه|تتشكل|تضم|يضم|تشمل|بلغ\sعددهم|عددهم)\s(?:من\s)?{_APPROX}(?P<n>{NUM})(?!\w)"
    ),
]
# "أوقفت عناصر الدرك شخصين": the object may follow the subject (up to four words).
_SINGLE = re.compile(
    rf"{ARREST_VERBS}\s(?:[^\s،.]+\s){{0,4}}?(?:(?:ال)?(?P<one>{'|'.join(SINGULAR_PERSONS)})"
    rf"|(?P<two>{'|'.join(DUAL_PERSONS)}))(?!\w)"
)
_KILLED = [
    re.compile(
        rf"{KILL_WORDS}\s(?:\S+\s){{0,3}}?{_APPROX}(?P<n>{NUM})\s(?:من\s)?(?:ال)?(?:{'|'.join(VICTIMS)})(?!\w)"
    ),
    re.compile(rf"(?<!\w){_APPROX}(?P<n>{NUM})\s(?:قتيلا|قتلي|قتيل|شهيدا|شهداء)(?!\w)"),
    re.compile(rf"(?:مقتل|مصرع|استشهاد)\s{_APPROX}(?P<n>{NUM})(?!\w)"),
]
_AGE_UNITS = r"(?:سنه|عاما|عام|سنوات|ربيعا)"
_AGES = [
    re.compile(
        rf"اعمار\S{{0,3}}\s(?:\S+\s){{0,2}}?(?:ما\s)?بين\s(?P<a>{NUM})\s(?:و\s?)(?P<b>{NUM})"
    ),
    re.compile(
        rf"(?:العمر|عمره|عمرها|سن|السن|البالغ|البالغه|يبلغ|تبلغ|ابن|بنت)\s(?:من\s)?(?:العمر\s)?(?P<a>\d{{1,2}})\s?{_AGE_UNITS}"
    ),
    re.compile(r"(?:العمر|عمره|عمرها)\s?(?P<a>\d{1,2})(?!\d)"),
    re.compile(rf"\((?P<a>\d{{1,2}})\s{_AGE_UNITS}\)"),
    re.compile(rf"(?P<list>\d{{1,2}}(?:\s?(?:،|,|و)\s?\d{{1,2}})+)\s(?:{_AGE_UNITS})"),
]
_ORDINAL_AGE = re.compile(
    rf"(?P<o1>{'|'.join(ORDINALS)})(?:\s(?:و)(?P<o2>{'|'.join(ORDINALS)}))?\s(?:من\s)?(?:العمر|عمره|عمرها)"
)
_AGE_CONTEXT = re.compile(r"اعمار|عمر|سن\b|البالغ|يبلغ|تبلغ|ربيعا")

# Cues: each pattern above needs certain words somewhere in the sentence (a number: a digit
# or a number word; a person noun; a verb...). One automaton pass over the sentence tells
# which are there, and a pattern only runs where it can match: most start with a lookbehind
# or a group, so the regex engine tries their alternations at every position (~5 µs each
# on a sentence), while most sentences have no number at all.
_DIGIT_CUE, _NUMBER, _PERSON, _CONSISTS, _ARREST, _KILL, _AGES_WORD, _AGE_WORD, _ORDINAL = (
    1 << i for i in range(9)
)
_CUE_WORDS = {
    _NUMBER: _NUMBER_WORDS,  # NUM's words
    _PERSON: PERSONS,
    _CONSISTS: ("تتكون", "تتالف", "مكونه", "تتشكل", "تضم", "يضم", "تشمل", "عددهم"),
    _ARREST: (
        "توقيف",
        "اعتقال",
        "ايقاف",
        "القبض",
        "اوقفت",
        "اعتقلت",
        "اوقف",
        "اعتقل",
        "تحييد",
        "ضبط",
    ),
    # KILL_WORDS, and the nouns of the second _KILLED pattern
    _KILL: (
        *("مقتل", "قتل", "مصرع", "استشهاد", "وفاه", "اودي", "لقي", "لقوا", "حصيله", "قضي", "سقوط"),
        *("قتيلا", "قتلي", "قتيل", "شهيدا", "شهداء"),
    ),
    _AGES_WORD: ("اعمار",),
    _AGE_WORD: ("عمر",),  # العمر|عمره|عمرها
    _ORDINAL: tuple(ORDINALS),
}
_CUES = ahocorasick.Automaton()
for _bit, _words in _CUE_WORDS.items():
    for _word in _words:
        _CUES.add_word(_word, _CUES.get(_word, 0) | _bit)
_CUES.make_automaton()
_DIGIT = re.compile(r"\d")
# What each pattern needs (all of the bits), in the order of the lists above.
_MEMBERS_NEED = (_NUMBER | _PERSON, _NUMBER | _CONSISTS)
_KILLED_NEED = (_NUMBER | _KILL, _NUMBER | _KILL, _NUMBER | _KILL)
_AGES_NEED = (_NUMBER | _AGES_WORD, _DIGIT_CUE, _DIGIT_CUE, _DIGIT_CUE, _DIGIT_CUE)
_ORDINAL_AGE_NEED = _ORDINAL | _AGE_WORD


@lru_cache(maxsize=256)
def _cues(sentence: str) -> int:
    """The cue bits present in `sentence` (a digit counts as a number too). Cached: the
    extractor asks members, killed and ages about the same sentences in turn."""
    found = _DIGIT_CUE | _NUMBER if _DIGIT.search(sentence) else 0
    for _, bits in _CUES.iter(sentence):
        found |= bits
    return found


@dataclass(frozen=True, slots=True)
class Count:
    value: int
    start: int  # offsets in the normalised sentence
    end: int


def _add(found: list[Count], new: Count) -> None:
    """Keep one count per span: two patterns often read the same words."""
    if not any(c.value == new.value and c.start < new.end and new.start < c.end for c in found):
        found.append(new)


def members(sentence: str) -> list[Count]:
    found: list[Count] = []
    cues = _cues(sentence)
    for pattern, need in zip(_MEMBERS, _MEMBERS_NEED, strict=True):
        if cues & need != need:
            continue
        for m in pattern.finditer(sentence):
            value = parse_number(m.group("n"))
            if value is not None and 0 < value < 10_000:
                _add(found, Count(value, m.start(), m.end()))
    if not found and cues & _ARREST:
        for m in _SINGLE.finditer(sentence):
            found.append(Count(1 if m.group("one") else 2, m.start(), m.end()))
    return found


def killed(sentence: str) -> list[Count]:
    found: list[Count] = []
    cues = _cues(sentence)
    for pattern, need in zip(_KILLED, _KILLED_NEED, strict=True):
        if cues & need != need:
            continue
        for m in pattern.finditer(sentence):
            value = parse_number(m.group("n"))
            if value is not None and 0 < value < 100_000:
                _add(found, Count(value, m.start(), m.end()))
    return found


def ages(sentence: str) -> list[Count]:
    found: list[Count] = []
    cues = _cues(sentence)
    for pattern, need in zip(_AGES, _AGES_NEED, strict=True):
        if cues & need != need:
            continue
        for m in pattern.finditer(sentence):
            groups = m.groupdict()
            if groups.get("list"):
                if not _AGE_CONTEXT.search(sentence):
                    continue
                values = [int(v) for v in re.findall(r"\d{1,2}", groups["list"])]
            else:
                values = [
                    v
                    for v in (
                        parse_number(groups.get("a") or ""),
                        parse_number(groups.get("b") or ""),
                    )
                    if v
                ]
            for value in values:
                if 10 <= value <= 99:
                    _add(found, Count(value, m.start(), m.end()))
    if cues & _ORDINAL_AGE_NEED != _ORDINAL_AGE_NEED:
        return found
    for m in _ORDINAL_AGE.finditer(sentence):
        value = ORDINALS[m.group("o1")] + (ORDINALS[m.group("o2")] if m.group("o2") else 0)
        if 10 <= value <= 99:
            _add(found, Count(value, m.start(), m.end()))
    return found
