"""Events: which NEW incidents an article reports, with every field traced to its words.

The text is cut into sentences and every lexicon (triggers, places, groups,
agencies, seized items, dates, counts) is matched once over the whole
normalised text. The *lead* is the first sentence that reports an operation
or an attack; sentences that tell history (a past cue such as "سبق أن", or an
explicit date far from the lead's) are background and give no fields. The
event's fields come from the lead and the sentences that refer back to the
operation; embedded tweets (removed from the body) are read for places,
seized items and dates too, with their evidence pointing into the removed
zone. A later sentence with its own operation and its own recent date is a
second event.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from agents.arabic import Normalized
from agents.matcher import Match, TermMatcher
from streams.records import CleanArticle, Event, Evidence, Place

from . import counts
from .dates import FoundDate, find_dates
from .gazetteer import Candidates, Gazetteer, resolve
from .vocab import (
    AGENCIES,
    ANAPHORA,
    ARMY_WORDS,
    BACKGROUND_CUES,
    COUNTRY_OF_RECORD,
    FOREIGN_ARMY_NISBA,
    LOCATIVE_WORDS,
    ORGANIZATIONS,
    SEIZED,
    TRIGGERS,
    VAST_REGIONS,
)

SCOPE_PARAGRAPHS = 5  # facts of the reported operation come within this many paragraphs of the lead
SAME_EVENT_DAYS = 3  # an explicit date this close to the lead's is the same news
RECENT_DAYS = 7  # a second operation this close to the lead is news too, not history
_SENTENCE_END = re.compile(r"(?<!\d)[.!؟?](?=\s)|\n+")
_RECENT = re.compile(r"قبل\sذلك\sب(?:يوم|يومين|ايام|ساعات|ساعه)|في\sاليوم\sنفسه|بالتزامن")
_STRONG_PAST = frozenset(
    (
        "سبق",
        "في وقت سابق",
        "في وقت سابق من",
        "كانت قد",
        "كان قد",
        "كانوا قد",
        "خلال السنوات",
        "في السنوات الاخيره",
        "خلال السنوات الاخيره",
        "السنه الماضيه",
        "العام الماضي",
        "قبل اشهر",
        "قبل سنوات",
        "منذ سنه",
        "منذ عام",
        "في سياق",
        "على غرار",
        "يذكر ان",
        "تجدر الاشاره",
        "للاشاره",
        "الشهر الماضي",
        "قبل اسابيع",
    )
)


OPERATION_KINDS = frozenset(("dismantle", "arrest", "seize", "attack", "foil", "report"))


@dataclass(slots=True)
class Sentence:
    index: int
    start: int  # normalised offsets
    end: int
    paragraph: int
    hits: dict[str, list[Match[Any]]] = field(default_factory=lambda: defaultdict(list))
    dates: list[FoundDate] = field(default_factory=list)
    background: bool = False

    def kinds(self) -> set[str]:
        return {m.value for m in self.hits["trigger"]}


def _matcher(entries: list[tuple[str, str, str]]) -> TermMatcher[str]:
    return TermMatcher(entries)


class EventExtractor:
    """Holds the lexicon automata (built once) and extracts events from clean articles."""

    def __init__(self, gazetteer: Gazetteer | None = None, home_country: str = "MA") -> None:
        self.gazetteer = gazetteer or Gazetteer()
        self.home = home_country

    @cached_property
    def matchers(self) -> dict[str, TermMatcher[str]]:
        return {
            "trigger": _matcher(TRIGGERS),
            "org": _matcher(ORGANIZATIONS),
            "agency": _matcher(AGENCIES),
            "seized": _matcher(SEIZED),
            "past": _matcher(BACKGROUND_CUES),
            "anaphora": _matcher(ANAPHORA),
        }

    def warm(self) -> None:
        """Build every automaton now (at start-up, not on the first message)."""
        _ = self.matchers, self.gazetteer.matcher

    # ------------------------------------------------------------------ public

    def extract(
        self, article: CleanArticle, published_at: str | None
    ) -> tuple[list[Event], list[dict[str, Any]]]:
        reference = _reference_date(published_at)
        doc = Normalized(article.text)
        sentences = self._annotate(doc.text, reference)
        tweets = [(i, Normalized(t)) for i, t in enumerate(article.tweets)]
        title_kinds = self._kinds(article.title or "")
        lead = next((s for s in sentences if _reports_operation(s.kinds())), None)
        if lead is None and not _reports_operation(title_kinds):
            return [], []
        lead = lead or sentences[0]
        main_date = self._main_date(lead, sentences, tweets, reference)
        self._mark_background(doc.text, sentences, lead, main_date)
        background = [
            self._background_entry(doc, s) for s in sentences if s.background and s.kinds()
        ]
        scope = [
            s
            for s in sentences
            if not s.background
            and (
                s is lead
                or s.paragraph == lead.paragraph
                or (
                    lead.paragraph < s.paragraph <= lead.paragraph + SCOPE_PARAGRAPHS
                    and (s.kinds() & OPERATION_KINDS or s.hits["anaphora"])
                )
            )
        ]
        secondary = self._secondary(sentences, lead, main_date)
        scope = [s for s in scope if s not in secondary]
        events = [
            self._event(article, doc, scope, tweets, title_kinds | lead.kinds(), main_date, 0)
        ]
        for n, s in enumerate(secondary, start=1):
            date_ = next((d for d in s.dates if d.value), None)
            events.append(self._event(article, doc, [s], [], s.kinds(), date_, n))
        return events, background

    # ---------------------------------------------------------------- analysis

    def _kinds(self, text: str) -> set[str]:
        return {m.value for m in self.matchers["trigger"].find(Normalized(text).text)}

    def _annotate(self, norm: str, reference: date | None) -> list[Sentence]:
        sentences: list[Sentence] = []
        start = paragraph = 0
        for m in _SENTENCE_END.finditer(norm):
            if norm[start : m.start()].strip():
                sentences.append(Sentence(len(sentences), start, m.end(), paragraph))
            if "\n" in m.group():
                paragraph += 1
            start = m.end()
        if norm[start:].strip():
            sentences.append(Sentence(len(sentences), start, len(norm), paragraph))
        if not sentences:
            sentences.append(Sentence(0, 0, len(norm), 0))
        starts = [s.start for s in sentences]

        def owner(pos: int) -> Sentence:
            lo, hi = 0, len(starts) - 1
            while lo < hi:  # last sentence starting at or before pos
                mid = (lo + hi + 1) // 2
                if starts[mid] <= pos:
                    lo = mid
                else:
                    hi = mid - 1
            return sentences[lo]

        for name, matcher in self.matchers.items():
            for match in matcher.find(norm):
                owner(match.start).hits[name].append(match)
        for place in self.gazetteer.find(norm):
            owner(place.start).hits["place"].append(place)
        for found in find_dates(norm, reference):
            owner(found.start).dates.append(found)
        return sentences

    def _main_date(
        self,
        lead: Sentence,
        sentences: list[Sentence],
        tweets: list[tuple[int, Normalized]],
        reference: date | None,
    ) -> FoundDate | None:
        """The incident date: the lead's, its neighbours', the tweets', then a relative one."""
        for s in [lead, *sentences[lead.index + 1 : lead.index + 3]]:
            absolute = [d for d in s.dates if d.value and not d.relative]
            if absolute and not (s is not lead and s.hits["past"]):
                return absolute[0]
        for _, tweet in tweets:
            found = [d for d in find_dates(tweet.text, reference) if d.value and not d.relative]
            if found:
                return found[-1]  # the signature date closes the tweet
        relative = [d for d in lead.dates if d.relative]
        if relative:
            return relative[0]
        undated = [d for d in lead.dates]
        return undated[0] if undated else None

    def _mark_background(
        self, norm: str, sentences: list[Sentence], lead: Sentence, main: FoundDate | None
    ) -> None:
        main_value = main.value if main else None
        lead_is_today = main is None or main.relative
        for s in sentences:
            if s is lead:
                continue
            cues = {m.term for m in s.hits["past"]}
            if cues & _STRONG_PAST:
                s.background = True
                continue
            explicit = [d.value for d in s.dates if d.value and not d.relative]
            if not explicit or not (s.kinds() & {"dismantle", "arrest", "attack", "foil", "seize"}):
                continue
            if main is not None and main_value is not None and not main.relative:
                s.background = all(abs((d - main_value).days) > RECENT_DAYS for d in explicit)
            elif lead_is_today and not _RECENT.search(norm[s.start : s.end]):
                s.background = True

    def _secondary(
        self, sentences: list[Sentence], lead: Sentence, main: FoundDate | None
    ) -> list[Sentence]:
        """Later sentences reporting their own recent operation, with a date of their own."""
        out = []
        for s in sentences[lead.index + 1 :]:
            if s.background or not (s.kinds() & {"dismantle", "arrest", "attack"}):
                continue
            explicit = [d.value for d in s.dates if d.value and not d.relative]
            if not explicit:
                continue
            if main and main.value and not main.relative:
                if all(abs((d - main.value).days) <= SAME_EVENT_DAYS for d in explicit):
                    continue
            out.append(s)
        return out

    # ---------------------------------------------------------------- assembly

    def _event(
        self,
        article: CleanArticle,
        doc: Normalized,
        scope: list[Sentence],
        tweets: list[tuple[int, Normalized]],
        title_kinds: set[str],
        date_: FoundDate | None,
        index: int,
    ) -> Event:
        evidence: list[Evidence] = []

        def cite(field_: str, start: int, end: int) -> None:
            a, b = doc.span(start, end)
            evidence.append(Evidence(field_, a, b, doc.original[a:b]))

        kinds: set[str] = set()
        for s in scope:
            kinds |= s.kinds()
        # The lead (and title) say what happened; the rest only fills in when they don't.
        event_type = _event_type(title_kinds if _reports_operation(title_kinds) else kinds)
        if event_type in ("plot_foiled", "arrest") and any(
            {"cell", "dismantle"} <= s.kinds() or ({"cell", "arrest"} <= s.kinds()) for s in scope
        ):
            event_type = "cell_dismantled"  # the foiled plot / the arrests were a cell's
        for s in scope:
            for m in s.hits["trigger"]:
                if _TYPE_KINDS.get(event_type, set()) & {m.value}:
                    cite("type", m.start, m.end)
                    break
            else:
                continue
            break

        orgs = self._canonical(scope, "org", "organizations", cite)
        agencies = self._canonical(scope, "agency", "agencies", cite)
        if event_type == "attack" or kinds & {"attack"}:
            if self._foreign_army(doc.text, scope, cite):
                agencies.append("ARMY_OTHER")
        seized_scope = [s for s in scope if s.kinds() & {"seize"}]
        seized = self._canonical(seized_scope, "seized", "seized", cite)
        places, countries = self._places(doc, scope, tweets, evidence, cite)
        for tweet_index, tweet in tweets:
            if "المحجوز" in tweet.text or "حجز" in tweet.text:
                for m in self.matchers["seized"].find(tweet.text):
                    if m.value not in seized:
                        seized.append(m.value)
                        a, b = tweet.span(m.start, m.end)
                        evidence.append(
                            Evidence(
                                "seized", a, b, tweet.original[a:b], f"removed:tweet:{tweet_index}"
                            )
                        )
        members = self._count(doc, scope, counts.members, "members", cite, pick=max)
        killed = self._count(doc, scope, counts.killed, "killed", cite, pick=max)
        age_values = self._ages(doc, scope, cite)
        date_value = date_.value.isoformat() if date_ and date_.value else None
        if date_ is not None:
            self._cite_date(doc, scope, tweets, date_, evidence)
        event_id = hashlib.sha1(f"{article.id}:{index}".encode()).hexdigest()[:16]
        filled = sum(bool(v) for v in (places, orgs, agencies, members, killed, seized, date_value))
        return Event(
            event_id=event_id,
            article_id=article.id,
            type=event_type,
            date=date_value,
            date_text=date_.text if date_ else None,
            places=places,
            countries=countries,
            organizations=orgs,
            agencies=agencies,
            members=members,
            killed=killed,
            age_min=min(age_values) if age_values else None,
            age_max=max(age_values) if age_values else None,
            seized=seized,
            evidence=evidence,
            confidence=round(min(1.0, 0.4 + 0.08 * filled), 2),
        )

    def _canonical(self, scope: list[Sentence], hit: str, field_: str, cite: Any) -> list[str]:
        values: list[str] = []
        for s in scope:
            for m in s.hits[hit]:
                if m.value not in values:
                    values.append(m.value)
                    cite(field_, m.start, m.end)
        return values

    def _foreign_army(self, norm: str, scope: list[Sentence], cite: Any) -> bool:
        for s in scope:
            text = norm[s.start : s.end]
            for word in ARMY_WORDS:
                for m in re.finditer(rf"(?<!\w){re.escape(word)}\s(\S+)", text):
                    nisba = m.group(1)
                    if any(nisba.startswith(n) or nisba.endswith(n) for n in _FOREIGN_NISBA_NORM):
                        cite("agencies", s.start + m.start(), s.start + m.end())
                        return True
        return False

    def _places(
        self,
        doc: Normalized,
        scope: list[Sentence],
        tweets: list[tuple[int, Normalized]],
        evidence: list[Evidence],
        cite: Any,
    ) -> tuple[list[Place], list[str]]:
        mentions: list[tuple[Match[Candidates], Normalized, str | None]] = []
        for s in scope:
            mentions.extend((m, doc, None) for m in s.hits["place"])
        for tweet_index, tweet in tweets:
            mentions.extend(
                (m, tweet, f"removed:tweet:{tweet_index}") for m in self.gazetteer.find(tweet.text)
            )
        mentions = [m for m in mentions if m[0].term not in _VAST]
        unique = {
            c.country for m, _, _ in mentions for c in m.value.places if len(m.value.places) == 1
        }
        places: list[Place] = []
        seen: set[str] = set()
        countries: list[str] = []
        previous_end, previous_locative = -10, False
        for match, source_doc, source in mentions:
            place = resolve(match.value, unique, self.home)
            locative = _locative(source_doc.text, match.start) or (
                previous_locative and match.start - previous_end <= 3
            )
            previous_end, previous_locative = match.end, locative or place.kind != "country"
            if place.kind == "country" and not locative:
                continue
            a, b = source_doc.span(match.start, match.end)
            surface = source_doc.original[a:b]
            if match.elided_alef:
                surface = "ا" + surface
            country = COUNTRY_OF_RECORD.get(place.country, place.country)
            if country not in countries:
                countries.append(country)
            if place.key in seen:
                continue
            seen.add(place.key)
            places.append(
                Place(
                    name=place.name,
                    surface=surface,
                    country=country,
                    lat=place.lat,
                    lon=place.lon,
                    geonameid=place.geonameid,
                    precision=place.precision,
                )
            )
            if source is None:
                cite("places", match.start, match.end)
            else:
                evidence.append(Evidence("places", a, b, source_doc.original[a:b], source))
        if countries:
            a_place = next((e for e in evidence if e.field == "places"), None)
            if a_place is not None:
                evidence.append(
                    Evidence("countries", a_place.start, a_place.end, a_place.text, a_place.source)
                )
        return places, countries

    def _count(
        self, doc: Normalized, scope: list[Sentence], finder: Any, field_: str, cite: Any, pick: Any
    ) -> int | None:
        found = []
        for s in scope:
            for c in finder(doc.text[s.start : s.end]):
                found.append((c, s))
        if not found:
            return None
        best = pick(found, key=lambda cs: cs[0].value) if pick is max else found[0]
        c, s = best
        cite(field_, s.start + c.start, s.start + c.end)
        return int(c.value)

    def _ages(self, doc: Normalized, scope: list[Sentence], cite: Any) -> list[int]:
        values: list[int] = []
        for s in scope:
            for c in counts.ages(doc.text[s.start : s.end]):
                values.append(c.value)
                cite("ages", s.start + c.start, s.start + c.end)
        return values

    def _cite_date(
        self,
        doc: Normalized,
        scope: list[Sentence],
        tweets: list[tuple[int, Normalized]],
        date_: FoundDate,
        evidence: list[Evidence],
    ) -> None:
        for s in scope:
            if date_ in s.dates:
                a, b = doc.span(date_.start, date_.end)
                evidence.append(Evidence("date", a, b, doc.original[a:b]))
                return
        for tweet_index, tweet in tweets:
            if tweet.text[date_.start : date_.end] == date_.text:
                a, b = tweet.span(date_.start, date_.end)
                evidence.append(
                    Evidence("date", a, b, tweet.original[a:b], f"removed:tweet:{tweet_index}")
                )
                return

    def _background_entry(self, doc: Normalized, s: Sentence) -> dict[str, Any]:
        a, b = doc.span(s.start, s.end)
        absolute = next((d.value for d in s.dates if d.value and not d.relative), None)
        return {
            "type": _event_type(s.kinds()),
            "date": absolute.isoformat() if absolute else None,
            "start": a,
            "end": b,
            "text": doc.original[a:b].strip(),
        }


_FOREIGN_NISBA_NORM = tuple(Normalized(n).text for n in FOREIGN_ARMY_NISBA)
_VAST = frozenset(" ".join(Normalized(r).text.split()) for r in VAST_REGIONS)
_LOCATIVE = frozenset(Normalized(w).text for w in LOCATIVE_WORDS)


def _locative(text: str, start: int) -> bool:
    """Is the place at `start` the object of "in" (بـ glued on, or في/داخل/شمال... before it)?"""
    word_start = start
    while word_start > 0 and text[word_start - 1].isalnum():
        word_start -= 1
    if "ب" in text[word_start:start]:
        return True
    before = text[max(0, word_start - 24) : word_start].split()
    return bool(before) and before[-1] in _LOCATIVE


_TYPE_KINDS = {
    "cell_dismantled": {"dismantle", "cell"},
    "plot_foiled": {"plot", "foil"},
    "attack": {"attack"},
    "arrest": {"arrest"},
    "seizure": {"seize"},
    "security_report": {"report"},
}


def _reports_operation(kinds: set[str]) -> bool:
    return bool(kinds & {"dismantle", "arrest", "seize", "attack", "foil", "report"})


def _event_type(kinds: set[str]) -> str:
    if "report" in kinds:
        return "security_report"
    if "dismantle" in kinds and "cell" in kinds:
        return "cell_dismantled"
    if "foil" in kinds and "plot" in kinds:
        return "plot_foiled"
    if "attack" in kinds and not kinds & {"arrest", "dismantle"}:
        return "attack"
    if "arrest" in kinds or "dismantle" in kinds:
        return "arrest"
    if "seize" in kinds:
        return "seizure"
    if "attack" in kinds:
        return "attack"
    return "other_security"


def _reference_date(published_at: str | None) -> date | None:
    if not published_at:
        return None
    try:
        return date.fromisoformat(published_at[:10])
    except ValueError:
        return None
