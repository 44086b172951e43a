"""HTML to text: trafilatura does the extraction, then the page goes through the same zoning.

trafilatura (adbar/trafilatura) is the well-kept extractor for news pages; we
ask it for recall (keep more, our zoning removes the rest) and keep line
breaks between blocks, which zoning needs. Pages too big or too deeply nested
to parse safely are rejected before lxml sees them.
"""

from __future__ import annotations

import html as html_lib
import re

from streams.records import Rejected

MAX_TAGS = 50_000  # a real news page has a few thousand elements
MAX_DEPTH = 400  # lxml refuses deeper trees anyway; we say why instead

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]{0,15})\b[^<>]{0,4000}>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_BLOCK_BREAK = re.compile(r"(?i)<\s*(?:br|/p|/div|/li|/h[1-6]|/tr|/blockquote)\b[^>]{0,200}>")
_ANY_TAG = re.compile(r"<[^<>]{0,4000}>")


def check_complexity(html: str) -> None:
    """Reject HTML bombs: too many elements or nesting too deep (one linear pass)."""
    depth = tags = 0
    for m in _TAG.finditer(html):
        tags += 1
        if tags > MAX_TAGS:
            raise Rejected("html_too_complex", f"more than {MAX_TAGS} elements")
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group().endswith("/>")
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name not in _VOID:
            depth += 1
            if depth > MAX_DEPTH:
                raise Rejected("html_too_complex", f"elements nested deeper than {MAX_DEPTH}")


def _drop_blocks(html: str) -> str:
    """Remove <script>, <style> and <noscript> blocks, in one linear pass (str.find)."""
    lower = html.lower()
    out, pos = [], 0
    names = ("script", "style", "noscript")
    found = {t: lower.find(f"<{t}") for t in names}  # next opening of each, -1 when none left
    while True:
        for t in names:  # a name is searched again only once we are past its last opening
            if 0 <= found[t] < pos:
                found[t] = lower.find(f"<{t}", pos)
        open_at = [(i, t) for t, i in found.items() if i >= 0]
        if not open_at:
            break
        start, name = min(open_at)
        end = lower.find(f"</{name}", start)
        out.append(html[pos:start])
        if end < 0:
            pos = len(html)
            break
        close = lower.find(">", end)
        pos = len(html) if close < 0 else close + 1
    out.append(html[pos:])
    return " ".join(out)


def html_to_text(html: str) -> tuple[str | None, str]:
    """(title, text with one block per line) of an HTML page."""
    check_complexity(html)
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        favor_recall=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        deduplicate=False,
        with_metadata=True,
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if text:
        return getattr(doc, "title", None), str(text)
    # trafilatura found no main text (tiny or odd page): fall back to the tag-stripped page.
    text = _BLOCK_BREAK.sub("\n", _drop_blocks(html))
    text = html_lib.unescape(_ANY_TAG.sub(" ", text))
    return None, text
