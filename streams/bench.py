"""Benchmarks (not tests): `raqib bench embedded` now; the streaming ones in `raqib bench stream`.

Machines here are noisy, so every figure that is compared is measured in the
same run, and reported as a ratio beside the raw numbers.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import time
from pathlib import Path
from typing import Any

import orjson

from agents.pipeline import Analyzer, Embedded
from streams.pagegen import PageGenerator
from streams.records import RawArticle, Rejected


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def embedded(pages: int = 2000, warmup: int = 100) -> dict[str, Any]:
    """Pages/s of clean+classify, of the whole stateless pipeline and of all stages with
    their state, on one core, one run."""
    gen = PageGenerator()
    corpus = [RawArticle(id=i, text=t) for i, t in gen.pages(pages + warmup)]
    analyzer = Analyzer()
    analyzer.warm()
    from agents.clean import clean_normalized

    def clean_classify(raw: RawArticle) -> None:
        article, doc = clean_normalized(raw)
        analyzer.classifier.classify(article.title, article.text, doc.text)

    results: dict[str, Any] = {
        "pages": pages,
        "mean_page_bytes": statistics.mean(len(r.text.encode()) for r in corpus[warmup:]),  # type: ignore[union-attr]
    }
    for name, fn in (("clean+classify", clean_classify), ("full", analyzer.analyze)):
        for raw in corpus[:warmup]:
            try:
                fn(raw)
            except Rejected:
                pass
        latencies: list[float] = []
        rejected = 0
        began = time.perf_counter()
        for raw in corpus[warmup:]:
            t0 = time.perf_counter()
            try:
                fn(raw)
            except Rejected:
                rejected += 1
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - began
        results[name] = {
            "pages_per_s": pages / elapsed,
            "p50_ms": 1000 * _percentile(latencies, 0.5),
            "p99_ms": 1000 * _percentile(latencies, 0.99),
            "rejected": rejected,
        }
    results["full_vs_clean_classify"] = (
        results["full"]["pages_per_s"] / results["clean+classify"]["pages_per_s"]
    )
    # every stage with its state (near-duplicates, incidents), as `raqib process` runs
    # them: what a streaming worker does, without Kafka
    began = time.perf_counter()
    list(Embedded(analyzer).run_outcomes(corpus[warmup:]))
    results["all_stages"] = {"pages_per_s": pages / (time.perf_counter() - began)}
    return results


# ------------------------------------------------------------------ streaming


PASSTHROUGH_TOPIC = "bench.passthrough"
WARM_UP = 20  # pages each stack passes before its clock starts
# Full-pipeline drains through the broker before anything is measured. A new broker spends
# several times the CPU per message of one that has been running (2.5 against 0.5 ms per
# page here, user and system time both falling over its first 4-5 drains: the JVM
# compiling its hot paths and touching its heap for the first time); measured first, the
# pass-through and one worker saw a colder broker than later stacks.
WARM_UP_DRAINS = (3, 8)  # at least, at most
SETTLED = 0.25  # the broker is warm when a drain costs it within 25% of the one before


def passthrough_app(settings: Any) -> Any:
    """The baseline: the same Faust app settings, one agent copying articles.raw to
    bench.passthrough unchanged (consume, produce, commit: what every hop pays)."""
    from .app import _faust_app
    from .topics import Topics

    app = _faust_app(settings)
    topics = Topics(settings.topic_prefix)
    raw = app.topic(topics.name("articles.raw"), key_serializer="raw", value_serializer="raw")
    out = app.topic(
        f"{settings.topic_prefix}{PASSTHROUGH_TOPIC}",
        key_serializer="raw",
        value_serializer="raw",
        partitions=settings.partitions,
    )

    @app.agent(raw, name="passthrough")
    async def passthrough(stream: Any) -> None:
        async for event in stream.events():
            await out.send(key=event.message.key, value=event.message.value)

    return app


def _stop(workers: list[Any]) -> None:
    for worker in workers:
        worker.stop()


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU seconds of a process so far (this one when `pid` is None)."""
    if pid is None:
        times = os.times()
        return times.user + times.system
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class StreamBench:
    """Runs of real workers on one local broker, each with its own topic prefix and group."""

    def __init__(
        self,
        bootstrap: str,
        workdir: Path,
        pages: list[tuple[str, bytes]],
        broker_pid: int | None = None,
        warm_up: list[tuple[str, bytes]] | None = None,
    ) -> None:
        self.bootstrap = bootstrap
        self.workdir = workdir
        self.pages = pages
        # Pages passed through the ready workers before the clock starts: a worker is a
        # group member a few seconds before its streams run (table recovery), and that
        # start-up is not throughput or latency. Their ids must not be among `pages`.
        self.warm_up = warm_up or []
        self.broker_pid = broker_pid  # when the benchmark started the broker: its CPU is shown
        self.runs = 0

    def _stack(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        import uuid

        from .settings import Settings
        from .topics import ensure_topics

        tag = uuid.uuid4().hex[:8]
        env = {
            "RAQIB_BROKER": self.bootstrap,
            "RAQIB_TOPIC_PREFIX": f"bench{tag}.",
            "RAQIB_APP_ID": f"bench-{tag}",
            "RAQIB_PARTITIONS": "8",
            "RAQIB_LOG_LEVEL": "warning",
            **(extra or {}),
        }
        ensure_topics(Settings.from_env(env))
        return env

    def _drop(self, env: dict[str, str]) -> None:
        """Delete a finished stack's topics and changelogs, so that every stack meets a broker
        like the first one did (with those of earlier stacks kept, later stacks stalled for
        seconds: end-to-end p50 1-2 s instead of 0.02 s at the same rate)."""
        from kafka.admin import KafkaAdminClient

        admin = KafkaAdminClient(bootstrap_servers=self.bootstrap)
        try:
            prefixes = (env["RAQIB_TOPIC_PREFIX"], f"{env['RAQIB_APP_ID']}-")
            admin.delete_topics([t for t in admin.list_topics() if t.startswith(prefixes)])
        finally:
            admin.close()

    def _workers(self, env: dict[str, str], count: int, command: tuple[str, ...]) -> list[Any]:
        from .broker import free_port
        from .processes import WorkerProcess

        workers: list[Any] = []
        try:
            for _ in range(count):
                self.runs += 1
                worker = WorkerProcess(
                    env={
                        **env,
                        "RAQIB_WEB_PORT": str(free_port()),
                        "RAQIB_DATA_DIR": str(self.workdir / f"run{self.runs}"),
                    },
                    log_path=self.workdir / f"run{self.runs}.log",
                    command=command,
                )
                workers.append(worker)
                worker.start()
            for worker in workers:
                worker.wait_ready(timeout_s=120, members=count)
        except BaseException:
            _stop(workers)
            raise
        return workers

    def _start(self, env: dict[str, str], count: int, passthrough: bool = False) -> Any:
        """`count` ready workers of a stack, warmed up; (workers, raw topic, output topics)."""
        from .topics import Topics

        topics = Topics(env["RAQIB_TOPIC_PREFIX"])
        command = ("bench", "passthrough-worker") if passthrough else ("worker",)
        outputs = (
            [f"{env['RAQIB_TOPIC_PREFIX']}{PASSTHROUGH_TOPIC}"]
            if passthrough
            else [topics.name("articles.classified"), topics.name("articles.dlq")]
        )
        procs = self._workers(env, count, command)
        try:
            if self.warm_up:
                self._produce(topics.name("articles.raw"), pages=self.warm_up)
                self._collect(outputs, len(self.warm_up), timeout_s=120, warm=True)
        except BaseException:  # a worker left running would take a core from what follows
            _stop(procs)
            raise
        return procs, topics.name("articles.raw"), outputs

    def _produce(
        self, topic: str, rate: float | None = None, pages: list[tuple[str, bytes]] | None = None
    ) -> dict[str, float]:
        """Send every page (at `rate` pages/s, else as fast as possible); id -> send time."""
        from kafka import KafkaProducer

        producer = KafkaProducer(
            bootstrap_servers=self.bootstrap, linger_ms=5, max_request_size=16 * 1024 * 1024
        )
        sent: dict[str, float] = {}
        began = time.time()
        for n, (article_id, value) in enumerate(self.pages if pages is None else pages):
            if rate is not None:
                delay = began + n / rate - time.time()
                if delay > 0:
                    time.sleep(delay)
            sent[article_id] = time.time()
            producer.send(topic, key=article_id.encode(), value=value)
        producer.flush()
        producer.close()
        return sent

    def _collect(
        self, topics: list[str], expected: int, timeout_s: float, warm: bool = False
    ) -> list[Any]:
        """(key, broker timestamp in s) of the first `expected` records of the topics: the
        warm-up's when `warm`, else the others."""
        from kafka import KafkaConsumer

        consumer = KafkaConsumer(
            *topics,
            bootstrap_servers=self.bootstrap,
            auto_offset_reset="earliest",
            consumer_timeout_ms=1000,
            fetch_max_bytes=64 * 1024 * 1024,
            max_partition_fetch_bytes=16 * 1024 * 1024,
        )
        warm_keys = {article_id.encode() for article_id, _ in self.warm_up}
        records: list[Any] = []
        deadline = time.monotonic() + timeout_s
        try:
            while len(records) < expected and time.monotonic() < deadline:
                for record in consumer:
                    if (record.key in warm_keys) != warm:
                        continue
                    records.append((record.key, record.timestamp / 1000.0))
                    if len(records) >= expected:
                        break
        finally:
            consumer.close()
        if len(records) < expected:
            raise TimeoutError(f"{len(records)} of {expected} outputs in {timeout_s:.0f}s")
        return records

    def throughput(
        self, workers: int, passthrough: bool = False, settings: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Pages/s of ready workers draining a backlog of every page; `settings`: RAQIB_
        variables of the workers beyond the benchmark's own.

        The workers are stopped (SIGSTOP) while the pages are produced and continued when
        the clock starts; until the last output, this process only polls the output topics'
        end offsets. On a small machine the benchmark's own client would otherwise take
        cores from what it measures.
        """
        from .app import SESSION_TIMEOUT_S

        env = self._stack(settings)
        procs, raw, outputs = self._start(env, workers, passthrough)
        pids = {"bench client": None, "broker": self.broker_pid}
        pids.update({f"worker {n + 1}": w.process.pid for n, w in enumerate(procs)})
        try:
            for worker in procs:
                worker.process.send_signal(signal.SIGSTOP)
            paused = time.monotonic()
            try:
                self._produce(raw)
            finally:
                cpu_before = {
                    name: cpu_seconds(pid) for name, pid in pids.items() if name != "broker" or pid
                }
                began, began_wall = time.monotonic(), time.time()
                for worker in procs:
                    worker.process.send_signal(signal.SIGCONT)
            if began - paused > SESSION_TIMEOUT_S / 2:  # no heartbeats while stopped
                raise RuntimeError(
                    f"producing {len(self.pages)} pages took {began - paused:.1f}s: the stopped"
                    " workers may have left their group. Use fewer pages"
                )
            self._await_outputs(outputs, len(self.warm_up) + len(self.pages), 60 + len(self.pages))
            cpu = {name: cpu_seconds(pids[name]) - t for name, t in cpu_before.items()}
            window = time.monotonic() - began
            rss = max(peak_rss_mb(w.process.pid) for w in procs if w.process is not None)
            records = self._collect(outputs, len(self.pages), timeout_s=60)
        finally:
            _stop(procs)
            self._drop(env)
        elapsed = max(ts for _, ts in records) - began_wall
        return {
            "workers": workers,
            "pages_per_s": len(self.pages) / elapsed,
            "seconds": elapsed,
            "peak_rss_mb": rss,
            # where the machine's cores went: on a small machine a second worker may find
            # none free (the broker shares them)
            "cpu_ms_per_page": {name: 1000 * s / len(self.pages) for name, s in cpu.items()},
            "busy_cores": sum(cpu.values()) / window,  # over the same window as the CPU
        }

    def _await_outputs(self, topics: list[str], expected: int, timeout_s: float) -> None:
        """Wait until the topics hold `expected` records, reading only their end offsets."""
        from kafka import KafkaConsumer, TopicPartition

        consumer = KafkaConsumer(bootstrap_servers=self.bootstrap)
        try:
            partitions = [
                TopicPartition(topic, p)
                for topic in topics
                for p in consumer.partitions_for_topic(topic) or ()
            ]
            deadline = time.monotonic() + timeout_s
            while (held := sum(consumer.end_offsets(partitions).values())) < expected:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{held} of {expected} outputs in {timeout_s:.0f}s")
                time.sleep(0.05)
        finally:
            consumer.close()

    def latency(self, rate: float) -> dict[str, Any]:
        """End-to-end seconds (page sent -> ArticleResult in Kafka) at a fixed input rate."""
        env = self._stack()
        procs, raw, outputs = self._start(env, 1)
        try:
            sent = self._produce(raw, rate=rate)
            records = self._collect(outputs, len(self.pages), timeout_s=60 + len(self.pages))
        finally:
            _stop(procs)
            self._drop(env)
        latencies = [ts - sent[key.decode()] for key, ts in records if key.decode() in sent]
        return {
            "rate_pages_per_s": rate,
            "p50_s": _percentile(latencies, 0.5),
            "p99_s": _percentile(latencies, 0.99),
            "max_s": max(latencies),
        }


def warm_broker(bench: StreamBench) -> list[dict[str, float]]:
    """Drain the pages through one full worker until the broker's CPU per page settles (or,
    for a broker the benchmark did not start, WARM_UP_DRAINS[0] times); each drain's figures."""
    drains: list[dict[str, float]] = []
    least, most = WARM_UP_DRAINS
    while len(drains) < most:
        run = bench.throughput(1)
        cost = run["cpu_ms_per_page"].get("broker", float("nan"))
        drains.append({"pages_per_s": run["pages_per_s"], "broker_cpu_ms_per_page": cost})
        if len(drains) >= least:
            if bench.broker_pid is None:
                break
            before = drains[-2]["broker_cpu_ms_per_page"]
            if abs(cost - before) <= SETTLED * before:
                break
    return drains


def stream(pages: int = 2000, bootstrap: str | None = None, workdir: Path | None = None) -> Any:
    """Every streaming figure of issue [6/6] in one run, on 8 partitions (see README)."""
    import tempfile

    from .broker import LocalBroker, free_port

    gen = PageGenerator()
    texts = [text for _, text in gen.pages(pages + WARM_UP)]
    corpus = [(f"b{n}", orjson.dumps({"id": f"b{n}", "text": t})) for n, t in enumerate(texts)]
    warm_up = [
        (f"w{n}", orjson.dumps({"id": f"w{n}", "text": t})) for n, t in enumerate(texts[pages:])
    ]
    corpus = corpus[:pages]
    tmp = Path(workdir or tempfile.mkdtemp(prefix="raqib-bench-"))
    broker = None
    if bootstrap is None:
        broker = LocalBroker(port=free_port(), controller_port=free_port(), data_dir=tmp / "kafka")
        broker.start()
        bootstrap = broker.bootstrap
    report: dict[str, Any] = {
        "pages": pages,
        "mean_page_bytes": statistics.mean(len(v) for _, v in corpus),
        "partitions": 8,
    }
    try:
        broker_pid = broker.process.pid if broker is not None and broker.process else None
        bench = StreamBench(bootstrap, tmp, corpus, broker_pid, warm_up)
        report["broker_warm_up"] = warm_broker(bench)
        report["passthrough"] = bench.throughput(1, passthrough=True)
        report["full_1_worker"] = bench.throughput(1)
        report["full_2_workers"] = bench.throughput(2)
        # what the standby copies of each other's tables cost two workers (see README)
        report["full_2_workers_no_standby"] = bench.throughput(
            2, settings={"RAQIB_STANDBY_REPLICAS": "0"}
        )
        half = report["full_1_worker"]["pages_per_s"] / 2
        bench.pages = corpus[: max(200, int(half * 20))]  # about 20 s at half the rate
        report["latency_at_half_rate"] = bench.latency(half)
    finally:
        if broker is not None:
            broker.stop()
    if workdir is None:  # a run leaves about 700 MB of broker data; kept when it failed
        shutil.rmtree(tmp, ignore_errors=True)
    report["embedded"] = embedded(min(pages, 1000))
    one = report["full_1_worker"]["pages_per_s"]
    report["ratios"] = {
        "full_vs_passthrough": one / report["passthrough"]["pages_per_s"],
        # what Kafka and Faust cost the same work on one core
        "full_vs_embedded_all_stages": one / report["embedded"]["all_stages"]["pages_per_s"],
        "two_workers_vs_one": report["full_2_workers"]["pages_per_s"] / one,
        "two_workers_no_standby_vs_one": report["full_2_workers_no_standby"]["pages_per_s"] / one,
    }
    report["targets"] = {
        "full_vs_passthrough >= 0.5": report["ratios"]["full_vs_passthrough"] >= 0.5,
        "pages_per_s_per_worker >= 300": one >= 300,
        "p99_at_half_rate <= 1s": report["latency_at_half_rate"]["p99_s"] <= 1.0,
        "two_workers_vs_one >= 1.6": report["ratios"]["two_workers_vs_one"] >= 1.6,
        "worker_peak_rss <= 300MB": report["full_1_worker"]["peak_rss_mb"] <= 300,
    }
    return report
