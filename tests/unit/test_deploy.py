"""The deployment files agree with the code: docker-compose.yml, deploy/Dockerfile, deploy/k8s/.

Nothing here runs Docker or Kubernetes: the files are parsed and checked against
`streams.settings` (every setting an environment variable), the topic names and each other,
so that a renamed setting, a changed port or a forgotten file fails here first.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.settings import Settings, settings_table
from streams.topics import Topics

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
K8S = ROOT / "deploy" / "k8s"

SETTINGS = {env: default for env, default, _doc in settings_table()}
SECRET_SETTINGS = {"RAQIB_SASL_USERNAME", "RAQIB_SASL_PASSWORD"}
# compose values that differ from the defaults of streams/settings.py, and why
CONTAINER_OVERRIDES = {
    "RAQIB_BROKER": "kafka:9092",  # the compose service
    "RAQIB_WEB_HOST": "0.0.0.0",  # Prometheus scrapes from another container
    "RAQIB_DATA_DIR": "/var/lib/raqib",  # the image's volume
}
SERVICES = {"kafka", "worker", "prometheus", "grafana", "seed-pusher"}
# ${VAR:-default} or ${VAR-default}: compose interpolation from the shell or .env
INTERPOLATION = re.compile(r"^\$\{(?P<var>\w+)(?::?-(?P<default>[^}]*))?\}$")


# ------------------------------------------------------------------ helpers


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    assert COMPOSE.is_file(), f"{COMPOSE} is missing"
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "docker-compose.yml is not a mapping"
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment as a dict (compose allows a mapping or a list of K=V)."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


def resolved(value: str) -> str:
    """The value compose uses when the interpolated variable is unset."""
    match = INTERPOLATION.match(value)
    if match is None:
        return value
    return match["default"] or ""


def host_paths(service: dict[str, Any]) -> list[str]:
    """Host sides of the bind mounts of a service (short and long volume syntax)."""
    paths = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            source = volume.split(":", 1)[0] if ":" in volume else ""
        elif volume.get("type", "volume") == "bind":
            source = volume.get("source", "")
        else:
            continue
        if source.startswith((".", "/", "~")):
            paths.append(source)
    return paths


def named_volumes(service: dict[str, Any]) -> list[str]:
    names = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            source = volume.split(":", 1)[0] if ":" in volume else ""
        elif volume.get("type", "volume") == "volume":
            source = volume.get("source", "")
        else:
            continue
        if source and not source.startswith((".", "/", "~")):
            names.append(source)
    return names


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    assert DOCKERFILE.is_file(), f"{DOCKERFILE} is missing"
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):  # a comment inside a continued instruction
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, args = line.partition(" ")
        instructions.append((keyword.upper(), args.strip()))
    return instructions


def final_stage() -> list[tuple[str, str]]:
    """The instructions of the last stage: what the image is made of."""
    instructions = dockerfile_instructions()
    starts = [i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM"]
    assert starts, "the Dockerfile has no FROM"
    return instructions[starts[-1] :]


def k8s_documents() -> dict[str, list[dict[str, Any]]]:
    docs = {}
    for path in sorted(K8S.glob("*.yaml")):
        parsed = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
        docs[path.name] = parsed
    return docs


def k8s_one(kind: str) -> dict[str, Any]:
    found = [d for docs in k8s_documents().values() for d in docs if d.get("kind") == kind]
    assert len(found) == 1, f"expected one {kind} in deploy/k8s, found {len(found)}"
    return found[0]


def configmap_data() -> dict[str, str]:
    return k8s_one("ConfigMap")["data"]


def worker_container() -> dict[str, Any]:
    containers = k8s_one("Deployment")["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, "the worker pod should have one container"
    return containers[0]


# ------------------------------------------------------------------ compose


def test_deploy_compose_has_the_five_services_and_no_version_key(compose: dict[str, Any]) -> None:
    assert "version" not in compose, "the compose spec has no `version:` key (it is obsolete)"
    assert set(compose["services"]) == SERVICES, (
        f"services: expected {sorted(SERVICES)}, found {sorted(compose['services'])}"
    )


def test_deploy_compose_builds_raqib_from_deploy_dockerfile(
    services: dict[str, dict[str, Any]],
) -> None:
    for name in ("worker", "seed-pusher"):
        build = services[name].get("build")
        assert isinstance(build, dict), f"{name}: expected a build section with a dockerfile"
        context = ROOT / build.get("context", ".")
        assert context.resolve() == ROOT, f"{name}: the build context must be the repo root"
        dockerfile = context / build.get("dockerfile", "Dockerfile")
        assert dockerfile.resolve() == DOCKERFILE, (
            f"{name}: builds {dockerfile}, not deploy/Dockerfile"
        )
        assert dockerfile.is_file(), f"{name}: {dockerfile} does not exist"


def test_deploy_compose_host_paths_exist(services: dict[str, dict[str, Any]]) -> None:
    missing = [
        f"{name}: {path}"
        for name, service in services.items()
        for path in host_paths(service)
        if not (ROOT / path).expanduser().exists()
    ]
    assert not missing, f"bind-mounted host paths that do not exist in the repo: {missing}"
    mounted = {path.rstrip("/") for s in services.values() for path in host_paths(s)}
    for path in (
        "./deploy/prometheus",
        "./deploy/grafana/provisioning",
        "./deploy/grafana/dashboards",
        "./seeds",
    ):
        assert path in mounted, f"{path} should be mounted by a service"


def test_deploy_compose_named_volumes_are_declared(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        for volume in named_volumes(service):
            assert volume in declared, f"{name}: named volume {volume!r} is not declared at the top"
    for name in ("worker", "seed-pusher"):
        assert not named_volumes(services[name]), (
            f"{name}: a named volume would be shared by every scaled replica"
        )


def test_deploy_compose_worker_sets_every_setting(services: dict[str, dict[str, Any]]) -> None:
    env = environment(services["worker"])
    raqib = {k for k in env if k.startswith("RAQIB_")}
    missing = sorted(set(SETTINGS) - raqib)
    unknown = sorted(raqib - set(SETTINGS))
    assert not missing, f"worker environment lacks settings: {missing}"
    assert not unknown, f"worker environment sets RAQIB_ variables that are no setting: {unknown}"


def test_deploy_compose_worker_values_are_defaults_but_container_overrides(
    services: dict[str, dict[str, Any]],
) -> None:
    env = {k: resolved(v) for k, v in environment(services["worker"]).items()}
    expected = {**SETTINGS, **CONTAINER_OVERRIDES}
    differ = {k: (env[k], expected[k]) for k in SETTINGS if env.get(k) != expected[k]}
    assert not differ, f"worker environment (value, expected): {differ}"
    for secret in SECRET_SETTINGS:
        assert resolved(env[secret]) == "", f"{secret} must not carry a value in the compose file"
    Settings.from_env(env)  # every value has the setting's type


def test_deploy_compose_seed_pusher_shares_the_worker_settings(
    services: dict[str, dict[str, Any]],
) -> None:
    pusher = services["seed-pusher"]
    env = environment(pusher)
    assert env.get("RAQIB_BROKER") == "kafka:9092", "seed-pusher must reach kafka:9092"
    worker = environment(services["worker"])
    for key in ("RAQIB_TOPIC_PREFIX", "RAQIB_PARTITIONS", "RAQIB_MAX_MESSAGE_BYTES"):
        assert env.get(key, SETTINGS[key]) == worker[key], (
            f"seed-pusher and worker disagree on {key}: the topics it creates must match"
        )
    assert pusher.get("command") == ["push", "/seeds"], "seed-pusher runs `raqib push /seeds`"
    assert str(pusher.get("restart")) == "no", 'seed-pusher is one-shot: restart must be "no"'
    assert any(
        isinstance(v, str) and v.split(":")[:2] == ["./seeds", "/seeds"] for v in pusher["volumes"]
    ), "seed-pusher mounts ./seeds at /seeds"


def test_deploy_compose_worker_is_scalable(services: dict[str, dict[str, Any]]) -> None:
    worker = services["worker"]
    assert "container_name" not in worker, "container_name prevents `--scale worker=N`"
    assert not worker.get("ports"), "a fixed host port prevents `--scale worker=N`; use expose"
    port = environment(worker)["RAQIB_WEB_PORT"]
    assert port in [str(p) for p in worker.get("expose", [])], f"worker must expose {port}"
    assert worker.get("command") == ["worker"], "worker runs `raqib worker`"
    assert worker.get("restart") == "unless-stopped"


def test_deploy_compose_prometheus_scrapes_the_worker_port(
    services: dict[str, dict[str, Any]],
) -> None:
    command = services["prometheus"].get("command") or []
    assert "--config.file=/etc/prometheus/prometheus.yml" in command
    config = ROOT / "deploy" / "prometheus" / "prometheus.yml"
    if not config.is_file():
        pytest.skip("deploy/prometheus/prometheus.yml is not written yet")
    scrape = yaml.safe_load(config.read_text(encoding="utf-8"))["scrape_configs"]
    port = int(environment(services["worker"])["RAQIB_WEB_PORT"])
    dns = [sd for job in scrape for sd in job.get("dns_sd_configs", [])]
    assert any("worker" in sd.get("names", []) and sd.get("port") == port for sd in dns), (
        f"prometheus.yml should discover the `worker` service on port {port}: {dns}"
    )


def test_deploy_compose_kafka_is_single_node_kraft_with_a_healthcheck(
    services: dict[str, dict[str, Any]],
) -> None:
    kafka = services["kafka"]
    assert kafka["image"] == "apache/kafka:3.9.1"
    env = environment(kafka)
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert "EXTERNAL://localhost:29092" in env["KAFKA_ADVERTISED_LISTENERS"]
    assert "PLAINTEXT://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"]
    for listener in env["KAFKA_LISTENERS"].split(","):
        name = listener.split("://")[0]
        assert f"{name}:" in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"], (
            f"listener {name} has no security protocol"
        )
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"
    assert env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == "1"
    # Raqib's topics accept 3 x the input cap (streams/topics.py): so must the broker
    needed = 3 * int(SETTINGS["RAQIB_MAX_MESSAGE_BYTES"]) + 65536
    assert int(env["KAFKA_MESSAGE_MAX_BYTES"]) >= needed, "KAFKA_MESSAGE_MAX_BYTES is too small"
    assert "29092:29092" in [str(p) for p in kafka.get("ports", [])], "host port 29092"
    test = kafka.get("healthcheck", {}).get("test", [])
    command = " ".join(test) if isinstance(test, list) else str(test)
    assert "/opt/kafka/bin/kafka-broker-api-versions.sh" in command, "kafka needs a healthcheck"
    assert "localhost:9092" in command


def test_deploy_compose_depends_on_conditions(services: dict[str, dict[str, Any]]) -> None:
    for name in ("worker", "seed-pusher"):
        depends = services[name].get("depends_on")
        assert isinstance(depends, dict), f"{name}: depends_on needs the long form with conditions"
        assert depends.get("kafka", {}).get("condition") == "service_healthy", (
            f"{name} must wait until kafka is healthy"
        )
    assert "prometheus" in services["grafana"].get("depends_on", []), "grafana needs prometheus"


# ------------------------------------------------------------------ Dockerfile


def test_deploy_dockerfile_entrypoint_expose_and_healthcheck() -> None:
    stage = final_stage()
    args = {keyword: value for keyword, value in stage}  # the last of each instruction
    assert stage[0][1].startswith("python:3.11-slim"), "the image is based on python:3.11-slim"
    assert json.loads(args["ENTRYPOINT"]) == ["raqib"], 'ENTRYPOINT ["raqib"]'
    assert json.loads(args["CMD"]) == ["worker"], 'CMD ["worker"]'
    exposed = [p for keyword, value in stage if keyword == "EXPOSE" for p in value.split()]
    assert SETTINGS["RAQIB_WEB_PORT"] in exposed, "EXPOSE 6066 (RAQIB_WEB_PORT)"
    health = args.get("HEALTHCHECK", "")
    assert "/metrics" in health and "127.0.0.1" in health, "HEALTHCHECK fetches /metrics"
    assert "curl" not in health, "there is no curl in python:3.11-slim"


def test_deploy_dockerfile_runs_as_a_user_with_the_container_settings() -> None:
    stage = final_stage()
    users = [value for keyword, value in stage if keyword == "USER"]
    assert users, "the image must not run as root"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and uid != "0", "USER must be a numeric non-root uid (for runAsNonRoot)"
    env = " ".join(value for keyword, value in stage if keyword == "ENV")
    assert "RAQIB_WEB_HOST=0.0.0.0" in env
    assert f"RAQIB_DATA_DIR={CONTAINER_OVERRIDES['RAQIB_DATA_DIR']}" in env
    volumes = " ".join(value for keyword, value in stage if keyword == "VOLUME")
    assert CONTAINER_OVERRIDES["RAQIB_DATA_DIR"] in volumes, "the data directory is a VOLUME"
    assert ("WORKDIR", "/app") in stage


def test_deploy_dockerfile_copies_what_the_package_needs() -> None:
    copied = " ".join(value for keyword, value in dockerfile_instructions() if keyword == "COPY")
    for path in ("pyproject.toml", "README.md", "streams/", "agents/"):
        assert path in copied, f"the Dockerfile must COPY {path}"
        assert (ROOT / path).exists(), f"{path} is copied but does not exist"
    installs = [v for k, v in dockerfile_instructions() if k == "RUN" and "pip install" in v]
    assert installs and all("--no-cache-dir" in v for v in installs), "pip install --no-cache-dir"


# ------------------------------------------------------------------ Kubernetes


def test_deploy_k8s_documents_have_api_version_kind_and_name() -> None:
    docs = k8s_documents()
    assert docs, "deploy/k8s has no manifests"
    for name, documents in docs.items():
        assert documents, f"{name} is empty"
        for doc in documents:
            for key in ("apiVersion", "kind"):
                assert doc.get(key), f"{name}: a document lacks {key}"
            assert (doc.get("metadata") or {}).get("name"), (
                f"{name}: {doc['kind']} lacks metadata.name"
            )


def test_deploy_k8s_kustomization_lists_the_manifests() -> None:
    kustomization = k8s_one("Kustomization")
    resources = kustomization.get("resources", [])
    missing = [r for r in resources if not (K8S / r).is_file()]
    assert not missing, f"kustomization.yaml lists files that do not exist: {missing}"
    assert "secret.example.yaml" not in resources, "the secret example must not be applied"
    manifests = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", "secret.example.yaml"}
    assert manifests == set(resources), f"unlisted manifests: {sorted(manifests - set(resources))}"


def test_deploy_k8s_config_keys_are_settings() -> None:
    data = configmap_data()
    unknown = sorted(set(data) - set(SETTINGS))
    assert not unknown, f"configmap keys that are no setting: {unknown}"
    assert not set(data) & SECRET_SETTINGS, "the SASL credentials belong in the Secret"
    assert all(isinstance(v, str) for v in data.values()), "ConfigMap values must be strings"
    settings = Settings.from_env(data)  # every value has the setting's type
    assert settings.web_host == "0.0.0.0", "RAQIB_WEB_HOST must be 0.0.0.0 in a pod"
    secret = k8s_one("Secret")
    keys = set(secret.get("stringData", {})) | set(secret.get("data", {}))
    assert keys, "the Secret example holds no keys"
    assert not keys - set(SETTINGS), (
        f"secret keys that are no setting: {sorted(keys - set(SETTINGS))}"
    )


def test_deploy_k8s_replicas_within_partitions() -> None:
    partitions = int(configmap_data()["RAQIB_PARTITIONS"])
    replicas = k8s_one("Deployment")["spec"]["replicas"]
    scaled = k8s_one("ScaledObject")["spec"]
    assert replicas <= partitions, f"replicas {replicas} > RAQIB_PARTITIONS {partitions}"
    assert 1 <= scaled["minReplicaCount"] <= scaled["maxReplicaCount"] <= partitions, (
        f"ScaledObject replicas must stay within 1..RAQIB_PARTITIONS ({partitions}): {scaled}"
    )


def test_deploy_k8s_service_monitor_and_scaler_target_the_deployment() -> None:
    deployment = k8s_one("Deployment")
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert selector.items() <= pod_labels.items(), "the Deployment selector must match its pods"
    service = k8s_one("Service")
    assert service["spec"]["selector"].items() <= pod_labels.items(), (
        "the Service selector must match the worker pods"
    )
    target = k8s_one("ScaledObject")["spec"]["scaleTargetRef"]
    assert target.get("kind", "Deployment") == "Deployment"
    assert target["name"] == deployment["metadata"]["name"], "ScaledObject targets another name"
    monitor = k8s_one("ServiceMonitor")["spec"]
    service_labels = service["metadata"].get("labels", {})
    assert monitor["selector"]["matchLabels"].items() <= service_labels.items(), (
        "the ServiceMonitor selector must match the Service's labels"
    )
    service_ports = {p["name"] for p in service["spec"]["ports"]}
    for endpoint in monitor["endpoints"]:
        assert endpoint["port"] in service_ports, f"ServiceMonitor port {endpoint['port']!r}"


def test_deploy_k8s_ports_and_probes_use_the_web_port() -> None:
    port = int(configmap_data()["RAQIB_WEB_PORT"])
    container = worker_container()
    named = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert named.get("metrics") == port, f"container port `metrics` must be {port}: {named}"
    for probe in ("readinessProbe", "livenessProbe"):
        http = container[probe]["httpGet"]
        assert http["path"] == "/metrics", f"{probe} should fetch /metrics"
        target = named.get(http["port"], http["port"])
        assert target == port, f"{probe} uses port {http['port']!r}, not {port}"
    service = k8s_one("Service")
    for p in service["spec"]["ports"]:
        target = named.get(p.get("targetPort", p["port"]), p.get("targetPort", p["port"]))
        assert p["port"] == port and target == port, f"Service port {p} is not {port}"
    annotations = service["metadata"].get("annotations", {})
    assert annotations.get("prometheus.io/scrape") == "true"
    assert annotations.get("prometheus.io/port") == str(port)


def test_deploy_k8s_worker_pod_reads_the_config_and_secret() -> None:
    container = worker_container()
    assert container["args"] == ["worker"]
    refs = container["envFrom"]
    configmaps = [r["configMapRef"]["name"] for r in refs if "configMapRef" in r]
    secrets = [r["secretRef"] for r in refs if "secretRef" in r]
    assert configmaps == [k8s_one("ConfigMap")["metadata"]["name"]], "envFrom the configmap"
    assert len(secrets) == 1 and secrets[0]["name"] == k8s_one("Secret")["metadata"]["name"]
    assert secrets[0].get("optional") is True, "the Secret is optional (PLAINTEXT needs none)"
    limits = container["resources"]["limits"]
    assert limits["memory"] == "512Mi" and str(limits["cpu"]) == "1"
    assert container["resources"]["requests"], "resource requests are set"


def test_deploy_k8s_worker_pod_is_non_root_with_a_data_volume() -> None:
    pod = k8s_one("Deployment")["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    users = [v for k, v in final_stage() if k == "USER"]
    uid = int(users[-1].split(":")[0])
    assert pod["securityContext"].get("runAsUser", uid) == uid, "runAsUser is the image's uid"
    data_dir = configmap_data()["RAQIB_DATA_DIR"]
    mounts = {m["mountPath"]: m["name"] for m in worker_container()["volumeMounts"]}
    assert data_dir in mounts, f"RAQIB_DATA_DIR {data_dir} must be a mounted volume"
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert "emptyDir" in volumes[mounts[data_dir]], "the data directory is an emptyDir"


def test_deploy_k8s_kafka_trigger_matches_the_config() -> None:
    data = configmap_data()
    triggers = k8s_one("ScaledObject")["spec"]["triggers"]
    kafka = [t for t in triggers if t["type"] == "kafka"]
    assert len(kafka) == 1, "the ScaledObject scales on one kafka trigger"
    meta = kafka[0]["metadata"]
    assert meta["bootstrapServers"] == data["RAQIB_BROKER"], "bootstrapServers is RAQIB_BROKER"
    assert meta["consumerGroup"] == data["RAQIB_APP_ID"], "consumerGroup is RAQIB_APP_ID"
    assert meta["topic"] == Topics(data["RAQIB_TOPIC_PREFIX"]).raw, "topic is the input topic"
    assert meta["lagThreshold"] == "500" and meta["offsetResetPolicy"] == "earliest"
    assert all(isinstance(v, str) for v in meta.values()), "trigger metadata values are strings"
