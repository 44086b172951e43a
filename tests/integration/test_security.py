"""SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) and SASL over TLS against a real broker.

One dedicated broker for the module: its PLAINTEXT listener is only for the broker
itself; the worker (Faust/aiokafka) and the CLI (kafka-python, `raqib push` and
`raqib tail`, run as child processes) are given only a SASL listener, SASL_PLAINTEXT
or SASL_SSL with the broker's self-signed certificate as RAQIB_SSL_CAFILE, and must
create their topics, authenticate, produce and consume through it. A wrong password
or an untrusted certificate must fail with a clear message in bounded time, and no
password may appear in any log or output.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from streams.broker import LocalBroker, SaslUser, free_port
from streams.processes import WorkerProcess, stop_group

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
SEED_IDS = {p.stem for p in SEEDS.glob("*.txt")}
USER = "raqib"
PASSWORD = "s3cret-Pa55-xyz"
WRONG = "wr0ng-Pa55-xyz"
SECRETS = (PASSWORD, WRONG)
MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
# kafka-python retries a refused bootstrap for 30 s (bootstrap_timeout_ms) before it gives up
REFUSAL_BOUND_S = 90.0


@pytest.fixture(scope="module")
def secure_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    local = LocalBroker(
        port=free_port(),
        controller_port=free_port(),
        data_dir=tmp_path_factory.mktemp("kafka-sasl"),
        sasl_users=[SaslUser(USER, PASSWORD)],
        tls=True,
        heap="512m",
    )
    seconds = local.start()
    print(
        f"\nSASL Kafka ready in {seconds:.1f}s: SASL_PLAINTEXT {local.sasl_bootstrap}, "
        f"SASL_SSL {local.sasl_ssl_bootstrap}"
    )
    yield local
    local.stop()


def _env(
    broker: LocalBroker,
    protocol: str,
    mechanism: str,
    password: str = PASSWORD,
    ca_file: bool = True,
) -> dict[str, str]:
    """RAQIB_* for one deployment on the SASL listener of `protocol` only; own topics and group."""
    tag = uuid.uuid4().hex[:8]
    env = {
        "RAQIB_BROKER": broker.sasl_ssl_bootstrap
        if protocol == "SASL_SSL"
        else broker.sasl_bootstrap,
        "RAQIB_SECURITY_PROTOCOL": protocol,
        "RAQIB_SASL_MECHANISM": mechanism,
        "RAQIB_SASL_USERNAME": USER,
        "RAQIB_SASL_PASSWORD": password,
        "RAQIB_TOPIC_PREFIX": f"s{tag}.",
        "RAQIB_APP_ID": f"raqib-s{tag}",
        "RAQIB_PARTITIONS": "2",
    }
    if protocol == "SASL_SSL" and ca_file:
        env["RAQIB_SSL_CAFILE"] = str(broker.ca_file.resolve())
    return env


def _child_env(env: dict[str, str]) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("RAQIB_")}
    return {**inherited, **env}


def _cli(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    """Start `raqib ARGS` as a child process (its own session, so nothing outlives it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "streams.cli", *args],
        env=_child_env(env),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def _finish(proc: subprocess.Popen[bytes], timeout_s: float) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        stop_group(proc, 5)
        out, err = proc.communicate()
        pytest.fail(f"{proc.args!r} still running after {timeout_s}s:\n{err.decode()[-2000:]}")
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def _run(env: dict[str, str], *args: str, timeout_s: float = 90.0) -> tuple[int, str, str]:
    return _finish(_cli(env, *args), timeout_s)


def _no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, "a SASL password leaked into logs or output"


@pytest.mark.parametrize(
    ("protocol", "mechanism", "log_level"),
    [
        ("SASL_PLAINTEXT", "SCRAM-SHA-256", "info"),
        ("SASL_SSL", "SCRAM-SHA-512", "info"),
        # at DEBUG both client libraries trace the SaslAuthenticate request: with PLAIN its
        # token is the password in clear, which must come out redacted
        ("SASL_SSL", "PLAIN", "debug"),
    ],
)
def test_worker_and_cli_over_sasl(
    secure_broker: LocalBroker, tmp_path: Path, protocol: str, mechanism: str, log_level: str
) -> None:
    env = _env(secure_broker, protocol, mechanism)
    worker = WorkerProcess(
        env={
            **env,
            "RAQIB_WEB_PORT": str(free_port()),
            "RAQIB_DATA_DIR": str(tmp_path / "worker"),
            "RAQIB_LOG_LEVEL": log_level,
        },
        log_path=tmp_path / "worker.log",
    )
    try:
        worker.start()
        worker.wait_ready(timeout_s=120)  # kafka-python admin, with the worker's SASL settings

        rc, out, err = _run(env, "push", str(SEEDS))
        assert rc == 0, err
        assert f"sent {len(SEED_IDS)} message(s)" in err

        # every seed ends as a result, read back through the SASL listener by the CLI
        rc, results_out, err = _run(
            env, "tail", "articles.classified", "--from-beginning", "--max", "5", "--timeout", "60"
        )
        assert rc == 0, err
        results = [orjson.loads(line) for line in results_out.splitlines()]
        assert {r["id"] for r in results} == SEED_IDS
        expected_events = sum(len(r["events"]) for r in results)

        # the events are sent right after their result
        rc, events_out, err = _run(
            env,
            "tail",
            "events.security",
            "--from-beginning",
            "--max",
            str(expected_events),
            "--timeout",
            "15",
        )
        assert rc == 0, err
        events = [orjson.loads(line) for line in events_out.splitlines()]
        assert len(events) == expected_events
        assert {e["article_id"] for e in events} == SEED_IDS
        assert all(e["type"] for e in events)
        assert worker.alive(), worker.tail_log()
    finally:
        worker.stop()

    log = worker.log_path.read_text(errors="replace")
    assert "created topics:" in log  # ensure_topics ran over SASL, before Faust started
    # kafka-python names PLAIN "Plain"
    assert f"authenticated as {USER} via sasl / {mechanism}".lower() in log.lower()
    assert "'sasl_password': '***'" in log  # the settings line is redacted
    if log_level == "debug":  # the traces are there, without the password
        assert "SaslAuthenticateRequest" in log and "'sasl_plain_password': '***'" in log
    _no_secret(log, out, results_out, events_out, err)


@pytest.mark.parametrize("mechanism", MECHANISMS)
@pytest.mark.parametrize("protocol", ["SASL_PLAINTEXT", "SASL_SSL"])
def test_cli_pushes_and_tails_with_every_mechanism(
    secure_broker: LocalBroker, protocol: str, mechanism: str
) -> None:
    env = _env(secure_broker, protocol, mechanism)
    rc, push_out, push_err = _run(env, "push", str(SEEDS))
    assert rc == 0, push_err
    rc, out, err = _run(
        env, "tail", "articles.raw", "--from-beginning", "--max", "5", "--timeout", "30", "--meta"
    )
    assert rc == 0, err
    records = [orjson.loads(line) for line in out.splitlines()]
    assert {r["key"] for r in records} == SEED_IDS
    assert {r["topic"] for r in records} == {env["RAQIB_TOPIC_PREFIX"] + "articles.raw"}
    _no_secret(push_out, push_err, out, err)


def test_refusals_are_clear_bounded_and_keep_secrets(
    secure_broker: LocalBroker, tmp_path: Path
) -> None:
    """Wrong passwords (CLI and worker) and an untrusted certificate, all at once."""
    wrong_plain = _env(secure_broker, "SASL_PLAINTEXT", "PLAIN", password=WRONG)
    wrong_scram = _env(secure_broker, "SASL_SSL", "SCRAM-SHA-512", password=WRONG)
    untrusted = _env(secure_broker, "SASL_SSL", "SCRAM-SHA-256", ca_file=False)
    worker = WorkerProcess(
        env={
            **_env(secure_broker, "SASL_PLAINTEXT", "PLAIN", password=WRONG),
            "RAQIB_WEB_PORT": str(free_port()),
            "RAQIB_DATA_DIR": str(tmp_path / "worker"),
            "RAQIB_LOG_LEVEL": "debug",  # the wrong password is in the PLAIN token it traces
        },
        log_path=tmp_path / "worker.log",
    )
    began = time.monotonic()
    children = {
        "push-plain": _cli(wrong_plain, "push", str(SEEDS)),
        "tail-scram": _cli(wrong_scram, "tail", "events.security", "--timeout", "5"),
        "push-untrusted": _cli(untrusted, "push", str(SEEDS)),
    }
    try:
        worker.start()
        done = {name: _finish(proc, REFUSAL_BOUND_S) for name, proc in children.items()}
        assert worker.process is not None
        worker.process.wait(timeout=max(1.0, REFUSAL_BOUND_S - (time.monotonic() - began)))
    finally:
        for proc in children.values():
            stop_group(proc, 5)
        worker.stop()
    elapsed = time.monotonic() - began
    assert elapsed < REFUSAL_BOUND_S

    for name in ("push-plain", "tail-scram"):
        rc, out, err = done[name]
        assert rc == 1, (name, err)
        assert "error: cannot use Kafka at" in err, err
        # the broker's own words, unless kafka-python lost every one of its error responses
        assert (
            "authentication failed: Authentication failed" in err
            or "closed the connection before the SASL login completed" in err
        ), err
        assert "Traceback" not in err, err
        _no_secret(out, err)
    assert "SCRAM-SHA-512 as 'raqib'" in done["tail-scram"][2]
    assert "PLAIN as 'raqib'" in done["push-plain"][2]

    rc, out, err = done["push-untrusted"]
    assert rc == 1, err
    assert "TLS handshake failed" in err and "CERTIFICATE_VERIFY_FAILED" in err, err
    _no_secret(out, err)

    assert worker.process.returncode != 0
    log = worker.log_path.read_text(errors="replace")
    assert "Unable to bootstrap" in log, log[-3000:]
    assert "SaslAuthenticateRequest" in log  # traced, with the token redacted
    _no_secret(log)
