"""Every Prometheus metric Raqib exports, declared once, with bounded label sets.

Base units (seconds, characters), `_total` counters. Label values come from
closed sets: labels, event types, stages, DLQ reasons, zone kinds; place
labels only from canonical gazetteer entries. Faust's own sensor (messages,
commits, rebalances) is exported beside these under the `faust_` prefix.
"""

from __future__ import annotations

from typing import Any, cast

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    disable_created_metrics,
    generate_latest,
)

disable_created_metrics()  # no *_created series: they double every counter for no use here

LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
E2E_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 86400)


class Metrics:
    """The metric objects; one instance per registry (the default one in a worker)."""

    def __init__(self, registry: CollectorRegistry = REGISTRY) -> None:
        r = registry
        self.info = Info("raqib_build", "Raqib version and configuration", registry=r)
        self.received = Counter(
            "raqib_articles_received_total", "Input messages consumed from articles.raw", registry=r
        )
        self.results = Counter(
            "raqib_results_total", "ArticleResults produced, by label", ["label"], registry=r
        )
        self.events = Counter(
            "raqib_events_total", "Events produced, by event type", ["type"], registry=r
        )
        self.event_places = Counter(
            "raqib_event_places_total",
            "Event places, canonical gazetteer places only (lat/lon for Grafana's geomap)",
            ["place", "country", "lat", "lon"],
            registry=r,
        )
        self.events_unresolved = Counter(
            "raqib_events_unresolved_total",
            "Events missing a field the analyst needs (place or date)",
            ["field"],
            registry=r,
        )
        self.dead_letters = Counter(
            "raqib_dead_letters_total",
            "Messages sent to articles.dlq, by stage and reason",
            ["stage", "reason"],
            registry=r,
        )
        self.stage_seconds = Histogram(
            "raqib_stage_seconds",
            "Processing time of one article in one stage",
            ["stage"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.end_to_end_seconds = Histogram(
            "raqib_end_to_end_seconds",
            "From fetched_at (or the input message's timestamp) to the result being produced",
            buckets=E2E_BUCKETS,
            registry=r,
        )
        self.removed_chars = Counter(
            "raqib_removed_characters_total",
            "Characters removed from pages, by zone kind",
            ["kind"],
            registry=r,
        )
        self.duplicates = Counter(
            "raqib_duplicates_total",
            "Articles found to be near-duplicates of an earlier one",
            registry=r,
        )
        self.incidents = Counter(
            "raqib_incidents_total",
            "Incident state changes, by action (opened, updated, merged)",
            ["action"],
            registry=r,
        )
        self.consumer_lag = Gauge(
            "kafka_consumergroup_lag",
            "Consumer lag (end offset - committed offset), as kafka_exporter",
            ["consumergroup", "topic", "partition"],
            registry=r,
        )
        # pre-create the closed label sets so dashboards show zeros, not gaps
        for label in ("security", "unrelated"):
            self.results.labels(label)
        for name in ("place", "date"):
            self.events_unresolved.labels(name)


class _MillisToSeconds:
    """Faust observes event runtime in milliseconds; we export it in seconds."""

    def __init__(self, histogram: Histogram) -> None:
        self.histogram = histogram

    def observe(self, ms: float) -> None:
        self.histogram.observe(ms / 1000.0)


def install_faust_sensor(app: Any, registry: CollectorRegistry = REGISTRY) -> None:
    """Faust's own Prometheus sensor (messages, commits, rebalances, sends), served with
    Raqib's metrics on the app's /metrics page. Its one metric with a unit in its name
    (events_runtime_ms) is exported as faust_events_runtime_seconds instead, so that a
    live scrape passes `promtool check metrics`."""
    from aiohttp.web import Response
    from faust.sensors.prometheus import FaustMetrics, PrometheusMonitor

    metrics = FaustMetrics.create(registry, "faust")
    registry.unregister(metrics.events_runtime_latency)
    seconds = Histogram(
        "faust_events_runtime_seconds",
        "Time from an event entering a stream to it being done",
        buckets=LATENCY_BUCKETS,
        registry=registry,
    )
    app.monitor = PrometheusMonitor(
        metrics=metrics._replace(events_runtime_latency=cast(Any, _MillisToSeconds(seconds)))
    )

    @app.page("/metrics")
    async def metrics_page(self: Any, request: Any) -> Any:
        return Response(
            body=generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )
