"""Relative time in a question ("this week", "on Tuesday", "last month", "latest") resolved to a
date window, so retrieval can prefer articles from those days.

``resolve(question, reference)`` returns a ``TimeFrame`` (first day, last day, the words that
set it) or None. ``reference`` is the ``as_of`` date, or the newest article's date when no
``as_of`` is set: news questions speak from the day they are asked.

Recency words ("recently", "latest", "new") give the 14 days up to the reference. A question
that names no relative time but a year ("the 2025 women's Euros") gets that year (up to the
reference); a year after the reference ("running for governor in 2026") sets nothing.

The window is a preference for what lies inside it (``retrieval`` boosts chunks dated inside it:
reports on an event often appear a few days after it), and evidence from well before it is
dropped when enough is left (``drop_stale``): an article published before the window cannot
report what happened in it, and older events of the same kind (the 2022 final for a question on
the 2025 one) were what the 0.5B model answered with. Two checks refuse instead of answering: a
window that starts after the newest article the question may read (``uncovered``), and an
answer stated only by an article from well before the window (``predates``); a third, an answer
whose sentence names only days outside the window (``elsewhen``: the article is recent, the
event it recalls is not).

Limits: English only; explicit dates ("on 13 November 2017") are left to the date filters and
to retrieval, except where the day itself is asked about (``day_named``); ``relative_day`` reads
"on Monday" or "yesterday" in an article's sentence against its day of publication (an answer's
day); "in November" (also
"the November defection", "from / during / since / of November"; "the march" and "the may" in
lower case are words, not months) means the most recent November on or before the reference; a
week runs Monday to Sunday; a year in a question is taken as the time asked about, also where it
only names something ("the 2025 budget" discussed in 2024 loses its 2024 reports when enough
2025 ones are found, and an answer only a 2024 report states is refused by ``predates``).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Sequence

from .dates import date_bounds
from .types import Passage

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = [m.lower() for m in calendar.month_name[1:]]
RECENT_DAYS = 14
# Evidence from articles published more than STALE_SLACK_DAYS before the window is dropped while
# at least MIN_IN_TIME candidates are left. Measured on realtimeqa-dev (150 questions, 36
# candidates): the gold answer in the text read 46 -> 48 and in the best passage 23 -> 26; the
# slack (3, 7, 14 days) and a pool of 72 changed nothing.
STALE_SLACK_DAYS = 7
# How old the article stating an answer may be for a question with a recency word (``predates``).
RECENT_LIMIT_DAYS = 180
MIN_IN_TIME = 3
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
# "asteroid 2023 DW", "comet 2024 G3": a year in a provisional designation names the object, not a
# time ("On what day in 2046 might asteroid 2023 DW strike Earth?" asks about 2046).
_DESIGNATION = re.compile(r"\b(?i:asteroids?|comets?|objects?)\s+(?:19|20)\d\d\s+[A-Z]{1,2}\d{0,3}\b")
_RECENCY = ("recently", "recent", "latest", "newest", "newly", "new")


@dataclass(frozen=True)
class TimeFrame:
    start: str  # ISO date, inclusive
    end: str  # ISO date, inclusive
    phrase: str  # the words of the question that set it
    # Named days ("this week", "on Tuesday", "in November", "2025"), not recency ("latest", "new"):
    # only such a window can lie wholly after what an archive holds (``uncovered``).
    named_days: bool = True
    # The window's own last day before it was cut at the reference (a year's 31 December): a day
    # still to come that an article names ("The 2024 VMAs are Wednesday, Sept. 11", read in
    # August) lies in the days asked about (``elsewhen``). Empty: ``end``.
    last: str = ""

    def label(self) -> str:
        if self.start == self.end:
            return f"{self.phrase}: {self.start}"
        return f"{self.phrase}: {self.start} to {self.end}"


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


_PATTERN = re.compile(
    r"\b(?P<phrase>"
    r"today|tonight|yesterday|this (?:week|weekend|month|year)|last (?:week|weekend|month|year)"
    r"|past (?:week|few days|month)|(?:on |last |this )?(?:" + "|".join(_WEEKDAYS) + r")"
    r"|(?:in|from|during|since|of|the) (?:" + "|".join(_MONTHS) + r")(?! \d)(?!\w)|(?:this|last) (?:" + "|".join(_MONTHS) + r")"
    r"|recently|recent|latest|newest|newly|new|so far this year"
    r")\b",
    re.I,
)


def resolve(question: str, reference: str | dt.date | None) -> TimeFrame | None:
    """The first relative-time phrase of ``question`` as a window ending on or before ``reference``."""
    if reference is None:
        return None
    ref = reference if isinstance(reference, dt.date) else dt.date.fromisoformat(str(reference)[:10])
    for m in _PATTERN.finditer(question):
        if m.group("phrase").startswith("New"):
            continue  # New York, New Zealand: a name
        words = m.group("phrase").split()
        if words[-1] in ("march", "may") and words[0].lower() in ("the", "from", "during", "since", "of"):
            continue  # "during the march": a word, not the month (as "in march" is)
        frame = _window(m.group("phrase").lower(), ref)
        if frame is not None:
            start, end = frame
            phrase = m.group("phrase")
            return TimeFrame(_iso(start), _iso(min(end, ref)), phrase, named_days=phrase.lower() not in _RECENCY,
                             last=_iso(end))
    years = [int(y) for y in _YEAR.findall(_DESIGNATION.sub(" ", question)) if int(y) <= ref.year]
    if years:
        year = max(years)
        return TimeFrame(_iso(dt.date(year, 1, 1)), _iso(min(dt.date(year, 12, 31), ref)), str(year),
                         last=_iso(dt.date(year, 12, 31)))
    return None


def drop_stale(passages: Sequence[Passage], frame: TimeFrame | None) -> list[Passage]:
    """``passages`` without those of articles published more than ``STALE_SLACK_DAYS`` before the
    window, unless fewer than ``MIN_IN_TIME`` would be left. Undated articles and month- or
    year-dated ones whose period reaches the window stay."""
    if frame is None:
        return list(passages)
    first = dt.date.fromisoformat(frame.start) - dt.timedelta(days=STALE_SLACK_DAYS)
    kept = [p for p in passages if (b := date_bounds(p.published)) is None or b[1] >= first]
    return kept if len(kept) >= MIN_IN_TIME else list(passages)


def uncovered(frame: TimeFrame | None, newest: str | None) -> bool:
    """Whether the days a question names lie wholly after ``newest``, the last day of the newest
    article the question may read (under its filters): no article of the archive can report on
    them, so any answer would come from older events ("this week" asked of an archive that ends
    last month). Recency words ("latest", "new") never count: the newest the archive knows is
    still a useful answer to them, and the window is a preference there."""
    if frame is None or not frame.named_days or newest is None:
        return False
    return newest < frame.start


def predates(frame: TimeFrame | None, published: str | None) -> bool:
    """Whether an article published on ``published`` is too old to report on the time a question
    names: more than ``STALE_SLACK_DAYS`` before its named days ("this week", "2025"), or more than
    ``RECENT_LIMIT_DAYS`` before the day asked from for recency words ("recently", "new"), which are
    looser ("the new party" is still new a few months on). Undated articles never are.

    Why: an answer stated only by such an article is about an older event of the same kind. On
    realtimeqa-dev-small and its unanswerable set, every answer whose stating article was that old
    was wrong ("this week" answered from reports 133 to 350 days older; "recently set in
    Tijuana" from one 7 years older), while the right ones were at most 4 days old."""
    if frame is None or (bounds := date_bounds(published)) is None:
        return False
    if frame.named_days:
        return bounds[1] < dt.date.fromisoformat(frame.start) - dt.timedelta(days=STALE_SLACK_DAYS)
    return bounds[1] < dt.date.fromisoformat(frame.end) - dt.timedelta(days=RECENT_LIMIT_DAYS)


_MON = (r"((?:January|February|March|April|May|June|July|August|September|October|November|December|"
        r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)")
# Days a sentence names, day first or month first ("on 13 November", "July 3, 2025"); month
# names in capitals only, so "may" the verb is no date.
_DAY_MONTH = (re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MON + r"(?:,?\s+(\d{4}))?"),
              re.compile(r"\b" + _MON + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?"))


def days_named(sentence: str, published: str | None, upcoming: bool = False) -> list[dt.date]:
    """The days ``sentence`` names (day and month, the year written or that of ``published``,
    the year before when that puts the day after publication; with ``upcoming``, that year's
    day too)."""
    bounds = date_bounds(published)
    out = []
    for k, pattern in enumerate(_DAY_MONTH):
        for m in pattern.finditer(sentence):
            g = m.groups()
            day, month, year = (g[0], g[1], g[2]) if k == 0 else (g[1], g[0], g[2])
            if year is None and bounds is None:
                continue
            y = int(year) if year else bounds[1].year
            try:
                d = dt.date(y, [m[:3] for m in _MONTHS].index(month[:3].lower()) + 1, int(day))
            except ValueError:
                continue
            if year is None and d > bounds[1] + dt.timedelta(days=2):
                if upcoming:
                    out.append(d)
                d = d.replace(year=y - 1)
            out.append(d)
    return out


def elsewhen(frame: TimeFrame | None, sentence: str, published: str | None) -> bool:
    """Whether a sentence is about other days than the ones asked about: every day it names lies
    outside the question's named days (``STALE_SLACK_DAYS`` before them allowed). "Why did the
    December defector leave?" is not answered by "Only weeks earlier, on 13 November, another
    soldier was shot by his own side", though a December analysis says it.

    A day written without its year that falls after publication may be a recollection (last
    year's) or still to come (this year's: "The 2024 VMAs are Wednesday, Sept. 11", read in
    August): either counts, and the window runs to its own last day, past the reference.

    Limits: only days written with a month name; a sentence naming none is never elsewhen. On
    the dev sets' answers no stating sentence was (their windows are mostly recency or a year)."""
    if frame is None or not frame.named_days:
        return False
    days = days_named(sentence, published, upcoming=True)
    start = dt.date.fromisoformat(frame.start) - dt.timedelta(days=STALE_SLACK_DAYS)
    end = dt.date.fromisoformat(frame.last or frame.end)
    return bool(days) and not any(start <= d <= end for d in days)


# A day news names by its relation to the day of writing: "on Monday", "last Friday",
# "yesterday". Future words in the sentence ("will", "is set to", "scheduled") point the weekday
# forward from publication, as news writes the days of the week around it.
_RELATIVE_DAY = re.compile(r"\b(?:(?P<which>last|next|this|on|by|until)\s+)?(?P<weekday>" + "|".join(_WEEKDAYS)
                           + r")\b(?!,?\s+(?:\d{1,2}\b|" + _MON + r"))|\b(?P<near>yesterday|today|tonight|tomorrow)\b",
                           re.I)
_FUTURE = re.compile(r"\b(?:will|shall|won['’]t|(?:is|are|was|were)\s+(?:set|scheduled|expected|due|slated|poised|"
                     r"going|supposed)\s+to|scheduled|upcoming|plans?\s+to|planning\s+to)\b|['’]ll\b", re.I)
_SHIFT = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}


def relative_day(sentence: str, published: str | None, adverbial: bool = False) -> tuple[str, dt.date] | None:
    """The first day ``sentence`` names relative to its article's day of publication
    (``published``, an ISO day), with the calendar day it is: ("Monday", 2022-09-26) for "On
    Monday, a NASA spacecraft will deliberately slam into an asteroid" published on Friday
    2022-09-23; a weekday without future words is the last such day on or before publication
    ("defected on Monday" in a Tuesday report), with them the next one on or after it; "last" and
    "next" move a week when the weekday is publication's own; "yesterday", "today", "tomorrow".

    With ``adverbial`` a weekday counts only as the time of what the sentence tells ("on Monday",
    "by Friday", "last Tuesday"), not as a word about a thing ("a testy Wednesday debate" dates
    the debate, not the election asked about), "today" not at all ("Today the fire is half
    contained" says nothing of when it started), and none in a sentence that names two ("became
    Tropical Storm Debby on Saturday afternoon and is expected to hit …, forecasters said Saturday"
    dates the storm's forming, not its landfall).

    Why: the answer to "When will DART hit the asteroid?" was in the archive only as "On Monday".
    Limits: English; None without a publication day (a month or year alone is not enough), and
    for a weekday written with its date ("Monday, Sept. 26": that date is read instead); the
    tense is read off the whole sentence, so "said on Monday it will ..." is read forward."""
    if not published or len(published) < 10:
        return None
    try:
        day = dt.date.fromisoformat(published[:10])
    except ValueError:
        return None
    named = list(_RELATIVE_DAY.finditer(sentence))
    if adverbial and len(named) > 1:
        return None
    m = next((m for m in named
              if not adverbial or (m.group("near") or "").lower() in ("yesterday", "tomorrow") or m.group("which")),
             None)
    if m is None:
        return None
    if m.group("near"):
        word = m.group("near")
        return word, day + dt.timedelta(days=_SHIFT[word.lower()])
    which, name = (m.group("which") or "").lower(), m.group("weekday")
    wanted = _WEEKDAYS.index(name.lower())
    forward = which == "next" or (which != "last" and bool(_FUTURE.search(sentence)))
    if forward:
        step = (wanted - day.weekday()) % 7 or (7 if which == "next" else 0)
        return name, day + dt.timedelta(days=step)
    step = (day.weekday() - wanted) % 7 or (7 if which == "last" else 0)
    return name, day - dt.timedelta(days=step)


_DAY_ASKED = (re.compile(r"\b(?:on|of|from|for)\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON
                         + r"(?:,?\s+(\d{4}))?", re.I),
              re.compile(r"\b(?:on|of|from|for)\s+" + _MON + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?", re.I))


def day_named(question: str, reference: str | dt.date | None) -> TimeFrame | None:
    """The one day a question names with its month ("on 13 November", "on November 13, 2017"):
    the year written, else the most recent such day on or before ``reference``.

    Not part of ``resolve``: realtimeqa-dev's questions name a day mostly for history ("Which two
    US presidents died on July 4 in the same year?"), where a window would drop the evidence that
    answers them. The caller decides when the day is what is asked about ("What happened on 13
    November?")."""
    ref = (reference if isinstance(reference, dt.date) else dt.date.fromisoformat(str(reference)[:10])
           if reference is not None else None)
    for k, pattern in enumerate(_DAY_ASKED):
        m = pattern.search(question)
        if m is None:
            continue
        g = m.groups()
        day, month, year = (g[0], g[1], g[2]) if k == 0 else (g[1], g[0], g[2])
        if year is None and ref is None:
            return None
        month_no = [m[:3] for m in _MONTHS].index(month[:3].lower()) + 1
        try:
            d = dt.date(int(year) if year else ref.year, month_no, int(day))
            if year is None and d > ref:
                d = d.replace(year=ref.year - 1)
        except ValueError:
            return None
        return TimeFrame(_iso(d), _iso(d), m.group(0))
    return None


def _window(phrase: str, ref: dt.date) -> tuple[dt.date, dt.date] | None:
    words = phrase.split()
    monday = ref - dt.timedelta(days=ref.weekday())
    if phrase in ("today", "tonight"):
        return ref, ref
    if phrase == "yesterday":
        day = ref - dt.timedelta(days=1)
        return day, day
    if phrase in ("this week", "past week"):
        # Asked early in a week, "this week" still means the last few days.
        return min(monday, ref - dt.timedelta(days=6)), ref
    if phrase == "past few days":
        return ref - dt.timedelta(days=4), ref
    if phrase == "last week":
        return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)
    if phrase in ("this weekend", "last weekend"):
        saturday = monday - dt.timedelta(days=2) if phrase == "last weekend" or ref.weekday() < 5 else monday + dt.timedelta(days=5)
        return saturday, saturday + dt.timedelta(days=1)
    if phrase in ("this month", "past month"):
        return (ref.replace(day=1) if phrase == "this month" else ref - dt.timedelta(days=30)), ref
    if phrase == "last month":
        last = ref.replace(day=1) - dt.timedelta(days=1)
        return _month_range(last.year, last.month)
    if phrase in ("this year", "so far this year"):
        return dt.date(ref.year, 1, 1), ref
    if phrase == "last year":
        return dt.date(ref.year - 1, 1, 1), dt.date(ref.year - 1, 12, 31)
    if phrase in _RECENCY:
        return ref - dt.timedelta(days=RECENT_DAYS), ref
    if words[-1] in _WEEKDAYS:
        # The most recent such day on or before the reference ("on Tuesday" asked on a Tuesday
        # means today); "last Tuesday" skips today.
        back = (ref.weekday() - _WEEKDAYS.index(words[-1])) % 7
        if words[0] == "last" and back == 0:
            back = 7
        day = ref - dt.timedelta(days=back)
        return day, day
    if words[-1] in _MONTHS:
        month = _MONTHS.index(words[-1]) + 1
        year = ref.year if month <= ref.month else ref.year - 1
        if words[0] == "last" and month == ref.month:
            year -= 1
        return _month_range(year, month)
    return None
