"""The one error policy: a message an agent cannot turn into a result becomes a dead letter.

Faust acks and silently skips a message whose agent raises, so no agent may
raise. Each agent hands every message to `guard`, which runs the handler and,
on a `Rejected` (bad input: an expected outcome with a reason) or any other
exception (a bug: logged with its traceback), produces the original bytes to
`articles.dlq` with Kafka Connect-style context: the same `__connect.errors.*`
headers Kafka Connect writes, and the same facts in the JSON value.

An original larger than RAQIB_MAX_MESSAGE_BYTES (the `too_large` ones) is kept up to
that size, with its full size and SHA-256; the whole message stays in the input topic
at the letter's topic/partition/offset for the topic's retention. A worker that cannot
write a dead letter at all (Kafka refuses it) exits rather than let Faust ack the
message: a restarted worker reads it again.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import os
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from .records import Rejected

log = logging.getLogger(__name__)


@dataclass(slots=True)
class DeadLetter:
    original: str | None  # base64 of the original value bytes (the first max bytes of it)
    original_size: int  # bytes of the original value
    original_sha256: str | None
    original_truncated: bool  # True when `original` holds only the first max bytes
    key: str | None  # base64 of the original key bytes
    topic: str
    partition: int
    offset: int
    timestamp: float | None
    stage: str
    reason: str  # one of streams.records.REASONS
    error_class: str
    error: str
    time: str

    def headers(self) -> list[tuple[str, bytes]]:
        return [
            ("__connect.errors.topic", self.topic.encode()),
            ("__connect.errors.partition", str(self.partition).encode()),
            ("__connect.errors.offset", str(self.offset).encode()),
            ("__connect.errors.stage", self.stage.encode()),
            ("__connect.errors.exception.class.name", self.error_class.encode()),
            ("__connect.errors.exception.message", self.error.encode()[:1000]),
            ("raqib.errors.reason", self.reason.encode()),
        ]


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode()


def dead_letter_for(
    *,
    value: bytes | None,
    key: bytes | None,
    topic: str,
    partition: int,
    offset: int,
    timestamp: float | None,
    stage: str,
    exc: BaseException,
    max_original_bytes: int | None = None,
) -> DeadLetter:
    if isinstance(exc, Rejected):
        reason, message = exc.reason, exc.detail
    else:
        reason, message = "unexpected_error", str(exc) or type(exc).__name__
    size = len(value) if value is not None else 0
    truncated = max_original_bytes is not None and size > max_original_bytes
    return DeadLetter(
        original=_b64(value[:max_original_bytes] if truncated and value else value),
        original_size=size,
        original_sha256=hashlib.sha256(value).hexdigest() if value is not None else None,
        original_truncated=truncated,
        key=_b64(key),
        topic=topic,
        partition=partition,
        offset=offset,
        timestamp=timestamp,
        stage=stage,
        reason=reason,
        error_class=f"{type(exc).__module__}.{type(exc).__qualname__}",
        error=message[:2000],
        time=datetime.now(UTC).isoformat(),
    )


class StageFailed(Exception):
    """Wraps an exception with the stage it happened in (set by the stage timer)."""

    def __init__(self, stage: str, cause: BaseException) -> None:
        super().__init__(f"{stage}: {cause!r}")
        self.stage = stage
        self.cause = cause


Send = Callable[[bytes | None, bytes, list[tuple[str, bytes]]], Awaitable[Any]]
Count = Callable[[str, str], None]


class DeadLetters:
    """Builds and sends dead letters; counts them by stage and reason."""

    def __init__(
        self,
        send: Send,
        count: Count,
        max_original_bytes: int | None = None,
        retries: tuple[float, ...] = (0.5, 2.0, 5.0),
    ) -> None:
        self._send = send
        self._count = count
        self._max_original = max_original_bytes
        self._retries = retries

    async def send(self, message: Any, stage: str, exc: BaseException) -> DeadLetter:
        """`message`: a Faust Message (key, value, topic, partition, offset, timestamp)."""
        if isinstance(exc, StageFailed):
            stage, exc = exc.stage, exc.cause
        letter = dead_letter_for(
            value=message.value,
            key=message.key,
            topic=message.topic,
            partition=message.partition,
            offset=message.offset,
            timestamp=message.timestamp,
            stage=stage,
            exc=exc,
            max_original_bytes=self._max_original,
        )
        if letter.reason == "unexpected_error":
            log.error(
                "%s[%s]@%s failed in %s: %s\n%s",
                letter.topic,
                letter.partition,
                letter.offset,
                stage,
                letter.error,
                "".join(traceback.format_exception(exc)),
            )
        await self._send(message.key, orjson.dumps(asdict(letter)), letter.headers())
        self._count(letter.stage, letter.reason)
        return letter

    async def guard(
        self, message: Any, stage: str, handler: Callable[[Any], Awaitable[None]]
    ) -> bool:
        """Run `handler(message)`; on any failure send a dead letter. True if it succeeded."""
        try:
            await handler(message)
            return True
        except Exception as exc:  # the policy: every failure ends as a dead letter
            await self.send_or_exit(message, stage, exc)
            return False

    async def send_or_exit(self, message: Any, stage: str, exc: BaseException) -> None:
        for delay in (*self._retries, None):
            try:
                await self.send(message, stage, exc)
                return
            except Exception as failure:
                if delay is None:
                    log.critical(
                        "cannot write the dead letter for %s[%s]@%s (%r): exiting before"
                        " the message could be acked; a restarted worker reads it again",
                        message.topic,
                        message.partition,
                        message.offset,
                        failure,
                    )
                    logging.shutdown()
                    os._exit(70)  # EX_SOFTWARE: no commit past an unrecorded message
                log.warning("dead letter not written (%r); retrying in %.1fs", failure, delay)
                await asyncio.sleep(delay)
