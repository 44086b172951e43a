"""Wires the near-duplicate index to Kafka: band buckets per partition, then a gather by article.

dedup.bands (partitioned by band: copies meet whatever their article keys)
  -> `bands`: look the article's bands up in windowed tables, add it, reply
dedup.gather (partitioned by article id: the analysed article + every partition's reply)
  -> `gather`: when all replies are in, decide duplicate_of, announce duplicates, and pass
     the article on to the incidents hop (or emit it when it has no events)

State: `dedup-buckets` (band -> [[id, ts], ...]) and `dedup-signatures` (partition:id ->
signature) are tumbling tables of one day that expire after RAQIB_DEDUP_WINDOW_DAYS:
the index is bounded in time, locally and in the changelog topics. `dedup-pending`
holds articles waiting for their replies.
"""

from __future__ import annotations

from typing import Any

import orjson

from agents.incidents import blocking_key
from streams.app import Runtime
from streams.records import DuplicateNotice, dumps

from .index import Entry, Match, add, candidates, decide

DAY = 86400.0


def register(rt: Runtime) -> tuple[Any, Any]:
    settings = rt.settings
    window_days = settings.dedup_window_days
    window_s = window_days * DAY
    expires = (window_days + 1) * DAY
    buckets = (
        rt.app.Table("dedup-buckets", default=list, partitions=settings.partitions)
        .tumbling(DAY, expires=expires)
        .relative_to_stream()
    )
    signatures = (
        rt.app.Table("dedup-signatures", default=dict, partitions=settings.partitions)
        .tumbling(DAY, expires=expires)
        .relative_to_stream()
    )
    pending = rt.app.Table("dedup-pending", default=dict, partitions=settings.partitions)
    decided = (  # article id -> [original id, original ts, similarity]: the earliest so far
        rt.app.Table("dedup-decided", default=list, partitions=settings.partitions)
        .tumbling(DAY, expires=expires)
        .relative_to_stream()
    )

    def bucket_entries(band: str, part: int, now: float) -> list[Entry]:
        entries: dict[str, Entry] = {}
        for day in range(window_days + 1):
            for article_id, ts in buckets[band].delta(day * DAY):
                if article_id in entries:
                    continue
                stored = signatures[f"{part}:{article_id}"].delta(max(0.0, now - ts))
                if stored:
                    entries[article_id] = Entry(article_id, ts, tuple(stored["v"]), stored["n"])
        return list(entries.values())

    async def look_up(message: Any) -> None:
        request = orjson.loads(message.value)
        entry = Entry(request["id"], request["ts"], tuple(request["sig"]), request["size"])
        part = message.partition
        matches: list[Match] = []
        try:
            with rt.stage("dedup"):
                signatures[f"{part}:{entry.id}"] = {"v": list(entry.values), "n": entry.size}
                for band in request["bands"]:
                    found = bucket_entries(band, part, entry.ts)
                    matches += candidates(found, entry, settings.dedup_threshold)
                    buckets[band] = add(list(buckets[band].current()), entry, window_s)
        except Exception as exc:  # degrade, don't drop: the article goes on undeduplicated
            await rt.dead_letters.send(message, "dedup", exc)
        reply = {
            "kind": "reply",
            "id": entry.id,
            "token": request["token"],
            "part": part,
            "matches": [[m.id, m.ts, m.similarity] for m in matches],
        }
        await rt.channels["dedup.gather"].send(key=entry.id.encode(), value=orjson.dumps(reply))

    async def gather_one(message: Any) -> None:
        item = orjson.loads(message.value)
        if item["kind"] == "late":
            await late(item)
            return
        token = item["token"]  # the input message this is about
        state = dict(pending[token])
        if item["kind"] == "head":
            state["head"] = item
        else:
            replies = dict(state.get("replies", {}))
            replies[str(item["part"])] = item["matches"]
            state["replies"] = replies
        head = state.get("head")
        if head is None or len(state.get("replies", {})) < head["expect"]:
            pending[token] = state
            return
        try:
            await finish(head, state.get("replies", {}))
        except Exception as exc:  # degrade, don't drop: the article is emitted as analysed
            await rt.dead_letters.send(message, "dedup", exc)
            await rt.emit_result(head["result"], head["started"])
        pending.pop(token, None)

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
        await rt.channels["articles.duplicates"].send(key=article_id.encode(), value=dumps(notice))
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
            await rt.channels["dedup.gather"].send(
                key=copy.id.encode(), value=orjson.dumps(correction)
            )
        if result["events"]:
            block = blocking_key(result["events"][0])
            onward = {"result": result, "ts": head["ts"], "started": head["started"]}
            await rt.channels["incidents.blocks"].send(
                key=block.encode(), value=orjson.dumps(onward)
            )
        else:
            await rt.emit_result(result, head["started"])

    @rt.app.agent(rt.channels["dedup.bands"], name="dedup-bands", concurrency=1)
    async def bands(stream: Any) -> None:
        async for event in stream.events():
            await rt.dead_letters.guard(event.message, "dedup", look_up)

    @rt.app.agent(rt.channels["dedup.gather"], name="dedup-gather", concurrency=1)
    async def gather(stream: Any) -> None:
        async for event in stream.events():
            await rt.dead_letters.guard(event.message, "dedup", gather_one)

    return bands, gather
