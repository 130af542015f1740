"""Run a question set through the assistant and score it.

Questions come from JSON Lines (one object a line) or CSV with the same column names; see
``load_questions``. ``run_eval`` asks every question through ``Assistant.ask`` (the code path of
``archivist ask``) or, with ``retrieval_only``, only ``Assistant.retrieve``; it appends one record
per question to ``OUT/answers.jsonl`` as it goes and then writes ``report.json``, ``report.md``
and ``report.png`` (see ``assistant.report``).

Limits:
- Resuming matches questions by ``id`` only: if a question's text changes under the same id, the
  old answer is kept. A run directory holds one mode (answers or retrieval-only); mixing raises.
- A question that raises inside the pipeline is listed under ``errors`` and not written to
  ``answers.jsonl``, so a rerun retries it; index and model problems are raised before the first
  question instead.
- Multiple-choice accuracy counts answerable questions only; unanswerable ones are scored by the
  refusal metrics. A refused multiple-choice question counts as wrong.
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from . import metrics as M
from .markers import parse_markers, strip_markers
from .pipeline import retrieval_query
from .prompts import LETTERS, parse_choice as prompt_parse_choice
from .sentences import split_sentences
from .types import Filters

if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import Assistant

ANSWERS_FILE = "answers.jsonl"
Progress = Callable[[int, int, dict], None]

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Question:
    id: str
    question: str
    answers: list[str] = field(default_factory=list)  # acceptable answer variants
    choices: list[str] = field(default_factory=list)
    answer_index: int | None = None
    as_of: str | None = None
    expected_sources: list[str] = field(default_factory=list)
    answerable: bool = True
    line: int = 0  # where it was read, for messages
    # The id of the question this one follows in a chat ("When did it happen?" after the question
    # that named the event): it is asked with that turn, and the turns before it, as history.
    follows: str | None = None

    @property
    def multiple_choice(self) -> bool:
        return bool(self.choices)

    @property
    def golds(self) -> list[str]:
        """Answer strings to look for: the variants, plus the right choice's text."""
        golds = list(self.answers)
        if self.answer_index is not None and self.choices:
            right = self.choices[self.answer_index]
            if right not in golds:
                golds.insert(0, right)
        return golds

    @property
    def group(self) -> str:
        """Report group: the ISO week of ``as_of`` ("2025-W27"), or "undated"."""
        if not self.as_of:
            return "undated"
        year, week, _ = dt.date.fromisoformat(self.as_of).isocalendar()
        return f"{year}-W{week:02d}"


@dataclass
class EvalReport:
    out_dir: Path
    metrics: dict[str, Any]
    settings: dict[str, Any]
    groups: dict[str, dict[str, Any]]
    total: int  # questions in scope (after ``limit``)
    answered: int  # answered by this call
    resumed: int  # taken over from an earlier run in the same directory
    errors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # question-file lines that were skipped
    interrupted: bool = False
    files: dict[str, Path] = field(default_factory=dict)


# ------------------------------------------------------------------------------------ questions


def clean_text(text: str) -> str:
    """Drop stray HTML tags (``<em>``) and entities from question-set text."""
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def _as_list(value: Any, name: str) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                value = json.loads(stripped)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{name} is not a valid JSON list") from exc
        elif "|" in stripped:
            value = stripped.split("|")
        else:
            value = [stripped]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise ValueError(f"{name} must be a list of strings")
    return [clean_text(str(v)) for v in value if str(v).strip()]


def _as_bool(value: Any, name: str) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "y"):
        return True
    if text in ("false", "0", "no", "n"):
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def parse_question(raw: Mapping[str, Any], line: int = 0) -> Question:
    """One question from a JSON object or CSV row; raises ValueError with a short reason."""
    if not isinstance(raw, Mapping):
        raise ValueError("expected a JSON object")
    text = clean_text(str(raw.get("question") or ""))
    if not text:
        raise ValueError("missing question")
    qid = raw.get("id")
    qid = f"L{line}" if qid is None or str(qid).strip() == "" else str(qid).strip()
    answers = _as_list(raw.get("answer"), "answer")
    choices = _as_list(raw.get("choices"), "choices")
    expected = [s.strip() for s in _as_list(raw.get("expected_sources"), "expected_sources")]
    answerable = _as_bool(raw.get("answerable"), "answerable")
    as_of = raw.get("as_of") or None
    if as_of is not None:
        as_of = str(as_of).strip()
        try:
            if not _DATE.match(as_of):
                raise ValueError
            dt.date.fromisoformat(as_of)
        except ValueError:
            raise ValueError(f"as_of must be YYYY-MM-DD, not {as_of!r}") from None
    follows = str(raw.get("follows") or "").strip() or None
    index = raw.get("answer_index")
    if index is not None and index != "":
        if isinstance(index, bool) or not str(index).strip().lstrip("-").isdigit():
            raise ValueError(f"answer_index must be an integer, not {index!r}")
        index = int(str(index).strip())
        if not choices:
            raise ValueError("answer_index given without choices")
        if not 0 <= index < len(choices):
            raise ValueError(f"answer_index {index} out of range for {len(choices)} choices")
    else:
        index = None
    if choices and len(choices) < 2:
        raise ValueError("choices needs at least two options")
    if len(choices) > len(LETTERS):
        raise ValueError(f"choices has {len(choices)} options; at most {len(LETTERS)} (letters A-{LETTERS[-1]})")
    if choices and index is None and answers:
        norm = [M.normalize_answer(c) for c in choices]
        hits = [norm.index(M.normalize_answer(a)) for a in answers if M.normalize_answer(a) in norm]
        if not hits:
            raise ValueError("answer is not one of the choices")
        index = hits[0]
    if choices and index is None and answerable:
        raise ValueError("multiple-choice question without answer or answer_index")
    return Question(
        id=qid,
        question=text,
        answers=answers,
        choices=choices,
        answer_index=index,
        as_of=as_of,
        expected_sources=expected,
        answerable=answerable,
        line=line,
        follows=follows,
    )


def _rows(path: Path) -> Iterable[tuple[int, Any]]:
    """(line number, parsed object or the exception it raised) for each non-blank entry."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        for row in reader:
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            yield reader.line_num, {k.strip(): v for k, v in row.items() if k}
        return
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, ValueError(f"invalid JSON ({exc.msg}, column {exc.colno})")


def load_questions(path: Path) -> tuple[list[Question], list[str]]:
    """Read a question set: ``(questions, problems)``. A bad line becomes a problem such as
    ``"line 3: invalid JSON (...)"`` and is skipped; so is a repeated id."""
    path = Path(path)
    questions: list[Question] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, raw in _rows(path):
        try:
            if isinstance(raw, Exception):
                raise raw
            q = parse_question(raw, number)
        except ValueError as exc:
            problems.append(f"line {number}: {exc}")
            continue
        if q.id in seen:
            problems.append(f"line {number}: duplicate id {q.id!r} (first on line {seen[q.id]})")
            continue
        if q.follows is not None and q.follows not in seen:
            # A chat is asked in order: the turn it follows must come first.
            problems.append(f"line {number}: follows {q.follows!r}, which is not an earlier question")
            continue
        seen[q.id] = number
        questions.append(q)
    return questions, problems


# -------------------------------------------------------------------------------------- scoring


def _sentences(text: str) -> list[str]:
    # The checker's own splitter, so "cited sentence" means what it checked.
    return [text[a:b] for a, b in split_sentences(text)]


def citation_counts(result: Mapping[str, Any]) -> dict[str, int]:
    """The model's own markers (valid: naming a passage it was given; invalid: any other number),
    cited sentences and supported cited sentences of an answer.

    Markers the pipeline attributed afterwards are not counted as valid model markers (they
    would measure the checker agreeing with itself); ``model_markers`` and
    ``attributed_markers`` come from the answer. A cited sentence is supported unless the checker
    listed it in ``unsupported_sentences``."""
    text = result.get("answer") or ""
    unsupported = {s.strip() for s in result.get("unsupported_sentences") or []}
    cited = [s for s in _sentences(text) if parse_markers(s)]
    valid = result.get("model_markers")
    return {
        "valid_markers": sum(len(m.numbers) for m in parse_markers(text)) if valid is None else int(valid),
        "invalid_markers": int(result.get("invalid_markers") or 0),
        "cited_sentences": len(cited),
        "supported_sentences": sum(1 for s in cited if s.strip() not in unsupported),
    }


def score_result(q: Question, result: Mapping[str, Any], latency_s: float, generated: bool,
                 open_question: bool = False) -> dict[str, Any]:
    """Per-question scores from an ``Answer.to_dict()`` (or, retrieval only, ``{"passages": [...]}``).

    ``open_question``: a multiple-choice question asked without its choices (``eval --open``) is
    scored like any open question, by whether its answer text holds the right choice's text."""
    passages = result.get("passages") or []
    s: dict[str, Any] = {
        "answerable": q.answerable,
        "group": q.group,
        "multiple_choice": q.multiple_choice and not open_question,
        "latency_s": latency_s,
        "passages": len(passages),
    }
    golds = q.golds
    if q.answerable and golds:
        # The prompt shows each passage's title above its text: the model reads both.
        read = "\n".join(f"{p.get('title') or ''}\n{p.get('text', '')}" for p in passages)
        s["answer_recall"] = M.answer_in_text(golds, read)
    if q.expected_sources:
        s["has_expected_sources"] = True
        # Rank by evidence score: the prompt may show the strongest passage last.
        ranked = sorted(passages, key=lambda p: -(p.get("score") or 0.0))
        s["source_rank"] = M.source_rank(q.expected_sources, ranked)
    if not generated:
        return s
    text = result.get("answer") or ""
    refused = bool(result.get("refused"))
    s["refused"] = refused
    if q.multiple_choice and not open_question:
        chosen = None if refused else parse_choice(text, q.choices)
        s["chosen_index"] = chosen
        if q.answerable:
            s["correct"] = chosen is not None and chosen == q.answer_index
    elif q.answerable and golds:
        # EM/F1 on the direct answer (the few words the model wrote); "contains" on the whole
        # answer as shown, and on the direct answer alone.
        direct = "" if refused else (result.get("direct") or strip_markers(text))
        s["em"] = M.exact_match(direct, golds)
        s["f1"] = M.token_f1(direct, golds)
        s["contains"] = not refused and M.answer_in_text(golds, text)
        s["direct_contains"] = not refused and M.answer_in_text(golds, direct)
    if not s["multiple_choice"]:
        s["sent_back"] = bool(result.get("shortened"))
        s["focused"] = bool(result.get("focused"))
        s["fallback"] = bool(result.get("fallback"))
    s.update(citation_counts(result))
    if not refused:
        s["model_cited"] = int(result.get("model_markers") or 0) > 0
        s["attributed"] = int(result.get("attributed_markers") or 0) > 0
    timings = result.get("timings") or {}
    s["completion_tokens"] = int(timings.get("completion_tokens") or 0)
    s["generation_s"] = float(timings.get("generation_s") or 0.0)
    s["first_token_s"] = float(timings.get("first_token_s") or 0.0)
    return s


def parse_choice(text: str, choices: list[str]) -> int | None:
    """The pipeline's own parser, then ``metrics.parse_choice`` as a last resort."""
    picked = prompt_parse_choice(text, choices)
    if picked is not None:
        return picked
    return M.parse_choice(text, len(choices), choices)


# ------------------------------------------------------------------------------------------ run


def _load_done(path: Path, mode: str) -> dict[str, dict]:
    """Records of an earlier run. Unreadable lines (the torn last line of a run killed mid-write)
    are dropped from the file, so that appending starts on a clean line."""
    if not path.exists():
        return {}
    done: dict[str, dict] = {}
    good: list[str] = []
    torn = False
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            rec = None
        if not isinstance(rec, dict) or "id" not in rec or "scores" not in rec:
            torn = torn or bool(line.strip())
            continue
        if rec.get("mode") != mode:
            raise ValueError(f"{path} holds a {rec.get('mode')} run, not {mode}: use another output folder")
        done[rec["id"]] = rec
        good.append(line)
    if torn or (good and not path.read_bytes().endswith(b"\n")):
        path.write_text("".join(g + "\n" for g in good), encoding="utf-8")
    return done


def _record(q: Question, mode: str, result: dict, scores: dict, top_k: int | None) -> dict:
    return {
        "id": q.id,
        "mode": mode,
        "question": q.question,
        "as_of": q.as_of,
        "gold": q.golds,
        "choices": q.choices,
        "answer_index": q.answer_index,
        "expected_sources": q.expected_sources,
        "answerable": q.answerable,
        "follows": q.follows,
        "top_k": top_k,
        "result": result,
        "scores": scores,
    }


def group_metrics(scores: list[dict]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[dict]] = {}
    for s in scores:
        groups.setdefault(s.get("group") or "undated", []).append(s)
    return {name: M.aggregate(items) for name, items in sorted(groups.items())}


def run_eval(
    assistant: "Assistant",
    questions: list[Question],
    out_dir: Path,
    limit: int | None = None,
    top_k: int | None = None,
    retrieval_only: bool = False,
    progress: Progress | None = None,
    problems: list[str] | None = None,
    questions_file: str | Path | None = None,
    open_questions: bool = False,
    unanswerable: bool = False,
) -> EvalReport:
    """Answer (or only retrieve for) each question, append records to ``OUT/answers.jsonl`` and
    write the reports. Ids already in that file are skipped and their scores reused. Ctrl-C drops
    the question in flight and stops; the reports then cover the questions answered so far and
    the result has ``interrupted=True``.

    ``open_questions``: choices are ignored and each question goes through the chat path
    exactly as typed. ``unanswerable``: every question is scored as one the archive cannot
    answer (another period's questions against this archive): refusal recall.
    """
    from dataclasses import replace

    from . import report as R

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    mode = ("retrieval" if retrieval_only else "answer") + ("-open" if open_questions else "") \
        + ("-unanswerable" if unanswerable else "")
    selected = questions[:limit] if limit else list(questions)
    if unanswerable:
        selected = [replace(q, answerable=False) for q in selected]
    answers_path = out_dir / ANSWERS_FILE
    done = _load_done(answers_path, mode)

    # Index and model problems surface before the first question, not as one error per question.
    index = assistant.index
    llm_name = None if retrieval_only else getattr(assistant.llm, "name", type(assistant.llm).__name__)

    records = {q.id: done[q.id] for q in selected if q.id in done}
    resumed = len(records)
    todo = [q for q in selected if q.id not in done]
    errors: list[str] = []
    answered = 0
    interrupted = False

    def current_scores() -> list[dict]:
        return [records[q.id]["scores"] for q in selected if q.id in records]

    by_id = {q.id: q for q in questions}

    def history(q: Question) -> list[dict]:
        """The chat before a follow-up: each earlier turn's question and the answer it got in this
        run (or the run resumed)."""
        turns: list[dict] = []
        while q.follows is not None:
            before = by_id.get(q.follows)
            rec = records.get(q.follows)
            if before is None or rec is None:
                raise LookupError(f"follows {q.follows!r}, which has no answer in this run")
            turns[:0] = [{"role": "user", "content": before.question},
                         {"role": "assistant", "content": rec["result"].get("answer") or ""}]
            q = before
        return turns

    with answers_path.open("a", encoding="utf-8") as fh:
        try:
            for q in todo:
                start = time.perf_counter()
                try:
                    choices = None if open_questions else (q.choices or None)
                    if retrieval_only:
                        passages = assistant.retrieve(retrieval_query(q.question, choices), filters=Filters(as_of=q.as_of),
                                                      top_k=top_k)
                        result = {"passages": [p.to_dict() for p in passages]}
                    else:
                        answer = assistant.ask(q.question, history=history(q), filters=Filters(as_of=q.as_of),
                                               top_k=top_k, choices=choices)
                        result = answer.to_dict()
                except Exception as exc:  # one bad question must not end a long run
                    errors.append(f"{q.id}: {type(exc).__name__}: {exc}")
                    continue
                latency = time.perf_counter() - start
                scores = score_result(q, result, latency, generated=not retrieval_only, open_question=open_questions)
                rec = _record(q, mode, result, scores, top_k)
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                fh.flush()
                records[q.id] = rec
                answered += 1
                if progress:
                    progress(len(records), len(selected), M.aggregate(current_scores()))
        except KeyboardInterrupt:
            interrupted = True

    scores = current_scores()
    metrics = M.aggregate(scores)
    metrics["errors"] = len(errors)
    settings = R.run_settings(assistant, index, top_k, retrieval_only, llm_name, questions_file, mode)
    result = EvalReport(
        out_dir=out_dir,
        metrics=metrics,
        settings=settings,
        groups=group_metrics(scores),
        total=len(selected),
        answered=answered,
        resumed=resumed,
        errors=errors,
        problems=list(problems or []),
        interrupted=interrupted,
    )
    ordered = [records[q.id] for q in selected if q.id in records]
    result.files = R.write_reports(result, ordered)
    result.files["answers"] = answers_path
    return result
