"""The near-duplicate index: band buckets, and the decision both paths share.

An article's *key* is (ingest time, id): fetched_at, else the input's timestamp
(the Kafka message's in the stream; the input position in the embedded mode),
then the id to break ties. Of two near-copies the one with the smaller key is
the original. Both paths keep band buckets in one `MemoryIndex`: the embedded mode
in memory, the streaming index agent derived from its `dedup-signatures` table:
same code, same decisions.

Articles reach the index in arrival order, not key order (input partitions are read
concurrently, scrapers lag), so a copy can come before its original: then the
*original* finds the copy as a candidate, and
`decide` says the copy is a late duplicate, announced on articles.duplicates
(compacted, keyed by article id: the latest notice per id is the truth).
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .minhash import NUM_PERM, bands, near_copy_score

BUCKET_LIMIT = 50  # entries kept per band bucket: stock phrases make some buckets popular
Key = tuple[float, str]  # (ingest time in seconds, article id)


@dataclass(frozen=True, slots=True, eq=False)
class Entry:
    id: str
    ts: float
    array: np.ndarray = field(repr=False)  # the signature's values (uint32)
    size: int

    @property
    def key(self) -> Key:
        return (self.ts, self.id)


@dataclass(slots=True)
class Match:
    id: str
    ts: float
    similarity: float


def candidates(entries: list[Entry], new: Entry, threshold: float) -> list[Match]:
    """Near-copies of `new` among a bucket's entries (itself excluded)."""
    others = [entry for entry in entries if entry.id != new.id]
    if not others:
        return []
    agree = np.count_nonzero(np.stack([e.array for e in others]) == new.array, axis=1)
    found = []
    for entry, count in zip(others, agree.tolist(), strict=True):
        score = near_copy_score(count / NUM_PERM, new.size, entry.size, threshold)
        if score is not None:
            found.append(Match(entry.id, entry.ts, score))
    return found


def add(bucket: list[Entry], new: Entry, window_s: float) -> list[Entry]:
    """The bucket (in key order, as `add` leaves it) with `new` added, entries older than
    the window before it dropped, bounded to the latest BUCKET_LIMIT. In place."""
    stale = 0
    while stale < len(bucket) and new.ts - bucket[stale].ts > window_s:
        stale += 1
    del bucket[:stale]
    insort(bucket, new, key=_key)  # insert, not re-sort: 64 buckets an article
    del bucket[:-BUCKET_LIMIT]
    return bucket


def _key(entry: Entry) -> Key:
    return (entry.ts, entry.id)


@dataclass(slots=True)
class Decision:
    duplicate_of: Match | None  # the earliest near-copy before this article
    late: list[Match] = field(default_factory=list)  # later-keyed articles this one precedes


def decide(own: Key, matches: Iterable[Match]) -> Decision:
    """Duplicate of the earliest near-copy keyed before it; later-keyed ones are late copies."""
    unique = {m.id: m for m in matches}.values()
    earlier = sorted((m for m in unique if (m.ts, m.id) < own), key=lambda m: (m.ts, m.id))
    later = sorted((m for m in unique if (m.ts, m.id) > own), key=lambda m: (m.ts, m.id))
    return Decision(earlier[0] if earlier else None, later)


@dataclass
class MemoryIndex:
    """Band buckets and signatures in dicts: the embedded mode's index, and the streaming
    index agent's (derived from its table).

    Memory is what bounds the window (RAQIB_DEDUP_WINDOW_DAYS), so an article costs one
    Entry, referenced from each of its 64 buckets, and a bucket of one article (most
    are: a band is rarely shared but by copies and stock phrases) is that Entry itself,
    not a list: about 3 KB an article whose bands are all its own, against 11 KB when
    buckets held [id, ts] lists under string keys (and a look-up took 2.8 times as
    long). `expire` takes an article out of its buckets too: until 2026-12-01 it did
    not, and a bucket never met again kept its articles for the worker's lifetime.
    """

    threshold: float
    window_s: float
    buckets: dict[int, Entry | list[Entry]] = field(default_factory=dict)
    signatures: dict[str, Entry] = field(default_factory=dict)

    def check(self, entry: Entry, bands: list[int]) -> Decision:
        return decide(entry.key, self.look_up(entry, bands))

    def look_up(self, entry: Entry, bands: list[int]) -> list[Match]:
        """Near-copies of `entry` among the articles sharing a band with it within the window
        (whether or not `expire` ran since); then add it."""
        known: dict[str, Entry] = {}
        for band in bands:
            bucket = self.buckets.get(band)
            if bucket is None:
                continue
            if isinstance(bucket, Entry):
                known[bucket.id] = bucket
            else:
                for other in bucket:
                    known[other.id] = other
        known.pop(entry.id, None)  # redelivered: not its own copy
        near = [other for other in known.values() if abs(entry.ts - other.ts) <= self.window_s]
        self.add(entry, bands)
        return candidates(near, entry, self.threshold)

    def add(self, entry: Entry, bands: list[int]) -> None:
        old = self.signatures.get(entry.id)
        if old is not None:  # added again (redelivered): replaces itself
            self._take_out(old)
        self.signatures[entry.id] = entry
        buckets = self.buckets
        for band in bands:
            bucket = buckets.get(band)
            if bucket is None:
                buckets[band] = entry
            else:
                listed = [bucket] if isinstance(bucket, Entry) else bucket
                buckets[band] = add(listed, entry, self.window_s)

    def expire(self, now: float) -> list[str]:
        """Forget articles older than the window; return their ids."""
        old = [e for e in self.signatures.values() if now - e.ts > self.window_s]
        for entry in old:
            del self.signatures[entry.id]
            self._take_out(entry)
        return [entry.id for entry in old]

    def _take_out(self, entry: Entry) -> None:
        """Remove `entry` from its buckets (a bucket may have dropped it already)."""
        for band in bands(entry.array):
            bucket = self.buckets.get(band)
            if bucket is entry:
                del self.buckets[band]
            elif isinstance(bucket, list) and entry in bucket:
                bucket.remove(entry)
                if len(bucket) == 1:
                    self.buckets[band] = bucket[0]
