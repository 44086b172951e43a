"""The real Prometheus server scrapes a real worker fed with the seeds: every panel query of
every Grafana dashboard returns data, every alert rule loads and evaluates, and the live
scrape passes `promtool check metrics`."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from streams.broker import free_port
from streams.inputs import read_inputs
from streams.processes import stop_group, tail

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        shutil.which("prometheus") is None,
        reason="Prometheus comes from Debian's package (make test installs it)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
DASHBOARDS = sorted((ROOT / "deploy" / "grafana" / "dashboards").glob("*.json"))
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


class Prometheus:
    """Debian's Prometheus on a free port of 127.0.0.1, scraping given targets every second."""

    def __init__(self, workdir: Path, targets: list[str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "prometheus.log"
        config = {
            "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
            "rule_files": [str(ALERTS)],
            "scrape_configs": [{"job_name": "raqib", "static_configs": [{"targets": targets}]}],
        }
        self.config = workdir / "prometheus.yml"
        self.config.write_text(json.dumps(config))  # JSON is YAML
        self.data = workdir / "tsdb"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = 30.0) -> None:
        self.process = subprocess.Popen(
            [
                "prometheus",
                f"--config.file={self.config}",
                f"--storage.tsdb.path={self.data}",
                f"--web.listen-address=127.0.0.1:{self.port}",
            ],
            stdout=open(self.log, "ab"),
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"prometheus exited:\n{tail(self.log)}")
            try:
                urllib.request.urlopen(f"{self.url}/-/ready", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"prometheus not ready in {timeout_s}s:\n{tail(self.log)}")

    def query(self, expr: str) -> list[dict[str, Any]]:
        q = urllib.parse.urlencode({"query": expr})
        answer = _get(f"{self.url}/api/v1/query?{q}")
        assert answer["status"] == "success", (expr, answer)
        return list(answer["data"]["result"])

    def stop(self) -> None:
        stop_group(self.process)


def _panel_queries() -> list[tuple[str, str, str]]:
    queries = []
    for path in DASHBOARDS:
        dashboard = json.loads(path.read_text())
        for panel in dashboard["panels"]:
            for target in panel.get("targets", []):
                if target.get("expr"):
                    queries.append((path.stem, panel["title"], target["expr"]))
    return queries


@pytest.fixture
def fed_worker(stack) -> Iterator[Any]:
    """A worker that has processed the seeds twice (so near-duplicates and incident updates
    happen) and a few bad messages (so dead letters are counted)."""
    s = stack()
    worker = s.worker()
    worker.wait_ready()
    seeds = [(m.key, m.value) for m in read_inputs([str(ROOT / "seeds")])]
    bad = [(b"bad-json", b'{"id": "cut", "text": "trunc'), (b"bad-utf8", b"\xff\xfe\xc3")]
    sent = s.produce(seeds + bad)
    s.consume(
        ["articles.classified", "articles.dlq"],
        until=lambda seen: len(seen["articles.classified"]) + len(seen["articles.dlq"]) >= sent,
    )
    yield worker


def test_every_dashboard_panel_returns_data_from_a_real_prometheus(fed_worker, tmp_path) -> None:
    queries = _panel_queries()
    assert len(DASHBOARDS) >= 2 and len(queries) >= 12
    prometheus = Prometheus(tmp_path, [f"127.0.0.1:{fed_worker.settings.web_port}"])
    prometheus.start()
    try:
        # the lag collector runs every 15 s; everything else is there after two scrapes
        deadline = time.monotonic() + 75
        empty = queries
        while empty and time.monotonic() < deadline:
            time.sleep(2)
            empty = [q for q in empty if not prometheus.query(q[2])]
        assert not empty, f"panels without data: {empty}\nworker log:\n{tail(fed_worker.log_path)}"

        # values, not only series: the seeds are security news with events at known places
        mix = {
            r["metric"]["label"]: float(r["value"][1])
            for r in prometheus.query('sum by (label) (raqib_results_total{job="raqib"})')
        }
        assert mix["security"] == 5 and mix["unrelated"] == 0
        places = prometheus.query("raqib_event_places_total")
        tamesna = [p["metric"] for p in places if p["metric"]["place"] == "Tamesna"]
        assert tamesna and 33 < float(tamesna[0]["lat"]) < 35 and tamesna[0]["country"] == "MA"
        letters = prometheus.query("sum(raqib_dead_letters_total)")
        assert float(letters[0]["value"][1]) == 2
        assert float(prometheus.query("sum(raqib_duplicates_total)")[0]["value"][1]) >= 1

        # every recording and alert rule loaded and evaluates without error
        groups = _get(f"{prometheus.url}/api/v1/rules")["data"]["groups"]
        rules = [rule for group in groups for rule in group["rules"]]
        assert {r["name"] for r in rules if r["type"] == "alerting"} >= {
            "RaqibWorkerDown",
            "RaqibDeadLettersRising",
            "RaqibConsumerLagGrowing",
            "RaqibNoEvents",
            "RaqibClassificationMixShift",
        }
        assert all(r["health"] == "ok" for r in rules), [
            (r["name"], r.get("lastError")) for r in rules if r["health"] != "ok"
        ]
        # the worker is up, so the worker-down alert is not firing
        alerts = _get(f"{prometheus.url}/api/v1/alerts")["data"]["alerts"]
        assert not [a for a in alerts if a["labels"]["alertname"] == "RaqibWorkerDown"]
    finally:
        prometheus.stop()


def test_a_live_scrape_passes_promtool(fed_worker) -> None:
    if shutil.which("promtool") is None:
        pytest.fail("promtool missing although prometheus is installed")
    url = f"http://127.0.0.1:{fed_worker.settings.web_port}/metrics"
    scrape = urllib.request.urlopen(url, timeout=10).read()
    assert b"raqib_results_total" in scrape and b"faust_messages_received_total" in scrape
    checked = subprocess.run(
        ["promtool", "check", "metrics"], input=scrape, capture_output=True, timeout=30
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not checked.stdout.strip() and not checked.stderr.strip()
    # counters end in _total, durations are in seconds, nothing in milliseconds
    names = {line.split(b" ")[2] for line in scrape.splitlines() if line.startswith(b"# TYPE")}
    assert not [n for n in names if n.endswith(b"_ms") or b"milli" in n]
