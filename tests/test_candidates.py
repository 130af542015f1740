"""Answer-shaped spans of the evidence (``assistant.candidates``)."""
from assistant.candidates import candidates, kind


def test_the_question_decides_the_shape_of_its_answer():
    assert kind("Who did Trump name as his border czar?") == "name"
    assert kind("Which state had more hepatitis A cases than Ohio?") == "name"
    assert kind("In which New Jersey town is the company based?") == "name"
    assert kind("Where at the White House did Trump unveil the tariffs?") == "name"
    assert kind("How many years had Wales waited to play at a World Cup?") == "count"
    assert kind("About how many miles long would the pipeline be?") == "count"
    assert kind("When did agents start approaching landowners?") == "date"
    assert kind("In what year did Washington write the recipe down?") == "date"
    # Nothing of one shape answers these: a yes/no, a why, what someone did.
    assert kind("Was the defector armed?") is None
    assert kind("Why are North Korean soldiers defecting?") is None
    assert kind("What did the minister say about the budget?") is None
    # A work or a kind of thing is no capitalised name, or not reliably one.
    assert kind("On which NPR show did Quentin Tarantino get testy?") is None
    assert kind("Which tactic did Democrats in Texas use to block the vote?") is None
    assert kind("Which movie does Quentin Tarantino think is his best?") is None


def test_names_keep_their_titles_and_places_but_not_a_sentence_opening():
    sentence = ("The texts were sent by Republican Sen. Mike Lee of Utah and GOP Rep. Chip Roy of Texas "
                "to then-White House chief of staff Mark Meadows.")
    found = candidates("Which Texas Republican congressman texted Mark Meadows?", [sentence])
    # Two people joined by "and" are two candidates; Meadows is the question's own name.
    assert found == ["Republican Sen. Mike Lee of Utah", "GOP Rep. Chip Roy of Texas", "White House"]
    assert candidates("Who won?", ["In Paris, Anna Berg won."]) == ["Paris", "Anna Berg"]
    # A span that is half the question's own words is its subject, not its answer.
    assert candidates("Where is Pope Leo XIV spending the summer?",
                      ["United States-born Pope Leo XIV will rest at Castel Gandolfo."]) == ["Castel Gandolfo"]


def test_counts_keep_their_unit_and_dates_their_day():
    assert candidates("How many years had Wales waited?", ["Wales ended a 64-year wait, and 10 and more came."]) \
        == ["64-year", "10"]
    assert candidates("How many people died in 2022?", ["In 2022 the storm killed 290 people."]) == ["290 people"]
    # A sum of money answers "how much will it cost", not the count of people beside it.
    assert candidates("How much will the new system cost?", ["It will cost $12.5 billion, after 67 people died."]) \
        == ["$12.5 billion"]
    assert candidates("When did it start?", ["In the spring of 2007, agents began on Jan. 5, 2008 and on Monday."]) \
        == ["2007", "Jan. 5, 2008", "Monday"]
    # A month and its year are not a month and a day ("March 20" of "March 2024").
    assert candidates("When was the game?", ["The game in March 2024 and the vote on July 20, 2025 ..."]) \
        == ["March 2024", "July 20, 2025"]


def test_spans_come_best_sentence_first_without_repeats_and_at_most_the_limit():
    sentences = ["Anna Berg met Tom Homan.", "Tom Homan met Chip Roy.", "Mark Meadows met Mike Lee."]
    assert candidates("Who met whom?", sentences) == ["Anna Berg", "Tom Homan", "Chip Roy", "Mark Meadows", "Mike Lee"]
    assert candidates("Who met whom?", sentences, limit=2) == ["Anna Berg", "Tom Homan"]
    assert candidates("Why did they meet?", sentences) == []
