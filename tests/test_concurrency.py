"""Index writes under concurrency and faults, with real components: the build lock, unique temp
files, the cleanup grace policy, readers that retry, and the embedding-model fingerprint.

Real processes (``python -m assistant index``), the real embedder, real FAISS/BM25; the LLM is the
fake extractive backend, since what is checked is that retrieval over the index keeps working.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.indexer import build_index
from assistant.store import (LOCK_FILE, MANIFEST, BuildInProgress, Index, IndexMismatch, build_lock, read_manifest,
                             write_atomic)

from conftest import ARTICLES, write_archive

REPO = Path(__file__).resolve().parents[1]
QUESTION = "How many warning shots did South Korean troops fire?"


def data_dirs(index: Path) -> set[str]:
    return {p.name for p in index.iterdir() if p.is_dir() and p.name.startswith("data-")}


def more_articles(n: int) -> list[dict]:
    """The fixture articles plus ``n`` filler ones, so a build takes a moment."""
    filler = [
        {"id": f"filler-{i}", "title": f"Council notes {i}", "published": "2018-01-01", "source": "Town Crier",
         "text": f"The town council met for session {i} and discussed parking, drainage and the library roof. "
                 f"Item {i} on the agenda was the bus timetable for the northern villages."}
        for i in range(n)
    ]
    return ARTICLES + filler


def assert_answers(settings, embedder) -> None:
    from assistant.pipeline import Assistant
    from assistant.types import Answer

    assistant = Assistant(settings, embedder=embedder)
    final = [x for x in assistant.stream(QUESTION) if isinstance(x, Answer)][-1]
    assert not final.refused and "20 warning shots" in final.answer, final.answer
    assert final.citations and final.citations[0].doc_id == "news.jsonl#fog"


# ---------------------------------------------------------------- the lock


def test_second_builder_without_wait_is_told_a_build_is_running(built, embedder):
    settings, _ = built
    with build_lock(settings.index):
        with pytest.raises(BuildInProgress, match="a build is already running"):
            build_index(settings, embedder=embedder, wait=False)
        # The CLI says the same in one line, with the "try again later" exit status.
        from typer.testing import CliRunner

        from assistant.cli import app

        result = CliRunner().invoke(app, ["index", "--archive", str(settings.archive), "--index", str(settings.index),
                                          "--no-wait"])
        assert result.exit_code == 75
        assert "a build is already running" in " ".join(result.output.split())
    assert (settings.index / LOCK_FILE).exists()
    assert build_index(settings, embedder=embedder, wait=False).unchanged == 1  # free again


def test_second_builder_waits_for_the_first_then_builds(built, embedder):
    settings, _ = built
    (settings.archive / "late.txt").write_text("Late news\n\nThe ceasefire talks collapsed on Friday evening.\n")
    stages, holding = [], threading.Event()

    def hold():
        with build_lock(settings.index):
            holding.set()
            time.sleep(1.0)

    t = threading.Thread(target=hold)
    t.start()
    holding.wait()
    t0 = time.perf_counter()
    report = build_index(settings, embedder=embedder, progress=lambda stage, d, n: stages.append(stage))
    waited = time.perf_counter() - t0
    t.join()
    assert stages[0] == "waiting" and waited >= 0.5
    assert report.wrote and report.added == 1


def test_waiting_builder_gives_up_after_the_timeout(built, embedder):
    settings, _ = built
    with build_lock(settings.index):
        with pytest.raises(BuildInProgress, match=r"waited 0.3 s"):
            build_index(settings.with_(build_lock_timeout=0.3), embedder=embedder)


# ---------------------------------------------------------------- atomic writes and cleanup


def test_write_atomic_uses_unique_temp_files(tmp_path):
    target = tmp_path / "manifest.json"
    payloads = [json.dumps({"writer": i, "pad": "x" * 200_000}).encode() for i in range(8)]
    errors = []

    def write(data):
        try:
            for _ in range(10):
                write_atomic(target, data)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(p,)) for p in payloads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert target.read_bytes() in payloads
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]


def test_cleanup_keeps_the_previous_build_and_removes_older_and_orphans(built, embedder):
    settings, _ = built
    first = read_manifest(settings.index)["data_dir"]
    (settings.archive / "a.txt").write_text("Storm\n\nA storm closed the harbour on Monday.\n")
    build_index(settings, embedder=embedder)
    second = read_manifest(settings.index)
    assert second["previous_data_dir"] == first
    assert data_dirs(settings.index) == {first, second["data_dir"]}  # a reader of the old manifest still finds it
    (settings.archive / "b.txt").write_text("Fair\n\nThe autumn fair opened on Saturday.\n")
    build_index(settings, embedder=embedder)
    third = read_manifest(settings.index)
    assert third["previous_data_dir"] == second["data_dir"]
    assert data_dirs(settings.index) == {second["data_dir"], third["data_dir"]}  # the first is gone
    # What a killed build leaves (a half-written folder, a manifest temp file) goes with the next
    # build, even one that has nothing to write.
    (settings.index / "data-20000101T000000-dead00").mkdir()
    (settings.index / "manifest.json.abc123.tmp").write_text("{")
    again = build_index(settings, embedder=embedder)
    assert not again.wrote
    assert data_dirs(settings.index) == {second["data_dir"], third["data_dir"]}
    assert not list(settings.index.glob("*.tmp"))


def test_reader_retries_when_its_data_folder_vanishes(built, monkeypatch):
    """The window between reading the manifest and reading the data: a build commits and its
    cleanup deletes the folder the reader was about to open."""
    import assistant.store as store

    settings, _ = built
    index = settings.index
    old = read_manifest(index)
    real = store.load_data
    calls = []

    def racing_load(data):
        calls.append(data.name)
        if len(calls) == 1:
            moved = dict(old, data_dir="data-29990101T000000-new000")
            shutil.copytree(index / old["data_dir"], index / moved["data_dir"])
            write_atomic(index / MANIFEST, json.dumps(moved).encode())
            shutil.rmtree(index / old["data_dir"])
        return real(data)

    monkeypatch.setattr(store, "load_data", racing_load)
    loaded = Index.load(index, "bundled")
    assert calls == [old["data_dir"], "data-29990101T000000-new000"]
    assert loaded.manifest["data_dir"] == "data-29990101T000000-new000" and len(loaded.doc_list) == 4


def test_damaged_index_is_still_reported_not_retried_forever(built):
    settings, _ = built
    manifest = read_manifest(settings.index)
    shutil.rmtree(settings.index / manifest["data_dir"])
    with pytest.raises(IndexMismatch, match="damaged"):
        Index.load(settings.index, "bundled")


# ---------------------------------------------------------------- real processes


def _index_cmd(settings, *extra) -> list[str]:
    return [sys.executable, "-m", "assistant", "index", "--archive", str(settings.archive),
            "--index", str(settings.index), *extra]


def test_two_index_processes_and_readers_at_once(settings, embedder):
    """Two `archivist index --full` processes on one index while a reader loads and asks in a
    loop: both succeed (one after the other), the index holds one build's data (plus the previous
    build's folder, kept for readers), and no reader ever fails."""
    from assistant.pipeline import Assistant
    from assistant.types import Answer

    write_archive(settings.archive, more_articles(20))
    build_index(settings, embedder=embedder)
    env = dict(os.environ, HF_HUB_OFFLINE="1", ARCHIVIST_LLM_BACKEND="fake_llm:FakeLLM",
               ARCHIVIST_CACHE_DIR=str(settings.cache_dir),
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "tests"), os.environ.get("PYTHONPATH", "")])))
    stop, errors, rounds, seen = threading.Event(), [], [0], set()

    def reader():
        assistant = Assistant(settings, embedder=embedder)
        while not stop.is_set():
            try:
                assistant.reload_index()
                seen.add(assistant.index.manifest["data_dir"])
                final = [x for x in assistant.stream(QUESTION) if isinstance(x, Answer)][-1]
                if final.refused or "20 warning shots" not in final.answer:
                    errors.append(f"bad answer: {final.answer!r}")
                rounds[0] += 1
            except Exception as exc:  # noqa: BLE001 - every failure is a finding
                errors.append(f"{type(exc).__name__}: {exc}")
            stop.wait(0.05)  # leave the builders some CPU

    t = threading.Thread(target=reader)
    t.start()
    procs = [subprocess.Popen(_index_cmd(settings, "--full"), env=env, cwd=REPO, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    stop.set()
    t.join()
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert "index written" in out
    assert not errors, errors[:5]
    assert rounds[0] >= 2
    manifest = read_manifest(settings.index)
    dirs = data_dirs(settings.index)
    assert manifest["data_dir"] in dirs and dirs <= {manifest["data_dir"], manifest["previous_data_dir"]}, dirs
    index = Index.load(settings.index, "bundled")
    assert len(index.doc_list) == 24 and len(index.chunks) == len(index.embeddings)
    assert_answers(settings, embedder)


# ---------------------------------------------------------------- embedding-model identity


def _model_variant(tmp_path: Path, name: str, max_seq_length: int | None = None) -> Path:
    """A copy of the bundled model folder (weights linked, not copied); optionally with another
    max_seq_length, which makes it compute different vectors for long texts."""
    from assistant.embedder import resolve_embedding_model

    _, src = resolve_embedding_model("bundled")
    dst = tmp_path / name
    for file in src.rglob("*"):
        target = dst / file.relative_to(src)
        if file.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if file.stat().st_size > 1_000_000:
            os.symlink(file, target)
        else:
            shutil.copy2(file, target)
    if max_seq_length is not None:
        config = dst / "sentence_bert_config.json"
        data = json.loads(config.read_text())
        data["max_seq_length"] = max_seq_length
        config.write_text(json.dumps(data))
    return dst


def test_manifest_records_the_model_fingerprint(built, embedder):
    from assistant.embedder import embedding_fingerprint

    settings, _ = built
    manifest = read_manifest(settings.index)
    fingerprint = manifest["embedding"]["fingerprint"]
    assert fingerprint.startswith("sha256:") and len(fingerprint) == 71
    assert fingerprint == embedder.fingerprint == embedding_fingerprint("bundled")


def test_same_named_different_model_is_refused_and_never_mixed(built, embedder, tmp_path):
    settings, _ = built
    other = _model_variant(tmp_path / "elsewhere", "all-MiniLM-L6-v2", max_seq_length=128)
    with pytest.raises(IndexMismatch, match=r"different model \(same folder name.*archivist index --full"):
        Index.load(settings.index, str(other))
    # An incremental build with that model rebuilds everything instead of mixing vectors.
    before = read_manifest(settings.index)
    (settings.archive / "late.txt").write_text("Late news\n\nThe ceasefire talks collapsed on Friday evening.\n")
    report = build_index(settings.with_(embedding_model=str(other)))
    assert report.full and "embedding model changed" in report.reason
    assert report.embedded_chunks == report.chunks
    after = read_manifest(settings.index)
    assert after["embedding"]["fingerprint"] != before["embedding"]["fingerprint"]
    Index.load(settings.index, str(other))


def test_same_model_in_a_folder_of_another_name_is_accepted(built, tmp_path):
    settings, _ = built
    renamed = _model_variant(tmp_path, "my-minilm-copy")
    index = Index.load(settings.index, str(renamed))
    assert index.manifest["embedding"]["model"] == "all-MiniLM-L6-v2"


def test_version_1_manifest_without_fingerprint_needs_a_full_rebuild(built, embedder):
    settings, _ = built
    path = settings.index / MANIFEST
    manifest = json.loads(path.read_text())
    manifest["format_version"] = 1
    del manifest["embedding"]["fingerprint"]
    path.write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatch, match="archivist index --full"):
        Index.load(settings.index, "bundled")
    report = build_index(settings, embedder=embedder)
    assert report.full and report.wrote


def test_fingerprint_is_cached_on_disk(tmp_path):
    import assistant.embedder as emb

    folder = _model_variant(tmp_path, "cached-minilm")
    cache = tmp_path / "cache"
    first = emb.model_fingerprint(folder, cache)
    entries = json.loads((cache / "embedding-fingerprints.json").read_text())
    assert any(k.endswith("sentence_bert_config.json") for k in entries)
    emb._file_hashes.clear()  # a new process: the disk cache answers, no file is read
    real = emb._sha256
    emb._sha256 = lambda f: (_ for _ in ()).throw(AssertionError(f"re-hashed {f}"))
    try:
        assert emb.model_fingerprint(folder, cache) == first
    finally:
        emb._sha256 = real
    # A changed file changes the fingerprint.
    (folder / "sentence_bert_config.json").write_text('{"max_seq_length": 64, "do_lower_case": false}')
    assert emb.model_fingerprint(folder, cache) != first
