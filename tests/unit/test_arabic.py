"""Normalisation for matching, and the way back to original offsets."""

from __future__ import annotations

from agents.arabic import Normalized, normalize, stem


def test_arabic_normalize_unifies_letters_digits_and_strips_marks() -> None:
    assert normalize("إرهابيّة") == "ارهابيه"
    assert normalize("عنصرًا") == "عنصرا"
    assert normalize("أمـــــن") == "امن"
    assert normalize("٢٠٢٥ ۱۲") == "2025 12"
    assert normalize("مستشفى") == "مستشفي"
    assert normalize("DGSN") == "dgsn"


def test_arabic_span_maps_back_over_deleted_marks() -> None:
    original = "تضم 12 عنصرًا متطرفًا في طنجة"
    doc = Normalized(original)
    start = doc.text.index("طنجه")
    a, b = doc.span(start, start + len("طنجه"))
    assert original[a:b] == "طنجة"
    start = doc.text.index("متطرفا")
    a, b = doc.span(start, start + len("متطرفا"))
    assert original[a:b] == "متطرفًا"


def test_arabic_span_is_identity_without_deletions() -> None:
    doc = Normalized("بمدينة فاس")
    assert doc.span(7, 10) == (7, 10)


def test_arabic_stem_removes_clitics_and_one_suffix() -> None:
    assert stem(normalize("والإرهابيين")) == stem(normalize("الإرهابي")) == "ارهاب"
    assert stem(normalize("بالإرهاب")) == stem(normalize("الإرهاب"))
