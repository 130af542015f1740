"""Run every benchmark, print one table of figures and ratios, save JSON + markdown.

Benchmarks (each a module with ``run(...) -> dict``), each in a fresh Python process so that its
peak RSS and its caches are its own:
- ``index``: full build vs bare sentence-transformers encode, no-change rebuild (bench_index.py)
- ``retrieval``: latency p50/p95 at 10k and 100k chunks (bench_retrieval.py)
- ``llm``: tokens/s and first-token time vs bare llama-cpp-python (bench_llm.py)
- ``answer``: end-to-end ``archivist eval`` of a few questions over the index built by ``index``:
  latency and peak RSS of answering with the real model (embedder + index + LLM in one process)

Results go to ``benchmarks/results/bench-<UTC time>.{json,md}`` and ``latest.{json,md}``.
A benchmark that fails is reported as such and the others still run.

Run: ``make bench`` or ``python benchmarks/run_all.py [--only index,retrieval] [--archive DIR]``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ALL = ("index", "retrieval", "llm", "answer")
_MARK = "BENCH_JSON "
ANSWER_QUESTIONS = 5


def answer_bench(index: str, archive: str, questions: int = ANSWER_QUESTIONS) -> dict[str, Any]:
    """Answer a few questions through ``run_eval`` with the configured model; peak RSS included."""
    import resource

    from assistant.evaluation import Question, load_questions, run_eval
    from assistant.pipeline import Assistant
    from assistant.settings import Settings

    settings = Settings.from_env().with_(index=Path(index), archive=Path(archive))
    qfile = Path(archive).parent / "questions.jsonl"
    if qfile.exists():
        qs, _ = load_questions(qfile)
    else:  # the sample archive has no question set: ask about its own articles
        assistant = Assistant(settings)
        docs = assistant.index.doc_list[:questions]
        qs = [Question(id=f"t{i}", question=f"What does the archive say about {d.title}?") for i, d in enumerate(docs)]
    assistant = Assistant(settings)
    t0 = time.perf_counter()
    assistant.llm  # model load timed apart from answering
    load_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory(prefix="bench-answer-") as out:
        report = run_eval(assistant, qs, Path(out), limit=questions)
    m = report.metrics
    return {
        "questions": m["n"],
        "model": report.settings["llm"],
        "model_load_s": round(load_s, 2),
        "latency_p50_s": m["latency_p50_s"],
        "latency_p95_s": m["latency_p95_s"],
        "tokens_per_s": m["tokens_per_s"],
        "accuracy": m["accuracy"],
        "refusal_rate": m["refusal_rate"],
        "errors": report.errors,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def build_only(archive: str, index: str) -> dict[str, Any]:
    from assistant.indexer import build_index
    from assistant.settings import Settings

    report = build_index(Settings.from_env().with_(archive=Path(archive), index=Path(index)), full=True)
    return {"chunks": report.chunks, "seconds": report.seconds}


def in_child(target: str, timeout: float | None = None, **kwargs) -> dict[str, Any]:
    """``module:function`` run in a fresh interpreter; its dict result, or ``{"error": ...}``."""
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, __file__, "--child", target, json.dumps(kwargs)],
                              capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    for line in proc.stdout.splitlines():
        if line.startswith(_MARK):
            result = json.loads(line[len(_MARK):])
            result["wall_s"] = round(time.perf_counter() - t0, 1)
            return result
    lines = [line for line in proc.stderr.strip().splitlines() if line.strip() and "Loading weights" not in line]
    tail = lines[-1:] or ["no output"]
    return {"error": f"exit {proc.returncode}: {tail[0][:300]}", "stderr_tail": proc.stderr[-4000:]}


def _child(target: str, kwargs: str) -> None:
    module, function = target.split(":")
    fn = globals()[function] if module == "run_all" else getattr(importlib.import_module(module), function)
    print(_MARK + json.dumps(fn(**json.loads(kwargs)), default=str))


# ----------------------------------------------------------------------------------- the table


def _f(value: Any, digits: int = 2, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def _met(ok: bool | None) -> str:
    return {True: "met", False: "NOT met", None: ""}[ok]


def rows(results: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(benchmark, figure, value, goal, met) rows."""
    out: list[tuple[str, str, str, str, str]] = []
    r = results.get("index")
    if r and "error" not in r:
        out += [
            ("index", f"archive ({r['documents']} articles, {r['chunks']} chunks)", Path(r["archive"]).parent.name, "", ""),
            ("index", "full build", _f(r["full_build_s"], 1, " s"), "", ""),
            ("index", "bare SentenceTransformer.encode", _f(r["bare_encode_s"], 1, " s"), "", ""),
            ("index", "build / bare encode", _f(r["build_vs_bare_ratio"], 3), "<= 1.10",
             _met(r["build_vs_bare_ratio"] is not None and r["build_vs_bare_ratio"] <= 1.10)),
            ("index", "no-change rebuild", f"{_f(r['nochange_rebuild_s'], 3, ' s')} ({100 * r['nochange_share']:.2f} % of full)",
             "<= 2 %", _met(r["nochange_share"] <= 0.02 and not r["nochange_wrote"])),
            ("index", "peak RSS of the build", _f(r["build_peak_rss_mb"], 0, " MB"), "", ""),
        ]
    r = results.get("retrieval")
    if r and "error" not in r:
        for size, s in r["sizes"].items():
            goal = "<= 20 ms" if size == "100000" else ""
            met = _met(s["p50_ms"] <= 20.0) if goal else ""
            out += [
                ("retrieval", f"{s['chunks']} chunks ({s['dense_kind']}) p50 / p95", f"{_f(s['p50_ms'], 1)} / {_f(s['p95_ms'], 1)} ms", goal, met),
                ("retrieval", f"{s['chunks']} chunks, as_of filter p50 / p95",
                 f"{_f(s['filtered']['p50_ms'], 1)} / {_f(s['filtered']['p95_ms'], 1)} ms", "", ""),
                ("retrieval", f"{s['chunks']} chunks, single-threaded p50 / p95",
                 f"{_f(s['one_torch_thread']['p50_ms'], 1)} / {_f(s['one_torch_thread']['p95_ms'], 1)} ms", goal,
                 _met(s["one_torch_thread"]["p50_ms"] <= 20.0) if goal else ""),
                ("retrieval", f"{s['chunks']} chunks, query embedding p50 (1 thread)",
                 f"{_f(s['query_embedding_p50_ms'], 1)} ms ({_f(s['one_torch_thread']['query_embedding_p50_ms'], 1)} ms)", "", ""),
            ]
    r = results.get("llm")
    if r and "error" not in r:
        out += [
            ("llm", f"model {r['model']}, prompt {r['prompt_tokens']} tok", f"{r['threads']} threads", "", ""),
            ("llm", "tokens/s wrapper / bare", f"{_f(r['wrapper']['tokens_per_s'])} / {_f(r['bare']['tokens_per_s'])}", "", ""),
            ("llm", "tokens/s ratio", _f(r["tokens_per_s_ratio"], 3), ">= 0.95", _met(r["tokens_per_s_ratio"] >= 0.95)),
            ("llm", "first token wrapper / bare", f"{_f(r['wrapper']['first_token_s'])} / {_f(r['bare']['first_token_s'])} s", "", ""),
            ("llm", "first-token ratio", _f(r["first_token_ratio"], 3), "<= 1.10", _met(r["first_token_ratio"] <= 1.10)),
            ("llm", "peak RSS after answering", _f(r["peak_rss_mb"]["after_answering"], 0, " MB"), "", ""),
        ]
    r = results.get("answer")
    if r and "error" not in r:
        out += [
            ("answer", f"{r['questions']} questions, model {r['model']}", f"accuracy {_f(r['accuracy'])}", "", ""),
            ("answer", "latency p50 / p95", f"{_f(r['latency_p50_s'], 1)} / {_f(r['latency_p95_s'], 1)} s", "", ""),
            ("answer", "peak RSS of answering (embedder + index + LLM)", _f(r["peak_rss_mb"], 0, " MB"), "", ""),
        ]
    for name, r in results.items():
        if isinstance(r, dict) and "error" in r:
            out.append((name, "FAILED", r["error"], "", ""))
    return out


def markdown(results: dict[str, Any], machine: dict[str, Any]) -> str:
    lines = ["# Archivist benchmarks", "",
             f"{machine['date']} on {machine['cpu_count']} CPUs, {machine['platform']}, load average before: {machine['loadavg']}", "",
             "| benchmark | figure | value | goal | |", "|---|---|---|---|---|"]
    lines += [f"| {' | '.join(c.replace('|', '/') for c in row)} |" for row in rows(results)]
    return "\n".join(lines) + "\n"


def print_table(results: dict[str, Any]) -> None:
    table = rows(results)
    widths = [max(len(r[i]) for r in table + [("benchmark", "figure", "value", "goal", "")]) for i in range(5)]
    header = ("benchmark", "figure", "value", "goal", "")
    for row in [header] + table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


def save(results: dict[str, Any], machine: dict[str, Any], stamp: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = json.dumps({"machine": machine, "results": results}, indent=2, default=str) + "\n"
    md = markdown(results, machine)
    for stem in (f"bench-{stamp}", "latest"):
        (RESULTS / f"{stem}.json").write_text(payload)
        (RESULTS / f"{stem}.md").write_text(md)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", default=",".join(ALL), help=f"comma-separated subset of {','.join(ALL)}")
    ap.add_argument("--archive", help="archive for the index benchmark (default: the small eval set, else archive/)")
    ap.add_argument("--sizes", default="10000,100000", help="chunk counts for the retrieval benchmark")
    ap.add_argument("--questions", type=int, default=ANSWER_QUESTIONS, help="questions for the answer benchmark")
    args = ap.parse_args(argv)
    wanted = [b.strip() for b in args.only.split(",") if b.strip()]
    unknown = set(wanted) - set(ALL)
    if unknown:
        ap.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    import bench_index

    machine = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    archive = Path(args.archive) if args.archive else bench_index.default_archive()
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-all-") as tmp:
        index_dir = Path(tmp) / "index"
        for name in wanted:
            print(f"running {name} ...", flush=True)
            if name == "index":
                results[name] = in_child("bench_index:run", archive=str(archive), index_dir=str(index_dir))
            elif name == "retrieval":
                sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
                results[name] = in_child("bench_retrieval:run", sizes=sizes)
            elif name == "llm":
                results[name] = in_child("bench_llm:run")
            elif name == "answer":
                if not (index_dir / "manifest.json").exists():
                    built = in_child("run_all:build_only", archive=str(archive), index=str(index_dir))
                    if "error" in built:
                        results[name] = built
                        print(f"  {name} failed: {built['error']}", flush=True)
                        continue
                results[name] = in_child("run_all:answer_bench", index=str(index_dir), archive=str(archive),
                                         questions=args.questions)
            if "error" in results[name]:
                print(f"  {name} failed: {results[name]['error']}", flush=True)
            save(results, machine, stamp)  # after each one: a long run stopped midway keeps its figures

    print()
    print_table(results)
    print(f"\nwrote {RESULTS / f'bench-{stamp}.json'} and .md")
    return 1 if any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
