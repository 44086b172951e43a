"""The clean stage's fast paths give exactly what the plain computations they replace give."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from agents.arabic import _DELETE, _MAP, Normalized, normalize
from agents.clean import clean, clean_normalized
from agents.clean.zoning import _sentence_punctuation, zone_page
from streams.records import RawArticle

# Deleted and mapped characters, Latin capitals, punctuation, spaces and line breaks.
_ALPHABET = "اأإىةكگ٣۵AZaz \t\u00a0\u202f\n\u064b\u0640\u200f\ufeff\u00ad.!؟?،؛:x@("
_TABLE = str.maketrans(_MAP)


def _plain(original: str) -> tuple[str, list[int]]:
    """Normalised text and deleted offsets, computed the obvious (slow) way."""
    return _DELETE.sub("", original).translate(_TABLE), [
        m.start() for m in _DELETE.finditer(original)
    ]


@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_normalized_and_normalize_match_the_plain_computation(text) -> None:
    doc = Normalized(text)
    assert (doc.text, doc._deleted) == _plain(text)
    assert normalize(text) == doc.text


@given(st.text(alphabet=_ALPHABET, max_size=80), st.lists(st.integers(0, 80), max_size=10))
def test_normalized_lines_is_the_normalisation_of_the_joined_spans(text, cuts) -> None:
    bounds = sorted({min(c, len(text)) for c in cuts})
    spans = list(zip(bounds[::2], bounds[1::2], strict=False))  # sorted and disjoint
    doc = Normalized(text).lines(spans)
    fresh = Normalized("\n".join(text[a:b] for a, b in spans))
    assert (doc.original, doc.text, doc._deleted, doc._shift) == (
        fresh.original,
        fresh.text,
        fresh._deleted,
        fresh._shift,
    )


def test_lines_of_a_page_normalise_as_the_joined_text() -> None:
    page = "عنصرًا في طنجة\nسطر ثانٍ"
    body = Normalized(page).lines([(0, 14), (15, len(page))])
    fresh = Normalized(body.original)
    assert body.text == fresh.text == normalize(body.original)
    assert body.span(0, 6) == fresh.span(0, 6) == (0, 7)


def test_clean_hands_its_body_normalisation_over(seeds) -> None:
    for page in seeds.values():
        article, doc = clean_normalized(RawArticle(id="x", text=page))
        assert doc.original == article.text == clean(RawArticle(id="x", text=page)).text
        assert normalize(article.text) == _plain(article.text)[0]
        assert (doc.text, doc._deleted) == _plain(article.text)


def test_zoned_normalized_body_is_the_normalised_text(seeds) -> None:
    for page in seeds.values():
        zoned = zone_page(page)
        assert zoned.text == "\n".join(seg.text for seg in zoned.body)
        assert (zoned.normalized.text, zoned.normalized._deleted) == _plain(zoned.text)


_PUNCT = re.compile(r"[،؛.!؟?]")


def _plain_sentence_punctuation(page: str) -> list[int]:
    """The rule of _sentence_punctuation, written as a loop over every punctuation mark."""
    found = []
    n = len(page)
    for m in _PUNCT.finditer(page):
        i = m.start()
        ch = page[i]
        if ch in "،؛":
            found.append(i)
            continue
        if (i > 0 and page[i - 1] == ".") or (i + 1 < n and page[i + 1] == "."):
            continue
        j = i + 1
        while j < n and page[j] in " \t\u00a0":
            j += 1
        if (j > i + 1 and j < n and page[j] != "\n") or (ch == "." and (j >= n or page[j] == "\n")):
            found.append(i)
    return found


@given(st.text(alphabet=".!؟?،؛ \t\u00a0\n\rاب", max_size=40))
def test_sentence_punctuation_follows_the_rule(page) -> None:
    assert _sentence_punctuation(page) == _plain_sentence_punctuation(page)


def test_sentence_punctuation_on_the_seeds(seeds) -> None:
    for page in seeds.values():
        assert _sentence_punctuation(page) == _plain_sentence_punctuation(page)
