"""Question in, grounded and cited answer out: the one code path behind `ask`, the chat page and
`eval`.

``Assistant`` loads the index, the embedder and the LLM lazily, once, and reuses them across
questions. ``stream`` yields answer text pieces as the model produces them and then exactly one
final ``Answer`` (citations checked, invalid markers removed, unsupported sentences flagged).

Refusal happens before generation when no sentence of the retrieved passages comes close to the
question: best query-sentence cosine below ``settings.min_relevance`` (0.3; measured on the sample
archive and the test fixtures: on-topic questions score 0.54-0.72, off-archive ones 0.09-0.18),
or after generation when the model writes the fixed refusal sentence. Either way the nearest passages come back as "closest matches".

Multiple choice (``choices``; used by ``eval``) never refuses: the model scores the option letters
over every cyclic order of the options (``_choice_probs``), the best option opens the reply, and
the model continues it with its justification, which is cited and checked like any answer.
"""
from __future__ import annotations

import time
from collections.abc import Iterator

from . import prompts
from .citations import attribute_uncited, check_answer, move_leading_markers
from .embedder import load_embedder
from .retrieval import Retriever
from .settings import Settings
from .store import Index
from .types import Answer, Document, Filters, Passage, Timings


def retrieval_query(query: str, choices: list[str] | None = None) -> str:
    """Multiple-choice options join the query: the right option's words are in the right passage
    (dev-small answer recall@6: 0.57 with them, 0.40 without)."""
    return f"{query} {' '.join(choices)}" if choices else query


class Assistant:
    def __init__(self, settings: Settings, llm=None, embedder=None):
        self.settings = settings
        self._llm = llm
        self._embedder = embedder
        self._index: Index | None = None
        self._retriever: Retriever | None = None

    @property
    def embedder(self):
        if self._embedder is None:
            self._embedder = load_embedder(self.settings)
        return self._embedder

    @property
    def index(self) -> Index:
        if self._index is None:
            self._index = Index.load(self.settings.index, self.settings.embedding_model)
            self._retriever = None
        return self._index

    @property
    def llm(self):
        if self._llm is None:
            from .llm import load_llm

            self._llm = load_llm(self.settings)
        return self._llm

    @property
    def retriever(self) -> Retriever:
        if self._retriever is None:
            self._retriever = Retriever(self.index, self.embedder, self.settings.rrf_k, self.settings.dedupe_threshold,
                                        self.settings.lexical_weight)
        return self._retriever

    def reload_index(self) -> None:
        """Swap in a freshly built index (the old one keeps answering until this returns)."""
        fresh = Index.load(self.settings.index, self.settings.embedding_model)
        self._index, self._retriever = fresh, None

    def document(self, doc_id: str) -> Document:
        return self.index.document(doc_id)

    def rewrite_query(self, question: str, history: list[dict]) -> str:
        return prompts.rewrite_query(question, list(history or []))

    def retrieve(self, query: str, filters: Filters = Filters(), top_k: int | None = None) -> list[Passage]:
        return self.retriever.search(query, filters, top_k or self.settings.top_k).passages

    def stream(self, question: str, history: list[dict] = (), filters: Filters = Filters(),
               top_k: int | None = None, choices: list[str] | None = None) -> Iterator[str | Answer]:
        t0 = time.perf_counter()
        timings = Timings()
        query = self.rewrite_query(question, list(history or []))
        result = self.retriever.search(retrieval_query(query, choices), filters, top_k or self.settings.top_k)
        timings.retrieval_s = time.perf_counter() - t0
        answer = Answer(question=question, answer="", passages=result.passages, query=query,
                        as_of=filters.as_of, timings=timings)

        # Multiple choice always answers; an open question must find a close sentence first.
        if not result.passages or (not choices and self.retriever.sentence_relevance(query, result.passages)
                                   < self.settings.min_relevance):
            answer.answer, answer.refused = prompts.REFUSAL, True
            timings.total_s = time.perf_counter() - t0
            yield answer.answer
            yield answer
            return

        llm = self.llm
        messages, given = prompts.build_messages(
            question, result.passages, llm, llm.n_ctx, self.settings.max_answer_tokens,
            as_of=filters.as_of, choices=choices,
        )
        prefix, scoring_s = "", 0.0
        if choices:
            scoring_start = time.perf_counter()
            answer.choice_probs = self._choice_probs(llm, messages, question, result.passages, filters.as_of, choices)
            scoring_s = time.perf_counter() - scoring_start
        if answer.choice_probs is not None:
            # The model's scored choice opens the reply; it then writes its justification.
            best = max(range(len(choices)), key=answer.choice_probs.__getitem__)
            prefix = f"Answer: {prompts.LETTERS[best]}. {choices[best]}\n"
            yield prefix
            stream = llm.stream_chat(messages, max_tokens=self.settings.max_answer_tokens,
                                     temperature=self.settings.temperature, prefix=prefix)
        else:
            stream = self._generate(llm, messages, fallback=not choices)
        pieces: list[str] = [prefix]
        for piece in stream:
            pieces.append(piece)
            yield piece
        raw = "".join(pieces).strip()
        stats = llm.last_stats
        if stats is not None:
            timings.prompt_eval_s, timings.first_token_s = stats.prompt_eval_s, stats.first_token_s
            if prefix:  # the scored choice was the first text out, and scoring was prompt evaluation
                timings.prompt_eval_s, timings.first_token_s = stats.prompt_eval_s + scoring_s, scoring_s
            timings.generation_s, timings.tokens_per_s = stats.generation_s, stats.tokens_per_s
            timings.prompt_tokens, timings.completion_tokens = stats.prompt_tokens, stats.completion_tokens
        answer.passages = given
        if not choices and prompts.is_refusal(raw):
            answer.answer, answer.refused = prompts.REFUSAL, True
        else:
            docs = {p.doc_id: self.index.documents[p.doc_id].text for p in given}
            repaired, _ = attribute_uncited(move_leading_markers(raw), given)
            check = check_answer(repaired, given, docs)
            answer.answer = check.text
            answer.citations = check.citations
            answer.invalid_markers = check.invalid_markers
            answer.unsupported_sentences = check.unsupported_sentences
        timings.total_s = time.perf_counter() - t0
        yield answer

    def _choice_probs(self, llm, messages: list[dict], question: str, passages: list[Passage],
                      as_of: str | None, choices: list[str]) -> list[float] | None:
        """Each option's probability from the model's next-token scores for its letter, averaged
        over the cyclic rotations of the option order (every option sits once at every letter).

        Why: asked once, the 0.5B model mostly answers by position (on dev-small it picked A for
        3 of 60 questions where A was right for 13) and scored 0.383; averaged over rotations it
        scored 0.600 on the same passages. The passages come first in the prompt, so each
        rotation after the first evaluates only the question and options (KV cache).
        ``messages`` is the prompt with the options in their given order (the first rotation).
        None when the backend cannot score letters.
        """
        score = getattr(llm, "choice_probs", None)
        if score is None:
            return None
        n = len(choices)
        total = [0.0] * n
        for shift in range(n):
            order = [(i + shift) % n for i in range(n)]
            if shift:
                messages, _ = prompts.build_messages(
                    question, passages, llm, llm.n_ctx, self.settings.max_answer_tokens,
                    as_of=as_of, choices=[choices[i] for i in order],
                )
            probs = score(messages, n)
            if probs is None:
                return None
            for position, option in enumerate(order):
                total[option] += probs[position] / n
        return total

    def _generate(self, llm, messages: list[dict], fallback: bool) -> Iterator[str]:
        """Stream the model's answer, holding text back until it has real words.

        The 0.5B model sometimes answers with nothing but a marker ("[1]") or a passage header.
        Such an answer is never shown: the question is asked once more with the plain instruction
        (no citation format; markers are attributed afterwards by the support check). The retry
        shares the passages prefix, which llama.cpp keeps in its KV cache.
        """
        held: list[str] = []
        released = False
        for piece in llm.stream_chat(messages, max_tokens=self.settings.max_answer_tokens,
                                     temperature=self.settings.temperature):
            if released:
                yield piece
                continue
            held.append(piece)
            if not fallback or prompts.has_content("".join(held)):
                released = True
                yield "".join(held)
        if released:
            return
        if prompts.is_refusal("".join(held)) and "".join(held).strip():
            yield "".join(held)
            return
        retry = prompts.plain_retry(messages)
        yield from llm.stream_chat(retry, max_tokens=self.settings.max_answer_tokens,
                                   temperature=self.settings.temperature)

    def ask(self, question: str, history: list[dict] = (), filters: Filters = Filters(),
            top_k: int | None = None, choices: list[str] | None = None) -> Answer:
        final = None
        for item in self.stream(question, history, filters, top_k, choices):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final
