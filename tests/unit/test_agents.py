"""Agents in Faust's test context: no broker, real agent code, sends captured."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from prometheus_client import CollectorRegistry

from agents.dedup.minhash import NUM_PERM, signature, unpack
from streams.app import Runtime, build_runtime
from streams.settings import Settings


def capture_sends(rt: Runtime) -> dict[str, list[dict[str, Any]]]:
    """What the agents send (their outputs and dead letters), by topic, instead of sending."""
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
    return sent


def test_agent_analyze_sends_the_article_with_its_signature_to_the_index(seeds) -> None:
    registry = CollectorRegistry()
    rt = build_runtime(Settings(store="memory://", partitions=4), registry=registry)
    sent = capture_sends(rt)

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


def test_the_index_announces_each_article_s_earliest_original_once() -> None:
    """Copies arriving before their originals get late notices, each naming an earlier
    original than the last (d, later than a, changes no one's); a redelivered copy, even
    after a rebalance (the originals read back from the signatures table), announces
    nothing new."""
    registry = CollectorRegistry()
    rt = build_runtime(Settings(store="memory://", partitions=4), registry=registry)
    sent = capture_sends(rt)
    text = " ".join(f"البند {n} من بيان عن تفكيك خلية إرهابية في مدينة" for n in range(30))
    sig = signature(text)
    assert sig is not None

    def copy(article_id: str, ts: float) -> bytes:
        result = {"id": article_id, "label": "security", "events": [], "removed": []}
        return orjson.dumps(
            {"result": result, "ts": ts, "started": None, "sig": sig.pack(), "size": sig.size}
        )

    agent = rt.app.agents["dedup-index"]

    async def run() -> None:
        rt.app.flow_control.resume()
        async with agent.test_context() as ctx:
            arrivals = (("c", 30.0), ("b", 20.0), ("a", 10.0), ("d", 15.0), ("c", 30.0))
            for article_id, ts in arrivals:
                await ctx.put(copy(article_id, ts), key=article_id.encode())
            await rt.app.on_partitions_revoked.send(revoked=set())  # the index is rebuilt
            await ctx.put(copy("c", 30.0), key=b"c")

    asyncio.run(run())
    notices = [orjson.loads(m["value"]) for m in sent["articles.duplicates"]]
    assert [(n["id"], n["duplicate_of"]) for n in notices] == [
        ("c", "b"),
        ("b", "a"),
        ("c", "a"),
        ("d", "a"),
    ]
    results = [orjson.loads(m["value"]) for m in sent["articles.classified"]]
    assert [(r["id"], r["duplicate_of"]) for r in results] == [
        ("c", None),
        ("b", None),
        ("a", None),
        ("d", "a"),
        ("c", "a"),
        ("c", "a"),
    ]
    assert rt.app.tables["dedup-signatures"]["c"]["o"][0] == "a"
    assert registry.get_sample_value("raqib_duplicates_total") == 4.0
