"""normalise_date: the forms archives use, and junk that must not become a date."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from assistant.dates import normalise_date


@pytest.mark.parametrize(
    "value",
    [
        "2017-12-21",
        "21 December 2017",
        "December 21, 2017",
        "Dec 21, 2017",
        "Dec. 21 2017",
        "Thu, 21 Dec 2017 10:00:00 +0900",
        "2017-12-21T10:00:00Z",
        "2017-12-21T10:00:00.123+09:00",
        "2017-12-21 10:00",
        "D:20171221103000+09'00'",
        "D:20171221",
        "20171221",
        "21/12/2017",
        "Published on 21 December 2017",
        "Updated: Dec 21, 2017 09:00 KST",
        "21. Dezember 2017",
        datetime(2017, 12, 21, 23, 59),
        date(2017, 12, 21),
        1513850400,  # 2017-12-21T10:00:00Z in epoch seconds
        1513850400000,  # ... and milliseconds
        "1513850400",
        b"2017-12-21",
    ],
)
def test_forms_of_the_same_day(value):
    assert normalise_date(value) == "2017-12-21"


def test_timestamp_keeps_the_day_it_was_written_in():
    # Late evening in New York is already the next day in UTC; the written day wins.
    assert normalise_date("2017-12-21T23:30:00-05:00") == "2017-12-21"
    assert normalise_date(datetime(2017, 12, 21, 23, 30, tzinfo=timezone(timedelta(hours=-5)))) == "2017-12-21"


def test_month_precision_becomes_first_of_month():
    assert normalise_date("December 2017") == "2017-12-01"
    assert normalise_date("2017-12") == "2017-12-01"
    assert normalise_date("Dec 2017") == "2017-12-01"


@pytest.mark.parametrize(
    "value",
    [
        None, "", "   ", "hello", "not a date at all", "2017", "5", "May", "Thursday",
        "21 December", "December 21", "Monday, December 21",  # no year: never borrow today's
        "yesterday", "today", "2 days ago", "now",
        "2017-13-45", "2017-02-30", "D:2017", "0001-01-01", "9999-12-31",
        True, False, float("nan"), [], {}, object(), b"\xff\xfe\x00",
        "x" * 500,
    ],
)
def test_junk_is_none(value):
    assert normalise_date(value) is None


def test_never_returns_today_for_garbage():
    today = date.today().isoformat()
    for junk in ["garbage", "soon", "next week", "the other day", "12:30", "tonight"]:
        assert normalise_date(junk) is None, junk
    assert normalise_date(today) == today  # a real date still passes through
