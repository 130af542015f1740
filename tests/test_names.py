"""Names a question asks about, and whether an article mentions them (``assistant.names``)."""
from __future__ import annotations

import pytest

from assistant.names import foreign as names_foreign, question_names, question_numbers, unmentioned, unmentioned_numbers
from assistant.names import without_examples


@pytest.mark.parametrize("question, expected", [
    ("The European Commission announced a new budget for the EU totalling how much?", ["European Commission"]),
    ("Which movie does director Quentin Tarantino think is his best?", ["Quentin Tarantino"]),
    # The first word of a sentence is capitalised anyway.
    ("Speaking of states, it is fair season. Which fair is the biggest?", []),
    ("Who scored against Italy in England's Euro semi-final?", ["Italy", "England", "Euro"]),
    # Months and weekdays are the question's time, acronyms are often spelled out by the article.
    ("What happened at the Joint Security Area in November?", ["Joint Security Area"]),
    ("How did the soldier cross the DMZ on Monday?", []),
    ("Why did Ford recall nearly 700,000 SUVs?", ["Ford"]),
    ("What is trending on <em>TikTok</em> and Instagram?", ["TikTok", "Instagram"]),
    ("Why is President Trump angry with the NFL’s Washington Commanders?", ["President Trump", "Washington Commanders"]),
    ("And the South?", ["South"]),
    # A plural possessive keeps no apostrophe: no article writes "Republicans'".
    ("What did Elon Musk call the Republicans' big tax bill?", ["Elon Musk", "Republicans"]),
    # An abbreviated title or place word belongs to the name: its period ends no sentence.
    ("When are the Boeing workers in St. Louis going on strike?", ["Boeing", "St Louis"]),
    ("What did Sen. Jim Banks say about Gov. Mike DeWine?", ["Sen Jim Banks", "Gov Mike DeWine"]),
])
def test_question_names(question, expected):
    assert question_names(question) == expected


def test_a_name_is_mentioned_by_any_of_its_words():
    article = "Trump's proposed budget would slash NASA funding by nearly 25%, from $24.8 billion."
    assert unmentioned("What did President Donald Trump propose for NASA?", article) == []
    assert unmentioned("What did the European Commission propose for the EU budget?", article) == ["European Commission"]
    # Stemmed, and a country's adjective counts as the country.
    assert unmentioned("Why are North Korean soldiers defecting?", "Soldiers from North Korea keep leaving.") == []
    # A spelled-out name is also mentioned by its initials.
    assert unmentioned("What did the European Union decide?", "The EU decided to wait.") == []
    assert unmentioned("What did the European Union decide?", "The bloc decided to wait.") == ["European Union"]
    # A department by its other names.
    q = "When was the game cited in the Education Department's 2025 MIAA probe?"
    assert unmentioned(q, "The DOE said it is investigating the MIAA.") == []
    assert unmentioned(q, "The Department of Education is investigating the MIAA.") == []
    assert unmentioned(q, "The department is investigating the MIAA.") == ["Education Department"]
    assert unmentioned("What did the Justice Department say?", "The DOJ said no.") == []
    # Britain by its other names, as the United States by its.
    q = "Which ex-deputy prime minister of Britain did Meta promote?"
    assert unmentioned(q, "Clegg, the former UK deputy prime minister, leads Meta's policy.") == []
    assert unmentioned("Which British firm won?", "The U.K. firm won.") == []
    assert unmentioned(q, "Clegg, the former deputy prime minister, leads Meta's policy.") == ["Britain"]


def test_a_name_with_a_word_of_its_own_is_not_mentioned_by_its_kind_alone():
    q = "Does Frontier Airlines have a customer service phone number?"
    assert unmentioned(q, "United Airlines says Newark delays won't be fixed soon.") == ["Frontier Airlines"]
    assert unmentioned(q, "Customers can no longer call Frontier and speak to an agent.") == []
    assert unmentioned("When did California's Mosquito Fire start?",
                       "The August Complex Fire started Aug. 17 in California.") == ["Mosquito Fire"]
    # A name made only of such words is mentioned by any of them, as before.
    assert unmentioned("What did the Supreme Court decide?", "The court ruled 6-3.") == []


def test_a_state_that_only_places_a_named_place_need_not_be_written():
    q = "Who was the Millbrook, Alabama police chief when shots were fired?"
    assert unmentioned(q, "Separate shootings in Millbrook leave several wounded.") == []
    assert unmentioned(q, "Separate shootings in Prattville leave several wounded.") == ["Millbrook", "Alabama"]
    assert unmentioned("When did a meteor explode near Florida's Space Coast?",
                       "A meteor trailed across the Space Coast sky.") == []
    # A report that names another state is about a place of that name there.
    assert unmentioned("When did Oregon's Mosquito Fire start?", "The Mosquito Fire, Calif., grew.") == ["Oregon"]
    assert unmentioned("What happened in Alabama?", "Millbrook police said.") == ["Alabama"]
    # Another state is named in full or short: "Mexico" is not New Mexico, "north" not North Carolina.
    q = "Outside which Paramount, California store did clashes erupt?"
    assert unmentioned(q, "Clashes in Paramount, north of the port, over raids on migrants from Mexico.") == []
    assert unmentioned(q, "Clashes in Paramount, N.M., over raids.") == ["California"]


def test_a_hyphenated_pair_of_names_is_mentioned_by_either():
    q = "Where was the Trump-Putin summit held?"
    assert unmentioned(q, "Putin met Trump in Helsinki in 2018.") == []
    assert unmentioned(q, "The Trump-Putin meeting.") == []
    assert unmentioned(q, "Biden spoke in Geneva.") == ["Trump-Putin"]


@pytest.mark.parametrize("question, numbers", [
    ("Which island has been hit by more than 900 earthquakes in the past two weeks?", ["900"]),
    ("The remains of a 3,500-year-old city have been found in which country?", ["3,500"]),
    ("Will Trump's 30% tariffs hit Mexico?", ["30"]),
    ("Which handbag sold for $10 million?", ["10"]),
    ("Which CNN program just celebrated its 20th anniversary?", ["20"]),
    # A year, the day of a date and a number in words pick out no event here.
    ("On July 4, 1776, where did Congress meet?", []),
    ("What happened on 13 November 2017?", []),
    ("Which two actors are reuniting?", []),
    # Part of a name: an article writing "Covid-19" never writes "19" alone.
    ("Which market did the studies point to as the epicenter of Covid-19?", []),
])
def test_the_numbers_a_question_writes(question, numbers):
    assert question_numbers(question) == numbers


def test_a_number_the_article_never_writes_is_unmentioned():
    q = "Which island has been hit by more than 900 earthquakes in the past two weeks?"
    assert unmentioned_numbers(q, "An 8.7-magnitude earthquake struck near Rat Islands.") == ["900"]
    assert unmentioned_numbers(q, "Santorini has had more than 900 earthquakes.") == []
    assert unmentioned_numbers("Which show marked its 20th anniversary?", "The show turns twentieth ...") == []


def test_an_article_holding_few_of_the_questions_words_is_foreign():
    q = "Which once popular diet food is making a comeback thanks to TikTok?"
    assert names_foreign(q, "TikTok's current obsessions: Trader Joe's mini totes and beef tallow in restaurants.")
    assert not names_foreign(q, "Cottage cheese, a once popular diet food, is making a comeback on TikTok.")
    # Quiz words, times and short questions are not held to it.
    assert not names_foreign("Who won in July 2025?", "England beat Spain.")


def test_names_given_as_examples_are_left_out():
    q = "When do the new tariffs on countries like Sri Lanka, Iraq and the Philippines kick in?"
    assert question_names(without_examples(q)) == []
    assert question_names(without_examples("When did Trump meet leaders such as Macron or Starmer in Paris?")) \
        == ["Trump", "Paris"]
    assert without_examples("When did the soldier cross at Panmunjom?") == "When did the soldier cross at Panmunjom?"


def test_a_plural_of_a_name_is_the_name():
    # "Republicans" and "Republican", "Koreans" and "Korea" are one name to the check.
    assert unmentioned("What did the Republicans call the bill?", "The Republican leader called it big.") == []
    assert unmentioned("Why are the North Koreans leaving?", "Soldiers keep leaving North Korea.") == []


def test_a_us_state_written_short_after_a_lawmakers_party_or_a_town_is_mentioned():
    q = "Which Indiana senator told a fired worker 'you probably deserved it'?"
    assert unmentioned(q, "He recorded an interaction with Sen. Jim Banks, R-Ind., telling him ...") == []
    assert unmentioned("What happened in Oregon?", "The man, 40, of Salem, Ore., said ...") == []
    assert unmentioned("Which Ohio senator said it?", "Sen. Bernie Moreno, R-OH, said ...") == []
    # Another state's label, or the abbreviation standing alone, is no mention.
    assert unmentioned(q, "Sen. Tim Kaine, D-Va., said ...") == ["Indiana"]
    assert unmentioned("Who won in Indiana?", "He went to Ind. once.") == ["Indiana"]


def test_a_country_adjective_is_mentioned_by_the_country():
    q = "Which Irish university was behind the 2022 study on walks after meals?"
    assert unmentioned(q, "Blood sugar: a study by the University of Limerick in Ireland found ...") == []
    assert unmentioned(q, "Blood sugar: a study by the University of Leeds found ...") == ["Irish"]
    assert unmentioned("Which French city hosted the 2024 Olympics?", "Paris, France, hosted the Olympics.") == []


def test_an_abbreviation_alone_does_not_mention_a_name():
    q = "When are the Boeing workers in St. Louis going on strike?"
    assert unmentioned(q, "Boeing workers in the St. Louis area are set to strike.") == []
    assert unmentioned(q, "Boeing workers near St. Paul are set to strike.") == ["St Louis"]
    assert unmentioned("What did Sen. Jim Banks say?", "Sen. Tim Kaine said no.") == ["Sen Jim Banks"]


def test_america_is_mentioned_by_the_united_states_other_names():
    q = "When did Lebanon County dedicate its Liberty Tree for America's 250th?"
    assert unmentioned(q, "Liberty Tree planted in Lebanon County to mark US 250th anniversary") == []
    assert unmentioned(q, "Lebanon County marks the 250th anniversary of the U.S. with a Liberty Tree") == []
    assert unmentioned(q, "Liberty Tree planted in Lebanon County to mark 250th anniversary") == ["America"]
    # "US" the pronoun is no mention: its capitals are.
    assert unmentioned(q, "Lebanon County's Liberty Tree: join us for the 250th") == ["America"]
