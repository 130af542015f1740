"""The persisted index: a versioned folder with a manifest as its single commit point.

Layout of the index folder::

    manifest.json          format version, embedding model + dimension, chunking settings,
                           extraction (loader) version,
                           library versions, build time, per-file sha256 -> document ids,
                           and the name of the data folder below
    data-<build id>/       documents.jsonl, chunks.npz, embeddings.npy, dense.faiss, bm25/

A build writes a fresh data folder and then replaces ``manifest.json`` atomically (write to a
uniquely named temp file, fsync, ``os.replace``); only then are older data folders deleted. A build
killed at any point therefore leaves the previous manifest pointing at its intact data folder.

Concurrency: every writer holds ``.build.lock`` in the index folder (``build_lock``; the indexer
takes it for the whole build), so builds never interleave. Cleanup (``remove_stale``) keeps the
committed data folder *and the one the previous manifest pointed at* (recorded as
``previous_data_dir``): a reader that read the old manifest just before a commit still finds its
data. Only a reader that stalls between reading the manifest and opening its files across two
whole builds can find its folder gone; ``Index.load`` then re-reads the manifest and retries.
Once loaded, an index is held in memory and no longer needs its files.
Embeddings are kept (``embeddings.npy``) so an incremental build re-embeds only new or changed
documents and rebuilds the FAISS and BM25 structures from stored vectors and texts.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .chunking import embedding_text
from .dates import WEAK_SOURCES, date_bounds
from .dense import DenseIndex, load_dense
from .lexical import LexicalIndex
from .types import Chunk, Document

# 2: the manifest records the embedding model's fingerprint (hash of its config and weights) and
# the previous build's data folder.
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
LOCK_FILE = ".build.lock"
LOAD_ATTEMPTS = 5


class IndexError_(Exception):
    """Base for index problems; the message is one user-facing line."""


class IndexNotFound(IndexError_):
    pass


class IndexMismatch(IndexError_):
    pass


class BuildInProgress(IndexError_):
    """Another build holds the index folder's lock (and the caller would not, or no longer, wait)."""


@contextmanager
def build_lock(path: Path, wait: bool = True, timeout: float | None = None, on_wait=None):
    """Hold the index folder's build lock (``.build.lock``, an OS file lock (flock) that dies with
    its process, so a killed build never leaves it held). ``wait=False`` fails at once with
    ``BuildInProgress`` when another build holds it; otherwise calls ``on_wait()`` and waits up to
    ``timeout`` seconds (None or negative: forever)."""
    from filelock import FileLock, Timeout

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path / LOCK_FILE))
    limit = 0 if not wait else (-1 if timeout is None or timeout < 0 else timeout)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if not wait:
                raise
            if on_wait is not None:
                on_wait()
            lock.acquire(timeout=limit)
    except Timeout:
        waited = "" if not wait else f" (waited {limit:g} s)"
        raise BuildInProgress(
            f"a build is already running on {path}{waited}; wait for it to finish and try again"
        ) from None
    try:
        yield
    finally:
        lock.release()


@dataclass
class IndexStatus:
    articles: int
    chunks: int
    built_at: str
    embedding_model: str
    dimension: int
    sources: list[str]
    first_date: str | None
    last_date: str | None
    path: str
    dense_kind: str = "flat"
    skipped: int = 0


def date_ordinal(iso: str | None, last: bool = False) -> int:
    """Day number of a stored date, 0 for unknown (sorts before every real date). A month- or
    year-only date (``2017-12``, ``2017``) gives its period's first day, or with ``last`` its last
    day (``2017-12-31``)."""
    bounds = date_bounds(iso)
    if bounds is None:
        return 0
    return bounds[1 if last else 0].toordinal()


def read_manifest(path: Path) -> dict | None:
    file = Path(path) / MANIFEST
    if not file.exists():
        return None
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise IndexMismatch(f"index manifest {file} is unreadable ({exc}); rebuild with `archivist index --full`") from exc


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once: a uniquely named temp file in the same folder,
    fsync, ``os.replace``, fsync of the folder. Readers see the old or the new file, never a mix;
    two writers never share a temp file."""
    path = Path(path)
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = 0o644  # mkstemp's 0600 would hide the manifest from other users' readers
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class Index:
    """A loaded index: documents, chunks, vectors and both search structures."""

    def __init__(self, path: Path, manifest: dict, documents: list[Document], chunks: list[Chunk],
                 doc_index: np.ndarray, embeddings: np.ndarray, dense: DenseIndex, lexical: LexicalIndex):
        self.path = Path(path)
        self.manifest = manifest
        self.doc_list = documents
        self.documents = {d.id: d for d in documents}
        self.chunks = chunks
        self.chunk_doc = doc_index  # chunk row -> position in doc_list
        self.embeddings = embeddings
        self.dense = dense
        self.lexical = lexical
        # Publication period per document: first and last day (equal for a day-precise date), and
        # whether the date proves publication for ``as_of`` (a pdf's creation date does not).
        self.doc_published = np.array([date_ordinal(d.published) for d in documents], dtype=np.int64)
        self.doc_published_last = np.array([date_ordinal(d.published, last=True) for d in documents], dtype=np.int64)
        self.doc_date_proven = np.array([bool(d.published) and d.date_source not in WEAK_SOURCES for d in documents],
                                        dtype=bool)
        self.doc_source = np.array([(d.source or "").lower() for d in documents], dtype=object)
        self.doc_hashes: dict[str, str] = {}

    @classmethod
    def load(cls, path: Path, embedding_model: str | None = None) -> "Index":
        """Load the committed manifest and the data folder it names, consistently: when the data
        cannot be read and meanwhile another manifest was committed (a concurrent build replaced
        it and cleaned up), read the new manifest and try again (``LOAD_ATTEMPTS`` times)."""
        path = Path(path)
        for attempt in range(LOAD_ATTEMPTS):
            manifest = read_manifest(path)
            if manifest is None:
                raise IndexNotFound(f"no index at {path}: build one with `archivist index`")
            check_compatible(manifest, embedding_model)
            data = path / manifest["data_dir"]
            try:
                documents, chunks, doc_index, embeddings, hashes = load_data(data)
                dense = load_dense(data / "dense.faiss", manifest["dense"]["kind"], manifest["embedding"]["dimension"])
                if chunks and not (data / "bm25").is_dir():
                    raise FileNotFoundError(f"{data / 'bm25'} is missing")
                lexical = LexicalIndex.load(data / "bm25", len(chunks))
            except (OSError, ValueError, KeyError, RuntimeError) as exc:
                if attempt + 1 < LOAD_ATTEMPTS and _manifest_moved_on(path, manifest):
                    time.sleep(0.05 * (attempt + 1))
                    continue
                raise IndexMismatch(f"index at {path} is damaged ({exc}); rebuild with `archivist index --full`") from exc
            index = cls(path, manifest, documents, chunks, doc_index, embeddings, dense, lexical)
            index.doc_hashes = hashes
            return index
        raise AssertionError("unreachable")  # pragma: no cover

    def document(self, doc_id: str) -> Document:
        return self.documents[doc_id]

    def chunk_document(self, row: int) -> Document:
        return self.doc_list[int(self.chunk_doc[row])]

    def status(self) -> IndexStatus:
        dates = sorted(d.published for d in self.doc_list if d.published)
        sources = sorted({d.source for d in self.doc_list if d.source})
        return IndexStatus(
            articles=len(self.doc_list), chunks=len(self.chunks), built_at=self.manifest.get("built_at", ""),
            embedding_model=self.manifest["embedding"]["model"], dimension=self.manifest["embedding"]["dimension"],
            sources=sources, first_date=dates[0] if dates else None, last_date=dates[-1] if dates else None,
            path=str(self.path), dense_kind=self.manifest["dense"]["kind"], skipped=len(self.manifest.get("skipped", [])),
        )


def _manifest_moved_on(path: Path, manifest: dict) -> bool:
    """Whether a different manifest has been committed since ``manifest`` was read."""
    try:
        latest = read_manifest(path)
    except IndexError_:
        return False
    return latest is not None and latest.get("data_dir") != manifest.get("data_dir")


def check_compatible(manifest: dict, embedding_model: str | None) -> None:
    """Refuse an index of another format version, or built with an embedding model whose
    fingerprint (hash of its config, tokenizer and weight files) differs from the configured
    one's; the folder names do not matter. Version-1 manifests (no fingerprint) are refused by
    their version, so their vectors are never mixed with another model's."""
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise IndexMismatch(
            f"index format version {version} does not match this Archivist (version {FORMAT_VERSION}); "
            "rebuild with `archivist index --full`"
        )
    if embedding_model is not None:
        from .embedder import model_fingerprint, resolve_embedding_model

        name, folder = resolve_embedding_model(embedding_model)
        built = manifest["embedding"]["model"]
        if model_fingerprint(folder) != manifest["embedding"].get("fingerprint"):
            same = " (same folder name, different files)" if name == built else ""
            raise IndexMismatch(
                f"index was built with embedding model '{built}' but the configured '{name}' is a different model{same}; "
                "rebuild with `archivist index --full` or set ARCHIVIST_EMBEDDING_MODEL"
            )


def load_data(data: Path) -> tuple[list[Document], list[Chunk], np.ndarray, np.ndarray, dict[str, str]]:
    documents = []
    hashes: dict[str, str] = {}
    with open(data / "documents.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            hashes[d["id"]] = d.pop("hash", "")
            d["pages"] = [tuple(p) for p in d.get("pages", [])]
            if "date_source" not in d and d.get("published") and str(d.get("path", "")).lower().endswith(".pdf"):
                d["date_source"] = "pdf-creation-date"  # rows from before date sources: pdf dates were /CreationDate
            documents.append(Document(**d))
    arrays = np.load(data / "chunks.npz")
    doc_index, starts, ends, pages = arrays["doc"], arrays["start"], arrays["end"], arrays["page"]
    chunks = []
    for di, s, e, p in zip(doc_index.tolist(), starts.tolist(), ends.tolist(), pages.tolist()):
        doc = documents[di]
        chunks.append(Chunk(doc_id=doc.id, text=doc.text[s:e], start=s, end=e, page=p if p > 0 else None))
    embeddings = np.load(data / "embeddings.npy")
    if len(embeddings) != len(chunks):
        raise ValueError("embeddings and chunks disagree in length")
    return documents, chunks, doc_index, embeddings, hashes


def chunk_embedding_texts(documents: list[Document], chunks: list[Chunk]) -> list[str]:
    titles = {d.id: d.title for d in documents}
    return [embedding_text(titles[c.doc_id], c.text) for c in chunks]


def write_data(data: Path, documents: list[Document], doc_hashes: dict[str, str], chunks: list[Chunk],
               embeddings: np.ndarray, dense: DenseIndex, lexical: LexicalIndex) -> None:
    data.mkdir(parents=True)
    position = {d.id: i for i, d in enumerate(documents)}
    with open(data / "documents.jsonl", "w", encoding="utf-8") as fh:
        for d in documents:
            row = asdict(d)
            row["hash"] = doc_hashes[d.id]
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    np.savez(
        data / "chunks.npz",
        doc=np.array([position[c.doc_id] for c in chunks], dtype=np.int32),
        start=np.array([c.start for c in chunks], dtype=np.int64),
        end=np.array([c.end for c in chunks], dtype=np.int64),
        page=np.array([c.page or 0 for c in chunks], dtype=np.int32),
    )
    np.save(data / "embeddings.npy", embeddings.astype(np.float32))
    dense.save(data / "dense.faiss")
    lexical.save(data / "bm25")
    for file in data.rglob("*"):
        if file.is_file():
            with open(file, "rb") as fh:
                os.fsync(fh.fileno())
    _fsync_dir(data)


def remove_stale(path: Path, keep: str | set[str] | list[str]) -> list[str]:
    """Delete data folders other than ``keep`` (the committed one and the previous one), i.e. the
    folders of older builds and the leftovers of killed builds, plus temp files of killed manifest
    writes. Call only while holding ``build_lock``: another build's folder in progress would look
    like a leftover. Returns the names removed."""
    keep = {keep} if isinstance(keep, str) else {k for k in keep if k}
    removed = []
    for child in Path(path).iterdir():
        if child.is_dir() and child.name.startswith("data-") and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child.name)
        elif child.is_file() and child.name.startswith(MANIFEST + ".") and child.name.endswith(".tmp"):
            child.unlink(missing_ok=True)
            removed.append(child.name)
    return removed
