"""Evaluation metrics: pure functions over strings, passage dicts and per-question score dicts.

Limits:
- Answer normalisation is SQuAD's (lower case, no punctuation, no English articles, single
  spaces), with accents dropped ("González", written either composed or decomposed as news
  exports do, matches "Gonzalez"); it is English-centred and knows nothing of synonyms or
  numbers written as words.
- ``answer_recall`` is a normalised substring test on word boundaries, so a gold answer that is
  paraphrased in the passages counts as missing, and a very short gold ("4") can match by chance.
- ``parse_choice`` here is the fallback for when ``assistant.prompts.parse_choice`` is missing;
  it reads letters A..Z only (so at most 26 choices).
- Aggregates are micro-averages over questions (citations: over markers and sentences), and a
  metric whose inputs are absent from every question is ``None`` rather than 0.
"""
from __future__ import annotations

import math
import re
import string
import unicodedata
from collections import Counter
from typing import Any, Iterable, Mapping, Sequence

from .markers import strip_markers

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = set(string.punctuation) | set("‘’“”–—…")


def normalize_answer(text: str) -> str:
    """SQuAD normalisation: lower case, drop punctuation and articles, collapse spaces; accents
    dropped too."""
    text = "".join(ch for ch in unicodedata.normalize("NFKD", (text or "").lower()) if not unicodedata.combining(ch))
    text = "".join(" " if ch in _PUNCT else ch for ch in text)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def _golds(golds: str | Sequence[str]) -> list[str]:
    if isinstance(golds, str):
        return [golds]
    return [g for g in golds if g is not None]


def exact_match(prediction: str, golds: str | Sequence[str]) -> float:
    """1.0 when the normalised prediction equals any normalised gold variant."""
    pred = normalize_answer(prediction)
    return float(any(pred == normalize_answer(g) for g in _golds(golds)))


def _f1(pred_tokens: list[str], gold_tokens: list[str]) -> float:
    if not pred_tokens or not gold_tokens:
        # SQuAD convention: both empty is a match, one empty is a miss.
        return float(pred_tokens == gold_tokens)
    common = Counter(pred_tokens) & Counter(gold_tokens)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision = same / len(pred_tokens)
    recall = same / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def token_f1(prediction: str, golds: str | Sequence[str]) -> float:
    """SQuAD token F1, best over gold variants."""
    pred = normalize_answer(prediction).split()
    scores = [_f1(pred, normalize_answer(g).split()) for g in _golds(golds)]
    return max(scores) if scores else 0.0


def answer_in_text(golds: str | Sequence[str], text: str) -> bool:
    """Whether any normalised gold appears in the normalised text as whole words; citation
    markers do not count as text ("4" is not found in "[4]", nor in "40")."""
    hay = f" {normalize_answer(strip_markers(text))} "
    for gold in _golds(golds):
        g = normalize_answer(gold)
        if g and f" {g} " in hay:
            return True
    return False


def stance(answer_text: str) -> str | None:
    """"yes" or "no" when an answer opens with that word (markers and punctuation aside), else None.

    Why: ``answer_in_text`` counts "Yes [1] ... and no money for punitive damages" as containing
    "no"; a yes/no question is answered by the word the answer opens with."""
    m = re.match(r"^\W*(yes|no)\b", answer_text, re.I)
    return m.group(1).lower() if m else None


def _norm_ref(ref: str) -> str:
    ref = (ref or "").strip()
    ref = re.sub(r"^https?://(www\.)?", "", ref, flags=re.I)
    return ref.rstrip("/")


def source_matches(expected: str, passage: Mapping[str, Any]) -> bool:
    """An expected source (doc id, url or archive path) names this passage's document.

    A path also matches the records inside that file (``doc_id`` is ``path#record``); urls match
    regardless of scheme, ``www.`` and a trailing slash.
    """
    if not expected:
        return False
    doc_id = passage.get("doc_id") or ""
    if expected == doc_id or expected == passage.get("path") or doc_id.startswith(expected + "#"):
        return True
    url = passage.get("url")
    return bool(url) and _norm_ref(expected) == _norm_ref(url)


def source_rank(expected: Sequence[str], passages: Sequence[Mapping[str, Any]]) -> int | None:
    """1-based rank of the first passage from an expected source; None when none is retrieved."""
    for rank, passage in enumerate(passages, 1):
        if any(source_matches(e, passage) for e in expected):
            return rank
    return None


_LETTER_PATTERNS = [
    # Most explicit first. Only the keywords ignore case: a lower-case "a" is an article.
    r"\b(?i:answer)\s*(?:(?i:is)|:)?\s*(?:(?i:option|choice)\s*)?[\(\[]?([A-Z])[\)\]]?(?![A-Za-z])",
    r"\b(?i:option|choice)\s*[\(\[]?([A-Z])[\)\]]?(?![A-Za-z])",
    r"^\s*[\(\[]?([A-Z])[\)\]]?\s*(?:[.:)\-]|$)",
    r"[\(\[]([A-Z])[\)\]]",
]


def parse_choice(answer_text: str, n_choices: int, choices: Sequence[str] | None = None) -> int | None:
    """The 0-based option an answer picks: "Answer: B", "B.", "(B)", "The answer is B", or the
    text of one choice (the first one mentioned when several are). None when nothing is found."""
    if not answer_text or n_choices <= 0:
        return None
    letters = string.ascii_uppercase[:n_choices]
    for pattern in _LETTER_PATTERNS:
        for m in re.finditer(pattern, answer_text, re.M):
            letter = m.group(1)
            if letter in letters:
                return letters.index(letter)
    if choices:
        hay = f" {normalize_answer(answer_text)} "
        found = []
        for i, choice in enumerate(choices):
            needle = f" {normalize_answer(choice)} "
            if needle.strip() and needle in hay:
                found.append((hay.index(needle), i))
        if found:
            return min(found)[1]
    return None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100), None for no values."""
    vals = sorted(v for v in values if v is not None and not math.isnan(v))
    if not vals:
        return None
    pos = (len(vals) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return vals[lo] + (vals[hi] - vals[lo]) * (pos - lo)


def _mean(values: Iterable[float | bool | None]) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def refusal_scores(records: Sequence[Mapping[str, Any]]) -> dict[str, float | None]:
    """Refusal precision (refusals that were right to refuse) and recall (unanswerable questions
    refused); both None when the set has no unanswerable question."""
    unanswerable = [r for r in records if not r.get("answerable", True)]
    if not unanswerable:
        return {"refusal_precision": None, "refusal_recall": None}
    refused = [r for r in records if r.get("refused")]
    right = sum(1 for r in refused if not r.get("answerable", True))
    return {
        "refusal_precision": _ratio(right, len(refused)),
        "refusal_recall": _ratio(right, len(unanswerable)),
    }


def aggregate(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Set-level metrics from per-question score dicts (see ``evaluation.score_answer``).

    Keys of a score dict used here, all optional: ``answerable``, ``correct`` (multiple choice),
    ``em``, ``f1``, ``contains`` (open answers), ``answer_recall``, ``source_rank`` (with expected sources),
    ``valid_markers``, ``invalid_markers``, ``cited_sentences``, ``supported_sentences``,
    ``refused``, ``latency_s``, ``completion_tokens``, ``generation_s``.
    """
    answerable = [r for r in records if r.get("answerable", True)]
    with_sources = [r for r in records if r.get("has_expected_sources")]
    ranks = [r.get("source_rank") for r in with_sources]
    valid = sum(r.get("valid_markers", 0) for r in records)
    invalid = sum(r.get("invalid_markers", 0) for r in records)
    cited = sum(r.get("cited_sentences", 0) for r in records)
    supported = sum(r.get("supported_sentences", 0) for r in records)
    # The first token comes out of prompt evaluation; generation_s times the decoding steps after it.
    tokens = sum(max((r.get("completion_tokens") or 0) - 1, 0) for r in records)
    gen_s = sum(r.get("generation_s", 0.0) or 0.0 for r in records)
    latencies = [r.get("latency_s") for r in records if r.get("latency_s") is not None]
    metrics: dict[str, Any] = {
        "n": len(records),
        "accuracy": _mean(r.get("correct") for r in answerable),
        "exact_match": _mean(r.get("em") for r in answerable),
        "f1": _mean(r.get("f1") for r in answerable),
        "answer_contains": _mean(r.get("contains") for r in answerable),
        "direct_contains": _mean(r.get("direct_contains") for r in answerable),
        "answer_recall_at_k": _mean(r.get("answer_recall") for r in answerable),
        "source_recall_at_k": _mean(rank is not None for rank in ranks) if ranks else None,
        "mrr": _mean(1.0 / rank if rank else 0.0 for rank in ranks) if ranks else None,
        "citation_validity": _ratio(valid, valid + invalid),
        "citation_support": _ratio(supported, cited),
        "refusal_rate": _mean(bool(r.get("refused")) for r in records if "refused" in r),
        "false_refusal_rate": _mean(bool(r.get("refused")) for r in answerable if "refused" in r),
        "model_cited_rate": _mean(r.get("model_cited") for r in records),
        "attributed_rate": _mean(r.get("attributed") for r in records),
        # Open answers whose first reply was a copied sentence, sent back for the fact.
        "sent_back_rate": _mean(r.get("sent_back") for r in records if "sent_back" in r),
        # Open answers given from the single best evidence passage (a descriptive question).
        "focused_rate": _mean(r.get("focused") for r in records if "focused" in r),
        # Open questions whose first model's reply did not stand, asked again of the fallback model.
        "fallback_rate": _mean(r.get("fallback") for r in records if "fallback" in r),
    }
    metrics.update(refusal_scores(records))
    metrics.update(
        {
            "latency_p50_s": percentile(latencies, 50),
            "latency_p95_s": percentile(latencies, 95),
            "first_token_p50_s": percentile([r.get("first_token_s") for r in records if r.get("first_token_s")], 50),
            "tokens_per_s": _ratio(tokens, gen_s),
        }
    )
    return metrics
