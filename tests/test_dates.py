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


# ---- precision, periods, filter dates ---------------------------------------------------------

from assistant.dates import (  # noqa: E402
    InvalidDateError,
    check_filter_date,
    date_bounds,
    dateline_date,
    parse_date,
    precision_of,
)


@pytest.mark.parametrize("value, iso, precision", [
    ("2017-12-21", "2017-12-21", "day"),
    ("December 2017", "2017-12", "month"),
    ("2017-12", "2017-12", "month"),
    ("diciembre de 2017", "2017-12", "month"),
    ("21. Dezember 2017", "2017-12-21", "day"),
    ("1er décembre 2017", "2017-12-01", "day"),
    ("21 de diciembre de 2017", "2017-12-21", "day"),
    ("21.12.2017", "2017-12-21", "day"),
    ("the 21st of December 2017", "2017-12-21", "day"),
])
def test_parse_date_keeps_precision(value, iso, precision):
    parsed = parse_date(value)
    assert (parsed.iso, parsed.precision) == (iso, precision)


def test_bare_year_only_where_allowed():
    assert parse_date("2017") is None and parse_date(2017) is None
    assert parse_date("2017", allow_year=True).precision == "year"
    assert parse_date(2017, allow_year=True).iso == "2017"  # yaml `date: 2017`


def test_periods_of_imprecise_dates():
    assert date_bounds("2017-12") == (date(2017, 12, 1), date(2017, 12, 31))
    assert date_bounds("2016-02") == (date(2016, 2, 1), date(2016, 2, 29))
    assert date_bounds("2017") == (date(2017, 1, 1), date(2017, 12, 31))
    assert date_bounds("2017-12-21") == (date(2017, 12, 21), date(2017, 12, 21))
    assert date_bounds(None) is None and date_bounds("junk") is None
    assert [precision_of(x) for x in ("2017-12-21", "2017-12", "2017", None)] == ["day", "month", "year", "unknown"]


@pytest.mark.parametrize("value", ["garbage", "2017-13-01", "2017-02-30", "21/12/2017", "2017-12", "20171221", "2017"])
def test_invalid_filter_dates_give_one_clear_error(value):
    from assistant.types import Filters

    for name in ("since", "until", "as_of"):
        with pytest.raises(InvalidDateError, match=rf"invalid date '{value}' for {name}: use YYYY-MM-DD"):
            Filters(**{name: value})
    with pytest.raises(ValueError):  # InvalidDateError is a ValueError
        check_filter_date(value, "--until")


def test_valid_filter_dates():
    from assistant.types import Filters

    f = Filters(since=date(2017, 1, 2), until="2017-12-31", as_of="", sources=["x"])
    assert (f.since, f.until, f.as_of) == ("2017-01-02", "2017-12-31", None)
    assert Filters().include_undated is None
    assert Filters().undated_pass(as_of=True) is False and Filters().undated_pass(as_of=False) is True
    assert Filters(include_undated=True).undated_pass(as_of=True) is True
    assert Filters(include_undated=False).undated_pass(as_of=False) is False


def test_cli_rejects_invalid_dates_with_the_same_message():
    from typer.testing import CliRunner

    from assistant.cli import app

    result = CliRunner().invoke(app, ["ask", "question?", "--until", "garbage"])
    assert result.exit_code == 2
    assert "invalid date 'garbage' for --until: use YYYY-MM-DD" in " ".join(result.output.split())


@pytest.mark.parametrize("text, expected", [
    ("SEOUL, Dec. 21, 2017 - A soldier", "2017-12-21"),
    ("BERLIN, 14. November 2017 (dpa) – Der Rat", "2017-11-14"),
    ("PARIS, 1er décembre 2017 (AFP) - Le conseil", "2017-12-01"),
    ("MADRID, 5 de febrero de 2018 (EFE).- El consejo", "2018-02-05"),
    ("Published: 3 September 2015. The bridge", "2015-09-03"),
    ("Tuesday, November 14, 2017 The council", "2017-11-14"),
    ("Updated: Nov. 15, 2017. The buses", None),  # an update stamp is not a publication date
    ("Updated 15 Nov 2017 · Published 14 Nov 2017 The", "2017-11-14"),
    ("© 14 Nov 2017 Courier", None),
    ("The council voted on 3 October 2017 to raise", None),  # an event inside the first sentence
    ("A quiet day at the harbour, nothing to report on 3 October 2017", None),
])
def test_datelines(text, expected):
    found = dateline_date(text)
    assert (found.iso if found else None) == expected


def test_ui_shows_imprecise_and_creation_dates_as_such():
    from assistant import ui

    assert ui.format_date("2017-12") == "2017-12 (month)"
    assert ui.format_date("2017") == "2017 (year)"
    assert ui.format_date("2017-11-14") == "2017-11-14"
    assert ui.format_date("2017-11-14", source="pdf-creation-date") == "2017-11-14 (file created)"
    assert ui.format_date(None) == "date unknown"
    assert "2017\\-12 \\(month\\)" in ui.source_label(1, "T", "S", "2017-12")
    assert "\\(file created\\)" in ui.source_label(1, "T", "S", "2017-11-14", date_source="pdf-creation-date")


def test_document_precision_defaults_for_old_rows():
    from assistant.types import Document

    assert Document(id="a", text="t", title="t", published="2017-12-21").date_precision == "day"
    assert Document(id="a", text="t", title="t", published="2017-12").date_precision == "month"
    assert Document(id="a", text="t", title="t").date_precision == "unknown"
    assert Document(id="a", text="t", title="t", date_precision="day").date_precision == "unknown"
