"""Where a question set's answers are lost: in the archive, in retrieval, or in what the model reads.

    python scripts/answer_ceiling.py QUESTIONS.jsonl --index INDEX [--chunks 8,16,36,72] [--out F.jsonl]

For each question, asked as of its quiz date exactly as ``archivist eval --open`` asks it, this
reports whether the gold answer (normalised, whole words, as the ``contains`` metric compares)
appears in
- the archive: any indexed document that provably existed on that date;
- stated: one sentence of such a document holds the gold answer and at least half of the
  question's content words (``STATED_OVERLAP``): a tighter bound that leaves out most chance
  occurrences, but also an answer stated across two sentences or in other words than the question;
- the best N retrieved chunks, for each N of ``--chunks``, after the question's time window and
  the stale-evidence cut (``timeframe``), as the pipeline retrieves them;
- the evidence passages the model reads (``Assistant.retrieve``; token budget estimated at four
  characters a token, so it can differ from a model run by a question or two).
No language model is loaded; the embedder is.

Read the archive figure as an upper bound on the ``contains`` measure, and a loose one: a gold
string also turns up by chance ("Peru" in a football report, "45" in a score); an answer the
archive words differently is missed here, but ``contains`` would not count it either. The chunk counts are read off one search
of the largest N (a cut that keeps at least three chunks can differ at small N).

With ``--answers`` (an ``answers.jsonl`` of ``archivist eval --open``), the ``contains`` figure is
also split by whether the archive states the answer, which shows how much of the loss is the
archive's and how much the pipeline's.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant import timeframe
from assistant.evaluation import Question, load_questions
from assistant.metrics import answer_in_text
from assistant.pipeline import Assistant
from assistant.sentences import split_sentences
from assistant.settings import Settings
from assistant.store import date_ordinal
from assistant.text import content_terms
from assistant.types import Filters

STATED_OVERLAP = 0.5


def stated(golds: list[str], question: str, text: str) -> bool:
    """Whether one sentence of ``text`` holds a gold answer and at least ``STATED_OVERLAP`` of the
    question's content words."""
    terms = content_terms(question)
    if not terms or not answer_in_text(golds, text):
        return False
    for a, b in split_sentences(text):
        sentence = text[a:b]
        if answer_in_text(golds, sentence) and len(terms & content_terms(sentence)) >= STATED_OVERLAP * len(terms):
            return True
    return False


def ceiling(assistant: Assistant, questions: list[Question], max_chunks: int) -> list[dict]:
    """Per question: ``archive`` and ``stated`` (bools), ``first_chunk`` (0-based rank of the first
    retrieved chunk holding the gold answer among the best ``max_chunks``, else None) and ``read``
    (bool)."""
    snap = assistant.snapshot()
    index = snap.index
    # Only dates that prove publication count, as under ``as_of`` (a pdf's creation date does not).
    docs = [(day, f"{d.title}\n{d.text}") for d, day, proven in
            zip(index.doc_list, index.doc_published_last, index.doc_date_proven) if proven]
    rows = []
    for q in questions:
        reference = q.as_of or index.status().last_date
        limit = date_ordinal(reference, last=True) if reference else None
        known = [text for day, text in docs if limit is None or day <= limit]
        in_archive = any(answer_in_text(q.golds, text) for text in known)
        is_stated = in_archive and any(stated(q.golds, q.question, text) for text in known)
        frame = timeframe.resolve(q.question, reference)
        found = snap.retriever.search(q.question, Filters(as_of=q.as_of), max_chunks, window=frame, reference=reference)
        kept = timeframe.drop_stale(found.passages, frame)
        first = next((i for i, p in enumerate(kept) if answer_in_text(q.golds, p.text)), None)
        evidence = assistant.retrieve(q.question, Filters(as_of=q.as_of))
        read = answer_in_text(q.golds, "\n".join(p.text for p in evidence))
        rows.append({"id": q.id, "archive": in_archive, "stated": is_stated, "first_chunk": first, "read": read})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("questions", type=Path)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--chunks", default="8,16,36,72", help="comma-separated chunk counts")
    ap.add_argument("--out", type=Path, help="one JSON line a question with where its answer was found")
    ap.add_argument("--answers", type=Path, help="answers.jsonl of an `archivist eval --open` run of the same questions")
    args = ap.parse_args()
    sizes = sorted({int(n) for n in args.chunks.split(",") if n.strip()})
    questions, problems = load_questions(args.questions)
    for p in problems:
        print(f"skipped {p}", file=sys.stderr)
    rows = ceiling(Assistant(Settings.from_env(index=args.index)), questions, max(sizes))
    n = len(rows) or 1
    archive = sum(r["archive"] for r in rows)
    print(f"{len(rows)} questions ({args.questions})")
    print(f"  gold in the archive (as of each date): {archive:4d}  {archive / n:.3f}")
    told = sum(r["stated"] for r in rows)
    print(f"  stated in one sentence with the question's words: {told:4d}  {told / n:.3f}")
    for size in sizes:
        hit = sum(r["first_chunk"] is not None and r["first_chunk"] < size for r in rows)
        print(f"  gold in the best {size:3d} chunks:          {hit:4d}  {hit / n:.3f}")
    read = sum(r["read"] for r in rows)
    print(f"  gold in the evidence the model reads:  {read:4d}  {read / n:.3f}")
    if args.answers:
        right = {a["id"] for a in map(json.loads, args.answers.read_text(encoding="utf-8").splitlines())
                 if a.get("scores", {}).get("contains")}
        for label, group in (("stated", [r for r in rows if r["stated"]]), ("not stated", [r for r in rows if not r["stated"]])):
            hit = sum(r["id"] in right for r in group)
            print(f"  answered right, {label}: {hit} of {len(group)}")
    if args.out:
        args.out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


if __name__ == "__main__":
    main()
