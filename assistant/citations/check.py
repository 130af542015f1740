"""Resolving an answer: its markers to passages, each citation to a document span, each claim
sentence to a support verdict (``check_answer`` -> ``CitationCheck``).

Limits: a citation quotes one sentence or two adjacent ones of its passage (the best-supporting
window for one of the sentences citing it), never a longer stretch; an uncited claim borrows the
markers of the next sentence of its paragraph, else of the previous one, else it is unsupported;
support itself is the lexical check of :mod:`.support`, with its limits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

from assistant.types import Citation, Passage

from ..markers import _apply_edits, parse_markers
from ..sentences import split_sentences
from .support import SUPPORT_THRESHOLD, _analyse, _Analysis, _best_window, _merge, _score, analyse_claim, is_claim

@dataclass
class CitationCheck:
    """An answer after its markers were resolved.

    ``text`` is the answer with invalid markers removed and valid groups rewritten as ``[1][3]``.
    ``citations`` has one entry per distinct valid passage number, in order of first use; its
    quote is the document span that best supports one of the sentences citing it, and
    ``sentence`` is that sentence (the first citing one on ties). Sentences are exact substrings
    of ``text`` (markers included). ``sentence_support`` lists claim sentences only; an uncited
    claim is checked against the markers of the next sentence of its paragraph (the
    "A. B. [1]" habit), else of the previous one, else it is unsupported."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    invalid_markers: int = 0
    unsupported_sentences: list[str] = field(default_factory=list)
    sentence_support: list[tuple[str, list[int], bool, float]] = field(default_factory=list)


def _normalise_markers(answer: str, k: int) -> tuple[str, int, list[tuple[int, list[int]]]]:
    """The answer with markers rewritten, the count of invalid numbers, and ``(offset, numbers)``
    of each surviving marker in the new text. Offsets are tracked rather than re-parsed because
    deleting "[0]" from "[2, [0] 3]" would make a new marker out of text."""
    invalid = 0
    edits: list[tuple[int, int, str]] = []
    kept: list[list[int]] = []
    for m in sorted(parse_markers(answer), key=lambda m: m.start):
        valid = [n for n in m.numbers if 1 <= n <= k]
        invalid += len(m.numbers) - len(valid)
        edits.append((m.start, m.end, "".join(f"[{n}]" for n in valid)))
        kept.append(valid)
    text, landed = _apply_edits(answer, edits)
    return text, invalid, [(a, ns) for (a, _), ns in zip(landed, kept) if ns]


def _doc_span(passage: Passage, s: int, e: int, documents: Mapping[str, str] | None) -> tuple[int, int, str]:
    """Document offsets and quote of passage-local span ``[s, e)``."""
    local = passage.text[s:e]
    doc = documents.get(passage.doc_id) if documents else None
    doc = getattr(doc, "text", doc)  # a Document or its text
    if doc is None:
        return passage.start + s, passage.start + e, local
    base = passage.start
    if doc[base : base + len(passage.text)] != passage.text:
        found = doc.find(passage.text)
        if found < 0:
            found_quote = doc.find(local)
            if found_quote >= 0:
                return found_quote, found_quote + len(local), local
            return passage.start + s, passage.start + e, local
        base = found
    return base + s, base + e, doc[base + s : base + e]


def _span_page(passage: Passage, start: int, documents: Mapping[str, object] | None) -> int | None:
    """The page the cited span starts on (pdfs), from the document's page ranges when
    ``documents`` holds ``Document`` objects; otherwise the page the passage starts on."""
    doc = documents.get(passage.doc_id) if documents else None
    if getattr(doc, "pages", None):
        return doc.page_at(start)
    return passage.page


def check_answer(
    answer: str, passages: Sequence[Passage], documents: Mapping[str, object] | None = None
) -> CitationCheck:
    """Resolve ``answer``'s markers against ``passages`` (numbered from 1) and check support.

    ``documents`` (doc_id -> text, or doc_id -> ``Document``) makes the quote come from the
    document text itself, located by the passage offsets or, when they disagree, by searching for
    the passage text; with ``Document`` values a pdf citation's page is the page of the quoted
    span rather than of the passage start."""
    k = len(passages)
    text, invalid, markers = _normalise_markers(answer, k)
    extra = [_analyse(" ".join(x for x in (p.title, p.source) if x)) for p in passages]
    def _support_by(claim: _Analysis, ns: list[int]) -> float:
        best: list[tuple[int, int, int]] = []
        score = 0.0
        for n in ns:
            s, e, d = _best_window(claim, passages[n - 1].text, extra[n - 1])
            best.append((n, s, e))
            score = max(score, d.score)
        if len(ns) > 1:
            # A claim may join facts from several cited passages: score it against the union
            # of their best spans too.
            union = _merge([_analyse(passages[n - 1].text[s:e]) for n, s, e in best])
            names = _merge([extra[n - 1] for n in ns])
            score = max(score, _score(claim, union, names).score)
        return score

    spans = split_sentences(text)
    sentences = [text[a:b] for a, b in spans]
    cited: list[list[int]] = []
    for a, b in spans:
        ns: list[int] = []
        for offset, numbers in markers:
            if a <= offset < b:
                ns.extend(n for n in numbers if n not in ns)
        cited.append(ns)

    def same_paragraph(i: int, j: int) -> bool:
        lo, hi = sorted((i, j))
        return "\n" not in text[spans[lo][1] : spans[hi][0]]

    check = CitationCheck(text=text, invalid_markers=invalid)
    claims = [is_claim(s) for s in sentences]
    for i, sentence in enumerate(sentences):
        if not claims[i]:
            continue
        options = [cited[i]] if cited[i] else [
            cited[j] for j in (i + 1, i - 1)
            if 0 <= j < len(sentences) and cited[j] and same_paragraph(i, j)
        ]
        ns, score = [], 0.0
        claim = analyse_claim(sentence)
        for option in options:
            option_score = _support_by(claim, option)
            if not ns or option_score > score:
                ns, score = option, option_score
        supported = score >= SUPPORT_THRESHOLD
        check.sentence_support.append((sentence, list(ns), supported, round(score, 4)))
        if not supported:
            check.unsupported_sentences.append(sentence)

    supported_multi = {
        n for s, ns, ok, _ in check.sentence_support if ok and len(ns) > 1 for n in ns
    }
    order: list[int] = []
    for ns in cited:
        order.extend(n for n in ns if n not in order)
    for n in order:
        passage = passages[n - 1]
        choice: tuple[float, int, int, str] | None = None
        for i, sentence in enumerate(sentences):
            if n not in cited[i]:
                continue
            s, e, d = _best_window(analyse_claim(sentence), passage.text, extra[n - 1])
            sc = d.score if claims[i] else -1.0
            if choice is None or sc > choice[0] + 1e-9:
                choice = (sc, s, e, sentence)
        assert choice is not None
        sc, s, e, sentence = choice
        start, end, quote = _doc_span(passage, s, e, documents)
        check.citations.append(
            Citation(
                n=n,
                doc_id=passage.doc_id,
                title=passage.title,
                source=passage.source,
                published=passage.published,
                url=passage.url,
                path=passage.path,
                page=_span_page(passage, start, documents),
                start=start,
                end=end,
                quote=quote,
                supported=sc >= SUPPORT_THRESHOLD or n in supported_multi,
                sentence=sentence,
            )
        )
    return check
