"""The analyze agent in Faust's test context: no broker, real agent code."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from prometheus_client import CollectorRegistry

from agents.dedup.minhash import NUM_PERM, unpack
from streams.app import build_runtime
from streams.settings import Settings


def test_agent_analyze_sends_the_article_with_its_signature_to_the_index(seeds) -> None:
    registry = CollectorRegistry()
    rt = build_runtime(Settings(store="memory://", partitions=4), registry=registry)
    sent: dict[str, list[dict[str, Any]]] = {}

    for name, channel in rt.channels.items():

        async def send(*, key=None, value=None, partition=None, _name=name, **_: Any) -> None:
            sent.setdefault(_name, []).append({"key": key, "value": value, "partition": partition})

        async def publish(fut: Any, wait: bool = True, _send=send) -> Any:
            m = fut.message
            await _send(key=m.key, value=m.value, partition=m.partition)
            done = asyncio.get_running_loop().create_future()
            done.set_result(None)
            return done

        channel.send = send  # type: ignore[method-assign]  # dead letters
        channel.publish_message = publish  # type: ignore[method-assign]  # Runtime.send

    agent = rt.app.agents["analyze"]

    async def run() -> None:
        rt.app.flow_control.resume()
        async with agent.test_context() as ctx:
            await ctx.put(orjson.dumps({"id": "000", "text": seeds["000"]}), key=b"000")
            await ctx.put(b"\xff\xfe", key=b"broken")

    asyncio.run(run())
    (item,) = [orjson.loads(m["value"]) for m in sent["dedup.index"]]
    assert item["result"]["id"] == "000" and item["result"]["events"][0]["members"] == 12
    assert len(unpack(item["sig"])) == NUM_PERM and item["size"] > 100
    (letter,) = [orjson.loads(m["value"]) for m in sent["articles.dlq"]]
    assert letter["reason"] == "invalid_utf8" and letter["stage"] == "decode"
    assert (
        registry.get_sample_value(
            "raqib_dead_letters_total", {"stage": "decode", "reason": "invalid_utf8"}
        )
        == 1.0
    )
