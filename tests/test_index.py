"""Index builds with the real embedder and real FAISS: spans, incremental updates, safety."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from assistant.chunking import ChunkingConfig, chunk_document, embedding_text, sentence_spans
from assistant.indexer import build_index
from assistant.ingest import ArchiveError
from assistant.store import FORMAT_VERSION, MANIFEST, Index, IndexMismatch, IndexNotFound
from assistant.types import Document

from conftest import ARTICLES, write_archive


def live_and_previous(index) -> bool:
    """The data folders are exactly the committed one and the one the previous manifest named."""
    manifest = json.loads((index / MANIFEST).read_text())
    dirs = {p.name for p in index.iterdir() if p.name.startswith("data-")}
    return dirs == {manifest["data_dir"], manifest["previous_data_dir"]} - {None}


def test_build_then_load_keeps_exact_spans(built, embedder):
    settings, report = built
    assert report.wrote and report.documents == 4 and report.embedded_chunks == report.chunks > 0
    index = Index.load(settings.index, "bundled")
    assert index.status().articles == 4
    for chunk in index.chunks:
        assert index.documents[chunk.doc_id].text[chunk.start:chunk.end] == chunk.text
    manifest = json.loads((settings.index / MANIFEST).read_text())
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["embedding"] == {"model": "all-MiniLM-L6-v2", "dimension": 384, "path": manifest["embedding"]["path"],
                                     "fingerprint": embedder.fingerprint}
    assert manifest["chunking"]["chunk_tokens"] == settings.chunk_tokens
    assert manifest["files"]["news.jsonl"]["doc_ids"] == ["news.jsonl#fog", "news.jsonl#jsa", "news.jsonl#economy", "news.jsonl#bakery"]
    assert len(manifest["files"]["news.jsonl"]["sha256"]) == 64
    # The stored vectors are the model's vectors of the title-carrying chunk texts.
    doc = index.documents[index.chunks[0].doc_id]
    expected = embedder.encode([embedding_text(doc.title, index.chunks[0].text)])[0]
    assert np.allclose(index.embeddings[0], expected, atol=1e-5)


def test_long_document_chunks_are_never_truncated(embedder):
    sentence = "The committee reviewed the emergency budget for flood defences in the northern provinces again. "
    text = sentence * 60 + ("x" * 3000) + " final words."
    doc = Document(id="long", text=text, title="A fairly long headline about flood defence budgets " * 2)
    chunks = chunk_document(doc, embedder, ChunkingConfig(chunk_tokens=200, overlap=40))
    assert len(chunks) > 5
    for c in chunks:
        assert text[c.start:c.end] == c.text
        assert embedder.count_tokens(embedding_text(doc.title[:400], c.text)) <= 256
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    # Overlap: consecutive chunks share text.
    assert any(chunks[i].end > chunks[i + 1].start for i in range(len(chunks) - 1))


def test_chunk_sentences_cover_every_character():
    # The shared splitter trims list bullets off a sentence; chunks must still keep them.
    text = "Dr. Kim met U.S. officials at 9 a.m. Monday. It rained.\n\n- First point here.\n- Second point."
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "Dr. Kim met U.S. officials at 9 a.m. Monday.", "It rained.", "- First point here.", "- Second point."]
    covered = set().union(*(range(a, b) for a, b in spans))
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


def test_no_change_rebuild_embeds_nothing(built, embedder):
    settings, _ = built
    before = (settings.index / MANIFEST).read_bytes()
    again = build_index(settings, embedder=embedder)
    assert (again.added, again.updated, again.removed, again.embedded_chunks, again.wrote) == (0, 0, 0, 0, False)
    assert again.unchanged == 1
    assert (settings.index / MANIFEST).read_bytes() == before


def test_incremental_add_change_delete(built, embedder):
    settings, first = built
    archive = settings.archive
    # Change one record inside the jsonl: only that document is re-embedded.
    changed = [dict(a) for a in ARTICLES]
    changed[3]["text"] = "The bakery closed for the winter after a storm damaged its roof. The owner plans to reopen in spring."
    write_archive(archive, changed)
    (archive / "extra.md").write_text("---\ntitle: Talks resume\ndate: 2018-01-09\nsource: Harbour Times\n---\nOfficials from both Koreas met at Panmunjom for the first talks in two years.\n")
    report = build_index(settings, embedder=embedder)
    assert (report.added, report.updated, report.removed) == (1, 1, 0)
    index = Index.load(settings.index, "bundled")
    bakery_chunks = [c for c in index.chunks if c.doc_id == "news.jsonl#bakery"]
    new_chunks = [c for c in index.chunks if c.doc_id == "extra.md"]
    assert report.embedded_chunks == len(bakery_chunks) + len(new_chunks)
    assert "storm damaged" in index.documents["news.jsonl#bakery"].text
    # Delete a file: its chunks go, nothing is embedded.
    (archive / "extra.md").unlink()
    report = build_index(settings, embedder=embedder)
    assert (report.added, report.updated, report.removed, report.embedded_chunks) == (0, 0, 1, 0)
    index = Index.load(settings.index, "bundled")
    assert "extra.md" not in index.documents and not any(c.doc_id == "extra.md" for c in index.chunks)
    # Only the live data folder remains, and the previous one (kept for readers of the old manifest).
    assert live_and_previous(settings.index)


def test_changed_loaders_reread_every_file_once(built, embedder, monkeypatch):
    """An index from older loaders is re-read, not trusted: a loader fix reaches files indexed
    before it. Articles that come out the same keep their vectors."""
    from assistant import indexer
    from assistant.ingest import EXTRACTION_VERSION

    settings, first = built
    manifest_path = settings.index / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    assert manifest["extraction"] == EXTRACTION_VERSION
    del manifest["extraction"]  # written before the version was recorded: version 1
    manifest_path.write_text(json.dumps(manifest))
    report = build_index(settings, embedder=embedder)
    assert (report.reread, report.unchanged, report.added, report.updated) == (1, 0, 0, 0)
    assert report.wrote and report.embedded_chunks == 0
    assert json.loads(manifest_path.read_text())["extraction"] == EXTRACTION_VERSION
    assert build_index(settings, embedder=embedder).wrote is False

    # Newer loaders that read one article differently: only that article is embedded again.
    load = indexer.load_file

    def fixed(source, **kw):
        result = load(source, **kw)
        for doc in result.documents:
            if doc.id == "news.jsonl#bakery":
                doc.text += " The owner thanked customers."
        return result

    monkeypatch.setattr(indexer, "load_file", fixed)
    monkeypatch.setattr(indexer, "EXTRACTION_VERSION", EXTRACTION_VERSION + 1)
    report = build_index(settings, embedder=embedder)
    index = Index.load(settings.index, "bundled")
    bakery = [c for c in index.chunks if c.doc_id == "news.jsonl#bakery"]
    assert report.reread == 1 and report.embedded_chunks == len(bakery) < report.chunks
    assert index.documents["news.jsonl#bakery"].text.endswith("thanked customers.")


def test_full_rebuild_embeds_everything(built, embedder):
    settings, first = built
    report = build_index(settings, full=True, embedder=embedder)
    assert report.wrote and report.embedded_chunks == first.chunks


def test_model_or_format_mismatch_is_refused(built, tmp_path):
    settings, _ = built
    manifest_path = settings.index / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    fingerprint = manifest["embedding"]["fingerprint"]
    manifest["embedding"]["fingerprint"] = "sha256:" + "0" * 64  # another model's files
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatch, match="rebuild"):
        Index.load(settings.index, "bundled")
    manifest["embedding"]["fingerprint"] = fingerprint
    manifest["format_version"] = FORMAT_VERSION + 1
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatch, match="format version"):
        Index.load(settings.index, "bundled")
    with pytest.raises(IndexNotFound, match="archivist index"):
        Index.load(tmp_path / "nowhere", "bundled")


@pytest.mark.parametrize("fail_at", ["encode", "write_data", "write_atomic"])
def test_interrupted_build_leaves_previous_index_usable(built, embedder, monkeypatch, fail_at):
    settings, _ = built
    before = Index.load(settings.index, "bundled")
    (settings.archive / "late.txt").write_text("Late news\n\nThe ceasefire talks collapsed on Friday evening.\n")

    class Killed(Exception):
        pass

    def boom(*a, **k):
        raise Killed()

    import assistant.indexer as indexer

    if fail_at == "encode":
        monkeypatch.setattr(embedder, "encode", boom)
    else:
        monkeypatch.setattr(indexer, fail_at, boom)
    with pytest.raises(Killed):
        build_index(settings, embedder=embedder)
    monkeypatch.undo()
    after = Index.load(settings.index, "bundled")
    assert after.manifest == before.manifest
    assert [c.text for c in after.chunks] == [c.text for c in before.chunks]
    assert "late.txt" not in after.documents
    # The next build recovers and cleans the half-written data folder.
    report = build_index(settings, embedder=embedder)
    assert report.added == 1
    assert live_and_previous(settings.index)


def test_killed_build_process_leaves_previous_index_usable(built, tmp_path):
    """A real SIGKILL in the middle of embedding a larger rebuild."""
    import signal
    import subprocess
    import sys
    import time

    settings, _ = built
    big = [dict(a, id=f"{a['id']}-{i}", text=a["text"] * 8) for i in range(40) for a in ARTICLES]
    write_archive(settings.archive, big)
    env = dict(os.environ, ARCHIVIST_ARCHIVE=str(settings.archive), ARCHIVIST_INDEX=str(settings.index))
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "index"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Wait until it is writing (a data folder appears) or give it time to be mid-embedding.
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        if len([p for p in settings.index.iterdir() if p.name.startswith("data-")]) > 1:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    index = Index.load(settings.index, "bundled")
    assert len(index.documents) in (4, 160)  # the old index, or the new one if it had already swapped in
    for c in index.chunks:
        assert index.documents[c.doc_id].text[c.start:c.end] == c.text


def test_empty_or_missing_archive_is_an_error(tmp_path, embedder):
    from assistant.settings import Settings

    with pytest.raises(ArchiveError):
        build_index(Settings(archive=tmp_path / "missing", index=tmp_path / "idx"), embedder=embedder)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("")
    with pytest.raises(ArchiveError, match="no article"):
        build_index(Settings(archive=empty, index=tmp_path / "idx"), embedder=embedder)
    assert not (tmp_path / "idx" / MANIFEST).exists()


def test_broken_files_are_reported_and_the_rest_indexed(settings, embedder):
    (settings.archive / "junk.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (settings.archive / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    report = build_index(settings, embedder=embedder)
    reasons = {s.path: s.reason for s in report.skipped}
    assert "junk.txt" in reasons and "broken.pdf" in reasons
    assert report.documents == 4
    # Unchanged broken files are reported again without being re-read.
    again = build_index(settings, embedder=embedder)
    assert {s.path for s in again.skipped} == set(reasons) and not again.wrote


def _two_page_pdf_index(tmp_path, embedder):
    """A pdf whose one chunk starts on page 1 while the sentence asked about is on page 2."""
    from assistant.settings import Settings

    from loader_fixtures import pdf_bytes

    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "harbour.pdf").write_bytes(pdf_bytes([
        ["Harbour report", "The port board met on Monday.", "It reviewed the dredging budget."],
        ["The crane lifted 41 boxes an hour.", "Dock workers praised the crew."],
    ]))
    settings = Settings(archive=archive, index=tmp_path / "index", llm_backend="fake_llm:FakeLLM", cache_dir=tmp_path / "cache")
    build_index(settings, embedder=embedder)
    return settings, Index.load(settings.index, "bundled")


def test_pdf_citation_page_is_the_page_of_the_cited_span(tmp_path, embedder):
    from assistant.citations import check_answer
    from assistant.types import Passage

    _, index = _two_page_pdf_index(tmp_path, embedder)
    [doc] = index.doc_list
    [chunk] = index.chunks
    assert [p[0] for p in doc.pages] == [1, 2] and chunk.page == 1
    passage = Passage(chunk_id=0, doc_id=doc.id, text=chunk.text, start=chunk.start, end=chunk.end, title=doc.title,
                      published=doc.published, source=doc.source, url=doc.url, path=doc.path, page=chunk.page)
    check = check_answer("The crane lifted 41 boxes an hour [1].", [passage], {doc.id: doc})
    [citation] = check.citations
    assert citation.quote == "The crane lifted 41 boxes an hour." and citation.page == 2
    first = check_answer("The port board met on Monday [1].", [passage], {doc.id: doc})
    assert first.citations[0].page == 1
    # Given only the texts, the page falls back to where the passage starts.
    assert check_answer("The crane lifted 41 boxes an hour [1].", [passage], {doc.id: doc.text}).citations[0].page == 1


def test_pdf_citation_page_end_to_end(tmp_path, embedder):
    """Through the assistant (fake LLM quoting the best sentence), as `ask --json` shows it."""
    from assistant.pipeline import Assistant
    from assistant.types import Answer

    settings, _ = _two_page_pdf_index(tmp_path, embedder)
    answer = [x for x in Assistant(settings, embedder=embedder).stream("How many boxes an hour did the crane lift?")
              if isinstance(x, Answer)][-1]
    assert not answer.refused and answer.citations, answer.answer
    assert "41 boxes" in answer.citations[0].quote
    assert answer.citations[0].page == 2
