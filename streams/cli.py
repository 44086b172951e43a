"""The `raqib` command: process, push, tail, worker, broker, eval, demo, settings.

Every command reads its settings once (`Settings.from_env`, then flags) and
passes them down. Networked commands take `--broker` or RAQIB_BROKER.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import orjson

from .records import Rejected, decode_raw, dumps
from .settings import Settings, settings_table

broker_option = click.option(
    "--broker",
    default=None,
    help="Kafka bootstrap servers (default: $RAQIB_BROKER or 127.0.0.1:9092).",
)


def _settings(**overrides: Any) -> Settings:
    try:
        return Settings.from_env(**overrides)
    except ValueError as exc:  # a bad RAQIB_* value: say which, no traceback
        raise click.ClickException(str(exc)) from exc


@click.group()
def main() -> None:
    """Raqib: Arabic security news from scraped pages to structured events."""


# ------------------------------------------------------------------ process


@main.command()
@click.argument("paths", nargs=-1, required=True)
def process(paths: tuple[str, ...]) -> None:
    """Run the whole pipeline in-process (no broker) and print one ArticleResult per line.

    PATHS: .txt/.html files (id = file name), .jsonl files of RawArticle, directories, or -.
    """
    from agents.pipeline import Embedded

    from .inputs import read_inputs

    settings = _settings()
    rejected = 0

    def report(origin: str, exc: Rejected) -> None:
        nonlocal rejected
        rejected += 1
        line = {"origin": origin, "reason": exc.reason, "error": exc.detail}
        click.echo(orjson.dumps(line), err=True)

    raws = []
    origins: dict[int, str] = {}
    for message in read_inputs(paths):
        try:
            raw = decode_raw(message.value, message.key, settings.max_message_bytes)
        except Rejected as exc:
            report(message.origin, exc)
            continue
        origins[id(raw)] = message.origin
        raws.append(raw)
    out = sys.stdout.buffer
    for raw, outcome in Embedded().run_outcomes(raws):
        if isinstance(outcome, Rejected):
            report(origins[id(raw)], outcome)
        else:
            out.write(dumps(outcome) + b"\n")
    out.flush()
    if rejected:
        click.echo(f"{rejected} input(s) rejected (see above)", err=True)
        sys.exit(2)


@main.command("eval")
@click.option(
    "--corpus",
    "corpora",
    multiple=True,
    required=True,
    type=click.Path(exists=True),
    help="A labelled JSONL corpus (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate_command(corpora: tuple[str, ...], as_json: bool) -> None:
    """Score the pipeline on labelled corpora: label P/R/F1, cleaning token F1, event fields."""
    from .evaluation import evaluate, format_report

    settings = _settings()
    reports = {}
    for path in corpora:
        rows = [orjson.loads(line) for line in Path(path).read_bytes().splitlines() if line.strip()]
        reports[path] = evaluate(rows, settings.max_message_bytes)
    if as_json:
        click.echo(
            orjson.dumps({p: r.as_dict() for p, r in reports.items()}, option=orjson.OPT_INDENT_2)
        )
    else:
        for path, report in reports.items():
            click.echo(format_report(report, path))


# ------------------------------------------------------------------ push / tail


@contextlib.contextmanager
def _connection_errors(settings: Settings) -> Iterator[None]:
    """A broker that refuses us (bad password, untrusted certificate) is one clear line, exit 1."""
    from .connection import ConnectionFailed, diagnosed

    try:
        with diagnosed(settings):
            yield
    except ConnectionFailed as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--topic", default="articles.raw", show_default=True, help="Topic (base name gets the prefix)."
)
@broker_option
def push(paths: tuple[str, ...], topic: str, broker: str | None) -> None:
    """Send articles to Kafka (key = article id). PATHS as for `process`; - reads stdin lines."""
    from kafka import KafkaProducer

    from .connection import kafka_python_config
    from .inputs import read_inputs
    from .topics import Topics, ensure_topics

    settings = _settings(broker=broker)
    name = Topics(settings.topic_prefix).resolve(topic)
    messages = list(read_inputs(paths))
    with _connection_errors(settings):
        ensure_topics(settings)
        producer = KafkaProducer(
            **kafka_python_config(settings),
            acks="all",
            linger_ms=20,
            max_request_size=4 * settings.max_message_bytes,
        )
    sent = failed = size = 0
    began = time.monotonic()
    futures = []
    with click.progressbar(messages, label=f"pushing to {name}", file=sys.stderr) as bar:
        for message in bar:
            futures.append((message, producer.send(name, key=message.key, value=message.value)))
            size += len(message.value)
    producer.flush()
    for message, future in futures:
        try:
            future.get(timeout=30)
            sent += 1
        except Exception as exc:
            failed += 1
            click.echo(f"failed: {message.origin}: {exc!r}", err=True)
    producer.close()
    elapsed = time.monotonic() - began
    click.echo(
        f"sent {sent} message(s), {size} bytes, to {name} on {settings.broker} in {elapsed:.2f}s"
        + (f"; {failed} failed" if failed else ""),
        err=True,
    )
    if failed:
        sys.exit(1)


@main.command()
@click.argument("topic")
@click.option("--from-beginning", is_flag=True, help="Start at the earliest offset.")
@click.option("--max", "max_messages", type=int, default=None, help="Stop after N messages.")
@click.option("--timeout", type=float, default=None, help="Stop after S seconds without a message.")
@click.option("--meta", is_flag=True, help="Wrap each value with topic, partition, offset and key.")
@broker_option
def tail(
    topic: str,
    from_beginning: bool,
    max_messages: int | None,
    timeout: float | None,
    meta: bool,
    broker: str | None,
) -> None:
    """Print a topic's messages as JSON lines."""
    from kafka import KafkaConsumer

    from .connection import kafka_python_config
    from .topics import Topics

    settings = _settings(broker=broker)
    with _connection_errors(settings):
        consumer = KafkaConsumer(
            Topics(settings.topic_prefix).resolve(topic),
            **kafka_python_config(settings),
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest" if from_beginning else "latest",
            consumer_timeout_ms=int(timeout * 1000) if timeout else float("inf"),
            fetch_max_bytes=64 * 1024 * 1024,
            max_partition_fetch_bytes=16 * 1024 * 1024,
        )
        out = sys.stdout.buffer
        count = 0
        try:
            for record in consumer:
                out.write(_render(record, meta) + b"\n")
                out.flush()
                count += 1
                if max_messages is not None and count >= max_messages:
                    break
        except KeyboardInterrupt:
            pass
        finally:
            consumer.close()


def _render(record: Any, meta: bool) -> bytes:
    value: Any
    try:
        value = orjson.loads(record.value) if record.value is not None else None
    except orjson.JSONDecodeError:
        value = record.value.decode("utf-8", "replace")
    if not meta:
        return orjson.dumps(value)
    key = record.key.decode("utf-8", "replace") if record.key is not None else None
    return orjson.dumps(
        {
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "key": key,
            "value": value,
        }
    )


# ------------------------------------------------------------------ worker / broker


@main.command()
@broker_option
@click.option(
    "--web-port",
    type=int,
    default=None,
    help="Port of /metrics (default: $RAQIB_WEB_PORT or 6066).",
)
def worker(broker: str | None, web_port: int | None) -> None:
    """Run a Faust worker: consume articles.raw, produce results, events and dead letters."""
    from .app import build_runtime
    from .topics import ensure_topics

    settings = _settings(broker=broker, web_port=web_port)
    logging.basicConfig(
        level=settings.log_level.upper(), format="[%(asctime)s] %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger(__name__).info("settings: %s", settings.redacted())
    runtime = build_runtime(settings)
    ensure_topics(settings, runtime.changelogs())
    runtime.analyzer.warm()
    # What is loaded by now (lexicons, gazetteer, model, the app) lives as long as the worker:
    # out of the collector's reach, a full collection no longer walks it. Under load, full
    # collections had paused the worker 70-170 ms every few seconds; now one of 30 ms a run.
    gc.freeze()
    _run_worker(runtime.app, settings)


def _run_worker(app: Any, settings: Settings) -> None:
    """Run a Faust worker in the foreground until SIGTERM/SIGINT."""
    import faust

    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    worker = faust.Worker(app, loglevel=settings.log_level, quiet=True)
    # At WARNING and above, Faust's terminal spinner sets the root logger to DEBUG so that
    # every log record turns it: then every library builds its DEBUG records for nothing.
    worker.spinner = None
    worker.execute_from_commandline()


@main.command()
@click.option("--port", type=int, default=9092, show_default=True)
@click.option("--controller-port", type=int, default=None, help="Default: port + 1.")
@click.option(
    "--data-dir", type=click.Path(path_type=Path), default=Path("var/broker"), show_default=True
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Where Maven puts the Kafka jars.",
)
@click.option(
    "--prepare", is_flag=True, help="Only resolve the Kafka jars into the cache, then exit."
)
def broker(
    port: int, controller_port: int | None, data_dir: Path, cache_dir: Path | None, prepare: bool
) -> None:
    """Run a local single-node Kafka (KRaft) on 127.0.0.1 in the foreground."""
    from .broker import DEFAULT_CACHE, KAFKA_VERSION, BrokerError, LocalBroker, resolve_classpath

    cache = cache_dir or DEFAULT_CACHE
    try:
        if prepare:
            lib = resolve_classpath(cache)
            click.echo(f"kafka {KAFKA_VERSION} jars in {lib}")
            return
        local = LocalBroker(
            port=port, controller_port=controller_port, data_dir=data_dir, cache_dir=cache
        )
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        seconds = local.start()
        click.echo(f"ready bootstrap={local.bootstrap}", err=False)
        click.echo(
            f"(kafka {KAFKA_VERSION} started in {seconds:.1f}s; log: {local.log_path})", err=True
        )
        sys.stdout.flush()
        while not stopping and local.process is not None and local.process.poll() is None:
            time.sleep(0.2)
        if not stopping:
            raise BrokerError(f"the broker exited by itself:\n{local.tail_log()}")
        local.stop()
    except BrokerError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


# ------------------------------------------------------------------ demo


@main.command()
@click.option(
    "--seeds",
    type=click.Path(exists=True, path_type=Path),
    default=Path("seeds"),
    show_default=True,
)
@click.option("--port", type=int, default=9092, show_default=True)
@click.option("--timeout", type=float, default=120.0, show_default=True, help="Seconds to wait.")
@click.option("--keep", is_flag=True, help="Keep broker and worker running until Ctrl-C.")
def demo(seeds: Path, port: int, timeout: float, keep: bool) -> None:
    """Start a local broker and a worker, push the seeds, show the events, stop."""
    import shutil

    from .broker import LocalBroker
    from .processes import WorkerProcess
    from .topics import Topics

    workdir = Path("var/demo")
    shutil.rmtree(workdir, ignore_errors=True)
    local = LocalBroker(port=port, data_dir=workdir / "broker")
    click.echo("starting Kafka (the first run downloads it with Maven)...", err=True)
    click.echo(f"kafka ready at {local.bootstrap} in {local.start():.1f}s", err=True)
    worker = WorkerProcess(
        env={"RAQIB_BROKER": local.bootstrap, "RAQIB_DATA_DIR": str(workdir / "worker")},
        log_path=workdir / "worker.log",
    )
    try:
        worker.start()
        seconds = worker.wait_ready()
        metrics = f"http://127.0.0.1:{worker.settings.web_port}/metrics"
        click.echo(f"worker ready in {seconds:.1f}s (log {worker.log_path}, {metrics})", err=True)
        env = {**os.environ, **worker.env}
        subprocess.run(
            [sys.executable, "-m", "streams.cli", "push", str(seeds)], env=env, check=True
        )
        expected = sum(1 for _ in seeds.glob("*.txt"))
        _show_results(local.bootstrap, Topics(worker.settings.topic_prefix), expected, timeout)
        if keep:
            click.echo("broker and worker keep running; Ctrl-C to stop", err=True)
            with contextlib.suppress(KeyboardInterrupt):
                while worker.alive():
                    time.sleep(1)
    finally:
        worker.stop()
        local.stop()


def _show_results(bootstrap: str, topics: Any, expected: int, timeout: float) -> None:
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        topics.classified,
        topics.events,
        topics.dlq,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        consumer_timeout_ms=int(timeout * 1000),
    )
    results: Counter[str] = Counter()
    dead = 0
    for record in consumer:
        value = orjson.loads(record.value)
        if record.topic == topics.events:
            places = ", ".join(f"{p['surface']} ({p['name']})" for p in value["places"])
            click.echo(
                f"event {value['event_id']} [{value['type']}] article={value['article_id']} "
                f"date={value['date']} members={value['members']} "
                f"orgs={value['organizations']} agencies={value['agencies']} places: {places}"
            )
        elif record.topic == topics.classified:
            results[value["label"]] += 1
            click.echo(
                f"result {value['id']}: {value['label']} (score {value['score']}), "
                f"{len(value['events'])} event(s)"
            )
        else:
            dead += 1
            click.echo(f"dead letter: {value['reason']}: {value['error']}")
        if sum(results.values()) + dead >= expected:
            break
    consumer.close()
    click.echo(f"done: {dict(results)} results, {dead} dead letters", err=True)


@main.group()
def bench() -> None:
    """Benchmarks (not tests): figures compared within one run."""


@bench.command("embedded")
@click.option("--pages", type=int, default=2000, show_default=True)
def bench_embedded(pages: int) -> None:
    """Pages/s of the embedded pipeline on one core, 5-20 KB pages generated from the seeds."""
    from .bench import embedded

    report = embedded(pages)
    click.echo(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode())


@bench.command("stream")
@click.option("--pages", type=int, default=2000, show_default=True)
@click.option("--broker", default=None, help="Use this broker (default: start a local one).")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Also write JSON here.")
def bench_stream(pages: int, broker: str | None, out: Path | None) -> None:
    """Pass-through vs full pipeline, 1 vs 2 workers, latency at half rate, RSS, embedded."""
    from .bench import stream

    report = stream(pages, bootstrap=broker)
    text = orjson.dumps(report, option=orjson.OPT_INDENT_2).decode()
    click.echo(text)
    if out is not None:
        out.write_text(text + "\n")


@bench.command("passthrough-worker", hidden=True)
def passthrough_worker() -> None:
    """The benchmark's baseline worker: copies articles.raw to bench.passthrough."""
    from .bench import passthrough_app

    settings = _settings()
    logging.basicConfig(level=settings.log_level.upper())
    _run_worker(passthrough_app(settings), settings)


@main.command("settings")
def show_settings() -> None:
    """Print every setting with its environment variable, default and current value."""
    current = _settings().redacted()
    for env, default, doc in settings_table():
        name = env.removeprefix("RAQIB_").lower()
        click.echo(f"{env:28} default={default!r:22} current={current[name]!r}\n    {doc}")


if __name__ == "__main__":
    main()
