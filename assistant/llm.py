"""The language-model layer: one small streaming protocol (``LLM``), the llama.cpp backend, and
``load_llm``, which picks the backend ``Settings.llm_backend`` names (``load_fallback``: the second
model ``Settings.fallback_model`` names, asked where the first one's reply does not stand).

``LlamaCppLLM`` runs a GGUF model through llama-cpp-python with the chat template stored in the
GGUF itself, so prompts are formatted exactly as the model was trained. Any other backend is named
by import path, ``"module:Class"``: the test double ``tests/fake_llm.py`` (``fake_llm:FakeLLM``,
answering extractively from the prompt's ``[n]`` passages, no model needed) is loaded that way.

``choice_probs`` scores multiple-choice letters from the model's next-token logits instead of
parsing generated text, ``reply_logprobs`` scores given replies (the options' own words) token by
token, and ``stream_chat(prefix=...)`` continues a reply that begins with given text (the chosen
option); all three format prompts with the GGUF's chat template themselves, so a GGUF without one
falls back to generated letters.

Limits: one ``LlamaCppLLM`` generates one answer at a time (a lock serialises callers; llama.cpp
contexts are not thread safe). The KV cache keeps the previous prompt, so a prompt sharing a
prefix with the last one (same system prompt) only evaluates the new suffix; ``prompt_eval_s`` then
covers just that suffix.
"""
from __future__ import annotations

import importlib
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Protocol

from assistant.gguf import BUNDLED, ModelError, resolve_model
from assistant.prompts import LETTERS, REFUSAL


@dataclass
class GenerationStats:
    """Timings of one ``stream_chat`` call: pass one in as ``stats=`` to have it filled, so that
    concurrent callers each get their own (``last_stats`` is the latest call's, for tools)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    prompt_eval_s: float = 0.0  # prompt processing (what was not already in the KV cache)
    first_token_s: float = 0.0  # call -> first non-empty piece, wall clock
    generation_s: float = 0.0  # first piece -> last piece, wall clock
    tokens_per_s: float = 0.0  # completion tokens per second of decoding

    def update(self, other: "GenerationStats") -> None:
        self.__dict__.update(other.__dict__)


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
        stats: GenerationStats | None = None,
    ) -> Iterator[str]: ...

    def choice_probs(self, messages: list[dict], n: int, prefix: str = "Answer:") -> list[float] | None:
        """Probability of each of the letters A.. (first ``n``) as the next token of a reply that
        begins with ``prefix``, renormalised over those letters; None when the backend cannot
        score. Optional: callers fall back to parsing a generated answer without it."""
        ...

    def reply_logprobs(self, messages: list[dict], replies: list[str],
                       stats: GenerationStats | None = None) -> list[list[float]] | None:
        """The log-probability of each token of each of ``replies`` as the start of the
        assistant's turn after ``messages``; None when the backend cannot score. Optional.
        ``stats``, when given, gets the prompt's tokens and evaluation time (as ``stream_chat``
        fills them; nothing is generated)."""
        ...

    def busy(self) -> bool:
        """Whether the model is computing right now (other work then keeps to one core).
        Optional: without it the model is taken to be busy."""
        ...


def _decode_rate(tokens: int, seconds: float) -> float:
    # The first token comes out of prompt evaluation; the rest are the decoding steps.
    if tokens <= 1 or seconds <= 0:
        return 0.0
    return (tokens - 1) / seconds


# --------------------------------------------------------------------------------------- llama.cpp


def amx_cpu(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """Whether the CPU has Intel AMX (Sapphire Rapids and later; Linux only).

    llama.cpp then moves quantized weights (the Q4_K_M files) into its AMX buffer, and its AMX
    matrix multiply segfaults on the first answer on such machines (ggml-org/llama.cpp#20824,
    open): here ``--model large`` and ``ARCHIVIST_LLM_F16=false`` crashed the process. The 16-bit
    copy of the small model (f16 or bf16) never takes that path."""
    try:
        return "amx_int8" in cpuinfo.read_text(errors="replace")
    except OSError:
        return False


_PARAMS_LOCK = threading.Lock()


@contextmanager
def _model_params(extra_buffers: bool):
    """While a ``llama_cpp.Llama`` is built: its model parameters with llama.cpp's extra weight
    buffers (AMX, repacked layouts) on or off. llama-cpp-python has no argument for
    ``use_extra_bufts``; it takes the defaults from this function."""
    import llama_cpp.llama_cpp as lib

    if extra_buffers:
        yield
        return
    with _PARAMS_LOCK:
        default = lib.llama_model_default_params

        def without_extra_buffers():
            params = default()
            params.use_extra_bufts = False
            return params

        lib.llama_model_default_params = without_extra_buffers
        try:
            yield
        finally:
            lib.llama_model_default_params = default


class LlamaCppLLM:
    """A GGUF model run by llama.cpp on the CPU."""

    def __init__(self, model_path: Path | str, n_ctx: int, n_threads: int, seed: int = 0,
                 flash_attn: bool = False):
        import llama_cpp  # heavy; imported only when a real model is wanted

        self.model_path = Path(model_path)
        self.name = self.model_path.stem
        self.last_stats: GenerationStats | None = None
        self._lock = threading.Lock()
        try:
            # chat_format=None: llama-cpp-python then formats with the GGUF's own
            # tokenizer.chat_template. verbose=False also mutes llama.cpp's own log callback.
            with _model_params(extra_buffers=not amx_cpu()):
                self._llm = llama_cpp.Llama(
                    model_path=str(self.model_path),
                    n_ctx=n_ctx,
                    n_threads=n_threads,
                    n_threads_batch=n_threads,
                    seed=seed,
                    flash_attn=flash_attn,
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

    def reply_logprobs(self, messages: list[dict], replies: list[str],
                       stats: GenerationStats | None = None) -> list[list[float]] | None:
        """The prompt is evaluated once (the KV cache keeps a shared prefix, as for
        ``choice_probs``); each reply's few tokens are then fed one at a time from that point and
        the log-softmax of the logits before each is read. A reply that would not fit the context
        is scored on the tokens that fit. Needs the GGUF's chat template; None without one.
        ``stats``: the prompt's tokens and its evaluation time, as ``stream_chat`` reports them."""
        if self._formatter is None:
            return None
        import numpy as np

        def log_softmax() -> np.ndarray:
            logits = np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(llama.n_vocab(),)).astype(np.float64)
            top = logits.max()
            return logits - top - np.log(np.exp(logits - top).sum())

        with self._lock:
            tokens, _ = self._prompt_tokens(messages, "")
            if len(tokens) >= self.n_ctx:
                raise ContextOverflowError(f"prompt of {len(tokens)} tokens exceeds context window of {self.n_ctx}")
            llama = self._llm
            keep = llama.longest_token_prefix(llama.input_ids[: llama.n_tokens].tolist(), tokens)
            llama.n_tokens = min(keep, len(tokens) - 1)
            started = time.perf_counter()
            llama.eval(tokens[llama.n_tokens:])
            end, first = llama.n_tokens, log_softmax()
            if stats is not None:
                took = time.perf_counter() - started
                stats.update(GenerationStats(prompt_tokens=len(tokens), prompt_eval_s=took, first_token_s=took))
            scored = []
            for reply in replies:
                pieces = llama.tokenize(reply.encode("utf-8"), add_bos=False, special=False)
                pieces = pieces[: max(self.n_ctx - end - 1, 1)]
                logprobs, current = [], first
                for i, token in enumerate(pieces):
                    logprobs.append(float(current[token]))
                    if i + 1 < len(pieces):
                        llama.eval([token])
                        current = log_softmax()
                llama.n_tokens = end  # the next reply starts from the prompt again
                scored.append(logprobs)
            return scored

    def busy(self) -> bool:
        """Whether a prompt is being evaluated or a reply generated right now."""
        return self._lock.locked()

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def stream_chat(
        self,
        messages: list[dict],
        max_tokens: int,
        temperature: float = 0.0,
        stop: list[str] | None = None,
        prefix: str = "",
        stats: GenerationStats | None = None,
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
            if stats is not None:
                stats.update(self.last_stats)


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


# ------------------------------------------------------------------------------------------ factory


def load_llm(settings: Any) -> LLM:
    """The backend ``settings.llm_backend`` names, ready to generate.

    ``"llama"``: the GGUF model ``settings.model`` through llama.cpp (``n_ctx``, ``threads``).
    ``"module:Class"`` (e.g. ``"fake_llm:FakeLLM"``, with ``tests/`` on ``sys.path``): the module is
    imported and the class called as ``Class(n_ctx=settings.n_ctx)``; it must follow ``LLM``.
    Anything else, or a class that cannot be imported, raises ``ModelError``."""
    backend = settings.llm_backend
    if backend == "llama":
        path = resolve_model(settings.model, settings.cache_dir, f16=settings.llm_f16)
        return LlamaCppLLM(path, settings.n_ctx, settings.threads, flash_attn=settings.flash_attn)
    module_name, _, class_name = str(backend).partition(":")
    if not module_name or not class_name:
        raise ModelError(f"unknown LLM backend {backend!r}: use 'llama' or 'module:Class' (e.g. 'fake_llm:FakeLLM')")
    try:
        backend_class = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as e:
        raise ModelError(f"cannot load LLM backend {backend!r}: {_one_line(e)}") from None
    return backend_class(n_ctx=settings.n_ctx)


def fallback_name(settings: Any) -> str | None:
    """The model ``settings.fallback_model`` names, or None: off ("none", "off", empty), the same
    model as ``settings.model``, a backend other than llama.cpp, or a bundled model whose packages
    are not installed (it is an optional extra). Loads nothing."""
    name = (settings.fallback_model or "").strip()
    if settings.llm_backend != "llama" or name.lower() in ("", "none", "off") or name == settings.model:
        return None
    bundled = BUNDLED.get(name)
    return None if bundled is not None and not bundled.installed() else name


def load_fallback(settings: Any) -> LLM | None:
    """The model ``fallback_name`` names, loaded, or None; a path that is not a GGUF raises
    ``ModelError`` as ``load_llm`` does."""
    name = fallback_name(settings)
    if name is None:
        return None
    path = resolve_model(name, settings.cache_dir, f16=settings.llm_f16)
    return LlamaCppLLM(path, settings.n_ctx, settings.threads, flash_attn=settings.flash_attn)


__all__ = [
    "REFUSAL",
    "ContextOverflowError",
    "GenerationStats",
    "LLM",
    "LlamaCppLLM",
    "ModelError",
    "fallback_name",
    "load_fallback",
    "load_llm",
]
