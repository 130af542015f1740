"""Publication dates of the html fixture pages (``tests/data/dates``): right / wrong / none.

    python benchmarks/bench_dates.py            # this tree's loader
    python benchmarks/bench_dates.py --old      # also the loader of git revision OLD_REV

Right: the date the loader gives equals the gold date (same precision: a month-only gold date
``2017-11`` is not matched by ``2017-11-01``), or both are none. Wrong: a date that differs from
the gold one, or any date for a page whose gold is none. None: no date for a dated page. The
old loader is read with ``git show REV:assistant/...`` into a temporary package (no checkout).
"""
from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "dates"
# The last revision with the single-module loader (before assistant/ingest/).
OLD_REV = "aecec1d"


def load_gold() -> list[dict]:
    with open(DATA / "expected.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def score(loader, gold: list[dict]) -> dict:
    """Run ``loader.load_file`` on every page; counts and the per-page outcome."""
    right = wrong = none = 0
    rows = []
    for item in gold:
        path = DATA / "pages" / item["file"]
        data = path.read_bytes()
        source = loader.SourceFile(path, item["file"], len(data), hashlib.sha256(data).hexdigest())
        result = loader.load_file(source)
        docs = result.documents
        got = docs[0].published if docs else None
        origin = getattr(docs[0], "date_source", None) if docs else None
        expected = item["expected"]
        if got == expected:
            right += 1
            outcome = "right"
        elif got is None:
            none += 1
            outcome = "none"
        else:
            wrong += 1
            outcome = "wrong"
        rows.append({"file": item["file"], "expected": expected, "got": got, "source": origin, "outcome": outcome,
                     "skipped": [s.reason for s in result.skipped]})
    n = len(gold)
    dated = sum(1 for item in gold if item["expected"])
    return {"pages": n, "dated_pages": dated, "right": right, "wrong": wrong, "none": none,
            "right_share": right / n, "wrong_share": wrong / n, "rows": rows}


def old_loader(rev: str = OLD_REV):
    """The loader module of git revision ``rev``, imported from a temporary package."""
    folder = Path(tempfile.mkdtemp(prefix="archivist-old-"))
    package = folder / "archivist_old"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in ("loaders", "dates", "types"):
        text = subprocess.run(["git", "show", f"{rev}:assistant/{name}.py"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout
        (package / f"{name}.py").write_text(text)
    sys.path.insert(0, str(folder))
    return importlib.import_module("archivist_old.loaders")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old", action="store_true", help=f"also measure the loader of git revision {OLD_REV}")
    parser.add_argument("--rev", default=OLD_REV, help="revision for --old")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every page that is not right")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from assistant import ingest

    gold = load_gold()
    runs = [("new", ingest)]
    if args.old:
        runs.insert(0, (f"old ({args.rev})", old_loader(args.rev)))
    for label, loader in runs:
        result = score(loader, gold)
        print(f"{label:14s} pages {result['pages']} (dated {result['dated_pages']}): right {result['right']} "
              f"({result['right_share']:.3f}), wrong {result['wrong']} ({result['wrong_share']:.1%}), none {result['none']}")
        if args.verbose:
            for row in result["rows"]:
                if row["outcome"] != "right":
                    print(f"    {row['outcome']:5s} {row['file']}: expected {row['expected']}, got {row['got']} "
                          f"({row['source']}) {row['skipped'] or ''}")


if __name__ == "__main__":
    main()
