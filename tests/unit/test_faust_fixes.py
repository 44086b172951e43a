"""The at-least-once fixes to faust-streaming (streams/faust_fixes.py), on the real classes."""

from __future__ import annotations

from faust.tables.recovery import Recovery
from faust.types import TP
from faust.types.tuples import Message
from prometheus_client import CollectorRegistry

from streams.app import build_runtime
from streams.settings import Settings


def _message(offset: int, generation_id: int) -> Message:
    return Message(
        topic="t.articles.raw",
        partition=0,
        offset=offset,
        timestamp=0.0,
        timestamp_type=0,
        headers=[],
        key=b"k",
        value=b"v",
        checksum=None,
        tp=TP("t.articles.raw", 0),
        generation_id=generation_id,
    )


def test_a_skipped_message_is_not_acked_so_no_commit_passes_it() -> None:
    rt = build_runtime(Settings(store="memory://"), registry=CollectorRegistry())
    app, consumer = rt.app, rt.app.consumer
    app.topics.acks_enabled_for = lambda topic: True  # as for a topic an agent reads
    app.consumer_generation_id = 5
    tp = TP("t.articles.raw", 0)

    app.flow_control.suspend()  # a rebalance is under way
    assert consumer.ack(_message(0, 5)) is False
    app.flow_control.resume()
    assert consumer.ack(_message(1, 4)) is False  # fetched before the last rebalance
    assert consumer.ack(_message(2, 5)) is True
    assert consumer._acked[tp] == [2]  # offsets 0 and 1 will be read again


def test_a_handled_message_is_acked_during_a_rebalance_so_the_hand_over_ends() -> None:
    from streams import faust_fixes

    rt = build_runtime(Settings(store="memory://"), registry=CollectorRegistry())
    app, consumer = rt.app, rt.app.consumer
    app.topics.acks_enabled_for = lambda topic: True
    app.consumer_generation_id = 5
    tp = TP("t.articles.raw", 0)
    done, skipped, older = _message(0, 5), _message(1, 5), _message(2, 4)
    faust_fixes.handled(done)
    faust_fixes.handled(older)  # handled, then a rebalance overtook its ack

    app.flow_control.suspend()  # the hand-over waits for every message in flight
    assert consumer.ack(done) is True and done.acked
    assert consumer.ack(skipped) is False and not skipped.acked
    app.flow_control.resume()
    assert consumer.ack(older) is True
    assert consumer._acked[tp] == [0, 2]


def test_building_the_app_installs_the_recovery_order() -> None:
    from streams import faust_fixes

    build_runtime(Settings(store="memory://"), registry=CollectorRegistry())
    assert Recovery.on_recovery_completed is faust_fixes._on_recovery_completed
    assert Recovery._resume_streams is faust_fixes._resume_streams


def test_on_raqibs_own_hops_no_commit_passes_a_message_never_acked() -> None:
    """A restarted worker once committed incidents.blocks from 10 to 18 with 10-14 never
    handled: the jump over them was filled in as a gap, and Faust lets the acked run start
    one past the committed offset."""
    import asyncio

    rt = build_runtime(Settings(store="memory://"), registry=CollectorRegistry())
    consumer = rt.app.consumer
    hop = TP(rt.topics.name("incidents.blocks"), 1)
    raw = TP(rt.topics.name("articles.raw"), 1)
    for tp in (hop, raw):
        consumer._committed_offset[tp] = 10
        asyncio.run(consumer._add_gap(tp, 11, 15))  # the fetcher jumped from 10 to 15
        consumer._acked[tp].extend([15, 16, 17])  # later messages handled
    assert consumer._new_offset(hop) is None  # 10-14 hold the commit back
    assert consumer._new_offset(raw) == 16  # Faust's rules, kept on the input: past 10-14

    consumer._acked[hop][:0] = [10, 11, 12, 13, 14]  # read again and handled
    assert consumer._new_offset(hop) == 18


def test_revoked_partitions_are_committed_before_their_acks_are_forgotten() -> None:
    """faust-streaming pops a revoked partition's acked offsets before its revocation
    handler commits: the next owner handled a second of work again."""
    import asyncio

    rt = build_runtime(Settings(store="memory://"), registry=CollectorRegistry())
    consumer = rt.app.consumer
    revoked, kept = TP(rt.topics.name("dedup.index"), 0), TP(rt.topics.name("articles.raw"), 0)
    committed: list[dict[TP, int]] = []

    async def commit_offsets(offsets: dict[TP, int], start_new_transaction: bool = True) -> bool:
        committed.append(dict(offsets))  # what would go to the broker
        return True

    async def app_revoked(partitions: set[TP]) -> None:  # the app's handler: flow, commit
        pass

    consumer._commit_offsets = commit_offsets
    consumer._on_partitions_revoked = app_revoked
    for tp in (revoked, kept):
        consumer._committed_offset[tp] = 100
        consumer._acked[tp].extend(range(100, 160))
    asyncio.run(consumer.on_partitions_revoked({revoked}))
    assert committed == [{revoked: 160}]  # the kept partition waits for the timer
    assert revoked not in consumer._acked and consumer._acked[kept]
