"""Which questions lean on the conversation, and their standalone form."""
from __future__ import annotations

import pytest

from assistant.conversation import (by_whom, counted, for_model, leans_on_history, looks_like_follow_up, of_anyone,
                                    refers_back, said, split_compound, standalone, subject, topic, unnamed)

HISTORY = [{"role": "user", "content": "Why did the North Korean soldier defect?"},
           {"role": "assistant", "content": "Because of fog [1]."}]


def test_follow_up_shapes():
    for q in ("And what did the South say?", "Why?", "Was he armed?", "What about the guards?", "and the South?"):
        assert looks_like_follow_up(q), q
    for q in ("What is the capital of France?", "How many warning shots were fired at the border in December?",
              "Which bakery won the regional bread prize?"):
        assert not looks_like_follow_up(q), q


def test_standalone_adds_the_previous_topic_after_the_question():
    q = standalone("And what did the South say?", HISTORY)
    # The question first: its form says what kind of answer is wanted.
    assert q == "And what did the South say? North Korean soldier defect"
    assert standalone("And the South?", []) == "And the South?"


def _chat(*questions: str) -> list[dict]:
    return [m for q in questions for m in ({"role": "user", "content": q}, {"role": "assistant", "content": "x"})]


def test_a_chain_of_follow_ups_keeps_the_topic_of_the_question_they_lean_on():
    history = _chat("Who fired the warning shots?", "How many?")
    assert topic(history) == "fired warning shots"  # "How many?" names no topic of its own
    history = _chat("What happened at the Joint Security Area in November?", "Who shot him?")
    assert standalone("Did he survive?", history) == "Did he survive? Joint Security Area November shot"
    # A question that stands alone starts the topic afresh.
    history = _chat("What happened at the Joint Security Area in November?", "How many warning shots were fired?")
    assert topic(history) == "warning shots fired"
    # A question that names only the kind of answer wanted leans on the turn before it too.
    history = _chat("Tell me about the warning shots.", "What was the date?")
    assert topic(history) == "warning shots"
    assert standalone("When did it happen?", history) == "When did it happen? warning shots"
    # Who "he" is comes from the turn the chain started from alone.
    history = _chat("Who crossed the border in the fog?", "Was he armed?")
    assert subject(history) == "crossed border fog" and topic(history) == "crossed border fog armed"
    assert subject(_chat("What happened at the Joint Security Area in November?")) == "Joint Security Area November"
    assert subject(_chat("Tell me about the hospital report")) == "hospital"
    assert subject([]) == ""
    # A yes/no question's last word is what it asked of its subject, not who the subject is;
    # an object after "the" or a preposition stays.
    assert subject(_chat("Was the soldier who crossed in the fog armed?")) == "soldier crossed fog"
    assert subject(_chat("Is the JSA inside the DMZ?")) == "JSA DMZ"


@pytest.mark.parametrize("question, leans", [
    ("When?", True), ("How many?", True), ("Why?", True),
    ("Who shot him?", True), ("Did he survive?", True), ("Where was he shot?", True),
    ("What was the date?", True), ("What is the name?", True),
    ("What is the capital of France?", False), ("What was the date of the election?", False),
    ("How many warning shots were fired at the border in December?", False),
    ("Why did the North Korean soldier say he left the army?", False),  # "he" has its noun here
])
def test_questions_that_cannot_stand_alone(question, leans):
    assert leans_on_history(question) is leans


@pytest.mark.parametrize("question, anyone", [
    ("Was anyone killed?", True), ("Did anybody die?", True), ("Was someone arrested?", True),
    ("Was anyone on the southern side hurt?", False),  # it names whom it asks about
    ("Who killed the soldier?", False), ("Was the soldier hurt?", False),
])
def test_a_question_about_anyone_with_no_topic_of_its_own(question, anyone):
    assert of_anyone(question) is anyone
    # It is searched with the earlier turn's topic, yet answered as a question of its own.
    assert not leans_on_history(question)


@pytest.mark.parametrize("question, bare", [
    ("How many people died?", True), ("What happened next?", True), ("Who won?", True),
    ("How many people died in Myanmar?", False),  # a name picks out the event
    ("How many died in the 2011 quake?", False),  # so does a number
    ("Is it common for soldiers to defect across borders?", False),
])
def test_a_short_question_that_names_nothing_is_searched_with_the_topic(question, bare):
    assert unnamed(question) is bare


@pytest.mark.parametrize("question, back", [
    ("Where was the show held?", True),  # "the show": the one asked about before
    ("The show was held where?", True),
    ("Why does the president think he turned against it?", True),
    ("How many people in the state had the virus killed so far?", True),
    ("How many people were evacuated?", True),  # two words of its own
    ("What is the capital of France?", False),  # a name of its own
    ("Why are North Korean soldiers defecting?", False),
    ("How many warning shots were fired?", False),  # three words of its own, nothing pointed at
    ("How many died in the 2011 quake?", False),  # a number picks out the event
])
def test_a_question_that_points_back_and_names_nothing_is_searched_with_the_topic(question, back):
    assert refers_back(question) is back


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


def test_a_follow_up_is_about_what_the_answers_it_leans_on_quoted():
    history = [{"role": "user", "content": "What happened at the Joint Security Area?"},
               {"role": "assistant", "content": "A soldier defected [1]."},
               {"role": "user", "content": "How many warning shots were fired?"},
               {"role": "assistant", "content": "20 [1]\n\nSoldiers fired about 20 warning shots. [1]"},
               {"role": "user", "content": "Why?"},
               {"role": "assistant", "content": "To keep the guards back [2]"}]
    # "When?" leans on "Why?", which leans on the warning-shots question: both answers count,
    # the one before the topic changed does not.
    assert said(history) == ["20 [1]\n\nSoldiers fired about 20 warning shots. [1]", "To keep the guards back [2]"]
    assert said([]) == []


def test_the_model_is_asked_a_follow_up_with_the_questions_it_follows():
    history = _chat("Who fired warning shots in December?", "Why?")
    assert for_model("When?", history) == "When? (follow-up to: Who fired warning shots in December? Why?)"
    assert for_model("When?", []) == "When?"


def test_a_bare_how_many_counts_the_things_the_earlier_question_named():
    history = [{"role": "user", "content": "Who fired the warning shots?"},
               {"role": "assistant", "content": "South Korean soldiers [1]"}]
    assert counted("How many?", history) == "How many warning shots?"
    assert counted("And how many?", history) == "How many warning shots?"
    # Through a follow-up that leans on it, back to the question that stood alone.
    longer = [*history, {"role": "user", "content": "When?"}, {"role": "assistant", "content": "21 December [1]"}]
    assert counted("How many?", longer) == "How many warning shots?"
    # Nothing plural named, another question, or no chat: as it was.
    assert counted("How many?", [{"role": "user", "content": "What happened at the border?"}]) == "How many?"
    assert counted("How much?", history) == "How much?"
    assert counted("How many shots?", history) == "How many shots?"
    assert counted("How many?", []) == "How many?"


def test_by_whom_asks_who_did_the_deed_the_earlier_question_asked_about():
    def chat(q):
        return [{"role": "user", "content": q}, {"role": "assistant", "content": "Wounded [1]"}]

    assert by_whom("By whom?", chat("How was the November defector found?")) == "Who found the November defector?"
    assert by_whom("And by whom?", chat("Was he questioned?")) == "Who questioned him?"
    assert by_whom("By whom?", chat("Was the soldier flown to hospital?")) == "Who flew the soldier to hospital?"
    # No deed done to anyone, another question, or no chat: as it was.
    assert by_whom("By whom?", chat("Who fired the warning shots?")) == "By whom?"
    assert by_whom("Who by?", []) == "Who by?"
    assert by_whom("Why?", chat("Was he questioned?")) == "Why?"
