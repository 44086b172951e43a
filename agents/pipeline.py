"""The pure stages composed in-process: the embedded mode, and the streaming reference.

`Analyzer.analyze` runs the stateless stages (clean -> classify -> extract)
on one RawArticle; the streaming `analyze` agent calls exactly this, so the
two paths cannot drift. `Embedded` adds the stateful stages (near-duplicates,
incidents) with in-memory state, in input order: what `raqib process` prints.
Stages know nothing of Kafka or Prometheus; the caller may pass a `timer`
(stage name -> context manager) to measure them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from streams.records import ArticleResult, Event, RawArticle, Rejected

from .arabic import Normalized
from .classify import Classifier
from .clean import clean
from .extract import EventExtractor

Timer = Callable[[str], AbstractContextManager[object]]


def _no_timer(stage: str) -> AbstractContextManager[object]:
    return contextlib.nullcontext()


@dataclass
class Analyzer:
    classifier: Classifier = field(default_factory=Classifier)
    extractor: EventExtractor = field(default_factory=EventExtractor)

    def warm(self) -> None:
        """Load lexicons, model and gazetteer now, so the first message is not slow."""
        _ = self.classifier.matcher
        self.extractor.warm()

    def analyze(self, raw: RawArticle, timer: Timer = _no_timer) -> ArticleResult:
        with timer("clean"):
            article = clean(raw)
        with timer("classify"):
            doc = Normalized(article.text)  # normalised once for both stages
            verdict = self.classifier.classify(article.title, article.text, doc.text)
        events: list[Event] = []
        background: list[dict[str, Any]] = []
        if verdict.label == "security":
            with timer("extract"):
                events, background = self.extractor.extract(article, raw.published_at, doc)
        return ArticleResult(
            id=raw.id,
            label=verdict.label,
            score=verdict.score,
            title=article.title,
            text=article.text,
            removed=article.removed,
            events=events,
            reasons=verdict.reasons,
            background=background,
            url=raw.url,
            source=raw.source,
            published_at=raw.published_at,
        )


@dataclass
class Embedded:
    """All stages in one process, state in memory: `raqib process` and `raqib eval`."""

    analyzer: Analyzer = field(default_factory=Analyzer)

    def run_outcomes(
        self, raws: Iterable[RawArticle]
    ) -> Iterator[tuple[RawArticle, ArticleResult | Rejected]]:
        """Each input with its result, or with the reason it was rejected (nothing is dropped)."""
        for raw in raws:
            try:
                yield raw, self.analyzer.analyze(raw)
            except Rejected as exc:
                yield raw, exc
            except Exception as exc:  # a bug: reported like the worker's dead letters
                yield raw, Rejected("unexpected_error", f"{type(exc).__name__}: {exc}")

    def run(self, raws: Iterable[RawArticle]) -> Iterator[ArticleResult]:
        for _, outcome in self.run_outcomes(raws):
            if isinstance(outcome, ArticleResult):
                yield outcome
