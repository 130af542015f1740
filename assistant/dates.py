"""Publication dates: parse the many ways archives write a date, keep its precision, and check
filter dates.

A stored date is an ISO string whose length is its precision: ``2017-12-21`` (day),
``2017-12`` (month) or ``2017`` (year). ``Document.date_precision`` says the same in words
(``day`` / ``month`` / ``year`` / ``unknown``) and ``Document.date_source`` where the date came
from (see ``SOURCES``). ``date_bounds`` turns a stored date into the first and last day of its
period, which is how filters treat imprecise dates (see ``assistant/retrieval.py``).

``parse_date`` accepts ISO dates and timestamps, written dates in English, German, French and
Spanish (``21 December 2017``, ``Dec 21, 2017``, ``21. Dezember 2017``, ``21 décembre 2017``,
``21 de diciembre de 2017``), RFC 2822 (``Thu, 21 Dec 2017 10:00:00 +0900``), PDF dates
(``D:20171221103000+09'00'``), compact ``20171221``, ``datetime``/``date`` objects and epoch
seconds (or milliseconds) as numbers or digit strings. ``normalise_date`` is the older, day-only
form: it returns ``YYYY-MM-DD`` with a missing day read as the 1st.

Limits, on purpose:

* A date needs a year and a month; a bare year counts only where the caller says a year is
  enough (``allow_year=True``: an explicit date field of a json record or front matter), never
  in running text, where a lone year is usually a copyright line or an event.
* A day and month without a year, and relative phrases (``yesterday``, ``2 days ago``) give
  ``None``: they would resolve against the time of indexing, not of writing.
* A timestamp keeps the calendar day it was written in (``2017-12-21T23:30:00-05:00`` is
  ``2017-12-21``); it is not converted to UTC.
* Ambiguous numeric dates such as ``03/04/2017`` read month first, as dateutil does (unless
  ``day_first``); an impossible month (``21/12/2017``) is read day first; dotted dates
  (``21.12.2017``) are day first.
* Years outside 1800-2200 are rejected as junk.
"""
from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from dateutil import parser as _dateutil_parser

MIN_YEAR = 1800
MAX_YEAR = 2200

PRECISIONS = ("day", "month", "year", "unknown")
# Where a date came from, most trusted first for html. Every source but the weak ones proves a
# publication date for ``as_of``.
SOURCES = (
    "json-ld", "meta", "time-tag", "url", "dateline", "htmldate",  # html
    "front-matter", "record-field", "text-header",  # md, json/jsonl, txt header lines
    "pdf-text", "pdf-creation-date",  # pdf
)
# A pdf's /CreationDate is often the day the file was exported or scanned, not the day the
# article appeared: it is shown as "file created" and proves nothing under ``as_of``.
WEAK_SOURCES = frozenset({"pdf-creation-date"})

_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s_])")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DOTTED = re.compile(r"^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?:$|[\s,T])")
_EPOCH = re.compile(r"^-?\d{9,13}(?:\.\d+)?$")
_HAS_LETTER_OR_DIGIT = re.compile(r"[0-9A-Za-z]")
_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")
# Labels that often precede a date in bylines and header lines ("Published on 21 Dec 2017").
_LABEL = re.compile(
    r"^(?:(?:first\s+)?published|posted|updated|last\s+updated|dated?|on|ver[öo]ffentlicht(?:\s+am)?|"
    r"publi[ée]\s+le|publicado(?:\s+el)?)\b\s*(?:on\b)?\s*[:\-]?\s*",
    re.IGNORECASE,
)

# Month names in the archive's languages (accents stripped when matching).
_MONTH_NAMES: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan januar janvier enero ene jänner janner",
        "february feb februar fevrier fev febrero",
        "march mar marz maerz mars marzo",
        "april apr avril avr abril abr",
        "may mai mayo",
        "june jun juni juin junio",
        "july jul juli juillet juil julio",
        "august aug aout agosto ago",
        "september sep sept septembre septiembre setiembre",
        "october oct oktober octobre octubre okt",
        "november nov novembre noviembre",
        "december dec dezember decembre diciembre dez dic",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTH_NAMES[_name] = _number
_MONTH_ALT = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
# "21 December 2017", "21. Dezember 2017", "1er décembre 2017", "21 de diciembre de 2017"
_WRITTEN_DMY = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:\.|er|º|st|nd|rd|th)?\s+(?:de\s+|of\s+)?({_MONTH_ALT})\.?,?\s+(?:de\s+|del\s+)?(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
# "December 21, 2017", "Dec. 21 2017"
_WRITTEN_MDY = re.compile(
    rf"\b({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
# "December 2017", "diciembre de 2017"
_WRITTEN_MY = re.compile(rf"^({_MONTH_ALT})\.?,?\s+(?:de\s+)?(\d{{4}})$", re.IGNORECASE)

# Two defaults that differ in every field: a field dateutil did not find in the string
# comes out different under the two, which is how missing parts are detected.
_DEFAULT_A = datetime(1904, 1, 1)
_DEFAULT_B = datetime(1908, 2, 2)


class InvalidDateError(ValueError):
    """A filter date (since / until / as of) that is not a ``YYYY-MM-DD`` calendar day."""


@dataclass(frozen=True)
class DateValue:
    """A parsed date and how precise it is. ``iso`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""

    iso: str
    precision: str  # "day" | "month" | "year"

    @property
    def first(self) -> date:
        return date_bounds(self.iso)[0]  # type: ignore[index]

    @property
    def last(self) -> date:
        return date_bounds(self.iso)[1]  # type: ignore[index]


def strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def parse_date(value: Any, *, allow_year: bool = False, day_first: bool = False) -> DateValue | None:
    """``value`` as a ``DateValue`` (day, month or, with ``allow_year``, year precision)."""
    parts = _parts(value, day_first=day_first)
    if parts is None:
        return None
    year, month, day = parts
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if month is None:
        return DateValue(f"{year:04d}", "year") if allow_year else None
    if not 1 <= month <= 12:
        return None
    if day is None:
        return DateValue(f"{year:04d}-{month:02d}", "month")
    try:
        return DateValue(date(year, month, day).isoformat(), "day")
    except ValueError:
        return None


def normalise_date(value: Any) -> str | None:
    """Return ``value`` as an ISO ``YYYY-MM-DD`` string (a missing day is the 1st), or ``None``."""
    parsed = parse_date(value)
    if parsed is None:
        return None
    return parsed.iso if parsed.precision == "day" else parsed.first.isoformat()


def precision_of(iso: str | None) -> str:
    """The precision of a stored date string: ``day`` / ``month`` / ``year`` / ``unknown``."""
    if not iso:
        return "unknown"
    n = len(iso.strip())
    return "year" if n == 4 else "month" if n == 7 else "day" if n >= 10 else "unknown"


def date_bounds(iso: str | None) -> tuple[date, date] | None:
    """First and last day of a stored date's period (``2017-12`` -> Dec 1 and Dec 31), or None."""
    if not iso:
        return None
    iso = iso.strip()
    try:
        if len(iso) >= 10:
            day = date.fromisoformat(iso[:10])
            return day, day
        if len(iso) == 7 and iso[4] == "-":
            year, month = int(iso[:4]), int(iso[5:])
            return date(year, month, 1), date(year, month, monthrange(year, month)[1])
        if len(iso) == 4 and iso.isdigit():
            year = int(iso)
            return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None
    return None


_FILTER_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_filter_date(value: Any, name: str) -> str | None:
    """A filter date as ``YYYY-MM-DD`` (``None``/empty stays ``None``); anything else raises
    ``InvalidDateError("invalid date 'garbage' for until: use YYYY-MM-DD")``. The one check
    behind ``Filters``, the CLI flags and the page."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _FILTER_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise InvalidDateError(f"invalid date {str(value)!r} for {name}: use YYYY-MM-DD")


# ---- parsing ---------------------------------------------------------------------------------

_Parts = tuple[int, "int | None", "int | None"]


def _parts(value: Any, day_first: bool = False) -> _Parts | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.year, value.month, value.day
    if isinstance(value, date):
        return value.year, value.month, value.day
    if isinstance(value, int) and MIN_YEAR <= value <= MAX_YEAR:
        return value, None, None  # a bare year (front matter `date: 2017`)
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text or len(text) > 200 or not _HAS_LETTER_OR_DIGIT.search(text):
        return None
    return _from_string(_LABEL.sub("", text, count=1) or text, day_first)


def _from_string(text: str, day_first: bool) -> _Parts | None:
    if match := _PDF_DATE.match(text):
        year, month, day = match.group(1), match.group(2), match.group(3)
        if not month:
            return None
        return int(year), int(month), int(day) if day else None
    if match := _ISO_DAY.match(text):
        return int(match.group(1)), int(match.group(2)), int(match.group(3))
    if match := _ISO_MONTH.match(text):
        return int(match.group(1)), int(match.group(2)), None
    if match := _YEAR.match(text):
        return int(match.group(1)), None, None
    if match := _COMPACT.match(text):
        return int(match.group(1)), int(match.group(2)), int(match.group(3))
    if match := _DOTTED.match(text):
        return int(match.group(3)), int(match.group(2)), int(match.group(1))
    if _EPOCH.match(text):
        return _from_epoch(float(text))
    if text.isdigit():  # a lone number is not a date
        return None
    written = _written(text)
    if written is not None:
        return written
    parsed = _with_dateutil(text, day_first)
    if parsed is not None:
        return parsed
    return _with_dateparser(text)


def _written(text: str) -> _Parts | None:
    """Day-month-year and month-day-year in the known languages, without dateutil's guessing."""
    plain = strip_accents(text)
    if match := _WRITTEN_DMY.search(plain):
        return int(match.group(3)), _MONTH_NAMES[match.group(2).lower()], int(match.group(1))
    if match := _WRITTEN_MDY.search(plain):
        return int(match.group(3)), _MONTH_NAMES[match.group(1).lower()], int(match.group(2))
    if match := _WRITTEN_MY.match(plain):
        return int(match.group(2)), _MONTH_NAMES[match.group(1).lower()], None
    return None


def find_written_date(text: str) -> tuple[DateValue, int, int] | None:
    """The first full written date (day, month name, year) or ISO day in ``text``, with its span.
    Used for datelines; month-name matching covers English, German, French and Spanish."""
    # Accents stripped one character at a time, so that spans still index ``text``.
    plain = "".join(s if len(s := strip_accents(ch)) == 1 else ch for ch in text)
    best: tuple[int, int, _Parts] | None = None
    for pattern, order in ((_WRITTEN_DMY, "dmy"), (_WRITTEN_MDY, "mdy"), (_ISO_IN_TEXT, "iso"), (_DOTTED_IN_TEXT, "dot")):
        match = pattern.search(plain)
        if not match or (best is not None and match.start() >= best[0]):
            continue
        g = match.groups()
        if order == "dmy":
            parts = (int(g[2]), _MONTH_NAMES[g[1].lower()], int(g[0]))
        elif order == "mdy":
            parts = (int(g[2]), _MONTH_NAMES[g[0].lower()], int(g[1]))
        elif order == "iso":
            parts = (int(g[0]), int(g[1]), int(g[2]))
        else:
            parts = (int(g[2]), int(g[1]), int(g[0]))
        best = (match.start(), match.end(), parts)
    if best is None:
        return None
    year, month, day = best[2]
    parsed = parse_date(date(year, month, day)) if _valid(year, month, day) else None
    return (parsed, best[0], best[1]) if parsed else None


_ISO_IN_TEXT = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DOTTED_IN_TEXT = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return MIN_YEAR <= year <= MAX_YEAR


def _with_dateutil(text: str, day_first: bool) -> _Parts | None:
    try:
        a = _dateutil_parser.parse(text, default=_DEFAULT_A, ignoretz=True, dayfirst=day_first)
        b = _dateutil_parser.parse(text, default=_DEFAULT_B, ignoretz=True, dayfirst=day_first)
    except (ValueError, OverflowError, TypeError):
        return None
    if a.year != b.year or a.month != b.month:
        return None
    return a.year, a.month, (a.day if a.day == b.day else None)


def _with_dateparser(text: str) -> _Parts | None:
    # Imported lazily: dateparser is slow to import and only needed for other languages or odd
    # formats. Relative parsing is left out so nothing resolves against "now", and a four-digit
    # year must be present because dateparser reads "21 December" as the year 2021.
    if not _FOUR_DIGITS.search(text):
        return None
    try:
        import dateparser
    except ImportError:  # pragma: no cover - installed with trafilatura
        return None
    settings = {
        "PARSERS": ["custom-formats", "absolute-time"],
        "REQUIRE_PARTS": ["month", "year"],
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        parsed = dateparser.parse(text, settings=settings)
    except Exception:  # dateparser raises assorted errors on junk input
        return None
    if not parsed:
        return None
    # dateparser fills a missing day with the 1st; it only counts as a day if the text has one.
    has_day = bool(re.search(r"(?<!\d)\d{1,2}(?!\d)", _FOUR_DIGITS.sub(" ", text)))
    return parsed.year, parsed.month, (parsed.day if has_day else None)


def _from_epoch(seconds: float) -> _Parts | None:
    if seconds != seconds:  # NaN
        return None
    if abs(seconds) > 1e11:  # milliseconds
        seconds /= 1000.0
    try:
        day = datetime.fromtimestamp(seconds, tz=timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        return None
    return day.year, day.month, day.day


# ---- datelines -------------------------------------------------------------------------------

# Words that make the date after them a weak one: an update stamp or a copyright line.
_WEAK_LABEL = re.compile(
    r"(?:updated?|modified|last\s+edited|revised|aktualisiert|ge[äa]ndert|mis\s+[àa]\s+jour|actualizad[oa]|"
    r"actualizaci[óo]n|modificad[oa]|copyright|\(c\)|©)",
    re.IGNORECASE,
)
_PUBLISHED_LABEL = re.compile(
    r"(?:(?:first\s+)?published|posted|dated?|ver[öo]ffentlicht|erschienen|publi[ée]|publicad[oa])"
    r"(?:\s+(?:on|am|le|el|the))?\s*[:\-–—]?$",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?|montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|mi[ée]rcoles|"
    r"jueves|viernes|s[áa]bado|domingo",
    re.IGNORECASE,
)
_TRAILING_WEEKDAY = re.compile(rf"(?:{_WEEKDAY.pattern})\s*,?\s*$", re.IGNORECASE)
_SEPARATOR_END = re.compile(r"[,\-–—|:(/·•]\s*$")


def dateline_date(text: str, window: int = 100) -> DateValue | None:
    """The date of a dateline at the very start of ``text``: ``SEOUL, Dec. 21, 2017 -``,
    ``BERLIN, 14. November 2017 (dpa) -``, ``Published: 21 December 2017``, or a date as the first
    thing. A date after "Updated"/"Aktualisiert"/"Mis à jour"/"Actualizado" or a copyright sign
    is skipped (the next one may still count); a date inside the first sentence ("The council
    voted on 14 November 2017") is not a dateline. Full dates (day, month, year) only."""
    head = text.lstrip()[:window]
    pos = 0
    while pos < len(head):
        found = find_written_date(head[pos:])
        if found is None:
            return None
        value, start, end = found
        before = head[pos:pos + start]
        if _WEAK_LABEL.search(before):
            pos += end
            continue
        lead = _TRAILING_WEEKDAY.sub("", before.strip()).strip()
        if not lead or _SEPARATOR_END.search(lead) or _PUBLISHED_LABEL.search(lead):
            return value
        return None
    return None
