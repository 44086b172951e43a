"""Fuzzed input messages mixed into valid traffic, each with the outcome it must have.

Every message is (key, value, expected) where expected is either the set of dead-letter
reasons it may end with, or RESULT when it must be processed into an ArticleResult (noisy
but valid pages: control characters and bidi marks sprinkled in), or ANY when a random
generator may have made something valid (short random bytes that happen to be UTF-8).
Deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import orjson

from streams.pagegen import PageGenerator

RESULT = frozenset({"result"})
ANY = frozenset({"result", "*"})

_CONTROLS = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x9B)]
# the controls that are not line breaks (\x0b, \x0c, \x1c-\x1e become newlines: structure)
_INLINE_CONTROLS = [c for c in _CONTROLS if c not in "\x0b\x0c\x1c\x1d\x1e"]
_BIDI = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
         "\u2068", "\u2069", "\u061c"]  # fmt: skip
_ARTICLE = (
    "أعلنت السلطات الأمنية في مدينة فاس توقيف ثلاثة أشخاص يشتبه في تورطهم في سرقة محلات تجارية، "
    "وحجزت بحوزتهم أسلحة بيضاء ومبالغ مالية، وأحيلوا على النيابة العامة المختصة."
)


def _sprinkle(rng: random.Random, text: str, marks: list[str], share: float) -> str:
    out = []
    for ch in text:
        out.append(ch)
        if rng.random() < share:
            out.append(rng.choice(marks))
    return "".join(out)


class Fuzzer:
    def __init__(self, seed: int = 7, max_bytes: int = 200_000) -> None:
        self.rng = random.Random(seed)
        self.max_bytes = max_bytes
        self.pages = PageGenerator()

    # each maker returns (value, expected reasons)
    def random_bytes(self, n: int) -> tuple[bytes, frozenset[str]]:
        value = self.rng.randbytes(self.rng.randint(1, 3000))
        try:
            value.decode("utf-8")
            return value, ANY
        except UnicodeDecodeError:
            return value, frozenset({"invalid_utf8"})

    def truncated_utf8(self, n: int) -> tuple[bytes, frozenset[str]]:
        encoded = _ARTICLE.encode()
        cut = self.rng.randrange(3, len(encoded) // 2) * 2 + 1  # inside a 2-byte Arabic letter
        value = encoded[:cut]
        if self.rng.random() < 0.5:
            value = orjson.dumps({"id": f"fz{n}", "text": "x"})[:-3] + value + b'"}'
        try:
            value.decode("utf-8")
            value += b"\xd8"
        except UnicodeDecodeError:
            pass
        return value, frozenset({"invalid_utf8"})

    def deep_json(self, n: int) -> tuple[bytes, frozenset[str]]:
        depth = self.rng.randint(1_100, 60_000)
        if self.rng.random() < 0.5:
            value = b"[" * depth + b"]" * depth
        else:
            nested = b'{"a":' * depth + b"1" + b"}" * depth
            value = b'{"id": "fz%d", "text": "%s", "extra": %s}' % (n, _ARTICLE.encode(), nested)
        return value, frozenset({"too_large" if len(value) > self.max_bytes else "invalid_json"})

    def huge_field(self, n: int) -> tuple[bytes, frozenset[str]]:
        size = self.rng.randint(self.max_bytes + 1, 3 * self.max_bytes)
        field = self.rng.choice(["text", "title", "html", "url"])
        article = {"id": f"fz{n}", "text": _ARTICLE, field: "ك" * (size // 2)}
        return orjson.dumps(article), frozenset({"too_large"})

    def html_bomb(self, n: int) -> tuple[bytes, frozenset[str]]:
        kind = self.rng.choice(["deep", "wide", "mixed"])
        if kind == "deep":
            depth = self.rng.randint(500, 20_000)
            html = "<div>" * depth + _ARTICLE + "</div>" * depth
        elif kind == "wide":
            html = "<p>ك</p>" * self.rng.randint(51_000, 60_000)
        else:
            html = "<span><b>" * self.rng.randint(300, 5_000) + _ARTICLE
        value = orjson.dumps({"id": f"fz{n}", "html": html})
        if len(value) > self.max_bytes:
            return value, frozenset({"too_large"})
        return value, frozenset({"html_too_complex"})

    def wrong_shape(self, n: int) -> tuple[bytes, frozenset[str]]:
        choice = self.rng.randrange(9)
        cases: list[tuple[bytes, str]] = [
            (b"", "empty_message"),
            (b" \n\t  \r\n ", "empty_text"),
            ("".join(self.rng.choices(_CONTROLS, k=50)).encode(), "empty_text"),
            (b"12345 67890 !!! ... ???", "no_text_content"),
            (orjson.dumps([1, {"text": "ا"}]), "not_an_article"),
            (orjson.dumps({"id": f"fz{n}", "text": self.rng.randint(0, 9)}), "wrong_type"),
            (
                orjson.dumps({"id": f"fz{n}", "text": _ARTICLE, "published_at": "غدا"}),
                "invalid_date",
            ),
            (orjson.dumps({"id": f"fz{n}", "url": "https://example.org/a"}), "missing_text"),
            (b'{"id": "broken", "text": "' + _ARTICLE.encode() + b'", ', "invalid_json"),
        ]
        value, reason = cases[choice]
        return value, frozenset({reason})

    def noisy_article(self, n: int) -> tuple[bytes, frozenset[str]]:
        text = _sprinkle(self.rng, _ARTICLE, _INLINE_CONTROLS + _BIDI, 0.05)
        return orjson.dumps({"id": f"fz{n}", "text": text, "title": "\u202eعنوان\x00"}), RESULT

    def valid_page(self, n: int) -> tuple[bytes, frozenset[str]]:
        (_, text), *_ = self.pages.pages(1, start=n)
        return orjson.dumps({"id": f"fz{n}", "text": text}), RESULT

    def messages(
        self, count: int, valid_share: float = 0.15
    ) -> Iterator[tuple[bytes, bytes, frozenset[str]]]:
        """`count` messages, `valid_share` of them generated pages, the rest fuzz."""
        makers = [
            (self.random_bytes, 25),
            (self.truncated_utf8, 15),
            (self.deep_json, 8),
            (self.huge_field, 1),
            (self.html_bomb, 3),
            (self.wrong_shape, 25),
            (self.noisy_article, 23),
        ]
        weights = [w for _, w in makers]
        for n in range(count):
            if self.rng.random() < valid_share:
                make = self.valid_page
            else:
                make = self.rng.choices([m for m, _ in makers], weights)[0]
            value, expected = make(n)
            yield f"fz{n}".encode(), value, expected
