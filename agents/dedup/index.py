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

from .minhash import NUM_PERM, near_copy_score

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


Pair = list  # [article id, ingest time]: what a band bucket stores (signatures are kept apart)


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


def _order(pair: Pair) -> Key:
    return (pair[1], pair[0])


def add(bucket: list[Pair], new: Entry, window_s: float) -> list[Pair]:
    """The bucket (in key order, as `add` leaves it) with `new` added once, entries older
    than the window dropped, bounded to the latest BUCKET_LIMIT."""
    kept = [p for p in bucket if p[0] != new.id and new.ts - p[1] <= window_s]
    insort(kept, [new.id, new.ts], key=_order)  # insert, not re-sort: 64 buckets an article
    return kept[-BUCKET_LIMIT:]


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
    """The embedded mode's index: the streaming layout (band buckets of [id, ts] pairs,
    signatures apart) in dicts, articles in input order."""

    threshold: float
    window_s: float
    buckets: dict[str, list[Pair]] = field(default_factory=dict)
    signatures: dict[str, Entry] = field(default_factory=dict)

    def check(self, entry: Entry, bands: list[str]) -> Decision:
        return decide(entry.key, self.look_up(entry, bands))

    def look_up(self, entry: Entry, bands: list[str]) -> list[Match]:
        """Near-copies of `entry` among the articles sharing a band with it within the window
        (whether or not `expire` ran since); then add it."""
        known: dict[str, Entry] = {}
        for band in bands:
            for article_id, ts in self.buckets.get(band, []):
                if (
                    article_id not in known
                    and article_id in self.signatures
                    and abs(entry.ts - ts) <= self.window_s
                ):
                    known[article_id] = self.signatures[article_id]
        self.add(entry, bands)
        return candidates(list(known.values()), entry, self.threshold)

    def add(self, entry: Entry, bands: list[str]) -> None:
        self.signatures[entry.id] = entry
        for band in bands:
            self.buckets[band] = add(self.buckets.get(band, []), entry, self.window_s)

    def expire(self, now: float) -> list[str]:
        """Forget articles older than the window; return their ids."""
        old = [i for i, e in self.signatures.items() if now - e.ts > self.window_s]
        for article_id in old:
            del self.signatures[article_id]
        return old
