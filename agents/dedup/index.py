"""The near-duplicate index: band buckets, and the decision both paths share.

An article's *key* is (ingest time, id): fetched_at, else the input's timestamp
(the Kafka message's in the stream; the input position in the embedded mode),
then the id to break ties. Of two near-copies the one with the smaller key is
the original. The streaming band agent keeps one `BandBucket` per band key in a
Faust table; the embedded mode keeps them in a dict (`MemoryIndex`): same code,
same decisions.

Because partitions are processed concurrently, a copy can reach a band bucket
before its original: then the *original* finds the copy as a candidate, and
`decide` says the copy is a late duplicate, announced on articles.duplicates
(compacted, keyed by article id: the latest notice per id is the truth).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .minhash import Signature, near_copy

BUCKET_LIMIT = 50  # entries kept per band bucket: stock phrases make some buckets popular
Key = tuple[float, str]  # (ingest time in seconds, article id)


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    ts: float
    values: tuple[int, ...]
    size: int

    @property
    def key(self) -> Key:
        return (self.ts, self.id)

    @property
    def signature(self) -> Signature:
        return Signature(self.values, self.size)


@dataclass(slots=True)
class Match:
    id: str
    ts: float
    similarity: float


def candidates(bucket: list[Entry], new: Entry, threshold: float) -> list[Match]:
    """Near-copies of `new` among a bucket's entries (itself excluded)."""
    found = []
    for entry in bucket:
        if entry.id == new.id:
            continue
        score = near_copy(new.signature, entry.signature, threshold)
        if score is not None:
            found.append(Match(entry.id, entry.ts, score))
    return found


def add(bucket: list[Entry], new: Entry, window_s: float) -> list[Entry]:
    """The bucket with `new` added (once), entries older than the window dropped, bounded."""
    kept = [e for e in bucket if e.id != new.id and new.ts - e.ts <= window_s]
    kept.append(new)
    kept.sort(key=lambda e: e.key)
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
    """The embedded mode's index: band buckets in a dict, articles in input order."""

    threshold: float
    window_s: float
    buckets: dict[str, list[Entry]] = field(default_factory=dict)

    def check(self, entry: Entry, bands: list[str]) -> Decision:
        matches: list[Match] = []
        for band in bands:
            bucket = self.buckets.get(band, [])
            matches.extend(candidates(bucket, entry, self.threshold))
            self.buckets[band] = add(bucket, entry, self.window_s)
        return decide(entry.key, matches)
