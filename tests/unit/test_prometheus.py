"""Prometheus configuration and alert rules, checked by Prometheus's own promtool."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

PROMETHEUS = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"

pytestmark = pytest.mark.skipif(
    shutil.which("promtool") is None,
    reason="promtool comes with Prometheus (make test installs it)",
)


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["promtool", *args], cwd=PROMETHEUS, capture_output=True, text=True)


def test_prometheus_every_alert_rule_is_tested() -> None:
    done = promtool("test", "rules", "alerts_test.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    alerts = {
        line.split(":", 1)[1].strip()
        for line in (PROMETHEUS / "alerts.yml").read_text().splitlines()
        if line.strip().startswith("- alert:")
    }
    tested = (PROMETHEUS / "alerts_test.yml").read_text()
    assert alerts and all(f"alertname: {a}" in tested for a in alerts), alerts


def test_prometheus_config_and_rules_are_valid() -> None:
    for args in (("check", "rules", "alerts.yml"), ("check", "config", "prometheus.yml")):
        done = promtool(*args)
        assert done.returncode == 0, done.stdout + done.stderr
