"""Dates in Arabic news: every month system, weekdays, relative days, tweet dates.

Month names (normalised): Maghrebi (يناير … ماي … يوليوز غشت شتنبر … نونبر
دجنبر), Egyptian/Gulf (يناير … مايو يونيو يوليو أغسطس سبتمبر … نوفمبر
ديسمبر), Levantine/Iraqi (كانون الثاني … تشرين الأول …), Algerian/Tunisian
transliterations of French (جانفي فيفري أفريل ماي جوان جويلية أوت), and the
English months of embedded tweets. Source: standard Arabic month naming,
written by the Raqib team. A date without a year is kept as `date_text`
only; relative expressions resolve against the article's publication date
when it is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

# fmt: off
MONTHS = {
    # Maghrebi (Morocco); أبريل and أكتوبر are shared with the Egyptian/Gulf names
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "ماي": 5, "يونيو": 6, "يوليوز": 7,
    "غشت": 8, "شتنبر": 9, "اكتوبر": 10, "نونبر": 11, "دجنبر": 12,
    # Egyptian / Gulf
    "فبرابر": 2, "مايو": 5, "يوليو": 7, "اغسطس": 8, "اغسطوس": 8, "سبتمبر": 9, "نوفمبر": 11,
    "ديسمبر": 12, "يونيه": 6, "يوليه": 7,
    # Algeria / Tunisia (from French)
    "جانفي": 1, "فيفري": 2, "افريل": 4, "جوان": 6, "جويليه": 7, "اوت": 8, "سيبتمبر": 9,
    # Levant / Iraq (two-word names are matched as phrases)
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7,
    "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الاول": 12,
}
# fmt: on
ENGLISH_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
WEEKDAYS = {  # Python weekday(): Monday = 0
    "الاثنين": 0,
    "الاتنين": 0,
    "الثلاثاء": 1,
    "الثلاثا": 1,
    "الاربعاء": 2,
    "الخميس": 3,
    "الجمعه": 4,
    "السبت": 5,
    "الاحد": 6,
}
FIRST_OF_MONTH = ("فاتح", "مطلع")  # "فاتح أبريل 2021" = 1 April 2021

# Month alternatives longest first so "تشرين الثاني" wins over a shorter prefix.
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_DAY = r"(?P<day>\d{1,2}|فاتح|مطلع)"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
# "19 فبراير 2025", "الأربعاء 19 شباط 2025", "فاتح أبريل 2021", "15 أكتوبر" (no year)
ARABIC_DATE = re.compile(
    rf"(?<![\w/]){_DAY}\s?(?:من\s)?(?:شهر\s)?(?P<month>{_MONTH_ALT})(?![\w])(?:\s?(?:من\s)?(?:سنه\s|عام\s)?,?\s?{_YEAR})?"
)
# "February 19, 2025" (tweets), "19 February 2025"
ENGLISH_DATE = re.compile(
    r"(?P<month>[a-z]{3,9})\.? (?P<day>\d{1,2}), (?P<year>(?:19|20)\d{2})"
    r"|(?P<day2>\d{1,2}) (?P<month2>[a-z]{3,9}) (?P<year2>(?:19|20)\d{2})"
)
# "19/02/2025", "19-02-2025", "2025-02-19" (day first, as Arabic news writes them)
NUMERIC_DATE = re.compile(
    r"(?<![\d/.-])(?:(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>(?:19|20)\d{2})"
    r"|(?P<y2>(?:19|20)\d{2})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2}))(?![\d/])"
)
_WEEKDAY_ALT = "|".join(WEEKDAYS)
RELATIVE = re.compile(
    r"(?<!\w)(?:(?P<part>صباح|مساء|ليله|ظهر|زوال|فجر|صبيحه|عشيه|يوم|نهار)\s)?"
    r"(?:(?P<today>اليوم)|(?P<before>اول\sامس)|(?P<yesterday>امس))"
    rf"(?:\s(?P<wd>{_WEEKDAY_ALT}))?(?!\w)"
    rf"|(?<!\w)(?P<wd2>{_WEEKDAY_ALT})\s(?P<last>الماضي|المنصرم|الفارط)(?!\w)"
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    start: int  # offsets in the normalised text
    end: int
    value: date | None  # None when the text gives no year and no reference resolves it
    text: str
    relative: bool = False


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(norm: str, reference: date | None = None) -> list[FoundDate]:
    """Every date expression in normalised text, in order of appearance."""
    found: list[FoundDate] = []
    for m in ARABIC_DATE.finditer(norm):
        day_text, year = m.group("day"), m.group("year")
        day = 1 if day_text in FIRST_OF_MONTH else int(day_text)
        month = MONTHS[m.group("month")]
        value = _safe_date(int(year), month, day) if year else None
        found.append(FoundDate(m.start(), m.end(), value, m.group()))
    for m in ENGLISH_DATE.finditer(norm):
        month_name = m.group("month") or m.group("month2")
        english_month = ENGLISH_MONTHS.get(month_name.lower())
        if english_month is None:
            continue
        day = int(m.group("day") or m.group("day2"))
        year_value = int(m.group("year") or m.group("year2"))
        found.append(
            FoundDate(m.start(), m.end(), _safe_date(year_value, english_month, day), m.group())
        )
    for m in NUMERIC_DATE.finditer(norm):
        if m.group("d"):
            value = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        else:
            value = _safe_date(int(m.group("y2")), int(m.group("m2")), int(m.group("d2")))
        if value is not None:
            found.append(FoundDate(m.start(), m.end(), value, m.group()))
    for m in RELATIVE.finditer(norm):
        found.append(FoundDate(m.start(), m.end(), _resolve(m, reference), m.group(), True))
    found.sort(key=lambda d: d.start)
    return _drop_overlaps(found)


def _resolve(m: re.Match[str], reference: date | None) -> date | None:
    if reference is None:
        return None
    if m.group("today"):
        return reference
    if m.group("yesterday"):
        return reference - timedelta(days=1)
    if m.group("before"):
        return reference - timedelta(days=2)
    weekday = WEEKDAYS[m.group("wd2")]
    back = (reference.weekday() - weekday) % 7 or 7  # "الأربعاء الماضي": the last one before
    return reference - timedelta(days=back)


def _drop_overlaps(found: list[FoundDate]) -> list[FoundDate]:
    kept: list[FoundDate] = []
    for item in found:
        if kept and item.start < kept[-1].end:
            if (item.end - item.start) > (kept[-1].end - kept[-1].start):
                kept[-1] = item
            continue
        kept.append(item)
    return kept


YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
