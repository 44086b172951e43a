"""Realistic scraped pages for benchmarks and load tests, generated from the seeds.

Each page is composed the way scraped pages are: a ticker of headlines (one
line glued by spaces, one per line, or time-stamped), some page furniture, a
title, an article body, sometimes an embedded tweet, furniture again, and
sometimes a related-news tail. Bodies come from the seed articles (security)
and from the team's synthetic training texts (mostly unrelated), with numbers
and places varied, so no two pages are the same. Deterministic for a given
seed number; sizes fall in [min_bytes, max_bytes].
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

import orjson

from agents.clean.zoning import zone_page

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TRAIN = ROOT / "agents" / "classify" / "data" / "train.jsonl"

FURNITURE = (
    "أضف تعليقاً",
    "حجم الخط:",
    "شارك الخبر :",
    "- إشهار -",
    "زر الذهاب إلى الأعلى",
    "تابعونا على فيسبوك",
    "اترك تعليقاً",
    "لن يتم نشر عنوان بريدك الإلكتروني.",
    "شكرا على الإبلاغ!",
    "انقر هنا لقراءة الخبر من مصدره.",
)
PLACES = ("طنجة", "فاس", "مكناس", "وجدة", "أكادير", "تطوان", "الناظور", "مراكش", "سلا", "تيفلت")
_NUMBER = re.compile(r"\d+")


class PageGenerator:
    def __init__(self, min_bytes: int = 5_000, max_bytes: int = 20_000) -> None:
        self.min_bytes = min_bytes
        self.max_bytes = max_bytes

    @cached_property
    def _parts(self) -> tuple[list[str], list[list[str]], list[list[str]]]:
        headlines: list[str] = []
        security: list[list[str]] = []
        for path in sorted(SEEDS.glob("*.txt")):
            zoned = zone_page(path.read_text(encoding="utf-8"))
            security.append([seg.text for seg in zoned.body])
            for kind, text in zoned.removed:
                if kind == "ticker":
                    headlines.extend(h for h in text.split("\n") if 3 <= len(h.split()) <= 20)
        others: list[list[str]] = []
        for line in TRAIN.read_bytes().splitlines():
            row = orjson.loads(line)
            if row["length"] == "article":
                others.append(re.split(r"(?<=[.!؟])\s+", row["text"]))
            elif row["length"] == "headline":
                headlines.append(row["text"])
        return headlines, security, others

    def page(self, n: int) -> str:
        rng = random.Random(n)
        headlines, security, others = self._parts
        body_source = rng.choice(security if rng.random() < 0.4 else others)
        ticker = rng.sample(headlines, k=min(len(headlines), rng.randint(8, 40)))
        style = rng.randrange(3)
        if style == 0:
            top = ["\u00a0\u00a0\u00a0\u00a0".join(ticker)]
        elif style == 1:
            top = ticker
        else:
            top = [f"{rng.randint(7, 23):02d}:{rng.randint(0, 59):02d}{h}" for h in ticker]
        parts = [*top, "", rng.choice(FURNITURE), "", rng.choice(headlines), ""]
        body: list[str] = []
        size = sum(len(p.encode()) for p in parts)
        target = rng.randint(self.min_bytes, self.max_bytes)
        while size < target - 1500:  # furniture and tail come after the body
            paragraph = self._vary(rng, rng.choice(body_source))
            body.append(paragraph)
            size += len(paragraph.encode()) + 1
        if rng.random() < 0.3:
            body.insert(1, f"صور من عين المكان. pic.twitter.com/{rng.randrange(16**8):08x}")
            body.insert(2, f"— MAP (@MAP_Info) February {rng.randint(1, 28)}, 2025")
        parts += [*body, "", rng.choice(FURNITURE), rng.choice(FURNITURE)]
        if rng.random() < 0.4:
            parts += ["", "أخبار ذات صلة", ""] + [self._vary(rng, p) for p in rng.choice(others)]
        page = "\n".join(parts)
        while len(page.encode()) > self.max_bytes:
            page = page[: int(len(page) * 0.95)]
        return page

    def _vary(self, rng: random.Random, text: str) -> str:
        text = _NUMBER.sub(lambda m: str(rng.randint(2, 99)), text)
        for place in PLACES:
            if place in text and rng.random() < 0.5:
                text = text.replace(place, rng.choice(PLACES))
        return text

    def pages(self, count: int, start: int = 0) -> Iterator[tuple[str, str]]:
        """(article id, page text) pairs."""
        for n in range(start, start + count):
            yield f"page-{n:07d}", self.page(n)
