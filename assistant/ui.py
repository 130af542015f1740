"""Pure helpers for the Streamlit chat page (``app.py``): escaping, highlighting, labels.

Everything shown on the page that comes from an article (text, title, outlet, url) or from the
model passes through here first. HTML is built only by ``html.escape``-ing that text and then
inserting our own fixed tags (``<mark>``, ``<span>``, ``<sup>``), so an article holding
``<script>`` or ``<img onerror=...>`` renders as inert text. Markdown (chat bubbles, expander
labels) gets every markdown/HTML-significant character backslash-escaped.

No Streamlit import here, so this is unit-testable without a running app.

Limits: the full-article view is capped at ``FULL_TEXT_LIMIT`` characters around the cited span
(articles may be megabytes); unsupported-sentence marking finds sentences by exact substring, so a
sentence the checker normalised differently is listed under the answer instead of marked inline.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlparse

from assistant.markers import parse_markers
from assistant.types import Answer, Citation, Document, Passage

DATE_UNKNOWN = "date unknown"
MARK_ID = "cited-span"
# Characters of document text shown in the full-article view; beyond this we show a window.
FULL_TEXT_LIMIT = 200_000
# Formats the loaders accept; used only for the "how to add articles" help text.
ARCHIVE_FORMATS = ".txt, .md, .html/.htm, .pdf, .json, .jsonl"

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:=^\"'])")


# ---------------------------------------------------------------- escaping


def escape_markdown(text: str) -> str:
    """Backslash-escape every character markdown (or Streamlit's extensions: ``$`` math,
    ``:color[...]``) could act on, so the text renders literally. Escaping is per character,
    so streamed pieces can be escaped one by one."""
    return _MD_SPECIAL.sub(r"\\\1", text or "")


def escape_html(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def safe_url(url: str | None) -> str | None:
    """The url if it is an http(s) link with a host, else None (no ``javascript:`` links)."""
    if not url:
        return None
    url = url.strip()
    try:
        parsed = urlparse(url)
    except ValueError:
        return None
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
        return None
    return url


# ---------------------------------------------------------------- highlighting


def highlight_html(text: str, start: int, end: int, mark_id: str | None = None) -> str:
    """``text`` html-escaped, with ``text[start:end]`` wrapped in ``<mark>``.

    Offsets are clamped to the text; an empty span gives no mark at all."""
    n = len(text)
    start = max(0, min(start, n))
    end = max(start, min(end, n))
    if start == end:
        return escape_html(text)
    attr = f' id="{escape_html(mark_id)}"' if mark_id else ""
    return (
        escape_html(text[:start])
        + f"<mark{attr}>"
        + escape_html(text[start:end])
        + "</mark>"
        + escape_html(text[end:])
    )


def passage_html(passage_text: str, passage_start: int, span_start: int, span_end: int) -> str:
    """A passage (``passage_start`` = its offset in the document) with the part of the document
    span ``[span_start, span_end)`` that falls inside it highlighted, inside a styled block."""
    body = highlight_html(passage_text, span_start - passage_start, span_end - passage_start)
    return f'<div class="archivist-passage">{body}</div>'


@dataclass
class DocumentView:
    """The part of a document to show in full: the whole article, or for a pdf the page(s) that
    hold the span. ``start``/``end`` are the span's offsets inside ``text``."""

    text: str
    start: int
    end: int
    heading: str  # e.g. "Page 3 of reports/x.pdf" or "Full article"
    note: str = ""  # set when the text was cut to FULL_TEXT_LIMIT


def document_view(doc: Document, start: int, end: int, limit: int = FULL_TEXT_LIMIT) -> DocumentView:
    lo, hi = 0, len(doc.text)
    heading = "Full article"
    if doc.pages:
        first = doc.page_at(start)
        last = doc.page_at(max(start, end - 1))
        spans = [(p, s, e) for p, s, e in doc.pages if first is not None and first <= p <= (last or first)]
        if spans:
            lo, hi = min(s for _, s, _ in spans), max(e for _, _, e in spans)
            pages = f"page {first}" if first == last else f"pages {first}-{last}"
            heading = f"{pages.capitalize()} of {doc.path or doc.title}"
    note = ""
    if hi - lo > limit:
        # Centre a window on the span, so the highlighted text is always inside it.
        centre = (start + end) // 2
        lo2 = max(lo, min(centre - limit // 2, hi - limit))
        note = f"Showing characters {lo2:,}-{lo2 + limit:,} of {hi - lo:,} around the cited passage."
        lo, hi = lo2, lo2 + limit
    return DocumentView(doc.text[lo:hi], start - lo, end - lo, heading, note)


def full_article_html(doc: Document, start: int, end: int, height: int = 420) -> str:
    """A self-contained page for an iframe: the article (or pdf page) escaped, the cited span in
    ``<mark id=MARK_ID>``, and a two-line script that scrolls the frame (not the app) to it.
    The script is ours; the article text cannot add one because it is escaped."""
    view = document_view(doc, start, end)
    meta = " · ".join(
        escape_html(x) for x in (doc.title, doc.source or "", format_date(doc.published, doc.date_precision, doc.date_source)) if x
    )
    note = f'<p class="note">{escape_html(view.note)}</p>' if view.note else ""
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><style>
body {{ font-family: "Source Serif Pro", Georgia, serif; font-size: 16px; line-height: 1.6;
       color: #262730; margin: 0; padding: 0.75rem 1rem; background: #fff; }}
.meta {{ font-family: sans-serif; font-size: 13px; color: #6b6f76; margin-bottom: 0.25rem; }}
.note {{ font-family: sans-serif; font-size: 12px; color: #a05a00; }}
.text {{ white-space: pre-wrap; overflow-wrap: anywhere; }}
mark {{ background: #ffe066; padding: 0 2px; border-radius: 2px; }}
a.jump {{ font-family: sans-serif; font-size: 12px; }}
</style></head><body>
<div class="meta">{escape_html(view.heading)} — {meta} · <a class="jump" href="#{MARK_ID}">jump to cited passage</a></div>
{note}<div class="text">{highlight_html(view.text, view.start, view.end, MARK_ID)}</div>
<script>
var m = document.getElementById("{MARK_ID}");
if (m) {{ document.scrollingElement.scrollTop = Math.max(0, m.offsetTop - {height // 3}); }}
</script>
</body></html>"""


# ---------------------------------------------------------------- answers


def answer_html(text: str, unsupported: Iterable[str] = ()) -> tuple[str, list[str]]:
    """The answer as escaped html: ``[n]`` markers as superscripts, each unsupported sentence
    underlined with a ⚠. Returns ``(html, unsupported sentences not found in the text)``."""
    spans: list[tuple[int, int]] = []
    missing: list[str] = []
    for sentence in unsupported:
        s = (sentence or "").strip()
        if not s:
            continue
        i = text.find(s)
        if i < 0 or any(a < i + len(s) and i < b for a, b in spans):
            missing.append(s)
            continue
        spans.append((i, i + len(s)))
    spans.sort()

    def fmt(segment: str) -> str:
        out, pos = [], 0
        for m in parse_markers(segment):
            numbers = ", ".join(str(n) for n in m.numbers)
            out += [escape_html(segment[pos:m.start]), f'<sup class="archivist-cite">[{numbers}]</sup>']
            pos = m.end
        return "".join(out) + escape_html(segment[pos:])

    out, pos = [], 0
    for a, b in spans:
        out.append(fmt(text[pos:a]))
        out.append(
            '<span class="archivist-unsupported" title="Not supported by the cited passage">'
            + fmt(text[a:b])
            + " ⚠</span>"
        )
        pos = b
    out.append(fmt(text[pos:]))
    return f'<div class="archivist-answer">{"".join(out)}</div>', missing


def answer_notes(answer: Answer) -> list[str]:
    """The caption under an answer, in markdown pieces: what was searched for when the question
    was rewritten, the "as of" day, how a time phrase was read, which model answered when the first
    found no answer, and the time taken."""
    notes: list[str] = []
    if answer.query and answer.query.strip() != answer.question.strip():
        notes.append(f"searched for “{escape_markdown(answer.query)}”")
    if answer.as_of:
        notes.append(f"as of {answer.as_of}")
    if answer.timeframe:
        tf = answer.timeframe
        days = tf["start"] if tf["start"] == tf["end"] else f"{tf['start']} – {tf['end']}"
        notes.append(f"read “{escape_markdown(tf['phrase'])}” as {days}")
    if answer.fallback:
        # A refusal that took twice as long says why.
        notes.append(f"the {escape_markdown(answer.fallback)} model " + (
            "found no answer either" if answer.refused else "answered: the first model found none"))
    if answer.timings and answer.timings.total_s:
        notes.append(f"{answer.timings.total_s:.1f}s")
    return notes


def unique_citations(answer: Answer) -> list[Citation]:
    """One citation per marker number, in number order (an ``[n]`` repeated in several sentences
    points at the same passage)."""
    seen: dict[int, Citation] = {}
    for c in answer.citations:
        if c.n not in seen:
            seen[c.n] = c
        elif not c.supported and seen[c.n].supported:
            # Flag the source if any use of the marker was unsupported.
            seen[c.n] = c
    return [seen[n] for n in sorted(seen)]


def format_date(published: str | None, precision: str | None = None, source: str | None = None) -> str:
    """A stored date as shown: ``2017-11-14``, ``2017-12 (month)``, ``2017 (year)``,
    ``2017-11-14 (file created)`` for a pdf's creation date, or "date unknown"."""
    if not published:
        return DATE_UNKNOWN
    if source == "pdf-creation-date":
        return f"{published} (file created)"
    from .dates import precision_of

    precision = precision if precision in ("day", "month", "year") else precision_of(published)
    return published if precision == "day" else f"{published} ({precision})"


def source_label(n: int | None, title: str, source: str | None, published: str | None, page: int | None = None,
                 date_source: str | None = None) -> str:
    """Markdown-escaped one-line label: ``[n] Title — Outlet · 2024-01-02 · p. 3``."""
    parts = [escape_markdown(title or "(untitled)")]
    tail = [escape_markdown(source) if source else "unknown outlet",
            escape_markdown(format_date(published, source=date_source))]
    if page:
        tail.append(f"p\\. {page}")
    prefix = f"\\[{n}\\] " if n is not None else ""
    return f"{prefix}{parts[0]} — {' · '.join(tail)}"


def citation_label(c: Citation) -> str:
    label = source_label(c.n, c.title, c.source, c.published, c.page, getattr(c, "date_source", None))
    return label if c.supported else label + " ⚠"


def passage_label(p: Passage, rank: int) -> str:
    return source_label(None, p.title, p.source, p.published, p.page, getattr(p, "date_source", None)) + f" (match {rank})"


# ---------------------------------------------------------------- streaming


class StreamCapture:
    """Split ``Assistant.stream`` output into text pieces (for ``st.write_stream``) and the final
    ``Answer`` (kept on ``.answer`` once the pieces are exhausted)."""

    def __init__(self, items: Iterable[str | Answer], escape: bool = True):
        self._items = items
        self._escape = escape
        self.answer: Answer | None = None
        self.text = ""

    def pieces(self) -> Iterator[str]:
        for item in self._items:
            if isinstance(item, Answer):
                self.answer = item
                continue
            self.text += item
            yield escape_markdown(item) if self._escape else item


def chat_history(messages: Iterable[dict]) -> list[dict]:
    """The ``[{"role", "content"}]`` list ``Assistant.stream`` takes, from the page's messages."""
    return [
        {"role": m["role"], "content": m["content"]}
        for m in messages
        if m.get("role") in ("user", "assistant") and m.get("content")
    ]


# ---------------------------------------------------------------- sidebar and help texts


def llm_label(settings) -> str:
    """What answers: ``qwen2.5-coder-0.5b-instruct-q4_k_m.gguf (small, run in bf16)``, a path's
    file name, or another backend's ``module:Class``. Never loads the model."""
    if settings.llm_backend != "llama":
        return f"{settings.llm_backend} (ARCHIVIST_LLM_BACKEND)"
    from assistant.gguf import BUNDLED, sixteen_bit_format

    bundled = BUNDLED.get(settings.model)
    if bundled is not None:
        if settings.llm_f16 and bundled.f16_faster:
            return f"{bundled.filename} ({settings.model}, run in {sixteen_bit_format()})"
        return f"{bundled.filename} ({settings.model})"
    return Path(str(settings.model)).name


def fallback_label(settings) -> str | None:
    """The model asked when the main one's reply does not stand, as the sidebar names it, or None
    (``llm.fallback_name``). Never loads a model."""
    from assistant.gguf import BUNDLED
    from assistant.llm import fallback_name

    name = fallback_name(settings)
    if name is None:
        return None
    return f"{BUNDLED[name].filename} ({name})" if name in BUNDLED else Path(name).name


def status_lines(status, settings) -> list[str]:
    """Markdown lines for the sidebar from an ``IndexStatus``."""
    dates = ""
    if status.first_date or status.last_date:
        dates = f"{status.first_date or '?'} → {status.last_date or '?'}"
    lines = [
        f"**Articles:** {status.articles:,}",
        f"**Chunks:** {status.chunks:,}",
        f"**Last build:** {escape_markdown(_short_time(status.built_at))}",
        f"**Embedding model:** {escape_markdown(status.embedding_model)}",
        f"**LLM:** {escape_markdown(llm_label(settings))}",
    ]
    if (fallback := fallback_label(settings)) is not None:
        lines.append(f"**When it finds no answer:** {escape_markdown(fallback)}")
    if dates:
        lines.insert(2, f"**Dates:** {escape_markdown(dates)}")
    return lines


def _short_time(iso: str | None) -> str:
    if not iso:
        return "unknown"
    # "2024-05-01T12:34:56.789+00:00" -> "2024-05-01 12:34:56 +00:00"; anything else as is.
    m = re.match(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?", iso)
    if not m:
        return iso
    tz = m.group(3) or ""
    return f"{m.group(1)} {m.group(2)}" + (f" {'UTC' if tz == 'Z' else tz}" if tz else "")


def code_span(text: str) -> str:
    """Markdown inline code for a path or name: literal inside backticks (escapes would show)."""
    return f"`{text}`" if "`" not in text and "\n" not in text else escape_markdown(text)


def archive_help(settings) -> str:
    archive = Path(settings.archive).expanduser().resolve()
    return (
        f"Put your articles in {code_span(str(archive))} (sub-folders are fine; "
        f"set `ARCHIVIST_ARCHIVE` to use another folder). Accepted formats: "
        f"{escape_markdown(ARCHIVE_FORMATS)}. JSON/JSONL records need a text field and may carry "
        f"title, published date, source and url. Then press **Build index**."
    )


def model_help(settings) -> str:
    return (
        "The language model could not be loaded. Reinstall the bundled model "
        "(`pip install archivist`), or point `ARCHIVIST_MODEL` at a GGUF file "
        "(`ARCHIVIST_MODEL=/path/model.gguf make run`). To try the page without a model, "
        "start it with `PYTHONPATH=tests ARCHIVIST_LLM_BACKEND=fake_llm:FakeLLM`."
    )


def one_line(exc: BaseException) -> str:
    """An exception as one user-facing line, never a traceback."""
    text = str(exc).strip().splitlines()
    msg = text[0] if text else ""
    return msg or type(exc).__name__


PAGE_CSS = """
<style>
.archivist-answer { white-space: pre-wrap; line-height: 1.6; }
.archivist-cite { color: #1c6dd0; font-weight: 600; }
.archivist-unsupported { text-decoration: underline dotted #d97706; text-underline-offset: 3px;
                         background: #fff7e6; }
.archivist-passage { white-space: pre-wrap; font-family: "Source Serif Pro", Georgia, serif;
                     line-height: 1.55; border-left: 3px solid #e6e8eb; padding-left: 0.75rem;
                     overflow-wrap: anywhere; }
iframe[title^="Full text"] { border: 1px solid #e6e8eb; border-radius: 0.5rem; }
.archivist-passage mark { background: #ffe066; padding: 0 2px; border-radius: 2px; }
</style>
"""
