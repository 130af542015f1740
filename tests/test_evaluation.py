"""Evaluation runs over a tiny real index (real embedder, real FAISS/BM25) with the fake LLM."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation import (ANSWERS_FILE, Question, citation_counts, clean_text, load_questions, parse_question,
                                  run_eval, score_result)
from assistant.indexer import build_index
from assistant.pipeline import Assistant
from assistant.settings import Settings

ARTICLES = [
    {"id": "fog", "title": "Fog closes Harbor City airport", "published": "2024-03-05", "source": "harbor-times.example",
     "url": "https://harbor-times.example/fog",
     "text": "Heavy fog closed Harbor City airport on Tuesday morning. Flights resumed at noon after visibility "
             "improved, airport officials said."},
    {"id": "budget", "title": "Council approves budget", "published": "2024-03-12", "source": "riverside-news.example",
     "url": "https://riverside-news.example/budget",
     "text": "The Riverside city council voted 7-2 on Monday to approve the 2024 budget. The budget includes money "
             "for a new public library."},
    {"id": "bridge", "title": "Riverside bridge to open in 2026", "published": "2024-03-20",
     "source": "riverside-news.example", "url": "https://riverside-news.example/bridge",
     "text": "Mayor Elena Ruiz said the new Riverside bridge will open in 2026. Construction began last spring."},
    {"id": "cheese", "title": "Cheese and nightmares", "published": "2024-03-22", "source": "science-daily.example",
     "url": "https://science-daily.example/cheese",
     "text": "New research suggests that eating cheese late at night may trigger nightmares, scientists at the "
             "University of Basel said."},
]

QUESTION_LINES = [
    '{"id": "q1", "question": "Which airport did heavy fog close?", "answer": "Harbor City airport", '
    '"as_of": "2024-03-06", "expected_sources": ["https://harbor-times.example/fog"]}',
    '{"id": "q2", "question": "Overindulging in which food may trigger <em>nightmares</em>?", '
    '"choices": ["Broccoli", "Chocolate", "Grapes", "Cheese"], "answer_index": 3, "as_of": "2024-03-25"}',
    '{"id": "bad", "question": ',
    '{"id": "q3", "question": "Who won the 1998 chess olympiad in Elista?", "answerable": false}',
    '{"id": "q4", "question": "How did the council vote on the budget?", "answer": ["7-2", "7 to 2"], '
    '"as_of": "2024-03-13", "expected_sources": ["news.jsonl#budget"]}',
    '{"id": "q5", "question": "When will the Riverside bridge open?", "answer": "2026"}',
]
VALID_IDS = ["q1", "q2", "q3", "q4", "q5"]


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    # These tests embed ~30 one-line queries; on a busy 2-core runner torch's thread hand-offs
    # make each take ~1 s instead of ~30 ms. Latency is not under test here.
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    base = tmp_path_factory.mktemp("eval")
    (base / "archive").mkdir()
    (base / "archive" / "news.jsonl").write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n")
    s = Settings(archive=base / "archive", index=base / "index", llm_backend="fake_llm:FakeLLM")
    build_index(s, full=True)
    return s


@pytest.fixture()
def questions_file(tmp_path) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(QUESTION_LINES) + "\n\n")
    return path


def _answers(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / ANSWERS_FILE).read_text().splitlines()]


# ------------------------------------------------------------------------------------ loading


def test_load_questions_skips_malformed_line_and_strips_html(questions_file):
    questions, problems = load_questions(questions_file)
    assert [q.id for q in questions] == VALID_IDS
    assert len(problems) == 1 and problems[0].startswith("line 3: invalid JSON")
    q2 = questions[1]
    assert q2.question == "Overindulging in which food may trigger nightmares?"
    assert q2.multiple_choice and q2.golds == ["Cheese"] and q2.group == "2024-W13"
    assert questions[2].answerable is False and questions[2].group == "undated"
    assert questions[3].answers == ["7-2", "7 to 2"]


def test_load_questions_reports_bad_fields_and_duplicates(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join([
        '{"id": "a", "question": "Q?", "answer": "x"}',
        '{"id": "a", "question": "Again?", "answer": "y"}',
        '{"id": "b", "question": "Q?", "choices": ["x", "y"], "answer_index": 5}',
        '{"id": "c", "question": "Q?", "as_of": "last week"}',
        '[1, 2]',
        '{"id": "d", "answer": "no question"}',
        '{"id": "e", "question": "Q?", "choices": ["x", "y"], "answer": "Y"}',
        '{"id": "f", "question": "Q?", "choices": ' + json.dumps([str(i) for i in range(11)]) + ', "answer_index": 0}',
    ]))
    questions, problems = load_questions(path)
    assert [q.id for q in questions] == ["a", "e"]
    assert questions[1].answer_index == 1
    assert [p.split(":")[0] for p in problems] == ["line 2", "line 3", "line 4", "line 5", "line 6", "line 8"]
    assert "duplicate id 'a'" in problems[0] and "out of range" in problems[1]
    assert "at most 10" in problems[-1]


def test_load_questions_csv(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text(
        "id,question,answer,choices,answer_index,as_of,expected_sources,answerable\n"
        'c1,What <b>closed</b>?,Harbor City airport|the airport,,,2024-03-06,news.jsonl#fog,\n'
        'c2,Which food?,,"[""Broccoli"", ""Cheese""]",1,,,true\n'
        "c3,Who won in Elista?,,,,,,false\n"
        "c4,Broken,,,x,,,\n"
    )
    questions, problems = load_questions(path)
    assert [q.id for q in questions] == ["c1", "c2", "c3"]
    assert questions[0].question == "What closed?" and questions[0].answers == ["Harbor City airport", "the airport"]
    assert questions[0].expected_sources == ["news.jsonl#fog"]
    assert questions[1].choices == ["Broccoli", "Cheese"] and questions[1].answer_index == 1
    assert questions[2].answerable is False
    assert len(problems) == 1 and "answer_index" in problems[0]


def test_clean_text_and_parse_question_defaults():
    assert clean_text("The <em>big</em> &amp; bold  one") == "The big & bold one"
    assert clean_text("2 < 3 and 4 > 1") == "2 < 3 and 4 > 1"
    q = parse_question({"question": "Q?"}, line=7)
    assert q.id == "L7" and q.answerable and q.golds == []


# ------------------------------------------------------------------------------------ scoring


def test_score_result_counts_citations_and_choice():
    q = parse_question({"id": "m", "question": "Which?", "choices": ["Dalai Lama", "Pope Leo XIV"], "answer_index": 0})
    s = score_result(q, {"answer": "Answer: A", "refused": False, "passages": [{"text": "the Dalai Lama said"}]},
                     0.5, generated=True)
    assert s["chosen_index"] == 0 and s["correct"] is True and s["answer_recall"] is True
    # The model reads each passage's title too.
    titled = {"answer": "A", "refused": False, "passages": [{"title": "Dalai Lama names heir", "text": "He said so."}]}
    assert score_result(q, titled, 0.5, generated=True)["answer_recall"] is True
    untitled = {"answer": "A", "refused": False, "passages": [{"title": "Heir named", "text": "He said so."}]}
    assert score_result(q, untitled, 0.5, generated=True)["answer_recall"] is False
    result = {"answer": "Fog closed the airport [1]. Flights resumed [2]. It was cold.",
              "invalid_markers": 2, "unsupported_sentences": ["Flights resumed [2]."]}
    assert citation_counts(result) == {"valid_markers": 2, "invalid_markers": 2, "cited_sentences": 2,
                                       "supported_sentences": 1}
    refused = score_result(q, {"answer": "The archive does not say.", "refused": True}, 0.1, generated=True)
    assert refused["correct"] is False and refused["chosen_index"] is None


def test_open_answers_count_the_replies_sent_back_for_the_fact():
    from assistant.metrics import aggregate

    q = parse_question({"id": "m", "question": "Which?", "choices": ["Dalai Lama", "Pope Leo XIV"], "answer_index": 0})
    sent = {"answer": "Dalai Lama [1]", "refused": False, "shortened": "The Dalai Lama said on Wednesday ... [1]"}
    kept = {"answer": "Dalai Lama [1]", "refused": False, "shortened": None}
    rows = [score_result(q, r, 1.0, generated=True, open_question=True) for r in (sent, kept)]
    assert [r["sent_back"] for r in rows] == [True, False]
    assert aggregate(rows)["sent_back_rate"] == 0.5
    focused = score_result(q, {"answer": "Dalai Lama [1]", "refused": False, "focused": True}, 1.0, generated=True,
                           open_question=True)
    assert focused["focused"] and aggregate([*rows, focused])["focused_rate"] == 1 / 3
    # Multiple choice never sends a reply back: not counted.
    assert "sent_back" not in score_result(q, {"answer": "Answer: A", "refused": False}, 1.0, generated=True)


# ------------------------------------------------------------------------------------ runs


def test_run_eval_writes_reports_with_metrics(settings, questions_file, tmp_path):
    questions, problems = load_questions(questions_file)
    seen: list[tuple[int, int, dict]] = []
    out = tmp_path / "out"
    report = run_eval(Assistant(settings), questions, out, progress=lambda d, t, m: seen.append((d, t, m)),
                      problems=problems, questions_file=questions_file)

    assert [d for d, _, _ in seen] == [1, 2, 3, 4, 5] and all(t == 5 for _, t, _ in seen)
    assert seen[-1][2]["n"] == 5
    for name in ("answers", "report_json", "report_md", "plot"):
        assert report.files[name].exists() and report.files[name].stat().st_size > 0, name
    data = json.loads((out / "report.json").read_text())
    m = data["metrics"]
    for key in ("n", "accuracy", "exact_match", "f1", "answer_recall_at_k", "source_recall_at_k", "mrr",
                "citation_validity", "citation_support", "refusal_rate", "refusal_precision", "refusal_recall",
                "latency_p50_s", "latency_p95_s", "tokens_per_s"):
        assert key in m, key
    assert m["n"] == 5 and m["errors"] == 0
    assert m["accuracy"] in (0.0, 1.0)  # one multiple-choice question
    assert m["source_recall_at_k"] == 1.0 and m["mrr"] == 1.0  # both expected sources are in the archive
    assert m["answer_recall_at_k"] > 0.5
    assert m["refusal_recall"] == 1.0  # the chess question is far from every article
    assert m["latency_p50_s"] > 0
    assert data["settings"]["articles"] == 4 and data["settings"]["machine"]["cpu_count"]
    assert data["problems"] == problems

    records = _answers(out)
    assert [r["id"] for r in records] == VALID_IDS
    q1 = records[0]
    assert q1["result"]["citations"] and q1["scores"]["source_rank"] == 1
    assert records[1]["scores"]["chosen_index"] is not None
    md = (out / "report.md").read_text()
    assert "| accuracy (multiple choice) |" in md and "![" in md and "all-MiniLM-L6-v2" in md
    assert "line 3: invalid JSON" in md


def test_run_eval_resumes_and_repairs_a_torn_line(settings, questions_file, tmp_path):
    questions, _ = load_questions(questions_file)
    out = tmp_path / "out"
    assistant = Assistant(settings)
    first = run_eval(assistant, questions, out, limit=2)
    assert first.answered == 2 and first.metrics["n"] == 2
    with (out / ANSWERS_FILE).open("a") as fh:
        fh.write('{"id": "q3", "mode": "answer", "resu')  # killed mid-write

    asked: list[str] = []
    real_ask = assistant.ask
    assistant.ask = lambda question, **kw: asked.append(question) or real_ask(question, **kw)
    second = run_eval(assistant, questions, out)
    assert second.resumed == 2 and second.answered == 3
    assert len(asked) == 3 and questions[0].question not in asked
    assert [r["id"] for r in _answers(out)] == VALID_IDS
    assert second.metrics["n"] == 5
    assert json.loads((out / "report.json").read_text())["metrics"]["n"] == 5

    with pytest.raises(ValueError, match="another output folder"):
        run_eval(assistant, questions, out, retrieval_only=True)


def test_interrupt_keeps_answers_and_reports(settings, questions_file, tmp_path):
    questions, _ = load_questions(questions_file)
    out = tmp_path / "out"

    def stop_after_two(done, total, metrics):
        if done == 2:
            raise KeyboardInterrupt

    report = run_eval(Assistant(settings), questions, out, progress=stop_after_two)
    assert report.interrupted and report.metrics["n"] == 2
    assert len(_answers(out)) == 2
    assert "Interrupted" in (out / "report.md").read_text()
    again = run_eval(Assistant(settings), questions, out)
    assert again.resumed == 2 and again.answered == 3 and not again.interrupted


class _NoLLM:
    name = "none"

    def busy(self):  # asked before embedding evidence sentences: whether cores are free
        return False

    def __getattr__(self, item):
        raise AssertionError("retrieval-only runs must not generate")


def test_retrieval_only_skips_generation(settings, questions_file, tmp_path):
    questions, _ = load_questions(questions_file)
    report = run_eval(Assistant(settings, llm=_NoLLM()), questions, tmp_path / "out", retrieval_only=True, top_k=2)
    m = report.metrics
    assert m["n"] == 5 and m["source_recall_at_k"] == 1.0 and m["answer_recall_at_k"] > 0.5
    assert m["accuracy"] is None and m["refusal_rate"] is None
    assert report.settings["top_k"] == 2 and report.settings["llm"] is None
    records = _answers(tmp_path / "out")
    assert all(r["mode"] == "retrieval" and len(r["result"]["passages"]) <= 2 for r in records)


def test_a_failing_question_is_listed_and_retried(settings, questions_file, tmp_path):
    questions, _ = load_questions(questions_file)
    assistant = Assistant(settings)
    real_ask = assistant.ask

    def flaky(question, **kw):
        if "bridge" in question:
            raise RuntimeError("boom")
        return real_ask(question, **kw)

    assistant.ask = flaky
    report = run_eval(assistant, questions, tmp_path / "out")
    assert report.metrics["errors"] == 1 and report.errors == ["q5: RuntimeError: boom"]
    assert "q5" not in [r["id"] for r in _answers(tmp_path / "out")]
    assistant.ask = real_ask
    again = run_eval(assistant, questions, tmp_path / "out")
    assert again.answered == 1 and again.metrics["n"] == 5 and again.metrics["errors"] == 0


def test_a_follow_up_is_asked_with_the_chat_before_it(settings, tmp_path):
    path = tmp_path / "chat.jsonl"
    path.write_text("\n".join([
        '{"id": "c1", "question": "Which airport did heavy fog close?", "answer": "Harbor City", "as_of": "2024-03-06"}',
        '{"id": "c2", "question": "When did flights resume?", "answer": "noon", "as_of": "2024-03-06", "follows": "c1"}',
        '{"id": "c3", "question": "And who said so?", "answer": "officials", "as_of": "2024-03-06", "follows": "c2"}',
        '{"id": "x1", "question": "Why?", "answer": "fog", "follows": "x2"}',
        '{"id": "x2", "question": "What closed the airport?", "answer": "fog"}',
    ]) + "\n")
    questions, problems = load_questions(path)
    # A chat is asked in order: a turn that follows a later one is a problem, not a question.
    assert [q.id for q in questions] == ["c1", "c2", "c3", "x2"] and questions[1].follows == "c1"
    assert problems == ["line 4: follows 'x2', which is not an earlier question"]

    assistant = Assistant(settings)
    asked: list[tuple[str, list]] = []
    real_ask = assistant.ask
    assistant.ask = lambda question, history=(), **kw: asked.append((question, list(history))) or real_ask(
        question, history=history, **kw)
    out = tmp_path / "out"
    report = run_eval(assistant, questions, out, open_questions=True)
    assert report.metrics["errors"] == 0
    records = {r["id"]: r for r in _answers(out)}
    first, second, third = asked[0], asked[1], asked[2]
    assert first == ("Which airport did heavy fog close?", [])
    assert second[1] == [{"role": "user", "content": "Which airport did heavy fog close?"},
                         {"role": "assistant", "content": records["c1"]["result"]["answer"]}]
    assert [t["content"] for t in third[1]] == ["Which airport did heavy fog close?", records["c1"]["result"]["answer"],
                                                "When did flights resume?", records["c2"]["result"]["answer"]]
    assert records["c2"]["follows"] == "c1"

    # Resumed: the earlier turns' recorded answers are the history; a turn whose earlier one was
    # never answered (cut off by --limit) is an error, not a question asked alone.
    (out / ANSWERS_FILE).write_text("".join(json.dumps(records[i]) + "\n" for i in ("c1", "c2")))
    asked.clear()
    again = run_eval(assistant, questions, out, open_questions=True)
    assert [q for q, _ in asked] == ["And who said so?", "What closed the airport?"]
    assert asked[0][1][1]["content"] == records["c1"]["result"]["answer"]
    cut = run_eval(assistant, questions[1:2], tmp_path / "cut", open_questions=True)
    assert cut.errors == ["c2: LookupError: follows 'c1', which has no answer in this run"]
    assert again.metrics["errors"] == 0


def test_answer_ceiling_script_finds_where_the_answer_is(settings, embedder):
    """scripts/answer_ceiling.py: the gold answer is in the archive, the chunks and the evidence
    as of a day after its article, and nowhere as of a day before it."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / "answer_ceiling.py"
    spec = importlib.util.spec_from_file_location("answer_ceiling", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    vote = "How did the council vote on the budget?"
    questions = [Question("after", vote, ["7-2"], as_of="2024-03-13"),
                 Question("before", vote, ["7-2"], as_of="2024-03-11"),
                 Question("absent", "Who designed the bridge?", ["Paul Smith"], as_of="2024-12-31")]
    rows = {r["id"]: r for r in module.ceiling(Assistant(settings, embedder=embedder), questions, 8)}
    assert rows["after"]["archive"] and rows["after"]["first_chunk"] == 0 and rows["after"]["read"], rows
    assert rows["after"]["stated"], rows
    nowhere = {"archive": False, "stated": False, "first_chunk": None, "read": False}
    assert rows["before"] == {"id": "before", **nowhere}
    assert rows["absent"] == {"id": "absent", **nowhere}


def test_a_stated_answer_shares_one_sentence_with_the_question():
    """The tighter ceiling: the gold in a sentence with half the question's words, not merely
    somewhere in an article that mentions it."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / "answer_ceiling.py"
    spec = importlib.util.spec_from_file_location("answer_ceiling", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    question = "Which country won the rowing final in Lucerne?"
    said = "The weather was fine. Italy won the rowing final in Lucerne on Sunday."
    by_chance = "Italy is sunny. The rowing final in Lucerne was postponed."
    assert module.stated(["Italy"], question, said)
    assert not module.stated(["Italy"], question, by_chance)
    assert not module.stated(["Spain"], question, said)
