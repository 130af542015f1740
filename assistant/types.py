"""Typed results shared across the package.

Everything that crosses a module boundary is one of these dataclasses, so the CLI, the Streamlit
app and the tests all see the same shapes. ``to_dict`` gives JSON-ready dicts for ``--json`` and
for the evaluation reports.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Document:
    """One article. ``id`` is stable across rebuilds: the archive-relative path, plus ``#<record id>``
    or ``#L<line>`` for json/jsonl records. ``pages`` holds ``(page_number, start, end)`` character
    ranges of ``text`` for pdfs (1-based page numbers), empty otherwise."""

    id: str
    text: str
    title: str
    published: str | None = None  # ISO YYYY-MM-DD
    source: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    path: str = ""  # archive-relative path of the file it came from
    pages: list[tuple[int, int, int]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. {"sample": True}
    # How precise ``published`` is ("day" / "month" / "year" / "unknown"; the string's length says
    # the same: 2017-12-21 / 2017-12 / 2017) and where it came from (json-ld, meta, time-tag, url,
    # dateline, htmldate, front-matter, record-field, text-header, pdf-text, pdf-creation-date;
    # see assistant/dates.py). Rows written before these fields existed load with the precision
    # read off ``published`` and no source.
    date_precision: str = "unknown"
    date_source: str | None = None

    def __post_init__(self) -> None:
        if not self.published:
            self.date_precision = "unknown"
        elif self.date_precision not in ("day", "month", "year"):
            from .dates import precision_of

            self.date_precision = precision_of(self.published)

    def page_at(self, offset: int) -> int | None:
        for number, start, end in self.pages:
            if start <= offset < end:
                return number
        return self.pages[-1][0] if self.pages else None

    def meta(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("text")
        return d


@dataclass
class SkippedFile:
    """A file (or a record inside one) that was not indexed, and why."""

    path: str
    reason: str


@dataclass
class FileLoad:
    """What loading one archive file gave: its documents and per-record problems."""

    path: str
    documents: list[Document] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)


@dataclass
class Chunk:
    """A passage of a document: ``text == document.text[start:end]``."""

    doc_id: str
    text: str
    start: int
    end: int
    page: int | None = None


@dataclass
class Filters:
    """Retrieval filters. Dates are ``YYYY-MM-DD`` strings (or ``date`` objects); anything else
    raises ``InvalidDateError`` (a ``ValueError``: "invalid date 'x' for until: use YYYY-MM-DD").

    ``as_of`` is strict and stated in the prompt: only articles provably published on or before
    that day pass (a month- or year-only date when its period's last day is on or before it; a
    pdf's file-creation date proves nothing). ``since``/``until`` keep an article whose date
    period overlaps the range. Undated articles (and, under ``as_of``, creation-date-only ones):
    ``include_undated=None`` (default) keeps them under ``since``/``until`` and drops them under
    ``as_of``; ``True`` keeps them under every filter, ``False`` drops them under every filter."""

    since: str | None = None
    until: str | None = None
    as_of: str | None = None
    sources: list[str] = field(default_factory=list)
    include_undated: bool | None = None

    def __post_init__(self) -> None:
        from .dates import check_filter_date

        self.since = check_filter_date(self.since, "since")
        self.until = check_filter_date(self.until, "until")
        self.as_of = check_filter_date(self.as_of, "as_of")

    def undated_pass(self, as_of: bool) -> bool:
        """Whether an article without a (provable) date passes a date filter of this kind."""
        if self.include_undated is None:
            return not as_of
        return bool(self.include_undated)

    def is_empty(self) -> bool:
        return not (self.since or self.until or self.as_of or self.sources)


@dataclass
class Passage:
    """A retrieved chunk with its document metadata and retrieval scores."""

    chunk_id: int
    doc_id: str
    text: str
    start: int
    end: int
    title: str
    published: str | None
    source: str | None
    url: str | None
    path: str
    page: int | None = None
    score: float = 0.0  # fused score (RRF)
    date_source: str | None = None  # Document.date_source, e.g. "pdf-creation-date"
    dense_score: float | None = None  # cosine similarity
    lexical_score: float | None = None
    also_carried_by: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Citation:
    """One ``[n]`` of an answer resolved to its passage and to the supporting span in the
    document text (``start``/``end`` are offsets into ``Document.text``)."""

    n: int
    doc_id: str
    title: str
    source: str | None
    published: str | None
    url: str | None
    path: str
    page: int | None
    start: int
    end: int
    quote: str
    supported: bool = True
    sentence: str = ""  # the answer sentence that carries the marker
    date_source: str | None = None  # Document.date_source, e.g. "pdf-creation-date"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Timings:
    retrieval_s: float = 0.0
    prompt_eval_s: float = 0.0
    first_token_s: float = 0.0
    generation_s: float = 0.0
    total_s: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    tokens_per_s: float = 0.0


@dataclass
class Answer:
    question: str
    answer: str
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    refused: bool = False
    query: str = ""  # the standalone query used for retrieval (after rewrite)
    invalid_markers: int = 0
    unsupported_sentences: list[str] = field(default_factory=list)
    timings: Timings = field(default_factory=Timings)
    as_of: str | None = None
    # Multiple choice scored by the model: each option's probability, averaged over option orders.
    choice_probs: list[float] | None = None
    # How well the passages state each option (``evidence.option_support``), added to its log probability.
    choice_support: list[float] | None = None
    # Each option's mean token log-probability as the open-question reply, added with a weight.
    choice_likelihood: list[float] | None = None
    direct: str = ""  # the answer in a few words, as the model wrote it (open questions)
    # The relative time the question named, resolved against as_of or the newest article
    # ({"phrase", "start", "end"}); retrieval preferred articles from those days.
    timeframe: dict[str, str] | None = None
    # Markers in the shown answer: written by the model and valid, vs added by the support check.
    model_markers: int = 0
    attributed_markers: int = 0
    relevance: float = 0.0  # best question-sentence cosine among the candidates (refusal gate)
    # The quoted sentence's evidence score and its own cosine to the question (answer check).
    support_score: float | None = None
    support_dense: float | None = None
    # A sentence-long first reply to a factoid question, replaced by the model's shorter second
    # reply (``grounding.too_long``); None when the first reply was kept.
    shortened: str | None = None
    # Answered from the single best evidence passage (a descriptive question:
    # ``Settings.focused_first``; a factoid: ``Settings.focused_factoid``); ``passages`` then
    # holds that passage alone.
    focused: bool = False
    # A factoid answer that is the evidence span the model found likeliest as its reply
    # (``Assistant._candidate``), after its own reply was refused.
    candidate: bool = False
    # A news question ("what happened last week?") answered with the leads of the newest articles
    # that fit (``digest``), without the model.
    digest: bool = False
    # The model that answered after the main model's reply was refused (``Settings.fallback_model``:
    # "large" or a file name); empty when the main model answered.
    fallback: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
