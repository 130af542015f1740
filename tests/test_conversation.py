"""Which questions lean on the conversation, and their standalone form."""
from __future__ import annotations

import pytest

from assistant.conversation import looks_like_follow_up, split_compound, standalone

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


@pytest.mark.parametrize("question, parts", [
    ("Why are North Korean soldiers defecting, and how many did so this year?",
     ["Why are North Korean soldiers defecting?", "How many did so this year?"]),
    ("Which city hosted the summit and who attended?", ["Which city hosted the summit?", "Who attended?"]),
    ("Who won the race? And by how much?", ["Who won the race?", "And by how much?"]),
])
def test_a_message_asking_two_questions_is_split(question, parts):
    assert split_compound(question) == parts


@pytest.mark.parametrize("question", [
    "Who won and how?",  # one event, asked two ways
    "What is the gap between what they said and what they did?",  # question words inside one question
    "Who won? I need it for a story.",  # the second sentence asks nothing
    "How many warning shots were fired?",
    "Who is he? What did he do? Why? When?",  # more parts than answered separately
])
def test_one_question_stays_whole(question):
    assert split_compound(question) == [question]
