"""The analyze agent in Faust's test context: no broker, real agent code."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from prometheus_client import CollectorRegistry

from streams.app import build_runtime
from streams.settings import Settings


def test_agent_analyze_emits_results_events_and_dead_letters(seeds) -> None:
    registry = CollectorRegistry()
    rt = build_runtime(Settings(store="memory://"), registry=registry)
    sent: dict[str, list[tuple[Any, Any]]] = {}

    for name, channel in rt.channels.items():

        async def send(*, key=None, value=None, headers=None, _name=name, **_: Any) -> None:
            sent.setdefault(_name, []).append((key, value))

        channel.send = send  # type: ignore[method-assign]

    (agent,) = rt.app.agents.values()

    async def run() -> None:
        rt.app.flow_control.resume()
        async with agent.test_context() as ctx:
            await ctx.put(orjson.dumps({"id": "000", "text": seeds["000"]}), key=b"000")
            await ctx.put(b"\xff\xfe", key=b"broken")

    asyncio.run(run())
    results = [orjson.loads(v) for _, v in sent["articles.classified"]]
    assert [r["id"] for r in results] == ["000"]
    assert results[0]["events"][0]["members"] == 12
    assert [k for k, _ in sent["events.security"]] == [results[0]["events"][0]["event_id"].encode()]
    (letter,) = [orjson.loads(v) for _, v in sent["articles.dlq"]]
    assert letter["reason"] == "invalid_utf8" and letter["stage"] == "decode"
    assert registry.get_sample_value("raqib_results_total", {"label": "security"}) == 1.0
    assert (
        registry.get_sample_value(
            "raqib_dead_letters_total", {"stage": "decode", "reason": "invalid_utf8"}
        )
        == 1.0
    )
