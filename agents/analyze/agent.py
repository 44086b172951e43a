"""Wires articles.raw to the pure pipeline: decode, analyze, then on to the dedup hops.

The agent takes the raw messages waiting (a batch, see streams/batches.py), analyses
each, and sends the batch's articles on in *sub-batches*, one per dedup.gather
partition an article id falls in (split further to stay under the message size):
each sub-batch leaves as a *head* (the analysed results) on its dedup.gather
partition, and its MinHash bands as part of one request per dedup.bands partition
(see agents/dedup/agent.py). A message that fails becomes a dead letter on its own.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import orjson

from agents.dedup.index import group_bands
from agents.dedup.minhash import signature
from streams.app import Runtime, each, ingest_time
from streams.batches import chunks, json_list, partition_for
from streams.records import decode_raw


@dataclass(slots=True)
class Analysed:
    id: str
    article: bytes  # {"id", "result", "ts", "started"}: what the gather hop finishes
    bands: dict[int, bytes]  # dedup.bands partition -> {"id", "ts", "sig", "size", "bands"}


def register(rt: Runtime) -> Any:
    settings = rt.settings
    band_partitions = settings.dedup_partitions
    gather_partitions = settings.partitions
    limit = settings.max_message_bytes

    def analyse(message: Any) -> Analysed:
        with rt.stage("decode"):
            raw = decode_raw(message.value, message.key, settings.max_message_bytes)
        result = rt.analyzer.analyze(raw, timer=rt.stage)
        started = ingest_time(raw.fetched_at, message.timestamp)
        ts = started if started is not None else time.time()
        with rt.stage("dedup"):
            sig = signature(result.text)
            groups = group_bands(sig.bands(), band_partitions) if sig is not None else {}
        article = {"id": raw.id, "result": result, "ts": ts, "started": started}
        bands: dict[int, bytes] = {}
        if sig is not None:
            packed = sig.pack()
            for part, part_bands in groups.items():
                request = {"id": raw.id, "ts": ts, "sig": packed, "size": sig.size}
                bands[part] = orjson.dumps({**request, "bands": part_bands})
        return Analysed(raw.id, rt.check_size(orjson.dumps(article), "the article"), bands)

    async def handle(events: list[Any]) -> None:
        by_gather: dict[int, list[Analysed]] = {}  # in input order

        async def one(message: Any) -> None:
            done = analyse(message)
            where = partition_for(done.id.encode(), gather_partitions)
            by_gather.setdefault(where, []).append(done)

        for message in each(events):
            await rt.dead_letters.guard(message, "analyze", one)
        # per dedup.bands partition: [sub-batch request bytes]
        requests: dict[int, list[bytes]] = {}
        for gather_part, articles in by_gather.items():
            for sub in chunks(articles, limit, size=lambda a: len(a.article)):
                # a fresh token per attempt: a redelivered batch never meets an older one's replies
                token = uuid.uuid4().hex
                parts = sorted({p for a in sub for p in a.bands})
                head = b'{"kind":"head","token":"%s","parts":%s,"articles":%s}' % (
                    token.encode(),
                    orjson.dumps(parts),
                    json_list([a.article for a in sub]),
                )
                await rt.send("dedup.gather", token.encode(), head, partition=gather_part)
                for part in parts:
                    entries = json_list([a.bands[part] for a in sub if part in a.bands])
                    requests.setdefault(part, []).append(
                        b'{"token":"%s","gather":%d,"articles":%s}'
                        % (token.encode(), gather_part, entries)
                    )
        for part, subs in requests.items():
            for run in chunks(subs, limit, len):
                value = b'{"subs":%s}' % json_list(run)
                await rt.send("dedup.bands", None, value, partition=part)

    @rt.app.agent(rt.channels["articles.raw"], name="analyze", concurrency=1)
    async def analyze(stream: Any) -> None:
        async for events in rt.batches(stream, "analyze"):
            rt.metrics.received.inc(len(events))
            await rt.process_batch(events, "analyze", handle)

    return analyze
