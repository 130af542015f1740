"""Sentence-aware chunking on the embedding model's own token budget.

A chunk is a run of whole sentences whose word pieces, plus the title line that is embedded with
it, fit ``chunk_tokens`` (all-MiniLM-L6-v2 silently truncates past 256, so the budget keeps a
margin). Consecutive chunks share up to ``overlap`` tokens of trailing sentences. A single
sentence longer than the budget is cut at word-piece boundaries (preferring whitespace).

Limits: the sentence splitter is a regex (no abbreviation dictionary beyond a short list), so
"U.S. officials" may start a new sentence; that only moves a chunk boundary, never loses text.
Offsets are character offsets into ``Document.text``; ``chunk.text == text[start:end]``.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Protocol

from .types import Chunk, Document

MAX_TITLE_TOKENS = 32

_ABBREV = {"mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "st", "jr", "sr", "vs", "no", "inc", "co", "corp", "ltd", "u.s", "u.k", "u.n", "e.g", "i.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+|\n\s*\n|\n(?=\s*[-*•#])")


class Tokenizer(Protocol):
    def token_offsets(self, text: str) -> list[tuple[int, int]]: ...


@dataclass(frozen=True)
class ChunkingConfig:
    chunk_tokens: int = 200
    overlap: int = 40
    max_tokens: int = 256  # the model's hard limit, special tokens included

    def as_dict(self) -> dict:
        return {"chunk_tokens": self.chunk_tokens, "overlap": self.overlap, "max_tokens": self.max_tokens, "title_in_embedding": True}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence (start, end) spans covering every non-space character of ``text``."""
    spans = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.start() + 1 if text[m.start()] in ".!?" else m.start()
        # Keep closing quotes/brackets with their sentence.
        while end < len(text) and text[end] in "\"'”’)]":
            end += 1
        if text[m.start()] == ".":
            word = re.search(r"([\w.]+)$", text[start : m.start()])
            if word and (word.group(1).lower() in _ABBREV or len(word.group(1)) == 1):
                continue
        if text[start:end].strip():
            spans.append(_strip(text, start, end))
        start = m.end()
    if text[start:].strip():
        spans.append(_strip(text, start, len(text)))
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def embedding_text(title: str, chunk_text: str) -> str:
    return f"{title}\n{chunk_text}" if title else chunk_text


def title_for_embedding(title: str, tokenizer: Tokenizer) -> str:
    offsets = tokenizer.token_offsets(title)
    if len(offsets) > MAX_TITLE_TOKENS:
        return title[: offsets[MAX_TITLE_TOKENS - 1][1]]
    return title


def chunk_document(doc: Document, tokenizer: Tokenizer, config: ChunkingConfig = ChunkingConfig()) -> list[Chunk]:
    text = doc.text
    title = title_for_embedding(doc.title, tokenizer)
    # 2 special tokens + the newline-joined title; the title costs the same in every chunk.
    title_cost = len(tokenizer.token_offsets(title)) + 1 if title else 0
    budget = min(config.chunk_tokens, config.max_tokens) - 2 - title_cost
    budget = max(budget, 16)
    offsets = tokenizer.token_offsets(text)
    token_starts = [s for s, _ in offsets]

    def tokens_in(a: int, b: int) -> int:
        return bisect.bisect_left(token_starts, b) - bisect.bisect_left(token_starts, a)

    # Break over-long sentences into token windows first, so packing only sees pieces that fit.
    pieces: list[tuple[int, int, int]] = []
    for s, e in sentence_spans(text):
        n = tokens_in(s, e)
        if n <= budget:
            pieces.append((s, e, n))
            continue
        first = bisect.bisect_left(token_starts, s)
        last = bisect.bisect_left(token_starts, e)
        i = first
        while i < last:
            j = min(i + budget, last)
            if j < last:
                # Prefer to cut where a new word starts.
                k = j
                while k > i + budget // 2 and offsets[k][0] == offsets[k - 1][1]:
                    k -= 1
                j = k if k > i + budget // 2 else j
            ps = offsets[i][0]
            pe = offsets[j - 1][1] if j < last else e
            pieces.append((ps, pe, j - i))
            i = j

    chunks: list[Chunk] = []
    i = 0
    while i < len(pieces):
        j, used = i, 0
        while j < len(pieces) and used + pieces[j][2] <= budget:
            used += pieces[j][2]
            j += 1
        j = max(j, i + 1)
        start, end = pieces[i][0], pieces[j - 1][1]
        chunks.append(Chunk(doc_id=doc.id, text=text[start:end], start=start, end=end, page=doc.page_at(start)))
        if j >= len(pieces):
            break
        # Step back over trailing pieces that fit the overlap, but always advance.
        k, back = j, 0
        while k - 1 > i and back + pieces[k - 1][2] <= config.overlap:
            back += pieces[k - 1][2]
            k -= 1
        i = k
    return chunks
