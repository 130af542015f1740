"""Unit tests for the chat page helpers (assistant/ui.py): escaping, highlighting, labels."""
from __future__ import annotations

import re

import pytest

from assistant import ui
from assistant.settings import Settings
from assistant.types import Answer, Citation, Document

EVIL = '<script>alert(1)</script> <img src=x onerror=alert(2)> **bold** [link](javascript:alert(3))'


def test_highlight_marks_exact_span_and_escapes_everything_else():
    text = "a<b> cited & text <i>"
    start = text.index("cited")
    out = ui.highlight_html(text, start, start + len("cited & text"), mark_id="m1")
    assert out == 'a&lt;b&gt; <mark id="m1">cited &amp; text</mark> &lt;i&gt;'


def test_highlight_clamps_offsets_and_empty_span_has_no_mark():
    assert ui.highlight_html("abc", -5, 99) == "<mark>abc</mark>"
    assert ui.highlight_html("abc", 2, 1) == "abc"
    assert ui.highlight_html("a<c", 5, 9) == "a&lt;c"


def test_highlight_of_hostile_article_leaves_no_tag_but_ours():
    out = ui.highlight_html(EVIL, 0, 8)
    tags = re.findall(r"<\s*/?\s*([a-zA-Z]+)", out)
    assert set(tags) == {"mark"}
    assert "&lt;script&gt;" in out and "&lt;img src=x onerror=alert(2)&gt;" in out


def test_passage_html_translates_document_offsets():
    doc = "0123456789 The mayor resigned on Monday. Other text."
    p_start = 11
    passage = doc[p_start:]
    s = doc.index("resigned")
    out = ui.passage_html(passage, p_start, s, s + len("resigned"))
    assert "<mark>resigned</mark>" in out
    # span partly before the passage: only the inside part is marked
    out = ui.passage_html(passage, p_start, 5, p_start + 3)
    assert "<mark>The</mark>" in out


def test_escape_markdown_neutralises_markup_and_streamlit_extensions():
    out = ui.escape_markdown(EVIL + " $x$ :red[hi]")
    # every markup character is backslash-escaped
    assert re.search(r"(?<!\\)[<>*\[\]()$:]", out) is None
    assert "\\<script\\>" in out
    # escaping is per character, so pieces escape the same as the whole
    pieces = ["<scr", "ipt>", " **b", "old**"]
    assert "".join(ui.escape_markdown(p) for p in pieces) == ui.escape_markdown("".join(pieces))


def test_safe_url_only_http():
    assert ui.safe_url("https://example.com/a?b=1") == "https://example.com/a?b=1"
    assert ui.safe_url("javascript:alert(1)") is None
    assert ui.safe_url("data:text/html,<script>") is None
    assert ui.safe_url("http://") is None
    assert ui.safe_url(None) is None


def test_date_unknown_and_labels():
    assert ui.format_date(None) == "date unknown"
    assert ui.format_date("") == "date unknown"
    assert ui.format_date("2024-03-01") == "2024-03-01"
    label = ui.source_label(2, "Mayor *quits*", None, None, page=3)
    assert label.startswith("\\[2\\] Mayor \\*quits\\*")
    assert "unknown outlet" in label and "date unknown" in label and "p\\. 3" in label
    assert "Daily\\-Post" in ui.source_label(1, "T", "Daily-Post", "2024-01-02")


def _cit(n, supported=True):
    return Citation(n=n, doc_id=f"d{n}", title="t", source=None, published=None, url=None, path="p",
                    page=None, start=0, end=1, quote="q", supported=supported)


def test_unique_citations_one_per_number_and_keeps_unsupported_flag():
    ans = Answer(question="q", answer="a", citations=[_cit(2), _cit(1), _cit(2, supported=False)])
    out = ui.unique_citations(ans)
    assert [c.n for c in out] == [1, 2]
    assert out[1].supported is False
    assert ui.citation_label(out[1]).endswith("⚠")


def test_answer_html_marks_unsupported_sentences_and_citations():
    text = "The mayor resigned [1]. The city <b>burned</b> down [2]."
    html, missing = ui.answer_html(text, ["The city <b>burned</b> down [2].", "Not in the text."])
    assert missing == ["Not in the text."]
    assert '<sup class="archivist-cite">[1]</sup>' in html
    assert "&lt;b&gt;burned&lt;/b&gt;" in html and "<b>" not in html
    marked = re.search(r'<span class="archivist-unsupported"[^>]*>(.*?)</span>', html).group(1)
    assert "burned" in marked and marked.endswith("⚠") and "mayor" not in marked


def test_document_view_pdf_shows_the_cited_page_only():
    text = "page one text. " + "page two has the cited bit. " + "page three."
    p2 = text.index("page two")
    p3 = text.index("page three")
    doc = Document(id="r.pdf", text=text, title="Report", path="r.pdf",
                   pages=[(1, 0, p2), (2, p2, p3), (3, p3, len(text))])
    s = text.index("cited bit")
    view = ui.document_view(doc, s, s + 9)
    assert view.text == text[p2:p3]
    assert view.text[view.start:view.end] == "cited bit"
    assert view.heading == "Page 2 of r.pdf"


def test_document_view_caps_long_text_around_span():
    text = "x" * 1000 + "NEEDLE" + "y" * 1000
    doc = Document(id="a", text=text, title="A")
    s = text.index("NEEDLE")
    view = ui.document_view(doc, s, s + 6, limit=100)
    assert len(view.text) == 100 and view.text[view.start:view.end] == "NEEDLE"
    assert view.note


def test_full_article_html_has_single_script_and_marked_span():
    text = "Intro. " + EVIL + " The cited claim here. End."
    doc = Document(id="a", text=text, title="<b>T</b>", source="S", published=None)
    s = text.index("cited claim")
    page = ui.full_article_html(doc, s, s + len("cited claim"))
    assert page.count("<script>") == 1  # ours; the article's is escaped
    assert f'<mark id="{ui.MARK_ID}">cited claim</mark>' in page
    assert "&lt;b&gt;T&lt;/b&gt;" in page and "date unknown" in page
    assert "onerror=alert(2)&gt;" in page and "<img" not in page


def test_stream_capture_splits_text_and_answer():
    final = Answer(question="q", answer="Hi [1].")
    cap = ui.StreamCapture(iter(["Hi ", "[1]", ".", final]))
    pieces = list(cap.pieces())
    assert "".join(pieces) == "Hi \\[1\\]\\."
    assert cap.text == "Hi [1]." and cap.answer is final


def test_chat_history_keeps_role_and_content_only():
    msgs = [{"role": "user", "content": "q1"}, {"role": "assistant", "content": "a1", "answer": object()},
            {"role": "assistant", "content": ""}]
    assert ui.chat_history(msgs) == [{"role": "user", "content": "q1"}, {"role": "assistant", "content": "a1"}]


@pytest.mark.parametrize("iso,expected", [
    ("2024-05-01T12:34:56.789+00:00", "2024-05-01 12:34:56 +00:00"),
    ("2024-05-01T12:34:56Z", "2024-05-01 12:34:56 UTC"),
    ("whenever", "whenever"),
    ("", "unknown"),
])
def test_short_time(iso, expected):
    assert ui._short_time(iso) == expected


def test_llm_label_never_loads_model(tmp_path):
    assert "fake_llm:FakeLLM" in ui.llm_label(Settings(llm_backend="fake_llm:FakeLLM"))
    assert re.search(r"\.gguf \(small, run in b?f16\)$", ui.llm_label(Settings(model="small")))
    assert ui.llm_label(Settings(model="small", llm_f16=False)).endswith(".gguf (small)")
    assert ui.llm_label(Settings(model="large")).endswith(".gguf (large)")  # stays as shipped
    assert ui.llm_label(Settings(model=str(tmp_path / "m.gguf"))) == "m.gguf"


def test_the_sidebar_names_the_fallback_model_only_when_installed(monkeypatch):
    from assistant import gguf
    from assistant.store import IndexStatus

    status = IndexStatus(articles=3, chunks=5, built_at="", embedding_model="mini", dimension=384, sources=[],
                         first_date=None, last_date=None, path="index")
    monkeypatch.setattr(gguf.BundledModel, "installed", lambda self: True)
    assert any(line.startswith("**When it finds no answer:**") and "large" in line
               for line in ui.status_lines(status, Settings()))
    assert ui.fallback_label(Settings(fallback_model="none")) is None
    monkeypatch.setattr(gguf.BundledModel, "installed", lambda self: False)
    assert not any("no answer" in line for line in ui.status_lines(status, Settings()))


def test_answer_notes_say_which_model_answered_after_the_first_found_nothing():
    from assistant.types import Timings

    answer = Answer(question="How many?", answer="About 20 [1]", query="How many?", fallback="large",
                    timings=Timings(total_s=21.04))
    assert ui.answer_notes(answer) == ["the large model answered: the first model found none", "21.0s"]
    answer.refused = True
    assert ui.answer_notes(answer)[0] == "the large model found no answer either"
    assert ui.answer_notes(Answer(question="q", answer="a", query="q")) == []


def test_ask_json_says_which_model_answered():
    from assistant.cli import answer_json

    assert answer_json(Answer(question="q", answer="a", fallback="large"))["fallback"] == "large"
    assert answer_json(Answer(question="q", answer="a"))["fallback"] == ""


def test_one_line():
    assert ui.one_line(ValueError("first\nsecond")) == "first"
    assert ui.one_line(KeyError()) == "KeyError"


def test_code_span_and_archive_help(tmp_path):
    assert ui.code_span("/a/b-c_d") == "`/a/b-c_d`"
    assert "`" not in ui.code_span("we`ird").replace("\\`", "")
    help_text = ui.archive_help(Settings(archive=tmp_path / "arch"))
    assert f"`{(tmp_path / 'arch').resolve()}`" in help_text and ".jsonl" in help_text
