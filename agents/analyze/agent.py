"""Wires articles.raw to the pure pipeline: decode, analyze, then on to the dedup hops.

Each article leaves as a *head* (the analysed result) on dedup.gather, keyed by its id,
and as one band request per partition its MinHash bands fall in, on dedup.bands (see
agents/dedup/agent.py). Failures become dead letters.
"""

from __future__ import annotations

import time
from typing import Any

import orjson

from agents.dedup.index import group_bands
from agents.dedup.minhash import signature
from streams.app import Runtime, ingest_time
from streams.records import decode_raw


def register(rt: Runtime) -> Any:
    partitions = rt.settings.dedup_partitions  # of dedup.bands

    async def handle(message: Any) -> None:
        rt.metrics.received.inc()
        with rt.stage("decode"):
            raw = decode_raw(message.value, message.key, rt.settings.max_message_bytes)
        result = rt.analyzer.analyze(raw, timer=rt.stage)
        started = ingest_time(raw.fetched_at, message.timestamp)
        ts = started if started is not None else time.time()
        with rt.stage("dedup"):
            sig = signature(result.text)
            groups = group_bands(sig.bands(), partitions) if sig is not None else {}
        # one input message, one token: an article id sent twice must not mix its replies
        token = f"{raw.id}#{message.partition}:{message.offset}"
        head = {
            "kind": "head",
            "id": raw.id,
            "token": token,
            "result": result,
            "ts": ts,
            "started": started,
            "parts": sorted(groups),  # the dedup.bands partitions that will reply
        }
        key = raw.id.encode()
        value = rt.check_size(orjson.dumps(head), "the article")
        await rt.send("dedup.gather", key, value)
        for part, bands in groups.items():
            assert sig is not None
            request = {
                "id": raw.id,
                "token": token,
                "ts": ts,
                "sig": sig.pack(),
                "size": sig.size,
                "bands": bands,
            }
            await rt.send("dedup.bands", key, orjson.dumps(request), partition=part, timestamp=ts)

    @rt.app.agent(rt.channels["articles.raw"], name="analyze", concurrency=1)
    async def analyze(stream: Any) -> None:
        await rt.consume(stream, "analyze", handle)

    return analyze
