"""One contract test run against each dense backend (real FAISS)."""
from __future__ import annotations

import numpy as np
import pytest

from assistant.dense import BACKENDS, build_dense, choose_kind, load_dense


def _vectors(n=2000, d=32, seed=0):
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((n, d)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.mark.parametrize("kind", sorted(BACKENDS))
def test_dense_backend_contract(kind, tmp_path):
    vecs = _vectors()
    index = build_dense(vecs, kind)
    assert index.kind == kind and index.ntotal == len(vecs)
    exact = vecs @ vecs[7]
    truth = np.argsort(-exact)[:10]
    scores, ids = index.search(vecs[7], 10)
    assert ids[0] == 7 and abs(scores[0] - 1.0) < 1e-4
    assert len(set(ids.tolist()) & set(truth.tolist())) >= 9  # recall@10 >= 0.9 even when approximate
    assert np.all(np.diff(scores) <= 1e-6)  # best first
    # Filtering happens inside the search: only allowed ids come back, and k of them.
    allowed = np.arange(0, len(vecs), 3)
    _, fids = index.search(vecs[7], 10, allowed)
    assert len(fids) == 10 and all(i % 3 == 0 for i in fids)
    _, none = index.search(vecs[7], 10, np.array([], dtype=np.int64))
    assert len(none) == 0
    # k larger than the index is fine (HNSW returns what its graph walk reaches).
    many = index.search(vecs[0], 5000)[1]
    assert 100 <= len(many) <= len(vecs) and len(set(many.tolist())) == len(many)
    # Round trip.
    index.save(tmp_path / "d.faiss")
    again = load_dense(tmp_path / "d.faiss", kind, vecs.shape[1])
    assert again.search(vecs[7], 10)[1].tolist() == ids.tolist()


def test_kind_switches_past_the_exact_limit():
    assert choose_kind(50_000, 50_000) == "flat"
    assert choose_kind(50_001, 50_000) == "hnsw"
