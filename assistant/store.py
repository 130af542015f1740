"""The persisted index: a versioned folder with a manifest as its single commit point.

Layout of the index folder::

    manifest.json          format version, embedding model + dimension, chunking settings,
                           library versions, build time, per-file sha256 -> document ids,
                           and the name of the data folder below
    data-<build id>/       documents.jsonl, chunks.npz, embeddings.npy, dense.faiss, bm25/

A build writes a fresh data folder and then replaces ``manifest.json`` atomically (write to a
temp file, fsync, ``os.replace``); only then are older data folders deleted. A build killed at
any point therefore leaves the previous manifest pointing at its intact data folder.
Embeddings are kept (``embeddings.npy``) so an incremental build re-embeds only new or changed
documents and rebuilds the FAISS and BM25 structures from stored vectors and texts.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import numpy as np

from .chunking import embedding_text
from .dense import DenseIndex, load_dense
from .lexical import LexicalIndex
from .types import Chunk, Document

FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class IndexError_(Exception):
    """Base for index problems; the message is one user-facing line."""


class IndexNotFound(IndexError_):
    pass


class IndexMismatch(IndexError_):
    pass


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


def date_ordinal(iso: str | None) -> int:
    """Day number of an ISO date, 0 for unknown (sorts before every real date)."""
    if not iso:
        return 0
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return 0


def read_manifest(path: Path) -> dict | None:
    file = Path(path) / MANIFEST
    if not file.exists():
        return None
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise IndexMismatch(f"index manifest {file} is unreadable ({exc}); rebuild with `archivist index --full`") from exc


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
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
        self.doc_published = np.array([date_ordinal(d.published) for d in documents], dtype=np.int64)
        self.doc_source = np.array([(d.source or "").lower() for d in documents], dtype=object)
        self.doc_hashes: dict[str, str] = {}

    @classmethod
    def load(cls, path: Path, embedding_model: str | None = None) -> "Index":
        path = Path(path)
        manifest = read_manifest(path)
        if manifest is None:
            raise IndexNotFound(f"no index at {path}: build one with `archivist index`")
        check_compatible(manifest, embedding_model)
        data = path / manifest["data_dir"]
        try:
            documents, chunks, doc_index, embeddings, hashes = load_data(data)
            dense = load_dense(data / "dense.faiss", manifest["dense"]["kind"], manifest["embedding"]["dimension"])
            lexical = LexicalIndex.load(data / "bm25", len(chunks))
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            raise IndexMismatch(f"index at {path} is damaged ({exc}); rebuild with `archivist index --full`") from exc
        index = cls(path, manifest, documents, chunks, doc_index, embeddings, dense, lexical)
        index.doc_hashes = hashes
        return index

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


def check_compatible(manifest: dict, embedding_model: str | None) -> None:
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise IndexMismatch(
            f"index format version {version} does not match this Archivist (version {FORMAT_VERSION}); "
            "rebuild with `archivist index --full`"
        )
    if embedding_model is not None:
        from .embedder import resolve_embedding_model

        name, _ = resolve_embedding_model(embedding_model)
        built = manifest["embedding"]["model"]
        if name != built:
            raise IndexMismatch(
                f"index was built with embedding model '{built}' but '{name}' is configured; "
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


def remove_stale(path: Path, keep: str) -> None:
    """Delete data folders (and leftovers of killed builds) other than ``keep``."""
    for child in Path(path).iterdir():
        if child.is_dir() and child.name.startswith("data-") and child.name != keep:
            shutil.rmtree(child, ignore_errors=True)
