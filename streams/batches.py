"""Batches on the internal hops: many articles per Kafka message.

A Faust message costs a worker a few milliseconds (consume, ack, commit, changelog),
far more than the work most hops do with it (a band look-up is 0.08 ms). So each
agent takes what is waiting in its topic at once (`Stream.take_events`, up to
RAQIB_BATCH_MAX messages or RAQIB_BATCH_WAIT_MS), and the analyze agent sends a
batch's articles on together: one message per dedup.gather partition and one per
dedup.bands partition, instead of one per article and partition.

A batch bound for dedup.gather holds only articles that Kafka's own partitioner
would have sent to that partition, so per-article state (the `dedup-decided`
table, late corrections keyed by article id) stays where it always was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from aiokafka.partitioner import murmur2

T = TypeVar("T")


def partition_for(key: bytes, partitions: int) -> int:
    """The partition Kafka's default partitioner (murmur2, as the Java client) gives `key`."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions


def chunks(items: Iterable[T], limit: int, size: Callable[[T], int]) -> list[list[T]]:
    """Consecutive runs of `items` whose sizes (in bytes, by `size`) add up to at most
    `limit` (an item larger than `limit` goes alone): each run fits in one message."""
    runs: list[list[T]] = []
    total = 0
    for item in items:
        n = size(item)
        if not runs or (total + n > limit and runs[-1]):
            runs.append([])
            total = 0
        runs[-1].append(item)
        total += n
    return runs


def json_list(items: list[bytes]) -> bytes:
    """A JSON array of already-serialised values, without parsing them again."""
    return b"[" + b",".join(items) + b"]"
