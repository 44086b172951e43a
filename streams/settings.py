"""Every setting Raqib reads, each from one environment variable, read once.

`Settings.from_env()` is called in `main()` of each command and the result is
passed down (`create_app(settings)`); nothing else in the code base reads the
environment. `raqib settings` prints this table, and the README copies it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any


def _setting(env: str, default: Any, doc: str) -> Any:
    return field(default=default, metadata={"env": env, "doc": doc})


_ZERO_ALLOWED = frozenset({"web_port", "standby_replicas"})  # any free port; no standbys


@dataclass(frozen=True)
class Settings:
    broker: str = _setting(
        "RAQIB_BROKER", "127.0.0.1:9092", "Kafka bootstrap servers, comma separated (host:port)."
    )
    topic_prefix: str = _setting(
        "RAQIB_TOPIC_PREFIX", "", "Prefix for every topic name, e.g. `staging.`."
    )
    partitions: int = _setting(
        "RAQIB_PARTITIONS", 8, "Partitions of the topics Raqib creates (workers scale up to this)."
    )
    replication: int = _setting(
        "RAQIB_REPLICATION", 1, "Replication factor of the topics Raqib creates."
    )
    app_id: str = _setting(
        "RAQIB_APP_ID", "raqib", "Faust application id: consumer group and changelog topic prefix."
    )
    web_host: str = _setting(
        "RAQIB_WEB_HOST",
        "127.0.0.1",
        "Address the worker's web server binds (0.0.0.0 in containers).",
    )
    web_port: int = _setting(
        "RAQIB_WEB_PORT", 6066, "Port of the worker's web server, which serves `/metrics`."
    )
    store: str = _setting(
        "RAQIB_STORE", "memory://", "Faust table store: `memory://` or `rocksdb://`."
    )
    data_dir: str = _setting(
        "RAQIB_DATA_DIR", "var/worker", "Directory for the worker's local table state."
    )
    max_message_bytes: int = _setting(
        "RAQIB_MAX_MESSAGE_BYTES",
        2_000_000,
        "Largest input message accepted; larger ones become dead letters (`too_large`).",
    )
    dedup_threshold: float = _setting(
        "RAQIB_DEDUP_THRESHOLD", 0.8, "Similarity above which an article is a near-duplicate."
    )
    dedup_window_days: int = _setting(
        "RAQIB_DEDUP_WINDOW_DAYS", 7, "How long an article stays in the near-duplicate index."
    )
    incident_window_days: int = _setting(
        "RAQIB_INCIDENT_WINDOW_DAYS", 30, "How long an incident stays open for new reports."
    )
    standby_replicas: int = _setting(
        "RAQIB_STANDBY_REPLICAS",
        1,
        "Standby copies of each table partition kept by other workers: fast failover, for more"
        " CPU and memory (0: a worker taking over a partition reads its tables back from the"
        " changelogs).",
    )
    security_protocol: str = _setting(
        "RAQIB_SECURITY_PROTOCOL",
        "PLAINTEXT",
        "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.",
    )
    sasl_mechanism: str = _setting(
        "RAQIB_SASL_MECHANISM", "PLAIN", "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512."
    )
    sasl_username: str = _setting("RAQIB_SASL_USERNAME", "", "SASL user name.")
    sasl_password: str = _setting(
        "RAQIB_SASL_PASSWORD", "", "SASL password (never logged or printed)."
    )
    ssl_cafile: str = _setting("RAQIB_SSL_CAFILE", "", "CA bundle (PEM) that signed the brokers.")
    ssl_certfile: str = _setting("RAQIB_SSL_CERTFILE", "", "Client certificate (PEM), for mTLS.")
    ssl_keyfile: str = _setting("RAQIB_SSL_KEYFILE", "", "Client private key (PEM), for mTLS.")
    log_level: str = _setting("RAQIB_LOG_LEVEL", "info", "Log level of the worker.")

    def __post_init__(self) -> None:
        """Counts and sizes must be positive: a zero would fail on every message, not here."""
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int | float) and not isinstance(value, bool) and value <= 0:
                if value < 0 or f.name not in _ZERO_ALLOWED:
                    raise ValueError(f"{f.metadata['env']}={value!r} must be positive")
        if not 0.0 < self.dedup_threshold <= 1.0:
            raise ValueError(f"RAQIB_DEDUP_THRESHOLD={self.dedup_threshold!r} must be in (0, 1]")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from `env` (default: the process environment), then `overrides`."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f.metadata["env"])
            if raw is None or raw == "":
                continue
            kind: type = type(f.default)
            try:
                values[f.name] = kind(raw)
            except ValueError as exc:
                raise ValueError(
                    f"{f.metadata['env']}={raw!r} is not a valid {kind.__name__}"
                ) from exc
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)

    def redacted(self) -> dict[str, Any]:
        """The settings as a dict, with secrets masked: the only form that may be logged."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        if out["sasl_password"]:
            out["sasl_password"] = "***"
        return out

    def __repr__(self) -> str:  # keep the password out of tracebacks and logs
        return f"Settings({self.redacted()!r})"


def settings_table() -> list[tuple[str, str, str]]:
    """(env var, default, description) for every setting: the README's table."""
    return [(f.metadata["env"], str(f.default), f.metadata["doc"]) for f in fields(Settings)]
