"""Overhead of ``LlamaCppLLM.stream_chat`` against bare llama-cpp-python on the same prompt.

Both sides drive the same ``llama_cpp.Llama`` instance (same weights, threads, context), with the
KV cache cleared before every run so each one pays the full prompt evaluation. Tokens/s and
time-to-first-token are measured the same way, from outside, for both: pieces streamed with text,
first piece to last piece. Runs interleave bare and wrapper, alternating which goes first, to spread machine noise evenly.

Goals: wrapper tokens/s >= 0.95 x bare, wrapper first-token time <= 1.1 x bare.

Run: ``python benchmarks/bench_llm.py`` (env ``ARCHIVIST_*`` settings apply, e.g. ARCHIVIST_MODEL).

``--f16`` instead compares the bundled model as shipped with its 16-bit copy (bf16 where
llama.cpp has AVX512_BF16, else f16: ``gguf``, ``Settings.llm_f16``) through ``LlamaCppLLM`` on the
same prompt: first-token time (prompt evaluation) and decoding rate, with ratios. Goal: 16-bit
first token <= 0.75 x shipped.
``--flash-attn`` compares the same way without and with llama.cpp's flash attention
(``Settings.flash_attn``). Goal: first token with it <= 1.0 x without.
"""
from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.gguf import resolve_model, sixteen_bit_format  # noqa: E402
from assistant.llm import LlamaCppLLM  # noqa: E402
from assistant.settings import Settings  # noqa: E402

RUNS = 3
MAX_TOKENS = 96
TARGET_PROMPT_TOKENS = 1500

_PLACES = ["Port Ellis", "Karvik", "Lindholm", "San Aurelio", "Brennan Falls", "Old Mardale",
           "Westbury", "Tessaly", "Norvale", "Quinton Bay", "Ashgrove", "Redmere"]
_TOPICS = [
    ("the harbour authority", "a dredging plan", "shipping traffic"),
    ("the regional hospital", "a new emergency wing", "waiting times"),
    ("the school board", "a revised curriculum", "exam results"),
    ("the water utility", "a pipe replacement programme", "summer shortages"),
    ("the transport department", "two new tram lines", "commuter delays"),
    ("the chamber of commerce", "a small-business grant", "shop closures"),
]


def _paragraph(i: int) -> str:
    place = _PLACES[i % len(_PLACES)]
    body, plan, problem = _TOPICS[i % len(_TOPICS)]
    cost = 1.5 + (i * 0.7) % 9
    year = 2015 + i % 9
    return (
        f"Officials in {place} said on Monday that {body} would go ahead with {plan} after months "
        f"of debate. The project is expected to cost {cost:.1f} million euros and to take about "
        f"{2 + i % 4} years. Supporters argue it will ease {problem}, which residents have "
        f"complained about since {year}. Critics on the council questioned the budget, saying "
        f"earlier estimates had grown by a third, and asked for an independent review before "
        f"construction starts. A spokesperson for {body} said the review would be published in "
        f"the spring and that work would begin only once funding from the national government was "
        f"confirmed. Local businesses were divided: some expect more customers, others fear "
        f"months of disruption on the main roads into {place}."
    )


def build_messages(count_tokens: Callable[[str], int], target: int = TARGET_PROMPT_TOKENS) -> list[dict]:
    """A RAG prompt of about ``target`` tokens: numbered passages, then a question."""
    system = ("You answer questions about a news archive using only the numbered passages. "
              "Cite passages as [n]. If the passages do not answer, say so.")
    question = "Question: What did critics in Karvik say about the project budget?"
    blocks: list[str] = []
    i = 0
    while True:
        header = f"[{i + 1}] {_PLACES[i % len(_PLACES)]} plan debated — Gazette — 2023-0{1 + i % 9}-1{i % 10}"
        blocks.append(f"{header}\n{_paragraph(i)}")
        user = "\n\n".join(blocks) + "\n\n" + question
        if count_tokens(system) + count_tokens(user) >= target:
            break
        i += 1
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def _measure(pieces: Iterator[str]) -> dict[str, float]:
    started = time.perf_counter()
    first = last = None
    n = 0
    for piece in pieces:
        if not piece:
            continue
        last = time.perf_counter()
        first = first or last
        n += 1
    if first is None:
        raise RuntimeError("the model produced no text")
    gen = last - first
    return {"first_token_s": first - started, "pieces": n, "tokens_per_s": (n - 1) / gen if gen > 0 else 0.0}


def _bare_pieces(llama: Any, messages: list[dict], max_tokens: int) -> Iterator[str]:
    for chunk in llama.create_chat_completion(messages=messages, max_tokens=max_tokens,
                                              temperature=0.0, stream=True):
        yield chunk["choices"][0]["delta"].get("content") or ""


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run(settings: Settings | None = None, runs: int = RUNS, max_tokens: int = MAX_TOKENS,
        prompt_tokens: int = TARGET_PROMPT_TOKENS) -> dict[str, Any]:
    settings = settings or Settings.from_env()
    path = resolve_model(settings.model, settings.cache_dir, f16=settings.llm_f16)
    t0 = time.perf_counter()
    wrapper = LlamaCppLLM(path, settings.n_ctx, settings.threads, flash_attn=settings.flash_attn)
    load_s = time.perf_counter() - t0
    rss_loaded = _peak_rss_mb()
    llama = wrapper._llm  # the very instance the wrapper drives: identical settings by construction
    messages = build_messages(wrapper.count_tokens, prompt_tokens)

    # Warm-up: first-touch page faults of the mmapped weights would otherwise land on run 1.
    llama.reset()
    _measure(_bare_pieces(llama, messages, max_tokens))

    results: dict[str, list[dict[str, float]]] = {"bare": [], "wrapper": []}
    internal: list[float] = []
    for i in range(runs):
        # Alternate which side goes first so drift on a busy machine does not favour either.
        for side in ("bare", "wrapper") if i % 2 == 0 else ("wrapper", "bare"):
            llama.reset()  # full prompt evaluation every run, no prefix reuse from the last one
            if side == "bare":
                results["bare"].append(_measure(_bare_pieces(llama, messages, max_tokens)))
            else:
                results["wrapper"].append(_measure(wrapper.stream_chat(messages, max_tokens=max_tokens)))
                internal.append(wrapper.last_stats.tokens_per_s)
    stats = wrapper.last_stats

    def median(side: str, key: str) -> float:
        return statistics.median(r[key] for r in results[side])

    report: dict[str, Any] = {
        "model": path.name,
        "threads": settings.threads,
        "n_ctx": wrapper.n_ctx,
        "load_s": round(load_s, 3),
        "prompt_tokens": stats.prompt_tokens,
        "completion_tokens": stats.completion_tokens,
        "runs": runs,
    }
    for side in ("bare", "wrapper"):
        report[side] = {
            "tokens_per_s": round(median(side, "tokens_per_s"), 2),
            "first_token_s": round(median(side, "first_token_s"), 3),
        }
    report["wrapper"]["llama_tokens_per_s"] = round(statistics.median(internal), 2)
    report["wrapper"]["prompt_eval_s"] = round(stats.prompt_eval_s, 3)
    report["tokens_per_s_ratio"] = round(report["wrapper"]["tokens_per_s"] / report["bare"]["tokens_per_s"], 3)
    report["first_token_ratio"] = round(report["wrapper"]["first_token_s"] / report["bare"]["first_token_s"], 3)
    report["goals_met"] = report["tokens_per_s_ratio"] >= 0.95 and report["first_token_ratio"] <= 1.1
    report["peak_rss_mb"] = {"after_load": round(rss_loaded, 1), "after_answering": round(_peak_rss_mb(), 1)}
    return report


def compare(settings: Settings | None = None, what: str = "f16", runs: int = RUNS, max_tokens: int = 24,
            prompt_tokens: int = 1200) -> dict[str, Any]:
    """Two ways to run the model, median first-token time and decode rate of ``runs`` answers to
    a ~``prompt_tokens`` prompt (about what one chat answer reads), KV cache cleared each time.
    ``what``: "f16" compares the shipped GGUF with its 16-bit copy, labelled "bf16" or "f16" as
    ``gguf.sixteen_bit_format`` picks for this CPU (flash attention as set);
    "flash" compares llama.cpp's attention without and with flash attention (f16 as set)."""
    settings = settings or Settings.from_env()
    variants = {"f16": (("shipped", False, settings.flash_attn), (sixteen_bit_format(), True, settings.flash_attn)),
                "flash": (("plain", settings.llm_f16, False), ("flash", settings.llm_f16, True))}[what]
    report: dict[str, Any] = {"model": settings.model, "runs": runs, "labels": [v[0] for v in variants]}
    for label, f16, flash in variants:
        path = resolve_model(settings.model, settings.cache_dir, f16=f16)
        llm = LlamaCppLLM(path, settings.n_ctx, settings.threads, flash_attn=flash)
        messages = build_messages(llm.count_tokens, prompt_tokens)
        firsts, rates = [], []
        for i in range(runs + 1):  # the first run is a warm-up (page faults of the mmapped weights)
            llm._llm.reset()
            measured = _measure(llm.stream_chat(messages, max_tokens=max_tokens))
            if i:
                firsts.append(measured["first_token_s"])
                rates.append(llm.last_stats.tokens_per_s)
        report[label] = {"file": path.name, "size_mb": round(path.stat().st_size / 1e6),
                         "prompt_tokens": llm.last_stats.prompt_tokens,
                         "first_token_s": round(statistics.median(firsts), 2),
                         "decode_tokens_per_s": round(statistics.median(rates), 1)}
        del llm
    old, new = (report[label] for label in report["labels"])
    report["first_token_ratio"] = round(new["first_token_s"] / old["first_token_s"], 3)
    report["decode_ratio"] = round(new["decode_tokens_per_s"] / old["decode_tokens_per_s"], 3)
    # Goals: the 16-bit copy was made for prompt speed (<= 0.75); flash attention must not be slower.
    report["goal"] = {"f16": 0.75, "flash": 1.0}[what]
    report["goal_met"] = report["first_token_ratio"] <= report["goal"]
    return report


def _print_compare(report: dict[str, Any]) -> None:
    print(f"model {report['model']}, median of {report['runs']}")
    print(f"{'':<10}{'file MB':>9}{'prompt tok':>12}{'first token s':>15}{'decode tok/s':>14}")
    for label in report["labels"]:
        r = report[label]
        print(f"{label:<10}{r['size_mb']:>9}{r['prompt_tokens']:>12}{r['first_token_s']:>15.2f}"
              f"{r['decode_tokens_per_s']:>14.1f}")
    print(f"{'ratio':<10}{'':>21}{report['first_token_ratio']:>15.3f}{report['decode_ratio']:>14.3f}"
          f"   (goal first token <= {report['goal']}: {'met' if report['goal_met'] else 'NOT met'})")


def _print(report: dict[str, Any]) -> None:
    print(f"model {report['model']}  threads {report['threads']}  n_ctx {report['n_ctx']}  "
          f"load {report['load_s']} s  prompt {report['prompt_tokens']} tok  "
          f"completion {report['completion_tokens']} tok  median of {report['runs']}")
    print(f"{'':<22}{'tokens/s':>10}{'first token s':>15}")
    for side, label in (("bare", "bare llama-cpp-python"), ("wrapper", "LlamaCppLLM")):
        print(f"{label:<22}{report[side]['tokens_per_s']:>10.2f}{report[side]['first_token_s']:>15.3f}")
    print(f"{'ratio':<22}{report['tokens_per_s_ratio']:>10.3f}{report['first_token_ratio']:>15.3f}"
          f"   (goals >= 0.95, <= 1.1: {'met' if report['goals_met'] else 'NOT met'})")
    print(f"llama.cpp's own decode rate {report['wrapper']['llama_tokens_per_s']} tok/s, "
          f"prompt eval {report['wrapper']['prompt_eval_s']} s")
    rss = report["peak_rss_mb"]
    print(f"peak RSS: {rss['after_load']} MB after load, {rss['after_answering']} MB after answering")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--max-tokens", type=int, default=MAX_TOKENS)
    parser.add_argument("--prompt-tokens", type=int, default=TARGET_PROMPT_TOKENS)
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: all cores)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--f16", action="store_true", help="compare the shipped GGUF with its f16 copy")
    parser.add_argument("--flash-attn", action="store_true", help="compare attention without and with flash attention")
    args = parser.parse_args()
    if args.f16 or args.flash_attn:
        report = compare(Settings.from_env(n_threads=args.threads), "f16" if args.f16 else "flash", args.runs)
        print(__import__("json").dumps(report, indent=2)) if args.json else _print_compare(report)
        raise SystemExit(0)
    report = run(Settings.from_env(n_threads=args.threads), args.runs, args.max_tokens, args.prompt_tokens)
    if args.json:
        import json

        print(json.dumps(report, indent=2))
    else:
        _print(report)
