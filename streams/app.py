"""The Faust application: `create_app(settings)` builds it, agents plug into it.

Nothing here runs at import time: the app, its topics and its agents exist
only once `build_runtime` is called with settings (read once, in main()). The
`Runtime` is what each agent's `register` receives: the app, the topic
channels, the pure pipeline, the metrics and the dead-letter policy.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import faust
import orjson
from mode.utils.times import want_seconds
from prometheus_client import REGISTRY, CollectorRegistry

from agents.pipeline import Analyzer

from . import faust_fixes
from .connection import faust_credentials
from .deadletters import DeadLetters, StageFailed
from .lag import LAG_INTERVAL_S, LagCollector
from .metrics import Metrics, install_faust_sensor
from .records import Rejected
from .settings import Settings
from .topics import SPECS, Changelog, Topics, max_message_bytes

log = logging.getLogger(__name__)

IN_FLIGHT = 32  # messages an agent has handled whose sends the broker has not yet acked
SESSION_TIMEOUT_S = 10.0  # a worker silent this long leaves the group (its partitions move)

# Delivery futures of the sends made while handling the current input message.
_deliveries: contextvars.ContextVar[list[Any] | None] = contextvars.ContextVar(
    "deliveries", default=None
)


@dataclass
class Runtime:
    settings: Settings
    app: faust.App
    topics: Topics
    channels: dict[str, Any]  # base topic name -> faust Topic
    analyzer: Analyzer
    metrics: Metrics
    dead_letters: DeadLetters = field(init=False)

    def __post_init__(self) -> None:
        dlq = self.channels["articles.dlq"]

        async def send(key: bytes | None, value: bytes, headers: list[tuple[str, bytes]]) -> Any:
            return await dlq.send(key=key, value=value, headers=headers)

        self.dead_letters = DeadLetters(
            send,
            lambda stage, reason: self.metrics.dead_letters.labels(stage, reason).inc(),
            max_original_bytes=self.settings.max_message_bytes,
        )

    async def send(self, topic: str, key: bytes | None, value: bytes | None) -> None:
        """Produce to one of Raqib's topics without waiting for the broker's ack: `consume`
        acks the input once all of a message's sends are delivered."""
        channel = self.channels[topic]
        future = await channel.publish_message(
            channel.as_future_message(key=key, value=value), wait=False
        )
        deliveries = _deliveries.get()
        if deliveries is None:
            await future  # outside `consume`: wait now
        else:
            deliveries.append(future)

    async def consume(
        self, stream: Any, stage: str, handler: Callable[[Any], Awaitable[None]]
    ) -> None:
        """An agent's loop: handle each message of `stream`; ack it once its sends are
        delivered, or once it is a dead letter.

        Handling is pipelined: the next message is handled while the broker acknowledges
        the sends of earlier ones (up to IN_FLIGHT of them), so an agent does not wait a
        round trip per message and the producer sends full batches. Acks stay in stream
        order (one acker per agent), so Faust never commits past a message whose sends
        are not delivered: at-least-once, as if each message were awaited.
        """
        manual = stream.noack()
        in_flight: asyncio.Queue[tuple[Any, Awaitable[Any]]] = asyncio.Queue(IN_FLIGHT)

        async def acker() -> None:
            while True:
                event, delivered = await in_flight.get()
                try:
                    await delivered
                except Exception as exc:  # a send the broker refused: the input is dead
                    await self.dead_letters.send_or_exit(event.message, stage, exc)
                faust_fixes.handled(event.message)
                await manual.ack(event)

        acking = asyncio.ensure_future(acker())
        try:
            async for event in manual.events():
                if acking.done():  # only a failed dead letter ends it: see DeadLetters
                    acking.result()
                deliveries: list[Any] = []
                token = _deliveries.set(deliveries)
                try:
                    await self.dead_letters.guard(event.message, stage, handler)
                finally:
                    _deliveries.reset(token)
                await in_flight.put((event, asyncio.gather(*deliveries)))
        finally:
            acking.cancel()

    def changelogs(self) -> list[Changelog]:
        """The tables' changelog topics as Faust declares them (partitions, cleanup policy,
        retention), with the size limit of Raqib's topics: a state that passes `check_size`
        must not be refused (a changelog write the broker refuses stops the worker)."""
        found = []
        for table in self.app.tables.values():
            topic = table.changelog_topic
            configs = {"max.message.bytes": max_message_bytes(self.settings)}
            policy = [
                name
                for name, on in (("compact", topic.compacting), ("delete", topic.deleting))
                if on
            ]
            if policy:
                configs["cleanup.policy"] = ",".join(policy)
            if topic.retention:
                configs["retention.ms"] = str(int(want_seconds(topic.retention) * 1000))
            configs.update({key: str(value) for key, value in (topic.config or {}).items()})
            partitions = topic.partitions or self.settings.partitions
            found.append(Changelog(topic.get_topic_name(), partitions, configs))
        return found

    def derived_state(self) -> dict[Any, Any]:
        """A worker-local dict of what an agent derives from its tables (decoded, indexed),
        emptied whenever partitions move: rebuilt from the recovered tables when next used."""
        derived: dict[Any, Any] = {}

        async def forget(*args: Any, **kwargs: Any) -> None:
            derived.clear()

        self.app.on_partitions_revoked.connect(forget)
        self.app.on_partitions_assigned.connect(forget)
        return derived

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a stage into raqib_stage_seconds; tag its failures with the stage name."""
        began = time.perf_counter()
        try:
            yield
        except StageFailed:
            raise
        except Exception as exc:  # Rejected included: the dead letter names the stage
            raise StageFailed(name, exc) from exc
        finally:
            self.metrics.stage_seconds.labels(name).observe(time.perf_counter() - began)

    def check_size(self, payload: bytes, what: str) -> bytes:
        limit = 3 * self.settings.max_message_bytes
        if len(payload) > limit:
            raise Rejected("output_rejected", f"{what} is {len(payload)} bytes > {limit}")
        return payload

    async def emit_result(self, result: dict[str, Any], started_at: float | None) -> None:
        """Produce an ArticleResult (as it travelled between hops) and its events; count them.

        The last hop of every article: the near-duplicate index for articles without
        events, the incidents agent for the others.
        """
        result_bytes = self.check_size(orjson.dumps(result), "the ArticleResult")
        event_bytes = [(e["event_id"].encode(), orjson.dumps(e)) for e in result["events"]]
        await self.send("articles.classified", result["id"].encode(), result_bytes)
        for key, value in event_bytes:
            await self.send("events.security", key, value)
        self.observe_result(result, started_at)

    def observe_result(self, result: dict[str, Any], started_at: float | None) -> None:
        m = self.metrics
        m.results.labels(result["label"]).inc()
        for removed in result["removed"]:
            m.removed_chars.labels(removed["kind"]).inc(len(removed["text"]))
        for event in result["events"]:
            m.events.labels(event["type"]).inc()
            places = [p for p in event["places"] if p.get("lat") is not None]
            for place in places:  # gazetteer places only: a bounded label set
                m.event_places.labels(
                    place["name"], place["country"], f"{place['lat']:.4f}", f"{place['lon']:.4f}"
                ).inc()
            if not places:
                m.events_unresolved.labels("place").inc()
            if not event["date"]:
                m.events_unresolved.labels("date").inc()
        if started_at is not None:
            m.end_to_end_seconds.observe(max(0.0, time.time() - started_at))


def ingest_time(fetched_at: str | None, message_timestamp: float | None) -> float | None:
    """Start of the end-to-end clock: fetched_at when the scraper gave it, else the message time."""
    if fetched_at:
        try:
            return datetime.fromisoformat(fetched_at).timestamp()
        except ValueError:
            pass
    return message_timestamp


def _faust_app(settings: Settings) -> faust.App:
    brokers = [f"kafka://{host.strip()}" for host in settings.broker.split(",") if host.strip()]
    return faust.App(
        settings.app_id,
        broker=brokers,
        broker_credentials=faust_credentials(settings),
        store=settings.store,
        datadir=settings.data_dir,
        autodiscover=False,
        web_enabled=True,
        web_bind=settings.web_host,
        web_port=settings.web_port,
        web_host=settings.web_host,
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication,
        topic_allow_declare=True,
        processing_guarantee="at_least_once",
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        producer_max_request_size=3 * settings.max_message_bytes + 65536,
        # aiokafka keeps one produce request in flight per broker, and a request carries one
        # batch per partition: with the default 16 KB batches, one article per request on
        # dedup.index (one partition). 256 KB batches: drain rate 121-128 -> 145-153 pages/s.
        producer_max_batch_size=256 * 1024,
        consumer_max_fetch_size=4 * settings.max_message_bytes,
        # Offsets are committed by Faust's timer every second. Its count-based commit runs
        # inside the loop that hands fetched messages to the agents, so each one held every
        # agent up while the producer flushed (latency stalls of a second): never by count.
        broker_commit_every=2**31,
        # a crashed worker's partitions move after 10 s, not the default minute (heartbeats
        # run in the consumer thread, so a long message does not miss them)
        broker_session_timeout=SESSION_TIMEOUT_S,
        broker_heartbeat_interval=2.0,
        broker_commit_interval=1.0,
        table_cleanup_interval=60.0,
        table_standby_replicas=settings.standby_replicas,
        logging_config=None,
    )


def build_runtime(
    settings: Settings, analyzer: Analyzer | None = None, registry: CollectorRegistry = REGISTRY
) -> Runtime:
    """The app with its topics, metrics and agents registered (no I/O happens here)."""
    app = _faust_app(settings)
    topics = Topics(settings.topic_prefix)
    channels = {
        spec.base: app.topic(
            topics.name(spec.base),
            key_serializer="raw",
            value_serializer="raw",
            partitions=spec.partitions(settings),
        )
        for spec in SPECS
    }
    # Raqib's hops: written only by its own (non-transactional) producer, never compacted
    faust_fixes.apply(app, contiguous=[topics.name(s.base) for s in SPECS if s.internal])
    install_faust_sensor(app, registry)
    metrics = Metrics(registry)
    metrics.info.info({"app_id": settings.app_id, "topic_prefix": settings.topic_prefix or "-"})
    runtime = Runtime(settings, app, topics, channels, analyzer or Analyzer(), metrics)

    from agents.analyze import agent as analyze_agent
    from agents.dedup import agent as dedup_agent
    from agents.incidents import agent as incidents_agent

    analyze_agent.register(runtime)
    dedup_agent.register(runtime)
    incidents_agent.register(runtime)
    lag = LagCollector(settings, metrics)

    @app.timer(interval=LAG_INTERVAL_S)
    async def consumer_lag() -> None:
        await asyncio.get_running_loop().run_in_executor(None, lag.update)

    return runtime


def create_app(settings: Settings) -> faust.App:
    return build_runtime(settings).app
