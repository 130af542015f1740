"""Hybrid retrieval over a real index: ranking, filters, as_of, wire-copy collapse."""
from __future__ import annotations

import pytest

from assistant.indexer import build_index
from assistant.retrieval import Retriever, collapse_duplicates, jaccard, newest_day, rrf, shingles
from assistant.store import Index
from assistant.types import Filters, Passage

from conftest import ARTICLES, write_archive


@pytest.fixture
def retriever(built, embedder):
    settings, _ = built
    return Retriever(Index.load(settings.index, "bundled"), embedder)


def test_relevant_passage_ranks_first(retriever):
    result = retriever.search("How many warning shots were fired?", top_k=3)
    assert result.passages[0].doc_id == "news.jsonl#fog"
    assert "20 warning shots" in result.passages[0].text


def test_window_raises_articles_from_those_days(retriever):
    from assistant.timeframe import TimeFrame

    q = "North Korean soldier crossed the border"
    plain = retriever.search(q, top_k=3).passages
    nov = retriever.search(q, top_k=3, window=TimeFrame("2017-11-01", "2017-11-30", "in November")).passages
    assert plain[0].doc_id != "news.jsonl#jsa" and nov[0].doc_id == "news.jsonl#jsa"


def test_recency_raises_articles_close_to_the_reference_day(built, embedder):
    settings, _ = built
    q = "North Korean soldier crossed the border"
    plain = Retriever(Index.load(settings.index, "bundled"), embedder).search(q, top_k=3, reference="2017-11-14").passages
    recent = Retriever(Index.load(settings.index, "bundled"), embedder, recency_boost=1.0)
    assert plain[0].doc_id != "news.jsonl#jsa"
    assert recent.search(q, top_k=3, reference="2017-11-14").passages[0].doc_id == "news.jsonl#jsa"
    # Articles after the reference day gain nothing, and a question's own window overrides.
    assert recent.search(q, top_k=3, reference="2017-12-21").passages[0].doc_id == "news.jsonl#fog"


def test_date_and_source_filters(retriever):
    q = "North Korean soldier defected"
    ids = lambda f: {p.doc_id for p in retriever.search(q, f, top_k=10).passages}
    assert ids(Filters(as_of="2017-12-01")) == {"news.jsonl#jsa"}
    assert "news.jsonl#economy" not in ids(Filters(until="2017-12-21"))
    assert ids(Filters(since="2017-12-22")) <= {"news.jsonl#economy", "news.jsonl#bakery"}
    assert ids(Filters(sources=["capital daily"])) == {"news.jsonl#jsa", "news.jsonl#economy"}
    assert ids(Filters(as_of="2000-01-01")) == set()


def test_undated_articles_need_opt_in_under_as_of(tmp_path, embedder):
    from assistant.settings import Settings

    arts = [dict(ARTICLES[0]), dict(ARTICLES[1], published=None)]
    archive = write_archive(tmp_path / "a", arts)
    settings = Settings(archive=archive, index=tmp_path / "i")
    build_index(settings, embedder=embedder)
    r = Retriever(Index.load(settings.index, "bundled"), embedder)
    assert r.search("soldier defected", Filters(as_of="2017-12-01"), top_k=5).passages == []  # strict by default
    got = {p.doc_id: p for p in r.search("soldier defected", Filters(as_of="2017-12-01", include_undated=True), top_k=5).passages}
    assert set(got) == {"news.jsonl#jsa"} and got["news.jsonl#jsa"].published is None
    assert r.search("soldier defected", Filters(as_of="2017-12-01", include_undated=False), top_k=5).passages == []


def test_newest_day_a_question_may_read(built, tmp_path, embedder):
    from assistant.settings import Settings

    index = Index.load(built[0].index, "bundled")
    assert newest_day(index, Filters()) == "2018-03-02"
    assert newest_day(index, Filters(as_of="2017-12-25")) == "2017-12-21"
    assert newest_day(index, Filters(sources=["capital daily"])) == "2017-12-28"
    assert newest_day(index, Filters(as_of="2000-01-01")) is None
    # An undated article the filters let through could be from any day.
    archive = write_archive(tmp_path / "a", [dict(ARTICLES[0]), dict(ARTICLES[1], published=None)])
    settings = Settings(archive=archive, index=tmp_path / "i")
    build_index(settings, embedder=embedder)
    undated = Index.load(settings.index, "bundled")
    assert newest_day(undated, Filters()) is None
    assert newest_day(undated, Filters(as_of="2018-01-01")) == "2017-12-21"


def test_wire_copies_collapse_to_earliest(tmp_path, embedder):
    from assistant.settings import Settings

    story = ("Rescue teams pulled twelve miners alive from a flooded coal pit in the north of the province on Sunday, "
             "officials said, after a two-day operation that drew pumps from three neighbouring towns.")
    arts = [
        {"id": f"w{i}", "title": "Twelve miners rescued", "published": f"2020-05-0{3 + i}", "source": src, "text": story}
        for i, src in enumerate(["Wire One", "Daily Two", "Herald Three"])
    ] + [ARTICLES[3]]
    archive = write_archive(tmp_path / "a", list(reversed(arts)))
    settings = Settings(archive=archive, index=tmp_path / "i")
    build_index(settings, embedder=embedder)
    r = Retriever(Index.load(settings.index, "bundled"), embedder)
    passages = r.search("How many miners were rescued?", top_k=3).passages
    miners = [p for p in passages if "miners" in p.text]
    assert len(miners) == 1
    assert miners[0].source == "Wire One" and miners[0].published == "2020-05-03"
    assert sorted(miners[0].also_carried_by) == ["Daily Two", "Herald Three"]


def test_rrf_and_shingles():
    import numpy as np

    fused = rrf([np.array([1, 2, 3]), np.array([3, 1])], k=60)
    assert max(fused, key=fused.get) == 1 and fused[3] > fused[2]
    # A heavier second (lexical) ranking lets its first hit win.
    weighted = rrf([np.array([1, 2, 3]), np.array([3, 1])], k=60, weights=[1.0, 3.0])
    assert max(weighted, key=weighted.get) == 3
    a, b = shingles("one two three four five six"), shingles("one two three four five seven")
    assert 0 < jaccard(a, b) < 1 and jaccard(a, a) == 1


def test_collapse_keeps_distinct_passages():
    mk = lambda i, text: Passage(chunk_id=i, doc_id=f"d{i}", text=text, start=0, end=len(text), title="t",
                                 published="2020-01-01", source=f"s{i}", url=None, path="p")
    out = collapse_duplicates([mk(1, "alpha beta gamma delta epsilon zeta"), mk(2, "completely different words in this passage here")], 0.8)
    assert len(out) == 2
