"""Wires articles.raw to the pure pipeline: decode, analyze, emit; failures to the DLQ."""

from __future__ import annotations

from typing import Any

from streams.app import Runtime, ingest_time
from streams.records import decode_raw


def register(rt: Runtime) -> Any:
    async def handle(message: Any) -> None:
        with rt.stage("decode"):
            raw = decode_raw(message.value, message.key, rt.settings.max_message_bytes)
        result = rt.analyzer.analyze(raw, timer=rt.stage)
        await rt.emit_result(result, ingest_time(raw.fetched_at, message.timestamp))

    @rt.app.agent(rt.channels["articles.raw"], name="analyze", concurrency=1)
    async def analyze(stream: Any) -> None:
        async for event in stream.events():
            rt.metrics.received.inc()
            await rt.dead_letters.guard(event.message, "analyze", handle)

    return analyze
