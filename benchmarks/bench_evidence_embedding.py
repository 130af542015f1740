"""Embedding a question's evidence sentences: one batch of 64 against ``SENTENCE_BATCH``.

Each open question embeds the ~49 best candidate sentences it has not seen before
(``Embedder.encode_cached``), most of its retrieval time on two cores. A batch is padded to its
longest text, and evidence sentences run from a dateline to a long quote, so smaller batches
waste less. This takes the sentences of the sample archive (``archive/``) in seeded random
orders, up to 49 a group (as a question's candidates mix articles), and embeds every group both
ways with the real bundled embedder, all cores allowed (as when no answer is being
generated). Prints milliseconds a group (p50, mean), the ratio, and the largest difference
between the two vectors of a sentence.

    python benchmarks/bench_evidence_embedding.py [GROUPS]

Limits: the sample archive is five short articles on one story (47 sentences, so every group
holds them all, in another order), so the spread of sentence lengths is that of these reports
(on realtimeqa-dev's evidence the ratio was 0.55); timings on a machine busy with other work are
mostly scheduler noise.
"""
from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.embedder import SENTENCE_BATCH, load_embedder  # noqa: E402
from assistant.ingest import load_file, scan_archive  # noqa: E402
from assistant.sentences import split_sentences  # noqa: E402
from assistant.settings import Settings  # noqa: E402

GROUP = 49
GROUPS = 12
SEED = 7


def sample_sentences(archive: Path = ROOT / "archive") -> list[str]:
    out = []
    sources, _ = scan_archive(archive)
    for source in sources:
        for doc in load_file(source).documents:
            out.extend(doc.text[a:b] for a, b in split_sentences(doc.text))
    return [s for s in out if s.strip()]


def run(groups: int = GROUPS) -> dict[str, Any]:
    sentences = sample_sentences()
    rng = random.Random(SEED)
    sets = [rng.sample(sentences, min(GROUP, len(sentences))) for _ in range(groups)]
    embedder = load_embedder(Settings.from_env())
    embedder.encode(sets[0], alone=True)  # warm-up: weights paged in, threads started
    timings: dict[int, list[float]] = {64: [], SENTENCE_BATCH: []}
    largest = 0.0
    for texts in sets:
        vectors = {}
        for batch in timings:
            t = time.perf_counter()
            vectors[batch] = embedder.encode(texts, batch_size=batch, alone=True)
            timings[batch].append((time.perf_counter() - t) * 1000)
        largest = max(largest, float(np.abs(vectors[64] - vectors[SENTENCE_BATCH]).max()))
    summary = {b: {"p50_ms": statistics.median(ms), "mean_ms": statistics.mean(ms)} for b, ms in timings.items()}
    return {"sentences": len(sentences), "groups": groups, "group_size": GROUP, "by_batch": summary,
            "ratio_p50": summary[SENTENCE_BATCH]["p50_ms"] / summary[64]["p50_ms"], "max_abs_diff": largest}


def main() -> None:
    r = run(int(sys.argv[1]) if len(sys.argv) > 1 else GROUPS)
    print(f"{r['groups']} groups of {r['group_size']} sentences (from {r['sentences']} in the sample archive)")
    for batch, s in r["by_batch"].items():
        print(f"  batch {batch:3d}: p50 {s['p50_ms']:7.1f} ms   mean {s['mean_ms']:7.1f} ms")
    print(f"  batch {SENTENCE_BATCH} / batch 64 (p50): {r['ratio_p50']:.2f}")
    print(f"  largest difference between a sentence's two vectors: {r['max_abs_diff']:.1e}")


if __name__ == "__main__":
    main()
