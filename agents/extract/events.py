"""Events: which NEW incidents an article reports, with every field traced to its words.

The text is cut into sentences and every lexicon (triggers, places, groups,
agencies, seized items, dates) is matched once over the whole normalised text.
The *lead* is the first sentence that reports an operation or an attack;
sentences that tell history (a past cue such as "سبق أن", or an explicit date
far from the lead's) are background and give no fields. The event's fields come
from the story's *scope*: the lead's paragraph, and the sentences around it that
report the operation or refer back to it ("الخلية", "الموقوفين"). Embedded
tweets (removed from the body) are read for places, seized items and dates too,
their evidence pointing into the removed zone. A later sentence with its own
operation and its own recent date is a second event.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property, partial
from pathlib import Path
from typing import Any

import orjson

from agents.arabic import Normalized, normalize
from agents.matcher import Match, MatcherGroup, TermMatcher, spaced
from streams.records import CleanArticle, Event, Evidence, Place

from . import counts
from .dates import FoundDate, find_dates
from .gazetteer import Candidates, Gazetteer, GazetteerPlace, resolve
from .vocab import (
    AGENCIES,
    ANAPHORA,
    ARMY_WORDS,
    BACKGROUND_CUES,
    COUNTRY_OF_RECORD,
    LOCATIVE_WORDS,
    ORGANIZATIONS,
    SEIZED,
    TRIGGERS,
    VAST_REGIONS,
)

# --- thresholds (chosen together on the seeds and hand-written texts)
SCOPE_PARAGRAPHS = 5  # facts of the reported operation come within this many paragraphs
SAME_EVENT_DAYS = 1  # an explicit date this close to the lead's is the same incident
RECENT_DAYS = 7  # a second operation this close to the lead is news too, not history

OPERATION_KINDS = frozenset(("dismantle", "arrest", "seize", "attack", "foil", "report"))
# A sentence ends at [.!؟?] (not after a digit) before a space, or at a run of newlines:
# (?<!\d)[.!؟?](?=\s)|\n+, written to start with a character class so that the regex
# engine skips ahead to the candidates instead of trying both branches at every position
# (6x faster on an article).
_SENTENCE_END = re.compile(r"[.!؟?\n](?:(?<=[.!؟?])(?<!\d.)(?=\s)|(?<=\n)\n*)")
# "In a related matter", "in another incident": the article moves on to another incident.
_NEW_INCIDENT = re.compile(
    r"في\s(?:موضوع\sذي\sصله|سياق\sاخر|حادث\sاخر|حادث\sمنفصل|عمليه\sاخري|عمليه\sمنفصله"
    r"|تطور\sاخر|قضيه\sاخري)"
)
# "This case is linked to the arrest of ...": the sentence's places are another operation's.
_LINKED = re.compile(r"(?:مرتبط|مرتبطه|صله|علاقه)\sب(?:توقيف|اعتقال|تفكيك|ايقاف)")
_RECENT = re.compile(r"قبل\sذلك\sب(?:يوم|يومين|ايام|ساعات|ساعه)|في\sاليوم\sنفسه|بالتزامن")
# Cues that make a sentence history whatever its dates (the weak ones need a date too).
_STRONG_PAST = frozenset(
    normalize(c)
    for c in (
        "سبق",
        "في وقت سابق",
        "في وقت سابق من",
        "كانت قد",
        "كان قد",
        "كانوا قد",
        "خلال السنوات",
        "في السنوات الأخيرة",
        "خلال السنوات الأخيرة",
        "السنة الماضية",
        "العام الماضي",
        "قبل أشهر",
        "قبل سنوات",
        "منذ سنة",
        "منذ عام",
        "في سياق",
        "على غرار",
        "يذكر أن",
        "تجدر الإشارة",
        "للإشارة",
        "الشهر الماضي",
        "قبل أسابيع",
    )
)
# A parent organisation is dropped when one of its named branches is there (JNIM is
# al-Qaeda's Sahel branch: "نصرة الإسلام والمسلمين التابعة لتنظيم القاعدة" is JNIM).
_BRANCHES = {"AL_QAEDA": ("JNIM", "AQIM"), "ISIS": ("ISGS", "ISWAP")}
# Generic words a gazetteer form may start with that are not part of the place's name.
_GENERIC = tuple(normalize(w) + " " for w in ("جهة", "إقليم", "عمالة", "ولاية", "منطقة", "ميناء"))
_VAST = frozenset(" ".join(normalize(r).split()) for r in VAST_REGIONS)
_LOCATIVE = frozenset(normalize(w) for w in LOCATIVE_WORDS)
_QUOTES = "\"'“”«»()[]"
_DASHES = ("-", "–", "—", ":", "|")
_ARMY = re.compile("|".join(re.escape(normalize(w)) for w in ARMY_WORDS))

# Places no gazetteer has (villages, hamlets, quarters) are still named after a cue word:
# "بمنطقة هنشير التلة", "دوار ولاد رحو", "ببلدة ساغوندو", or after "located in" ("الواقع
# ببني X"). One or two words are taken; the second is only looked at (not consumed), so a
# cue right after the first name starts its own match ("ببلدة X إقليم Y").
_LOCALITY_CUES = tuple(
    normalize(w)
    for w in (
        "منطقة",
        "منطقتي",
        "بلدة",
        "قرية",
        "دوار",
        "دائرة",
        "إقليم",
        "عمالة",
        "محافظة",
        "ولاية",
        "مدينة",
        "مقاطعة",
        "بلدية",
        "مخيم",
    )
)
_LOCATED = tuple(normalize(w) for w in ("الواقع", "الواقعة", "الكائن", "الكائنة"))
_NAME = r"[^\W\d_]{3,}"
# A _LOCALITY match holds one of these words: a sentence without any is not scanned (the
# regex starts with a lookbehind, so the engine tries it at every position).
_LOCALITY_WORDS = tuple(
    w
    for w in _LOCALITY_CUES + _LOCATED
    if not any(v != w and v in w for v in _LOCALITY_CUES + _LOCATED)
)
_LOCALITY = re.compile(
    rf"(?<!\w)(?:(?:و|ف)?(?:ب|ل)?(?:{'|'.join(_LOCALITY_CUES)})\s|(?:{'|'.join(_LOCATED)})\s(?:في\s|ب))"
    rf"\(?\s?(?P<a>{_NAME})(?=(?:\s(?P<b>{_NAME}))?)"
)
# "في X قرب Y": an unknown name placed by a known neighbour ("في قرية... قرب تيلابيري").
_NEAR = re.compile(
    rf"(?<!\w)في\s(?P<a>{_NAME})(?:\s(?P<b>{_NAME}))?\s(?:قرب|بالقرب\sمن|بضواحي|ضواحي)\s"
)
_NOT_NAMES = frozenset(
    normalize(w)
    for w in (
        "التي",
        "الذي",
        "الواقعة",
        "التابعة",
        "المحاذية",
        "القريبة",
        "المجاورة",
        "الحدودية",
        "الجنوبية",
        "الشمالية",
        "الشرقية",
        "الغربية",
        "الوسطى",
        "نفسها",
        "ذاتها",
        "المذكورة",
        "حيث",
        "على",
        "الى",
        "إلى",
        "بين",
        "قرب",
        "عند",
        "خلال",
        "بعد",
        "قبل",
        "منذ",
        "لدى",
        "صباح",
        "صبيحة",
        "مساء",
        "ليلة",
        "يوم",
        "أمس",
        "اليوم",
        "فجر",
        "ظهر",
        "زوال",
        "عشية",
    )
)
# First words of two-word place names ("بني عقيل", "أولاد تايمة", "سيدي قاسم"): common words
# on their own, so the second word decides.
_NAME_HEADS = frozenset(
    normalize(w)
    for w in (
        "بني",
        "أولاد",
        "ولاد",
        "سيدي",
        "عين",
        "دار",
        "بئر",
        "تل",
        "جبل",
        "وادي",
        "حاسي",
        "رأس",
        "آيت",
        "ايت",
        "أيت",
        "مولاي",
        "لالة",
        "بو",
        "أم",
        "ذراع",
        "خميس",
        "سوق",
        "حد",
        "ثلاثاء",
    )
)
TRAIN_PATH = Path(__file__).resolve().parents[1] / "classify" / "data" / "train.jsonl"


@cache
def _common_words() -> frozenset[str]:
    """Words frequent in the team's own news texts (3+ times): never a village's name."""
    counts_: dict[str, int] = defaultdict(int)
    for line in TRAIN_PATH.read_bytes().splitlines():
        for word in normalize(orjson.loads(line)["text"]).split():
            counts_[word.strip(".,،:؛\"'()«»")] += 1
    return frozenset(w for w, n in counts_.items() if n >= 3)


def _name_word(word: str | None) -> bool:
    return (
        word is not None
        and word not in _NOT_NAMES
        and word not in _common_words()
        and not word.endswith(("يه", "يين", "يون", "ات"))  # adjectives and plurals
    )


Cite = Callable[[str, int, int], None]


@dataclass(slots=True)
class Sentence:
    index: int
    start: int  # normalised offsets
    end: int
    paragraph: int
    hits: dict[str, list[Match[Any]]] = field(default_factory=partial(defaultdict, list))
    dates: list[FoundDate] = field(default_factory=list)
    background: bool = False
    _kinds: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)

    def kinds(self) -> frozenset[str]:
        """The kinds of the sentence's triggers: computed once (asked ~50 times an article;
        the hits are complete when anyone asks)."""
        if self._kinds is None:
            self._kinds = frozenset(m.value for m in self.hits["trigger"])
        return self._kinds


class EventExtractor:
    """Holds the lexicon automata (built once) and extracts events from clean articles."""

    def __init__(self, gazetteer: Gazetteer | None = None, home_country: str = "MA") -> None:
        self.gazetteer = gazetteer or Gazetteer()
        self.home = home_country

    @cached_property
    def matchers(self) -> dict[str, TermMatcher[str]]:
        lexicons = {
            "trigger": TRIGGERS,
            "org": ORGANIZATIONS,
            "agency": AGENCIES,
            "seized": SEIZED,
            "past": BACKGROUND_CUES,
            "anaphora": ANAPHORA,
        }
        return {name: TermMatcher(entries) for name, entries in lexicons.items()}

    @cached_property
    def _lexicons(self) -> MatcherGroup:
        """Every lexicon and the gazetteer in one automaton: one pass over an article."""
        return MatcherGroup({**self.matchers, "place": self.gazetteer.matcher})

    def warm(self) -> None:
        """Build every automaton now (at start-up, not on the first message)."""
        _ = self.matchers, self.gazetteer.matcher, self._lexicons

    # ------------------------------------------------------------------ public

    def extract(
        self, article: CleanArticle, published_at: str | None, doc: Normalized | None = None
    ) -> tuple[list[Event], list[dict[str, Any]]]:
        """`doc`: Normalized(article.text), when the caller has it already."""
        reference = _reference_date(published_at)
        doc = doc if doc is not None else Normalized(article.text)
        sentences = self._annotate(doc.text, reference)
        tweets = [(i, Normalized(t)) for i, t in enumerate(article.tweets)]
        title_doc = Normalized(article.title or "")
        title_hits = self._find(title_doc.text)  # one pass over the title, for kinds and places
        title_kinds = {m.value for m in title_hits["trigger"]}
        lead = next((s for s in sentences if s.kinds() & OPERATION_KINDS), None)
        if lead is None and not title_kinds & OPERATION_KINDS:
            return [], []
        lead = lead or sentences[0]
        main_date = self._main_date(lead, sentences, tweets, reference)
        self._mark_background(doc.text, sentences, lead, main_date)
        background = [_background_entry(doc, s) for s in sentences if s.background and s.kinds()]
        starts = self._other_stories(doc.text, sentences, lead, main_date)
        main_story = sentences[: starts[0]] if starts else sentences
        title = self._title_places(title_doc, title_hits["place"], title_kinds)
        events = [
            self._event(
                article,
                doc,
                lead,
                self._scope(main_story, lead),
                tweets,
                title_kinds,
                main_date,
                0,
                title,
            )
        ]
        for n, (a, b) in enumerate(zip(starts, [*starts[1:], len(sentences)], strict=False), 1):
            # a later story runs to the end of its paragraph (or to the next story)
            story = [
                s
                for s in sentences[a:b]
                if not s.background and s.paragraph == sentences[a].paragraph
            ]
            date_ = next((d for d in sentences[a].dates if d.value and not d.relative), None)
            events.append(self._event(article, doc, sentences[a], story, [], set(), date_, n))
        return events, background

    # ---------------------------------------------------------------- analysis

    def _find(self, norm: str) -> dict[str, list[Match[Any]]]:
        """Every lexicon's matches in normalised text, places kept as `Gazetteer.find` keeps
        them: one pass of the one automaton the worker holds (the matchers' own are never
        built)."""
        found = self._lexicons.find(norm, spaced(norm))
        found["place"] = self.gazetteer.keep(norm, found["place"])
        return found

    def _annotate(self, norm: str, reference: date | None) -> list[Sentence]:
        sentences: list[Sentence] = []
        start = paragraph = 0
        for m in _SENTENCE_END.finditer(norm):
            stop, end = m.span()
            if norm[start:stop].strip():
                sentences.append(Sentence(len(sentences), start, end, paragraph))
            if norm[stop] == "\n":  # a run of newlines (else one [.!؟?])
                paragraph += 1
            start = end
        if norm[start:].strip():
            sentences.append(Sentence(len(sentences), start, len(norm), paragraph))
        if not sentences:
            sentences.append(Sentence(0, 0, len(norm), 0))
        starts = [s.start for s in sentences]
        # Each match goes to the last sentence starting at or before it (the first one if
        # none does): bisect_right(starts, pos, 1) - 1 is max(0, bisect_right(starts, pos) - 1).
        for name, matches in self._find(norm).items():
            for match in matches:
                sentences[bisect_right(starts, match.start, 1) - 1].hits[name].append(match)
        for date_ in find_dates(norm, reference):
            sentences[bisect_right(starts, date_.start, 1) - 1].dates.append(date_)
        return sentences

    def _scope(self, sentences: list[Sentence], lead: Sentence) -> list[Sentence]:
        """The story: the lead's paragraph, and sentences near it that report the operation
        or refer back to it (before the lead too: a short intro line may name the places)."""
        near = range(lead.paragraph - SCOPE_PARAGRAPHS, lead.paragraph + SCOPE_PARAGRAPHS + 1)
        told = {
            s.paragraph
            for s in sentences
            if s.paragraph in near and (s.kinds() & OPERATION_KINDS or s.hits["anaphora"])
        }
        return [s for s in sentences if not s.background and (s is lead or s.paragraph in told)]

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
        return lead.dates[0] if lead.dates else None

    def _mark_background(
        self, norm: str, sentences: list[Sentence], lead: Sentence, main: FoundDate | None
    ) -> None:
        main_value = main.value if main is not None and not main.relative else None
        lead_is_today = main is None or main.relative
        for s in sentences:
            if s is lead:
                continue
            if {m.term for m in s.hits["past"]} & _STRONG_PAST:
                s.background = True
                continue
            explicit = [d.value for d in s.dates if d.value and not d.relative]
            if not explicit or not s.kinds() & {"dismantle", "arrest", "attack", "foil", "seize"}:
                continue
            if main_value is not None:
                s.background = all(abs((d - main_value).days) > RECENT_DAYS for d in explicit)
            elif lead_is_today and not _RECENT.search(norm[s.start : s.end]):
                s.background = True

    def _other_stories(
        self, norm: str, sentences: list[Sentence], lead: Sentence, main: FoundDate | None
    ) -> list[int]:
        """Where the article moves on to another incident: a sentence after the lead that
        reports an operation and either says so ("في موضوع ذي صلة", "في حادث آخر") or
        carries its own recent date, distinct from the lead's."""
        starts = []
        for s in sentences[lead.index + 1 :]:
            if s.background or not s.kinds() & {"dismantle", "arrest", "attack", "seize"}:
                continue
            if _NEW_INCIDENT.search(norm, s.start, min(s.end, s.start + 40)):
                starts.append(s.index)
                continue
            explicit = [d.value for d in s.dates if d.value and not d.relative]
            if not explicit or not s.kinds() & {"dismantle", "arrest", "attack"}:
                continue
            if main is not None and main.value and not main.relative:
                if all(abs((d - main.value).days) <= SAME_EVENT_DAYS for d in explicit):
                    continue
            starts.append(s.index)
        return starts

    @staticmethod
    def _title_places(
        doc: Normalized, places: list[Match[Candidates]], kinds: set[str]
    ) -> list[tuple[Match[Candidates], Normalized, str]]:
        found = [(m, doc, "title") for m in places]
        if found and _dateline(doc.text, found[0][0].start, found[0][0].end) and not kinds:
            return []  # a byline kept as the title: where the reporter is
        return found

    # ---------------------------------------------------------------- assembly

    def _event(
        self,
        article: CleanArticle,
        doc: Normalized,
        lead: Sentence,
        scope: list[Sentence],
        tweets: list[tuple[int, Normalized]],
        title_kinds: set[str],
        date_: FoundDate | None,
        index: int,
        title: list[tuple[Match[Candidates], Normalized, str]] | None = None,
    ) -> Event:
        evidence: list[Evidence] = []

        def cite(field_: str, start: int, end: int) -> None:
            a, b = doc.span(start, end)
            evidence.append(Evidence(field_, a, b, doc.original[a:b]))

        event_type = _event_type(lead.kinds() | title_kinds, scope)
        for s in [lead, *scope]:
            hit = next((m for m in s.hits["trigger"] if m.value in _TYPE_KINDS[event_type]), None)
            if hit is not None:
                cite("type", hit.start, hit.end)
                break
        orgs = _specific(self._values(scope, "org", "organizations", cite))
        places, countries = self._places(doc, scope, tweets, title or [], evidence)
        agencies = self._values(scope, "agency", "agencies", cite)
        if event_type == "attack":
            army = self._army(doc.text, scope, countries, cite)
            if army and army not in agencies:
                agencies.append(army)
        if "INTERIOR" in agencies and set(agencies) - {"INTERIOR", "OTHER"}:
            agencies.remove("INTERIOR")  # the ministry announced it; the others acted
        seized = self._values([s for s in scope if "seize" in s.kinds()], "seized", "seized", cite)
        self._tweet_seizures(tweets, seized, evidence)
        members = self._count(doc, scope, counts.members, "members", cite)
        killed = self._count(doc, scope, counts.killed, "killed", cite)
        ages = self._ages(doc, scope, cite)
        if date_ is not None:
            _cite_date(doc, scope, tweets, date_, evidence)
        date_value = date_.value.isoformat() if date_ and date_.value else None
        filled = sum(bool(v) for v in (places, orgs, agencies, members, killed, seized, date_value))
        return Event(
            event_id=hashlib.sha1(f"{article.id}:{index}".encode()).hexdigest()[:16],
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
            age_min=min(ages) if ages else None,
            age_max=max(ages) if ages else None,
            seized=seized,
            evidence=evidence,
            confidence=round(min(1.0, 0.4 + 0.08 * filled), 2),
        )

    @staticmethod
    def _values(scope: list[Sentence], hit: str, field_: str, cite: Cite) -> list[str]:
        values: list[str] = []
        for s in scope:
            for m in s.hits[hit]:
                if m.value not in values:
                    values.append(m.value)
                    cite(field_, m.start, m.end)
        return values

    def _tweet_seizures(
        self, tweets: list[tuple[int, Normalized]], seized: list[str], evidence: list[Evidence]
    ) -> None:
        """Seized items an embedded tweet shows ("صور للمحجوزات ...")."""
        for tweet_index, tweet in tweets:
            if "المحجوز" not in tweet.text and "حجز" not in tweet.text:
                continue
            for m in self._find(tweet.text)["seized"]:
                if m.value not in seized:
                    seized.append(m.value)
                    a, b = tweet.span(m.start, m.end)
                    evidence.append(
                        Evidence(
                            "seized", a, b, tweet.original[a:b], f"removed:tweet:{tweet_index}"
                        )
                    )

    @staticmethod
    def _army(norm: str, scope: list[Sentence], countries: list[str], cite: Cite) -> str | None:
        """The attacked army: Morocco's (FAR) or another country's (ARMY_OTHER)."""
        for s in scope:
            m = _ARMY.search(norm, s.start, s.end)
            if m is not None:
                cite("agencies", m.start(), m.end())
                return "FAR" if countries[:1] == ["MA"] else "ARMY_OTHER"
        return None

    def _places(
        self,
        doc: Normalized,
        scope: list[Sentence],
        tweets: list[tuple[int, Normalized]],
        title: list[tuple[Match[Candidates], Normalized, str]],
        evidence: list[Evidence],
    ) -> tuple[list[Place], list[str]]:
        mentions: list[tuple[Match[Candidates], Normalized, str]] = list(title)
        for s in scope:
            if s.hits["place"] and not _LINKED.search(doc.text, s.start, s.end):
                mentions.extend((m, doc, "text") for m in s.hits["place"])
        for tweet_index, tweet in tweets:
            source = f"removed:tweet:{tweet_index}"
            mentions.extend((m, tweet, source) for m in self._find(tweet.text)["place"])
        mentions = [m for m in mentions if m[0].term not in _VAST]
        unique = {
            c.country for m, _, _ in mentions for c in m.value.places if len(m.value.places) == 1
        }
        found: list[tuple[Place, Evidence]] = []
        seen: set[str] = set()
        previous_end, previous_locative = -10, False
        for match, source_doc, source in mentions:
            place = resolve(match.value, unique, self.home)
            locative = _locative(source_doc.text, match.start) or (
                previous_locative and match.start - previous_end <= 3
            )
            previous_end, previous_locative = match.end, locative or place.kind != "country"
            if place.kind == "country" and not locative:
                continue  # a country as actor ("أعلن المغرب") is not where it happened
            if _not_the_scene(source_doc.text, match.start, place.kind == "country"):
                continue
            if place.key in seen:
                continue
            seen.add(place.key)
            start, end = _name_span(match)
            a, b = source_doc.span(start, end)
            surface = ("ا" if match.elided_alef else "") + source_doc.original[a:b]
            country = COUNTRY_OF_RECORD.get(place.country, place.country)
            found.append(
                (
                    _place(place, surface, country),
                    Evidence("places", a, b, source_doc.original[a:b], source),
                )
            )
        found += self._localities(doc, scope, [p.surface for p, _ in found])
        # A country named beside cities of other countries only is context ("like the groups
        # in Syria and Iraq"), not where it happened.
        city_countries = {p.country for p, _ in found if p.precision == "city"}
        if city_countries:
            found = [
                (p, e) for p, e in found if p.precision != "country" or p.country in city_countries
            ]
        places = [p for p, _ in found]
        countries = list(dict.fromkeys(p.country for p in places if p.country))
        evidence.extend(e for _, e in found)
        if found:
            first = found[0][1]
            evidence.append(Evidence("countries", first.start, first.end, first.text, first.source))
        return places, countries

    def _localities(
        self, doc: Normalized, scope: list[Sentence], surfaces: list[str]
    ) -> list[tuple[Place, Evidence]]:
        """Places after a cue word that the gazetteer does not know: no coordinates, but the
        analyst sees the name (and the quality metric counts them as unresolved)."""
        known = [(m.start, m.end) for s in scope for m in s.hits["place"]]
        forms = self.gazetteer.forms

        def known_prefix(name: str) -> int:
            """Length of a known name the word starts with, a typo or the next word glued
            on ("وجدةت", "سبتةالمحتلة"); 0 if none."""
            cuts = range(len(name) - 1, 2, -1)
            return next((c for c in cuts if name[:c] in forms and " " not in name[c:]), 0)

        known_starts = {a for a, _ in known}

        def candidates(s: Sentence) -> list[tuple[int, int]]:
            spans: list[tuple[int, int]] = []
            sentence = doc.text[s.start : s.end]
            cued = any(word in sentence for word in _LOCALITY_WORDS)
            for m in _LOCALITY.finditer(doc.text, s.start, s.end) if cued else ():
                first, second = m.group("a"), m.group("b")
                if first in _NAME_HEADS and _name_word(second):
                    spans.append((m.start("a"), m.end("b")))  # "دائرة بني عقيل"
                elif not _name_word(first):
                    continue
                elif m.group().split()[0].endswith("تي") and _name_word(second):
                    spans += [m.span("a"), m.span("b")]  # "منطقتي X Y": two places
                elif _name_word(second):
                    spans.append((m.start("a"), m.end("b")))
                else:
                    spans.append(m.span("a"))
            near = doc.text.find("قرب", s.start, s.end) >= 0
            near = near or doc.text.find("ضواحي", s.start, s.end) >= 0
            for m in _NEAR.finditer(doc.text, s.start, s.end) if near else ():
                if m.end() not in known_starts or not _name_word(m.group("a")):
                    continue  # the neighbour must be a known place
                if m.group("b") is None:
                    spans.append(m.span("a"))
                elif _name_word(m.group("b")):
                    spans.append((m.start("a"), m.end("b")))
            return spans

        found: list[tuple[Place, Evidence]] = []
        for s in scope:
            for start, end in candidates(s):
                if any(a < end and start < b for a, b in known):
                    continue  # the gazetteer has it
                cut = known_prefix(doc.text[start:end])
                if cut:  # the gazetteer's place, without what is glued on
                    end = start + cut
                    known_place = resolve(forms[doc.text[start:end]], set(), self.home)
                a, b = doc.span(start, end)
                surface = doc.original[a:b]
                if surface in surfaces:
                    continue
                surfaces.append(surface)
                if cut:
                    country = COUNTRY_OF_RECORD.get(known_place.country, known_place.country)
                    place = _place(known_place, surface, country)
                else:
                    place = Place(
                        name=surface,
                        surface=surface,
                        country=None,
                        lat=None,
                        lon=None,
                        geonameid=None,
                        precision="locality",
                    )
                found.append((place, Evidence("places", a, b, surface)))
        return found

    @staticmethod
    def _count(
        doc: Normalized,
        scope: list[Sentence],
        finder: Callable[[str], list[counts.Count]],
        field_: str,
        cite: Cite,
    ) -> int | None:
        """The largest count the story gives (totals come with the biggest number)."""
        found = [(c, s) for s in scope for c in finder(doc.text[s.start : s.end])]
        if not found:
            return None
        c, s = max(found, key=lambda cs: cs[0].value)
        cite(field_, s.start + c.start, s.start + c.end)
        return int(c.value)

    @staticmethod
    def _ages(doc: Normalized, scope: list[Sentence], cite: Cite) -> list[int]:
        values: list[int] = []
        for s in scope:
            for c in counts.ages(doc.text[s.start : s.end]):
                values.append(c.value)
                cite("ages", s.start + c.start, s.start + c.end)
        return values


_TYPE_KINDS = {
    "cell_dismantled": {"dismantle", "cell"},
    "plot_foiled": {"plot", "foil"},
    "attack": {"attack"},
    "arrest": {"arrest"},
    "seizure": {"seize"},
    "security_report": {"report"},
    "other_security": set(),
}


def _event_type(lead_kinds: AbstractSet[str], scope: list[Sentence]) -> str:
    """What happened, from the lead (and title); the rest of the story only upgrades an arrest
    or a foiled plot to a dismantled cell when a sentence says the cell was dismantled."""
    kinds = lead_kinds if lead_kinds & OPERATION_KINDS else set().union(*(s.kinds() for s in scope))
    if "report" in kinds and not kinds & {"attack"}:
        return "security_report"
    if "dismantle" in kinds and kinds & {"cell", "cells"}:
        return "cell_dismantled"
    dismantled = any({"dismantle", "cell"} <= s.kinds() for s in scope)
    if "foil" in kinds and "plot" in kinds:
        return "cell_dismantled" if dismantled else "plot_foiled"
    if "attack" in kinds and not kinds & {"arrest", "dismantle"}:
        return "attack"
    if "arrest" in kinds or "dismantle" in kinds:
        return "cell_dismantled" if dismantled else "arrest"
    if "seize" in kinds:
        return "seizure"
    if "attack" in kinds:
        return "attack"
    return "other_security"


def _specific(orgs: list[str]) -> list[str]:
    return [o for o in orgs if not any(b in orgs for b in _BRANCHES.get(o, ()))]


def _name_span(match: Match[Candidates]) -> tuple[int, int]:
    """The place's name without a generic head word the form carries ("جهة مراكش آسفي")."""
    for generic in _GENERIC:
        if match.term.startswith(generic):
            return match.start + len(generic), match.end
    return match.start, match.end


def _place(place: GazetteerPlace, surface: str, country: str) -> Place:
    return Place(
        name=place.name,
        surface=surface,
        country=country,
        lat=place.lat,
        lon=place.lon,
        geonameid=place.geonameid,
        precision=place.precision,
    )


def _locative(text: str, start: int) -> bool:
    """Is the place at `start` the object of "in" (بـ glued on, or في/داخل/شمال... before it)?"""
    word_start = start
    while word_start > 0 and text[word_start - 1].isalnum():
        word_start -= 1
    if "ب" in text[word_start:start]:
        return True
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip() and text.startswith("..", _word_end(text, start)):
        return True  # a dateline: "المغرب.. تفكيك خلية" names where it happened
    before = text[max(0, word_start - 24) : word_start].split()
    return bool(before) and before[-1] in _LOCATIVE


# Words right before a place that make it something other than where the incident was:
# a hospital the wounded were taken to ("مستشفى X"), an earlier attack known by its city
# ("بعد تفجيرات X"), where a group is banned ("المحظورة في X").
_ELSEWHERE = frozenset(
    normalize(w)
    for w in (
        "مستشفى",
        "مستشفيات",
        "مستوصف",
        "تفجيرات",
        "هجمات",
        "اعتداءات",
        "أحداث",
        "المحظور",
        "المحظورة",
    )
)
# A country after these (same clause, a few words back) is a plot's target, not where the
# plotters were caught or acted: "كانوا يخططون لتنفيذ عمليات إرهابية في المغرب".
_PLOT = frozenset(
    normalize(w)
    for w in (
        "تخطط",
        "يخطط",
        "يخططون",
        "تخطيط",
        "مخطط",
        "مخططات",
        "لمخططات",
        "الإعداد",
        "للإعداد",
        "يعتزم",
        "تعتزم",
        "يعتزمون",
        "نية",
        "نيته",
        "نيتها",
        "نيتهم",
        "لتنفيذ",
    )
)
_CLAUSE_END = ".،,؛:!؟?"


def _not_the_scene(text: str, start: int, country: bool) -> bool:
    """Is the place at `start` named for something else than the incident's scene?"""
    word_start = start
    while word_start > 0 and text[word_start - 1].isalnum():
        word_start -= 1
    before = text[max(0, word_start - 60) : word_start]
    words = before[before.rfind("\n") + 1 :].split()
    if not words:
        return False
    previous = words[-1].strip(_QUOTES)
    if previous in _ELSEWHERE or (previous[:1] in "وب" and previous[1:] in _ELSEWHERE):
        return True
    if not country:
        return False
    for word in reversed(words[-5:]):
        if any(c in word for c in _CLAUSE_END):
            return False  # the clause ends here
        word = word.strip(_QUOTES)
        if word in _PLOT or word[1:] in _PLOT:
            return True
    return False


_CLOCK = re.compile(r"\d{1,2}:\d{2}")


def _dateline(title: str, start: int, end: int) -> bool:
    """Is this title a dateline or byline ("الرباط - فلان", "فاس: فلان", a time stamp)
    rather than a headline? (A headline with an incident word is never one.)"""
    if _CLOCK.search(title):
        return True
    if title[:start].strip(_QUOTES + " ") or not title[end:].lstrip().startswith(_DASHES):
        return False
    return len(title[end:].split()) <= 5


def _word_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and (
        text[end].isalnum() or (text[end] == " " and text[end + 1 : end + 2].isalnum())
    ):
        end += 1
    return end


def _cite_date(
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


def _background_entry(doc: Normalized, s: Sentence) -> dict[str, Any]:
    a, b = doc.span(s.start, s.end)
    absolute = next((d.value for d in s.dates if d.value and not d.relative), None)
    return {
        "type": _event_type(s.kinds(), [s]),
        "date": absolute.isoformat() if absolute else None,
        "start": a,
        "end": b,
        "text": doc.original[a:b].strip(),
    }


def _reference_date(published_at: str | None) -> date | None:
    if not published_at:
        return None
    try:
        return date.fromisoformat(published_at[:10])
    except ValueError:
        return None
