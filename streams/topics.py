"""The one place where Raqib's topics are declared: names, keys, partitions, configs.

Every other module asks `Topics` for a name; no topic name is written as a
string anywhere else. `ensure_topics` creates what is missing with the same
specs, so the worker, `raqib push` and the tests agree on partitions and
compaction whoever starts first.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from .settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TopicSpec:
    base: str  # name without the configured prefix
    key: str  # what the message key is, for the docs
    doc: str
    compacted: bool = False
    internal: bool = False  # a repartition hop between Raqib's own agents
    fixed_partitions: int | None = None  # else RAQIB_PARTITIONS

    def partitions(self, settings: Settings) -> int:
        return self.fixed_partitions or settings.partitions


SPECS: tuple[TopicSpec, ...] = (
    TopicSpec(
        "articles.raw", "article id (optional)", "RawArticle JSON or plain UTF-8 text: the input"
    ),
    TopicSpec("articles.clean", "article id", "CleanArticle: optional tap of the clean stage"),
    TopicSpec(
        "articles.classified", "article id", "ArticleResult: every input ends here or in the DLQ"
    ),
    TopicSpec("events.security", "event id", "Event: one per extracted incident report"),
    TopicSpec(
        "events.incidents", "incident id", "Incident: latest state of each incident", compacted=True
    ),
    TopicSpec(
        "articles.duplicates",
        "article id",
        "near-duplicate notices {id, duplicate_of, similarity}",
        compacted=True,
    ),
    TopicSpec("articles.dlq", "original key", "DeadLetter: original bytes with the reason"),
    TopicSpec(
        "dedup.index",
        "article id",
        "analysed articles with their MinHash signatures, all through one index",
        internal=True,
        # 64 bands fall in every partition of a band-partitioned index, so each partition
        # would see every article: more would add messages and parallelise nothing
        fixed_partitions=1,
    ),
    TopicSpec(
        "incidents.blocks", "blocking key", "analysed articles with events, by block", internal=True
    ),
)


@dataclass(frozen=True)
class Topics:
    """Topic names with the configured prefix applied."""

    prefix: str = ""

    def name(self, base: str) -> str:
        if base not in _BASES:
            raise KeyError(f"unknown topic {base!r}")
        return f"{self.prefix}{base}"

    raw = property(lambda self: self.name("articles.raw"))
    clean = property(lambda self: self.name("articles.clean"))
    classified = property(lambda self: self.name("articles.classified"))
    events = property(lambda self: self.name("events.security"))
    incidents = property(lambda self: self.name("events.incidents"))
    duplicates = property(lambda self: self.name("articles.duplicates"))
    dlq = property(lambda self: self.name("articles.dlq"))
    index = property(lambda self: self.name("dedup.index"))
    blocks = property(lambda self: self.name("incidents.blocks"))

    def resolve(self, name: str) -> str:
        """A user-given topic: a base name gets the prefix, anything else is taken as is."""
        return self.name(name) if name in _BASES else name


_BASES = frozenset(spec.base for spec in SPECS)


def max_message_bytes(settings: Settings) -> str:
    """The broker's limit on every topic Raqib writes, changelogs included: `check_size`
    lets through what it allows."""
    # A result carries the clean text and the removed zones, a dead letter the
    # original as base64 (4/3): three times the input cap covers both.
    return str(max(1_048_588, 3 * settings.max_message_bytes))


def topic_configs(spec: TopicSpec, settings: Settings) -> dict[str, str]:
    """Broker-side configs: big enough messages for the size cap, compaction where declared."""
    configs = {"max.message.bytes": max_message_bytes(settings)}
    if spec.compacted:
        configs["cleanup.policy"] = "compact"
    return configs


@dataclass(frozen=True)
class Changelog:
    """A table's changelog topic, as Faust would declare it (see `ensure_topics`)."""

    name: str
    partitions: int
    configs: dict[str, str]


def ensure_topics(
    settings: Settings, changelogs: Iterable[Changelog] = (), timeout_s: float = 30.0
) -> list[str]:
    """Create the missing topics, and the tables' `changelogs`; return the names created.

    A worker creates its changelogs here, before Faust starts, rather than leave them to
    Faust: Faust declares them after its consumer has read the cluster's metadata, and
    until that metadata is refreshed (five minutes) a table in a partition with a
    changelog it does not see refuses every write ("changelog topic has 0 partitions").
    On a new cluster the first worker filed no incident for its first minutes.
    """
    from kafka.admin import KafkaAdminClient, NewTopic
    from kafka.errors import TopicAlreadyExistsError

    from .connection import kafka_python_config

    topics = Topics(settings.topic_prefix)
    admin = KafkaAdminClient(
        **kafka_python_config(settings), request_timeout_ms=int(timeout_s * 1000)
    )
    try:
        existing = set(admin.list_topics())
        wanted = [
            NewTopic(
                name=topics.name(spec.base),
                num_partitions=spec.partitions(settings),
                replication_factor=settings.replication,
                topic_configs=topic_configs(spec, settings),
            )
            for spec in SPECS
            if topics.name(spec.base) not in existing
        ] + [
            NewTopic(
                name=changelog.name,
                num_partitions=changelog.partitions,
                replication_factor=settings.replication,
                topic_configs=changelog.configs,
            )
            for changelog in changelogs
            if changelog.name not in existing
        ]
        created: list[str] = []
        for topic in wanted:  # one by one: a concurrent creator only costs us that one
            try:
                admin.create_topics([topic], timeout_ms=int(timeout_s * 1000))
                created.append(topic.name)
            except TopicAlreadyExistsError:
                pass
        if created:
            log.info("created topics: %s", ", ".join(created))
        return created
    finally:
        admin.close()
