"""How many: members arrested, people killed, ages — from digits and number words.

Patterns run on one normalised sentence at a time and are linear (alternations
of fixed words, bounded gaps), so they cannot backtrack catastrophically.
"More than N" is N, as the corpus annotation guide says; vague quantities
("عدد من", "عشرات") give nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    "قتلى",
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
ARREST_VERBS = r"(?:توقيف|اعتقال|ايقاف|القبض\sعلى|اوقفت|اعتقلت|اوقف|اعتقل|تحييد|ضبط)"
KILL_WORDS = r"(?:مقتل|و?قتل\S{0,2}|مصرع|استشهاد|وفاه|اودى\sبحياه|لقي|لقوا|حصيله|قضى|سقوط)"

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
    re.compile(rf"(?<!\w){_APPROX}(?P<n>{NUM})\s(?:قتيلا|قتلى|قتيل|شهيدا|شهداء)(?!\w)"),
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
    for pattern in _MEMBERS:
        for m in pattern.finditer(sentence):
            value = parse_number(m.group("n"))
            if value is not None and 0 < value < 10_000:
                _add(found, Count(value, m.start(), m.end()))
    if not found:
        for m in _SINGLE.finditer(sentence):
            found.append(Count(1 if m.group("one") else 2, m.start(), m.end()))
    return found


def killed(sentence: str) -> list[Count]:
    found: list[Count] = []
    for pattern in _KILLED:
        for m in pattern.finditer(sentence):
            value = parse_number(m.group("n"))
            if value is not None and 0 < value < 100_000:
                _add(found, Count(value, m.start(), m.end()))
    return found


def ages(sentence: str) -> list[Count]:
    found: list[Count] = []
    for pattern in _AGES:
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
    for m in _ORDINAL_AGE.finditer(sentence):
        value = ORDINALS[m.group("o1")] + (ORDINALS[m.group("o2")] if m.group("o2") else 0)
        if 10 <= value <= 99:
            _add(found, Count(value, m.start(), m.end()))
    return found
