"""The chat page (app.py) driven by Streamlit's AppTest over a real index built in tmp_path.

Real components throughout (loaders, chunker, embedder, FAISS/BM25, retriever, citation check);
the LLM is the deterministic fake (ARCHIVIST_LLM_BACKEND=fake_llm:FakeLLM, tests/fake_llm.py) except in the slow test, which runs
the bundled GGUF model through llama.cpp.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from assistant.indexer import build_index
from assistant.settings import Settings

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 120

ARTICLES = [
    dict(title="Harbor Bridge reopens after repairs", published="2024-03-10", source="Coast Gazette",
         url="https://gazette.example/bridge",
         text="The Harbor Bridge reopened on Monday after eight months of repairs. The city engineer, "
              "Maria Okafor, said the steel cables were replaced. Traffic is expected to return to normal by April."),
    dict(title="Central Library opens children's wing", published="2023-06-01", source="Valley Times",
         text="The Central Library opened a new children's wing on Saturday. The wing was funded by the "
              "Rosen Bakery and holds twelve thousand picture books."),
    dict(title="Harbor Bridge closes again", published="2024-09-01", source="Coast Gazette",
         text="The Harbor Bridge closed again in September because inspectors found cracks in the deck. "
              "Repairs to the Harbor Bridge may take until spring."),
    dict(title="<script>alert(1)</script> Council notes", source="Town Crier", url="javascript:alert(3)",
         text="Note <script>alert(1)</script> and <img src=x onerror=alert(2)> here. The town council approved "
              "new parking fees for the market square on Tuesday."),
]
CABLES_Q = "Who replaced the steel cables on the Harbor Bridge?"
CABLES_SPAN = "The city engineer, Maria Okafor, said the steel cables were replaced."


def write_archive(folder: Path, articles=ARTICLES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "articles.jsonl").write_text("".join(json.dumps(a) + "\n" for a in articles))
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("app")
    archive = write_archive(root / "archive")
    build_index(Settings(archive=archive, index=root / "index"))
    return archive, root / "index"


@pytest.fixture(autouse=True)
def fresh_cache():
    # st.cache_resource outlives an AppTest run: without this, tests would share an Assistant.
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def app_env(built, monkeypatch):
    archive, index = built
    monkeypatch.setenv("ARCHIVIST_ARCHIVE", str(archive))
    monkeypatch.setenv("ARCHIVIST_INDEX", str(index))
    monkeypatch.setenv("ARCHIVIST_LLM_BACKEND", "fake_llm:FakeLLM")
    monkeypatch.delenv("ARCHIVIST_MODEL", raising=False)
    return archive, index


def run_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert_clean(at)
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    """No traceback on the page, and no article markup turned into live html."""
    assert not at.exception, [e.value for e in at.exception]
    for h in at.html:
        assert "<script" not in h.value and "<img" not in h.value, h.value


def answers(at: AppTest) -> list[str]:
    return [h.value for h in at.html if 'class="archivist-answer"' in h.value]


def source_labels(at: AppTest) -> list[str]:
    return [e.label for e in at.expander]


def plain(label: str) -> str:
    """An expander label with its markdown escapes removed, as the page shows it."""
    return re.sub(r"\\(.)", r"\1", label)


def test_ask_shows_answer_with_cited_source_and_highlight(app_env):
    at = ask(run_app(), CABLES_Q)
    [answer] = answers(at)
    assert "Maria Okafor" in answer and re.search(r'<sup class="archivist-cite">\[\d\]</sup>', answer)
    assert any(m.value == "**Sources**" for m in at.markdown)
    label = plain(at.expander[0].label)
    assert re.fullmatch(r"\[\d\] Harbor Bridge reopens after repairs — Coast Gazette · 2024-03-10", label), label
    # Expander: the passage with the cited span marked, and the original link.
    source = at.expander[0]
    assert f"<mark>{CABLES_SPAN}</mark>" in source.html[0].value
    assert source.link_button[0].proto.url == "https://gazette.example/bridge"
    # Read the full article: an iframe with the span in <mark id=...> and the scroll script.
    source.toggle[0].set_value(True).run()
    assert_clean(at)
    [frame] = at.get("iframe")
    srcdoc = frame.proto.srcdoc
    assert f'<mark id="cited-span">{CABLES_SPAN}</mark>' in srcdoc
    assert "scrollTop" in srcdoc and srcdoc.count("<script>") == 1
    # The answer survives the rerun and the page still has one answer.
    assert len(answers(at)) == 1


def test_hostile_article_renders_as_text(app_env):
    at = ask(run_app(), "What new parking fees did the town council approve on Tuesday?")
    [answer] = answers(at)
    assert "parking fees" in answer
    label = plain(at.expander[0].label)
    assert re.match(r"\[\d\] <script>alert\(1\)</script> Council notes — Town Crier · date unknown", label), label
    passage = at.expander[0].html[0].value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in passage and "&lt;img src=x onerror=alert(2)&gt;" in passage
    assert len(at.expander[0].link_button) == 0  # javascript: url gets no link


def test_as_of_filter_excludes_later_article(app_env):
    question = "Why did the Harbor Bridge close again because of cracks?"
    at = ask(run_app(), question)
    assert any("Harbor Bridge closes again" in plain(label) for label in source_labels(at))
    assert "cracks" in answers(at)[-1]

    at.sidebar.date_input(key="as_of").set_value(dt.date(2024, 6, 1)).run()
    at = ask(at, question)
    last = at.chat_message[-1]
    later = [plain(e.label) for e in last.expander]
    assert later and not any("closes again" in label for label in later)
    assert "cracks" not in answers(at)[-1]
    assert any("as of 2024-06-01" in c.value for c in last.caption)


def test_follow_up_passes_history_and_models_load_once(app_env, monkeypatch):
    from assistant import pipeline
    from assistant.store import Index

    calls, inits, loads = [], [], []
    real_stream, real_init, real_load = pipeline.Assistant.stream, pipeline.Assistant.__init__, Index.load.__func__

    def stream(self, question, history=(), **kw):
        calls.append((question, list(history)))
        return real_stream(self, question, history, **kw)

    def init(self, *a, **kw):
        inits.append(1)
        real_init(self, *a, **kw)

    def load(cls, *a, **kw):
        loads.append(1)
        return real_load(cls, *a, **kw)

    monkeypatch.setattr(pipeline.Assistant, "stream", stream)
    monkeypatch.setattr(pipeline.Assistant, "__init__", init)
    monkeypatch.setattr(Index, "load", classmethod(load))

    at = ask(run_app(), CABLES_Q)
    first = answers(at)[0]
    at = ask(at, "And why?")
    assert len(answers(at)) == 2
    assert calls[0] == (CABLES_Q, [])
    question, history = calls[1]
    assert question == "And why?"
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert history[0]["content"] == CABLES_Q and "Maria Okafor" in history[1]["content"] and "Maria Okafor" in first
    # The bare follow-up finds nothing, so it was searched with the earlier topic, and the page
    # says what it searched for.
    assert any("searched for" in c.value and "Harbor" in c.value for c in at.chat_message[-1].caption)
    assert len(inits) == 1 and len(loads) == 1, (inits, loads)


def test_unsupported_sentence_is_marked(app_env, monkeypatch):
    from assistant import pipeline
    from assistant.types import Answer

    real_stream = pipeline.Assistant.stream

    def stream(self, *a, **kw):
        # The real pipeline, with its final Answer flagged as the citation checker would.
        for item in real_stream(self, *a, **kw):
            if isinstance(item, Answer):
                item.unsupported_sentences = [item.answer.strip()]
                for c in item.citations:
                    c.supported = False
            yield item

    monkeypatch.setattr(pipeline.Assistant, "stream", stream)
    at = ask(run_app(), CABLES_Q)
    [answer] = answers(at)
    assert re.search(r'<span class="archivist-unsupported"[^>]*>The city engineer.*⚠</span>', answer)
    assert any("⚠ marks a sentence" in c.value for c in at.caption)
    assert at.expander[0].label.endswith("⚠")
    assert at.expander[0].warning


def test_refusal_shows_closest_matches(app_env):
    at = ask(run_app(), "What is the best recipe for sourdough pizza dough?")
    [answer] = answers(at)
    assert "The archive does not say" in answer
    assert any(m.value == "**Closest matches**" for m in at.markdown)
    assert not any(m.value == "**Sources**" for m in at.markdown)
    assert at.expander and all("(match" in e.label for e in at.expander)


def test_a_week_the_archive_does_not_reach_is_refused_with_the_reason(app_env):
    at = run_app()
    at.sidebar.date_input(key="as_of").set_value(dt.date(2024, 12, 1)).run()
    at = ask(at, "Why did the Harbor Bridge close this week?")
    [answer] = answers(at)
    assert "it has no articles from this week (2024-11-25 to 2024-12-01); the newest it may read is from 2024-09-01" in answer
    assert any(m.value == "**Closest matches**" for m in at.markdown)
    assert any("read “this week” as 2024-11-25 – 2024-12-01" in c.value for c in at.chat_message[-1].caption)


def test_a_news_question_lists_the_newest_reports_on_its_topic(app_env):
    at = ask(run_app(), "What's the latest news about the Harbor Bridge?")
    [answer] = answers(at)
    closes, reopens = answer.index("closed again in September"), answer.index("reopened on Monday")
    assert closes < reopens and "Library" not in answer  # newest first, only the topic
    labels = [plain(e.label) for e in at.expander]
    assert labels[0].startswith("[1] Harbor Bridge closes again") and labels[1].startswith("[2] Harbor Bridge reopens")
    assert any("read “latest” as" in c.value for c in at.chat_message[-1].caption)
    assert "⚠" not in " ".join(c.value for c in at.caption)  # every lead supported by its source


def test_empty_index_then_build_button_builds(tmp_path, monkeypatch):
    archive = write_archive(tmp_path / "archive", ARTICLES[:2])
    monkeypatch.setenv("ARCHIVIST_ARCHIVE", str(archive))
    monkeypatch.setenv("ARCHIVIST_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("ARCHIVIST_LLM_BACKEND", "fake_llm:FakeLLM")
    at = run_app()
    assert at.info and "no index yet" in at.info[0].value.lower()
    assert len(at.chat_input) == 0
    at.button(key="build-empty").click().run()
    assert_clean(at)
    assert (tmp_path / "index").exists()
    assert len(at.chat_input) == 1
    assert any("Index built" in s.value for s in at.success)
    assert "**Articles:** 2" in at.sidebar.markdown[0].value
    at = ask(at, CABLES_Q)
    assert "Maria Okafor" in answers(at)[0]

    # Sidebar rebuild: incremental, then the running assistant answers from the new index.
    (archive / "more.jsonl").write_text(json.dumps(ARTICLES[2]) + "\n")
    at.sidebar.button(key="rebuild").click().run()
    assert_clean(at)
    assert any("1 added" in s.value for s in at.success), [s.value for s in at.success]
    assert "**Articles:** 3" in at.sidebar.markdown[0].value
    at = ask(at, "Why did the Harbor Bridge close again because of cracks?")
    assert "cracks" in answers(at)[-1]


def test_empty_archive_explains_how_to_add_articles(tmp_path, monkeypatch):
    (tmp_path / "archive").mkdir()
    monkeypatch.setenv("ARCHIVIST_ARCHIVE", str(tmp_path / "archive"))
    monkeypatch.setenv("ARCHIVIST_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("ARCHIVIST_LLM_BACKEND", "fake_llm:FakeLLM")
    at = run_app()
    at.button(key="build-empty").click().run()
    assert_clean(at)
    assert at.error, "an empty archive must say so"
    help_text = " ".join(m.value for m in at.markdown)
    assert str((tmp_path / "archive").resolve()) in help_text and ".jsonl" in help_text


def test_missing_model_says_what_to_do(app_env, tmp_path, monkeypatch):
    monkeypatch.setenv("ARCHIVIST_LLM_BACKEND", "llama")
    monkeypatch.setenv("ARCHIVIST_MODEL", str(tmp_path / "missing.gguf"))
    at = ask(run_app(), CABLES_Q)
    [error] = at.error
    assert error.value.startswith("Model problem:") and "missing.gguf" in error.value
    assert "\n" not in error.value and "Traceback" not in error.value
    assert any("ARCHIVIST_MODEL" in m.value for m in at.markdown)


@pytest.mark.slow
def test_real_bundled_model_answers_with_citation(app_env, monkeypatch):
    pytest.importorskip("llama_cpp")
    monkeypatch.setenv("ARCHIVIST_LLM_BACKEND", "llama")
    monkeypatch.setenv("ARCHIVIST_MODEL", "small")
    # Phrased so that the 0.5B model answers with a marker at temperature 0 (it does not always cite).
    at = ask(run_app(), "Who said the steel cables of the Harbor Bridge were replaced?")
    assert not at.error, [e.value for e in at.error]
    [answer] = answers(at)
    assert "Okafor" in answer
    assert re.search(r'<sup class="archivist-cite">\[\d\]</sup>', answer)
    assert "Harbor Bridge reopens after repairs" in plain(at.expander[0].label)
    assert "<mark>" in at.expander[0].html[0].value


def test_the_page_runs_without_streamlit_watching_module_files():
    # Watching every imported module's source made answers on the page 4x slower on 2 cores.
    import tomllib

    config = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit/config.toml").read_text())
    assert config["server"]["fileWatcherType"] == "none"
