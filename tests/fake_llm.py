"""A deterministic extractive stand-in for a language model, for tests, benchmarks and demos.

Select it with ``Settings(llm_backend="fake_llm:FakeLLM")`` or ``ARCHIVIST_LLM_BACKEND=fake_llm:FakeLLM``
with this folder (``tests/``) on ``sys.path``: pytest puts it there (``tests/conftest.py``); a
process started by a test, a benchmark or by hand needs ``PYTHONPATH=tests``.

It parses the project's own RAG prompt (``[n]`` or ``<passage id="n">`` passages, ``Question:``,
``Choices:``/``Options:``) and answers with the passage sentence that shares most content words
with the question, followed by its marker; with no overlap it refuses. Asked in a next turn for
the fact alone (``prompts.SHORTEN_INSTRUCTION``) it repeats its reply: it cannot shorten one. For
multiple choice it scores each option by the words it shares with sentences that share words with
the question, and ``choice_probs`` returns those scores add-one smoothed. It follows the ``assistant.llm.LLM``
protocol, including ``stream_chat(stats=...)``.

Limits: it only matches words: no paraphrase, no arithmetic, no dates; "tokens" are words and
``count_tokens`` is characters / 4.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Iterator

from assistant.sentences import split_sentences
from assistant.llm import GenerationStats, _decode_rate
from assistant.prompts import ANSWER_INSTRUCTION, CHOICE_INSTRUCTION, REFUSAL, SHORTEN_INSTRUCTION
from assistant.text import content_terms

_HEADER = re.compile(r'^(?:\[(\d+)\]\s|<passage id="(\d+)")')
_CHOICE = re.compile(r"^\s*(?:([A-J])[.)]|-)\s+(.*\S)")
def _content_words(text: str) -> set[str]:
    # The project's own content words (stopwords, stemming): the fake matches as the checker does.
    return content_terms(text)


@dataclass
class _Passage:
    n: int
    text: str


def _parse_prompt(message: str) -> tuple[list[_Passage], str, list[tuple[str, str]]]:
    """Passages, question and multiple-choice options of a RAG user message."""
    passages: list[_Passage] = []
    current: tuple[int, list[str]] | None = None
    question_lines: list[str] = []
    choices: list[tuple[str, str]] = []
    mode = "body"

    def close() -> None:
        nonlocal current
        if current is not None:
            passages.append(_Passage(current[0], " ".join(current[1]).strip()))
            current = None

    for line in message.splitlines():
        stripped = line.strip()
        header = _HEADER.match(stripped)
        if stripped.startswith("Question:"):
            close()
            mode = "question"
            question_lines.append(stripped[len("Question:"):])
        elif stripped.startswith(("Choices:", "Options:")):
            close()
            mode = "choices"
        elif mode == "choices" and _CHOICE.match(line):
            m = _CHOICE.match(line)
            choices.append((m.group(1) or "", m.group(2)))
        elif header:
            close()
            mode = "tagged" if header.group(2) else "body"
            current = (int(header.group(1) or header.group(2)), [])  # the header line is metadata, not passage text
        elif stripped == "</passage>":
            close()
            mode = "body"
        elif not stripped:
            if mode != "tagged":
                close()
            if mode == "question":
                mode = "body"
        elif mode == "question" and stripped in (ANSWER_INSTRUCTION, CHOICE_INSTRUCTION):
            mode = "body"  # the answer instructions, not part of the question
        elif current is not None:
            current[1].append(stripped)
        elif mode == "question":
            question_lines.append(stripped)
    close()
    return passages, " ".join(question_lines).strip(), choices


def _sentences(text: str) -> list[str]:
    """The sentences of a passage, split as the citation check splits them."""
    return [text[a:b] for a, b in split_sentences(text)]


def _user_text(messages: list[dict]) -> str:
    return next((m.get("content") or "" for m in reversed(messages) if m.get("role") == "user"), "")


class FakeLLM:
    """Deterministic extractive stand-in for a model: best-overlap sentence plus its marker."""

    name = "fake"

    def __init__(self, n_ctx: int = 4096):
        self.n_ctx = n_ctx
        self.last_stats: GenerationStats | None = None

    def busy(self) -> bool:
        return getattr(self, "_generating", False)

    def count_tokens(self, text: str) -> int:
        return len(text) // 4 + 1

    def answer(self, messages: list[dict], prefix: str = "") -> str:
        """The full reply ``stream_chat`` would stream (before max_tokens and stop). After a
        ``prefix`` (a prefilled multiple-choice answer) it writes the justification."""
        if _user_text(messages) == SHORTEN_INSTRUCTION:
            return next(m.get("content") or "" for m in reversed(messages) if m.get("role") == "assistant")
        passages, question, choices = _parse_prompt(_user_text(messages))
        q_words = _content_words(question)
        if choices and not prefix:
            scores = self._option_scores(passages, q_words, choices)
            letter, text = choices[scores.index(max(scores))]  # ties: the earliest option
            return f"Answer: {letter}" if letter else text
        best: tuple[int, str, int] | None = None
        for p in passages:
            for sentence in _sentences(p.text):
                sentence = sentence.strip()
                overlap = len(q_words & _content_words(sentence))
                if sentence and (best is None or overlap > best[0]):
                    best = (overlap, sentence, p.n)
        if best is None or best[0] == 0:
            return "" if prefix else REFUSAL
        return f"{best[1]} [{best[2]}]"

    @staticmethod
    def _option_scores(passages: list[_Passage], q_words: set[str], choices: list[tuple[str, str]]) -> list[int]:
        # An option scores by the words it shares with each sentence, weighted by how much that
        # sentence shares with the question; words the question already has prove nothing.
        sentences = [_content_words(s) for p in passages for s in _sentences(p.text)]
        weighted = [(len(q_words & words), words) for words in sentences]
        scores = []
        for _, text in choices:
            option = _content_words(text) - q_words
            scores.append(sum(weight * len(option & words) for weight, words in weighted))
        return scores

    def choice_probs(self, messages: list[dict], n: int, prefix: str = "Answer:") -> list[float] | None:
        """The option scores as a distribution (add-one smoothed), over the first ``n`` letters."""
        passages, question, choices = _parse_prompt(_user_text(messages))
        scores = [s + 1 for s in self._option_scores(passages, _content_words(question), choices[:n])]
        return [s / sum(scores) for s in scores] if len(scores) == n else None

    def stream_chat(
        self,
        messages: list[dict],
        max_tokens: int,
        temperature: float = 0.0,
        stop: list[str] | None = None,
        prefix: str = "",
        stats: GenerationStats | None = None,
    ) -> Iterator[str]:
        self.last_stats = None
        started = time.perf_counter()
        text = self.answer(messages, prefix)
        for s in stop or []:
            if s and s in text:
                text = text[: text.index(s)]
        words = text.split()[: max(max_tokens, 0)]
        first = None
        self._generating = True
        try:
            for i, word in enumerate(words):
                if first is None:
                    first = time.perf_counter()
                yield word if i == 0 else " " + word
        finally:
            self._generating = False
        ended = time.perf_counter()
        prompt = sum(self.count_tokens(m.get("content") or "") for m in messages)
        first_token_s = (first or ended) - started
        generation_s = ended - (first or ended)
        self.last_stats = GenerationStats(
            prompt_tokens=prompt,
            completion_tokens=len(words),
            prompt_eval_s=first_token_s,
            first_token_s=first_token_s,
            generation_s=generation_s,
            tokens_per_s=_decode_rate(len(words), generation_s),
        )
        if stats is not None:
            stats.update(self.last_stats)
