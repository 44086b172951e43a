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
from bisect import bisect_left
from dataclasses import dataclass, field

import ahocorasick

from agents.arabic import Normalized, normalize

from .chrome import FURNITURE, FURNITURE_ANYWHERE, LINKS, RELATED_HEADERS

# --- thresholds (set together on the seeds and hand-made pages; don't tune one alone)
PROSE_MIN_WORDS = 12  # a paragraph with sentence punctuation has at least this many words
PROSE_LONG_WORDS = 30  # ... or this many words even without punctuation
HEADLINE_MAX_WORDS = 30  # longer than this is never a ticker headline or a title
TICKER_RUN = 3  # consecutive headline-like lines that make a ticker
FURNITURE_MAX_WORDS = 8  # a furniture phrase only removes short segments
TITLE_BLOCKS = 3  # the title is in one of the last blocks of lines above the body
TITLE_MIN_WORDS = 4  # shorter lines above the body are bylines, source names or labels
TWEET_MAX_CHARS = 400  # the text of an embedded tweet (280 chars + links and names)
TWEET_SEGMENT_MAX_CHARS = 700  # text + link + signature; longer segments are paragraphs
MAX_PIECES = 300  # more pieces than this on one line is a ticker bomb, not a page

_FINAL_PUNCT = re.compile(r"(?<![.])[.!؟?]\s*[»\"”)]?\s*$")
_TIME_PREFIX = re.compile(r"^\s*\d{1,2}:\d{2}\s*(?=\S)")
_TWEET_LINK = re.compile(r"pic\.twitter\.com/|twitter\.com/\w+/status|x\.com/\w+/status")
# "— DGSN MAROC (@DGSN_MAROC) February 19, 2025", possibly glued to the tweet text.
_TWEET_SIGNATURE = re.compile(
    r"[—–-]\s?[^\n()]{1,60}\(@\w{1,30}\)\s+[A-Za-z]{3,9}\.? \d{1,2}, \d{4}\s*$"
)
_TWEET_SIGNATURE_ANY = re.compile(
    r"[—–-]\s?[^\n()—–]{1,60}\(@\w{1,30}\)\s+[A-Za-z]{3,9}\.? \d{1,2}, \d{4}"
)
_HASHTAGS_ONLY = re.compile(r"^(?:\s*#[^\s#]+)+\s*$")
_URL_ONLY = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")
_DATE_OR_TIME = re.compile(
    r"\b\d{1,2} \d{1,2} \d{2,4}\b|\b\d{1,2} \d{2}\b$|\b\d{4} \d{1,2} \d{1,2}\b"
)
_CREDIT_TAIL = re.compile(  # photo credits: "... - الساعي / تويتر", "(أرشيف)", "DR"
    r"(?:[-/|–—.]\s*|\(\s*)"
    r"(?:تويتر|فيسبوك|انستغرام|ارشيف|ارشيفيه|getty images|afp|رويترز|dr|©.*)\s*\)?\s*$"
)
_SYMBOLS_ONLY = re.compile(r"^[\W\d_]*$")


def _phrase_set(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_key(p) for p in phrases)


_NON_WORD = re.compile(r"[\W_]+")


def _key(text: str, normalized: bool = False) -> str:
    """Segment key for phrase lookup: normalised, punctuation and spaces squeezed."""
    return " ".join(_NON_WORD.sub(" ", text if normalized else normalize(text)).split())


_RELATED = _phrase_set(RELATED_HEADERS)
_FIRST_WORDS = frozenset(  # a segment can only match a phrase that starts with its first word
    key.split()[0] for key in _phrase_set(RELATED_HEADERS + FURNITURE + LINKS) if key
) | {"http", "https", "www"}
_DIGIT = re.compile(r"\d")
_EDGE_PUNCT = "\"'“”«»()[]-–—.,:;!?،؛؟…*•"
_CREDIT_WORDS = ("تويتر", "فيسبوك", "انستغرام", "ارشيف", "getty", "afp", "رويترز", "dr", "©")


def _credit_tail(norm: str) -> bool:
    """Whether a normalised segment ends with a photo credit. Searched with its punctuation:
    the credit is known by the dash, slash or bracket before it (until 2026-12-01 the
    search ran on the segment's key, which has none, and never matched)."""
    tail = norm[-60:]
    for word in _CREDIT_WORDS:  # a loop, not any(<generator>): this runs for most segments
        if word in tail:
            return bool(_CREDIT_TAIL.search(tail))
    return False


# Found once per page on the normalised page (Aho-Corasick), not searched per segment;
# these phrases are specific enough to need no word-boundary checks.
_FURNITURE_ANYWHERE = ahocorasick.Automaton()
for _phrase in FURNITURE_ANYWHERE:
    _FURNITURE_ANYWHERE.add_word(_key(_phrase), len(_key(_phrase)))
_FURNITURE_ANYWHERE.make_automaton()
_ARABIC = re.compile("[\u0621-\u064a]")
_LATIN = re.compile("[A-Za-z]")
_ARABIC_RUNS = re.compile("[\u0621-\u064a]+")
_LATIN_RUNS = re.compile("[A-Za-z]+")
_NOT_LATIN = bytes(c for c in range(128) if not chr(c).isalpha())  # for bytes.translate
DATELINE_MAX_WORDS = 6  # "سبت, 17/08/2024 - 16:11": a date and little else
_FURNITURE = _phrase_set(FURNITURE)
_LINKS = _phrase_set(LINKS)
_TAIL_OPENERS = _RELATED | _LINKS


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
    punctuated: bool = False  # holds sentence punctuation (a comma, or a stop before more text)


@dataclass(slots=True)
class Zoned:
    title: str | None
    body: list[Segment]
    removed: list[tuple[str, str]] = field(default_factory=list)  # (kind, text), page order
    tweets: list[str] = field(default_factory=list)
    # The body's text, normalised: cut from the page's normalisation, not done again.
    normalized: Normalized = field(default_factory=lambda: Normalized(""))

    @property
    def text(self) -> str:
        """The body's segments, one per line (the original text of `normalized`)."""
        return self.normalized.original


_SPACES = ("\u00a0", "\t", "\u2002", "\u2003", "\u2009", "\u202f", "\u3000", "\u2007")


def _separators(page: str) -> list[tuple[int, int]]:
    """Spans of ticker separators: runs of 3+ spaces, and " | " (with str.find, not a regex:
    this runs over every page, and Arabic text has a space every few letters)."""
    flat = page
    for ch in _SPACES:
        if ch in flat:
            flat = flat.replace(ch, " ")
    found: list[tuple[int, int]] = []
    i = flat.find("   ")
    while i >= 0:
        j = i + 3
        while j < len(flat) and flat[j] == " ":
            j += 1
        found.append((i, j))
        i = flat.find("   ", j)
    if "|" in flat:
        i = flat.find(" |")
        while i >= 0:
            a, b = i, i + 2
            while a > 0 and flat[a - 1] == " ":
                a -= 1
            if b < len(flat) and flat[b] == " ":
                while b < len(flat) and flat[b] == " ":
                    b += 1
                if not any(a < y and x < b for x, y in found[-3:]):
                    found.append((a, b))
            i = flat.find(" |", i + 2)
        found.sort()
    return found


def _cuts(page: str, hits: _PageHits) -> tuple[list[tuple[int, int]], list[int]]:
    """Where lines break into segments, in page offsets, found in one pass each: ticker
    separators, and after an embedded tweet flattened into running text (its signature
    glued to the next paragraph). Also returns where the separators are, to count them."""
    separators = _separators(page)
    cuts = separators.copy()
    if hits.handles:  # every signature has "(@"; the regex is slow on pages full of dashes
        cuts += [(m.end(), m.end()) for m in _TWEET_SIGNATURE_ANY.finditer(page)]
    if hits.tweet_links:
        for m in _TWEET_LINK.finditer(page):  # a tweet link inside a long paragraph
            line_start = page.rfind("\n", 0, m.start()) + 1
            line_end = page.find("\n", m.start())
            if (line_end if line_end >= 0 else len(page)) - line_start > TWEET_SEGMENT_MAX_CHARS:
                cuts.append((m.start(), m.start()))
    cuts.sort()
    return cuts, [a for a, _ in separators]


def segment(page: str, hits: _PageHits) -> list[Segment]:
    """Lines, and the pieces tickers glue into one line, with their offsets in `page`."""
    segments: list[Segment] = []
    cuts, separator_starts = _cuts(page, hits)
    c = 0  # next cut to consider
    pos = 0
    for index, line in enumerate(page.split("\n")):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        if not line or line.isspace():
            while c < len(cuts) and cuts[c][0] < line_end:
                c += 1
            continue
        if c == len(cuts) or cuts[c][0] > line_end:
            # No cut on the line (most lines): the line is one segment, with no separator in
            # it (every separator is a cut, and the cuts before this line are consumed).
            text = line.strip()
            start = line_start + line.index(text[0])
            segments.append(Segment(start, start + len(text), text, index, 1))
            continue
        bounds, last = [], line_start
        while c < len(cuts) and cuts[c][0] <= line_end:
            a, b = cuts[c]
            if a >= last:
                bounds.append((last, a))
                last = b
            c += 1
        bounds.append((last, line_end))
        separators = bisect_left(separator_starts, line_end) - bisect_left(
            separator_starts, line_start
        )
        if separators > MAX_PIECES:  # thousands of glued headlines: one ticker, not read one by one
            text = line.strip()
            start = line_start + line.index(text[0])
            segments.append(
                Segment(start, start + len(text), text, index, separators + 1, zone="ticker")
            )
            continue
        for a, b in bounds:
            raw = page[a:b]
            text = raw.strip()
            if text:
                start = a + raw.index(text[0])
                segments.append(Segment(start, start + len(text), text, index, separators + 1))
    return segments


# A sentence stop that counts (see _sentence_punctuation), tried at each stop's position:
# not after a "." (nor before one), and followed by spaces then more text on the line,
# or a full stop that ends the line (spaces allowed before the line break).
_SENTENCE_STOP = re.compile(
    r"(?<![.])(?:[.!؟?](?=[ \t\u00a0]+[^ \t\u00a0\n])|[.](?=[ \t\u00a0]*(?:\n|\Z)))"
)


def _sentence_punctuation(page: str) -> list[int]:
    """Where running text punctuates: commas, or a sentence end that is not a ".." headline
    separator and is followed by more text or ends the line. Colons and question marks at
    the end of a line are headline punctuation.

    Found with str.find, one character at a time, and the stop rule checked only where
    a stop is: a regex scan of the page for the six characters costs twice as much.
    """
    found = []
    for ch in "،؛":  # a comma always counts
        i = page.find(ch)
        while i >= 0:
            found.append(i)
            i = page.find(ch, i + 1)
    stop = _SENTENCE_STOP.match
    for ch in ".!؟?":
        i = page.find(ch)
        while i >= 0:
            if stop(page, i):
                found.append(i)
            i = page.find(ch, i + 1)
    found.sort()
    return found


class _PageHits:
    """Positions of the page-wide patterns, found in one pass each over the whole page;
    a segment asks whether one falls inside it (a bisect, not a regex per segment).
    Also the page's normalisation, and whether it has Latin letters or tweet markers."""

    def __init__(self, page: str) -> None:
        self.punct = _sentence_punctuation(page)
        # Segments are searched for Latin letters and tweet markers only when their page
        # has some (most pages have neither). Both are looked for in the page's ASCII
        # characters, a fifth of an Arabic page, so the test costs less than it saves.
        ascii_part = page.encode("ascii", "ignore")
        self.latin = bool(ascii_part.translate(None, _NOT_LATIN))  # any Latin letter left
        # Dropping the Arabic letters may glue "(" to "@": a false alarm, never a miss.
        self.handles = b"(@" in ascii_part
        self.tweet_links = b"twitter.com" in ascii_part or b"x.com/" in ascii_part
        self.tweets = self.handles or self.tweet_links
        self.doc = doc = Normalized(page)
        self.furniture = sorted(
            doc.offset(end - length + 1) for end, length in _FURNITURE_ANYWHERE.iter(doc.text)
        )


def _inside(positions: list[int], start: int, end: int) -> bool:
    """Whether one of the sorted `positions` is in [start, end)."""
    i = bisect_left(positions, start)
    return i < len(positions) and positions[i] < end


def _features(seg: Segment, hits: _PageHits) -> None:
    """Cheap structural features, then zones that are unambiguous on their own.

    The hot path of the clean stage: every segment of every page passes here, so the
    costly checks (normalising, phrase lookups) only run on the segments that can
    match them (short ones, or ones holding a tell-tale substring), and page-wide
    patterns are looked up, not searched again.
    """
    text, pieces = seg.text, seg.pieces
    seg.words = words = len(text.split())
    if pieces >= TICKER_RUN and words < PROSE_LONG_WORDS and seg.zone is None:
        seg.headline, seg.zone = True, "ticker"  # a piece of a glued ticker line
        return
    seg.timed = timed = text[0].isdigit() and bool(_TIME_PREFIX.match(text))
    start, end, punct = seg.start, seg.end, hits.punct
    i = bisect_left(punct, start)  # _inside(punct, start, end), inlined: the hot path
    seg.punctuated = punctuated = i < len(punct) and punct[i] < end
    # most segments start with an Arabic letter: no regex call for them
    has_arabic = "\u0621" <= text[0] <= "\u064a" or _ARABIC.search(text) is not None
    latin = arabic = 0
    # rare: count both to tell Arabic text from a Latin label
    if hits.latin and _LATIN.search(text):
        arabic = sum(map(len, _ARABIC_RUNS.findall(text)))
        latin = sum(map(len, _LATIN_RUNS.findall(text)))
    elif has_arabic:
        arabic = 1
    mostly_arabic = has_arabic and arabic >= 2 * latin
    # In a line cut into ticker pieces, only a long punctuated piece is a paragraph.
    seg.prose = prose = (
        mostly_arabic
        and not timed
        and (
            (pieces < TICKER_RUN and words >= PROSE_MIN_WORDS and punctuated)
            or (words >= PROSE_LONG_WORDS and (punctuated or pieces < TICKER_RUN))
        )
    )
    seg.headline = (
        # (segment texts are stripped: no rstrip() needed before endswith)
        2 <= words <= HEADLINE_MAX_WORDS and arabic > 0 and not text.endswith(".")
    ) or timed
    if seg.zone is not None:
        return
    if (
        hits.tweets
        and ("twitter.com" in text or "x.com/" in text or "(@" in text)
        and len(text) <= TWEET_SEGMENT_MAX_CHARS
        and (_TWEET_LINK.search(text) or _TWEET_SIGNATURE.search(text))
    ):
        seg.zone = "tweet"
        return
    if text[0] == "#" and _HASHTAGS_ONLY.match(text):
        seg.zone = "tweet"
        return
    if hits.furniture and _inside(hits.furniture, start, end):
        seg.zone = "boilerplate"
        return
    if words > HEADLINE_MAX_WORDS:
        return  # a paragraph: none of the phrase rules below can apply
    if not has_arabic and _is_non_text(text, arabic, latin):
        seg.zone = "boilerplate"
        return
    norm = hits.doc.slice(start, end)  # the page was normalised once
    head = norm[:30].split(maxsplit=1)
    first_word = head[0].strip(_EDGE_PUNCT) if head else ""
    if first_word not in _FIRST_WORDS and not (
        words <= DATELINE_MAX_WORDS + 4 and _DIGIT.search(norm)
    ):
        if pieces == 1 and not prose and _credit_tail(norm):
            seg.zone = "boilerplate"
        return  # no phrase rule can match: it starts with none of their first words
    # raw words count dashes and dates' parts; the key's words are the real ones
    short = words <= 2 * FURNITURE_MAX_WORDS
    key = _key(norm if short else " ".join(norm.split()[:6]), normalized=True)
    key_words = len(key.split()) if short else words
    if key_words <= FURNITURE_MAX_WORDS and key in _RELATED:
        seg.zone, seg.related_header = "related", True
    elif not seg.prose and _starts_with_phrase(key, _RELATED, 6):
        seg.zone = "related"  # "اقرأ أيضا: <headline>", a link to another article
    elif key_words <= FURNITURE_MAX_WORDS and _is_furniture(key, key_words):
        seg.zone = "boilerplate"
    elif key_words <= FURNITURE_MAX_WORDS and _is_link(key, text, key_words):
        seg.zone = "link"
    elif seg.pieces == 1 and not seg.prose and _credit_tail(norm):
        seg.zone = "boilerplate"


def _starts_with_phrase(key: str, phrases: frozenset[str], max_words: int) -> bool:
    """Whether the key's first 1 to 6 words are one of `phrases`."""
    words = key.split()
    if not words or len(words) > max_words:
        return False
    prefix = words[0]
    if prefix in phrases:
        return True
    for word in words[1:6]:
        prefix += " " + word
        if prefix in phrases:
            return True
    return False


def _is_furniture(key: str, words: int) -> bool:
    return (
        key in _FURNITURE
        or _starts_with_phrase(key, _FURNITURE, FURNITURE_MAX_WORDS)
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
    hits = _PageHits(page)
    segments = segment(page, hits)
    for seg in segments:
        _features(seg, hits)
    if hits.handles:  # a signature holds "(@"
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
        # A closing sentence right after the last paragraph still belongs to it.
        while last + 1 < tail and _closes_body(segments, last, tail):
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
    runs: list[tuple[str, list[str]]] = []  # consecutive segments of one kind make one zone
    for seg in segments:
        if seg.zone in ("body", "title"):
            continue
        kind = seg.zone or "boilerplate"
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(seg.text)
        else:
            runs.append((kind, [seg.text]))
    removed = [(kind, "\n".join(texts)) for kind, texts in runs]
    tweets = [s.text for s in segments if s.zone == "tweet"]
    normalized = hits.doc.lines([(s.start, s.end) for s in body])
    return Zoned(title=title, body=body, removed=removed, tweets=tweets, normalized=normalized)


def _closes_body(segments: list[Segment], last: int, tail: int) -> bool:
    """Whether the unzoned segment after `last` ends the article rather than starts the tail.

    Scraped and paywalled articles often end on a sentence cut off mid-way, with no
    full stop: such a line is kept when it reads as a sentence, not a headline.
    """
    seg, prev = segments[last + 1], segments[last]
    if seg.zone is not None or seg.words < 2:
        return False
    adjacent = seg.line == prev.line + 1  # no blank line between it and the paragraph
    if _FINAL_PUNCT.search(seg.text):  # a finished sentence
        return seg.words >= 5 or adjacent
    if adjacent and seg.punctuated and seg.words >= 5:
        return True  # a comma inside, glued to the paragraph: its sentence goes on
    if seg.words < PROSE_MIN_WORDS or seg.line > prev.line + 2 or not seg.headline:
        return False
    text = seg.text
    if "/" in text or _LATIN.search(text):
        return False  # a caption with its credit ("... - name / twitter"), not a sentence
    if _starts_with_phrase(_key(" ".join(text.split()[:6])), _TAIL_OPENERS, 6):
        return False  # "read more: <headline>", a link to another article
    # A paragraph-length line with no stop: the last sentence, unless it opens a list
    # of headlines (related news come several together, each as long as a title).
    after = segments[last + 2] if last + 2 < tail else None
    return after is None or not (
        after.zone is None and after.headline and after.words >= TITLE_MIN_WORDS
    )


def _title_index(segments: list[Segment], first: int) -> int | None:
    """The title: the first headline line of the nearest block of lines above the body.

    A block is a run of lines with no blank line between them; the title opens the
    block it stands in (a subtitle may follow it), and a block of labels or credits
    may stand between it and the body. Only the last TITLE_BLOCKS blocks are looked at,
    so a stray headline far above (a menu, a ticker) is never taken.
    """
    end, blocks = first - 1, 0
    while end >= 0 and blocks < TITLE_BLOCKS:
        start = end
        while start > 0 and segments[start - 1].line >= segments[start].line - 1:
            start -= 1
        block = segments[start : end + 1]
        if any(seg.zone == "ticker" for seg in block):
            return None
        for k, seg in enumerate(block, start=start):
            # bylines, source names and labels are short: titles have TITLE_MIN_WORDS+
            if (
                seg.zone is None
                and seg.headline
                and seg.pieces == 1
                and seg.words >= TITLE_MIN_WORDS
            ):
                if start == end and seg.words >= PROSE_MIN_WORDS and blocks + 1 < TITLE_BLOCKS:
                    above = _lone_title_above(segments, start)
                    if above is not None and segments[above].words < seg.words:
                        return above  # seg is the standfirst under it: it stays in the body
                return k
        end, blocks = start - 1, blocks + 1
    return None


def _lone_title_above(segments: list[Segment], i: int) -> int | None:
    """The line standing alone in the block above segment i, if it reads as a title."""
    k = i - 1
    if k < 0 or (k > 0 and segments[k - 1].line >= segments[k].line - 1):
        return None  # nothing above, or not a one-line block
    seg = segments[k]
    ok = (
        seg.zone is None
        and seg.headline
        and not seg.timed
        and seg.pieces == 1
        and seg.words >= TITLE_MIN_WORDS
        and not seg.text.endswith(":")
        and _LATIN.search(seg.text) is None
    )
    return k if ok else None


def _adjacent_to_body(segments: list[Segment], i: int, first: int) -> bool:
    """True when only unzoned headline lines stand between segment i and the first paragraph."""
    return all(
        segments[j].zone in (None, "body") and segments[j].headline for j in range(i + 1, first)
    )
