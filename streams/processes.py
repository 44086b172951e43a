"""A `raqib worker` as a child process: for the demo, the integration tests and the benchmarks.

Each worker runs in its own session so a stop (SIGTERM) or a kill (SIGKILL, the
fault tests) reaches it and nothing outlives it. Ready means the worker's
consumer group is stable with partitions assigned, checked through the broker.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .settings import Settings


def tail(path: Path, lines: int = 40) -> str:
    """The last lines of a log file, for error messages."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no log at {path})"


def kill_group(proc: subprocess.Popen[bytes] | None) -> None:
    """SIGKILL a child's whole process group: no shutdown, no commit, no flush."""
    if proc is not None and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def stop_group(proc: subprocess.Popen[bytes] | None, timeout_s: float = 30.0) -> None:
    """SIGTERM a child's process group, SIGKILL it if it hangs; nothing is left behind."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        kill_group(proc)
    except ProcessLookupError:
        pass


@dataclass
class WorkerProcess:
    env: dict[str, str]  # RAQIB_* settings of this worker
    log_path: Path
    command: tuple[str, ...] = ("worker",)  # the `raqib` subcommand that runs it
    process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        return Settings.from_env(self.env)

    def start(self) -> WorkerProcess:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streams.cli", *self.command],
            env={**os.environ, **self.env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_ready(self, timeout_s: float = 60.0, members: int = 1) -> float:
        """Block until the consumer group is stable with `members` members; return seconds."""
        from kafka.admin import KafkaAdminClient

        from .connection import kafka_python_config

        began = time.monotonic()
        settings = self.settings
        admin = KafkaAdminClient(**kafka_python_config(settings), request_timeout_ms=5000)
        try:
            while time.monotonic() - began < timeout_s:
                if not self.alive():
                    raise RuntimeError(f"worker exited:\n{self.tail_log()}")
                try:
                    group = admin.describe_groups([settings.app_id])[settings.app_id]
                    if group["group_state"] == "Stable" and len(group["members"]) >= members:
                        return time.monotonic() - began
                except Exception:  # group not created yet
                    pass
                time.sleep(0.3)
        finally:
            admin.close()
        raise TimeoutError(f"worker not ready after {timeout_s}s:\n{self.tail_log()}")

    def tail_log(self, lines: int = 40) -> str:
        return tail(self.log_path, lines)

    def kill(self) -> None:
        """SIGKILL: what a crash does."""
        kill_group(self.process)
        self._close()

    def stop(self, timeout_s: float = 30.0) -> None:
        stop_group(self.process, timeout_s)
        self._close()

    def _close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None
