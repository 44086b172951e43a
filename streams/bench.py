"""Benchmarks (not tests): `raqib bench embedded` now; the streaming ones in `raqib bench stream`.

Machines here are noisy, so every figure that is compared is measured in the
same run, and reported as a ratio beside the raw numbers.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from agents.pipeline import Analyzer
from streams.pagegen import PageGenerator
from streams.records import RawArticle, Rejected


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def embedded(pages: int = 2000, warmup: int = 100) -> dict[str, Any]:
    """Pages/s of clean+classify and of the whole stateless pipeline, on one core, one run."""
    gen = PageGenerator()
    corpus = [RawArticle(id=i, text=t) for i, t in gen.pages(pages + warmup)]
    analyzer = Analyzer()
    analyzer.warm()
    from agents.clean import clean

    def clean_classify(raw: RawArticle) -> None:
        article = clean(raw)
        analyzer.classifier.classify(article.title, article.text)

    results: dict[str, Any] = {
        "pages": pages,
        "mean_page_bytes": statistics.mean(len(r.text.encode()) for r in corpus[warmup:]),  # type: ignore[union-attr]
    }
    for name, fn in (("clean+classify", clean_classify), ("full", analyzer.analyze)):
        for raw in corpus[:warmup]:
            try:
                fn(raw)
            except Rejected:
                pass
        latencies: list[float] = []
        rejected = 0
        began = time.perf_counter()
        for raw in corpus[warmup:]:
            t0 = time.perf_counter()
            try:
                fn(raw)
            except Rejected:
                rejected += 1
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - began
        results[name] = {
            "pages_per_s": pages / elapsed,
            "p50_ms": 1000 * _percentile(latencies, 0.5),
            "p99_ms": 1000 * _percentile(latencies, 0.99),
            "rejected": rejected,
        }
    results["full_vs_clean_classify"] = (
        results["full"]["pages_per_s"] / results["clean+classify"]["pages_per_s"]
    )
    return results
