"""Wires the near-duplicate index to Kafka: band buckets per partition, then a gather by article.

dedup.bands (partitioned by band: copies meet whatever their article keys)
  -> `bands`: look the article's bands up in the partition's index, add it, reply
dedup.gather (partitioned by article id: the analysed article + every partition's reply)
  -> `gather`: when all replies are in, decide duplicate_of, announce duplicates, and pass
     the article on to the incidents hop (or emit it when it has no events)

State: `dedup-signatures` ("partition:id" -> signature, time and bands) is the durable
index, one small changelog record per request; the band buckets are derived from it in
memory (a MemoryIndex per partition, as the embedded mode's), rebuilt after a rebalance,
and entries older than RAQIB_DEDUP_WINDOW_DAYS are dropped from both. `dedup-pending`
holds articles waiting for their replies, the head and each reply under its own key so
a reply rewrites a few bytes, not the whole article.
"""

from __future__ import annotations

from typing import Any

import orjson

from agents.incidents import blocking_key
from streams.app import Runtime
from streams.records import DuplicateNotice, dumps

from .index import Entry, Match, MemoryIndex, decide
from .minhash import unpack

DAY = 86400.0
EXPIRE_EVERY_S = 3600.0  # stream time between two expiries of a partition's index


def register(rt: Runtime) -> tuple[Any, Any]:
    settings = rt.settings
    window_days = settings.dedup_window_days
    window_s = window_days * DAY
    expires = (window_days + 1) * DAY
    signatures = rt.app.Table(  # co-partitioned with dedup.bands
        "dedup-signatures", default=dict, partitions=settings.dedup_partitions
    )
    indexes: dict[int, MemoryIndex] = rt.derived_state()  # from `signatures`, per partition
    expired_at: dict[int, float] = {}
    pending = rt.app.Table("dedup-pending", default=dict, partitions=settings.partitions)
    decided = (  # article id -> [original id, original ts, similarity]: the earliest so far
        rt.app.Table("dedup-decided", default=list, partitions=settings.partitions)
        .tumbling(DAY, expires=expires)
        .relative_to_stream()
    )

    def index_for(part: int) -> MemoryIndex:
        index = indexes.get(part)
        if index is None:
            index = MemoryIndex(settings.dedup_threshold, window_s)
            prefix = f"{part}:"
            for key, stored in list(signatures.items()):
                if key.startswith(prefix) and stored:
                    article_id = key[len(prefix) :]
                    entry = Entry(article_id, stored["ts"], unpack(stored["v"]), stored["n"])
                    index.add(entry, stored["b"])
            indexes[part] = index
        return index

    def expire(part: int, index: MemoryIndex, now: float) -> None:
        if now - expired_at.get(part, now) < EXPIRE_EVERY_S:
            expired_at.setdefault(part, now)
            return
        expired_at[part] = now
        for article_id in index.expire(now):
            signatures.pop(f"{part}:{article_id}", None)

    async def look_up(message: Any) -> None:
        request = orjson.loads(message.value)
        entry = Entry(request["id"], request["ts"], unpack(request["sig"]), request["size"])
        part = message.partition
        matches: list[Match] = []
        try:
            with rt.stage("dedup"):
                index = index_for(part)
                matches = index.look_up(entry, request["bands"])
                signatures[f"{part}:{entry.id}"] = {
                    "v": request["sig"],
                    "n": entry.size,
                    "ts": entry.ts,
                    "b": request["bands"],
                }
                expire(part, index, entry.ts)
        except Exception as exc:  # degrade, don't drop: the article goes on undeduplicated
            await rt.dead_letters.send(message, "dedup", exc)
        reply = {
            "kind": "reply",
            "id": entry.id,
            "token": request["token"],
            "part": part,
            "matches": [[m.id, m.ts, m.similarity] for m in matches],
        }
        await rt.send("dedup.gather", entry.id.encode(), orjson.dumps(reply))

    async def gather_one(message: Any) -> None:
        item = orjson.loads(message.value)
        if item["kind"] == "late":
            await late(item)
            return
        token = item["token"]  # the input message this is about
        if item["kind"] == "head":
            head = item
            pending[f"{token}|head"] = head
        else:
            pending[f"{token}|{item['part']}"] = item["matches"]
            if f"{token}|head" not in pending:
                return
            head = pending[f"{token}|head"]
        keys = [f"{token}|{part}" for part in head["parts"]]
        if not all(key in pending for key in keys):
            return
        replies = {key: pending[key] for key in keys}
        try:
            await finish(head, replies)
        except Exception as exc:  # degrade, don't drop: the article is emitted as analysed
            await rt.dead_letters.send(message, "dedup", exc)
            await rt.emit_result(head["result"], head["started"])
        for key in [f"{token}|head", *keys]:
            pending.pop(key, None)

    def known_original(article_id: str) -> Match | None:
        """The best original announced so far for an article (decided, or a late find)."""
        for day in range(window_days + 1):
            found = decided[article_id].delta(day * DAY)
            if found:
                return Match(*found)
        return None

    async def announce(article_id: str, original: Match) -> bool:
        """Announce `original` unless an earlier-keyed one was announced: the latest notice
        per article on articles.duplicates is then always the earliest original."""
        best = known_original(article_id)
        if best is not None and (best.ts, best.id) <= (original.ts, original.id):
            return False
        decided[article_id] = [original.id, original.ts, original.similarity]
        notice = DuplicateNotice(article_id, original.id, original.similarity)
        await rt.send("articles.duplicates", article_id.encode(), dumps(notice))
        rt.metrics.duplicates.inc()
        return True

    async def late(item: dict[str, Any]) -> None:
        """An earlier-keyed article found this one after it was decided (see index.py)."""
        await announce(item["id"], Match(item["original"], item["ts"], item["similarity"]))

    async def finish(head: dict[str, Any], replies: dict[str, list[list[Any]]]) -> None:
        result = head["result"]
        own = (head["ts"], result["id"])
        decision = decide(own, (Match(*m) for ms in replies.values() for m in ms))
        if decision.duplicate_of is not None:
            await announce(result["id"], decision.duplicate_of)
        best = known_original(result["id"])  # a late find may have come first
        if best is not None:
            result["duplicate_of"] = best.id
        for copy in decision.late:  # tell the later-keyed copies' partitions
            correction = {
                "kind": "late",
                "id": copy.id,
                "original": result["id"],
                "ts": head["ts"],
                "similarity": copy.similarity,
            }
            await rt.send("dedup.gather", copy.id.encode(), orjson.dumps(correction))
        if result["events"]:
            block = blocking_key(result["events"][0])
            onward = {"result": result, "ts": head["ts"], "started": head["started"]}
            await rt.send("incidents.blocks", block.encode(), orjson.dumps(onward))
        else:
            await rt.emit_result(result, head["started"])

    @rt.app.agent(rt.channels["dedup.bands"], name="dedup-bands", concurrency=1)
    async def bands(stream: Any) -> None:
        await rt.consume(stream, "dedup", look_up)

    @rt.app.agent(rt.channels["dedup.gather"], name="dedup-gather", concurrency=1)
    async def gather(stream: Any) -> None:
        await rt.consume(stream, "dedup", gather_one)

    return bands, gather
