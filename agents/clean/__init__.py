"""Clean stage: separate the article from the page around it (see zoning.py)."""

from __future__ import annotations

from agents.arabic import Normalized
from streams.records import CleanArticle, RawArticle, Rejected, Removed

from .html import html_to_text
from .zoning import zone_page


def clean(raw: RawArticle) -> CleanArticle:
    """The article body of a raw page, with every removed zone kept by kind."""
    return clean_normalized(raw)[0]


def clean_normalized(raw: RawArticle) -> tuple[CleanArticle, Normalized]:
    """`clean`, and the body's normalisation, which zoning cuts from the page's: classify
    and extract take it instead of normalising the body a second time."""
    title = raw.title
    if raw.text is not None:
        page = raw.text
    else:
        html_title, page = html_to_text(raw.html or "")
        title = title or html_title
    zoned = zone_page(page)
    text = zoned.text
    if not text.strip():
        kinds = sorted({kind for kind, _ in zoned.removed}) or ["nothing"]
        raise Rejected(
            "no_body", f"nothing is left of the page after cleaning ({', '.join(kinds)})"
        )
    article = CleanArticle(
        id=raw.id,
        title=(title or zoned.title),
        text=text,
        removed=[Removed(kind, removed) for kind, removed in zoned.removed],
        tweets=zoned.tweets,
    )
    return article, zoned.normalized
