"""End to end on the real broker: seeds in, results and events out, bad input to the DLQ."""

from __future__ import annotations

import base64
import hashlib
import urllib.request
from pathlib import Path

import orjson
import pytest
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient
from prometheus_client import CollectorRegistry

from streams.app import build_runtime
from streams.inputs import read_inputs
from streams.topics import max_message_bytes

pytestmark = pytest.mark.integration

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _seed_messages() -> list[tuple[bytes | None, bytes]]:
    return [(m.key, m.value) for m in read_inputs([str(SEEDS)])]


def _results(seen: dict, n: int) -> bool:
    return len({k for k, _, _ in seen["articles.classified"]}) >= n


def test_seeds_flow_through_a_real_worker(stack) -> None:
    s = stack()
    worker = s.worker()
    worker.wait_ready()
    sent = s.produce(_seed_messages())
    seen = s.consume(
        ["articles.classified", "events.security"],
        until=lambda seen: _results(seen, sent) and len(seen["events.security"]) >= 5,
    )
    results = {v["id"]: v for _, v, _ in seen["articles.classified"]}
    assert len(results) == 5
    assert {r["label"] for r in results.values()} == {"security"}

    # 002: the ticker of unrelated headlines is removed from the text and kept as a zone
    r002 = next(r for i, r in results.items() if i.startswith("002"))
    assert "توقعات أحوال الطقس ليوم غد الإثنين" not in r002["text"]
    assert "بتمكنها أخيرا" in r002["text"]
    tickers = [z["text"] for z in r002["removed"] if z["kind"] == "ticker"]
    assert any("توقعات أحوال الطقس ليوم غد الإثنين" in t for t in tickers)

    # 000: the Tamesna cell of 12, aged 18-40, with the embedded tweets out of the text
    r000 = next(r for i, r in results.items() if i.startswith("000"))
    assert "pic.twitter.com" not in r000["text"]
    assert "DGSN MAROC" not in r000["text"]
    assert "يضاهي البنتاغون" not in r000["text"]  # the related-news tail
    events = [v for _, v, _ in seen["events.security"]]
    tamesna = [
        e
        for e in events
        if e["article_id"].startswith("000") and any(p["name"] == "Tamesna" for p in e["places"])
    ]
    assert tamesna, "no event at Tamesna from seed 000"
    event = tamesna[0]
    assert event["members"] == 12
    assert event["type"] == "cell_dismantled"
    assert event["organizations"] == ["ISIS"]
    assert event["date"] == "2025-02-19"
    place = next(p for p in event["places"] if p["name"] == "Tamesna")
    assert place["country"] == "MA" and 33 < place["lat"] < 35 and -8 < place["lon"] < -6
    # every event in the stream is keyed by its event_id, and was filed into an incident
    assert all(k.decode() == v["event_id"] for k, v, _ in seen["events.security"])
    assert all(e["incident_id"] for e in events)

    metrics = (
        urllib.request.urlopen(f"http://127.0.0.1:{worker.settings.web_port}/metrics", timeout=10)
        .read()
        .decode()
    )
    assert 'raqib_results_total{label="security"} 5.0' in metrics
    assert "faust_messages_received" in metrics


def test_the_worker_creates_its_changelogs_before_faust_starts(stack) -> None:
    """Created with the other topics (Faust declared them after reading the metadata, and
    a table refused writes until it saw them), with the size limit of Raqib's topics."""
    s = stack()
    worker = s.worker()
    worker.wait_ready()
    expected = build_runtime(s.settings, registry=CollectorRegistry()).changelogs()
    assert {c.name for c in expected} == {
        f"{s.settings.app_id}-{table}-changelog" for table in ("dedup-signatures", "incidents")
    }
    log = worker.log_path.read_text().splitlines()
    created = next(line for line in log if "created topics:" in line)
    assert all(c.name in created for c in expected)
    admin = KafkaAdminClient(bootstrap_servers=s.broker.bootstrap)
    try:
        described = {t["name"]: t for t in admin.describe_topics([c.name for c in expected])}
        resources = [ConfigResource(ConfigResourceType.TOPIC, c.name) for c in expected]
        configs = admin.describe_configs(resources)["topic"]  # the non-default ones
    finally:
        admin.close()
    for changelog in expected:
        assert len(described[changelog.name]["partitions"]) == changelog.partitions
        found = {key: entry["value"] for key, entry in configs[changelog.name].items()}
        assert found["max.message.bytes"] == max_message_bytes(s.settings)
        assert found == changelog.configs
    assert all(c.configs["cleanup.policy"] == "compact" for c in expected)


BAD = {
    "invalid_utf8": b"\xff\xfe bad bytes \xc3",
    "not_an_article": b"[1, 2, 3]",
    "missing_text": orjson.dumps({"id": "no-text", "url": "https://example.org/x"}),
    "empty_text": orjson.dumps({"id": "empty", "text": "   \n  "}),
    "wrong_type": orjson.dumps({"id": "typed", "text": ["not", "a", "string"]}),
    "invalid_json": b'{"id": "cut", "text": "truncated',
    "invalid_date": orjson.dumps({"id": "dated", "text": "نص", "published_at": "yesterday-ish"}),
}


def test_bad_input_becomes_dead_letters_and_the_worker_carries_on(stack) -> None:
    s = stack(RAQIB_MAX_MESSAGE_BYTES="20000")
    s.worker().wait_ready()
    good = orjson.dumps(
        {"id": "good-1", "text": "أوقفت عناصر الشرطة بمدينة طنجة شخصا يشتبه في ترويج المخدرات."}
    )
    too_large = orjson.dumps({"id": "big", "text": "كلمة " * 10_000})
    messages = [(reason.encode(), value) for reason, value in BAD.items()]
    messages += [(b"too_large", too_large), (b"good-1", good)]
    sent = s.produce(messages)
    seen = s.consume(
        ["articles.classified", "articles.dlq"],
        until=lambda seen: len(seen["articles.classified"]) + len(seen["articles.dlq"]) >= sent,
    )
    letters = {v["reason"]: (v, headers) for _, v, headers in seen["articles.dlq"]}
    assert set(letters) == set(BAD) | {"too_large"}
    for reason, (letter, headers) in letters.items():
        original = too_large if reason == "too_large" else BAD[reason]
        kept = base64.b64decode(letter["original"])
        if reason == "too_large":  # its first 20,000 bytes, and how to find the rest
            assert letter["original_truncated"] and kept == original[:20_000]
            assert letter["original_size"] == len(original)
            assert letter["original_sha256"] == hashlib.sha256(original).hexdigest()
        else:
            assert kept == original and not letter["original_truncated"]  # nothing is lost
        assert letter["topic"] == s.topics.raw and letter["offset"] >= 0
        assert letter["error"] and letter["error_class"].endswith("Rejected")
        assert headers["__connect.errors.topic"] == s.topics.raw.encode()
        assert headers["__connect.errors.exception.class.name"]
    assert [v["id"] for _, v, _ in seen["articles.classified"]] == ["good-1"]


def test_every_input_ends_as_a_result_or_a_dead_letter(stack) -> None:
    s = stack()
    s.worker().wait_ready()
    messages = _seed_messages() * 3 + [(k.encode(), v) for k, v in BAD.items()] * 2
    messages += [(None, f"نص قصير رقم {i} عن مباراة كرة القدم.".encode()) for i in range(20)]
    sent = s.produce(messages)
    seen = s.consume(
        ["articles.classified", "articles.dlq"],
        until=lambda seen: len(seen["articles.classified"]) + len(seen["articles.dlq"]) >= sent,
    )
    results, letters = seen["articles.classified"], seen["articles.dlq"]
    assert len(results) + len(letters) == sent  # conservation, counted per message
    assert len(letters) == len(BAD) * 2
