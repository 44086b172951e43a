"""Number words, dates in every month system, counts and ages."""

from __future__ import annotations

from datetime import date

import pytest

from agents.arabic import normalize
from agents.extract import counts
from agents.extract.dates import find_dates
from agents.extract.numbers import parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12 عنصرا", 12),
        ("١٢ عنصرا", 12),
        ("تسعة أشخاص", 9),
        ("إحدى عشر عنصرا", 11),
        ("ثلاثة عشر", 13),
        ("خمسة وعشرين", 25),
        ("مائة وعشرون", 120),
        ("ثلاثة آلاف", 3000),
        ("اثنا عشر", 12),
        ("عشرون", 20),
    ],
)
def test_numbers_words_and_digits(text: str, value: int) -> None:
    assert parse_number(text) == value


def test_a_bare_plural_scale_is_no_number() -> None:
    assert parse_number("آلاف المتظاهرين") is None  # thousands: vague
    assert parse_number("ملايين الدراهم") is None
    assert parse_number("ألف شخص") == 1000
    assert parse_number("عشرة آلاف") == 10000


def dates_of(text: str, reference: date | None = None) -> list[date | None]:
    return [d.value for d in find_dates(normalize(text), reference)]


def test_dates_every_month_system() -> None:
    assert dates_of("يوم 19 فبراير 2025") == [date(2025, 2, 19)]
    assert dates_of("الأربعاء 3 شتنبر 2025") == [date(2025, 9, 3)]
    assert dates_of("في 7 يوليوز 2024 وفي 2 غشت 2024") == [date(2024, 7, 7), date(2024, 8, 2)]
    assert dates_of("بتاريخ 14 تشرين الأول 2023") == [date(2023, 10, 14)]
    assert dates_of("في 5 أغسطس 2022") == [date(2022, 8, 5)]
    assert dates_of("يوم فاتح دجنبر 2016") == [date(2016, 12, 1)]
    assert dates_of("— DGSN MAROC (@DGSN_MAROC) February 19, 2025") == [date(2025, 2, 19)]
    assert dates_of("بتاريخ 21/02/2018") == [date(2018, 2, 21)]


def test_dates_without_year_keep_text_only() -> None:
    found = find_dates(normalize("صباح الاثنين 15 أكتوبر"))
    assert [d.value for d in found] == [None] and "15 اكتوبر" in found[0].text


def test_dates_relative_resolve_against_publication() -> None:
    ref = date(2025, 2, 19)  # a Wednesday
    assert dates_of("صباح اليوم", ref) == [ref]
    assert dates_of("مساء أمس", ref) == [date(2025, 2, 18)]
    assert dates_of("الاثنين الماضي", ref) == [date(2025, 2, 17)]
    assert dates_of("صباح اليوم", None) == [None]
    assert dates_of("اليومية والأمسية") == []  # not inside other words


def values(found: list[counts.Count]) -> list[int]:
    return [c.value for c in found]


def test_counts_members() -> None:
    assert values(counts.members(normalize("خلية تتكون من 4 أشخاص"))) == [4]
    assert 12 in values(counts.members(normalize("التي تضم 12 عنصرًا متطرفًا")))
    assert values(counts.members(normalize("توقيف تسعة أشخاص"))) == [9]
    assert values(counts.members(normalize("تم توقيف شخص يشتبه"))) == [1]
    assert values(counts.members(normalize("اعتقال شخصين"))) == [2]
    assert values(counts.members(normalize("عدد من المشتبه فيهم"))) == []


def test_counts_killed() -> None:
    assert values(counts.killed(normalize("أسفر عن مقتل 15 جنديا"))) == [15]
    assert values(counts.killed(normalize("ارتفعت الحصيلة إلى أكثر من 200 قتيل"))) == [200]


def test_counts_ages() -> None:
    assert sorted(values(counts.ages(normalize("تتراوح أعمارهم بين 18 و40 عامًا")))) == [18, 40]
    assert values(counts.ages(normalize("يبلغ من العمر 26 سنة"))) == [26]
    assert sorted(values(counts.ages(normalize("تتراوح أعمارهم على التوالي 37 و27 و21 سنة")))) == [
        21,
        27,
        37,
    ]
    assert values(counts.ages(normalize("يبلغ من العمر 33 سنة وقد"))) == [33]


def test_patterns_over_normalised_text_are_written_normalised() -> None:
    """The regexes run on normalize()d text, where ى is ي, ة is ه and أ is ا: a literal
    written otherwise can never match ("قتلى" once silently lost every killed count)."""
    import re

    from agents.extract import events

    for module in (counts, events):
        for name, value in vars(module).items():
            patterns = value if isinstance(value, list) else [value]
            for pattern in patterns:
                if isinstance(pattern, re.Pattern) and isinstance(pattern.pattern, str):
                    letters = re.sub(r"[^\u0621-\u064a]", "", pattern.pattern)
                    assert normalize(letters) == letters, f"{module.__name__}.{name}"


def test_killed_with_alef_maqsura_words() -> None:
    def values(sentence: str) -> list[int]:
        return [c.value for c in counts.killed(normalize(sentence))]

    assert values("أسفر الهجوم عن سقوط 3 قتلى في صفوف المدنيين") == [3]
    assert values("انفجار أودى بحياة خمسة جنود قرب الحدود") == [5]
    assert values("حصيلة تجاوزت آلاف القتلى") == []  # thousands is no count
