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

import ahocorasick

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

# Every date expression hangs on an anchor word (a month, اليوم/أمس, a weekday) or on
# digits. The anchors are found in one Aho-Corasick pass and only their surroundings go
# through a regex: a regex per pattern over the whole text costs ~0.5 ms per article.
_MONTH_ANCHOR, _TODAY, _YESTERDAY, _WEEKDAY = "month", "today", "yesterday", "weekday"
_ANCHORS = ahocorasick.Automaton()
for _word, _kind in [
    *((m, _MONTH_ANCHOR) for m in MONTHS),
    ("اليوم", _TODAY),
    ("امس", _YESTERDAY),
    *((w, _WEEKDAY) for w in WEEKDAYS),
]:
    _ANCHORS.add_word(_word, (len(_word), _kind, _word))
_ANCHORS.make_automaton()

_DAY_BEFORE = re.compile(
    r"(?:(?<![\w/])(?P<day>\d{1,2})|(?P<first>فاتح|مطلع))\s?(?:من\s)?(?:شهر\s)?$"
)
_YEAR_AFTER = re.compile(r"\s?(?:من\s)?(?:سنه\s|عام\s)?,?\s?(?P<year>(?:19|20)\d{2})(?!\d)")
_PART_BEFORE = re.compile(r"(?:صباح|مساء|ليله|ظهر|زوال|فجر|صبيحه|عشيه|يوم|نهار)\s$")
_BEFORE_YESTERDAY = re.compile(r"اول\s$")
_WEEKDAY_AFTER = re.compile(r"\s(?:" + "|".join(WEEKDAYS) + r")(?!\w)")
_LAST_AFTER = re.compile(r"\s(?:الماضي|المنصرم|الفارط)(?!\w)")
# "February 19, 2025" (tweets), "19 February 2025": Latin, so only scanned when there is Latin.
ENGLISH_DATE = re.compile(
    r"(?P<month>[a-z]{3,9})\.? (?P<day>\d{1,2}), (?P<year>(?:19|20)\d{2})"
    r"|(?P<day2>\d{1,2}) (?P<month2>[a-z]{3,9}) (?P<year2>(?:19|20)\d{2})"
)
# "19/02/2025", "19-02-2025", "2025-02-19" (day first, as Arabic news writes them)
NUMERIC_DATE = re.compile(
    r"(?:(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>(?:19|20)\d{2})"
    r"|(?P<y2>(?:19|20)\d{2})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2}))(?![\d/])"
)
_LATIN = re.compile(r"[a-z]")
# ENGLISH_DATE and NUMERIC_DATE both need a year (19xx/20xx), and NUMERIC_DATE a digit, a
# separator and a digit in a row: cheap tests that spare most articles their scans
# (NUMERIC_DATE starts with a group, so the engine tries it at every position: ~0.2 ms).
_NUMERIC_HINT = re.compile(r"\d[/.-]\d")


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


def _word_at(norm: str, start: int, end: int) -> bool:
    return (start == 0 or not norm[start - 1].isalnum()) and (
        end >= len(norm) or not norm[end].isalnum()
    )


def find_dates(norm: str, reference: date | None = None) -> list[FoundDate]:
    """Every date expression in normalised text, in order of appearance."""
    found: list[FoundDate] = []
    for last, (length, kind, word) in _ANCHORS.iter(norm):
        start, end = last - length + 1, last + 1
        if not _word_at(norm, start, end):
            continue
        if kind == _MONTH_ANCHOR:
            day = _DAY_BEFORE.search(norm, max(0, start - 20), start)
            if day is None:
                continue
            year = _YEAR_AFTER.match(norm, end, end + 20)
            day_value = 1 if day.group("first") else int(day.group("day"))
            value = _safe_date(int(year.group("year")), MONTHS[word], day_value) if year else None
            stop = year.end() if year else end
            found.append(FoundDate(day.start(), stop, value, norm[day.start() : stop]))
        elif kind in (_TODAY, _YESTERDAY):
            begin = start
            part = _PART_BEFORE.search(norm, max(0, start - 8), start)
            if kind == _YESTERDAY and _BEFORE_YESTERDAY.search(norm, max(0, start - 5), start):
                kind, begin = "before", start - 4
            elif part is not None:
                begin = part.start()
            weekday = _WEEKDAY_AFTER.match(norm, end, end + 12)
            stop = weekday.end() if weekday else end
            value = _resolve(kind, None, reference)
            found.append(FoundDate(begin, stop, value, norm[begin:stop], True))
        else:
            last_one = _LAST_AFTER.match(norm, end, end + 10)
            if last_one is not None:
                value = _resolve(_WEEKDAY, WEEKDAYS[word], reference)
                found.append(
                    FoundDate(start, last_one.end(), value, norm[start : last_one.end()], True)
                )
    if "19" in norm or "20" in norm:  # else no year: no English or numeric date
        found += _dates_with_year(norm)
    found.sort(key=lambda d: d.start)
    return _drop_overlaps(found)


def _dates_with_year(norm: str) -> list[FoundDate]:
    """English ("February 19, 2025") then numeric ("19/02/2025") dates, in that order."""
    found: list[FoundDate] = []
    if _LATIN.search(norm):
        for m in ENGLISH_DATE.finditer(norm):
            month_name = m.group("month") or m.group("month2")
            english_month = ENGLISH_MONTHS.get(month_name)
            if english_month is None:
                continue
            day_value = int(m.group("day") or m.group("day2"))
            year_value = int(m.group("year") or m.group("year2"))
            found.append(
                FoundDate(
                    m.start(), m.end(), _safe_date(year_value, english_month, day_value), m.group()
                )
            )
    if not _NUMERIC_HINT.search(norm):
        return found
    for m in NUMERIC_DATE.finditer(norm):
        if m.start() > 0 and norm[m.start() - 1] in "0123456789/.-":
            continue
        if m.group("d"):
            value = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        else:
            value = _safe_date(int(m.group("y2")), int(m.group("m2")), int(m.group("d2")))
        if value is not None:
            found.append(FoundDate(m.start(), m.end(), value, m.group()))
    return found


def _resolve(kind: str, weekday: int | None, reference: date | None) -> date | None:
    if reference is None:
        return None
    if kind == _TODAY:
        return reference
    if kind == _YESTERDAY:
        return reference - timedelta(days=1)
    if kind == "before":
        return reference - timedelta(days=2)
    assert weekday is not None
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
