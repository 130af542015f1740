"""The shipped sample archive, asked as a new user would, with the real bundled model (slow).

``tests/data/sample_questions.jsonl`` holds natural questions about the articles in ``archive/``
with the fact each answer must contain; ``follows`` names the question asked just before it in the
same chat (its answer is in the history), and ``answerable: false`` marks questions the archive
cannot answer, which must be refused, also right after an on-topic turn.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.indexer import build_index
from assistant.metrics import answer_in_text
from assistant.pipeline import Assistant
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [json.loads(line) for line in (ROOT / "tests/data/sample_questions.jsonl").read_text().splitlines() if line.strip()]
BY_ID = {q["id"]: q for q in QUESTIONS}


def test_the_set_is_well_formed():
    assert len(BY_ID) == len(QUESTIONS)  # ids are unique: a follow-up names the question before it
    assert len([q for q in QUESTIONS if q.get("answerable", True)]) >= 15
    assert any(q.get("follows") for q in QUESTIONS if q.get("answerable", True))
    assert any(q.get("follows") for q in QUESTIONS if not q.get("answerable", True))
    for q in QUESTIONS:
        assert q.get("follows") in (None, *BY_ID)
        assert q.get("answer") or q.get("answerable") is False


@pytest.fixture(scope="module")
def sample_assistant(tmp_path_factory, embedder):
    tmp = tmp_path_factory.mktemp("sample")
    shutil.copytree(ROOT / "archive", tmp / "archive")
    settings = Settings.from_env(archive=tmp / "archive", index=tmp / "index", llm_backend="llama", model="small")
    build_index(settings, embedder=embedder)
    return Assistant(settings, embedder=embedder)


def _history(assistant: Assistant, q: dict, answers: dict) -> list[dict]:
    if not q.get("follows"):
        return []
    before = BY_ID[q["follows"]]
    if before["id"] not in answers:
        answers[before["id"]] = assistant.ask(before["question"], history=_history(assistant, before, answers))
    return [*_history(assistant, before, answers), {"role": "user", "content": before["question"]},
            {"role": "assistant", "content": answers[before["id"]].answer}]


# Measured with the bundled 0.5B model (README, Quality). Session by session: 39 of the 46 answerable questions right
# and cited, every off-archive question refused. The first 16 all pass ("where was he shot" ranks
# the sentence naming a body part first and asks its passage alone; "which newspaper reported
# ..." takes the source an evidence sentence names; "what happened at the Joint Security Area in
# November" is a news question answered with the leads of that month's articles); of the 7 added
# next, "what did doctors say" (the sentence attributed to them), "who fired the warning shots",
# "when did the fog crossing happen", "what is the Joint Security Area" and "who found the
# wounded soldier" (right only through its quote) pass, "how long do defectors take" is refused
# and "was anyone on the southern side hurt" answered wrongly; of the 9 added last, "who said the
# soldier crossed in fog", "what is the second pressure", "what happened after the warning
# shots", "was the fog defector armed", "which outlet reported the warning shots", "what happened
# last month" and "which articles mention Panmunjom" pass, "which route" is refused and "what
# date did the soldier defect at Panmunjom" gets the fog crossing's date; of the 6 added on
# 2026-12-05's second session (fresh questions, all missed before it), "what is this archive
# about" (from the index), "tell me about the fog defection" (each article's sentence on it), "why
# is shooting at the JSA unusual" (the acronym matches "Joint Security Area") and "what risks do
# soldiers face" pass, "why did the guards approach the line" gets the analysts' "because ..."
# sentence and "where did the November defection take place" is refused; of the 3 follow-ups
# added then, "where was he shot?" after the November question passes (its topic words weigh
# less than its own), "did he survive?" after it and "when?" after the warning shots are refused
# (the model copies another sentence; "did he survive?" had been answered "No, the soldier did
# not survive" from "did not resist"). Since 2026-12-05's third session both pass ("Yes, he
# survived"; "21 December 2017", the model's "2017-12-21" written as the passage writes it), as do
# the follow-ups "when did it happen?", "who published it?" and "when was it published?" added
# then, "how many?" after who fired ("How many warning shots?": "20") and "was anyone on the
# southern side hurt?" ("No", from the sentence that denies it); "who shot him?" is refused, and
# "was the fog defector armed?" is refused in this run (it passes with other evidence orders). 39
# of those 46 right. The 9 added on 2026-12-05's fourth session come from a fresh new-user try
# (1 of them right before it): "were there other casualties?" (a sentence answers a yes/no
# question), "tell me about the warning shots" then "what was the date?" and "when did it
# happen?" (a question naming only the kind of answer leans on the turn before), "tell me about
# the November defection" and "which articles are from November?" (a month as an adjective or
# after "from" sets the window; a listing of the month's articles) pass; "how far apart do the
# troops stand" is refused (the model's "13", from a dateline, no longer passes as a distance),
# "what injuries did the defector have" passes (it ranks the body-part sentence first and reads
# its passage alone, like "where was he shot") and "who found the defector in the fog" names the
# defector. The 9 added on 2026-12-05's fifth session (none right before it): "how did the
# defector get hurt?" (a where-hurt question), "what's the newest article?" (a digest), "who
# fired at the soldier in November?" (the doer of "fired" in the best sentence, without the
# model; "who shot him?" above passes the same way since), "is the Joint Security Area inside the
# demilitarised zone?" and "was the soldier flown to hospital?" (a sentence that asserts every
# word of the question, in its order, answers yes) and "what time of day ...?" (a part of the
# day, not a date) pass; "did the guards leave after the warning shots?" (the archive says
# "withdrew") and "was the November defector questioned?" are refused, and "did North Korea fire
# at the defector?" quotes "... as North Korean guards fired at him" (its few words still say
# "warning shots": the December shots, fired by the South, no longer ground a yes). 54 of the 64
# answerable right. On 2026-12-05's sixth session answers taken from the evidence where the model
# fails made "how far apart" ("only metres apart"), "how long do defectors take" ("months or
# years"), "what date at Panmunjom" (the date of the sentence naming Panmunjom) and "where did
# the November defection take place" ("at the Joint Security Area") pass; its 6 fresh questions
# ("where was the November defector hit?", "what do soldiers far from the capital face?", "was
# anyone hurt?" after the warning shots, "how long has the DMZ divided the peninsula?", and two
# the archive does not answer, "how many times was the soldier shot?" and "how long did the
# guards stay?", none right before) pass: 62 of the 68 answerable right. Its seventh session's 4
# fresh questions: "what time did the fog crossing happen?" ("morning", from the evidence where the
# model gave the date), "who spotted him?" after "was he armed?", and "was there any further
# exchange of fire?" pass; "what was the defector being treated for?" (the model quoted the
# questioning) is refused: 65 of the 72 answerable right. Its eighth session answered yes/no
# questions from a sentence that negates or states the question's word in an article about its
# subject ("was the fog defector armed?", "was the November defector questioned?"), a question
# ending in a preposition from the words after it ("treated for gunshot wounds"), and "who did"
# from the doer in a copied sentence; of its 7 fresh questions 6 pass ("was he questioned?" after
# "was he armed?" is refused: the chain started from "the DMZ", which the fog report calls the
# demilitarised zone), among them "was he armed?" after the November shooting, refused now (the
# model had answered from the fog report): 73 of the 78 answerable right, 7 of 7 off-archive
# refused. Its ninth session's 13 fresh questions all pass; 6 of them were wrong or refused before:
# "why has the northern route become harder?" (the sentence that holds the question's words
# instead of the one that holds none), "what is the first pressure analysts point to?" (the fact
# before the colon of the copied sentence), "who wrote the warning shots article?" (an article
# named by two words), "what happened at Panmunjom?" (the sentence, not "Panmunjom was shot"),
# "how close do the troops stand?" (a distance, not the dateline's "13"), "when will the November
# defector be questioned?" ("once his health allowed"); and "tell me about the hospital report"
# quotes that report, not the analysis: 86 of the 91 answerable right. Its tenth session's 13 fresh
# questions: 12 pass, 11 of them wrong or refused before ("where was the November defector
# taken?" had been "Panmunjom"; "did the November defector survive / have surgery?", "what is
# the JSA" (an acronym no article writes), "what happened on 13 November?", "by whom?" after "how
# was the November defector found?", "which outlet wrote about the hospital?", "how many
# articles are from December?", "tell me more about the fog crossing", "what happened next?"
# after the warning shots, "list the defections"), and "what happened on 21 December?" gives
# each of that day's reports (before: the fog crossing alone); "how was the November defector
# found?" itself, answered "The soldier was found" before, is refused: 98 of the 104 answerable
# right. Its eleventh session's 6 fresh questions all pass ("what is the truce village called?"
# had been "Seoul", the wire's dateline; "why did the soldier defect in November?" the place he
# was shot; "compare the fog crossing and the November shooting", "which article is the
# oldest?", "did the guards retreat?" and "was he questioned?" after "was the fog defector
# armed?" were refused), and two older ones now do too ("who found the defector in the fog?"
# from "South Korean guards spotted the man ...", "did the North Korean guards leave after the
# warning shots?" from "... withdrew after the shots"): 106 of the 110 answerable right. Its
# fourteenth session answered "how was the November defector found?" from the words after "was
# found" ("wounded by South Korean troops") and "was he questioned?" after "was he armed?" from
# the sentence that answer quoted ("... who were questioning him"): 108 of 110. Its twenty-sixth
# session's scored stance (``pipeline.Assistant._stance``; on 106 yes/no questions of the dev
# sets 26 more right, 1 more wrong) answers "did North Korea fire at the defector?" "No" from the
# fog crossing's warning shots (two defectors; the gold is the November one): 107 of 110. Its
# twenty-ninth session's 2 fresh questions ask for a reason without "why" ("what led ...?", "for
# what purpose ...?"); read as asking for a name, the first was refused and the second answered
# "South Korean guards came close to the line"; both pass: 109 of 112. Its thirty-first session
# added an eighth off-archive question, "which hospital was he taken to?" after "how did the
# soldier cross the DMZ?" and "was he armed?" (no report names a hospital; answered "The soldier
# was taken to the hospital" before ``grounding.wrong_kind``), refused. The bar is set one below
# that figure so a regression in retrieval, evidence, prompt or grounding fails here.
MIN_RIGHT = 108


@pytest.mark.slow
def test_sample_questions_answered_right_and_cited(sample_assistant):
    answers: dict = {}
    failures, refused_wrongly, right = [], [], 0
    for q in QUESTIONS:
        a = sample_assistant.ask(q["question"], history=_history(sample_assistant, q, answers))
        answers.setdefault(q["id"], a)
        line = (f"{q['id']}: {q['question']!r} -> {a.answer!r} (refused={a.refused}, "
                f"citations={[(c.n, c.supported) for c in a.citations]})")
        if q.get("answerable", True):
            ok = (not a.refused and answer_in_text(q["answer"], a.answer) and a.citations
                  and all(c.supported for c in a.citations) and a.invalid_markers == 0)
            right += ok
            if not ok:
                failures.append(line)
        elif not a.refused:
            refused_wrongly.append(line)
    assert not refused_wrongly, "off-archive questions answered:\n" + "\n".join(refused_wrongly)
    assert right >= MIN_RIGHT, f"{right} right; wrong or refused:\n" + "\n".join(failures)
