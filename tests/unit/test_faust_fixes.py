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
