"""At-least-once holes in faust-streaming 0.15.3, closed for Raqib's app.

Found by the fault tests (a worker SIGKILLed three times mid-run lost a few articles
on every hop) and traced through the topics and the library's source:

1. A stream skips a message that reaches it while flow control is suspended or whose
   consumer generation is stale (a rebalance overtook it), and *acks* it, as it acks
   messages an agent filters out. The ack lets the next commit go past a message no
   agent processed. Recovery made it likely (`on_recovery_completed`, and
   `_resume_streams` for apps without tables): it resumed the stream partitions, then
   awaited the seek to committed offsets, and only then resumed flow control, so
   whatever the fetcher read in between was skipped and acked. We stop the flow, seek,
   then resume it and the partitions last, and ignore an ack while flow control is
   suspended or for a message of an older generation: such a message is read again after
   the seek. (Recovery itself resumes the flow to read the changelogs: a record handed
   to a stream after the seek was cleared from its queue by the resume with its read
   offset advanced, so the re-fetched copy was dropped as read; hence the stop first.)
   Not so for a message an agent has handled (`handled`): its ack must count, or the
   hand-over, which waits for every message in flight to be acked, waits for ever (a
   rebalance under load hung).
2. Before committing offsets Faust flushes its producer, but the buffer of table
   changelog records (`ProducerBuffer.flush`) stops waiting after 0.1 s without a send
   and returns with records still queued: offsets could be committed for input whose
   table writes a crash then lost. We drain it fully.
3. The commit offset is the end of the first run of consecutive acked offsets, and
   Faust lets that run start one past the committed offset, and fills "gaps" (offsets
   the fetcher jumped over) into it as if acked. A worker restarted after a kill
   committed incidents.blocks from 10 to 18 while 10-14 were never handled: re-read
   during recovery, they were dropped from the stream queues when flow resumed, and the
   jump over them counted as a gap (found by the fault test, 2026-12-01). On Raqib's own
   topics, written only by its non-transactional producer and never compacted, offsets
   are contiguous: there a gap is never filled and the run must start at the committed
   offset, so such messages hold the commit back (read again after the next restart)
   instead of being lost. `articles.raw` keeps Faust's rules: a transactional scraper
   leaves control records there, real gaps a strict rule would never pass.
4. When partitions are revoked, the consumer forgets their acked offsets before the app's
   revocation handler commits, so what was handled in them since the last timer commit
   (up to a second of work; 600 articles of a catching-up index hop) was handled again by
   their next owner: 512 and 1,062 of 1,500 articles twice in 2 of 8 runs of the join and
   leave test (2026-12-01). We commit the revoked partitions' acked offsets first.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Iterable
from typing import Any, cast

from faust.tables.recovery import Recovery
from faust.transport.consumer import Consumer

_library_ack = Consumer.ack
_library_new_offset = Consumer._new_offset
_library_add_gap = Consumer._add_gap
_library_on_partitions_revoked = Consumer.on_partitions_revoked
_handled: weakref.WeakSet[Any] = weakref.WeakSet()
_contiguous: set[str] = set()  # topics whose offsets have no gaps (fix 3)


def handled(message: Any) -> None:
    """Mark a message an agent has processed (outputs delivered, or a dead letter), so
    its ack counts even during a rebalance. Acks are in stream order, so everything
    before it in its partition was processed too."""
    _handled.add(message)


def _ack(self: Any, message: Any) -> bool:
    """Consumer.ack, except for messages skipped because a rebalance overtook them."""
    app = self.app
    stale = message.generation_id is not None and message.generation_id != (
        app.consumer_generation_id
    )
    if message not in _handled and (stale or not app.flow_control.is_active()):
        return False  # not processed: the seek after the rebalance reads it again
    return bool(_library_ack(self, message))


def _new_offset(self: Any, tp: Any) -> int | None:
    """Consumer._new_offset, except that on a contiguous topic the acked run must begin at
    the committed offset (the next one to read), not one past it."""
    if tp.topic in _contiguous:
        acked, committed = self._acked[tp], self._committed_offset[tp]
        if acked and committed is not None and min(acked) > committed:
            return None
    offset: int | None = _library_new_offset(self, tp)
    return offset


async def _add_gap(self: Any, tp: Any, offset_from: int, offset_to: int) -> None:
    """Consumer._add_gap, except on a contiguous topic, where a gap is a skipped message."""
    if tp.topic not in _contiguous:
        await _library_add_gap(self, tp, offset_from, offset_to)


async def _on_partitions_revoked(self: Any, revoked: set[Any]) -> None:
    """Consumer.on_partitions_revoked, committing the revoked partitions' acked offsets
    before the library forgets them (fix 4). The group is still in the generation being
    left, so the broker takes the commit; a stopping worker has committed already."""
    if revoked and not self.app.should_stop:
        await self.commit(revoked)
    await _library_on_partitions_revoked(self, revoked)


async def _resume_streams(self: Any, generation_id: int = 0) -> None:
    """Recovery._resume_streams of faust-streaming 0.15.3: seek, resume flow, then fetch."""
    await self.app.on_rebalance_complete.send()
    await _resume_in_order(self, generation_id, standbys_ready=True)


async def _on_recovery_completed(self: Any, generation_id: int = 0) -> None:
    """Recovery.on_recovery_completed of faust-streaming 0.15.3, in the same safe order."""
    self.log.info("Restore complete!")
    await self.app.on_rebalance_complete.send()
    self._set_recovery_ended()
    callbacks = [
        asyncio.ensure_future(
            table.on_recovery_completed(
                self.actives_for_table[table], self.standbys_for_table[table]
            )
        )
        for table in self.tables.values()
    ]
    if callbacks:
        await asyncio.wait(callbacks)
    await _resume_in_order(self, generation_id, standbys_ready=False)


async def _resume_in_order(self: Any, generation_id: int, standbys_ready: bool) -> None:
    app = self.app
    consumer = app.consumer
    assignment = consumer.assignment()
    if app.consumer_generation_id != generation_id:
        self.log.warning("Recovery rebalancing again")
        return
    streams = {tp for tp in assignment if not self._is_changelog_tp(tp)}
    if assignment:
        # stop the flow Recovery resumed for the changelogs before seeking (see fix 1)
        app.flow_control.suspend()
        consumer.stop_flow()
        await asyncio.sleep(0)  # the loop leaves its batch
        self.log.info("Seek stream partitions to committed offsets.")
        await self._wait(consumer.perform_seek(), timeout=app.conf.broker_request_timeout)
    self.completed.set()
    self.log.info("Resuming flow...")
    app.flow_control.resume()
    consumer.resume_flow()
    if streams:
        consumer.resume_partitions(streams)
    await app._fetcher.maybe_start()
    self.tables.on_actives_ready()
    if standbys_ready or not app.assignor.assigned_standbys():
        self.tables.on_standbys_ready()
    app.on_rebalance_end()
    self.log.info("Worker ready")


def apply(app: Any, contiguous: Iterable[str] = ()) -> None:
    """Close the holes for `app` (the consumer and recovery fixes are class-wide);
    `contiguous`: the topics its agents read that only its own producer writes."""
    _contiguous.update(contiguous)
    cast(Any, Consumer).ack = _ack
    cast(Any, Consumer)._new_offset = _new_offset
    cast(Any, Consumer)._add_gap = _add_gap
    cast(Any, Consumer).on_partitions_revoked = _on_partitions_revoked
    cast(Any, Recovery)._resume_streams = _resume_streams
    cast(Any, Recovery).on_recovery_completed = _on_recovery_completed
    buffer: Any = app.producer.buffer
    buffer.max_messages = 1000  # fewer stalls of the streams (wait_until_ebb) under load

    async def flush() -> None:
        while buffer.size:
            await buffer.flush_atmost(None)

    buffer.flush = flush
