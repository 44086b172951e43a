"""Runtime.consume: agents hand on the next message while the broker still holds the
sends of earlier ones, yet an input is acked only after its sends are delivered, in
input order, and a send the broker refuses turns its input into a dead letter."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from prometheus_client import CollectorRegistry

from streams.app import build_runtime
from streams.settings import Settings


async def _until(condition: Any, timeout_s: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


def test_inputs_are_acked_in_order_after_their_sends_are_delivered(seeds) -> None:
    rt = build_runtime(Settings(store="memory://", partitions=4), registry=CollectorRegistry())
    deliveries: dict[bytes, list[asyncio.Future[Any]]] = {}  # input key -> its sends' futures
    letters: list[dict[str, Any]] = []

    for channel in rt.channels.values():

        async def publish(fut: Any, wait: bool = True) -> Any:
            done = asyncio.get_running_loop().create_future()
            deliveries.setdefault(fut.message.key, []).append(done)
            return done

        async def send(*, value: bytes, **_: Any) -> None:
            letters.append(orjson.loads(value))

        channel.publish_message = publish  # type: ignore[method-assign]  # Runtime.send
        channel.send = send  # type: ignore[method-assign]  # dead letters

    agent = rt.app.agents["analyze"]

    async def run() -> None:
        rt.app.flow_control.resume()
        async with agent.test_context() as ctx:
            first = await ctx.put(orjson.dumps({"text": seeds["000"]}), key=b"a", wait=False)
            second = await ctx.put(orjson.dumps({"text": seeds["004"]}), key=b"b", wait=False)
            # both handled before either is delivered: the agent does not wait per message
            await _until(lambda: b"a" in deliveries and b"b" in deliveries)
            for future in deliveries[b"b"]:
                future.set_result(None)
            await asyncio.sleep(0.1)
            assert not first.message.acked and not second.message.acked  # order is kept
            assert letters == []
            deliveries[b"a"][0].set_exception(RuntimeError("the broker refused it"))
            for future in deliveries[b"a"][1:]:
                future.set_result(None)
            await _until(lambda: first.message.acked and second.message.acked)

    asyncio.run(run())
    (letter,) = letters
    assert letter["stage"] == "analyze" and letter["reason"] == "unexpected_error"
    assert "refused" in letter["error"] and letter["offset"] == 0
