"""Fuzzed input through the pure path the worker runs (decode, clean, classify, extract): every
message is either an ArticleResult or a Rejected with the reason it deserves, never a crash."""

from __future__ import annotations

from collections import Counter

import pytest
from fuzzing import ANY, Fuzzer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agents.pipeline import Analyzer
from streams.records import REASONS, Rejected, decode_raw

MAX_BYTES = 200_000


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    a = Analyzer()
    a.warm()
    return a


def outcome(analyzer: Analyzer, key: bytes | None, value: bytes) -> str:
    try:
        result = analyzer.analyze(decode_raw(value, key, MAX_BYTES))
    except Rejected as rejected:
        return rejected.reason
    # what is produced is clean: no control characters, no bidi overrides
    for text in (result.text, result.title or ""):
        assert not [ch for ch in text if ord(ch) < 0x20 and ch not in "\t\n\r"]
        assert not set(text) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    return "result"


def test_fuzzed_messages_end_as_results_or_the_right_dead_letter(analyzer) -> None:
    seen: Counter[str] = Counter()
    wrong = []
    for key, value, expected in Fuzzer(seed=11, max_bytes=MAX_BYTES).messages(4000):
        got = outcome(analyzer, key, value)
        seen[got] += 1
        if got not in expected and expected is not ANY:
            wrong.append((key, got, sorted(expected), value[:80]))
    assert not wrong, wrong[:10]
    # the mix really exercised the paths: valid pages, noisy pages and every kind of refusal
    assert seen["result"] > 1000
    assert set(seen) - {"result"} >= {
        "invalid_utf8",
        "invalid_json",
        "too_large",
        "html_too_complex",
        "empty_message",
        "empty_text",
        "no_text_content",
        "not_an_article",
        "wrong_type",
        "invalid_date",
        "missing_text",
    }


def test_noisy_pages_are_still_understood(analyzer) -> None:
    """Control characters and bidi marks inside words do not hide the event from extraction."""
    fuzzer = Fuzzer(seed=3)
    for n in range(30):
        value, _ = fuzzer.noisy_article(n)
        result = analyzer.analyze(decode_raw(value, None, MAX_BYTES))
        assert result.label == "security"
        assert any(p.name == "Fes" for e in result.events for p in e.places)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_any_bytes_decode_or_are_rejected_with_a_known_reason(value: bytes) -> None:
    try:
        raw = decode_raw(value, None, MAX_BYTES)
    except Rejected as rejected:
        assert rejected.reason in REASONS
    else:
        assert raw.id and (raw.text or raw.html)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_any_text_is_analysed_or_rejected(analyzer, text: str) -> None:
    assert outcome(analyzer, b"k", text.encode("utf-8", "surrogatepass")) in {"result", *REASONS}
