"""How Raqib's clients connect to Kafka: plaintext, TLS, SASL (PLAIN/SCRAM) or both.

One function per client library, both built from the same `Settings`, so the
worker (Faust/aiokafka) and the CLI (kafka-python) can never disagree.

The SASL password never reaches a log: both client libraries print it at DEBUG
(kafka-python's admin client logs its whole configuration; both trace the
SaslAuthenticate request, whose PLAIN token is the password in clear), so a
process that hands the password to a client also redacts it from every log
record it makes from then on (`protect`). And kafka-python hides why a broker
refused it behind "Unable to bootstrap"; `diagnosed` brings the reason back.
"""

from __future__ import annotations

import logging
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .settings import Settings

PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")


def _check(settings: Settings) -> None:
    if settings.security_protocol not in PROTOCOLS:
        raise ValueError(
            f"RAQIB_SECURITY_PROTOCOL={settings.security_protocol!r}: expected one of {PROTOCOLS}"
        )
    if settings.security_protocol.startswith("SASL"):
        if settings.sasl_mechanism not in MECHANISMS:
            raise ValueError(
                f"RAQIB_SASL_MECHANISM={settings.sasl_mechanism!r}: expected one of {MECHANISMS}"
            )
        if not settings.sasl_username:
            raise ValueError("SASL needs RAQIB_SASL_USERNAME and RAQIB_SASL_PASSWORD")


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """A verifying TLS context for the SSL protocols, None otherwise."""
    if not settings.security_protocol.endswith("SSL"):
        return None
    context = ssl.create_default_context(cafile=settings.ssl_cafile or None)
    if settings.ssl_certfile:
        context.load_cert_chain(settings.ssl_certfile, settings.ssl_keyfile or None)
    return context


class Secret(str):
    """A password that prints as *** in reprs (a dict of settings, a traceback's locals)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'***'"


_PROTECTED: set[str] = set()  # every form of every password this process was given


def _redact(message: str) -> str:
    for secret in sorted(_PROTECTED, key=len, reverse=True):
        message = message.replace(secret, "***")
    return message


class _RedactingFactory:
    """A log record factory that replaces protected passwords in the message by ***."""

    def __init__(self, previous: Any) -> None:
        self.previous = previous

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = self.previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # formatting errors are the logging module's to report
            return record
        if any(secret in message for secret in _PROTECTED):
            record.msg, record.args = _redact(message), None
        return record


def protect(password: str) -> Secret:
    """`password` as a `Secret`, and replaced by *** in every log record made from now on.

    Covers every logger and handler (a log record factory), including the libraries'
    DEBUG traces, where the password shows as text or inside a bytes repr.
    """
    if password:
        forms = {password, repr(password)[1:-1], repr(password.encode())[2:-1]}
        _PROTECTED.update(form for form in forms if form)
        factory = logging.getLogRecordFactory()
        if not isinstance(factory, _RedactingFactory):
            logging.setLogRecordFactory(_RedactingFactory(factory))
    return Secret(password)


def kafka_python_config(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for kafka-python's producer, consumer and admin client."""
    _check(settings)
    config: dict[str, Any] = {
        "bootstrap_servers": settings.broker.split(","),
        "security_protocol": settings.security_protocol,
    }
    context = ssl_context(settings)
    if context is not None:
        config["ssl_context"] = context
    if settings.security_protocol.startswith("SASL"):
        config["sasl_mechanism"] = settings.sasl_mechanism
        config["sasl_plain_username"] = settings.sasl_username
        config["sasl_plain_password"] = protect(settings.sasl_password)
    return config


def faust_credentials(settings: Settings) -> Any:
    """`broker_credentials` for the Faust app, or None for plaintext."""
    import faust

    _check(settings)
    context = ssl_context(settings)
    if settings.security_protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=settings.sasl_username,
            password=protect(settings.sasl_password),
            mechanism=settings.sasl_mechanism,
            ssl_context=context,
        )
    if context is not None:
        return faust.SSLCredentials(context)
    return None


class ConnectionFailed(RuntimeError):
    """Kafka could not be used with these settings; the message says why (never the password)."""


# What kafka-python logs when the broker refuses us: the SASL login, the TLS handshake
# (an unknown CA, a host name not in the certificate) or an ACL; the reason is the broker's
# or OpenSSL's text, which never holds the password.
_REFUSALS = (
    ("authentication failed", re.compile(r"(Authentication failed[^\n]*)")),
    ("authentication failed", re.compile(r"SaslAuthenticationFailed\w*: ([^\n]*)")),
    ("TLS handshake failed", re.compile(r"Handshake failed: ([^\n]*)")),
    ("TLS handshake failed", re.compile(r"(\[SSL: [^\n]*)")),
    ("not authorized", re.compile(r"(\w*AuthorizationFailed\w*[^\n]*)")),
)
# kafka-python appends its retry delay to the message: "... (backoff 0.34 secs)".
_BACKOFF = re.compile(r"\s*\(backoff [^)]*\)?\s*$")


class _RefusalWatcher(logging.Handler):
    """Keeps the last refusal kafka-python logged and whether the broker hung up; prints nothing."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.reason: str | None = None
        self.hung_up = False

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot format is no reason to fail
            return
        for kind, pattern in _REFUSALS:
            found = pattern.search(message)
            if found:
                self.reason = f"{kind}: {_BACKOFF.sub('', found.group(1))}"
                return
        if "socket disconnected" in message:
            self.hung_up = True


def describe(settings: Settings) -> str:
    """Where and how we connect, for error messages: never the password."""
    how = [settings.security_protocol]
    if settings.security_protocol.startswith("SASL"):
        how.append(f"{settings.sasl_mechanism} as {settings.sasl_username!r}")
    if settings.security_protocol.endswith("SSL"):
        how.append(f"CA {settings.ssl_cafile or '(system default)'}")
    return f"Kafka at {settings.broker} ({', '.join(how)})"


@contextmanager
def diagnosed(settings: Settings) -> Iterator[None]:
    """Turn a kafka-python failure in the block into `ConnectionFailed` that names the cause.

    kafka-python 3.0 keeps retrying a bootstrap whose SASL login the broker rejected
    until its bootstrap timeout (30 s), then raises only "Unable to bootstrap"; the
    broker's reason ("Authentication failed ... invalid credentials") is only in its
    log records, which this reads while the block runs.
    """
    from kafka.errors import KafkaError

    watcher = _RefusalWatcher()
    logger = logging.getLogger("kafka")
    logger.addHandler(watcher)
    try:
        yield
    except KafkaError as exc:
        reason = watcher.reason or f"{type(exc).__name__}: {exc}"
        if watcher.reason is None and watcher.hung_up:
            # The broker answers a failed login by closing the connection, after its error
            # response; kafka-python 3.0 drops that response when both come in one read.
            reason += (
                "; the broker closed the connection before the SASL login completed: a wrong"
                " user name or password, a mechanism the broker does not accept, or a"
                " RAQIB_SECURITY_PROTOCOL that does not match this port"
                if settings.security_protocol.startswith("SASL")
                else "; the broker closed the connection: is RAQIB_SECURITY_PROTOCOL right"
                " for this port?"
            )
        raise ConnectionFailed(f"cannot use {describe(settings)}: {reason}") from exc
    finally:
        logger.removeHandler(watcher)
