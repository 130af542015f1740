"""``as_of`` / ``since`` / ``until`` on a real small index with day-, month- and year-precise,
undated and pdf-creation-date articles."""
from __future__ import annotations

import json

import pytest

from assistant.indexer import build_index
from assistant.retrieval import Retriever, allowed_chunks
from assistant.settings import Settings
from assistant.store import Index
from assistant.types import Filters

from loader_fixtures import pdf_bytes, write

TEXT = "Soldier {} crossed the border near the river at night, officials said on the radio."
RECORDS = [
    {"id": "day", "published": "2017-11-13"},
    {"id": "month", "published": "2017-12"},  # "December 2017": not provably before Dec 31
    {"id": "year", "published": "2017"},
    {"id": "undated"},
    {"id": "later", "published": "2018-01-05"},
]


@pytest.fixture(scope="module")
def index(tmp_path_factory, embedder):
    root = tmp_path_factory.mktemp("dated")
    archive = root / "archive"
    lines = [json.dumps({**r, "title": f"Story {r['id']}", "text": TEXT.format(r["id"])}) for r in RECORDS]
    write(archive / "news.jsonl", "\n".join(lines))
    # A pdf with no date in its text: only its /CreationDate, which proves nothing for as_of.
    write(archive / "scan.pdf", pdf_bytes([["Soldier pdf crossed the border near the river."]],
                                          {"/CreationDate": "D:20171101120000"}))
    settings = Settings(archive=archive, index=root / "index")
    build_index(settings, embedder=embedder)
    return Index.load(settings.index, "bundled")


def ids(index, filters) -> set[str]:
    allowed = allowed_chunks(index, filters)
    rows = range(len(index.chunks)) if allowed is None else allowed.tolist()
    return {index.chunk_document(int(r)).id.replace("news.jsonl#", "") for r in rows}


def test_as_of_is_strict_by_default(index):
    assert index.document("scan.pdf").date_source == "pdf-creation-date"
    assert ids(index, Filters(as_of="2017-12-02")) == {"day"}
    assert ids(index, Filters(as_of="2017-12-30")) == {"day"}  # December not over yet
    assert ids(index, Filters(as_of="2017-12-31")) == {"day", "month", "year"}
    assert ids(index, Filters(as_of="2018-01-05")) == {"day", "month", "year", "later"}


def test_include_undated_is_an_explicit_opt_in(index):
    assert ids(index, Filters(as_of="2017-12-02", include_undated=True)) == {"day", "undated", "scan.pdf"}
    assert ids(index, Filters(since="2017-01-01", include_undated=False)) == {"day", "month", "year", "later", "scan.pdf"}


def test_since_until_keep_overlapping_periods(index):
    # since/until: a period that overlaps the range passes; undated ones stay unless excluded.
    assert ids(index, Filters(since="2017-12-15")) == {"month", "year", "later", "undated"}
    assert ids(index, Filters(until="2017-12-05")) == {"day", "month", "year", "undated", "scan.pdf"}
    assert ids(index, Filters(since="2017-12-15", until="2017-12-20", include_undated=False)) == {"month", "year"}


def test_search_under_as_of_never_returns_unproven_articles(index, embedder):
    retriever = Retriever(index, embedder)
    passages = retriever.search("soldier crossed the border", Filters(as_of="2017-12-02"), top_k=10).passages
    assert {p.doc_id for p in passages} == {"news.jsonl#day"}
