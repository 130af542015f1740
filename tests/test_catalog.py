"""Questions about the archive's records (``assistant.catalog``): the archive itself, and an
article's date, outlet and authors."""
from __future__ import annotations

import pytest

from assistant import catalog
from assistant.types import Document


def _doc(id: str, text: str, published: str | None, title: str = "Headline", source: str = "Wire",
         authors: list[str] | None = None) -> Document:
    return Document(id=id, text=text, title=title, published=published, source=source, authors=authors or [])


@pytest.mark.parametrize("question, about_archive", [
    ("What is this archive about?", True),
    ("What's in the archive?", True),
    ("What does the collection cover?", True),
    ("What topics does the archive cover?", True),
    ("How many articles are there?", True),
    ("Which outlets are in the archive?", True),
    ("What sources are there?", True),
    ("What can I ask?", True),
    ("Give me an overview.", True),
    ("Summarize the archive", True),
    ("List all articles", True),
    ("Show me the articles in the archive", True),
    # What the archive says, not what it holds.
    ("What does the archive say about the fog crossing?", False),
    ("What do you know about the fog?", False),
    ("Which articles mention Panmunjom?", False),
    ("Which newspaper reported the shots?", False),
    ("How many articles mention China?", False),
    ("List the articles about the fog", False),  # a search
    ("What is the Joint Security Area?", False),
])
def test_questions_about_the_archive_itself(question, about_archive):
    assert catalog.asks_about_archive(question) is about_archive


def test_the_overview_counts_articles_outlets_and_days():
    docs = [_doc("a", "x", "2017-11-13"), _doc("b", "x", "2017-12-21"), _doc("c", "x", None),
            Document(id="d", text="x", title="t", published="2017-12", source="Ledger")]
    assert catalog.overview(docs) == ("The archive holds 4 articles from 2 outlets (Wire and Ledger), "
                                     "published 2017-11-13 to 2017-12-31 (1 undated).")
    many = [Document(id=str(i), text="x", title="t", published="2020-01-01", source=f"Outlet {i % 7}")
            for i in range(15)]
    assert catalog.overview(many) == ("The archive holds 15 articles from 7 outlets (Outlet 0, Outlet 1, Outlet 2, "
                                     "Outlet 3, Outlet 4 and 2 more), published 2020-01-01.")
    assert catalog.overview([]) == "The archive holds no articles."


@pytest.mark.parametrize("question, asked", [
    ("When was the analysis published?", ("date", {"analysi"})),
    ("What is the date of the wire report?", ("date", {"wire"})),
    ("Who published the article about the fog crossing?", ("outlet", {"fog", "cross"})),
    ("Which outlet published the report on the warning shots?", ("outlet", {"warn", "shot"})),
    ("Where was the analysis published?", ("outlet", {"analysi"})),
    ("Who wrote the hospital report?", ("author", {"hospit"})),
    # A few words before the kind of article name it (it was missed with more than one).
    ("Who wrote the warning shots article?", ("author", {"warn", "shot"})),
    ("When was the fog defection report published?", ("date", {"fog", "defect"})),
    # The outlet of the article on a topic; not whom a report cites.
    ("Which outlet wrote about the hospital?", ("outlet", {"hospit"})),
    ("Which newspaper ran a story on the warning shots?", ("outlet", {"warn", "shot"})),
    ("Which newspaper reported where the defector had been shot?", None),
    # No article named, or no record asked for.
    ("When was the article published?", None),
    ("When was the [1] report published?", None),  # an earlier answer's source: not in the question
    ("When was the soldier questioned?", None),
    ("Which outlet reported the warning shots?", None),  # who reported the event: the evidence says
    ("Who reported the shooting?", None),
])
def test_questions_for_an_articles_record(question, asked):
    assert catalog.asks_for_record(question) == asked


@pytest.mark.parametrize("question, one", [
    ("Tell me about the hospital report.", True),
    ("Summarize the fog defection story", True),
    ("Tell me about the fog defection.", False),  # a subject, not an article
    ("Tell me about the analysis.", False),  # its kind alone: the topic's sentences answer it
    ("Find the articles about the fog.", False),  # articles
])
def test_a_request_that_names_one_article(question, one):
    assert catalog.names_article(question) is one


def test_the_article_meant_holds_the_description_most():
    hospital = _doc("md", "He was recovering in hospital after surgery. He was flown to hospital.", "2017-11-14",
                    title="Defector recovering after surgery", source="Peninsula Ledger", authors=["Ledger staff"])
    wire = _doc("wire", "He was taken by helicopter to a hospital.", "2017-11-13", title="Soldier defects",
                source="Sample Wire")
    fog = _doc("fog", "A man crossed in thick fog.", "2017-12-21", title="Soldier crosses border in fog",
               source="Morning Bulletin")
    docs = [wire, hospital, fog]
    assert catalog.described(docs, {"hospit"}) == [hospital]  # mentions it most
    assert catalog.described(docs, {"wire"}) == [wire]  # its outlet
    assert catalog.described(docs, {"fog", "cross"}) == [fog]
    assert catalog.described(docs, {"world", "cup"}) == []
    assert catalog.described(docs, {"soldier"}) == [wire, fog]  # a tie names both, in retrieval order


def test_the_record_sentence():
    doc = _doc("a", "x", "2017-11-14", title="Defector recovering", source="Peninsula Ledger",
               authors=["Ann Lee", "Bo Kim"])
    assert catalog.record("date", doc) == "“Defector recovering” (Peninsula Ledger) was published on 2017-11-14."
    assert catalog.record("outlet", doc) == "Peninsula Ledger published “Defector recovering” on 2017-11-14."
    assert catalog.record("author", doc) == "“Defector recovering” (Peninsula Ledger, 2017-11-14) is by Ann Lee and Bo Kim."
    bare = _doc("b", "x", None, title="Untitled note", source="", authors=[])
    assert catalog.record("date", bare) == "The archive has no publication date for “Untitled note”."
    assert catalog.record("outlet", bare) == "The archive does not record who published “Untitled note”."
    assert catalog.record("author", bare) == "The archive records no author for “Untitled note”."
    assert catalog.record("date", _doc("c", "x", "2017-12", title="T")) == "“T” (Wire) was published in 2017-12."


@pytest.mark.parametrize("question, asked", [
    ("Who wrote it?", ("author", False)), ("When was it published?", ("date", False)),
    ("Who published that article?", ("outlet", False)), ("Which newspaper published it?", ("outlet", False)),
    ("When were those published?", ("date", True)), ("Who wrote those articles?", ("author", True)),
    ("Who wrote the hospital report?", None),  # names its article: ``asks_for_record``
    ("When was the soldier questioned?", None), ("Who shot him?", None),
    # What comes out or is released is the chat's subject (a cartoon, a film), not the article.
    ("When did it come out?", None), ("When was it released?", None),
    ("When did that story come out?", ("date", False)),  # names the article
])
def test_record_questions_about_an_earlier_answers_article(question, asked):
    assert catalog.asks_for_earlier_record(question) == asked


def test_the_articles_an_answer_quoted():
    hospital = _doc("md", "He was recovering in hospital after surgery, doctors said.\nHe was flown there.",
                    "2017-11-14", title="Defector recovering")
    fog = _doc("fog", "A man crossed the border in thick fog on Thursday morning.", "2017-12-21", title="Fog")
    answer = ("Thick fog [2]\n\nA man crossed the border in thick fog on Thursday morning. [2]\n\n"
              "He was recovering in hospital after surgery, doctors said. [1]")
    assert catalog.quoted_docs(answer, [hospital, fog]) == [fog, hospital]  # in the answer's order
    assert catalog.quoted_docs("About 20 [1]", [hospital, fog]) == []  # too short to tell
    assert catalog.quoted_docs("The archive does not say.", [hospital, fog]) == []
