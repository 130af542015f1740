"""Archivist chat page: ``streamlit run app.py`` (``make run``).

A thin Streamlit layer over ``assistant.pipeline.Assistant``: chat with history, streamed answers,
sources with the cited span highlighted, filters, index status and rebuild. Escaping, labels and
highlighting live in ``assistant/ui.py``; retrieval and generation in ``assistant/``.

Settings come from ``ARCHIVIST_*`` environment variables (``Settings.from_env``). The Assistant
(index, embedder, LLM) is built once per process and settings (``st.cache_resource``) and shared by
all browser sessions; llama.cpp serialises concurrent answers.
"""
from __future__ import annotations

import datetime as dt
import logging

import streamlit as st

from assistant import ui
from assistant.gguf import ModelError
from assistant.pipeline import QuestionTooLong
from assistant.settings import Settings
from assistant.types import Answer, Filters

log = logging.getLogger("archivist.app")

EARLIEST = dt.date(1800, 1, 1)
LATEST = dt.date(2100, 12, 31)


@st.cache_resource(show_spinner="Loading the archive…")
def get_assistant(settings_key: str, _settings: Settings):
    # Keyed on repr(settings): the Settings object itself is skipped by the cache hasher.
    from assistant.pipeline import Assistant

    return Assistant(_settings)


# ---------------------------------------------------------------- index building


def run_build(assistant, settings: Settings, full: bool = False) -> bool:
    """Build (incrementally unless ``full``) with a progress bar; the loaded index keeps answering
    other sessions until ``reload_index`` swaps the new one in. Outcome goes to session_state."""
    from assistant.indexer import build_index
    from assistant.ingest import ArchiveError
    from assistant.store import BuildInProgress

    bar = st.progress(0.0, text="Scanning the archive…")
    labels = {"files": "Reading articles", "embedding": "Embedding passages"}

    def progress(stage: str, done: int, total: int) -> None:
        frac = done / total if total else 1.0
        bar.progress(min(max(frac, 0.0), 1.0), text=f"{labels.get(stage, stage)}: {done:,} / {total:,}")

    try:
        # Never queue behind another build (CLI or another tab): say so and let the user retry.
        report = build_index(settings, full=full, progress=progress, wait=False)
    except BuildInProgress:
        st.session_state.notice = ("busy", "A build is already running (from another tab or the command line). "
                                           "Try again when it has finished.")
        return False
    except ArchiveError as e:
        st.session_state.notice = ("archive", ui.one_line(e))
        return False
    except Exception as e:  # noqa: BLE001 - the page shows one line, the log keeps the traceback
        log.exception("index build failed")
        st.session_state.notice = ("error", f"Index build failed: {ui.one_line(e)}")
        return False
    finally:
        bar.empty()
    assistant.reload_index()
    skipped = f", {len(report.skipped)} skipped" if report.skipped else ""
    if report.reread:
        skipped = f", {report.reread} re-read with improved text extraction" + skipped
    if report.wrote:
        text = (
            f"Index built in {report.seconds:.1f}s: {report.documents:,} articles, {report.chunks:,} chunks "
            f"({report.added} added, {report.updated} updated, {report.removed} removed{skipped})."
        )
    else:
        text = f"Index is up to date ({report.documents:,} articles{skipped})."
    st.session_state.notice = ("success", text)
    if report.skipped:
        st.session_state.skipped = [(s.path, s.reason) for s in report.skipped[:50]]
    return True


def show_notice(settings: Settings) -> None:
    notice = st.session_state.pop("notice", None)
    if not notice:
        return
    kind, text = notice
    if kind == "success":
        st.success(text)
        skipped = st.session_state.pop("skipped", None)
        if skipped:
            with st.expander(f"Skipped files ({len(skipped)})"):
                for path, reason in skipped:
                    st.text(f"{path}: {reason}")
    elif kind == "busy":
        st.info(text)
    elif kind == "archive":
        st.error(text)
        st.markdown(ui.archive_help(settings))
    else:
        st.error(text)


# ---------------------------------------------------------------- sidebar


def sidebar(assistant, settings: Settings):
    """Index status, filters, passages slider and rebuild. Returns (status or None, index error
    message or None, filters, top_k)."""
    from assistant.store import IndexNotFound

    status, problem = None, None
    with st.sidebar:
        st.header(":material/newspaper: Archive")
        try:
            status = assistant.index.status()
        except IndexNotFound as e:
            problem = ("missing", ui.one_line(e))
        except Exception as e:  # noqa: BLE001 - IndexMismatch and unreadable indexes alike
            problem = ("broken", ui.one_line(e))
        if status is not None:
            st.markdown("  \n".join(ui.status_lines(status, settings)))
        else:
            st.caption("No usable index yet.")

        st.subheader("Filters")
        lo = _date(status.first_date) if status else None
        hi = _date(status.last_date) if status else None
        c1, c2 = st.columns(2)
        since = c1.date_input("Published since", value=None, min_value=EARLIEST, max_value=LATEST,
                              key="since", help=f"Earliest article: {lo}" if lo else None)
        until = c2.date_input("Published until", value=None, min_value=EARLIEST, max_value=LATEST,
                              key="until", help=f"Latest article: {hi}" if hi else None)
        outlets = st.multiselect("Outlets", options=status.sources if status else [], key="outlets",
                                 placeholder="All outlets")
        as_of = st.date_input(
            "Answer as of", value=None, min_value=EARLIEST, max_value=LATEST, key="as_of",
            help="Answer as if on this date: later articles are ignored and the model is told the date.",
        )
        include_undated = st.checkbox("Include undated articles", value=False, key="undated",
                                      help="Articles without a publication date. With 'Answer as of' they are left out "
                                           "unless this is ticked: nothing proves they existed on that day.")
        top_k = st.slider("Passages to read", min_value=1, max_value=20, value=min(settings.top_k, 20), key="top_k",
                          help="How many retrieved passages the model sees per question.")

        st.subheader("Index")
        if st.button("Rebuild index", key="rebuild", width="stretch",
                     help="Re-reads the archive folder; only new or changed articles are embedded again."):
            run_build(assistant, settings, full=problem is not None and problem[0] == "broken")
            st.rerun()
        st.caption(f"Archive folder: {ui.code_span(str(settings.archive))}")

    filters = Filters(
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None,
        as_of=as_of.isoformat() if as_of else None,
        sources=list(outlets),
        # Unticked: the filters' own default (undated articles stay for since/until, not for as_of).
        include_undated=True if include_undated else None,
    )
    return status, problem, filters, top_k


def _date(iso: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


# ---------------------------------------------------------------- messages


def render_passage_body(assistant, i: int, key: str, doc_id: str, text: str, text_start: int,
                        start: int, end: int, url: str | None) -> None:
    st.html(ui.passage_html(text, text_start, start, end))
    link = ui.safe_url(url)
    if link:
        st.link_button("Open original ↗", link)
    if st.toggle("Read full article", key=f"full-{i}-{key}"):
        try:
            doc = assistant.document(doc_id)
        except Exception:  # noqa: BLE001 - removed by a rebuild since the answer
            st.caption("This article is no longer in the index.")
            return
        st.iframe(ui.full_article_html(doc, start, end), height=420, alt=f"Full text of {doc.title}")


def render_answer(assistant, answer: Answer, i: int) -> None:
    body, missing = ui.answer_html(answer.answer, answer.unsupported_sentences)
    st.html(body)
    if answer.unsupported_sentences:
        st.caption("⚠ marks a sentence its cited passage does not clearly support — check the source.")
        for s in missing:
            st.caption(f"⚠ Not supported: {ui.escape_markdown(s)}")
    notes = ui.answer_notes(answer)
    if notes:
        st.caption(" · ".join(notes))

    if answer.refused:
        if answer.passages:
            st.markdown("**Closest matches**")
        for rank, p in enumerate(answer.passages, 1):
            with st.expander(ui.passage_label(p, rank), key=f"src-{i}-p{rank}"):
                render_passage_body(assistant, i, f"p{rank}", p.doc_id, p.text, p.start, p.start, p.end, p.url)
        return

    citations = ui.unique_citations(answer)
    if citations:
        st.markdown("**Sources**")
    for c in citations:
        with st.expander(ui.citation_label(c), key=f"src-{i}-c{c.n}"):
            if not c.supported:
                st.warning("This passage does not clearly support the sentence citing it.")
            passage = next((p for p in answer.passages if p.doc_id == c.doc_id and p.start <= c.start < p.end), None)
            if passage is not None:
                text, text_start = passage.text, passage.start
            else:
                text, text_start = c.quote, c.start
            render_passage_body(assistant, i, f"c{c.n}", c.doc_id, text, text_start, c.start, c.end, c.url)


def render_message(assistant, msg: dict, i: int) -> None:
    with st.chat_message(msg["role"]):
        if msg["role"] == "user":
            st.markdown(ui.escape_markdown(msg["content"]))
        elif msg.get("answer") is not None:
            render_answer(assistant, msg["answer"], i)
        elif msg.get("error"):
            st.error(msg["error"])
            if msg.get("help"):
                st.markdown(msg["help"])


# The page keeps at most this many messages (oldest turns go first); the pipeline itself reads
# only the last ``settings.max_history_turns`` turns.
MAX_MESSAGES = 100


def ask(assistant, settings: Settings, question: str, filters: Filters, top_k: int) -> None:
    messages = st.session_state.messages
    del messages[: max(len(messages) - (MAX_MESSAGES - 2), 0)]
    history = ui.chat_history(messages)
    messages.append({"role": "user", "content": question})
    render_message(assistant, messages[-1], len(messages) - 1)
    with st.chat_message("assistant"):
        slot = st.empty()
        msg: dict = {"role": "assistant", "content": ""}
        try:
            capture = ui.StreamCapture(assistant.stream(question, history=history, filters=filters, top_k=top_k))
            with slot.container():
                with st.spinner("Searching the archive…"):
                    pieces = capture.pieces()
                    first = next(pieces, None)
                if first is not None:
                    st.write_stream(_chain(first, pieces))
            if capture.answer is None:
                raise RuntimeError("the assistant returned no answer")
            msg.update(content=capture.answer.answer, answer=capture.answer)
        except ModelError as e:
            msg.update(error=f"Model problem: {ui.one_line(e)}", help=ui.model_help(settings))
        except QuestionTooLong as e:
            msg.update(error=str(e))
        except Exception as e:  # noqa: BLE001 - one line on the page, traceback in the log
            log.exception("answering failed")
            msg.update(error=f"Could not answer: {ui.one_line(e)}")
        messages.append(msg)
    # Re-render from history, so this answer's expanders and toggles sit at the same place in the
    # element tree as on every later run (otherwise opening one would collapse it again).
    st.rerun()


def _chain(first: str, rest):
    yield first
    yield from rest


# ---------------------------------------------------------------- page


def empty_state(assistant, settings: Settings, problem) -> None:
    kind, text = problem
    if kind == "missing":
        st.info("There is no index yet, so there is nothing to ask. Build it from the archive folder.")
        st.markdown(ui.archive_help(settings))
        if st.button("Build index", type="primary", key="build-empty"):
            if run_build(assistant, settings):
                st.rerun()
            show_notice(settings)
    else:
        st.warning(f"The index cannot be used: {text}")
        if st.button("Rebuild index from scratch", type="primary", key="build-full"):
            if run_build(assistant, settings, full=True):
                st.rerun()
            show_notice(settings)


def main() -> None:
    st.set_page_config(page_title="Archivist", page_icon="🗞️")
    st.html(ui.PAGE_CSS)
    settings = Settings.from_env()
    try:
        assistant = get_assistant(repr(settings), settings)
    except Exception as e:  # noqa: BLE001
        log.exception("startup failed")
        st.error(f"Archivist could not start: {ui.one_line(e)}")
        return
    st.session_state.setdefault("messages", [])

    status, problem, filters, top_k = sidebar(assistant, settings)
    st.title("Archivist")
    st.caption("Ask questions about your news archive. Answers cite the articles they come from; "
               "everything runs on this machine.")
    show_notice(settings)
    if status is None:
        empty_state(assistant, settings, problem)
        return

    for i, msg in enumerate(st.session_state.messages):
        render_message(assistant, msg, i)
    if st.session_state.messages and st.sidebar.button("Clear conversation", key="clear", width="stretch"):
        st.session_state.messages = []
        st.rerun()
    question = st.chat_input("Ask the archive…", max_chars=settings.max_question_chars)
    if question and question.strip():
        ask(assistant, settings, question.strip(), filters, top_k)


try:
    main()
except Exception as e:  # noqa: BLE001 - never a traceback on the page
    log.exception("page failed")
    st.error(f"Something went wrong: {ui.one_line(e)}")
