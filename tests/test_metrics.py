"""Unit tests of the pure evaluation metrics."""
from __future__ import annotations

import pytest

from assistant import metrics as M


def test_normalize_answer_follows_squad():
    assert M.normalize_answer("The  Dalai-Lama!") == "dalai lama"
    assert M.normalize_answer("An “apple”, a pear") == "apple pear"
    assert M.normalize_answer("") == ""


def test_exact_match_best_over_variants():
    assert M.exact_match("the Dalai Lama.", "Dalai Lama") == 1.0
    assert M.exact_match("Pope Leo", ["Dalai Lama", "pope leo"]) == 1.0
    assert M.exact_match("Dalai Lama XIV", "Dalai Lama") == 0.0


def test_token_f1_partial_and_best_variant():
    # pred tokens {dalai, lama, xiv}, gold {dalai, lama}: p=2/3, r=1 -> 0.8
    assert M.token_f1("Dalai Lama XIV", "Dalai Lama") == pytest.approx(0.8)
    assert M.token_f1("Leo", ["Dalai Lama", "Pope Leo"]) == pytest.approx(2 / 3)
    assert M.token_f1("nothing shared", "Dalai Lama") == 0.0
    assert M.token_f1("", "") == 1.0
    assert M.token_f1("", "x") == 0.0


def test_answer_in_text_needs_whole_words():
    text = "The Dalai Lama said on Wednesday that his institution will continue."
    assert M.answer_in_text(["dalai lama"], text)
    assert M.answer_in_text("Pope Leo", "Pope Leo's visit")
    assert M.answer_in_text("Leo", "Leopold spoke") is False
    assert M.answer_in_text(["x", "Wednesday"], text)
    assert not M.answer_in_text([], text)


def test_answer_in_text_ignores_accents_and_their_encoding():
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Esther González leads the Golden Boot race.")
    assert M.answer_in_text(["Esther González"], decomposed) and M.answer_in_text(["Gonzalez"], decomposed)
    assert M.answer_in_text(["Bonmatí"], "Aitana Bonmati scored.")


def test_source_matching_by_id_url_and_path():
    p = {"doc_id": "news/2025.jsonl#abc", "path": "news/2025.jsonl", "url": "https://www.example.com/a/"}
    assert M.source_matches("news/2025.jsonl#abc", p)
    assert M.source_matches("news/2025.jsonl", p)
    assert M.source_matches("http://example.com/a", p)
    assert not M.source_matches("https://example.com/b", p)
    assert not M.source_matches("news", p)
    assert not M.source_matches("", p)


def test_source_rank():
    passages = [{"doc_id": "a"}, {"doc_id": "b"}, {"doc_id": "c"}]
    assert M.source_rank(["c", "b"], passages) == 2
    assert M.source_rank(["z"], passages) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Answer: B", 1),
        ("B.", 1),
        ("(C)", 2),
        ("The answer is D", 3),
        ("I think the answer is (A) because [1] says so.", 0),
        ("B) Pope Leo XIV", 1),
        ("Option c", None),  # lower-case letters are words, not options
        ("The answer is a cheese.", 3),  # choice text
        ("The archive does not say.", None),
        ("Answer: E", None),  # out of range
    ],
)
def test_parse_choice(text, expected):
    choices = ["Broccoli", "Chocolate", "Grapes", "Cheese"]
    assert M.parse_choice(text, 4, choices) == expected


def test_parse_choice_first_mentioned_choice_text():
    choices = ["Broccoli", "Cheese"]
    assert M.parse_choice("Cheese, not broccoli, triggers nightmares", 2, choices) == 1


def test_percentile():
    assert M.percentile([], 50) is None
    assert M.percentile([3.0], 95) == 3.0
    assert M.percentile([1, 2, 3, 4], 50) == pytest.approx(2.5)
    assert M.percentile(list(range(101)), 95) == pytest.approx(95)


def test_refusal_scores():
    records = [
        {"answerable": True, "refused": True},
        {"answerable": False, "refused": True},
        {"answerable": False, "refused": False},
        {"answerable": True, "refused": False},
    ]
    r = M.refusal_scores(records)
    assert r["refusal_precision"] == pytest.approx(0.5)
    assert r["refusal_recall"] == pytest.approx(0.5)
    assert M.refusal_scores([{"answerable": True, "refused": True}]) == {"refusal_precision": None, "refusal_recall": None}


def test_aggregate():
    records = [
        {"answerable": True, "correct": True, "answer_recall": True, "has_expected_sources": True, "source_rank": 1,
         "valid_markers": 2, "invalid_markers": 0, "cited_sentences": 2, "supported_sentences": 2, "refused": False,
         "latency_s": 1.0, "completion_tokens": 11, "generation_s": 1.0},
        {"answerable": True, "correct": False, "answer_recall": False, "has_expected_sources": True, "source_rank": None,
         "valid_markers": 1, "invalid_markers": 1, "cited_sentences": 2, "supported_sentences": 1, "refused": False,
         "latency_s": 3.0, "completion_tokens": 21, "generation_s": 1.0},
        {"answerable": True, "f1": 0.5, "em": 0.0, "has_expected_sources": True, "source_rank": 4, "refused": True,
         "latency_s": 2.0},
        {"answerable": False, "correct": None, "refused": True, "latency_s": 5.0},
    ]
    m = M.aggregate(records)
    assert m["n"] == 4
    assert m["accuracy"] == pytest.approx(0.5)  # only the two answerable multiple-choice
    assert m["f1"] == pytest.approx(0.5) and m["exact_match"] == 0.0
    assert m["answer_recall_at_k"] == pytest.approx(0.5)
    assert m["source_recall_at_k"] == pytest.approx(2 / 3)
    assert m["mrr"] == pytest.approx((1 + 0 + 0.25) / 3)
    assert m["citation_validity"] == pytest.approx(3 / 4)
    assert m["citation_support"] == pytest.approx(3 / 4)
    assert m["refusal_rate"] == pytest.approx(0.5)
    assert m["refusal_precision"] == pytest.approx(0.5) and m["refusal_recall"] == 1.0
    assert m["latency_p50_s"] == pytest.approx(2.5)
    assert m["latency_p95_s"] == pytest.approx(4.7)
    assert m["tokens_per_s"] == pytest.approx(30 / 2.0)


def test_aggregate_absent_inputs_are_none():
    m = M.aggregate([{"answerable": True, "latency_s": 0.1}])
    for key in ("accuracy", "f1", "source_recall_at_k", "mrr", "citation_validity", "citation_support",
                "refusal_rate", "refusal_precision", "tokens_per_s"):
        assert m[key] is None, key
    assert M.aggregate([])["n"] == 0


def test_a_yes_no_answer_is_the_word_it_opens_with():
    from assistant.metrics import stance
    assert stance("Yes [1]\n\nThe jury awarded Heard $2 million and no money for punitive damages. [1]") == "yes"
    assert stance("No, Cardi B didn't perform [8]") == "no"
    assert stance("Nothing was said [2]") is None
    assert stance("The archive does not say.") is None
