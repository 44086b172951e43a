"""Wire records: the one module that defines what travels on Raqib's topics.

Plain dataclasses (orjson serialises them natively and fast) so the pure
stages in `agents/` can build them without importing Faust or Kafka. The
output contract is in DESIGN.md; `decode_raw` is the input contract, and a
message it cannot accept raises `Rejected` with a reason from `REASONS`.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import orjson

LABELS = ("security", "unrelated")
EVENT_TYPES = (
    "cell_dismantled",
    "arrest",
    "seizure",
    "attack",
    "plot_foiled",
    "security_report",
    "other_security",
)
ORGANIZATIONS = (
    "ISIS",
    "ISGS",
    "ISWAP",
    "AQIM",
    "AL_QAEDA",
    "JNIM",
    "BOKO_HARAM",
    "POLISARIO",
    "HEZBOLLAH",
    "HAMAS",
    "OTHER",
)
AGENCIES = (
    "BCIJ",
    "DGST",
    "DGSN",
    "GENDARMERIE",
    "INTERIOR",
    "FAR",
    "CUSTOMS",
    "FOREIGN_POLICE",
    "ARMY_OTHER",
    "OTHER",
)
SEIZED = (
    "firearms",
    "ammunition",
    "bladed_weapons",
    "explosives",
    "chemicals",
    "electronics",
    "extremist_material",
    "drugs",
    "cash",
    "vehicles",
    "masks_uniforms",
    "other",
)
# Kinds of page zones removed from `text` (DESIGN's contract names).
REMOVED_KINDS = ("ticker", "boilerplate", "tweet", "related", "link")

# Why a message became a dead letter: a closed set, so it can be a metric label.
REASONS = {
    "empty_message": "the message has no value (tombstone or zero bytes)",
    "too_large": "the message is larger than RAQIB_MAX_MESSAGE_BYTES",
    "invalid_utf8": "the bytes are not valid UTF-8",
    "invalid_json": "the message looks like JSON but does not parse",
    "not_an_article": "JSON that is neither a RawArticle object nor a string of text",
    "wrong_type": "a RawArticle field has the wrong type",
    "invalid_date": "published_at/fetched_at is not an ISO 8601 date or epoch seconds",
    "missing_text": "a RawArticle without `text` or `html`",
    "empty_text": "the text is empty or only whitespace/control characters",
    "no_text_content": "the text has no letters at all",
    "no_body": "the page has no article body: only tickers, page furniture or links",
    "html_too_complex": "the HTML is nested too deeply or has too many elements to extract safely",
    "unexpected_error": "a bug: an exception the stage did not expect (see error_class)",
    "output_rejected": "the result could not be produced to Kafka",
}


class Rejected(Exception):
    """A message Raqib will not process, with a reason from REASONS: errors are data."""

    def __init__(self, reason: str, detail: str) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown rejection reason {reason!r}")
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(slots=True)
class RawArticle:
    id: str
    text: str | None = None
    html: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: str | None = None  # ISO 8601, normalised by decode_raw
    fetched_at: str | None = None


@dataclass(slots=True)
class Removed:
    kind: str
    text: str


@dataclass(slots=True)
class CleanArticle:
    id: str
    title: str | None
    text: str  # the body only
    removed: list[Removed] = field(default_factory=list)
    tweets: list[str] = field(default_factory=list)  # embedded tweets: not body, still evidence


@dataclass(slots=True)
class Evidence:
    field: str
    start: int  # offsets into `text`, or into the removed zone named by `source`
    end: int
    text: str
    source: str = "text"  # "text", or "removed:tweet:N" for the N-th embedded tweet


@dataclass(slots=True)
class Place:
    name: str  # canonical (English) name from the gazetteer; the surface when it is unknown
    surface: str
    country: str | None
    lat: float | None  # None for a locality the gazetteer does not know
    lon: float | None
    geonameid: int | None = None
    precision: str = "city"  # city | region | country | locality (not in the gazetteer)


@dataclass(slots=True)
class Event:
    event_id: str
    article_id: str
    type: str
    incident_id: str | None = None
    date: str | None = None
    date_text: str | None = None
    places: list[Place] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    members: int | None = None
    killed: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    seized: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 0.0


@dataclass(slots=True)
class ArticleResult:
    id: str
    label: str
    score: float
    title: str | None
    text: str
    removed: list[Removed] = field(default_factory=list)
    duplicate_of: str | None = None
    events: list[Event] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # what decided the label, for analysts
    background: list[dict[str, Any]] = field(default_factory=list)  # past operations mentioned
    url: str | None = None
    source: str | None = None
    published_at: str | None = None


@dataclass(slots=True)
class DuplicateNotice:
    id: str
    duplicate_of: str
    similarity: float


def dumps(record: Any) -> bytes:
    return orjson.dumps(record)


def article_id_for(url: str | None, text: str | None) -> str:
    """The default article id: a stable hash of the url, else of the text."""
    basis = url or text or ""
    return hashlib.sha1(basis.encode("utf-8", "surrogatepass")).hexdigest()[:16]


# ---------------------------------------------------------------- input decoding

_STR_FIELDS = ("id", "text", "html", "title", "url", "source")
_DATE_FIELDS = ("published_at", "fetched_at")


def _normalise_date(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise Rejected("invalid_date", f"{name} is a boolean")
    if isinstance(value, int | float):
        seconds = value / 1000.0 if value > 1e11 else float(value)  # epoch ms or s
        if not math.isfinite(seconds) or not 0 <= seconds < 32503680000:  # year 3000
            raise Rejected("invalid_date", f"{name}={value!r} is out of range")
        return datetime.fromtimestamp(seconds, UTC).isoformat()
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return date.fromisoformat(text).isoformat()
            return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
        except ValueError:
            raise Rejected("invalid_date", f"{name}={text[:40]!r} is not ISO 8601") from None
    raise Rejected("invalid_date", f"{name} is a {type(value).__name__}")


# Control characters and bidi embeddings/overrides/isolates are invisible noise that scrapers
# pass through (and a display hazard downstream: "trojan source"); line and page separators
# become newlines. LRM/RLM, ZWJ/ZWNJ are kept: Arabic and Persian text uses them legitimately.
_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_INVISIBLE = {
    **{c: None for c in range(0x20) if chr(c) not in "\t\n\r" + _LINE_BREAKS},
    **{c: None for c in range(0x7F, 0xA0) if chr(c) not in _LINE_BREAKS},
    **{c: None for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
    **{ord(c): "\n" for c in _LINE_BREAKS},
}


_INVISIBLE_CHARS = re.compile("[" + re.escape("".join(map(chr, _INVISIBLE))) + "]")


def sanitize(text: str) -> str:
    """The text without control characters and bidi controls (see _INVISIBLE).

    Most texts have none, and a regex search is a C loop where translate is not."""
    if _INVISIBLE_CHARS.search(text) is None:
        return text
    return text.translate(_INVISIBLE)


def _has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _check_text(text: str) -> None:
    if not text.strip():
        raise Rejected("empty_text", "the text is empty or whitespace")
    if not _has_letters(text):
        raise Rejected("no_text_content", "the text has no letters")


def decode_raw(value: bytes | None, key: bytes | None, max_bytes: int) -> RawArticle:
    """Turn one input message into a RawArticle, or raise Rejected with the reason."""
    if not value:
        raise Rejected("empty_message", "the message value is empty")
    if len(value) > max_bytes:
        raise Rejected("too_large", f"{len(value)} bytes > {max_bytes}")
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Rejected("invalid_utf8", f"byte {exc.start}: {exc.reason}") from None
    key_id = None
    if key:
        key_id = key.decode("utf-8", "replace").strip() or None
    head = text.lstrip()[:1]
    if head in ("{", "[", '"'):
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            if head == '"':
                data = text  # plain text that happens to start with a quote
            else:
                raise Rejected("invalid_json", str(exc)[:200]) from None
        if isinstance(data, str):
            data = sanitize(data)
            _check_text(data)
            return RawArticle(id=key_id or article_id_for(None, data), text=data)
        if not isinstance(data, dict):
            raise Rejected("not_an_article", f"JSON {type(data).__name__}, expected an object")
        return _raw_from_dict(data, key_id)
    text = sanitize(text)
    _check_text(text)
    return RawArticle(id=key_id or article_id_for(None, text), text=text)


def _raw_from_dict(data: dict[str, Any], key_id: str | None) -> RawArticle:
    fields_: dict[str, Any] = {}
    for name in _STR_FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise Rejected("wrong_type", f"{name} is a {type(value).__name__}, expected a string")
        fields_[name] = sanitize(value) if name in ("text", "html", "title") and value else value
    if isinstance(data.get("id"), str) and not data["id"].strip():
        fields_["id"] = None
    for name in _DATE_FIELDS:
        fields_[name] = _normalise_date(name, data.get(name))
    if fields_["text"] is None and fields_["html"] is None:
        raise Rejected("missing_text", "neither `text` nor `html` is given")
    body = fields_["text"] if fields_["text"] is not None else fields_["html"]
    _check_text(body)
    article_id = fields_.pop("id") or key_id or article_id_for(fields_["url"], body)
    return RawArticle(id=article_id, **fields_)
