"""Write an unanswerable question set: another period's quiz questions against an archive.

    python scripts/unanswerable_set.py QUESTIONS.jsonl ARCHIVE.jsonl OUT.jsonl [--after YYYY-MM-DD]

Keeps the questions asked after ``--after`` (default: the archive's newest article date) whose
gold answer appears nowhere in the archive text (normalised whole words, as the metrics compare),
and writes them with ``answerable: false``. Then:

    archivist eval OUT.jsonl --open --index INDEX_OF_ARCHIVE --out eval-out/unanswerable

reports refusal recall. Limits: a question about a story that began inside the archive's period
may still be partly answerable from it even when its exact answer string is absent; the gold
test is lexical, so a paraphrased answer in the archive goes unnoticed.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.metrics import normalize_answer


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("questions", type=Path)
    ap.add_argument("archive", type=Path, help="an articles.jsonl export")
    ap.add_argument("out", type=Path)
    ap.add_argument("--after", help="keep questions asked after this day (default: newest article)")
    args = ap.parse_args()
    articles = [json.loads(line) for line in args.archive.read_text(encoding="utf-8").splitlines() if line.strip()]
    after = args.after or max(a["published"] for a in articles if a.get("published"))
    hay = " " + " ".join(normalize_answer(f"{a.get('title', '')} {a.get('text', '')}") for a in articles) + " "
    kept = []
    for line in args.questions.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        q = json.loads(line)
        gold = normalize_answer(q.get("answer") or "")
        if (q.get("as_of") or "") > after and gold and f" {gold} " not in hay:
            kept.append({**q, "answerable": False})
    args.out.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in kept), encoding="utf-8")
    print(f"{len(kept)} questions asked after {after} with answers absent from {len(articles)} articles -> {args.out}")


if __name__ == "__main__":
    main()
