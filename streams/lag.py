"""Consumer lag of the worker's group, from Kafka's own offsets, named as kafka_exporter names it.

Every LAG_INTERVAL_S a worker asks the broker for its group's committed offsets and the
partitions' end offsets (kafka-python's admin client, in a thread so the event loop
never waits), and sets kafka_consumergroup_lag{consumergroup, topic, partition}
(kafka_exporter's _sum gauge is left out: `promtool check metrics` rejects a gauge named
*_sum; sum() in PromQL gives it). Every worker of a group reports the same values:
dashboards take max().
"""

from __future__ import annotations

import logging
from typing import Any

from .connection import kafka_python_config
from .metrics import Metrics
from .settings import Settings

log = logging.getLogger(__name__)
LAG_INTERVAL_S = 15.0


class LagCollector:
    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        self.settings = settings
        self.metrics = metrics
        self._admin: Any = None

    def _client(self) -> Any:
        if self._admin is None:
            from kafka.admin import KafkaAdminClient

            self._admin = KafkaAdminClient(
                **kafka_python_config(self.settings), request_timeout_ms=10_000
            )
        return self._admin

    def lag(self) -> dict[tuple[str, int], int]:
        """(topic, partition) -> end offset minus committed offset, for the group's partitions."""
        from kafka.admin import OffsetSpec

        admin = self._client()
        group = self.settings.app_id
        committed = admin.list_group_offsets(group).get(group, {})
        if not committed:
            return {}
        ends = admin.list_partition_offsets({tp: OffsetSpec.LATEST for tp in committed})
        return {
            (tp.topic, tp.partition): max(0, ends[tp].offset - meta.offset)
            for tp, meta in committed.items()
            if tp in ends and meta.offset >= 0
        }

    def update(self) -> None:
        """Refresh the gauges; a broker that does not answer leaves the last values."""
        try:
            lags = self.lag()
        except Exception as exc:  # the broker may be restarting: try again next round
            log.warning("consumer lag not refreshed: %r", exc)
            self._admin = None
            return
        group = self.settings.app_id
        for (topic, partition), value in lags.items():
            self.metrics.consumer_lag.labels(group, topic, str(partition)).set(value)
