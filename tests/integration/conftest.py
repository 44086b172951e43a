"""A real Kafka broker for the whole session, and workers as child processes.

The broker is Apache Kafka started from Maven Central artifacts by the same
launcher as `raqib broker`, on free ports of 127.0.0.1; every test gets its own
topic prefix and consumer group, so tests never see each other's messages.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from kafka import KafkaConsumer, KafkaProducer

from streams.broker import LocalBroker, free_port
from streams.processes import WorkerProcess
from streams.settings import Settings
from streams.topics import Topics, ensure_topics

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    local = LocalBroker(
        port=free_port(), controller_port=free_port(), data_dir=tmp_path_factory.mktemp("kafka")
    )
    seconds = local.start()
    print(f"\nlocal Kafka ready in {seconds:.1f}s at {local.bootstrap}")
    yield local
    local.stop()


class Stack:
    """One isolated Raqib deployment on the shared broker: its own prefix and group."""

    def __init__(self, broker: LocalBroker, workdir: Path, **env: str) -> None:
        tag = uuid.uuid4().hex[:8]
        self.broker = broker
        self.workdir = workdir
        self.env = {
            "RAQIB_BROKER": broker.bootstrap,
            "RAQIB_TOPIC_PREFIX": f"t{tag}.",
            "RAQIB_APP_ID": f"raqib-{tag}",
            "RAQIB_PARTITIONS": "4",
            **env,
        }
        self.settings = Settings.from_env(self.env)
        self.topics = Topics(self.settings.topic_prefix)
        self.workers: list[WorkerProcess] = []
        ensure_topics(self.settings)

    def worker(self, **env: str) -> WorkerProcess:
        n = len(self.workers)
        worker = WorkerProcess(
            env={
                **self.env,
                "RAQIB_WEB_PORT": str(free_port()),
                "RAQIB_DATA_DIR": str(self.workdir / f"worker{n}"),
                **env,
            },
            log_path=self.workdir / f"worker{n}.log",
        ).start()
        self.workers.append(worker)
        return worker

    def produce(
        self, messages: Iterable[tuple[bytes | None, bytes]], topic: str = "articles.raw"
    ) -> int:
        producer = KafkaProducer(
            bootstrap_servers=self.broker.bootstrap, acks="all", max_request_size=16 * 1024 * 1024
        )
        count = 0
        for key, value in messages:
            producer.send(self.topics.name(topic), key=key, value=value)
            count += 1
        producer.flush()
        producer.close()
        return count

    def consume(
        self,
        topics: Iterable[str],
        until: Callable[[dict[str, list[Any]]], bool],
        timeout_s: float = 90.0,
    ) -> dict[str, list[Any]]:
        """Read topics from the beginning until `until(seen)` holds; values parsed as JSON."""
        reader = self.reader(topics)
        try:
            return reader.read(until, timeout_s)
        finally:
            reader.close()

    def reader(self, topics: Iterable[str]) -> Reader:
        return Reader(self.broker.bootstrap, {self.topics.name(t): t for t in topics})

    def changelog_reader(self, table: str) -> Reader:
        """A table's changelog (Faust names it after the app id, not the topic prefix)."""
        return Reader(self.broker.bootstrap, {f"{self.settings.app_id}-{table}-changelog": table})

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()


class Reader:
    """Reads topics from the beginning and keeps what it has seen across calls."""

    def __init__(self, bootstrap: str, names: dict[str, str]) -> None:
        self.names = names
        self.consumer = KafkaConsumer(
            *names,
            bootstrap_servers=bootstrap,
            group_id=None,
            auto_offset_reset="earliest",
            consumer_timeout_ms=1000,
            fetch_max_bytes=64 * 1024 * 1024,
            max_partition_fetch_bytes=16 * 1024 * 1024,
        )
        self.seen: dict[str, list[Any]] = {t: [] for t in names.values()}

    def read(
        self, until: Callable[[dict[str, list[Any]]], bool], timeout_s: float = 90.0
    ) -> dict[str, list[Any]]:
        """Read on until `until(seen)` holds or the time is up; return everything seen."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and not until(self.seen):
            try:
                for record in self.consumer:
                    value = orjson.loads(record.value) if record.value is not None else None
                    self.seen[self.names[record.topic]].append(
                        (record.key, value, dict(record.headers or []))
                    )
                    if until(self.seen) or time.monotonic() > deadline:
                        break
            except Exception:  # the broker is restarting (fault tests): read on
                time.sleep(0.5)
        return self.seen

    def close(self) -> None:
        self.consumer.close()


@pytest.fixture
def stack(broker: LocalBroker, tmp_path: Path) -> Iterator[Callable[..., Stack]]:
    made: list[Stack] = []

    def make(on: LocalBroker | None = None, **env: str) -> Stack:
        """A stack on the session broker, or on another one (`on`, for fault tests)."""
        s = Stack(on or broker, tmp_path, **env)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()
