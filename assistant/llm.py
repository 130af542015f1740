"""The language-model layer: one small streaming interface, a llama.cpp backend and a fake.

``LlamaCppLLM`` runs a GGUF model through llama-cpp-python with the chat template stored in the
GGUF itself, so prompts are formatted exactly as the model was trained. ``FakeLLM`` needs no model:
it answers extractively from the ``[n]`` passages of the prompt, for tests and demos.

``choice_probs`` scores multiple-choice letters from the model's next-token logits instead of
parsing generated text, and ``stream_chat(prefix=...)`` continues a reply that begins with given
text (the chosen option); both format prompts with the GGUF's chat template themselves, so a GGUF
without one falls back to generated letters.

Limits: one ``LlamaCppLLM`` generates one answer at a time (a lock serialises callers; llama.cpp
contexts are not thread safe). The KV cache keeps the previous prompt, so a prompt sharing a
prefix with the last one (same system prompt) only evaluates the new suffix; ``prompt_eval_s`` then
covers just that suffix. ``FakeLLM`` only matches words: no paraphrase, no arithmetic, no dates.
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Protocol

from assistant.gguf import ModelError, resolve_model

from assistant.prompts import LETTERS, REFUSAL


@dataclass
class GenerationStats:
    prompt_tokens: int
    completion_tokens: int
    prompt_eval_s: float  # prompt processing (what was not already in the KV cache)
    first_token_s: float  # call -> first non-empty piece, wall clock
    generation_s: float  # first piece -> last piece, wall clock
    tokens_per_s: float  # completion tokens per second of decoding


class ContextOverflowError(ValueError):
    """The prompt does not fit the model's context window."""


class LLM(Protocol):
    name: str
    n_ctx: int
    last_stats: GenerationStats | None

    def count_tokens(self, text: str) -> int: ...

    def stream_chat(
        self,
        messages: list[dict],
        max_tokens: int,
        temperature: float = 0.0,
        stop: list[str] | None = None,
        prefix: str = "",
    ) -> Iterator[str]: ...

    def choice_probs(self, messages: list[dict], n: int, prefix: str = "Answer:") -> list[float] | None:
        """Probability of each of the letters A.. (first ``n``) as the next token of a reply that
        begins with ``prefix``, renormalised over those letters; None when the backend cannot
        score. Optional: callers fall back to parsing a generated answer without it."""
        ...


def _decode_rate(tokens: int, seconds: float) -> float:
    # The first token comes out of prompt evaluation; the rest are the decoding steps.
    if tokens <= 1 or seconds <= 0:
        return 0.0
    return (tokens - 1) / seconds


# --------------------------------------------------------------------------------------- llama.cpp


class LlamaCppLLM:
    """A GGUF model run by llama.cpp on the CPU."""

    def __init__(self, model_path: Path | str, n_ctx: int, n_threads: int, seed: int = 0):
        import llama_cpp  # heavy; imported only when a real model is wanted

        self.model_path = Path(model_path)
        self.name = self.model_path.stem
        self.last_stats: GenerationStats | None = None
        self._lock = threading.Lock()
        try:
            # chat_format=None: llama-cpp-python then formats with the GGUF's own
            # tokenizer.chat_template. verbose=False also mutes llama.cpp's own log callback.
            self._llm = llama_cpp.Llama(
                model_path=str(self.model_path),
                n_ctx=n_ctx,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                seed=seed,
                chat_format=None,
                verbose=False,
            )
        except ValueError as e:
            raise ModelError(f"cannot load model {self.model_path}: {_one_line(e)}") from None
        # With chat_format=None llama-cpp-python may still swap in a built-in look-alike it
        # "guesses" from the template; the model's own template is the one it was trained with.
        if "chat_template.default" in self._llm._chat_handlers:
            self._llm.chat_format = "chat_template.default"
        self.chat_format = self._llm.chat_format
        self._formatter = self._template_formatter()
        self.n_ctx = self._llm.n_ctx()

    def _template_formatter(self):
        """The formatter llama-cpp-python builds for "chat_template.default" (same template and
        special tokens): scoring and prefilled replies format their prompts themselves and must
        match the chat path token for token. None when the GGUF has no template."""
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        template = self._llm.metadata.get("tokenizer.chat_template")
        if not template or self.chat_format != "chat_template.default":
            return None
        text = lambda token: self._llm._model.token_get_text(token) if token != -1 else ""  # noqa: E731
        return Jinja2ChatFormatter(template=template, eos_token=text(self._llm.token_eos()),
                                   bos_token=text(self._llm.token_bos()))

    def _prompt_tokens(self, messages: list[dict], prefix: str) -> tuple[list[int], list[str]]:
        """Tokens of the templated prompt followed by ``prefix``, and the template's stop strings."""
        if self._formatter is None:
            raise ModelError(f"{self.name} has no chat template in its GGUF: cannot prefill a reply")
        formatted = self._formatter(messages=messages)
        tokens = self._llm.tokenize((formatted.prompt + prefix).encode("utf-8"),
                                    add_bos=not formatted.added_special, special=True)
        return tokens, list(formatted.stop or [])

    def choice_probs(self, messages: list[dict], n: int, prefix: str = "Answer:") -> list[float] | None:
        """One forward pass over the prompt (the KV cache keeps the shared prefix, so a second
        call that differs only in its last lines evaluates just those) and a softmax over the
        logits of " A", " B", ... Needs the GGUF's chat template; None without one."""
        if self._formatter is None:
            return None
        import numpy as np

        with self._lock:
            tokens, _ = self._prompt_tokens(messages, prefix)
            if len(tokens) >= self.n_ctx:
                raise ContextOverflowError(f"prompt of {len(tokens)} tokens exceeds context window of {self.n_ctx}")
            letters = [self._llm.tokenize(f" {c}".encode(), add_bos=False, special=False)[0] for c in LETTERS[:n]]
            llama = self._llm
            keep = llama.longest_token_prefix(llama.input_ids[: llama.n_tokens].tolist(), tokens)
            llama.n_tokens = min(keep, len(tokens) - 1)  # at least one token to evaluate
            llama.eval(tokens[llama.n_tokens:])
            logits = np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(llama.n_vocab(),))[letters]
            probs = np.exp(logits - logits.max())
            return (probs / probs.sum()).tolist()

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def stream_chat(
        self,
        messages: list[dict],
        max_tokens: int,
        temperature: float = 0.0,
        stop: list[str] | None = None,
        prefix: str = "",
    ) -> Iterator[str]:
        """Stream the reply; with ``prefix`` the reply is taken to begin with that text (not
        yielded) and the model continues it."""
        self.last_stats = None
        with self._lock:
            probe = _TokenProbe(self._llm)
            started = time.perf_counter()
            first_piece = last_piece = None
            self._llm.generate = probe.generate  # instance attribute: shadows the method this call
            try:
                if prefix:
                    tokens, template_stop = self._prompt_tokens(messages, prefix)
                    chunks = self._llm.create_completion(
                        prompt=tokens,
                        max_tokens=max_tokens,
                        temperature=temperature,
                        stop=[*(stop or []), *template_stop],
                        stream=True,
                    )
                    text_of = lambda chunk: chunk["choices"][0].get("text")  # noqa: E731
                else:
                    chunks = self._llm.create_chat_completion(
                        messages=messages,
                        max_tokens=max_tokens,
                        temperature=temperature,
                        stop=stop or None,
                        stream=True,
                    )
                    text_of = lambda chunk: chunk["choices"][0]["delta"].get("content")  # noqa: E731
                try:
                    for chunk in chunks:
                        piece = text_of(chunk)
                        if piece:
                            last_piece = time.perf_counter()
                            first_piece = first_piece or last_piece
                            yield piece
                finally:
                    chunks.close()
            except ValueError as e:
                message = _one_line(e)
                if "exceed context window" in message:
                    raise ContextOverflowError(message) from None
                raise
            finally:
                del self._llm.generate
            ended = time.perf_counter()
            first_token_s = (first_piece or ended) - started
            self.last_stats = GenerationStats(
                prompt_tokens=probe.prompt_tokens,
                completion_tokens=probe.completion_tokens,
                prompt_eval_s=probe.prompt_eval_s if probe.prompt_eval_s is not None else first_token_s,
                first_token_s=first_token_s,
                generation_s=(last_piece - first_piece) if first_piece is not None else 0.0,
                tokens_per_s=_decode_rate(probe.completion_tokens, probe.decode_s),
            )


class _TokenProbe:
    """Wraps ``Llama.generate`` for one call to see exact token counts and model-side timings.

    The streamed chunks cannot be counted instead: llama-cpp-python holds back tokens that may
    start a stop sequence or end mid UTF-8 character and then emits them as one chunk.
    """

    def __init__(self, llama: Any):
        import llama_cpp

        self._generate = llama.generate  # the bound method, before it is shadowed
        self._vocab = llama._model.vocab
        self._is_eog = llama_cpp.llama_vocab_is_eog
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.prompt_eval_s: float | None = None  # generate() called -> first token sampled
        self.decode_s = 0.0  # first token sampled -> last token sampled

    def generate(self, tokens, *args, **kwargs):
        self.prompt_tokens = len(tokens)
        started = time.perf_counter()
        first = None
        for token in self._generate(tokens, *args, **kwargs):
            now = time.perf_counter()
            if first is None:
                first = now
                self.prompt_eval_s = now - started
            if not self._is_eog(self._vocab, token):
                self.completion_tokens += 1
                self.decode_s = now - first
            yield token


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split()) or type(e).__name__


# -------------------------------------------------------------------------------------------- fake

_HEADER = re.compile(r'^(?:\[(\d+)\]\s|<passage id="(\d+)")')
_CHOICE = re.compile(r"^\s*(?:([A-J])[.)]|-)\s+(.*\S)")
_WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself did does say said says
    according archive article news report reported""".split()
)


def _content_words(text: str) -> set[str]:
    words = set()
    for w in _WORD.findall(text.lower()):
        if w in _STOPWORDS or len(w) < 2:
            continue
        # Crude plural folding so "elections" meets "election"; enough for a fake.
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        words.add(w)
    return words


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
        elif mode == "question" and stripped.startswith("Answer"):
            mode = "body"  # the answer instructions, not part of the question
        elif current is not None:
            current[1].append(stripped)
        elif mode == "question":
            question_lines.append(stripped)
    close()
    return passages, " ".join(question_lines).strip(), choices


def _user_text(messages: list[dict]) -> str:
    return next((m.get("content") or "" for m in reversed(messages) if m.get("role") == "user"), "")


class FakeLLM:
    """Deterministic extractive stand-in for a model: best-overlap sentence plus its marker."""

    name = "fake"

    def __init__(self, n_ctx: int = 4096):
        self.n_ctx = n_ctx
        self.last_stats: GenerationStats | None = None

    def count_tokens(self, text: str) -> int:
        return len(text) // 4 + 1

    def answer(self, messages: list[dict], prefix: str = "") -> str:
        """The full reply ``stream_chat`` would stream (before max_tokens and stop). After a
        ``prefix`` (a prefilled multiple-choice answer) it writes the justification."""
        passages, question, choices = _parse_prompt(_user_text(messages))
        q_words = _content_words(question)
        if choices and not prefix:
            scores = self._option_scores(passages, q_words, choices)
            letter, text = choices[scores.index(max(scores))]  # ties: the earliest option
            return f"Answer: {letter}" if letter else text
        best: tuple[int, str, int] | None = None
        for p in passages:
            for sentence in _SENTENCE_END.split(p.text):
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
        sentences = [_content_words(s) for p in passages for s in _SENTENCE_END.split(p.text)]
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
    ) -> Iterator[str]:
        self.last_stats = None
        started = time.perf_counter()
        text = self.answer(messages, prefix)
        for s in stop or []:
            if s and s in text:
                text = text[: text.index(s)]
        words = text.split()[: max(max_tokens, 0)]
        first = None
        for i, word in enumerate(words):
            if first is None:
                first = time.perf_counter()
            yield word if i == 0 else " " + word
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


# ------------------------------------------------------------------------------------------ factory


def load_llm(settings: Any) -> LLM:
    """The backend ``settings.llm_backend`` names, ready to generate."""
    backend = settings.llm_backend
    if backend == "fake":
        return FakeLLM(n_ctx=settings.n_ctx)
    if backend == "llama":
        path = resolve_model(settings.model, settings.cache_dir)
        return LlamaCppLLM(path, settings.n_ctx, settings.threads)
    raise ModelError(f"unknown LLM backend {backend!r}: use 'llama' or 'fake'")


__all__ = [
    "REFUSAL",
    "ContextOverflowError",
    "FakeLLM",
    "GenerationStats",
    "LLM",
    "LlamaCppLLM",
    "ModelError",
    "load_llm",
]
