"""Build or update the index from the archive folder, incrementally and atomically.

Change detection is two-level: a file whose sha256 is unchanged is not even parsed; in a changed
file (say a jsonl export with one edited record) only documents whose content hash changed are
re-chunked and re-embedded, the rest reuse their stored vectors. A build with no change writes
nothing and embeds nothing. A change of the loaders (``ingest.EXTRACTION_VERSION``) re-reads
every file once, re-embedding only the articles that come out different. Chunking settings or
the embedding model differing from the stored index force a full rebuild (the old vectors would
not be comparable).

The FAISS and BM25 structures are rebuilt from stored vectors and texts on every build that
writes: cheap next to embedding (about a second per 100k chunks for exact search; HNSW takes longer).

Every build holds the index folder's build lock (``store.build_lock``) from reading the previous
manifest to cleaning up, so the CLI and the page never build at once: a second build waits
(``settings.build_lock_timeout`` seconds, then ``BuildInProgress``) or, with ``wait=False``, fails
at once with ``BuildInProgress``. The embedding model is identified by its fingerprint (a hash of
its files): a stored index made with another model is rebuilt in full, never mixed.
"""
from __future__ import annotations

import hashlib
import json
import platform
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import numpy as np

from .chunking import ChunkingConfig, chunk_document
from .dense import build_dense, choose_kind
from .embedder import Embedder, embedding_fingerprint, load_embedder, model_fingerprint
from .lexical import LexicalIndex
from .ingest import EXTRACTION_VERSION, ArchiveError, load_file, scan_archive
from .settings import Settings
from .store import (FORMAT_VERSION, MANIFEST, BuildInProgress, Index, IndexError_, build_lock,  # noqa: F401
                    chunk_embedding_texts, read_manifest, remove_stale, write_atomic, write_data)
from .types import Chunk, Document, SkippedFile

ProgressCallback = Callable[[str, int, int], None]


@dataclass
class BuildReport:
    files_seen: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    reread: int = 0  # unchanged files read again because the loaders changed (``EXTRACTION_VERSION``)
    skipped: list[SkippedFile] = field(default_factory=list)
    documents: int = 0
    chunks: int = 0
    embedded_chunks: int = 0
    seconds: float = 0.0
    wrote: bool = False
    full: bool = False
    reason: str = ""  # why a full rebuild happened, when it did


def doc_hash(doc: Document) -> str:
    """Hash of everything that goes into a document's chunks and stored metadata."""
    payload = json.dumps([doc.text, doc.title, doc.published, doc.source, doc.url, doc.authors, doc.pages, doc.extra],
                         ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("sentence-transformers", "faiss-cpu", "bm25s", "torch", "transformers"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return out


def build_index(settings: Settings, full: bool = False, progress: ProgressCallback | None = None,
                embedder: Embedder | None = None, wait: bool = True) -> BuildReport:
    """Build or update the index under the index folder's build lock. ``wait=False``: raise
    ``BuildInProgress`` at once if another build (another process, thread or page) holds it;
    otherwise wait up to ``settings.build_lock_timeout`` seconds (negative: forever)."""
    index_path = Path(settings.index)
    on_wait = (lambda: progress("waiting", 0, 1)) if progress else None  # another build holds the lock
    with build_lock(index_path, wait=wait, timeout=settings.build_lock_timeout, on_wait=on_wait):
        return _build_locked(settings, full, progress, embedder)


def _build_locked(settings: Settings, full: bool, progress: ProgressCallback | None,
                  embedder: Embedder | None) -> BuildReport:
    t0 = time.perf_counter()
    archive, index_path = Path(settings.archive), Path(settings.index)
    report = BuildReport(full=full)
    sources, scan_skipped = scan_archive(archive)
    report.files_seen = len(sources)

    config = ChunkingConfig(settings.chunk_tokens, settings.chunk_overlap)
    fingerprint = (_fingerprint_of(embedder) if embedder is not None
                   else embedding_fingerprint(settings.embedding_model, settings.cache_dir))
    old = None if full else _load_previous(index_path, settings, config, report, fingerprint)
    report.full = old is None
    old_files = old.manifest["files"] if old else {}
    # Files are trusted unread only when the same loaders read them (indexes from before the
    # version was recorded count as version 1).
    same_reader = old is not None and old.manifest.get("extraction", 1) == EXTRACTION_VERSION

    files: dict[str, dict] = {}
    changed_docs: list[Document] = []
    kept_doc_ids: list[str] = []
    skipped = list(scan_skipped)
    for i, src in enumerate(sources):
        prev = old_files.get(src.rel)
        if prev and prev["sha256"] == src.sha256 and same_reader:
            report.unchanged += 1
            files[src.rel] = prev
            kept_doc_ids.extend(prev["doc_ids"])
            skipped.extend(SkippedFile(**s) for s in prev.get("skipped", []))
        else:
            if prev and prev["sha256"] == src.sha256:
                report.reread += 1
            elif prev:
                report.updated += 1
            else:
                report.added += 1
            loaded = load_file(src, max_chars=settings.max_chars)
            files[src.rel] = {"sha256": src.sha256, "size": src.size, "doc_ids": [d.id for d in loaded.documents],
                              "skipped": [{"path": s.path, "reason": s.reason} for s in loaded.skipped]}
            changed_docs.extend(loaded.documents)
            skipped.extend(loaded.skipped)
        if progress:
            progress("files", i + 1, len(sources))
    report.removed = sum(1 for rel in old_files if rel not in files)
    report.skipped = skipped

    documents = [old.documents[d] for d in kept_doc_ids] if old else []
    documents += changed_docs
    report.documents = len(documents)
    if not documents:
        raise ArchiveError(f"no article found in {archive} (supported: .txt .md .html .htm .pdf .json .jsonl)")

    if old is not None and report.added == report.updated == report.removed == report.reread == 0:
        # Nothing to write; still clear what killed builds left behind.
        remove_stale(index_path, keep={old.manifest["data_dir"], old.manifest.get("previous_data_dir")})
        report.chunks = len(old.chunks)
        report.seconds = time.perf_counter() - t0
        return report

    embedder = embedder or load_embedder(settings)
    hashes = {d.id: doc_hash(d) for d in documents}
    old_rows: dict[str, list[int]] = {}
    if old is not None:
        for row, c in enumerate(old.chunks):
            old_rows.setdefault(c.doc_id, []).append(row)

    chunks: list[Chunk] = []
    vectors: list[np.ndarray | None] = []
    to_embed: list[int] = []
    for doc in documents:
        if old is not None and old.doc_hashes.get(doc.id) == hashes[doc.id] and doc.id in old_rows:
            for row in old_rows[doc.id]:
                chunks.append(old.chunks[row])
                vectors.append(old.embeddings[row])
            continue
        for c in chunk_document(doc, embedder, config):
            to_embed.append(len(chunks))
            chunks.append(c)
            vectors.append(None)

    dim = embedder.dimension
    embeddings = np.zeros((len(chunks), dim), dtype=np.float32)
    for row, v in enumerate(vectors):
        if v is not None:
            embeddings[row] = v
    if to_embed:
        texts = chunk_embedding_texts(documents, [chunks[r] for r in to_embed])
        cb = (lambda done, total: progress("embedding", done, total)) if progress else None
        embeddings[to_embed] = embedder.encode(texts, batch_size=settings.embed_batch_size, progress=cb)
    report.embedded_chunks = len(to_embed)
    report.chunks = len(chunks)

    kind = choose_kind(len(chunks), settings.exact_search_limit)
    dense = build_dense(embeddings, kind)
    lexical = LexicalIndex.build(chunk_embedding_texts(documents, chunks))

    index_path.mkdir(parents=True, exist_ok=True)
    data_dir = f"data-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    write_data(index_path / data_dir, documents, hashes, chunks, embeddings, dense, lexical)
    # The folder the committed manifest names now (even one this build could not reuse): readers
    # may be loading it, so cleanup keeps it until the next build.
    previous = _committed_data_dir(index_path)
    manifest = {
        "format_version": FORMAT_VERSION,
        "data_dir": data_dir,
        "previous_data_dir": previous if previous != data_dir else None,
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "archive": str(archive.resolve()),
        "embedding": {"model": embedder.name, "dimension": dim, "path": str(embedder.path),
                      "fingerprint": fingerprint},
        "chunking": config.as_dict(),
        "extraction": EXTRACTION_VERSION,
        "dense": {"kind": kind, "exact_search_limit": settings.exact_search_limit},
        "libraries": _library_versions(),
        "counts": {"documents": len(documents), "chunks": len(chunks), "files": len(files)},
        "files": files,
        "skipped": [{"path": s.path, "reason": s.reason} for s in skipped],
    }
    write_atomic(index_path / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8"))
    remove_stale(index_path, keep={data_dir, previous})
    report.wrote = True
    report.seconds = time.perf_counter() - t0
    return report


def _fingerprint_of(embedder) -> str:
    """An embedder's model fingerprint; stand-ins without one (benchmarks) get their folder's."""
    fingerprint = getattr(embedder, "fingerprint", None)
    return fingerprint if isinstance(fingerprint, str) else model_fingerprint(embedder.path)


def _committed_data_dir(index_path: Path) -> str | None:
    try:
        manifest = read_manifest(index_path)
    except IndexError_:
        return None
    data_dir = (manifest or {}).get("data_dir")
    return data_dir if isinstance(data_dir, str) else None


def _load_previous(index_path: Path, settings: Settings, config: ChunkingConfig, report: BuildReport,
                   fingerprint: str) -> Index | None:
    """The stored index when it can be reused incrementally; None means rebuild everything."""
    try:
        manifest = read_manifest(index_path)
        if manifest is None:
            return None
        if manifest.get("chunking") != config.as_dict():
            report.reason = "chunking settings changed"
            return None
        old = Index.load(index_path)
        if old.manifest["embedding"].get("fingerprint") != fingerprint:
            # Another model (whatever its folder is called): its vectors must not be mixed in.
            report.reason = f"embedding model changed (index built with '{old.manifest['embedding']['model']}')"
            return None
        return old
    except IndexError_ as exc:
        report.reason = str(exc)
        return None
