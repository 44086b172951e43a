"""Settings from the environment; the dead-letter policy."""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass

import orjson
import pytest

from streams.deadletters import DeadLetters, StageFailed
from streams.records import Rejected
from streams.settings import Settings


def test_settings_read_from_env_with_types_and_overrides() -> None:
    s = Settings.from_env(
        {"RAQIB_BROKER": "k1:9092,k2:9092", "RAQIB_PARTITIONS": "12"}, web_port=7000
    )
    assert s.broker == "k1:9092,k2:9092" and s.partitions == 12 and s.web_port == 7000
    assert Settings.from_env({}).broker == "127.0.0.1:9092"
    with pytest.raises(ValueError, match="RAQIB_PARTITIONS"):
        Settings.from_env({"RAQIB_PARTITIONS": "many"})
    assert Settings.from_env({"RAQIB_STANDBY_REPLICAS": "0"}).standby_replicas == 0
    assert Settings().standby_replicas == 1


@pytest.mark.parametrize(
    ("env", "value"),
    [
        ("RAQIB_DEDUP_WINDOW_DAYS", "0"),
        ("RAQIB_PARTITIONS", "-1"),
        ("RAQIB_MAX_MESSAGE_BYTES", "0"),
        ("RAQIB_DEDUP_THRESHOLD", "1.5"),
        ("RAQIB_STANDBY_REPLICAS", "-1"),
    ],
)
def test_settings_out_of_range_are_refused_with_their_variable(env: str, value: str) -> None:
    with pytest.raises(ValueError, match=env):
        Settings.from_env({env: value})


def test_settings_never_show_the_password() -> None:
    s = Settings.from_env({"RAQIB_SASL_PASSWORD": "s3cret", "RAQIB_SASL_USERNAME": "raqib"})
    assert "s3cret" not in repr(s) and "s3cret" not in str(s.redacted())


@dataclass
class Message:
    key: bytes | None
    value: bytes | None
    topic: str = "articles.raw"
    partition: int = 3
    offset: int = 41
    timestamp: float = 1.0


def test_deadletters_guard_sends_original_bytes_with_context() -> None:
    sent: list[tuple[bytes | None, bytes, list]] = []
    counted: list[tuple[str, str]] = []

    async def send(key, value, headers):
        sent.append((key, value, headers))

    letters = DeadLetters(send, lambda stage, reason: counted.append((stage, reason)))

    async def rejects(message):
        raise StageFailed("decode", Rejected("invalid_utf8", "byte 0"))

    async def crashes(message):
        raise KeyError("bug")

    ok = asyncio.run(letters.guard(Message(b"k", b"\xff"), "analyze", rejects))
    assert ok is False
    asyncio.run(letters.guard(Message(None, b"payload"), "analyze", crashes))
    first = orjson.loads(sent[0][1])
    assert base64.b64decode(first["original"]) == b"\xff"
    assert (first["stage"], first["reason"], first["offset"]) == ("decode", "invalid_utf8", 41)
    headers = dict(sent[0][2])
    assert headers["__connect.errors.partition"] == b"3"
    second = orjson.loads(sent[1][1])
    assert second["reason"] == "unexpected_error" and second["error_class"] == "builtins.KeyError"
    assert counted == [("decode", "invalid_utf8"), ("analyze", "unexpected_error")]


def test_an_oversized_original_is_kept_up_to_the_limit_with_its_digest() -> None:
    import hashlib

    sent: list[bytes] = []

    async def send(key, value, headers):
        sent.append(value)

    letters = DeadLetters(send, lambda *_: None, max_original_bytes=10)

    async def too_large(message):
        raise Rejected("too_large", "25 bytes > 10")

    original = b"x" * 25
    asyncio.run(letters.guard(Message(b"k", original), "analyze", too_large))
    letter = orjson.loads(sent[0])
    assert base64.b64decode(letter["original"]) == original[:10]
    assert letter["original_truncated"] is True and letter["original_size"] == 25
    assert letter["original_sha256"] == hashlib.sha256(original).hexdigest()


def test_a_dead_letter_the_broker_refuses_once_is_retried() -> None:
    attempts: list[int] = []

    async def send(key, value, headers):
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionError("broker restarting")

    letters = DeadLetters(send, lambda *_: None, retries=(0.01,))

    async def fails(message):
        raise Rejected("empty_text", "nothing")

    assert asyncio.run(letters.guard(Message(b"k", b" "), "analyze", fails)) is False
    assert len(attempts) == 2
