"""Near-duplicates and incidents across workers, through a crash, and against the embedded mode."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from agents.pipeline import Embedded
from streams.inputs import read_inputs
from streams.pagegen import PageGenerator
from streams.records import decode_raw

pytestmark = pytest.mark.integration

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def corpus(pages: int) -> list[tuple[bytes, bytes]]:
    """The seeds, near-copies of seed 000 (re-spaced, another tail), and generated pages."""
    messages = [(m.key or b"", m.value) for m in read_inputs([str(SEEDS)])]
    seed = next(orjson.loads(v)["text"] for k, v in messages if k.startswith(b"000"))
    body = seed.split("أخبار ذات صلة")[0]
    copies = {
        "copy-respaced": body.replace("، ", " ، ").replace(". ", " . "),
        "copy-other-tail": body + "\nتابعونا على فيسبوك\nاقرأ أيضا: أخبار أخرى من المغرب",
    }
    messages += [(k.encode(), orjson.dumps({"id": k, "text": t})) for k, t in copies.items()]
    gen = PageGenerator()
    messages += [(i.encode(), orjson.dumps({"id": i, "text": t})) for i, t in gen.pages(pages)]
    return messages


def embedded_state(
    messages: list[tuple[bytes, bytes]],
) -> tuple[dict[str, str], set[frozenset[str]]]:
    raws = [decode_raw(v, k, 2_000_000) for k, v in messages]
    results = list(Embedded().run(raws))
    duplicates = {r.id: r.duplicate_of for r in results if r.duplicate_of}
    groups: dict[str, set[str]] = {}
    for r in results:
        for e in r.events:
            groups.setdefault(e.incident_id or "", set()).add(e.event_id)
    return duplicates, {frozenset(g) for g in groups.values()}


def streaming_state(seen: dict[str, list[Any]]) -> tuple[dict[str, str], set[frozenset[str]]]:
    """Latest duplicate notice per article; latest state per incident (tombstones drop it)."""
    duplicates: dict[str, str] = {}
    for key, value, _ in seen["articles.duplicates"]:
        duplicates[key.decode()] = value["duplicate_of"]
    incidents: dict[str, frozenset[str] | None] = {}
    for key, value, _ in seen["events.incidents"]:
        incidents[key.decode()] = frozenset(value["event_ids"]) if value else None
    return duplicates, {g for g in incidents.values() if g}


def run_stack(
    stack, messages, workers: int = 1, kill_after: int | None = None
) -> dict[str, list[Any]]:
    s = stack()
    procs = [s.worker() for _ in range(workers)]
    for w in procs:
        w.wait_ready(members=workers)
    s.produce(messages)
    ids = {orjson.loads(v)["id"] for _, v in messages}
    topics = ["articles.classified", "articles.duplicates", "events.incidents", "articles.dlq"]

    def done(seen: dict[str, list[Any]]) -> bool:
        return {v["id"] for _, v, _ in seen["articles.classified"]} >= ids

    if kill_after is not None:
        s.consume(topics, until=lambda seen: len(seen["articles.classified"]) >= kill_after)
        procs[0].kill()  # SIGKILL mid-stream: no commit, no flush
        time.sleep(1)
        s.worker().wait_ready()
    seen = s.consume(topics, until=done, timeout_s=240)
    assert done(seen), f"{len(seen['articles.classified'])} results for {len(ids)} inputs"
    time.sleep(3)  # let the last incident states land
    return s.consume(topics, until=lambda _: False, timeout_s=5)


def test_seeds_duplicates_and_incidents_stream(stack) -> None:
    messages = [(m.key or b"", m.value) for m in read_inputs([str(SEEDS)])]
    seen = run_stack(stack, messages)
    duplicates, groups = streaming_state(seen)
    ids = {v["id"][:3]: v["id"] for _, v, _ in seen["articles.classified"]}
    assert duplicates == {ids["001"]: ids["000"]}
    events = {
        r["id"][:3]: [e["event_id"] for e in r["events"]] for _, r, _ in seen["articles.classified"]
    }
    tamesna = next(g for g in groups if events["000"][0] in g)
    assert set(events["001"]) | set(events["004"]) <= tamesna
    assert not set(events["002"]) & tamesna and not set(events["003"]) & tamesna


def test_streaming_agrees_with_the_embedded_mode(stack) -> None:
    messages = corpus(40)
    duplicates, groups = streaming_state(run_stack(stack, messages))
    assert (duplicates, groups) == embedded_state(messages)
    assert len(duplicates) >= 3  # 001 and the two copies of 000


def test_two_workers_give_the_same_state_as_one(stack) -> None:
    messages = corpus(60)
    one = streaming_state(run_stack(stack, messages, workers=1))
    two = streaming_state(run_stack(stack, messages, workers=2))
    assert one == two


def test_a_killed_worker_recovers_its_tables(stack) -> None:
    messages = corpus(120)
    uninterrupted = streaming_state(run_stack(stack, messages))
    crashed = streaming_state(run_stack(stack, messages, kill_after=len(messages) // 3))
    assert crashed == uninterrupted


def test_filing_an_article_writes_only_the_incidents_it_changed(stack) -> None:
    """The incidents table holds one record per incident: nothing per block that every
    article filed into it would rewrite, growing with the block's open incidents."""
    s = stack()
    s.worker().wait_ready()
    messages = corpus(30)
    s.produce(messages)
    ids = {orjson.loads(v)["id"] for _, v in messages}
    reader = s.reader(["articles.classified", "events.incidents"])
    changelog = s.changelog_reader("incidents")
    try:
        reader.read(lambda seen: {v["id"] for _, v, _ in seen["articles.classified"]} >= ids, 120)
        time.sleep(3)  # an article's incident states follow its result
        published = {
            key.decode() for key, _, _ in reader.read(lambda _: False, 3)["events.incidents"]
        }
        written = [
            orjson.loads(key) for key, _, _ in changelog.read(lambda _: False, 5)["incidents"]
        ]
    finally:
        reader.close()
        changelog.close()
    assert published and all(key.startswith("inc:") for key in written)
    assert {key[len("inc:") :] for key in written} <= published


def test_an_incident_closed_by_the_window_leaves_the_table(stack, seeds) -> None:
    """An incident not reported for RAQIB_INCIDENT_WINDOW_DAYS is closed when its block
    next files an article: its state is deleted from the table (a changelog tombstone),
    and the later report opens an incident of its own."""
    s = stack()
    s.worker().wait_ready()

    def report(article_id: str, fetched: str) -> tuple[bytes, bytes]:
        raw = {"id": article_id, "text": seeds["000"], "fetched_at": f"{fetched}T10:00:00+00:00"}
        return article_id.encode(), orjson.dumps(raw)

    reader = s.reader(["articles.classified"])
    changelog = s.changelog_reader("incidents")
    try:
        incident: dict[str, str] = {}
        for article_id, fetched in (("january", "2025-01-05"), ("april", "2025-04-20")):
            s.produce([report(article_id, fetched)])
            seen = reader.read(
                lambda seen, a=article_id: any(
                    v["id"] == a for _, v, _ in seen["articles.classified"]
                ),
                120,
            )
            (result,) = [v for _, v, _ in seen["articles.classified"] if v["id"] == article_id]
            incident[article_id] = result["events"][0]["incident_id"]
        closed, opened = f"inc:{incident['january']}", f"inc:{incident['april']}"

        def latest(seen: dict[str, list[Any]]) -> dict[str, Any]:
            return {orjson.loads(key): value for key, value, _ in seen["incidents"]}

        states = latest(changelog.read(lambda seen: opened in latest(seen), 30))
        states = latest(changelog.read(lambda _: False, 3))  # anything after it
    finally:
        reader.close()
        changelog.close()
    assert opened != closed and states[opened] and states[closed] is None
