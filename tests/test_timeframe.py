"""Relative time in questions, resolved against a reference day (2025-07-09 is a Wednesday)."""
from __future__ import annotations

import datetime as dt

import pytest

from assistant.timeframe import (day_named, days_named, drop_stale, elsewhen, predates, relative_day, resolve,
                                 uncovered)
from assistant.types import Passage

REF = "2025-07-09"


@pytest.mark.parametrize("question, start, end", [
    ("What happened this week?", "2025-07-03", "2025-07-09"),
    ("Who resigned last week?", "2025-06-30", "2025-07-06"),
    ("What did the court decide on Tuesday?", "2025-07-08", "2025-07-08"),
    ("What happened last Wednesday?", "2025-07-02", "2025-07-02"),
    ("What did he say yesterday?", "2025-07-08", "2025-07-08"),
    ("Which company recently cut 9,000 jobs?", "2025-06-25", "2025-07-09"),
    ("What happened at the border in November?", "2024-11-01", "2024-11-30"),
    ("What was announced last month?", "2025-06-01", "2025-06-30"),
    # A month as an adjective or after "from" / "during" names it too.
    ("Tell me about the November defection.", "2024-11-01", "2024-11-30"),
    ("Which articles are from March?", "2025-03-01", "2025-03-31"),
    ("What happened during May?", "2025-05-01", "2025-05-31"),
    ("How many cases so far this year?", "2025-01-01", "2025-07-09"),
])
def test_windows(question, start, end):
    frame = resolve(question, REF)
    assert frame is not None and (frame.start, frame.end) == (start, end), frame


def test_no_window():
    assert resolve("How many warning shots were fired?", REF) is None
    assert resolve("What did the New York court decide?", REF) is None  # a name, not "new"
    assert resolve("What happened this week?", None) is None
    assert resolve("What may happen next?", REF) is None  # "may", the verb
    assert resolve("How many people joined the march?", REF) is None  # "march", the noun
    assert resolve("Who spoke during the march in the capital?", REF) is None
    assert resolve("What happened on 13 November?", REF) is None  # an explicit date: the date filters' job


def test_a_day_named_with_its_month_is_the_most_recent_such_day_or_that_of_its_year():
    assert (day_named("What happened on 13 November?", REF).start, day_named("What happened on 13 November?", REF).end) \
        == ("2024-11-13", "2024-11-13")
    assert day_named("What happened on July 10?", REF).start == "2024-07-10"  # the day after REF: a year back
    assert day_named("What was published on the 9th of July?", REF).start == "2025-07-09"
    assert day_named("What happened on November 13, 2017?", REF).start == "2017-11-13"
    for none in ("What happened in November?", "What happened on Feb 30?", "How many were shot on Monday?"):
        assert day_named(none, REF) is None, none
    assert day_named("What happened on 13 November?", None) is None


def test_a_year_is_the_window_when_no_relative_time_is_named():
    frame = resolve("Which artist received the most 2025 MTV Video Music Awards nominations?", REF)
    assert (frame.start, frame.end, frame.phrase) == ("2025-01-01", REF, "2025")
    assert resolve("Who won the 2017 election?", REF).end == "2017-12-31"
    # A relative phrase is narrower than the year; a later year is the future, not a window.
    assert resolve("England beat which nation on Sunday to win the 2025 women's Euros?", REF).phrase == "on Sunday"
    assert resolve("Which politician decided against running for governor in 2026?", REF) is None
    # The year of an asteroid's designation names the rock, not a time.
    assert resolve("On what day in 2046 might asteroid 2023 DW strike Earth?", "2023-03-09") is None
    assert resolve("How close did asteroid 2024 YR4 come in 2024?", REF).phrase == "2024"


def _passage(doc_id: str, published: str | None) -> Passage:
    return Passage(chunk_id=0, doc_id=doc_id, text="text", start=0, end=4, title="", published=published,
                   source="", url=None, path="")


def test_evidence_from_well_before_the_window_is_dropped_when_enough_is_left():
    frame = resolve("Who won the 2025 final?", REF)
    old, undated, december = _passage("old", "2024-06-30"), _passage("undated", None), _passage("dec", "2024-12")
    recent = [_passage(f"new{i}", "2025-07-0%d" % i) for i in range(1, 3)]
    kept = drop_stale([old, *recent, undated, december], frame)
    # Undated articles stay, and so does a month date whose period reaches the window's slack.
    assert [p.doc_id for p in kept] == ["new1", "new2", "undated", "dec"]
    # Too little would be left: nothing is dropped.
    assert drop_stale([old, *recent], frame) == [old, *recent]
    assert drop_stale([old, *recent], None) == [old, *recent]


def test_days_after_the_newest_article_are_uncovered():
    week = resolve("What happened this week?", REF)  # 2025-07-03 to 2025-07-09
    assert uncovered(week, "2025-07-02") and not uncovered(week, "2025-07-03")
    assert uncovered(resolve("Who won the 2025 final?", REF), "2024-12-31")
    assert uncovered(resolve("What did the court decide on Tuesday?", REF), "2025-07-07")
    # Recency words ask for the newest the archive knows, not for named days.
    assert not uncovered(resolve("Which company recently cut 9,000 jobs?", REF), "2025-01-01")
    assert not uncovered(None, "2025-01-01") and not uncovered(week, None)


def test_an_article_from_well_before_the_time_asked_about_predates_it():
    week = resolve("What happened this week?", REF)  # 2025-07-03 to 2025-07-09, a week's slack
    assert predates(week, "2025-06-25") and not predates(week, "2025-06-26") and not predates(week, "2025-07-09")
    assert predates(resolve("Who won the 2025 final?", REF), "2024-12-01")
    assert not predates(resolve("Who won the 2025 final?", REF), "2024-12") # the month reaches the slack
    # Recency words are looser: half a year back from the day asked.
    recent = resolve("Which company recently cut 9,000 jobs?", REF)
    assert not predates(recent, "2025-03-01") and predates(recent, "2024-12-31")
    assert not predates(None, "2001-01-01") and not predates(week, None)


def test_days_a_sentence_names_take_the_year_of_their_article():

    assert days_named("Only weeks earlier, on 13 November, another soldier was shot.", "2017-12-22") == [
        dt.date(2017, 11, 13)]
    # A day after publication is last year's; "may" the verb and "Mayor" are no months.
    assert days_named("The cable of December 30 warned that officials may act.", "2018-01-05") == [
        dt.date(2017, 12, 30)]
    assert days_named("Mayor Adams said he may run.", "2025-07-01") == []
    assert days_named("Mayor 12 of the list, Marches 3 and 4.", "2025-07-01") == []
    assert days_named("It fell on July 3, 2025.", None) == [dt.date(2025, 7, 3)]
    # Abbreviated months, with their full stop.
    assert days_named("He was fired on Aug. 14 and charged on Sept. 2.", "2025-09-05") == [
        dt.date(2025, 8, 14), dt.date(2025, 9, 2)]


def test_a_sentence_about_other_days_than_those_asked_about():
    frame = resolve("Why did the December defector leave North Korea?", "2017-12-22")
    recalled = "Only weeks earlier, on 13 November, another soldier was shot by his own side."
    assert elsewhen(frame, recalled, "2017-12-22")
    assert not elsewhen(frame, "A soldier walked across in thick fog on 21 December 2017.", "2017-12-22")
    # No day named, or no named days asked about: nothing to compare.
    assert not elsewhen(frame, "Analysts point to two pressures.", "2017-12-22")
    assert not elsewhen(resolve("What is the latest on defections?", "2017-12-22"), recalled, "2017-12-22")
    assert not elsewhen(None, recalled, "2017-12-22")


def test_a_day_still_to_come_in_the_year_asked_about():
    # Asked in August about "the 2024 VMAs", an article of the day says they are in September:
    # neither last year's September nor past the question's year.
    frame = resolve("When are the 2024 MTV Video Music Awards?", "2024-08-16")
    assert (frame.end, frame.last) == ("2024-08-16", "2024-12-31")
    upcoming = "The 40th annual MTV Video Music Awards are Wednesday, Sept. 11 at 7 p.m."
    assert not elsewhen(frame, upcoming, "2024-08-16")
    assert days_named(upcoming, "2024-08-16") == [dt.date(2023, 9, 11)]
    assert days_named(upcoming, "2024-08-16", upcoming=True) == [dt.date(2024, 9, 11), dt.date(2023, 9, 11)]
    # A day of another year is still another day.
    assert elsewhen(frame, "The show was first held on Sept. 14, 1984.", "2024-08-16")


@pytest.mark.parametrize("sentence, published, expected", [
    # Past by default: the last such weekday on or before publication (a Tuesday here).
    ("A North Korean soldier defected on Monday at the Joint Security Area.", "2017-11-14", ("Monday", "2017-11-13")),
    ("The soldier crossed on Tuesday morning.", "2017-11-14", ("Tuesday", "2017-11-14")),
    # Future words point forward (published on a Friday).
    ("On Monday, a NASA spacecraft will deliberately slam into an asteroid.", "2022-09-23", ("Monday", "2022-09-26")),
    ("Ernesto is expected to reach Bermuda on Saturday.", "2024-08-15", ("Saturday", "2024-08-17")),
    ("The vote is set for next Friday.", "2024-08-02", ("Friday", "2024-08-09")),
    ("It happened last Friday.", "2024-08-02", ("Friday", "2024-07-26")),
    ("Officials said so yesterday.", "2017-11-14", ("yesterday", "2017-11-13")),
    ("The results come out tomorrow.", "2017-11-14", ("tomorrow", "2017-11-15")),
])
def test_a_relative_day_is_counted_from_publication(sentence, published, expected):
    word, day = relative_day(sentence, published)
    assert (word, day.isoformat()) == expected


def test_no_relative_day_without_a_day_of_publication_or_with_a_written_date():
    assert relative_day("It happened on Friday.", "2024-08") is None
    assert relative_day("It happened on Friday.", None) is None
    assert relative_day("The VMAs are Wednesday, Sept. 11 at 7 p.m.", "2024-08-01") is None
    assert relative_day("The council met in March.", "2024-08-01") is None
    # As the time of what is told: "a testy Wednesday debate" is no date of the election asked about.
    debate = "The candidates crossed swords during a testy Wednesday debate."
    assert relative_day(debate, "2025-03-12")[1].isoformat() == "2025-03-12"
    assert relative_day(debate, "2025-03-12", adverbial=True) is None
    assert relative_day("The debate was held on Wednesday.", "2025-03-12", adverbial=True)[0] == "Wednesday"
    assert relative_day("Today the fire is half contained.", "2025-03-12", adverbial=True) is None
    assert relative_day("The fire started yesterday.", "2025-03-12", adverbial=True)[0] == "yesterday"
    debby = ("The storm became Tropical Storm Debby on Saturday afternoon and is expected to hit the Big Bend, "
             "forecasters said Saturday afternoon.")
    assert relative_day(debby, "2024-08-03", adverbial=True) is None
