"""Wires the near-duplicate index to Kafka: every article through one index, then on.

dedup.index (one partition: whatever its id, an article must meet its copies)
  -> `index`: the analysed article arrives with its MinHash signature; its bands are
     looked up in the index, it is added, and the earliest near-copy keyed before it
     becomes its duplicate_of, announced on articles.duplicates; so is every late
     decision (an earlier-keyed article that found this one after it was decided) that
     names an earlier original than the one announced, so the latest notice per article
     is always its earliest original. Then on to the incidents hop (or out, when the
     article has no events).

One partition, because an index partitioned by band would see every article in every
partition (64 bands fall in all of them): more partitions only added messages. And the
article travels with its signature, because a gather holding it until the band replies
came back cost about twice the messages (see README, Performance).

State: `dedup-signatures` (article id -> signature, shingle count, time, and the earliest
original announced) is the durable index, one small changelog record per article, written
again when a late decision improves its original; the band buckets and the originals are
derived from it in memory (a MemoryIndex, as the embedded mode's), rebuilt after a
rebalance, and entries older than RAQIB_DEDUP_WINDOW_DAYS are dropped from both.

Until 2026-12-01 decisions went through one more hop, `dedup.notices` partitioned by
article id, to a `dedup-decided` table that kept the earliest original per article: a
remnant of the scatter-gather, when decisions came from several band partitions. They all
come from this one agent now, in order, so it keeps the originals itself: for each
near-copy (two thirds of the generated pages), a message, a dispatch and a table write
fewer (worker CPU per page 3.82 -> 3.65 ms, medians of 5 alternating drains).
"""

from __future__ import annotations

from typing import Any

import orjson

from agents.incidents.agent import file_or_emit
from streams.app import Runtime
from streams.records import DuplicateNotice, dumps

from .index import Entry, Match, MemoryIndex, decide
from .minhash import bands, unpack

EXPIRE_EVERY_S = 3600.0  # stream time between two expiries of the index


def register(rt: Runtime) -> Any:
    settings = rt.settings
    signatures = rt.app.Table("dedup-signatures", default=dict, partitions=1)
    # The index and the earliest original announced per article, derived from `signatures`
    derived: dict[str, Any] = rt.derived_state()
    last_expiry: dict[str, float] = {}

    def state() -> tuple[MemoryIndex, dict[str, Match]]:
        if "index" not in derived:
            index = MemoryIndex(settings.dedup_threshold, settings.dedup_window_days * 86400.0)
            originals: dict[str, Match] = {}
            for article_id, record in list(signatures.items()):
                if record:
                    entry = Entry(article_id, record["ts"], unpack(record["v"]), record["n"])
                    index.add(entry, bands(entry.array))
                    if "o" in record:
                        originals[article_id] = Match(*record["o"])
            derived["index"], derived["originals"] = index, originals
        return derived["index"], derived["originals"]

    def expire(index: MemoryIndex, originals: dict[str, Match], now: float) -> None:
        if now - last_expiry.setdefault("at", now) < EXPIRE_EVERY_S:
            return
        last_expiry["at"] = now
        for article_id in index.expire(now):
            signatures.pop(article_id, None)
            originals.pop(article_id, None)

    async def look_up(message: Any) -> None:
        item = orjson.loads(message.value)
        result = item["result"]
        entry = Entry(result["id"], item["ts"], unpack(item["sig"]), item["size"])
        notices: list[tuple[str, Match]] = []  # articles given an earlier original
        try:
            with rt.stage("dedup"):
                index, originals = state()
                decision = decide(entry.key, index.look_up(entry, bands(entry.array)))
                first = decision.duplicate_of
                if first is not None and earlier(first, originals.get(entry.id)):
                    originals[entry.id] = first
                    notices.append((entry.id, first))
                original = originals.get(entry.id)  # a redelivered article keeps its own
                signatures[entry.id] = stored(item["sig"], entry.size, entry.ts, original)
                for copy in decision.late:  # later-keyed copies learn of their original
                    found = Match(entry.id, entry.ts, copy.similarity)
                    kept = signatures.get(copy.id)
                    if kept and earlier(found, originals.get(copy.id)):
                        originals[copy.id] = found
                        signatures[copy.id] = stored(kept["v"], kept["n"], kept["ts"], found)
                        notices.append((copy.id, found))
                expire(index, originals, entry.ts)
        except Exception as exc:  # degrade, don't drop: the article goes on undeduplicated
            derived.clear()  # read again as stored, not half-decided
            await rt.dead_letters.send(message, "dedup", exc)
            notices, original = [], None
        result["duplicate_of"] = original.id if original else None
        for article_id, announced in notices:
            await announce(article_id, announced)
        await file_or_emit(rt, result, item["ts"], item["started"])

    async def announce(article_id: str, original: Match) -> None:
        record = DuplicateNotice(article_id, original.id, original.similarity)
        await rt.send("articles.duplicates", article_id.encode(), dumps(record))
        rt.metrics.duplicates.inc()

    @rt.app.agent(rt.channels["dedup.index"], name="dedup-index", concurrency=1)
    async def index_agent(stream: Any) -> None:
        await rt.consume(stream, "dedup", look_up)

    return index_agent


def earlier(found: Match, known: Match | None) -> bool:
    """Whether `found` is an earlier-keyed original than the one known (if any)."""
    return known is None or (found.ts, found.id) < (known.ts, known.id)


def stored(sig: str, size: int, ts: float, original: Match | None) -> dict[str, Any]:
    """An article's `dedup-signatures` record: its packed signature, shingle count, time
    and the earliest original announced for it."""
    record: dict[str, Any] = {"v": sig, "n": size, "ts": ts}
    if original is not None:
        record["o"] = [original.id, original.ts, original.similarity]
    return record
