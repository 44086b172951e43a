"""Wires the near-duplicate index to Kafka: every article through one index, then on.

dedup.index (one partition: whatever its id, an article must meet its copies)
  -> `index`: the analysed article arrives with its MinHash signature; its bands are
     looked up in the index, it is added, and the earliest near-copy keyed before it
     becomes its duplicate_of; then on to the incidents hop (or out, when it has no events).
dedup.notices (partitioned by article id)
  -> `notices`: every near-duplicate decision, and every late one (an earlier-keyed
     article that found this one after it was decided), so that the latest notice per
     article on articles.duplicates is always its earliest original.

One partition, because an index partitioned by band would see every article in every
partition (64 bands fall in all of them): more partitions only added messages. And the
article travels with its signature, because a gather holding it until the band replies
came back cost about twice the messages (see README, Performance).

State: `dedup-signatures` (article id -> signature, shingle count, time) is the durable
index, one small changelog record per article; the band buckets are derived from it in
memory (a MemoryIndex, as the embedded mode's), rebuilt after a rebalance, and entries
older than RAQIB_DEDUP_WINDOW_DAYS are dropped from both. `dedup-decided` holds the earliest
original announced per article.
"""

from __future__ import annotations

from typing import Any

import orjson

from agents.incidents.agent import file_or_emit
from streams.app import Runtime
from streams.records import DuplicateNotice, dumps

from .index import Decision, Entry, Match, MemoryIndex, decide
from .minhash import bands, unpack

DAY = 86400.0
EXPIRE_EVERY_S = 3600.0  # stream time between two expiries of the index


def register(rt: Runtime) -> tuple[Any, Any]:
    settings = rt.settings
    window_days = settings.dedup_window_days
    window_s = window_days * DAY
    expires = (window_days + 1) * DAY
    signatures = rt.app.Table("dedup-signatures", default=dict, partitions=1)
    derived: dict[str, MemoryIndex] = rt.derived_state()  # the index, from `signatures`
    last_expiry: dict[str, float] = {}
    decided = (  # article id -> [original id, original ts, similarity]: the earliest so far
        rt.app.Table("dedup-decided", default=list, partitions=settings.partitions)
        .tumbling(DAY, expires=expires)
        .relative_to_stream()
    )

    def the_index() -> MemoryIndex:
        index = derived.get("index")
        if index is None:
            index = derived["index"] = MemoryIndex(settings.dedup_threshold, window_s)
            for article_id, stored in list(signatures.items()):
                if stored:
                    entry = Entry(article_id, stored["ts"], unpack(stored["v"]), stored["n"])
                    index.add(entry, bands(entry.array))
        return index

    def expire(index: MemoryIndex, now: float) -> None:
        if now - last_expiry.setdefault("at", now) < EXPIRE_EVERY_S:
            return
        last_expiry["at"] = now
        for article_id in index.expire(now):
            signatures.pop(article_id, None)

    async def look_up(message: Any) -> None:
        item = orjson.loads(message.value)
        result = item["result"]
        entry = Entry(result["id"], item["ts"], unpack(item["sig"]), item["size"])
        try:
            with rt.stage("dedup"):
                index = the_index()
                matches = index.look_up(entry, bands(entry.array))
                signatures[entry.id] = {"v": item["sig"], "n": entry.size, "ts": entry.ts}
                expire(index, entry.ts)
                decision = decide(entry.key, matches)
        except Exception as exc:  # degrade, don't drop: the article goes on undeduplicated
            await rt.dead_letters.send(message, "dedup", exc)
            decision = Decision(None)
        if decision.duplicate_of is not None:
            result["duplicate_of"] = decision.duplicate_of.id
            await notify(entry.id, decision.duplicate_of)
        for copy in decision.late:  # the later-keyed copies learn of their original
            await notify(copy.id, Match(entry.id, entry.ts, copy.similarity))
        await file_or_emit(rt, result, item["ts"], item["started"])

    async def notify(article_id: str, original: Match) -> None:
        notice = {"id": article_id, "original": [original.id, original.ts, original.similarity]}
        await rt.send("dedup.notices", article_id.encode(), orjson.dumps(notice))

    def known_original(article_id: str) -> Match | None:
        """The earliest original announced so far for an article."""
        for day in range(window_days + 1):
            found = decided[article_id].delta(day * DAY)
            if found:
                return Match(*found)
        return None

    async def announce(message: Any) -> None:
        """Announce an original unless an earlier-keyed one was announced: the latest
        notice per article on articles.duplicates is then always the earliest original."""
        notice = orjson.loads(message.value)
        article_id, original = notice["id"], Match(*notice["original"])
        best = known_original(article_id)
        if best is not None and (best.ts, best.id) <= (original.ts, original.id):
            return
        decided[article_id] = notice["original"]
        record = DuplicateNotice(article_id, original.id, original.similarity)
        await rt.send("articles.duplicates", article_id.encode(), dumps(record))
        rt.metrics.duplicates.inc()

    @rt.app.agent(rt.channels["dedup.index"], name="dedup-index", concurrency=1)
    async def index_agent(stream: Any) -> None:
        await rt.consume(stream, "dedup", look_up)

    @rt.app.agent(rt.channels["dedup.notices"], name="dedup-notices", concurrency=1)
    async def notices(stream: Any) -> None:
        await rt.consume(stream, "dedup", announce)

    return index_agent, notices
