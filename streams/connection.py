"""How Raqib's clients connect to Kafka: plaintext, TLS, SASL (PLAIN/SCRAM) or both.

One function per client library, both built from the same `Settings`, so the
worker (Faust/aiokafka) and the CLI (kafka-python) can never disagree.
"""

from __future__ import annotations

import ssl
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
        config["sasl_plain_password"] = settings.sasl_password
    return config


def faust_credentials(settings: Settings) -> Any:
    """`broker_credentials` for the Faust app, or None for plaintext."""
    import faust

    _check(settings)
    context = ssl_context(settings)
    if settings.security_protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_password,
            mechanism=settings.sasl_mechanism,
            ssl_context=context,
        )
    if context is not None:
        return faust.SSLCredentials(context)
    return None
