"""Batches on the internal hops: partitions as Kafka's partitioner, size-bounded runs."""

from __future__ import annotations

import orjson
from aiokafka.partitioner import DefaultPartitioner

from streams.batches import chunks, json_list, partition_for


def test_partition_for_is_kafkas_default_partitioner() -> None:
    partitioner = DefaultPartitioner()
    for n in (1, 2, 8, 13):
        for i in range(300):
            key = f"article-{i}".encode()
            assert partition_for(key, n) == partitioner(key, list(range(n)), list(range(n)))


def test_chunks_keep_order_and_stay_under_the_limit() -> None:
    items = [b"x" * size for size in (3, 4, 2, 9, 1, 1, 12, 5)]
    runs = chunks(items, 8)
    assert [item for run in runs for item in run] == items
    for run in runs:
        assert sum(map(len, run)) <= 8 or len(run) == 1  # an oversized item goes alone
    assert [len(run) for run in runs] == [2, 1, 1, 2, 1, 1]
    assert chunks([], 8) == []


def test_json_list_joins_serialised_values() -> None:
    values = [{"a": 1}, [2, "ب"], None]
    assert orjson.loads(json_list([orjson.dumps(v) for v in values])) == values
    assert orjson.loads(json_list([])) == []
