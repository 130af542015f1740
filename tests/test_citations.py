"""Citation markers, sentence splitting, span mapping and the lexical support checker."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.citations import (
    SUPPORT_THRESHOLD,
    CitationCheck,
    best_support_span,
    check_answer,
    evaluate_checker,
    is_claim,
    is_supported,
    parse_markers,
    split_sentences,
    strip_markers,
    support_score,
)
from assistant.types import Passage

LABELS = Path(__file__).parent / "data" / "support_labels.jsonl"


def _passage(doc_id: str, doc: str, start: int, end: int, **meta) -> Passage:
    return Passage(
        chunk_id=meta.pop("chunk_id", 0),
        doc_id=doc_id,
        text=doc[start:end],
        start=start,
        end=end,
        title=meta.pop("title", "Title"),
        published=meta.pop("published", "2024-01-02"),
        source=meta.pop("source", "Herald"),
        url=meta.pop("url", None),
        path=meta.pop("path", doc_id),
        page=meta.pop("page", None),
    )


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


# ----------------------------------------------------------------------------- markers


@pytest.mark.parametrize(
    "text, expected",
    [
        ("fog [1].", [[1]]),
        ("fog [1, 3].", [[1, 3]]),
        ("fog [1,3].", [[1, 3]]),
        ("fog [1][3].", [[1], [3]]),
        ("fog [1-2].", [[1, 2]]),
        ("fog [1–3].", [[1, 2, 3]]),
        ("fog [3-1].", [[1, 2, 3]]),
        ("fog [Passage 2].", [[2]]),
        ("fog [source 2].", [[2]]),
        ("fog [Sources 1 and 4].", [[1, 4]]),
        ("fog [ 2 ].", [[2]]),
        ("fog [1, 1].", [[1]]),
        ("fog [0].", [[0]]),
        ("fog [a] and [b2].", []),
        ("in [2017] and [1, 2017]", []),
        ("see [1](https://example.com) for more", []),
        ("a [100] b [99]", [[99]]),
    ],
)
def test_parse_markers_forms(text, expected):
    markers = parse_markers(text)
    assert [m.numbers for m in markers] == expected
    for m in markers:
        assert text[m.start] == "[" and text[m.end - 1] == "]"


def test_marker_offsets_cover_the_bracket_group():
    text = "Fog [Passage 2] closed it [1, 3]."
    markers = parse_markers(text)
    assert [text[m.start : m.end] for m in markers] == ["[Passage 2]", "[1, 3]"]


def test_renumber_maps_each_marker_number():
    from assistant.markers import renumber

    assert renumber("Fog [1]. Then [2, 3] in 2017 [2017].", {1: 4, 2: 5}) == "Fog [4]. Then [5, 3] in 2017 [2017]."


def test_strip_markers_tidies_spaces():
    assert strip_markers("Fog closed it [1]. Then [2] it lifted [3][4].") == "Fog closed it. Then it lifted."


# ----------------------------------------------------------------------------- sentences


def test_split_sentences_basic_and_trimmed():
    text = "  Fog closed the airport. Flights resumed! Did they?  "
    assert _sentences(text) == ["Fog closed the airport.", "Flights resumed!", "Did they?"]


def test_split_sentences_abbreviations_and_decimals():
    text = (
        "Mr. Smith said 3.5 inches fell in the U.S. on Monday. Dr. J. R. Okafor agreed. "
        "He moved to the U.S. The next year he left. Acme Inc. said so at 9 a.m. Monday. "
        "It is No. 5 on the list. He said no. Then he left."
    )
    assert _sentences(text) == [
        "Mr. Smith said 3.5 inches fell in the U.S. on Monday.",
        "Dr. J. R. Okafor agreed.",
        "He moved to the U.S.",
        "The next year he left.",
        "Acme Inc. said so at 9 a.m. Monday.",
        "It is No. 5 on the list.",
        "He said no.",
        "Then he left.",
    ]


def test_split_sentences_markers_belong_to_previous_sentence():
    text = "Fog closed the airport. [1] Flights resumed at noon [2]. Crews cleared the runway.[3][4] Done."
    assert _sentences(text) == [
        "Fog closed the airport. [1]",
        "Flights resumed at noon [2].",
        "Crews cleared the runway.[3][4]",
        "Done.",
    ]


def test_split_sentences_lists_blank_lines_and_lead_ins():
    text = "Here is what the archive says: Fog closed it [1].\n\n- Flights resumed [2]\n- Crews worked\n\nThe archive does not say"
    assert _sentences(text) == [
        "Here is what the archive says:",
        "Fog closed it [1].",
        "Flights resumed [2]",
        "Crews worked",
        "The archive does not say",
    ]


def test_split_sentences_keep_a_timeline_date_with_its_entry():
    text = ("Until further notice. February 2022: Washington's NFL team revealed it will be the Commanders. "
            "Nov. 13, 2017: He ran. 2019: The team won. Officials said: The team is here.")
    assert _sentences(text) == [
        "Until further notice.",
        "February 2022: Washington's NFL team revealed it will be the Commanders.",
        "Nov. 13, 2017: He ran.",
        "2019: The team won.",
        "Officials said:",
        "The team is here.",
    ]


def test_split_sentences_quotes_and_empty():
    assert _sentences('He said "it is over." Then he left.') == ['He said "it is over."', "Then he left."]
    assert split_sentences("") == []
    assert split_sentences("   \n ") == []


# ----------------------------------------------------------------------------- support checker


def test_support_examples():
    evidence = (
        "The new Riverside bridge is scheduled to open in 2026, Mayor Elena Ruiz told reporters. "
        "It cost $1.2 billion."
    )
    assert is_supported("Mayor Elena Ruiz said the Riverside bridge will open in 2026.", evidence)
    assert is_supported("The bridge cost $1.2 billion.", evidence)
    assert is_supported("The bridge cost 1,200 million.", evidence)  # scale words
    # wrong number, wrong name, invented detail, negation flip, unrelated
    assert not is_supported("Mayor Elena Ruiz said the bridge will open in 2027.", evidence)
    assert not is_supported("Mayor Carlos Mendez said the bridge will open in 2026.", evidence)
    assert not is_supported("The bridge was built by Chinese engineers with federal money.", evidence)
    assert not is_supported("The Riverside bridge will not open in 2026.", evidence)
    assert not is_supported("Stock markets rallied after the election.", evidence)
    assert 0.0 <= support_score("Stock markets rallied.", evidence) <= support_score("The bridge will open in 2026.", evidence) <= 1.0


def test_number_normalisation():
    assert is_supported("The company cut 1,200 jobs at Northwind.", "Northwind said it would cut 1200 jobs.")
    assert is_supported("About twenty people were injured in the blast.", "The blast injured 20 people.")
    assert is_supported("Twelve passengers were injured.", "12 passengers were injured.")
    assert is_supported("The museum got $2 million.", "The museum got 2,000,000 dollars.")
    assert not is_supported("The museum got $2 billion.", "The museum got $2 million.")
    assert is_supported("Prices rose 15 percent.", "Prices rose 15%.")
    assert not is_supported("Prices rose 15 percent.", "Prices rose 16%.")
    assert is_supported("4", "He was the fourth North Korean soldier to defect this year.")
    assert is_supported("He was the 4th soldier to defect.", "He was the fourth soldier to defect.")
    assert not is_supported("5", "He was the fourth North Korean soldier to defect this year.")


def test_antonym_contradiction():
    evidence = "Voters in Castleford rejected the proposed tax increase on Tuesday."
    assert is_supported("Castleford voters rejected the tax increase.", evidence)
    assert not is_supported("Castleford voters approved the tax increase.", evidence)


def test_negation_scope_ignores_unrelated_clause():
    evidence = "Chancellor Ingrid Maas met union leaders in Berlin on Friday but the talks ended without an agreement."
    assert is_supported("Ingrid Maas met union leaders in Berlin.", evidence)
    assert not is_supported("Ingrid Maas reached an agreement with union leaders.", evidence)


def test_non_claims():
    assert not is_claim("Here is what the archive says:")
    assert not is_claim("The archive does not say.")
    assert not is_claim("The archive does not say when the bridge opens [2].")
    assert not is_claim("[1]")
    assert not is_claim("Yes [8]") and not is_claim("No [8]")
    assert is_claim("Yes, he survived [2].")
    assert is_claim("The bridge opens in 2026 [1].")
    assert is_claim("It was 20.")
    assert support_score("Here is what the archive says:", "Anything at all.") == 0.0


def test_best_support_span_picks_sentence_with_fact():
    text = "The council met on Monday. It voted 7-2 to approve the budget. Members then went home."
    s, e, score = best_support_span("The council approved the budget by 7 votes to 2.", text)
    assert text[s:e] == "It voted 7-2 to approve the budget." or text[s:e] == (
        "The council met on Monday. It voted 7-2 to approve the budget."
    )
    assert score >= SUPPORT_THRESHOLD
    s, e, _ = best_support_span("Members went home afterwards.", text)
    assert text[s:e] == "Members then went home."


def _labelled() -> list[dict]:
    return [json.loads(line) for line in LABELS.read_text().splitlines() if line.strip()]


def test_labelled_set_is_substantial_and_varied():
    pairs = _labelled()
    assert len(pairs) >= 40
    assert {p["supported"] for p in pairs} == {True, False}
    assert sum(p["supported"] for p in pairs) >= 15 and sum(not p["supported"] for p in pairs) >= 15


def test_checker_precision_recall_on_labelled_set():
    pairs = _labelled()
    result = evaluate_checker(pairs)
    by_split = {
        split: evaluate_checker([p for p in pairs if p.get("split") == split])
        for split in sorted({p.get("split") for p in pairs})
    }
    report = f"all: {result}\n" + "\n".join(f"{k}: {v}" for k, v in by_split.items())
    print("\nsupport checker on tests/data/support_labels.jsonl\n" + report)
    assert result["n"] == len(pairs)
    assert result["precision"] >= 0.85, report
    assert result["recall"] >= 0.7, report


def test_evaluate_checker_counts():
    pairs = [
        ("The bridge opens in 2026.", "The bridge opens in 2026.", True),  # tp
        ("The bridge opens in 2027.", "The bridge opens in 2026.", True),  # fn
        ("The bridge opens in 2026.", "The bridge opens in 2026.", False),  # fp
        ("The bridge opens in 2027.", "The bridge opens in 2026.", False),  # tn
    ]
    r = evaluate_checker(pairs)
    assert (r["tp"], r["fn"], r["fp"], r["tn"], r["n"]) == (1, 1, 1, 1, 4)
    assert r["precision"] == 0.5 and r["recall"] == 0.5 and r["accuracy"] == 0.5


# ----------------------------------------------------------------------------- check_answer

DOC1 = (
    "Harbor City Herald, January 2.\n\n"
    "Weather chaos. Harbor City's airport was shut on Tuesday morning after dense fog rolled in "
    "from the bay. Officials said 42 flights were cancelled. Flights resumed on Wednesday."
)
DOC2 = "The new Riverside bridge will open in 2026, Mayor Elena Ruiz said. It cost $90 million."


@pytest.fixture
def passages() -> list[Passage]:
    start = DOC1.index("Weather chaos")
    return [
        _passage("news/a.txt", DOC1, start, len(DOC1), title="Fog shuts airport", page=3),
        _passage("news/b.txt", DOC2, 0, len(DOC2), title="Bridge", source="Times", chunk_id=1),
    ]


def test_check_answer_removes_and_counts_invalid_markers(passages):
    answer = "Fog shut the Harbor City airport on Tuesday [1][7]. The bridge will open in 2026 [2, 0]. Odd [9]."
    result = check_answer(answer, passages)
    assert isinstance(result, CitationCheck)
    assert result.invalid_markers == 3
    assert result.text == "Fog shut the Harbor City airport on Tuesday [1]. The bridge will open in 2026 [2]. Odd."
    assert [c.n for c in result.citations] == [1, 2]


def test_check_answer_normalises_marker_forms(passages):
    result = check_answer("The airport was shut on Tuesday and 42 flights were cancelled [Passage 1].", passages)
    assert result.text.endswith("cancelled [1].")
    result = check_answer("Fog shut the airport while the bridge will open in 2026 [1-2].", passages)
    assert "[1][2]" in result.text and result.invalid_markers == 0


def test_citation_span_maps_to_document_offsets(passages):
    answer = "Officials said 42 flights were cancelled [1]. Mayor Elena Ruiz said the bridge opens in 2026 [2]."
    for documents in (None, {"news/a.txt": DOC1, "news/b.txt": DOC2}):
        result = check_answer(answer, passages, documents)
        c1, c2 = result.citations
        assert c1.start > 0  # passage 1 starts inside its document
        assert DOC1[c1.start : c1.end] == c1.quote == "Officials said 42 flights were cancelled."
        assert DOC2[c2.start : c2.end] == c2.quote == "The new Riverside bridge will open in 2026, Mayor Elena Ruiz said."
        assert (c1.doc_id, c1.title, c1.source, c1.page, c1.path) == ("news/a.txt", "Fog shuts airport", "Herald", 3, "news/a.txt")
        assert c1.supported and c2.supported
        assert c1.sentence == "Officials said 42 flights were cancelled [1]."
        assert result.unsupported_sentences == []


def test_citation_span_found_when_passage_offsets_are_stale(passages):
    shifted = "PREFIX ADDED LATER. " + DOC1
    result = check_answer("Flights resumed on Wednesday [1].", passages, {"news/a.txt": shifted})
    c = result.citations[0]
    assert shifted[c.start : c.end] == c.quote == "Flights resumed on Wednesday."


def test_unsupported_sentences_and_support_table(passages):
    answer = (
        "Here is what the archive says: Officials said 24 flights were cancelled [1]. "
        "Flights resumed on Wednesday. The bridge will open in 2026 [1]. "
        "The archive does not say who paid for it."
    )
    result = check_answer(answer, passages)
    table = {s: (ns, ok) for s, ns, ok, _ in result.sentence_support}
    assert "Here is what the archive says:" not in table
    assert "The archive does not say who paid for it." not in table
    assert table["Officials said 24 flights were cancelled [1]."] == ([1], False)  # wrong number
    # uncited sentence: checked against its neighbours' citations
    assert table["Flights resumed on Wednesday."] == ([1], True)
    # cites the wrong passage: the bridge is in passage 2
    assert table["The bridge will open in 2026 [1]."] == ([1], False)
    assert result.unsupported_sentences == [
        "Officials said 24 flights were cancelled [1].",
        "The bridge will open in 2026 [1].",
    ]
    (c1,) = result.citations
    assert not c1.supported


def test_uncited_answer_is_unsupported(passages):
    result = check_answer("Fog shut the Harbor City airport on Tuesday.", passages)
    assert result.citations == []
    assert result.unsupported_sentences == ["Fog shut the Harbor City airport on Tuesday."]


def test_multi_citation_sentence_uses_both_passages(passages):
    answer = "Fog shut the Harbor City airport on Tuesday, and Mayor Elena Ruiz said the bridge will open in 2026 [1, 2]."
    result = check_answer(answer, passages)
    ((_, ns, ok, _),) = result.sentence_support
    assert ns == [1, 2] and ok
    assert [c.n for c in result.citations] == [1, 2]
    assert all(c.supported for c in result.citations)
    assert "shut on Tuesday" in result.citations[0].quote
    assert "2026" in result.citations[1].quote


def test_empty_answer_and_no_passages():
    result = check_answer("", [])
    assert result.text == "" and result.citations == [] and result.invalid_markers == 0
    result = check_answer("Fog closed it [1].", [])
    assert result.invalid_markers == 1 and result.text == "Fog closed it."


def test_removing_a_marker_does_not_create_a_new_one(passages):
    # "[2, [0] 3]": once "[0]" goes, the leftovers read "[2, 3]", which must stay text.
    result = check_answer("The bridge opens in 2026 [2, [0] 3] [2].", passages)
    assert result.invalid_markers == 1
    assert result.text == "The bridge opens in 2026 [2, 3] [2]."
    assert [c.n for c in result.citations] == [2]


# ---------------------------------------------------------------- repairs before the check

def test_leading_markers_move_to_the_sentence_end():
    from assistant.citations import move_leading_markers

    text = "[1] The soldier crossed in fog.\n[2][3] Guards fired warning shots."
    assert move_leading_markers(text) == "The soldier crossed in fog. [1]\nGuards fired warning shots. [2][3]"
    assert move_leading_markers("Plain answer [1].") == "Plain answer [1]."


def test_uncited_claims_get_the_supporting_passage():
    from assistant.citations import attribute_uncited

    bakery, shots = "The bakery won a prize for its sourdough.", "South Korean troops fired about 20 warning shots at the guards."
    passages = [_passage("a", bakery, 0, len(bakery)), _passage("b", shots, 0, len(shots))]
    text, added = attribute_uncited("Troops fired about 20 warning shots. Aliens landed in Paris.", passages)
    assert added == 1
    assert text == "Troops fired about 20 warning shots. [2] Aliens landed in Paris."


def test_a_yes_or_no_before_the_answer_is_no_negation_of_it():
    from assistant.citations import is_supported

    evidence = "The soldier who crossed earlier in the day was unarmed and was taken into custody by troops."
    # "No," says which way a yes/no question is answered; "unarmed" says the rest.
    assert is_supported("No, he was unarmed [1]", evidence)
    assert not is_supported("No, he was not taken into custody", evidence)
    assert not is_supported("Yes, he was armed", "He was not armed.")
