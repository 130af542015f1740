"""Relative time in questions, resolved against a reference day (2025-07-09 is a Wednesday)."""
from __future__ import annotations

import pytest

from assistant.timeframe import resolve

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
    ("How many cases so far this year?", "2025-01-01", "2025-07-09"),
])
def test_windows(question, start, end):
    frame = resolve(question, REF)
    assert frame is not None and (frame.start, frame.end) == (start, end), frame


def test_no_window():
    assert resolve("How many warning shots were fired?", REF) is None
    assert resolve("What did the New York court decide?", REF) is None  # a name, not "new"
    assert resolve("What happened this week?", None) is None
