"""Wires articles.raw to the pure pipeline: decode, analyze, then on to near-duplicates.

Each article leaves on dedup.index with the analysed result and its MinHash signature
(see agents/dedup/agent.py); one with no text to compare goes straight to the incidents
hop or the output. Failures become dead letters.
"""

from __future__ import annotations

import time
from typing import Any

import orjson

from agents.dedup.minhash import signature
from agents.incidents.agent import file_or_emit
from streams.app import Runtime, ingest_time
from streams.records import decode_raw, dumps


def register(rt: Runtime) -> Any:
    async def handle(message: Any) -> None:
        rt.metrics.received.inc()
        with rt.stage("decode"):
            raw = decode_raw(message.value, message.key, rt.settings.max_message_bytes)
        result = rt.analyzer.analyze(raw, timer=rt.stage)
        started = ingest_time(raw.fetched_at, message.timestamp)
        ts = started if started is not None else time.time()
        with rt.stage("dedup"):
            sig = signature(result.text)
        if sig is None:
            await file_or_emit(rt, orjson.loads(dumps(result)), ts, started)
            return
        item = {"result": result, "ts": ts, "started": started, "sig": sig.pack(), "size": sig.size}
        value = rt.check_size(orjson.dumps(item), "the article")
        await rt.send("dedup.index", raw.id.encode(), value)

    @rt.app.agent(rt.channels["articles.raw"], name="analyze", concurrency=1)
    async def analyze(stream: Any) -> None:
        await rt.consume(stream, "analyze", handle)

    return analyze
