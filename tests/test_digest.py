"""News questions ("what happened last week?", "what's the latest on X?") recognised, and the
newest articles' leads chosen for them."""
from __future__ import annotations

import datetime as dt

import pytest

from assistant import digest, timeframe
from assistant.types import Document

REF = "2017-12-22"


@pytest.mark.parametrize("question, topic", [
    ("What happened this week?", set()),
    ("What happened last month?", set()),
    ("What's the latest news about defections?", {"defect"}),
    ("What is the latest on the defections?", {"defect"}),
    ("Any news about the defections?", {"defect"}),
    ("What's new?", set()),
    ("What's the newest article?", set()),
    ("Show me the most recent articles on defections", {"defect"}),
    ("What happened at the Joint Security Area in November?", {"joint", "secur", "area"}),
    # The articles of the days named: a librarian's question.
    ("Which articles are from November?", set()),
    ("Show me the stories from December about defections.", {"defect"}),
    ("Which articles are from 2017?", None),  # a whole year is no digest
    # Facts, not the news: the usual path answers them.
    ("What happened after the warning shots?", None),  # no time asked about
    ("What happened in 2017?", None),  # a whole year is no digest
    ("What's the latest beauty trend on TikTok?", None),
    ("What happened to the Tea dating-advice app for women in late July 2025?", None),  # too many topic words
    ("Who reported the news?", None),
    ("How many warning shots were fired this week?", None),
])
def test_news_questions_and_their_topic(question, topic):
    assert digest.asks_for_news(question, timeframe.resolve(question, REF)) == topic


def _doc(id: str, text: str, published: str | None, title: str = "Headline") -> Document:
    return Document(id=id, text=text, title=title, published=published, source="Wire")


def test_the_lead_is_the_first_statement_without_title_or_heading_lines():
    md = _doc("md", "# Defector recovering after surgery\n\nThe soldier was recovering in hospital on Tuesday.",
              "2017-11-14", title="Defector recovering after surgery")
    pdf = _doc("pdf", "Why soldiers are risking the border\nAnalysis - Sample Review, 22 December 2017\n"
                      "A soldier who walked across in fog was the fourth this year. Only weeks earlier another ran.",
               "2017-12-22", title="Why soldiers are risking the border")
    for doc, lead in ((md, "The soldier was recovering in hospital on Tuesday."),
                      (pdf, "A soldier who walked across in fog was the fourth this year.")):
        a, b = digest.lead(doc)
        assert doc.text[a:b] == lead
    assert digest.lead(_doc("x", "Headline only", "2017-12-01")) is None
    # A line about the page is no lead, and a summary's label is not part of it.
    page = _doc("usa", "This page summarizes news on Erin for Tuesday, Aug. 19.\n\nAI-assisted summary Hurricane "
                       "Erin, a Category 4 storm, is churning offshore.", "2025-08-19")
    a, b = digest.lead(page)
    assert page.text[a:b] == "Hurricane Erin, a Category 4 storm, is churning offshore."


def test_the_opening_is_the_lead_and_the_statement_after_it():
    md = _doc("md", "# Defector recovering after surgery\n\nThe soldier was recovering in hospital on Tuesday. "
                    "He had been shot in the shoulder.\n\nOfficials said more.", "2017-11-14",
              title="Defector recovering after surgery")
    a, b = digest.opening(md)
    assert md.text[a:b] == "The soldier was recovering in hospital on Tuesday. He had been shot in the shoulder."
    one = _doc("one", "# Short\n\nThe guards withdrew after the shots.", "2017-11-14", title="Short")
    a, b = digest.opening(one)
    assert one.text[a:b] == "The guards withdrew after the shots."
    assert digest.opening(_doc("x", "Headline only", "2017-12-01")) is None


def test_the_newest_articles_in_the_days_asked_about_that_name_the_topic():
    docs = [_doc("old", "Defections rose last year, officials said.", "2017-10-02"),
            _doc("a", "A soldier defected on Monday at the border.", "2017-11-13"),
            _doc("b", "The soldier who defected was recovering after surgery.", "2017-11-14"),
            _doc("c", "A bakery won the bread prize in the valley.", "2017-11-20"),
            _doc("month", "Defections this month were the highest in years.", "2017-11"),
            _doc("undated", "A soldier defected again, officials said.", None)]
    days = (dt.date(2017, 11, 1), dt.date(2017, 11, 30))
    assert [it.document.id for it in digest.newest(docs, set(), days)] == ["month", "c", "b", "a"]
    assert [it.document.id for it in digest.newest(docs, {"defect"}, days)] == ["month", "b", "a"]
    assert [it.document.id for it in digest.newest(docs, {"defect"}, days, limit=1)] == ["month"]
    assert [it.document.id for it in digest.newest(docs, {"defect"}, None)][-1] == "old"


def test_the_window_is_the_named_days_or_the_recent_past():
    named = timeframe.resolve("What happened last month?", REF)
    assert digest.window(named, REF) == (dt.date(2017, 11, 1), dt.date(2017, 11, 30))
    recent = timeframe.resolve("What's the latest on defections?", REF)
    assert digest.window(recent, REF) == (dt.date(2017, 12, 22) - dt.timedelta(days=digest.RECENT_REACH_DAYS),
                                          dt.date(2017, 12, 22))
    assert digest.window(None, None) is None


@pytest.mark.parametrize("question, topic", [
    ("Which articles mention Panmunjom?", {"panmunjom"}),
    ("Find articles about the fog crossing", {"fog", "cross"}),
    ("What articles discuss defections?", {"defect"}),
    ("Which reports mention Panmunjom in November?", {"panmunjom"}),  # the month is the window
    ("Which articles mention it?", None),  # no topic
    ("Which newspaper reported the shots?", None),  # a fact: the outlet
    # A topic asked about: what each article says on it.
    ("Tell me about the fog defection.", {"fog", "defect"}),
    ("Can you tell me about the warning shots?", {"warn", "shot"}),
    ("What do you know about Panmunjom?", {"panmunjom"}),
    ("What does the archive say about China?", {"china"}),
    ("Give me background on the defections", {"defect"}),
    ("Describe the fog crossing", {"fog", "cross"}),
    ("Describe how the soldier crossed the border", None),  # how: the usual path
    ("Tell me about it", None),  # a follow-up without a topic
    ("Tell me more about the fog crossing", {"fog", "cross"}),
    ("list the defections", {"defect"}),
    ("How do the two defections differ?", {"defect"}),  # one topic: what each article says of it
    # A count of the articles of the days named, whatever they are about.
    ("How many articles are from November?", set()),
    ("How many reports were published last week?", set()),
    ("How many articles are from 2017?", set()),
    ("How many articles are there?", None),  # the archive itself: ``catalog.asks_about_archive``
])
def test_searches_of_the_archive_and_their_topic(question, topic):
    assert digest.asks_for_mentions(question, timeframe.resolve(question, REF)) == topic


@pytest.mark.parametrize("question, sides", [
    ("Compare the fog crossing and the November shooting",
     [("the fog crossing", {"fog", "cross"}), ("the November shooting", {"novemb", "shoot"})]),
    ("How does the fog crossing compare with the bread prize?",
     [("the fog crossing", {"fog", "cross"}), ("the bread prize", {"bread", "prize"})]),
    ("What is the difference between the fog defection and the Panmunjom defection?",
     [("the fog defection", {"fog", "defect"}), ("the Panmunjom defection", {"panmunjom", "defect"})]),
    ("How do the fog crossing and the bread prize differ?",
     [("the fog crossing", {"fog", "cross"}), ("the bread prize", {"bread", "prize"})]),
    ("How did the soldier cross the border?", None),  # a fact, not two topics
    ("Compare them", None),
])
def test_a_comparison_and_its_two_topics(question, sides):
    assert digest.compared(question) == sides


@pytest.mark.parametrize("question, topic", [
    ("Which article is the oldest?", set()),
    ("What's the earliest report on the fog crossing?", {"fog", "cross"}),
    ("Show me the oldest articles", set()),
    ("What is the oldest defector?", None),  # a fact of a kind, not the archive's articles
])
def test_a_question_for_the_oldest_articles(question, topic):
    assert digest.asks_for_oldest(question) == topic


def test_a_search_quotes_the_sentence_that_names_the_topic():
    pdf = _doc("pdf", "Why soldiers are risking the border\nAnalysis - Sample Review\n"
                      "A soldier who walked across in fog was the fourth this year. Another ran across the line at Panmunjom.",
               "2017-12-22", title="Why soldiers are risking the border")
    quiet = _doc("quiet", "A soldier crossed the border. Guards fired warning shots.", "2017-12-21",
                 title="Soldier at Panmunjom")  # the title names it, the text does not
    items = digest.newest([quiet, pdf], {"panmunjom"}, None, naming=True)
    assert [pdf.text[items[0].start:items[0].end], quiet.text[items[1].start:items[1].end]] == [
        "Another ran across the line at Panmunjom.", "A soldier crossed the border."]
    items = digest.newest([pdf], {"soldier"}, None, naming=True)  # named from the first sentence on
    assert pdf.text[items[0].start:items[0].end] == "A soldier who walked across in fog was the fourth this year."


def test_news_on_a_topic_quotes_the_topic_sentence_when_the_lead_says_nothing_of_it():
    jobs = _doc("jobs", "Trump fired the head of the labour statistics office on Friday. "
                        "Economists blamed the new tariffs for the weak hiring.", "2025-08-02")
    steel = _doc("steel", "New tariffs on steel took effect on Monday. Prices rose.", "2025-08-01")
    items = digest.newest([jobs, steel], {"tariff"}, None)
    assert [it.document.text[it.start:it.end] for it in items] == [
        "Economists blamed the new tariffs for the weak hiring.", "New tariffs on steel took effect on Monday."]
    # Without a topic every article keeps its lead.
    assert jobs.text[digest.newest([jobs], set(), None)[0].start:].startswith("Trump fired")


@pytest.mark.parametrize("question, said", [
    ("Which articles mention Zohran Mamdani?", "No article mentions Zohran Mamdani."),
    ("Find reports about the fog crossing.", "No article mentions the fog crossing."),
    ("Tell me about the fog crossing.", None),  # a topic: the evidence may answer it in other words
    ("Who shot him?", None),
])
def test_a_search_that_finds_nothing_says_so(question, said):
    assert digest.nothing_found(question) == said


def test_a_count_of_mentions():
    question = "How many articles mention China?"
    assert digest.asks_for_mentions(question, None) == {"china"} and digest.asks_how_many(question)
    assert not digest.asks_how_many("Which articles mention China?")
    assert digest.mention_count(0, question) == "No article mentions China."
    assert digest.mention_count(1, question) == "1 article mentions China:"
    assert digest.mention_count(3, "How many reports are about the fog?") == "3 reports are about the fog:"
    assert digest.mention_count(12, question) == "12 articles mention China; the newest 5:"
    assert digest.asks_how_many("How many articles are from November?")
    assert digest.mention_count(0, "How many reports were published last week?") == "No report was published last week."
    assert digest.mention_count(3, "How many articles are from December?") == "3 articles are from December:"
    assert digest.mention_count(0, "How many articles mention C++ (the language)?") == \
        "No article mentions C++ (the language)."


def test_holding_reads_words_as_the_stems_do():
    docs = [_doc("a", "Most defectors leave through China.", "2017-12-22"),
            _doc("b", "The soldier defected on Monday; Chinatown was quiet.", "2017-11-13"),
            _doc("c", "Nothing here.", "2017-11-14", title="Defections from the North"),
            _doc("d", "An anti-China protest.", "2017-11-15")]
    assert [d.id for d in digest.holding(docs, {"china"})] == ["a", "d"]  # not "Chinatown"
    assert [d.id for d in digest.holding(docs, {"defect"})] == ["b", "c"]  # the title counts; "defectors" is another stem
    assert digest.holding(docs, {"china", "defect"}) == []


def test_what_happened_next_is_the_statement_after_the_last_one_quoted():
    doc = _doc("shots", "South Korean soldiers fired about 20 warning shots on Thursday. The guards withdrew after "
               "the shots. No one on the southern side was hurt.\n(A sample article.)", "2017-12-21")
    other = _doc("other", "A different report says nothing of the shots at all here.", "2017-12-22")
    assert digest.asks_what_next("What happened next?") and digest.asks_what_next("And then?")
    assert not digest.asks_what_next("What happened at the border?")
    answer = "20 [1]\n\nSouth Korean soldiers fired about 20 warning shots on Thursday. [1]"
    item = digest.next_statement(answer, [other, doc])
    assert item.document is doc and doc.text[item.start:item.end] == "The guards withdrew after the shots."
    # From the last sentence quoted; after the story's end (an editor's note aside), or with nothing quoted: None.
    later = "The guards withdrew after the shots. No one on the southern side was hurt. [1]"
    assert digest.next_statement(later, [doc]) is None
    assert digest.next_statement("The archive does not say.", [doc]) is None
