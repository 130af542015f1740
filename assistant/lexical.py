"""BM25 lexical search over chunk texts (bm25s, English stopwords, Snowball stemming).

Complements dense search on names, numbers and rare words that a small embedding model blurs.
Limits: English stemming only; the whole sparse matrix is held in memory (a few MB per 100k
chunks); filters are applied as a 0/1 weight mask, so a filtered query still costs a full scan.
"""
from __future__ import annotations

import logging
from pathlib import Path

import bm25s
import numpy as np

try:
    import Stemmer

    _STEMMER = Stemmer.Stemmer("english")
except ImportError:  # pragma: no cover - PyStemmer is a dependency; stay usable without it
    _STEMMER = None

logging.getLogger("bm25s").setLevel(logging.ERROR)


def _tokenize(texts: list[str]):
    return bm25s.tokenize(texts, stopwords="en", stemmer=_STEMMER, show_progress=False)


class LexicalIndex:
    def __init__(self, retriever: bm25s.BM25 | None, n_docs: int):
        self.retriever = retriever
        self.n_docs = n_docs

    @classmethod
    def build(cls, texts: list[str]) -> "LexicalIndex":
        if not texts:
            return cls(None, 0)
        retriever = bm25s.BM25()
        retriever.index(_tokenize(texts), show_progress=False)
        return cls(retriever, len(texts))

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` (scores, ids) with a positive score."""
        if self.retriever is None or self.n_docs == 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        tokens = bm25s.tokenize([query], stopwords="en", stemmer=_STEMMER, show_progress=False, return_ids=False)
        # Unknown words would make bm25s raise; keep only vocabulary terms.
        vocab = self.retriever.vocab_dict
        terms = [t for t in tokens[0] if t in vocab]
        if not terms:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        mask = None
        if allowed is not None:
            if len(allowed) == 0:
                return np.zeros(0, np.float32), np.zeros(0, np.int64)
            mask = np.zeros(self.n_docs, dtype=np.float32)
            mask[allowed] = 1.0
        k = min(k, self.n_docs)
        ids, scores = self.retriever.retrieve([terms], k=k, show_progress=False, weight_mask=mask, n_threads=1)
        ids, scores = ids[0], scores[0]
        keep = scores > 0
        return scores[keep].astype(np.float32), ids[keep].astype(np.int64)

    def save(self, path: Path) -> None:
        if self.retriever is not None:
            self.retriever.save(str(path), show_progress=False)

    @classmethod
    def load(cls, path: Path, n_docs: int) -> "LexicalIndex":
        if n_docs == 0 or not path.exists():
            return cls(None, 0)
        return cls(bm25s.BM25.load(str(path), show_progress=False), n_docs)
