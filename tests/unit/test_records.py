"""decode_raw: the input contract. Every bad message is rejected with its reason."""

from __future__ import annotations

import orjson
import pytest

from streams.records import REASONS, Rejected, article_id_for, decode_raw

CAP = 10_000


def reason_of(value: bytes | None, key: bytes | None = None, cap: int = CAP) -> str:
    with pytest.raises(Rejected) as info:
        decode_raw(value, key, cap)
    assert info.value.reason in REASONS
    return info.value.reason


def test_records_plain_text_gets_its_key_or_a_hash_as_id() -> None:
    raw = decode_raw("أوقفت الشرطة شخصا بطنجة".encode(), b"k-1", CAP)
    assert raw.id == "k-1" and raw.text == "أوقفت الشرطة شخصا بطنجة"
    unkeyed = decode_raw("نص بلا مفتاح".encode(), None, CAP)
    assert unkeyed.id == article_id_for(None, "نص بلا مفتاح")


def test_records_raw_article_json_is_validated_and_dates_normalised() -> None:
    value = orjson.dumps(
        {
            "id": "a1",
            "url": "https://x.ma/1",
            "text": "خبر",
            "published_at": "2025-02-19T10:00:00Z",
            "fetched_at": 1739959200,
            "extra": "ignored",
        }
    )
    raw = decode_raw(value, None, CAP)
    assert raw.id == "a1" and raw.published_at == "2025-02-19T10:00:00+00:00"
    assert raw.fetched_at == "2025-02-19T10:00:00+00:00"


def test_records_id_defaults_to_url_hash_when_missing() -> None:
    raw = decode_raw(orjson.dumps({"url": "https://x.ma/2", "html": "<p>خبر</p>"}), None, CAP)
    assert raw.id == article_id_for("https://x.ma/2", None)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "empty_message"),
        (b"", "empty_message"),
        (b"\xff\xfe\x00", "invalid_utf8"),
        ("نص".encode()[:-1], "invalid_utf8"),  # truncated UTF-8
        (b'{"text": "x"', "invalid_json"),
        (b"[1, 2]", "not_an_article"),
        (b"42", "no_text_content"),
        (b'{"id": 1, "text": "x"}', "wrong_type"),
        (b'{"text": {"nested": {"deep": 1}}}', "wrong_type"),
        (b'{"url": "https://x"}', "missing_text"),
        (b'{"text": "  \\n "}', "empty_text"),
        (b'{"text": "123 456 !!!"}', "no_text_content"),
        (b'{"text": "x", "published_at": "last week"}', "invalid_date"),
        (b'{"text": "x", "published_at": true}', "invalid_date"),
        ("\u200f\u200e   ".encode(), "no_text_content"),  # bidi marks only
    ],
)
def test_records_bad_messages_are_rejected_with_a_reason(value: bytes | None, reason: str) -> None:
    assert reason_of(value) == reason


def test_records_size_cap_is_checked_before_decoding() -> None:
    assert reason_of(b"a" * (CAP + 1)) == "too_large"


def test_records_deep_json_is_rejected_not_crashed() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    assert reason_of(deep, cap=10**6) in ("invalid_json", "not_an_article")
