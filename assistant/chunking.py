"""Sentence-aware chunking on the embedding model's own token budget.

A chunk is a run of whole sentences whose word pieces, plus the title line that is embedded with
it, fit ``chunk_tokens`` (all-MiniLM-L6-v2 silently truncates past 256, so the budget keeps a
margin). Consecutive chunks share up to ``overlap`` tokens of trailing sentences. A single
sentence longer than the budget is cut at word-piece boundaries (preferring whitespace).

Limits: sentences come from the shared rule-based splitter (``sentences``, English
abbreviations); a wrong split only moves a chunk boundary, never loses text.
Offsets are character offsets into ``Document.text``; ``chunk.text == text[start:end]``.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Protocol

from .sentences import split_sentences
from .types import Chunk, Document

MAX_TITLE_TOKENS = 32
# The version of the sentence rules in ``sentences``; bump it when they change.
SPLITTER = "rules-2"

class Tokenizer(Protocol):
    def token_offsets(self, text: str) -> list[tuple[int, int]]: ...


@dataclass(frozen=True)
class ChunkingConfig:
    chunk_tokens: int = 200
    overlap: int = 40
    max_tokens: int = 256  # the model's hard limit, special tokens included

    def as_dict(self) -> dict:
        # "splitter" names the sentence rules: an index cut by other rules is rebuilt in full.
        return {"chunk_tokens": self.chunk_tokens, "overlap": self.overlap, "max_tokens": self.max_tokens,
                "title_in_embedding": True, "splitter": SPLITTER}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The shared splitter's sentences, each widened back to where the previous one ended, so
    the spans cover every non-space character (a list bullet stays in its chunk)."""
    out = []
    prev = 0
    for a, b in split_sentences(text):
        while prev < a and text[prev].isspace():
            prev += 1
        out.append((min(prev, a), b))
        prev = b
    return out


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
