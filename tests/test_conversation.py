"""Which questions lean on the conversation, and their standalone form."""
from __future__ import annotations

from assistant.conversation import looks_like_follow_up, standalone

HISTORY = [{"role": "user", "content": "Why did the North Korean soldier defect?"},
           {"role": "assistant", "content": "Because of fog [1]."}]


def test_follow_up_shapes():
    for q in ("And what did the South say?", "Why?", "Was he armed?", "What about the guards?", "and the South?"):
        assert looks_like_follow_up(q), q
    for q in ("What is the capital of France?", "How many warning shots were fired at the border in December?",
              "Which bakery won the regional bread prize?"):
        assert not looks_like_follow_up(q), q


def test_standalone_prepends_the_previous_topic():
    q = standalone("And what did the South say?", HISTORY)
    assert "North" in q and "Korean" in q and "soldier" in q and q.endswith("And what did the South say?")
    assert "Why" not in q.split()  # question words are not topic
    assert standalone("And the South?", []) == "And the South?"
