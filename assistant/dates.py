"""Turn the many ways archives write a date into ``YYYY-MM-DD``.

``normalise_date`` accepts ISO dates and timestamps, written dates (``21 December 2017``,
``Dec 21, 2017``), RFC 2822 (``Thu, 21 Dec 2017 10:00:00 +0900``), PDF dates
(``D:20171221103000+09'00'``), compact ``20171221``, ``datetime``/``date`` objects and epoch
seconds (or milliseconds) as numbers or digit strings. It returns ``None`` for anything else.

Limits, on purpose:

* A date needs a year and a month. A missing day becomes the 1st (``December 2017`` ->
  ``2017-12-01``); a bare year, or a day and month without a year, give ``None`` rather than a
  guess filled in from today.
* Relative phrases (``yesterday``, ``2 days ago``) give ``None``: they would resolve against
  the time of indexing, not of writing.
* A timestamp keeps the calendar day it was written in (``2017-12-21T23:30:00-05:00`` is
  ``2017-12-21``); it is not converted to UTC.
* Ambiguous numeric dates such as ``03/04/2017`` read month first, as dateutil does; an
  impossible month (``21/12/2017``) is read day first.
* Years outside 1800-2200 are rejected as junk.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Any

from dateutil import parser as _dateutil_parser

MIN_YEAR = 1800
MAX_YEAR = 2200

_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s_])")
_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EPOCH = re.compile(r"^-?\d{9,13}(?:\.\d+)?$")
_HAS_LETTER_OR_DIGIT = re.compile(r"[0-9A-Za-z]")
_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")
# Labels that often precede a date in bylines and header lines ("Published on 21 Dec 2017").
_LABEL = re.compile(
    r"^(?:(?:first\s+)?published|posted|updated|last\s+updated|dated?|on)\b\s*(?:on\b)?\s*[:\-]?\s*",
    re.IGNORECASE,
)

# Two defaults that differ in every field: a field dateutil did not find in the string
# comes out different under the two, which is how missing parts are detected.
_DEFAULT_A = datetime(1904, 1, 1)
_DEFAULT_B = datetime(1908, 2, 2)


def normalise_date(value: Any) -> str | None:
    """Return ``value`` as an ISO ``YYYY-MM-DD`` string, or ``None`` when it is not a date."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return _checked(value.date())
    if isinstance(value, date):
        return _checked(value)
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 200 or not _HAS_LETTER_OR_DIGIT.search(text):
        return None
    return _from_string(_LABEL.sub("", text, count=1) or text)


def _from_string(text: str) -> str | None:
    if match := _PDF_DATE.match(text):
        year, month, day = match.group(1), match.group(2) or "", match.group(3) or "01"
        return _ymd(int(year), int(month), int(day)) if month else None
    if match := _ISO_DAY.match(text):
        return _ymd(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := _COMPACT.match(text):
        return _ymd(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if _EPOCH.match(text):
        return _from_epoch(float(text))
    if text.isdigit():  # a bare year or a lone number is not a day
        return None
    parsed = _with_dateutil(text)
    if parsed is not None:
        return parsed
    return _with_dateparser(text)


def _with_dateutil(text: str) -> str | None:
    try:
        a = _dateutil_parser.parse(text, default=_DEFAULT_A, ignoretz=True)
        b = _dateutil_parser.parse(text, default=_DEFAULT_B, ignoretz=True)
    except (ValueError, OverflowError, TypeError):
        return None
    if a.year != b.year or a.month != b.month:
        return None
    day = a.day if a.day == b.day else 1
    return _ymd(a.year, a.month, day)


def _with_dateparser(text: str) -> str | None:
    # Imported lazily: dateparser is slow to import and only needed for non-English or odd
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
    return _checked(parsed.date()) if parsed else None


def _from_epoch(seconds: float) -> str | None:
    if seconds != seconds:  # NaN
        return None
    if abs(seconds) > 1e11:  # milliseconds
        seconds /= 1000.0
    try:
        return _checked(datetime.fromtimestamp(seconds, tz=timezone.utc).date())
    except (OverflowError, OSError, ValueError):
        return None


def _ymd(year: int, month: int, day: int) -> str | None:
    try:
        return _checked(date(year, month, day))
    except ValueError:
        return None


def _checked(day: date) -> str | None:
    return day.isoformat() if MIN_YEAR <= day.year <= MAX_YEAR else None
