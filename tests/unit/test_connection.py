"""How clients connect (kafka-python config, Faust credentials, refusals) and the broker's TLS."""

from __future__ import annotations

import logging
import shutil
import ssl
from pathlib import Path

import pytest
from kafka.errors import KafkaTimeoutError

from streams.broker import BrokerError, LocalBroker, SaslUser
from streams.connection import (
    ConnectionFailed,
    Secret,
    describe,
    diagnosed,
    faust_credentials,
    kafka_python_config,
    protect,
)
from streams.settings import Settings

SECRET = "s3cret-Pa55-xyz"


def _sasl(protocol: str, mechanism: str = "SCRAM-SHA-512", **env: str) -> Settings:
    return Settings.from_env(
        {
            "RAQIB_BROKER": "k1:9094,k2:9094",
            "RAQIB_SECURITY_PROTOCOL": protocol,
            "RAQIB_SASL_MECHANISM": mechanism,
            "RAQIB_SASL_USERNAME": "raqib",
            "RAQIB_SASL_PASSWORD": SECRET,
            **env,
        }
    )


def _system_cafile() -> str:
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile):
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.skip("no system CA bundle file to load")


# ------------------------------------------------------------------ kafka-python


def test_kafka_python_config_sasl_plaintext_has_no_tls() -> None:
    config = kafka_python_config(_sasl("SASL_PLAINTEXT", "SCRAM-SHA-256"))
    assert config == {
        "bootstrap_servers": ["k1:9094", "k2:9094"],
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-256",
        "sasl_plain_username": "raqib",
        "sasl_plain_password": SECRET,
    }


def test_kafka_python_config_sasl_ssl_verifies_the_broker() -> None:
    config = kafka_python_config(_sasl("SASL_SSL", RAQIB_SSL_CAFILE=_system_cafile()))
    assert config["security_protocol"] == "SASL_SSL"
    assert config["sasl_mechanism"] == "SCRAM-SHA-512"
    context = config["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


def test_the_password_is_a_secret_in_reprs() -> None:
    config = kafka_python_config(_sasl("SASL_PLAINTEXT"))
    password = config["sasl_plain_password"]
    assert isinstance(password, Secret) and password == SECRET
    assert SECRET not in repr(config) and SECRET not in f"{config}"
    assert password.encode() == SECRET.encode()  # what the SASL mechanisms use
    assert "\0".join(["raqib", "raqib", password]) == f"raqib\0raqib\0{SECRET}"


def test_protected_passwords_are_redacted_from_every_log_record(
    caplog: pytest.LogCaptureFixture,
) -> None:
    odd = "كلمة-سر'\\x"  # non-ASCII, a quote and a backslash: escaped in reprs
    protect(odd)
    kafka_python_config(_sasl("SASL_SSL", "PLAIN"))
    log = logging.getLogger("kafka.protocol.parser")
    with caplog.at_level(logging.DEBUG):
        log.debug("config %s", {"sasl_plain_password": SECRET})  # a plain str, repr'd
        log.debug("Send: %r", bytearray(b"\x00raqib\x00" + SECRET.encode()))
        log.debug("Send: %r", b"\x00raqib\x00" + odd.encode())
        log.debug("token %r, %s", odd, odd)
        logging.getLogger("anything.else").warning("password is " + SECRET)
    assert len(caplog.records) == 5
    assert SECRET not in caplog.text and odd not in caplog.text
    assert repr(odd)[1:-1] not in caplog.text and repr(odd.encode())[2:-1] not in caplog.text
    assert caplog.text.count("***") == 6
    assert protect("") == ""  # nothing to protect: no empty pattern redacting everything
    logging.getLogger("x").warning("still readable")
    assert "still readable" in caplog.text


def test_plaintext_and_bad_settings() -> None:
    assert kafka_python_config(Settings.from_env({})) == {
        "bootstrap_servers": ["127.0.0.1:9092"],
        "security_protocol": "PLAINTEXT",
    }
    with pytest.raises(ValueError, match="RAQIB_SECURITY_PROTOCOL"):
        kafka_python_config(Settings.from_env({"RAQIB_SECURITY_PROTOCOL": "SASL"}))
    with pytest.raises(ValueError, match="RAQIB_SASL_MECHANISM"):
        kafka_python_config(_sasl("SASL_SSL", "GSSAPI"))
    with pytest.raises(ValueError, match="RAQIB_SASL_USERNAME"):
        kafka_python_config(Settings.from_env({"RAQIB_SECURITY_PROTOCOL": "SASL_PLAINTEXT"}))


# ------------------------------------------------------------------ Faust / aiokafka


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_faust_credentials_carry_protocol_and_mechanism(mechanism: str) -> None:
    """faust.SASLCredentials says SASL_SSL only when given an ssl_context: we always give one."""
    from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth

    plain = credentials_to_aiokafka_auth(faust_credentials(_sasl("SASL_PLAINTEXT", mechanism)))
    assert plain == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": mechanism,
        "sasl_plain_username": "raqib",
        "sasl_plain_password": SECRET,
        "ssl_context": None,
    }
    credentials = faust_credentials(_sasl("SASL_SSL", mechanism))
    assert SECRET not in repr(credentials)
    tls = credentials_to_aiokafka_auth(credentials)
    assert tls["security_protocol"] == "SASL_SSL"
    assert tls["sasl_mechanism"] == mechanism
    assert isinstance(tls["ssl_context"], ssl.SSLContext)
    assert tls["ssl_context"].verify_mode == ssl.CERT_REQUIRED


def test_faust_credentials_without_sasl() -> None:
    import faust

    assert faust_credentials(Settings.from_env({})) is None
    ssl_only = faust_credentials(Settings.from_env({"RAQIB_SECURITY_PROTOCOL": "SSL"}))
    assert isinstance(ssl_only, faust.SSLCredentials)


# ------------------------------------------------------------------ refusals


def test_describe_names_the_connection_without_the_password() -> None:
    text = describe(_sasl("SASL_SSL", RAQIB_SSL_CAFILE="/etc/raqib/ca.pem"))
    assert text == (
        "Kafka at k1:9094,k2:9094 (SASL_SSL, SCRAM-SHA-512 as 'raqib', CA /etc/raqib/ca.pem)"
    )
    assert describe(Settings.from_env({})) == "Kafka at 127.0.0.1:9092 (PLAINTEXT)"


# What kafka-python 3.0 logs while it retries a refused bootstrap.
REFUSED_LOGIN = (
    "<KafkaConnection node_id=bootstrap-0 broker_version=(3, 9) (disconnected)>: Connection "
    "lost: [Error 58] SaslAuthenticationFailedError: SaslAuthenticationFailedError: "
    "Authentication failed during authentication due to invalid credentials with SASL "
    "mechanism SCRAM-SHA-512"
)
BOOTSTRAP_RETRY = (
    "Bootstrap connection to bootstrap-0 failed: [Error 58] SaslAuthenticationFailedError: "
    "Authentication failed: Invalid username or password (backoff 0.34 secs)"
)
UNTRUSTED = (
    "Bootstrap connection to bootstrap-0 failed: KafkaConnectionError: Handshake failed: "
    "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate "
    "(_ssl.c:1006) (backoff 1.20 secs)"
)


@pytest.mark.parametrize(
    ("logged", "reason"),
    [
        (
            [REFUSED_LOGIN, "Connection lost: KafkaConnectionError: socket disconnected"],
            "authentication failed: Authentication failed during authentication due to "
            "invalid credentials with SASL mechanism SCRAM-SHA-512",
        ),
        ([BOOTSTRAP_RETRY], "authentication failed: Authentication failed: Invalid username"),
        (
            [UNTRUSTED],
            "TLS handshake failed: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify "
            "failed: self-signed certificate (_ssl.c:1006)",
        ),
        ([], "KafkaTimeoutError: KafkaTimeoutError: Unable to bootstrap"),
        (
            [
                "<KafkaTCPTransport [127.0.0.1:39911<-53552]>: socket disconnected",
                "Connection lost: KafkaConnectionError: socket disconnected",
            ],
            "KafkaTimeoutError: KafkaTimeoutError: Unable to bootstrap from ['k1:9094']; the"
            " broker closed the connection before the SASL login completed: a wrong user",
        ),
        ([UNTRUSTED, "Connection lost: KafkaConnectionError: socket disconnected"], "TLS"),
    ],
)
def test_diagnosed_names_the_refusal(logged: list[str], reason: str) -> None:
    settings = _sasl("SASL_SSL")
    with pytest.raises(ConnectionFailed) as failure, diagnosed(settings):
        for message in logged:
            logging.getLogger("kafka.net.connection").error(message)
        raise KafkaTimeoutError("Unable to bootstrap from ['k1:9094']")
    text = str(failure.value)
    assert text.startswith(f"cannot use {describe(settings)}: {reason}")
    assert "backoff" not in text and SECRET not in text
    assert isinstance(failure.value.__cause__, KafkaTimeoutError)


def test_diagnosed_passes_other_errors_and_cleans_up() -> None:
    logger = logging.getLogger("kafka")
    handlers = list(logger.handlers)
    with pytest.raises(KeyError), diagnosed(_sasl("SASL_PLAINTEXT")):
        raise KeyError("not Kafka's")
    with diagnosed(_sasl("SASL_PLAINTEXT")):
        logging.getLogger("kafka.net.manager").warning(BOOTSTRAP_RETRY)  # retried, then fine
    assert logger.handlers == handlers


# ------------------------------------------------------------------ the broker's listeners


def _lines(broker: LocalBroker) -> list[str]:
    return broker._properties().splitlines()


def _value(lines: list[str], key: str) -> str:
    return next(line.split("=", 1)[1] for line in lines if line.startswith(f"{key}="))


def test_broker_without_tls_is_unchanged(tmp_path: Path) -> None:
    broker = LocalBroker(
        port=9092,
        controller_port=9093,
        sasl_port=9094,
        data_dir=tmp_path,
        sasl_users=[SaslUser("raqib", SECRET)],
    )
    lines = _lines(broker)
    assert _value(lines, "listeners") == (
        "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093,SASL_PLAINTEXT://127.0.0.1:9094"
    )
    assert _value(lines, "listener.security.protocol.map") == (
        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT"
    )
    assert _value(lines, "inter.broker.listener.name") == "PLAINTEXT"
    assert not any("ssl" in line for line in lines)
    assert (
        "listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security"
        f'.plain.PlainLoginModule required user_raqib="{SECRET}";'
    ) in lines
    with pytest.raises(BrokerError, match="no SASL_SSL listener"):
        _ = broker.sasl_ssl_bootstrap
    plain = LocalBroker(port=9092, data_dir=tmp_path)
    assert "sasl" not in plain._properties()


def test_broker_with_tls_adds_a_sasl_ssl_listener(tmp_path: Path) -> None:
    broker = LocalBroker(
        port=9092,
        controller_port=9093,
        sasl_port=9094,
        sasl_ssl_port=9095,
        data_dir=tmp_path,
        sasl_users=[SaslUser("raqib", SECRET), SaslUser("other", "x")],
        tls=True,
    )
    lines = _lines(broker)
    assert _value(lines, "listeners").split(",") == [
        "PLAINTEXT://127.0.0.1:9092",
        "CONTROLLER://127.0.0.1:9093",
        "SASL_PLAINTEXT://127.0.0.1:9094",
        "SASL_SSL://127.0.0.1:9095",
    ]
    assert _value(lines, "advertised.listeners").endswith(",SASL_SSL://127.0.0.1:9095")
    assert _value(lines, "listener.security.protocol.map").endswith(",SASL_SSL:SASL_SSL")
    assert _value(lines, "inter.broker.listener.name") == "PLAINTEXT"
    assert _value(lines, "sasl.enabled.mechanisms") == "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512"
    for listener in ("sasl_plaintext", "sasl_ssl"):
        plain = _value(lines, f"listener.name.{listener}.plain.sasl.jaas.config")
        assert f'user_raqib="{SECRET}" user_other="x";' in plain
        for scram in ("scram-sha-256", "scram-sha-512"):
            assert "ScramLoginModule required;" in _value(
                lines, f"listener.name.{listener}.{scram}.sasl.jaas.config"
            )
    assert _value(lines, "ssl.keystore.type") == "PKCS12"
    assert _value(lines, "ssl.keystore.location") == str((tmp_path / "tls/broker.p12").resolve())
    assert _value(lines, "ssl.keystore.password") == broker.keystore_password
    assert _value(lines, "ssl.key.password") == broker.keystore_password
    assert broker.keystore_password not in repr(broker)
    assert broker.sasl_ssl_bootstrap == "127.0.0.1:9095"
    assert broker.ca_file == tmp_path / "tls" / "ca.pem"


def test_broker_tls_picks_free_ports_and_needs_users(tmp_path: Path) -> None:
    broker = LocalBroker(
        port=9092, data_dir=tmp_path, sasl_users=[SaslUser("raqib", SECRET)], tls=True
    )
    broker._properties()
    assert broker.sasl_port and broker.sasl_ssl_port and broker.sasl_port != broker.sasl_ssl_port
    with pytest.raises(BrokerError, match="needs sasl_users"):
        LocalBroker(port=9092, data_dir=tmp_path, tls=True)._properties()


@pytest.mark.skipif(shutil.which("keytool") is None, reason="needs the JDK's keytool")
def test_broker_certificate_is_a_trust_anchor_kept_across_restarts(tmp_path: Path) -> None:
    first = LocalBroker(data_dir=tmp_path, sasl_users=[SaslUser("raqib", SECRET)], tls=True)
    first._ensure_keystore()
    assert first.keystore.is_file()
    pem = first.ca_file.read_text()
    assert pem.startswith("-----BEGIN CERTIFICATE-----")
    context = ssl.create_default_context(cafile=str(first.ca_file))
    [cert] = context.get_ca_certs()  # loaded as a CA: what RAQIB_SSL_CAFILE needs
    assert ("IP Address", "127.0.0.1") in cert.get("subjectAltName", ())
    assert ("DNS", "localhost") in cert.get("subjectAltName", ())

    again = LocalBroker(data_dir=tmp_path, sasl_users=[SaslUser("raqib", SECRET)], tls=True)
    assert again.keystore_password != first.keystore_password
    again._ensure_keystore()  # same data_dir: same keystore, its password read back
    assert again.keystore_password == first.keystore_password
    assert again.ca_file.read_text() == pem
