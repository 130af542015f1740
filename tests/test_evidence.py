"""Sentence evidence chosen from retrieved chunks (``assistant.evidence``), with the real embedder."""
from __future__ import annotations

import pytest

from assistant import evidence
from assistant.types import Document, Passage


def _doc(doc_id: str, title: str, text: str, published: str) -> Document:
    return Document(id=doc_id, text=text, title=title, published=published, source="Wire", url=None, path=doc_id)


def _chunk(doc: Document, rank: int) -> Passage:
    return Passage(chunk_id=rank, doc_id=doc.id, text=doc.text, start=0, end=len(doc.text), title=doc.title,
                   published=doc.published, source=doc.source, url=None, path=doc.path, dense_score=0.5)


OLD = _doc("old", "Final result", "Storm City won the league final against Port Ellis. "
           "The bakery on the corner sold out of bread before noon.", "2022-07-31")
NEW = _doc("new", "Final result", "Storm City won the league final against Lindholm. "
           "Fans gathered in the square after the match ended.", "2025-07-27")
DOCS = {d.id: d for d in (OLD, NEW)}


def _select(encode, budget=1000):
    fits = lambda ps: sum(len(p.text) for p in ps) <= budget  # noqa: E731
    return evidence.select("Who did Storm City beat in the league final?", [_chunk(OLD, 0), _chunk(NEW, 1)],
                           encode, DOCS.__getitem__, fits)


def test_evidence_spans_are_exact_document_slices_within_the_budget(embedder):
    ev = _select(embedder.encode, budget=120)
    assert ev.passages and sum(len(p.text) for p in ev.passages) <= 120
    for p in ev.passages:
        assert DOCS[p.doc_id].text[p.start:p.end] == p.text
    assert "league final" in ev.passages[0].text


def test_answer_type_of_common_questions():
    assert evidence.answer_type("Why are soldiers defecting?") is evidence._CAUSAL
    assert evidence.answer_type("How many shots were fired?") is evidence._NUMBER
    assert evidence.answer_type("When did he cross?") is evidence._WHEN
    assert evidence.answer_type("What time of day did he cross?") is evidence._TIME_OF_DAY
    assert evidence._TIME_OF_DAY.search("He crossed on Thursday morning") and evidence._TIME_OF_DAY.search("at 7:35 p.m.")
    assert evidence.answer_type("Which country hosted the summit?") is evidence._NAME
    assert evidence.answer_type("Which newspaper reported the shooting?") is evidence.ATTRIBUTION
    assert evidence.answer_type("What happened at the border?") is None
    assert evidence.answer_type("Where was the defector shot?") is evidence._BODY
    assert evidence.answer_type("Which newspaper reported where he was shot?") is evidence.ATTRIBUTION


@pytest.mark.parametrize("question, reason", [
    ("Why did the guards approach the line?", True),
    ("And why?", True),
    ("How come the soldiers fired?", True),
    ("What prompted the warning shots?", True),
    ("What led the soldier to defect?", True),
    ("What reason did the officials give for the closure?", True),
    ("For what purpose did the city buy laser pointers?", True),
    ("What was the aim of the vote?", True),
    ("What did the minister say was the main reason for the delay?", True),
    ("Who led the team?", False),
    ("What is the name of the show?", False),
    ("How many shots were fired?", False),
])
def test_a_reason_is_asked_in_many_words(question, reason):
    # Asked "What prompted ...?" instead of "Why ...?", a question was read as asking for a name.
    assert evidence.asks_reason(question) is reason
    assert (evidence.answer_type(question) is evidence._CAUSAL) is reason


@pytest.mark.parametrize("question, hurt", [
    ("Where was the defector shot?", True),
    ("And where was he wounded?", True),
    ("Where was he hit?", True),
    ("What injuries did the defector have?", True),
    ("How badly was the soldier hurt?", False),
    ("How did the defector get hurt?", True),
    ("How was he injured?", True),
    ("How did he get to hospital?", False),
    ("What injuries did the storm cause to the economy?", True),  # the bonus then finds no body part
    ("What did the injured soldier say?", False),
    ("Where did the guards fire?", False),
    ("Where was the wounded soldier flown?", False),  # where he was taken, not where he was hit
    ("Where was the soldier shot at Panmunjom?", True),
    ("Which app, where women share dates, was hurt by a hack?", False),  # a relative clause
    ("Which newspaper reported where the defector had been shot?", False),
])
def test_where_hurt_questions(question, hurt):
    assert evidence.asks_where_hurt(question) is hurt


def test_a_where_shot_question_ranks_the_body_part_first(embedder, monkeypatch):
    """Every report of the incident names the place; only one says where the bullets struck (the
    sample archive's "Where was the defector shot?" was answered "Panmunjom")."""
    doc = _doc("ledger", "Defector recovering after surgery", "The defector who was shot at the Joint Security "
               "Area in Panmunjom on Monday was recovering in hospital on Tuesday, officials said. "
               "According to the Korea JoongAng Daily, the soldier had been shot in the shoulder and the elbow as "
               "guards fired at him. Defectors who cross there risk being shot by their own side.", "2017-11-14")

    def first(question):
        ev = evidence.select(question, [_chunk(doc, 0)], embedder.encode, {doc.id: doc}.__getitem__, lambda ps: True)
        return ev.sentences[0].text

    assert first("Where was the defector shot?").startswith("According to the Korea JoongAng Daily")
    monkeypatch.setattr(evidence, "BODY_BONUS", 0.0)
    assert not first("Where was the defector shot?").startswith("According to the Korea JoongAng Daily")


def test_cached_sentence_vectors_match_fresh_ones_and_stay_bounded(embedder, monkeypatch):
    import numpy as np

    from assistant import embedder as embedder_module

    texts = ["The guards withdrew after the shots.", "Fog covered the border.", "The guards withdrew after the shots."]
    fresh = embedder.encode(texts)
    assert np.allclose(embedder.encode_cached(texts), fresh, atol=1e-5)
    calls = []
    real = embedder.encode
    monkeypatch.setattr(embedder, "encode", lambda t, **kw: calls.append(list(t)) or real(t, **kw))
    again = embedder.encode_cached(["Fog covered the border.", "A new sentence about the border."])
    assert calls == [["A new sentence about the border."]]  # only the unseen text is embedded
    assert np.allclose(again[0], fresh[1], atol=1e-5)
    monkeypatch.setattr(embedder_module, "CACHED_VECTORS", 2)
    embedder.encode_cached(["one more sentence", "and another one"])
    assert len(embedder._vectors) == 2


def test_evidence_sentences_are_embedded_in_small_batches_with_the_same_vectors(embedder, monkeypatch):
    # A batch is padded to its longest text: a dateline and a long quote in one batch of 64 cost
    # the quote's length 64 times over (benchmarks/bench_evidence_embedding.py).
    import numpy as np

    from assistant.embedder import SENTENCE_BATCH

    texts = [f"Sentence {i} about the border." + " The guards fired warning shots at dawn." * (i % 7)
             for i in range(40)]
    whole = embedder.encode(texts, batch_size=64)
    sizes = []
    real = embedder.model.encode
    monkeypatch.setattr(embedder.model, "encode", lambda t, **kw: sizes.append(kw["batch_size"]) or real(t, **kw))
    assert np.allclose(embedder.encode_cached(texts), whole, atol=1e-5)
    assert sizes == [SENTENCE_BATCH] and SENTENCE_BATCH < len(texts)


def test_a_sentence_that_refers_back_brings_what_it_refers_to(embedder):
    # The retrieved chunk starts at "The first is ...": what "the first" is (a pressure) lies in
    # the sentence before, outside the chunk, and must be read with it.
    doc = _doc("why", "Why soldiers are leaving", "Soldiers keep crossing the line this year. Analysts point to two "
               "pressures. The first is the economy: food is scarce and pay is low. The second is tighter "
               "surveillance on the northern route. The weather stayed cold all week.", "2017-12-22")
    start = doc.text.index("The first")
    chunk = Passage(chunk_id=0, doc_id=doc.id, text=doc.text[start:], start=start, end=len(doc.text), title=doc.title,
                    published=doc.published, source=doc.source, url=None, path=doc.path, dense_score=0.5)
    ev = evidence.select("Why are soldiers leaving the army?", [chunk], embedder.encode, {doc.id: doc}.__getitem__,
                         lambda ps: sum(len(p.text) for p in ps) <= 400)
    joined = " ".join(p.text for p in ev.passages)
    assert "Analysts point to two pressures. The first is the economy" in joined
    for p in ev.passages:
        assert doc.text[p.start:p.end] == p.text
    # Two steps back at most, and never into a cut-off sentence.
    second = doc.text.index("The second")
    assert evidence._referent_start(doc, second) == doc.text.index("Analysts")
    assert evidence._referent_start(doc, doc.text.index("Analysts")) == 0


def test_a_why_question_ranks_the_sentence_that_gives_a_reason_first(embedder):
    """In one story every sentence shares the question's words; the reason must still come first
    (at the general answer-type bonus it ranked third here)."""
    doc = _doc("story", "Why North Korean soldiers are defecting", "A North Korean soldier defected to the South on Thursday. "
               "He was the fourth North Korean soldier to defect to the South this year. "
               "The first is North Korea's economic situation: ordinary soldiers far from the capital face poor food, "
               "and hardship pushes them to leave. "
               "North Korean soldiers who defect risk being shot by their own side. "
               "Another North Korean soldier defected at the truce village in November.", "2017-12-22")
    ev = evidence.select("Why are North Korean soldiers defecting?", [_chunk(doc, 0)], embedder.encode,
                         {doc.id: doc}.__getitem__, lambda ps: True)
    assert ev.sentences[0].text.startswith("The first is North Korea's economic situation")


def test_a_what_happened_question_ranks_an_articles_lead_first(embedder, monkeypatch):
    """The lead states what happened; without the lead bonus a later sentence on the place asked
    about ranked first (the sample archive's "What happened at the JSA in November?")."""
    doc = _doc("wire", "Soldier defects at truce village", "SEOUL, 13 November 2017 - A North Korean soldier defected "
               "to South Korea on Monday at the Joint Security Area, officials said. The Joint Security Area, which "
               "lies inside the demilitarised zone, is one of the few places where the two militaries face each "
               "other at close range, and shooting there is especially unusual.", "2017-11-13")

    def first(question):
        ev = evidence.select(question, [_chunk(doc, 0)], embedder.encode, {doc.id: doc}.__getitem__, lambda ps: True)
        return ev.sentences[0].text

    question = "What happened at the Joint Security Area in November?"
    assert first(question).startswith("SEOUL, 13 November 2017 - A North Korean soldier defected")
    monkeypatch.setattr(evidence, "LEAD_BONUS", 0.0)
    assert first(question).startswith("The Joint Security Area, which")


@pytest.mark.parametrize("text, stated", [
    ("Horner was sacked on Wednesday after 20 years in charge of the team.\nMore text follows here.", True),
    ("What led to Red Bull Formula 1 team principal's exit\nHorner was sacked.", False),  # subheading
    ("Why did Trump drop Jared Isaacman as NASA nominee?\nHe said so.", False),  # a question
    ("By Anna Berg, staff writer\nText.", False),  # under six words
    ("The report said the soldiers were withdrawn from the line after the", True),  # cut off by the chunk
    ("Analysts point to two pressures. The first is the economy.", True),  # short, but runs on
    ("Analysts point to two pressures.\nThe first is the economy.", False),  # a short line of its own
    ("Staff report. SEOUL - The guards withdrew.", False),  # two words
])
def test_a_heading_or_question_is_not_a_statement(text, stated):
    # The first sentence: up to the line's end or the first full stop, whichever comes first.
    end = min([len(text)] + [text.index(c) + len(c) - 1 for c in ("\n", ". ") if c in text])
    assert evidence.not_a_statement(text, 0, end) is not stated


def test_an_acronym_of_the_question_matches_the_name_it_stands_for(embedder):
    doc = _doc("wire", "Soldier defects", "A soldier was shot on Monday as he ran across the line. "
               "The Joint Security Area, which lies inside the demilitarised zone, is one of the few places where "
               "the two militaries face each other at close range, and shooting there is especially unusual.",
               "2017-11-13")
    groups = evidence.split_candidates([_chunk(doc, 0)])
    evidence.score_sentences("Why is shooting at the JSA unusual?", groups, embedder.encode)
    spelled, other = groups[0][1], groups[0][0]
    assert "jsa" in spelled.terms and "jsa" not in other.terms
    assert spelled.lexical == 1.0
    # Only exact initials count, and only for an acronym the question asks about.
    groups = evidence.split_candidates([_chunk(doc, 0)])
    evidence.score_sentences("Why is shooting at the JSB unusual?", groups, embedder.encode)
    assert not any("jsb" in s.terms for s in groups[0])
    # The embedder reads the name too: "What is the JSA?" alone is far from every sentence.
    seen = []

    def encode(texts):
        seen.append(texts[0])
        return embedder.encode(texts)

    groups = evidence.split_candidates([_chunk(doc, 0)])
    evidence.score_sentences("What is the JSA?", groups, encode)
    assert seen == ["What is the JSA (Joint Security Area)?"]
    bare, sentence = embedder.encode(["What is the JSA?", groups[0][1].text])
    assert groups[0][1].dense > float(bare @ sentence) + 0.1


def test_a_follow_up_ranks_the_sentence_an_earlier_answer_quoted_first(embedder):
    """"When?" after an answer on the December warning shots: two reports share the topic's words
    and both carry a date; the one the chat's answer quoted is the story under discussion."""
    nov = _doc("nov", "Soldier shot at truce village", "Warning shots were fired at the truce village on Monday, "
               "13 November, as a soldier ran across the line.", "2017-11-13")
    dec = _doc("dec", "Warning shots at the border", "South Korean soldiers fired about 20 warning shots on Thursday, "
               "21 December 2017, at North Korean guards.", "2017-12-21")
    docs = {d.id: d for d in (nov, dec)}

    def first(said=()):
        ev = evidence.select("When?", [_chunk(nov, 0), _chunk(dec, 1)], embedder.encode, docs.__getitem__,
                             lambda ps: True, context="warning shots fired", said=said)
        return ev.sentences[0].passage.doc_id

    assert first() == "nov"
    answer = ("About 20 [2]\n\nSouth Korean soldiers fired about 20 warning shots on Thursday, 21 December 2017, "
              "at North Korean guards. [2]")
    assert first([answer]) == "dec"


def test_a_word_with_a_negative_prefix_matches_the_questions_word(embedder):
    doc = _doc("fog", "Soldier crosses in fog", "The soldier crossed the border in thick fog on Thursday morning. "
               "He was unarmed and was taken into custody by South Korean troops.", "2017-12-21")
    groups = evidence.split_candidates([_chunk(doc, 0)])
    evidence.score_sentences("Was the soldier armed?", groups, embedder.encode)
    fog, unarmed = groups[0]
    assert "arm" in unarmed.terms and unarmed.score > fog.score
    # "under" is not a negated "der": only a question's own word counts.
    groups = evidence.split_candidates([_chunk(_doc("u", "T", "He was under fire at the line that day.", "2017"), 0)])
    evidence.score_sentences("Was he armed?", groups, embedder.encode)
    assert groups[0][0].terms == evidence.content_terms("He was under fire at the line that day.")


@pytest.mark.parametrize("sentence, place", [
    ("According to the Korea JoongAng Daily, the soldier had been shot in the shoulder and the elbow as North "
     "Korean guards fired at him.", "in the shoulder and the elbow"),
    ("He was shot in the back, police said.", "in the back"),
    ("The man suffered wounds to his chest, neck and left leg.", "to his chest, neck and left leg"),
    ("The town was hit by the storm at Panmunjom.", None),
])
def test_where_on_the_body_a_sentence_places_a_wound(sentence, place):
    assert evidence.where_on_body(sentence) == place


@pytest.mark.parametrize("text, page", [
    ("This page summarizes news on Erin for Tuesday, Aug. 19.", True),
    ("This page reflects the news from Sean \"Diddy\" Combs' trial on Wednesday, June 25.", True),
    ("For the latest news on Hurricane Erin, visit USA TODAY's coverage for Wednesday, Aug. 20.", True),
    ("This page of history was written by the storm that hit the coast in 1900.", False),
    ("Hurricane Erin is a Category 4 storm churning offshore.", False),
])
def test_a_line_about_the_page(text, page):
    assert evidence.about_the_page(text, 0, len(text)) is page


@pytest.mark.parametrize("sentence, back", [
    ("Joining them is civil rights activist Amanda Nguyen and filmmaker Kerianne Flynn.", True),
    ("Among them were two children.", True),
    ("The first is North Korea's economic situation.", True),
    ("Joining the crew is filmmaker Kerianne Flynn.", False),
    ("With more guards on the northern route, the path has become harder.", False),
])
def test_a_sentence_that_refers_back_to_the_one_before(sentence, back):
    # "Joining them ..." names who "them" are only in the sentence before it.
    assert bool(evidence.REFERS_BACK.match(sentence)) is back


def test_an_option_is_supported_by_the_sentence_that_names_it_with_the_questions_rare_words():
    text = ("Apple is cutting jobs in the division that builds its retail stores, the company said. "
            "Microsoft will cut 9,000 jobs in its latest round of cost-reduction measures. "
            "Shares of Sony rose on Tuesday.")
    doc = _doc("jobs", "Tech layoffs", text, "2025-07-03")
    options = ["Apple", "Microsoft", "Sony", "IBM"]
    support = evidence.option_support("Which tech company cut 9,000 jobs as part of cost-reduction measures?",
                                      options, [_chunk(doc, 0)])
    assert support.index(max(support)) == 1
    assert support[1] > support[0] > support[2]  # Apple's sentence holds "jobs" and "company" only
    assert support[3] == 0.0  # named nowhere
    assert all(0.0 <= s <= 1.0 for s in support)
    # Whole words, as the contains metric compares: "Sony" is not in "Sonya", "9" not in "9,000".
    other = _doc("x", "x", "Sonya Park said 9,000 jobs went.", "2025-07-03")
    assert evidence.option_support("Who said the jobs went?", ["Sony", "9"], [_chunk(other, 0)]) == [0.0, 0.0]
    assert evidence.option_support("", options, [_chunk(doc, 0)]) == [0.0] * 4


def test_an_option_gets_no_support_from_the_questions_own_words_nor_for_an_odd_one_out():
    doc = _doc("court", "Backlog", "Judges in England met the minister on Monday. "
               "Juries could be scrapped to clear the trial backlog, the former official said.", "2025-07-09")
    question = "A former senior judge says courts in England could clear their trial backlog by scrapping what?"
    support = evidence.option_support(question, ["Judges", "Juries"], [_chunk(doc, 0)])
    assert support[1] > support[0] > 0, support
    # "Judges" gets nothing from echoing "judge": the same support as if the question lacked it.
    without = evidence.option_support(question.replace("judge ", ""), ["Judges"], [_chunk(doc, 0)])
    assert without[0] == pytest.approx(support[0])
    teams = _doc("euro", "Quarter-finals", "Sweden, England and France reached the quarter-finals of the Euros.",
                 "2025-07-20")
    assert evidence.option_support("Which of these nations did not make it to the quarter-finals?",
                                   ["Sweden", "England", "France", "Portugal"], [_chunk(teams, 0)]) == [0.0] * 4

