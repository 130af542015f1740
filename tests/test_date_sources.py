"""Publication dates per format: the html fixture set's accuracy, where each date came from, the
refusals (update stamps, today's date, sidebars), pdf text before /CreationDate, and precision
through json records, front matter and the index."""
from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path


from assistant.ingest import load_file, scan_archive
from loader_fixtures import pdf_bytes, write

REPO = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_dates", REPO / "benchmarks" / "bench_dates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def docs_of(root: Path) -> dict:
    files, skipped = scan_archive(root)
    out = {}
    for f in files:
        result = load_file(f)
        assert result.skipped == [], result.skipped
        for d in result.documents:
            out[d.id] = d
    return out


def test_html_fixture_pages_meet_the_date_goal():
    bench = _bench()
    from assistant import ingest

    gold = bench.load_gold()
    assert len(gold) >= 40 and sum(1 for g in gold if g["expected"] is None) >= 5
    result = bench.score(ingest, gold)
    misses = [r for r in result["rows"] if r["outcome"] != "right"]
    assert result["right_share"] >= 0.93, misses
    assert result["wrong_share"] <= 0.03, misses
    sources = {r["source"] for r in result["rows"] if r["got"]}
    assert {"json-ld", "meta", "time-tag", "url", "dateline"} <= sources


def test_fixture_set_is_generated_by_its_script():
    spec = importlib.util.spec_from_file_location("make_pages", REPO / "tests" / "data" / "dates" / "make_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build()
    expected = [json.loads(line) for line in (REPO / "tests/data/dates/expected.jsonl").read_text().splitlines()]
    assert [(c[0], c[1]) for c in module.CASES] == [(e["case"], e["expected"]) for e in expected]


PARAS = "".join(
    f"<p>Paragraph {i}: the council met again to discuss the repairs to the harbour wall and the costs.</p>"
    for i in range(4)
)


def test_today_from_a_weak_signal_is_refused_but_metadata_stays(tmp_path):
    today = date.today().isoformat()
    write(tmp_path / "weak.html", f"<html><head><title>T</title></head><body><article><h1>T</h1>"
                                  f"<time datetime='{today}T08:00:00'>today</time>{PARAS}</article></body></html>")
    write(tmp_path / "meta.html", f"<html><head><title>T</title><meta property='article:published_time' "
                                  f"content='{today}T08:00:00'></head><body><article><h1>T</h1>{PARAS}</article></body></html>")
    docs = docs_of(tmp_path)
    assert docs["weak.html"].published is None
    assert (docs["meta.html"].published, docs["meta.html"].date_source) == (today, "meta")


def test_modified_only_page_is_undated_and_keeps_the_stamp(tmp_path):
    write(tmp_path / "m.html", "<html><head><title>T</title><meta property='article:modified_time' "
                               f"content='2018-05-05T10:00:00Z'></head><body><article><h1>T</h1>{PARAS}</article></body></html>")
    doc = docs_of(tmp_path)["m.html"]
    assert doc.published is None and doc.date_precision == "unknown" and doc.date_source is None
    assert doc.extra["date_modified"] == "2018-05-05"


def test_pdf_first_page_date_before_creation_date(tmp_path):
    meta = {"/Title": "Report", "/CreationDate": "D:20200630180000+02'00'"}
    write(tmp_path / "stated.pdf", pdf_bytes([["Harbour report", "Published: 14 November 2017", "The wall was repaired."]], meta))
    write(tmp_path / "dateline.pdf", pdf_bytes([["Harbour", "SEOUL, Nov. 14, 2017 - The wall was repaired."]], meta))
    write(tmp_path / "updated.pdf", pdf_bytes([["Harbour", "Updated: 15 November 2017", "The wall was repaired."]], meta))
    write(tmp_path / "plain.pdf", pdf_bytes([["Harbour report", "The wall was repaired."]], meta))
    docs = docs_of(tmp_path)
    for name in ("stated.pdf", "dateline.pdf"):
        assert (docs[name].published, docs[name].date_source, docs[name].date_precision) == ("2017-11-14", "pdf-text", "day")
    for name in ("updated.pdf", "plain.pdf"):
        assert (docs[name].published, docs[name].date_source) == ("2020-06-30", "pdf-creation-date")


def test_precision_and_source_for_records_front_matter_and_text(tmp_path):
    write(tmp_path / "feed.jsonl", "\n".join(json.dumps(r) for r in [
        {"id": "day", "text": "Body one.", "published": "2017-12-21T10:00:00Z"},
        {"id": "month", "text": "Body two.", "date": "December 2017"},
        {"id": "year", "text": "Body three.", "date": 2017},
        {"id": "none", "text": "Body four."},
    ]))
    write(tmp_path / "m.md", "---\ntitle: T\ndate: 2017-12\n---\n\nBody words here.")
    write(tmp_path / "t.txt", "Harbour wall\n\nSEOUL, Dec. 21, 2017 - Workers finished the repairs.")
    docs = docs_of(tmp_path)
    got = {k: (d.published, d.date_precision, d.date_source) for k, d in docs.items()}
    assert got["feed.jsonl#day"] == ("2017-12-21", "day", "record-field")
    assert got["feed.jsonl#month"] == ("2017-12", "month", "record-field")
    assert got["feed.jsonl#year"] == ("2017", "year", "record-field")
    assert got["feed.jsonl#none"] == (None, "unknown", None)
    assert got["m.md"] == ("2017-12", "month", "front-matter")
    assert got["t.txt"] == ("2017-12-21", "day", "dateline")


def test_date_fields_persist_through_the_index_and_old_rows_load(tmp_path, embedder):
    from assistant.indexer import build_index
    from assistant.settings import Settings
    from assistant.store import Index, load_data

    archive = tmp_path / "a"
    write(archive / "feed.jsonl", json.dumps({"id": "m", "title": "T", "text": "Harbour wall repaired.", "date": "2017-12"}))
    write(archive / "r.pdf", pdf_bytes([["Harbour report", "The wall was repaired."]], {"/CreationDate": "D:20200630"}))
    settings = Settings(archive=archive, index=tmp_path / "i")
    build_index(settings, embedder=embedder)
    index = Index.load(settings.index, "bundled")
    month, pdf = index.document("feed.jsonl#m"), index.document("r.pdf")
    assert (month.published, month.date_precision, month.date_source) == ("2017-12", "month", "record-field")
    assert (pdf.published, pdf.date_source) == ("2020-06-30", "pdf-creation-date")

    # A documents.jsonl row written before these fields existed still loads.
    data = settings.index / index.manifest["data_dir"]
    rows = [json.loads(line) for line in (data / "documents.jsonl").read_text().splitlines()]
    for row in rows:
        row.pop("date_precision"), row.pop("date_source")
    (data / "documents.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    documents = {d.id: d for d in load_data(data)[0]}
    assert documents["feed.jsonl#m"].date_precision == "month"
    assert documents["r.pdf"].date_source == "pdf-creation-date"  # old pdf dates were /CreationDate
