"""The analyze agent in Faust's test context: no broker, real agent code."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from prometheus_client import CollectorRegistry

from streams.app import build_runtime
from streams.batches import partition_for
from streams.settings import Settings


def test_agent_analyze_sends_the_batch_and_its_bands_on(seeds) -> None:
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
            await ctx.put(orjson.dumps({"id": "003", "text": seeds["003"]}), key=b"003")
            for _ in range(500):  # the batch goes out after RAQIB_BATCH_WAIT_MS
                if len(sent.get("dedup.gather", [])) == len(gather_partitions):
                    break
                await asyncio.sleep(0.01)

    gather_partitions = {partition_for(i, 4) for i in (b"000", b"003")}
    asyncio.run(run())
    heads = [(m["partition"], orjson.loads(m["value"])) for m in sent["dedup.gather"]]
    assert {p for p, _ in heads} == gather_partitions  # each article where its id hashes
    articles = {a["id"]: a for _, head in heads for a in head["articles"]}
    assert sorted(articles) == ["000", "003"]
    assert articles["000"]["result"]["events"][0]["members"] == 12
    parts = {p for _, head in heads for p in head["parts"]}
    requests = sent["dedup.bands"]  # one per dedup.bands partition, for the whole batch
    assert sorted(m["partition"] for m in requests) == sorted(parts)
    for article_id in ("000", "003"):
        bands = [
            band
            for m in requests
            for sub in orjson.loads(m["value"])["subs"]
            for request in sub["articles"]
            if request["id"] == article_id
            for band in request["bands"]
        ]
        assert len(bands) == 64
    (letter,) = [orjson.loads(m["value"]) for m in sent["articles.dlq"]]
    assert letter["reason"] == "invalid_utf8" and letter["stage"] == "decode"
    assert (
        registry.get_sample_value(
            "raqib_dead_letters_total", {"stage": "decode", "reason": "invalid_utf8"}
        )
        == 1.0
    )
