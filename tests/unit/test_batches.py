"""Batches on the internal hops: partitions as Kafka's partitioner, size-bounded runs."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import orjson
from aiokafka.partitioner import DefaultPartitioner
from faust.streams import current_event
from prometheus_client import CollectorRegistry

from streams.app import build_runtime, each
from streams.batches import chunks, json_list, partition_for
from streams.settings import Settings


def test_partition_for_is_kafkas_default_partitioner() -> None:
    partitioner = DefaultPartitioner()
    for n in (1, 2, 8, 13):
        for i in range(300):
            key = f"article-{i}".encode()
            assert partition_for(key, n) == partitioner(key, list(range(n)), list(range(n)))


def test_chunks_keep_order_and_stay_under_the_limit() -> None:
    items = [b"x" * size for size in (3, 4, 2, 9, 1, 1, 12, 5)]
    runs = chunks(items, 8, len)
    assert [item for run in runs for item in run] == items
    for run in runs:
        assert sum(map(len, run)) <= 8 or len(run) == 1  # an oversized item goes alone
    assert [len(run) for run in runs] == [2, 1, 1, 2, 1, 1]
    assert chunks([], 8, len) == []


def test_json_list_joins_serialised_values() -> None:
    values = [{"a": 1}, [2, "ب"], None]
    assert orjson.loads(json_list([orjson.dumps(v) for v in values])) == values
    assert orjson.loads(json_list([])) == []


class _Event:  # what the agents read of a Faust event (which tables reference weakly)
    def __init__(self, message: Any) -> None:
        self.message = message


def _event(offset: int, value: bytes) -> Any:
    message = SimpleNamespace(
        value=value, key=b"k", topic="articles.raw", partition=0, offset=offset, timestamp=1.0
    )
    return _Event(message)


def test_a_failing_batch_is_handled_one_by_one_and_only_the_bad_message_is_a_dead_letter() -> None:
    rt = build_runtime(Settings(store="memory://"), registry=CollectorRegistry())
    letters: list[dict[str, Any]] = []

    async def send(*, key: Any = None, value: Any = None, **_: Any) -> None:
        letters.append(orjson.loads(value))

    rt.channels["articles.dlq"].send = send  # type: ignore[method-assign]
    handled: list[list[int]] = []

    async def handler(events: list[Any]) -> None:
        offsets = [message.offset for message in each(events)]
        handled.append(offsets)
        if any(event.message.value == b"bad" for event in events):
            raise RuntimeError("cannot handle this one")

    events = [_event(0, b"good"), _event(1, b"bad"), _event(2, b"good")]
    asyncio.run(rt.process_batch(events, "analyze", handler))
    assert handled == [[0, 1, 2], [0], [1], [2]]  # the batch, then each alone
    (letter,) = letters
    assert letter["offset"] == 1 and letter["reason"] == "unexpected_error"
    assert letter["stage"] == "analyze"


def test_each_makes_every_message_fausts_current_event_in_turn() -> None:
    events = [_event(n, b"x") for n in range(3)]
    seen = []
    for message in each(events):
        current = current_event()
        assert current is not None
        seen.append((message.offset, current.message.offset))
    assert seen == [(0, 0), (1, 1), (2, 2)]
    assert current_event() is None  # cleared after the batch
