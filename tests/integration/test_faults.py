"""Faults against the real broker: a worker SIGKILLed three times mid-run, workers joining
and leaving mid-run, the broker stopped and restarted mid-run, and 10,000 fuzzed messages
mixed into valid traffic. After each, every input has its ArticleResult or its dead letter,
and what was delivered twice (at-least-once) carries the same ids, so consumers deduplicate
by `event_id`."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from fuzzing import ANY, Fuzzer

from streams.app import IN_FLIGHT
from streams.broker import LocalBroker, free_port
from streams.pagegen import PageGenerator
from streams.records import REASONS

pytestmark = pytest.mark.integration

OUTPUTS = ["articles.classified", "articles.dlq", "events.security"]


def pages(count: int, bad_every: int = 25) -> list[tuple[bytes, bytes]]:
    """Generated 5-20 KB pages with ids p0..pN, every `bad_every`-th one broken JSON."""
    messages = []
    for n, (_, text) in enumerate(PageGenerator().pages(count)):
        key = f"p{n}".encode()
        value = orjson.dumps({"id": key.decode(), "text": text})
        messages.append((key, value[:-2] if n % bad_every == 7 else value))  # cut JSON
    return messages


class Outcomes:
    """What the outputs say about each input: results by id, dead letters by key."""

    def __init__(self, seen: dict[str, list[Any]]) -> None:
        self.results: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for _, value, _ in seen["articles.classified"]:
            self.results[value["id"]].append(value)
        self.letters: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for key, value, _ in seen["articles.dlq"]:
            self.letters[key.decode()].append(value)
        self.events: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for _, value, _ in seen["events.security"]:
            self.events[value["event_id"]].append(value)

    def missing(self, keys: set[str]) -> set[str]:
        return keys - set(self.results) - set(self.letters)

    def check_redeliveries_share_ids(self) -> int:
        """Every redelivered article carries the same event ids; every event has its article's
        id list. Returns how many inputs were delivered more than once."""
        for article_id, results in self.results.items():
            ids = {tuple(e["event_id"] for e in r["events"]) for r in results}
            assert len(ids) == 1, f"{article_id} redelivered with other event ids: {ids}"
        by_article: dict[str, set[str]] = defaultdict(set)
        for event_id, copies in self.events.items():
            assert len({c["article_id"] for c in copies}) == 1
            assert len({c["type"] for c in copies}) == 1
            by_article[copies[0]["article_id"]].add(event_id)
        for article_id, event_ids in by_article.items():
            listed = {e["event_id"] for e in self.results[article_id][0]["events"]}
            assert event_ids == listed, article_id
        twice = [k for k, r in self.results.items() if len(r) > 1]
        twice += [k for k, letters in self.letters.items() if len(letters) > 1]
        return len(twice)


def _settle(reader: Any, keys: set[str], timeout_s: float) -> Outcomes:
    """Read until every key has an outcome (checked every few seconds, not per record)."""
    deadline = time.monotonic() + timeout_s
    while True:
        outcomes = Outcomes(reader.read(lambda _: False, timeout_s=3))
        if not outcomes.missing(keys) or time.monotonic() > deadline:
            return outcomes


def _outputs(seen: dict[str, list[Any]]) -> int:
    return len(seen["articles.classified"]) + len(seen["articles.dlq"])


def test_a_worker_killed_three_times_loses_nothing(stack) -> None:
    s = stack()
    s.worker().wait_ready()
    messages = pages(2500)
    keys = {k.decode() for k, _ in messages}
    reader = s.reader(OUTPUTS)
    began = time.monotonic()
    try:
        s.produce(messages)
        print(f"\nproduced in {time.monotonic() - began:.1f}s")
        for share in (0.15, 0.4, 0.65):
            target = int(share * len(messages))
            reader.read(lambda seen, t=target: _outputs(seen) >= t, timeout_s=120)
            print(f"kill at {target} after {time.monotonic() - began:.1f}s")
            s.workers[-1].kill()  # SIGKILL: no commit, no flush, no goodbye to the group
            s.worker().wait_ready()
            print(f"restarted after {time.monotonic() - began:.1f}s")
        outcomes = _settle(reader, keys, timeout_s=240)
    finally:
        reader.close()
    assert not outcomes.missing(keys), f"lost: {sorted(outcomes.missing(keys))[:20]}"
    assert len(outcomes.letters) == len([k for k, v in messages if not v.endswith(b"}")])
    assert all(v[0]["reason"] == "invalid_json" for v in outcomes.letters.values())
    redelivered = outcomes.check_redeliveries_share_ids()
    print(f"\n{len(keys)} inputs, 3 kills, {redelivered} delivered more than once")


def test_workers_joining_and_leaving_mid_run_hand_over_promptly(stack) -> None:
    """Scaling under load: a second worker joins while the first is busy, then the first
    is stopped (SIGTERM) while both are. Each hand-over waits for the messages in flight
    to be acked, so it must not wait for acks that never come: the join settles and the
    stop ends within seconds, and nothing is lost."""
    s = stack()
    first = s.worker()
    first.wait_ready()
    messages = pages(1500)
    keys = {k.decode() for k, _ in messages}
    reader = s.reader(OUTPUTS)
    try:
        s.produce(messages)
        reader.read(lambda seen: _outputs(seen) >= 200, timeout_s=120)
        s.worker().wait_ready(members=2, timeout_s=60)
        reader.read(lambda seen: _outputs(seen) >= 600, timeout_s=120)
        began = time.monotonic()
        first.stop(timeout_s=60)
        stopping = time.monotonic() - began
        outcomes = _settle(reader, keys, timeout_s=240)
    finally:
        reader.close()
    assert stopping < 20, f"SIGTERM took {stopping:.0f}s:\n{first.tail_log()}"
    assert not outcomes.missing(keys), f"lost: {sorted(outcomes.missing(keys))[:20]}"
    redelivered = outcomes.check_redeliveries_share_ids()
    print(f"\n{len(keys)} inputs, stop took {stopping:.1f}s, {redelivered} delivered twice")
    # Handed-over partitions are committed first (faust_fixes, fix 4): at most what the
    # four agents had in flight is handled again, not the second of work since the last
    # commit (512 and 1,062 of 1,500 twice in 2 of 8 runs without it).
    assert redelivered <= 4 * IN_FLIGHT, f"{redelivered} of {len(keys)} delivered twice"


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[LocalBroker]:
    """A broker of this test's own, since the test stops it."""
    local = LocalBroker(port=free_port(), controller_port=free_port(), data_dir=tmp_path / "kafka")
    local.start()
    yield local
    local.stop()


def test_the_broker_stopped_and_restarted_mid_run_loses_nothing(stack, own_broker) -> None:
    s = stack(on=own_broker)
    worker = s.worker()
    worker.wait_ready()
    messages = pages(1500)
    keys = {k.decode() for k, _ in messages}
    s.produce(messages)
    reader = s.reader(OUTPUTS)
    try:
        reader.read(lambda seen: len(seen["articles.classified"]) >= 300, timeout_s=120)
        own_broker.stop()  # a controlled shutdown of the only broker
        time.sleep(5)
        own_broker.start()
        outcomes = _settle(reader, keys, timeout_s=240)
    finally:
        reader.close()
    assert worker.alive(), f"the worker died with the broker:\n{worker.tail_log()}"
    assert not outcomes.missing(keys), f"lost: {sorted(outcomes.missing(keys))[:20]}"
    redelivered = outcomes.check_redeliveries_share_ids()
    print(f"\n{len(keys)} inputs, broker restarted, {redelivered} delivered more than once")


def test_ten_thousand_fuzzed_messages_in_valid_traffic(stack) -> None:
    max_bytes = 200_000
    s = stack(RAQIB_MAX_MESSAGE_BYTES=str(max_bytes))
    worker = s.worker()
    worker.wait_ready()
    fuzz = list(Fuzzer(seed=2026, max_bytes=max_bytes).messages(10_000))
    expected = {key.decode(): want for key, _, want in fuzz}
    reader = s.reader(OUTPUTS)
    try:
        s.produce((key, value) for key, value, _ in fuzz)
        outcomes = _settle(reader, set(expected), timeout_s=300)
    finally:
        reader.close()
    assert worker.alive(), worker.tail_log()
    assert not outcomes.missing(set(expected)), sorted(outcomes.missing(set(expected)))[:20]
    wrong = []
    for key, want in expected.items():
        got = {"result"} if key in outcomes.results else set()
        got |= {letter["reason"] for letter in outcomes.letters.get(key, [])}
        if want is ANY:
            assert len(got) == 1 and got <= {"result", *REASONS}
        elif got != want:
            wrong.append((key, got, want))
    assert not wrong, wrong[:20]
    counts = Counter(
        "result" if k in outcomes.results else outcomes.letters[k][0]["reason"] for k in expected
    )
    assert counts["result"] > 2500 and counts["unexpected_error"] == 0
    print(f"\n10,000 fuzzed messages: {dict(counts)}")
