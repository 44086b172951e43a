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
from datetime import datetime
from typing import Any

import orjson

from streams.records import ArticleResult, Event, RawArticle, Rejected, dumps

from .classify import Classifier
from .clean import clean_normalized
from .dedup import Entry, MemoryIndex, signature
from .extract import EventExtractor
from .incidents import Block, blocking_key
from .incidents.matching import file_article

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
            article, doc = clean_normalized(raw)  # the body normalised once, for both stages
        with timer("classify"):
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
    """All stages in one process, state in memory: `raqib process` and `raqib eval`.

    Articles are taken in input order (their ingest time: fetched_at, else the input
    position), through the same near-duplicate and incident logic as the streaming
    agents. Results come out when the input ends, so that a late duplicate notice or
    an incident merge can still correct an earlier article (the streaming path says
    the same on articles.duplicates and events.incidents).
    """

    analyzer: Analyzer = field(default_factory=Analyzer)
    dedup_threshold: float = 0.8
    dedup_window_s: float = 7 * 86400.0
    incident_window_s: float = 30 * 86400.0

    def run_outcomes(
        self, raws: Iterable[RawArticle]
    ) -> Iterator[tuple[RawArticle, ArticleResult | Rejected]]:
        """Each input with its result, or with the reason it was rejected (nothing is dropped)."""
        index = MemoryIndex(self.dedup_threshold, self.dedup_window_s)
        blocks: dict[str, Block] = {}
        merged_into: dict[str, str] = {}
        late: dict[str, tuple[tuple[float, str], str]] = {}  # copy -> (original key, original)
        originals: dict[str, tuple[float, str]] = {}  # article -> its original's key
        outcomes: list[tuple[RawArticle, ArticleResult | Rejected]] = []
        for position, raw in enumerate(raws):
            try:
                result = self.analyzer.analyze(raw)
            except Rejected as exc:
                outcomes.append((raw, exc))
                continue
            except Exception as exc:  # a bug: reported like the worker's dead letters
                outcomes.append((raw, Rejected("unexpected_error", f"{type(exc).__name__}: {exc}")))
                continue
            ts = ingest_seconds(raw.fetched_at, float(position))
            sig = signature(result.text)
            if sig is not None:
                decision = index.check(Entry(raw.id, ts, sig.array, sig.size), sig.bands())
                if decision.duplicate_of is not None:
                    result.duplicate_of = decision.duplicate_of.id
                    originals[raw.id] = (decision.duplicate_of.ts, decision.duplicate_of.id)
                for copy in decision.late:
                    if copy.id not in late or (ts, raw.id) < late[copy.id][0]:
                        late[copy.id] = ((ts, raw.id), raw.id)
            file_events(result, blocks, merged_into, ts, self.incident_window_s, self.big_city)
            outcomes.append((raw, result))
        for _, outcome in outcomes:
            if isinstance(outcome, ArticleResult):
                if outcome.id in late and (
                    outcome.id not in originals or late[outcome.id][0] < originals[outcome.id]
                ):
                    outcome.duplicate_of = late[outcome.id][1]
                for event in outcome.events:
                    event.incident_id = final_incident(event.incident_id, merged_into)
        yield from outcomes

    def big_city(self, name: str) -> bool:
        return self.analyzer.extractor.gazetteer.is_big_city(name)

    def run(self, raws: Iterable[RawArticle]) -> Iterator[ArticleResult]:
        for _, outcome in self.run_outcomes(raws):
            if isinstance(outcome, ArticleResult):
                yield outcome


def ingest_seconds(fetched_at: str | None, fallback: float) -> float:
    """An article's ingest time in epoch seconds: fetched_at when given, else `fallback`."""
    if fetched_at:
        try:
            return datetime.fromisoformat(fetched_at).timestamp()
        except ValueError:
            pass
    return fallback


def file_events(
    result: ArticleResult,
    blocks: dict[str, Block],
    merged_into: dict[str, str],
    now: float,
    window_s: float,
    big: Callable[[str], bool],
) -> None:
    """File an article's events into incidents (blocked by the first event's country) and
    set each event's incident_id; remember merges so earlier articles can follow them."""
    if not result.events:
        return
    records = [orjson.loads(dumps(e)) for e in result.events]
    key = blocking_key(records[0])
    block = blocks.setdefault(key, Block(key, big=big))
    filed = file_article(block, records, result.url, result.source, now, window_s)
    merged_into.update(filed.merged)
    for event, incident_id in zip(result.events, filed.incident_ids, strict=True):
        event.incident_id = incident_id


def final_incident(incident_id: str | None, merged_into: dict[str, str]) -> str | None:
    while incident_id in merged_into:
        incident_id = merged_into[incident_id]
    return incident_id
