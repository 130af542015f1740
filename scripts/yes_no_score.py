"""Score yes/no questions by the word each answer opens with.

    python scripts/yes_no_score.py eval-out/yesno-dev/answers.jsonl [more answers.jsonl ...]

For each record of an ``archivist eval --open`` run whose gold answer is "yes" or "no": right when
the answer opens with that word (``metrics.stance``), refused when the pipeline refused, else
wrong (the other word, or no yes/no at all). ``contains`` is not used for these: a "Yes" whose
quoted sentence holds a "no" elsewhere would count as containing "no".
"""
from __future__ import annotations

import json
import sys
from collections import Counter

from assistant.metrics import stance


def main(paths: list[str]) -> None:
    for path in paths:
        counts: Counter[str] = Counter()
        for line in open(path, encoding="utf-8"):
            rec = json.loads(line)
            gold = [str(g).lower() for g in rec.get("gold") or []]
            if not gold or gold[0] not in ("yes", "no"):
                continue
            result = rec["result"]
            if result.get("refused"):
                counts["refused"] += 1
            else:
                counts["right" if stance(result.get("answer") or "") == gold[0] else "wrong"] += 1
        n = sum(counts.values())
        print(f"{path}: {n} yes/no questions, right {counts['right']}, wrong {counts['wrong']}, "
              f"refused {counts['refused']}")


if __name__ == "__main__":
    main(sys.argv[1:])
