"""Every Prometheus metric Raqib exports, declared once, with bounded label sets.

Base units (seconds, characters), `_total` counters. Label values come from
closed sets: labels, event types, stages, DLQ reasons, zone kinds; place
labels only from canonical gazetteer entries. Faust's own sensor (messages,
commits, rebalances) is exported beside these under the `faust_` prefix.
"""

from __future__ import annotations

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, Info

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
        self.consumer_lag_sum = Gauge(
            "kafka_consumergroup_lag_sum",
            "Consumer lag summed over partitions, as kafka_exporter",
            ["consumergroup", "topic"],
            registry=r,
        )
        # pre-create the closed label sets so dashboards show zeros, not gaps
        for label in ("security", "unrelated"):
            self.results.labels(label)
        for name in ("place", "date"):
            self.events_unresolved.labels(name)
