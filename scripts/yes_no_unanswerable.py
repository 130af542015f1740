"""Write an unanswerable yes/no set: yes/no questions whose source article an archive lacks.

    python scripts/yes_no_unanswerable.py ARCHIVE.jsonl OUT.jsonl docs/eval/yesno-dev.jsonl docs/eval/yesno-heldout.jsonl

Keeps the questions whose ``source_article`` id is not among the archive's article ids and
writes them with ``answerable: false``. With realtimeqa-dev-small's archive that is 36 of the 60
(its 433 articles are a subset of realtimeqa-dev's). Then:

    archivist eval OUT.jsonl --open --unanswerable --index INDEX_OF_ARCHIVE --out eval-out/yesno-unanswerable

reports how many are refused. Limits: the archive may still hold other reports on the same story
(the tariff list of 2 April 2025 is in both), so a few of these are answerable after all; a
"no" to such a question may even be right. The refusal rate is a floor for what the chat should
do with questions about stories it does not have.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("archive", type=Path, help="an articles.jsonl export")
    ap.add_argument("out", type=Path)
    ap.add_argument("questions", type=Path, nargs="+", help="yes/no sets with source_article ids")
    args = ap.parse_args()
    held = {json.loads(line)["id"] for line in args.archive.read_text(encoding="utf-8").splitlines() if line.strip()}
    kept = []
    for path in args.questions:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and (q := json.loads(line)).get("source_article") not in held:
                kept.append({**q, "answerable": False})
    args.out.write_text("".join(json.dumps(q) + "\n" for q in kept), encoding="utf-8")
    print(f"{len(kept)} questions whose source article the archive lacks -> {args.out}")


if __name__ == "__main__":
    main()
