"""Index build cost against a bare sentence-transformers encode of the same texts.

Three fresh processes, one after the other, so each peak RSS is its own:
1. ``build``: a full ``build_index`` of the archive (embedder loaded beforehand and timed apart),
   then a no-change rebuild the way ``archivist index`` runs it (no embedder passed: an unchanged
   archive must not even load the model).
2. ``bare``: ``SentenceTransformer(...).encode(texts, batch_size, normalize_embeddings=True)`` in one
   call over the index's own embedding texts (title line + chunk, read back from the built index).
The ratio ``full build / bare encode`` (goal <= 1.10) charges everything the build adds: loading
and parsing files, chunking, tokenising, batching, writing FAISS + BM25. The no-change rebuild is
reported as a share of the full build (goal <= 2 %).

Limits: one run of each (embedding a real archive on a laptop takes minutes), so a few percent of
noise is normal; the archive defaults to ``../shared/eval/realtimeqa-dev-small/archive`` when that
exists next to the repository, else the sample ``archive/``.

Run: ``python benchmarks/bench_index.py [ARCHIVE]``.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DEFAULT_ARCHIVES = [ROOT.parent / "shared" / "eval" / "realtimeqa-dev-small" / "archive", ROOT / "archive"]
GOAL_RATIO = 1.10
GOAL_NOCHANGE = 0.02
_MARK = "BENCH_JSON "


def default_archive() -> Path:
    for path in DEFAULT_ARCHIVES:
        if path.is_dir() and any(p.is_file() for p in path.rglob("*")):
            return path
    return DEFAULT_ARCHIVES[-1]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _child_build(archive: str, index: str) -> dict[str, Any]:
    from assistant.embedder import Embedder
    from assistant.indexer import build_index
    from assistant.settings import Settings

    settings = Settings.from_env().with_(archive=Path(archive), index=Path(index))
    t0 = time.perf_counter()
    embedder = Embedder(settings.embedding_model)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    full = build_index(settings, full=True, embedder=embedder)
    full_s = time.perf_counter() - t0
    rss = peak_rss_mb()
    t0 = time.perf_counter()
    again = build_index(settings)
    nochange_s = time.perf_counter() - t0
    return {
        "embedder_load_s": load_s,
        "full_build_s": full_s,
        "nochange_s": nochange_s,
        "nochange_wrote": again.wrote,
        "nochange_embedded": again.embedded_chunks,
        "documents": full.documents,
        "chunks": full.chunks,
        "files": full.files_seen,
        "skipped": len(full.skipped),
        "batch_size": settings.embed_batch_size,
        "peak_rss_mb": rss,
    }


def _child_bare(index: str, batch_size: int) -> dict[str, Any]:
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer

    from assistant.embedder import resolve_embedding_model
    from assistant.settings import Settings
    from assistant.store import Index, chunk_embedding_texts

    settings = Settings.from_env()
    stored = Index.load(Path(index))
    texts = chunk_embedding_texts(stored.doc_list, stored.chunks)
    stored_vectors = np.array(stored.embeddings)
    del stored
    _, folder = resolve_embedding_model(settings.embedding_model)
    t0 = time.perf_counter()
    model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    vectors = model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
                           show_progress_bar=False)
    encode_s = time.perf_counter() - t0
    # Same texts, same model: the stored vectors should be these (up to batch padding noise).
    agreement = float(np.min(np.sum(vectors * stored_vectors, axis=1))) if len(texts) else 1.0
    return {"model_load_s": load_s, "encode_s": encode_s, "texts": len(texts), "min_cosine_vs_index": agreement,
            "torch_threads": torch.get_num_threads(), "peak_rss_mb": peak_rss_mb()}


def _in_child(kind: str, **kwargs) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, "--child", kind, json.dumps(kwargs)], capture_output=True,
                          text=True, cwd=ROOT)
    for line in proc.stdout.splitlines():
        if line.startswith(_MARK):
            return json.loads(line[len(_MARK):])
    raise RuntimeError(f"bench_index {kind} child failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")


def run(archive: Path | str | None = None, index_dir: Path | str | None = None) -> dict[str, Any]:
    """``index_dir``: build there and keep it (for a later benchmark); default a temporary folder."""
    archive = Path(archive) if archive else default_archive()
    with tempfile.TemporaryDirectory(prefix="bench-index-") as tmp:
        index = Path(index_dir) if index_dir else Path(tmp) / "index"
        build = _in_child("build", archive=str(archive), index=str(index))
        bare = _in_child("bare", index=str(index), batch_size=build["batch_size"])
    ratio = build["full_build_s"] / bare["encode_s"] if bare["encode_s"] else None
    with_load = (build["full_build_s"] + build["embedder_load_s"]) / (bare["encode_s"] + bare["model_load_s"])
    share = build["nochange_s"] / build["full_build_s"] if build["full_build_s"] else None
    return {
        "archive": str(archive),
        "index": str(index) if index_dir else None,
        "documents": build["documents"],
        "chunks": build["chunks"],
        "files": build["files"],
        "cpu_count": os.cpu_count(),
        "full_build_s": round(build["full_build_s"], 3),
        "bare_encode_s": round(bare["encode_s"], 3),
        "build_vs_bare_ratio": round(ratio, 3) if ratio else None,
        "build_vs_bare_ratio_with_model_load": round(with_load, 3),
        "embedder_load_s": round(build["embedder_load_s"], 3),
        "bare_model_load_s": round(bare["model_load_s"], 3),
        "chunks_per_s": round(build["chunks"] / build["full_build_s"], 1) if build["full_build_s"] else None,
        "nochange_rebuild_s": round(build["nochange_s"], 3),
        "nochange_share": round(share, 4) if share is not None else None,
        "nochange_wrote": build["nochange_wrote"],
        "build_peak_rss_mb": round(build["peak_rss_mb"], 1),
        "bare_peak_rss_mb": round(bare["peak_rss_mb"], 1),
        "min_cosine_vs_index": round(bare["min_cosine_vs_index"], 5),
        "torch_threads": bare["torch_threads"],
        "goals": {"build_vs_bare_ratio": f"<= {GOAL_RATIO}", "nochange_share": f"<= {GOAL_NOCHANGE}"},
        "goals_met": bool(ratio and ratio <= GOAL_RATIO and share is not None and share <= GOAL_NOCHANGE
                          and not build["nochange_wrote"]),
    }


def print_report(r: dict[str, Any]) -> None:
    print(f"archive {r['archive']}: {r['documents']} articles, {r['chunks']} chunks, {r['cpu_count']} CPUs")
    print(f"  full build          {r['full_build_s']:9.2f} s  ({r['chunks_per_s']} chunks/s, embedder load {r['embedder_load_s']} s apart)")
    print(f"  bare encode         {r['bare_encode_s']:9.2f} s  (model load {r['bare_model_load_s']} s apart)")
    print(f"  ratio               {r['build_vs_bare_ratio']:9.3f}    goal <= {GOAL_RATIO}  (with model loads: {r['build_vs_bare_ratio_with_model_load']})")
    print(f"  no-change rebuild   {r['nochange_rebuild_s']:9.3f} s  = {100 * r['nochange_share']:.2f} % of full  goal <= {100 * GOAL_NOCHANGE:.0f} %"
          f"{'  (WROTE an index!)' if r['nochange_wrote'] else ''}")
    print(f"  peak RSS            {r['build_peak_rss_mb']:9.1f} MB build, {r['bare_peak_rss_mb']} MB bare encode")
    print(f"  stored vs bare vectors: min cosine {r['min_cosine_vs_index']}")


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--child":
        fn = {"build": _child_build, "bare": _child_bare}[sys.argv[2]]
        print(_MARK + json.dumps(fn(**json.loads(sys.argv[3]))))
    else:
        print_report(run(sys.argv[1] if len(sys.argv) > 1 else None))
