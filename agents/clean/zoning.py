"""Page zoning: split a scraped page into title, body and the zones around it.

A page is cut into segments: lines, and pieces of lines that tickers glue
together with runs of spaces or " | ". Each segment gets cheap structural
features (words, sentence punctuation, Arabic share) and, where the evidence
is unambiguous, a zone of its own: tweet, furniture, link, related header.
The body is then the stretch from the first to the last *prose* segment
before the tail (a related-news header ends the article); what comes before
it is title, ticker or furniture, what comes after is related news or
furniture. Inside the body only unambiguous zones are cut, so subheadings and
bullet lists survive.

Every pattern is linear (no nested quantifiers) and every loop is over
segments, not characters: a 1 MB page of one line costs one regex pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agents.arabic import normalize

from .chrome import FURNITURE, FURNITURE_ANYWHERE, LINKS, RELATED_HEADERS

# --- thresholds (set together on the seeds and hand-made pages; don't tune one alone)
PROSE_MIN_WORDS = 12  # a paragraph with sentence punctuation has at least this many words
PROSE_LONG_WORDS = 30  # ... or this many words even without punctuation
HEADLINE_MAX_WORDS = 30  # longer than this is never a ticker headline or a title
TICKER_RUN = 3  # consecutive headline-like lines that make a ticker
FURNITURE_MAX_WORDS = 8  # a furniture phrase only removes short segments
TITLE_MIN_WORDS = 4  # shorter headline lines before the body are bylines or labels, unless last
TWEET_MAX_CHARS = 400  # the text of an embedded tweet (280 chars + links and names)

_SPLIT = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]{3,}|[ \t\u00a0]+\|[ \t\u00a0]+")
_WORD = re.compile(r"[^\s|]+")
_ARABIC = re.compile("[\u0621-\u064a]")
_LATIN = re.compile("[A-Za-z]")
# Punctuation of running text: commas, or a sentence end that is not a ".." headline
# separator. Colons and question marks alone are headline punctuation.
_SENTENCE_PUNCT = re.compile(r"[،؛]|(?<![.])[.!؟?](?![.])\s+\S|(?<![.])\.\s*$")
_FINAL_PUNCT = re.compile(r"(?<![.])[.!؟?]\s*[»\"”)]?\s*$")
_TIME_PREFIX = re.compile(r"^\s*\d{1,2}:\d{2}\s*(?=\S)")
_TWEET_LINK = re.compile(r"pic\.twitter\.com/|twitter\.com/\w+/status|x\.com/\w+/status")
# "— DGSN MAROC (@DGSN_MAROC) February 19, 2025", possibly glued to the tweet text.
_TWEET_SIGNATURE = re.compile(
    r"[—–-]\s?[^\n()]{1,60}\(@\w{1,30}\)\s+[A-Za-z]{3,9}\.? \d{1,2}, \d{4}\s*$"
)
_HASHTAGS_ONLY = re.compile(r"^(?:\s*#[^\s#]+)+\s*$")
_URL_ONLY = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")
_DATE_OR_TIME = re.compile(
    r"\b\d{1,2} \d{1,2} \d{2,4}\b|\b\d{1,2} \d{2}\b$|\b\d{4} \d{1,2} \d{1,2}\b"
)
_CREDIT_TAIL = re.compile(  # photo credits: "... - الساعي / تويتر", "(أرشيف)", "DR"
    r"(?:[-/|–—]\s*|\(\s*)"
    r"(?:تويتر|فيسبوك|انستغرام|ارشيف|ارشيفيه|getty images|afp|رويترز|dr|©.*)\s*\)?\s*$"
)
_SYMBOLS_ONLY = re.compile(r"^[\W\d_]*$")


def _phrase_set(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_key(p) for p in phrases)


def _key(text: str) -> str:
    """Segment key for phrase lookup: normalised, edge punctuation and spaces squeezed."""
    text = normalize(text)
    text = re.sub(r"[\W_]+", " ", text)
    return " ".join(text.split())


_RELATED = _phrase_set(RELATED_HEADERS)
_FURNITURE_ANYWHERE = re.compile("|".join(re.escape(_key(p)) for p in FURNITURE_ANYWHERE))
DATELINE_MAX_WORDS = 6  # "سبت, 17/08/2024 - 16:11": a date and little else
_FURNITURE = _phrase_set(FURNITURE)
_LINKS = _phrase_set(LINKS)


@dataclass(slots=True)
class Segment:
    start: int
    end: int
    text: str
    line: int  # index of the source line
    pieces: int  # how many segments its line was cut into
    words: int = 0
    prose: bool = False
    headline: bool = False
    zone: str | None = (
        None  # set when known: tweet, boilerplate, link, related, ticker, title, body
    )
    related_header: bool = False
    timed: bool = False


@dataclass(slots=True)
class Zoned:
    title: str | None
    body: list[Segment]
    removed: list[tuple[str, str]] = field(default_factory=list)  # (kind, text), page order
    tweets: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(seg.text for seg in self.body)


def segment(page: str) -> list[Segment]:
    """Lines, and the pieces tickers glue into one line, with their offsets in `page`."""
    segments: list[Segment] = []
    pos = 0
    for index, line in enumerate(page.split("\n")):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        cuts = [m.span() for m in _SPLIT.finditer(line)]
        bounds, last = [], 0
        for a, b in cuts:
            bounds.append((last, a))
            last = b
        bounds.append((last, len(line)))
        pieces = [(a, b) for a, b in bounds if line[a:b].strip()]
        for a, b in pieces:
            raw = line[a:b]
            lead = len(raw) - len(raw.lstrip())
            text = raw.strip()
            start = line_start + a + lead
            segments.append(Segment(start, start + len(text), text, index, len(pieces)))
    return segments


def _features(seg: Segment) -> None:
    text = seg.text
    seg.words = len(_WORD.findall(text))
    seg.timed = bool(_TIME_PREFIX.match(text))
    punctuated = bool(_SENTENCE_PUNCT.search(text))
    arabic = len(_ARABIC.findall(text))
    latin = len(_LATIN.findall(text))
    mostly_arabic = arabic >= 2 * latin and arabic > 0
    seg.prose = (
        mostly_arabic
        and seg.pieces < TICKER_RUN
        and not seg.timed
        and ((seg.words >= PROSE_MIN_WORDS and punctuated) or seg.words >= PROSE_LONG_WORDS)
    )
    seg.headline = (
        2 <= seg.words <= HEADLINE_MAX_WORDS and arabic > 0 and not text.rstrip().endswith(".")
    ) or seg.timed
    key = _key(text)
    if _TWEET_LINK.search(text) or _TWEET_SIGNATURE.search(text) or _HASHTAGS_ONLY.match(text):
        seg.zone = "tweet"
    elif key in _RELATED:
        seg.zone, seg.related_header = "related", True
    elif not seg.prose and _starts_with_phrase(key, _RELATED, HEADLINE_MAX_WORDS):
        seg.zone = "related"  # "اقرأ أيضا: <headline>", a link to another article
    elif _is_furniture(key, seg.words) or _is_non_text(text, arabic, latin):
        seg.zone = "boilerplate"
    elif _is_link(key, text, seg.words):
        seg.zone = "link"
    elif seg.pieces == 1 and not seg.prose and _CREDIT_TAIL.search(key):
        seg.zone = "boilerplate"


def _starts_with_phrase(key: str, phrases: frozenset[str], max_words: int) -> bool:
    words = key.split()
    if not words or len(words) > max_words:
        return False
    return any(" ".join(words[:n]) in phrases for n in range(1, min(len(words), 6) + 1))


def _is_furniture(key: str, words: int) -> bool:
    return (
        key in _FURNITURE
        or _starts_with_phrase(key, _FURNITURE, FURNITURE_MAX_WORDS)
        or bool(_FURNITURE_ANYWHERE.search(key))
        or (words <= DATELINE_MAX_WORDS and bool(_DATE_OR_TIME.search(key)))
    )


def _is_link(key: str, text: str, words: int) -> bool:
    return bool(_URL_ONLY.match(text)) or _starts_with_phrase(key, _LINKS, FURNITURE_MAX_WORDS)


def _is_non_text(text: str, arabic: int, latin: int) -> bool:
    """Symbols, numbers, or Latin-only labels ("Heure du journal", "-A +A") on an Arabic page."""
    return bool(_SYMBOLS_ONLY.match(text)) or (arabic == 0 and latin > 0)


def _mark_tickers(segments: list[Segment], lo: int, hi: int) -> None:
    """Headlines glued on one line, time-stamped headlines, and runs of headline lines."""
    run: list[Segment] = []

    def flush() -> None:
        if len(run) >= TICKER_RUN:
            for s in run:
                s.zone = "ticker"
        run.clear()

    previous_line = None
    for seg in segments[lo:hi]:
        if seg.zone is None and (seg.timed or (seg.pieces >= TICKER_RUN and not seg.prose)):
            seg.zone = "ticker"
        if seg.zone is None and seg.headline and not seg.prose:
            if previous_line is not None and seg.line != previous_line + 1 and run:
                flush()  # a blank line ends a run
            run.append(seg)
            previous_line = seg.line
        else:
            flush()
            previous_line = seg.line
    flush()


def _tweet_text_before_signature(segments: list[Segment]) -> None:
    """A text-only tweet is the short line right above its "— Name (@handle) date" line."""
    for i, seg in enumerate(segments):
        if seg.zone == "tweet" and _TWEET_SIGNATURE.match(seg.text) and i > 0:
            prev = segments[i - 1]
            if (
                prev.zone is None
                and len(prev.text) <= TWEET_MAX_CHARS
                and prev.line == seg.line - 1
            ):
                prev.zone = "tweet"


def zone_page(page: str) -> Zoned:
    """Zone a page of text (already extracted from HTML if it was HTML)."""
    page = page.replace("\r\n", "\n").replace("\r", "\n")
    segments = segment(page)
    for seg in segments:
        _features(seg)
    _tweet_text_before_signature(segments)

    prose = [i for i, s in enumerate(segments) if s.prose and s.zone is None]
    if not prose:
        # No paragraph of prose: a brief or a headline. Keep every unzoned segment.
        _mark_tickers(segments, 0, len(segments))
        first, last = 0, len(segments) - 1
        tail = len(segments)
    else:
        first = prose[0]
        tail = next(
            (i for i in range(first + 1, len(segments)) if segments[i].related_header),
            len(segments),
        )
        last = max(i for i in prose if i < tail)
        # A short lead sentence right above the first paragraph belongs to the body.
        while (
            first > 0
            and segments[first - 1].zone is None
            and segments[first - 1].line == segments[first].line - 1
            and segments[first - 1].words >= 5
            and _FINAL_PUNCT.search(segments[first - 1].text)
        ):
            first -= 1
        _mark_tickers(segments, 0, first)
        _mark_tickers(segments, last + 1, tail)
        # A short closing sentence right after the last paragraph still belongs to it.
        while (
            last + 1 < tail
            and segments[last + 1].zone is None
            and _FINAL_PUNCT.search(segments[last + 1].text)
            and (
                segments[last + 1].words >= 5
                or (
                    segments[last + 1].words >= 2
                    and segments[last + 1].line == segments[last].line + 1
                )
            )
        ):
            last += 1

    title: str | None = None
    title_at = _title_index(segments, first) if prose else None
    for i, seg in enumerate(segments):
        if seg.zone is not None:
            continue
        if i < first:
            if i == title_at:
                seg.zone, title = "title", seg.text
            elif (
                prose
                and title is not None
                and seg.headline
                and _adjacent_to_body(segments, i, first)
            ):
                seg.zone = "body"  # a subtitle or lead line between title and body
            else:
                seg.zone = "boilerplate"
        elif i <= last:
            seg.zone = "body"
        elif i >= tail:
            seg.zone = "related" if seg.prose or seg.headline else "boilerplate"
        else:
            seg.zone = "boilerplate"
    for seg in segments[tail:]:
        if seg.zone == "boilerplate" and seg.prose:
            seg.zone = "related"

    body = [s for s in segments if s.zone == "body"]
    removed: list[tuple[str, str]] = []
    for seg in segments:
        if seg.zone in ("body", "title"):
            continue
        kind = seg.zone or "boilerplate"
        if removed and removed[-1][0] == kind:
            removed[-1] = (kind, removed[-1][1] + "\n" + seg.text)
        else:
            removed.append((kind, seg.text))
    tweets = [s.text for s in segments if s.zone == "tweet"]
    return Zoned(title=title, body=body, removed=removed, tweets=tweets)


def _title_index(segments: list[Segment], first: int) -> int | None:
    """The title: the first headline line of 4+ words before the body, else a short
    headline standing right above the body ("هزيمة الإرهاب")."""
    candidates = [
        i
        for i in range(first)
        if segments[i].zone is None and segments[i].headline and segments[i].pieces == 1
    ]
    for i in candidates:
        if segments[i].words >= TITLE_MIN_WORDS:
            return i
    if candidates and candidates[-1] == first - 1:
        return candidates[-1]
    return None


def _adjacent_to_body(segments: list[Segment], i: int, first: int) -> bool:
    """True when only unzoned headline lines stand between segment i and the first paragraph."""
    return all(
        segments[j].zone in (None, "body") and segments[j].headline for j in range(i + 1, first)
    )
