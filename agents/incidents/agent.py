"""Wires incident matching to Kafka: one hop partitioned by blocking key, state in a table.

incidents.blocks (key: the blocking key, the event's country) -> `incidents`: file the
article's events into the block's open incidents, store what changed, then emit the final
ArticleResult and events (with incident ids) and the new incident states on
events.incidents (compacted; an incident merged into another gets a tombstone). The table
is keyed "inc:<id>" (the incident's state, its block in it), so one message writes only the
incidents it changed; the worker keeps the blocks it owns decoded in memory, grouped from
the table in one pass after each rebalance.

Until 2026-12-01 each block also had a "block:<key>" record listing its open incidents,
rewritten by every article filed into it: a record growing with the block (a country with
1,500 open incidents: about 30 KB per article). Such records are ignored.
"""

from __future__ import annotations

from typing import Any

import orjson

from streams.app import Runtime

from . import blocking_key
from .matching import Block, Incident, file_article


def register(rt: Runtime) -> Any:
    settings = rt.settings
    window_s = settings.incident_window_days * 86400.0
    store = rt.app.Table("incidents", default=dict, partitions=settings.partitions)
    big = rt.analyzer.extractor.gazetteer.is_big_city
    # The open incidents of each block, derived from `store` when first used (as the
    # embedded mode holds them), so an article does not decode its whole block again;
    # forgotten when partitions move or a filing fails, and then read again.
    derived: dict[str, Any] = rt.derived_state()

    def block_for(key: str) -> Block:
        blocks: dict[str, Block] = derived.setdefault("blocks", {})
        block = blocks.get(key)
        if block is None:
            states = sorted(stored_by_block().pop(key, []), key=lambda s: s["incident_id"])
            open_ = [Incident.from_state(dict(state)) for state in states]
            block = blocks[key] = Block(key, open_, big=big)
        return block

    def stored_by_block() -> dict[str, list[dict[str, Any]]]:
        """The stored incident states by block, from one pass over the table (the blocks
        of standby partitions included: grouped, never decoded)."""
        if "stored" not in derived:
            grouped: dict[str, list[dict[str, Any]]] = {}
            for name, state in store.items():
                if name.startswith("inc:") and state:
                    grouped.setdefault(state["block"], []).append(state)
            derived["stored"] = grouped
        stored: dict[str, list[dict[str, Any]]] = derived["stored"]
        return stored

    async def file(message: Any) -> None:
        item = orjson.loads(message.value)
        try:
            await file_incidents(message, item)
        except Exception as exc:  # degrade, don't drop: the article goes out without incidents
            derived.clear()  # read again as stored, not half-filed
            await rt.dead_letters.send(message, "incidents", exc)
            await rt.emit_result(item["result"], item["started"])

    async def file_incidents(message: Any, item: dict[str, Any]) -> None:
        result = item["result"]
        key = message.key.decode()
        with rt.stage("incidents"):
            block = block_for(key)
            filed = file_article(
                block,
                result["events"],
                result.get("url"),
                result.get("source"),
                item["ts"],
                window_s,
            )
            for event, incident_id in zip(result["events"], filed.incident_ids, strict=True):
                event["incident_id"] = incident_id
            # Sizes are checked before any write: a changelog record the broker refuses
            # would stop the whole worker, a refused article only goes to the DLQ.
            states = {f"inc:{i.incident_id}": i.state() for i in filed.changed}
            for name, state in states.items():
                rt.check_size(orjson.dumps(state), f"incident state {name}")
            for gone in (*filed.merged, *filed.closed):  # merged away, or expired
                name = f"inc:{gone}"
                if name in store:  # (not if opened and merged by this article)
                    del store[name]
            for name, state in states.items():  # after: a closed incident may reopen
                store[name] = state
        await rt.emit_result(result, item["started"])
        for incident in filed.changed:
            record = orjson.dumps(incident.to_record())
            await rt.send("events.incidents", incident.incident_id.encode(), record)
        for gone in filed.merged:  # tombstone: now part of another
            await rt.send("events.incidents", gone.encode(), None)
        m = rt.metrics.incidents
        m.labels("opened").inc(filed.opened)
        m.labels("updated").inc(len(filed.changed) - filed.opened)
        m.labels("merged").inc(len(filed.merged))

    @rt.app.agent(rt.channels["incidents.blocks"], name="incidents", concurrency=1)
    async def incidents(stream: Any) -> None:
        await rt.consume(stream, "incidents", file)

    return incidents


async def file_or_emit(
    rt: Runtime, result: dict[str, Any], ts: float, started: float | None
) -> None:
    """An analysed article's next hop: incidents.blocks when it has events, else the output."""
    if result["events"]:
        onward = rt.check_size(
            orjson.dumps({"result": result, "ts": ts, "started": started}), "the article"
        )
        await rt.send("incidents.blocks", blocking_key(result["events"][0]).encode(), onward)
    else:
        await rt.emit_result(result, started)
