"""Evaluation reports: ``report.json``, ``report.md`` and a per-group plot ``report.png``.

Limits: the plot shows at most one bar per group (as_of week) and is skipped, with a note in the
markdown, when matplotlib is missing; "worst misses" lists at most ``MISSES`` questions, chosen
by a simple rule (wrong choice, lowest F1, retrieval miss), not by any severity judgement.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
from pathlib import Path
from typing import Any

MISSES = 10
PLOT_FILE = "report.png"

# (key, label, kind) in table order; kind picks the formatting.
METRIC_ROWS = [
    ("n", "questions", "int"),
    ("answer_contains", "gold answer in the answer (open answers)", "pct"),
    ("direct_contains", "gold answer in the direct answer (open answers)", "pct"),
    ("exact_match", "exact match of the direct answer (open answers)", "pct"),
    ("f1", "token F1 of the direct answer (open answers)", "pct"),
    ("accuracy", "accuracy (multiple choice)", "pct"),
    ("answer_recall_at_k", "gold answer in the text the model reads", "pct"),
    ("source_recall_at_k", "source recall@k", "pct"),
    ("mrr", "MRR of expected source", "num"),
    ("citation_validity", "citation validity (markers the model wrote)", "pct"),
    ("model_cited_rate", "answers whose citation the model wrote", "pct"),
    ("attributed_rate", "answers whose citation the checker attributed", "pct"),
    ("citation_support", "citation support", "pct"),
    ("sent_back_rate", "replies sent back for the fact (a copied sentence)", "pct"),
    ("focused_rate", "answers from the best passage alone", "pct"),
    ("fallback_rate", "questions asked again of the fallback model", "pct"),
    ("refusal_rate", "refusal rate", "pct"),
    ("false_refusal_rate", "refusals of answerable questions", "pct"),
    ("refusal_precision", "refusal precision", "pct"),
    ("refusal_recall", "refusal recall", "pct"),
    ("latency_p50_s", "latency p50", "sec"),
    ("latency_p95_s", "latency p95", "sec"),
    ("first_token_p50_s", "first token p50", "sec"),
    ("tokens_per_s", "tokens/s (decoding)", "num"),
    ("errors", "errors", "int"),
]


def fmt(value: Any, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "int":
        return str(int(value))
    if kind == "pct":
        return f"{100 * value:.1f} %"
    if kind == "sec":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    return f"{value:.3f}" if abs(value) < 100 else f"{value:.1f}"


def run_settings(assistant, index, top_k, retrieval_only, llm_name, questions_file, mode: str = "answer") -> dict[str, Any]:
    """What a reader needs to reproduce or compare a run."""
    from .llm import fallback_name

    s = assistant.settings
    status = index.status()
    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "mode": mode,
        "questions_file": str(questions_file) if questions_file else None,
        "embedding_model": status.embedding_model,
        "llm": None if retrieval_only else llm_name,
        "llm_backend": None if retrieval_only else s.llm_backend,
        "model_setting": None if retrieval_only else str(s.model),
        "fallback_model": None if retrieval_only else fallback_name(s),
        "index": str(Path(status.path or s.index).resolve()),
        "top_k": top_k or s.top_k,
        "candidates": s.candidates,
        "evidence_tokens": s.evidence_tokens,
        "min_relevance": s.min_relevance,
        "rrf_k": s.rrf_k,
        "lexical_weight": s.lexical_weight,
        "articles": status.articles,
        "chunks": status.chunks,
        "archive_dates": [status.first_date, status.last_date],
        "index_built_at": status.built_at,
        "temperature": s.temperature,
        "max_answer_tokens": s.max_answer_tokens,
        "n_threads": s.threads,
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
        },
    }


def _json_default(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def misses(records: list[dict], limit: int = MISSES) -> list[dict]:
    """The worst answers: wrong or refused multiple choice, then lowest F1, then unanswerable
    questions answered anyway, then retrieval misses (gold string or source not retrieved)."""
    ranked: list[tuple[tuple, dict]] = []
    for order, rec in enumerate(records):
        s = rec["scores"]
        if s.get("correct") is False:
            key = (0, 0.0)
        elif s.get("f1") is not None and s["f1"] < 1.0:
            key = (1, s["f1"])
        elif not s.get("answerable", True) and s.get("refused") is False:
            key = (2, 0.0)
        elif s.get("answer_recall") is False or (s.get("has_expected_sources") and s.get("source_rank") is None):
            key = (3, 0.0)
        else:
            continue
        ranked.append(((*key, order), rec))
    return [rec for _, rec in sorted(ranked, key=lambda kv: kv[0])[:limit]]


def _cell(text: Any, width: int = 160) -> str:
    text = " ".join(str(text if text is not None else "").split()).replace("|", "\\|")
    return text if len(text) <= width else text[: width - 1] + "…"


def render_markdown(report: Any, records: list[dict], plot: str | None) -> str:
    s = report.settings
    m = report.metrics
    lines = ["# Archivist evaluation", ""]
    if report.interrupted:
        lines += [f"**Interrupted**: {len(records)} of {report.total} questions answered; rerun with the same output folder to resume.", ""]
    machine = s["machine"]
    lines += [
        "## Settings",
        "",
        "| setting | value |",
        "|---|---|",
        f"| date | {s['date']} |",
        f"| mode | {s['mode']} |",
        f"| questions | {_cell(s['questions_file'] or '–')} ({report.total} in scope, {report.resumed} resumed, {report.answered} answered now) |",
        f"| embedding model | {s['embedding_model']} |",
        f"| language model | {s['llm'] or '–'} ({s['llm_backend'] or 'none'}) |",
        f"| index | {_cell(s['index'])} |",
        f"| archive | {s['articles']} articles, {s['chunks']} chunks, {s['archive_dates'][0] or '?'} – {s['archive_dates'][1] or '?'} |",
        f"| top-k | {s['top_k']} (fusion: RRF k={s['rrf_k']}, lexical weight {s['lexical_weight']}) |",
        f"| machine | {machine['cpu_count']} CPUs, {machine['processor']}, {machine['platform']}, Python {machine['python']} |",
        f"| threads | {s['n_threads']} |",
        "",
        "## Metrics",
        "",
        "| metric | value |",
        "|---|---|",
    ]
    for key, label, kind in METRIC_ROWS:
        if key in m and (m[key] is not None or key in ("accuracy", "f1", "answer_recall_at_k")):
            lines.append(f"| {label} | {fmt(m[key], kind)} |")
    if report.groups and len(report.groups) > 1:
        lines += ["", "## Per group (as_of week)", "", "| group | n | accuracy | F1 | answer recall@k | p50 latency |", "|---|---|---|---|---|---|"]
        for name, g in report.groups.items():
            lines.append(
                f"| {name} | {g['n']} | {fmt(g['accuracy'], 'pct')} | {fmt(g['f1'], 'pct')} | "
                f"{fmt(g['answer_recall_at_k'], 'pct')} | {fmt(g['latency_p50_s'], 'sec')} |"
            )
    if plot:
        lines += ["", f"![accuracy and latency per group]({plot})"]
    worst = misses(records)
    if worst:
        lines += ["", "## Worst misses", "", "| id | question | gold | answer | top passage | gold in passages |", "|---|---|---|---|---|---|"]
        for rec in worst:
            result, sc = rec["result"], rec["scores"]
            answer = result.get("answer")
            if sc.get("chosen_index") is not None:
                answer = f"({'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[sc['chosen_index']]}) {answer}"
            top = (result.get("passages") or [{}])[0]
            gold = " / ".join(rec["gold"]) if rec.get("answerable", True) else "(unanswerable)"
            recall = {True: "yes", False: "no"}.get(sc.get("answer_recall"), "–")
            lines.append(
                f"| {_cell(rec['id'], 40)} | {_cell(rec['question'], 120)} | {_cell(gold, 60)} | "
                f"{_cell(answer if answer is not None else '–', 160)} | {_cell(top.get('title', '–'), 60)} | {recall} |"
            )
    if report.errors:
        lines += ["", "## Errors", ""] + [f"- {_cell(e, 300)}" for e in report.errors]
    if report.problems:
        lines += ["", "## Skipped question lines", ""] + [f"- {_cell(p, 300)}" for p in report.problems]
    return "\n".join(lines) + "\n"


def plot_groups(groups: dict[str, dict], path: Path, retrieval_only: bool) -> bool:
    """Bars of the main score per group, p50 latency as a line; False if nothing to plot."""
    if not groups:
        return False
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    names = list(groups)
    key, label = _main_score(groups, retrieval_only)
    # A group without this score (no multiple-choice question in it, say) gets no bar, not a zero.
    scores = [groups[n][key] * 100 if groups[n].get(key) is not None else float("nan") for n in names]
    latency = [groups[n].get("latency_p50_s") or 0.0 for n in names]
    fig, ax = plt.subplots(figsize=(max(5.0, 1.0 + 0.8 * len(names)), 3.6), dpi=100)
    bars = ax.bar(names, scores, color="#4C72B0", label=label)
    for bar, n, score in zip(bars, names, scores):
        top = 0.0 if math.isnan(score) else score
        ax.annotate(f"n={groups[n]['n']}", (bar.get_x() + bar.get_width() / 2, top), ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, 110)
    ax.set_ylabel(f"{label} (%)")
    ax.tick_params(axis="x", labelrotation=30 if len(names) > 4 else 0, labelsize=8)
    ax2 = ax.twinx()
    ax2.plot(names, latency, color="#DD8452", marker="o", label="p50 latency (s)")
    ax2.set_ylabel("p50 latency (s)")
    ax2.set_ylim(0, max(latency) * 1.3 if max(latency) > 0 else 1)
    handles = [bars, ax2.get_lines()[0]]
    ax.legend(handles, [label, "p50 latency (s)"], loc="upper left", fontsize=8)
    ax.set_title("per as_of week" if any(n != "undated" for n in names) else "all questions", fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def _main_score(groups: dict[str, dict], retrieval_only: bool) -> tuple[str, str]:
    candidates = [("answer_recall_at_k", "answer recall@k"), ("source_recall_at_k", "source recall@k")]
    if not retrieval_only:
        candidates = [("accuracy", "accuracy"), ("f1", "token F1")] + candidates
    for key, label in candidates:
        if any(g.get(key) is not None for g in groups.values()):
            return key, label
    return "refusal_rate", "refusal rate"


def write_reports(report: Any, records: list[dict]) -> dict[str, Path]:
    out = report.out_dir
    files: dict[str, Path] = {}
    plot_path = out / PLOT_FILE
    has_plot = plot_groups(report.groups, plot_path, report.settings["mode"] != "answer")
    if has_plot:
        files["plot"] = plot_path
    payload = {
        "metrics": report.metrics,
        "settings": report.settings,
        "groups": report.groups,
        "total": report.total,
        "answered": report.answered,
        "resumed": report.resumed,
        "interrupted": report.interrupted,
        "errors": report.errors,
        "problems": report.problems,
    }
    files["report_json"] = out / "report.json"
    files["report_json"].write_text(json.dumps(payload, indent=2, default=_json_default) + "\n", encoding="utf-8")
    files["report_md"] = out / "report.md"
    files["report_md"].write_text(render_markdown(report, records, PLOT_FILE if has_plot else None), encoding="utf-8")
    return files
