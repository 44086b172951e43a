"""A real single-node Apache Kafka (KRaft) on 127.0.0.1, from Maven Central artifacts.

No docker engine and no Apache download site on our machines: Maven resolves
the broker (org.apache.kafka:kafka_2.13) and a logging backend into a cache
once; then `LocalBroker` formats KRaft storage and runs broker+controller in
one JVM. It is ready when an admin metadata request succeeds, not when the
port opens. The same launcher serves `raqib broker`, the test suite, the demo
and the benchmarks. With `sasl_users` it also listens with SASL_PLAINTEXT (PLAIN,
SCRAM-SHA-256/512), with `tls` as well with SASL_SSL, on a self-signed certificate
made by the JDK's keytool (clients trust `ca_file`).

Kafka 3.9.1: the last 3.x line, KRaft-only in practice, and still serving the
protocol versions aiokafka (under Faust) and kafka-python use; Kafka 4.0
removed old API versions that aiokafka's admin requests rely on.
"""

from __future__ import annotations

import base64
import secrets
import shutil
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from .processes import kill_group, stop_group, tail

KAFKA_VERSION = "3.9.1"
SCALA_VERSION = "2.13"
# kafka_2.13 ships no logging backend: without one the broker logs nothing at all.
ARTIFACTS = (
    ("org.apache.kafka", f"kafka_{SCALA_VERSION}", KAFKA_VERSION),
    ("org.slf4j", "slf4j-reload4j", "1.7.36"),
)
DEFAULT_CACHE = Path.home() / ".cache" / "raqib"

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>raqib</groupId><artifactId>local-kafka</artifactId><version>1</version>
  <dependencies>
{deps}
  </dependencies>
</project>
"""
_LOG4J = """log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File={log}
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.request.logger=WARN
"""


class BrokerError(RuntimeError):
    pass


def resolve_classpath(cache_dir: Path = DEFAULT_CACHE, quiet: bool = True) -> Path:
    """Resolve the broker's jars with Maven into the cache (once); return the lib directory."""
    home = cache_dir / f"kafka-{KAFKA_VERSION}"
    lib = home / "lib"
    marker = home / ".resolved"
    if marker.exists() and any(lib.glob("kafka_*.jar")):
        return lib
    if shutil.which("mvn") is None:
        raise BrokerError("Maven (mvn) is needed to fetch Apache Kafka from Maven Central")
    home.mkdir(parents=True, exist_ok=True)
    deps = "\n".join(
        f"    <dependency><groupId>{g}</groupId><artifactId>{a}</artifactId>"
        f"<version>{v}</version></dependency>"
        for g, a, v in ARTIFACTS
    )
    (home / "pom.xml").write_text(_POM.format(deps=deps))
    cmd = [
        "mvn",
        "-B",
        *(["-q"] if quiet else []),
        "-f",
        str(home / "pom.xml"),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={lib}",
        "-DincludeScope=runtime",
    ]
    done = subprocess.run(cmd, capture_output=quiet, text=True)
    if done.returncode != 0:
        raise BrokerError(
            f"Maven could not resolve Kafka {KAFKA_VERSION}:\n{done.stdout}{done.stderr}"
        )
    marker.write_text(KAFKA_VERSION)
    return lib


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cluster_id() -> str:
    """A Kafka cluster id: a random UUID in URL-safe base64 without padding (22 chars)."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


@dataclass
class SaslUser:
    name: str
    password: str


@dataclass
class LocalBroker:
    """One Kafka process (broker + controller) listening on 127.0.0.1."""

    port: int = 9092
    data_dir: Path = Path("var/broker")
    controller_port: int | None = None
    cache_dir: Path = DEFAULT_CACHE
    heap: str = "768m"
    # SASL: a second listener with PLAIN and SCRAM-SHA-256/512 for these users (see sasl_port).
    sasl_users: list[SaslUser] = field(default_factory=list)
    sasl_port: int | None = None
    # TLS (needs sasl_users): one more listener, SASL_SSL on sasl_ssl_port, with the same users
    # and mechanisms; its certificate is self-signed for 127.0.0.1/localhost, clients trust
    # `ca_file`. The PLAINTEXT and SASL_PLAINTEXT listeners stay.
    tls: bool = False
    sasl_ssl_port: int | None = None
    keystore_password: str = field(default_factory=lambda: secrets.token_hex(16), repr=False)
    process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def sasl_bootstrap(self) -> str:
        if self.sasl_port is None:
            raise BrokerError("this broker has no SASL listener")
        return f"127.0.0.1:{self.sasl_port}"

    @property
    def sasl_ssl_bootstrap(self) -> str:
        if not self.tls or self.sasl_ssl_port is None:
            raise BrokerError("this broker has no SASL_SSL listener")
        return f"127.0.0.1:{self.sasl_ssl_port}"

    @property
    def ca_file(self) -> Path:
        """The broker's self-signed certificate (PEM): what RAQIB_SSL_CAFILE should name."""
        return self.data_dir / "tls" / "ca.pem"

    @property
    def keystore(self) -> Path:
        return self.data_dir / "tls" / "broker.p12"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "broker.log"

    def _properties(self) -> str:
        controller = self.controller_port or self.port + 1
        listeners = [f"PLAINTEXT://127.0.0.1:{self.port}", f"CONTROLLER://127.0.0.1:{controller}"]
        protocols = ["PLAINTEXT:PLAINTEXT", "CONTROLLER:PLAINTEXT"]
        advertised = [f"PLAINTEXT://127.0.0.1:{self.port}"]
        extra: list[str] = []
        if self.tls and not self.sasl_users:
            raise BrokerError("tls=True adds a SASL_SSL listener: it needs sasl_users")
        if self.sasl_users:
            if self.sasl_port is None:
                self.sasl_port = free_port()
            sasl = [("SASL_PLAINTEXT", self.sasl_port)]
            if self.tls:
                if self.sasl_ssl_port is None:
                    self.sasl_ssl_port = free_port()
                sasl.append(("SASL_SSL", self.sasl_ssl_port))
            plain_users = " ".join(f'user_{u.name}="{u.password}"' for u in self.sasl_users)
            extra.append("sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512")
            for protocol, port in sasl:
                name = protocol.lower()
                listeners.append(f"{protocol}://127.0.0.1:{port}")
                advertised.append(f"{protocol}://127.0.0.1:{port}")
                protocols.append(f"{protocol}:{protocol}")
                extra += [
                    f"listener.name.{name}.plain.sasl.jaas.config="
                    "org.apache.kafka.common.security.plain.PlainLoginModule required "
                    f"{plain_users};",
                    f"listener.name.{name}.scram-sha-256.sasl.jaas.config="
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                    f"listener.name.{name}.scram-sha-512.sasl.jaas.config="
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                ]
            if self.tls:
                extra += [
                    "ssl.keystore.type=PKCS12",
                    f"ssl.keystore.location={self.keystore.resolve()}",
                    f"ssl.keystore.password={self.keystore_password}",
                    f"ssl.key.password={self.keystore_password}",
                    "ssl.client.auth=none",
                ]
        return (
            "\n".join(
                [
                    "process.roles=broker,controller",
                    "node.id=1",
                    f"controller.quorum.voters=1@127.0.0.1:{controller}",
                    f"listeners={','.join(listeners)}",
                    f"advertised.listeners={','.join(advertised)}",
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    f"listener.security.protocol.map={','.join(protocols)}",
                    f"log.dirs={(self.data_dir / 'logs').resolve()}",
                    "num.partitions=1",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=8",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=true",
                    "log.retention.hours=168",
                    "log.segment.bytes=67108864",
                    "message.max.bytes=8388608",
                    "replica.fetch.max.bytes=8388608",
                    "log.cleaner.dedupe.buffer.size=16777216",
                    *extra,
                ]
            )
            + "\n"
        )

    def _java(self, lib: Path, *args: str, heap: str | None = None) -> list[str]:
        java = shutil.which("java")
        if java is None:
            raise BrokerError("Java 17+ is needed to run the local Kafka broker")
        jvm = [f"-Xmx{heap}", f"-Xms{heap}"] if heap else ["-Xmx256m"]
        return [
            java,
            *jvm,
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dlog4j.configuration=file:{(self.data_dir / 'log4j.properties').resolve()}",
            "-cp",
            f"{lib}/*",
            *args,
        ]

    def _keytool(self, *args: str) -> None:
        keytool = shutil.which("keytool")
        if keytool is None:
            raise BrokerError("the JDK's keytool is needed for tls=True")
        done = subprocess.run([keytool, "-J-Xmx64m", *args], capture_output=True, text=True)
        if done.returncode != 0:
            raise BrokerError(f"keytool {args[0]} failed:\n{done.stdout}{done.stderr}")

    def _ensure_keystore(self) -> None:
        """A self-signed certificate for 127.0.0.1/localhost in a PKCS12 keystore, once.

        The certificate is its own CA (basic constraints CA:true, keyCertSign), so the
        exported PEM is a trust anchor that strict verifiers (Python 3.13's default
        VERIFY_X509_STRICT) accept. The keystore password is kept beside it, so a broker
        restarted on the same data_dir reuses both.
        """
        secret = self.keystore.with_suffix(".password")
        if self.keystore.exists() and secret.exists() and self.ca_file.exists():
            self.keystore_password = secret.read_text().strip()
            return
        self.keystore.parent.mkdir(parents=True, exist_ok=True)
        self.keystore.unlink(missing_ok=True)
        store = ["-keystore", str(self.keystore), "-storetype", "PKCS12"]
        store += ["-storepass", self.keystore_password]
        self._keytool(
            "-genkeypair",
            *store,
            "-keypass",
            self.keystore_password,
            "-alias",
            "broker",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-validity",
            "3650",
            "-dname",
            "CN=localhost, O=raqib local broker",
            "-ext",
            "SAN=ip:127.0.0.1,dns:localhost",
            "-ext",
            "BC:c=ca:true",
            "-ext",
            "KU:c=digitalSignature,keyEncipherment,keyCertSign",
            "-ext",
            "EKU=serverAuth",
        )
        self._keytool("-exportcert", "-rfc", *store, "-alias", "broker", "-file", str(self.ca_file))
        secret.write_text(self.keystore_password)
        secret.chmod(0o600)

    def _format(self, lib: Path, config: Path) -> None:
        if (self.data_dir / "logs" / "meta.properties").exists():
            return
        scram = [
            arg
            for u in self.sasl_users
            for mech in ("SCRAM-SHA-256", "SCRAM-SHA-512")
            for arg in ("--add-scram", f"{mech}=[name={u.name},password={u.password}]")
        ]
        cmd = self._java(
            lib,
            "kafka.tools.StorageTool",
            "format",
            f"--cluster-id={_cluster_id()}",  # an id may begin with "-"
            "-c",
            str(config),
            "--ignore-formatted",
            *scram,
        )
        for _attempt in (1, 2):  # a JVM that fails to start (a busy machine) gets a second try
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode == 0:
                return
        raise BrokerError(f"formatting KRaft storage failed:\n{done.stdout}{done.stderr}")

    def start(self, timeout_s: float = 90.0) -> float:
        """Start the broker; return the seconds until it answered a metadata request."""
        began = time.monotonic()
        lib = resolve_classpath(self.cache_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.tls:
            self._ensure_keystore()
        config = self.data_dir / "server.properties"
        config.write_text(self._properties())
        (self.data_dir / "log4j.properties").write_text(_LOG4J.format(log=self.log_path.resolve()))
        self._format(lib, config)
        with open(self.data_dir / "broker.stdout", "ab") as out:
            self.process = subprocess.Popen(
                self._java(lib, "kafka.Kafka", str(config), heap=self.heap),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._wait_ready(began + timeout_s)
        return time.monotonic() - began

    def _wait_ready(self, deadline: float) -> None:
        from kafka.admin import KafkaAdminClient

        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise BrokerError(
                    f"the broker exited with {self.process.returncode}:\n{self.tail_log()}"
                )
            try:
                admin = KafkaAdminClient(bootstrap_servers=self.bootstrap, request_timeout_ms=3000)
                try:
                    admin.describe_cluster()
                    admin.list_topics()
                    return
                finally:
                    admin.close()
            except Exception as exc:  # not ready yet: connection refused, no controller, ...
                last_error = exc
                time.sleep(0.2)
        self.stop()
        raise BrokerError(f"the broker was not ready in time ({last_error!r}):\n{self.tail_log()}")

    def tail_log(self, lines: int = 30) -> str:
        return tail(self.log_path, lines)

    def kill(self) -> None:
        """SIGKILL the broker (fault tests): no clean shutdown."""
        kill_group(self.process)

    def stop(self, timeout_s: float = 30.0) -> None:
        """SIGTERM (controlled shutdown), then SIGKILL if it hangs; leaves no process behind."""
        stop_group(self.process, timeout_s)

    def __enter__(self) -> LocalBroker:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
