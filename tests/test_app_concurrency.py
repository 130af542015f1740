"""Several browser sessions at once on the chat page (Streamlit AppTest, one process): two ask
while a third rebuilds the index. They share the cached Assistant (``st.cache_resource``), as
real tabs of one server do. Real index, embedder and retrieval; the fake LLM.
"""
from __future__ import annotations

import json
import threading

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from assistant.indexer import build_index
from assistant.settings import Settings
from assistant.store import build_lock

from test_app import APP, ARTICLES, CABLES_Q, answers, write_archive

TIMEOUT = 180
LIBRARY_Q = "Who funded the children's wing of the Central Library?"
MUSEUM_Q = "What exhibit did the harbour museum reopen with?"


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    archive = write_archive(tmp_path / "archive")
    index = tmp_path / "index"
    build_index(Settings(archive=archive, index=index))
    monkeypatch.setenv("ARCHIVIST_ARCHIVE", str(archive))
    monkeypatch.setenv("ARCHIVIST_INDEX", str(index))
    monkeypatch.setenv("ARCHIVIST_LLM_BACKEND", "fake_llm:FakeLLM")
    monkeypatch.delenv("ARCHIVIST_MODEL", raising=False)
    return archive, index


@pytest.fixture
def overlapping_runs(monkeypatch):
    """Let AppTest runs overlap in threads. AppTest (a single-session harness) installs a mock
    Runtime in a process-global slot for each run and clears it when the run ends, and patches
    ``config.get_option`` for the run's duration; with runs overlapping, the first to end would
    pull the Runtime from under the others ("Runtime hasn't been created!"). Here the last mock
    installed stays visible, and ``config.get_option`` is restored after the test. Each AppTest
    run also compiles the script in a ScriptCache of its own, where a server has one whose lock
    serialises compiling; compiled concurrently, CPython 3.11's AST validator races ("SystemError:
    AST constructor recursion depth mismatch", seen once on a fresh clone), so compiling is
    serialised here as the server does. This changes the harness only, not the app or Streamlit's
    own sharing of ``st.cache_resource``."""
    from streamlit import config
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    compiling = threading.Lock()
    real_get_bytecode = ScriptCache.get_bytecode

    def get_bytecode(self, script_path):
        with compiling:
            return real_get_bytecode(self, script_path)

    monkeypatch.setattr(ScriptCache, "get_bytecode", get_bytecode)

    last: dict = {}
    real_instance = Runtime.instance.__func__

    def instance(cls):
        if cls._instance is not None:
            last["runtime"] = cls._instance
            return cls._instance
        return last["runtime"] if "runtime" in last else real_instance(cls)

    monkeypatch.setattr(Runtime, "instance", classmethod(instance))
    monkeypatch.setattr(Runtime, "exists", classmethod(lambda cls: cls._instance is not None or "runtime" in last))
    monkeypatch.setattr(config, "get_option", config.get_option)  # restored after the test


def page_problems(at: AppTest) -> list[str]:
    return [e.value for e in at.exception] + [e.value for e in at.error]


def session() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not page_problems(at)
    return at


def grow_archive(archive, n: int = 60) -> None:
    """Enough new articles that the rebuild embeds for a while (and so overlaps the answers)."""
    extra = [dict(title=f"Market report {i}", published="2024-05-01", source="Valley Times",
                  text=f"Stall {i} at the Saturday market sold apples, pears and honey. "
                       f"The market manager said stall {i} would return next week with plums.")
             for i in range(n)]
    extra.append(dict(title="Harbour museum reopens", published="2024-05-02", source="Coast Gazette",
                      text="The harbour museum reopened with a whale skeleton exhibit. "
                           "Its curator, Tomas Lind, said the skeleton took two years to restore."))
    (archive / "articles.jsonl").write_text("".join(json.dumps(a) + "\n" for a in ARTICLES + extra))


def test_two_sessions_ask_while_a_third_rebuilds(app_env, overlapping_runs):
    archive, _ = app_env
    asker1, asker2, builder = session(), session(), session()
    grow_archive(archive)
    failures: list[str] = []

    def ask(at: AppTest, questions: list[str]) -> None:
        try:
            for q in questions:
                at.chat_input[0].set_value(q).run()
        except Exception as exc:  # noqa: BLE001
            failures.append(f"{type(exc).__name__}: {exc}")

    def rebuild() -> None:
        try:
            builder.sidebar.button(key="rebuild").click().run()
        except Exception as exc:  # noqa: BLE001
            failures.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=ask, args=(asker1, [CABLES_Q, LIBRARY_Q])),
               threading.Thread(target=ask, args=(asker2, [LIBRARY_Q, CABLES_Q])),
               threading.Thread(target=rebuild)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures
    for at in (asker1, asker2, builder):
        assert not page_problems(at), page_problems(at)
    for at, order in ((asker1, ["Maria Okafor", "Central Library"]), (asker2, ["Central Library", "Maria Okafor"])):
        got = answers(at)
        assert len(got) == 2, got
        assert all(name in text for name, text in zip(order, got)), got
    assert any("Index built" in s.value for s in builder.success), [s.value for s in builder.success]
    # The sessions now answer from the rebuilt index (the shared Assistant reloaded it).
    asker1.chat_input[0].set_value(MUSEUM_Q).run()
    assert not page_problems(asker1)
    assert "whale skeleton" in answers(asker1)[-1]


def test_rebuild_while_another_build_runs_says_so(app_env):
    _, index = app_env
    at = session()
    with build_lock(index):  # a CLI build holds the lock
        at.sidebar.button(key="rebuild").click().run()
    assert not at.exception and not at.error, page_problems(at)
    assert any("A build is already running" in i.value for i in at.info), [i.value for i in at.info]
