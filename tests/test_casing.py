from assistant.casing import all_lower, truecase

TEXTS = [
    "California crews battled the Mosquito Fire on Thursday. The Mosquito Fire ignited Sept. 6 in Placer County, "
    "California, and grew to 100 square miles. Crews fought the Mosquito Fire overnight in California.",
    "Mosquito bites are common in summer. Officials said a mosquito season this long is rare.",
    "The RMT union called a strike. Mick Lynch leads the RMT, the union said.",
]


def test_a_lowercase_question_gets_the_capitals_the_archive_writes():
    assert truecase("when did california's mosquito fire start", TEXTS) == "When did California's Mosquito Fire start"
    assert truecase("who leads the rmt union", TEXTS) == "Who leads the RMT union"


def test_a_capital_seen_once_is_no_evidence():
    # "Won" of a name once, "won" never: a verb is not made a name ("... how many people Won ...").
    assert truecase("how many people won their freedom", ["The coach, Kim Won, said so."]) == \
        "How many people won their freedom"


def test_a_word_written_in_both_cases_about_as_often_keeps_lower_case():
    # "mosquito" is capitalised twice and written lower case once: not more than twice as often.
    texts = ["The Mosquito Fire grew. A mosquito bit him. The Mosquito Fire spread."]
    assert truecase("what did the mosquito do", texts) == "What did the mosquito do"


def test_a_question_with_any_capital_is_left_as_typed():
    assert truecase("When did the mosquito fire start?", TEXTS) == "When did the mosquito fire start?"
    assert not all_lower("Who leads the rmt?") and all_lower("who leads the rmt?") and not all_lower("2024?")


def test_sentence_openers_do_not_count_as_capitals():
    # "Officials" opens its sentence; mid-sentence the archive writes "officials".
    texts = ["Officials said the fire grew. Later officials closed roads. Officials met again."]
    assert truecase("what did officials say", texts) == "What did officials say"
