"""Relative time in a question ("this week", "on Tuesday", "last month", "latest") resolved to a
date window, so retrieval can prefer articles from those days.

``resolve(question, reference)`` returns a ``TimeFrame`` (first day, last day, the words that
set it) or None. ``reference`` is the ``as_of`` date, or the newest article's date when no
``as_of`` is set: news questions speak from the day they are asked.

The window is a preference, not a filter (``retrieval`` boosts chunks dated inside it): reports
on an event often appear a few days after it, and a wrong reading of the question must not hide
the answer. Recency words ("recently", "latest", "new") give the 14 days up to the reference.

Limits: English only; explicit dates ("on 13 November 2017") are left to the date filters and
to retrieval; "in November" means the most recent November on or before the reference; a week
runs Monday to Sunday.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = [m.lower() for m in calendar.month_name[1:]]
RECENT_DAYS = 14


@dataclass(frozen=True)
class TimeFrame:
    start: str  # ISO date, inclusive
    end: str  # ISO date, inclusive
    phrase: str  # the words of the question that set it

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
    r"|in (?:" + "|".join(_MONTHS) + r")(?! \d)|(?:this|last) (?:" + "|".join(_MONTHS) + r")"
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
        frame = _window(m.group("phrase").lower(), ref)
        if frame is not None:
            start, end = frame
            return TimeFrame(_iso(start), _iso(min(end, ref)), m.group("phrase"))
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
    if phrase in ("recently", "recent", "latest", "newest", "newly", "new"):
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
