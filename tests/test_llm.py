"""The LLM contract, checked on the fake and on the real bundled small model (slow)."""
from __future__ import annotations

import time

import pytest

from assistant.gguf import ModelError
from assistant.llm import REFUSAL, GenerationStats, LlamaCppLLM, load_llm
from assistant.settings import Settings
from fake_llm import FakeLLM

PROMPT = """Answer from the passages only and cite them as [n].

[1] Harbour reopens after storm — Coastal Times — 2023-03-14
The harbour at Port Ellis reopened on Tuesday after storm damage closed it for nine days. Repairs cost the town 2.1 million euros.

[2] Council approves bus lanes — City Herald — 2023-04-02
The city council approved three new bus lanes on Friday. The mayor said work will start in June.

Question: How long was the harbour at Port Ellis closed?"""

MESSAGES = [
    {"role": "system", "content": "You are a careful news archive assistant."},
    {"role": "user", "content": PROMPT},
]


@pytest.fixture(scope="module")
def real_llm():
    settings = Settings.from_env().with_(llm_backend="llama", model="small", n_ctx=2048)
    return load_llm(settings)


@pytest.fixture(params=["fake", pytest.param("llama", marks=pytest.mark.slow)])
def llm(request):
    if request.param == "fake":
        return FakeLLM(n_ctx=2048)
    return request.getfixturevalue("real_llm")


def test_llm_contract(llm):
    started = time.perf_counter()
    pieces = list(llm.stream_chat(MESSAGES, max_tokens=24))
    wall = time.perf_counter() - started
    text = "".join(pieces)
    assert isinstance(text, str) and text.strip()
    assert any(p for p in pieces) and all(isinstance(p, str) for p in pieces)

    stats = llm.last_stats
    assert stats is not None
    assert stats.prompt_tokens >= llm.count_tokens(PROMPT) // 2 > 0
    assert 1 <= stats.completion_tokens <= 24
    assert 0 <= stats.first_token_s <= wall
    assert 0 <= stats.prompt_eval_s <= wall
    assert 0 <= stats.generation_s <= wall
    assert stats.tokens_per_s >= 0

    short, long = "harbour", "harbour storm repairs " * 40
    assert 0 < llm.count_tokens(short) < llm.count_tokens(long)

    stream = llm.stream_chat(MESSAGES, max_tokens=3)
    assert not llm.busy()
    next(stream)
    assert llm.busy()  # other work (sentence embedding) keeps to one core meanwhile
    list(stream)
    assert not llm.busy()
    assert 1 <= llm.last_stats.completion_tokens <= 3
    assert llm.n_ctx == 2048


def test_fake_cites_the_best_sentence():
    reply = "".join(FakeLLM().stream_chat(MESSAGES, max_tokens=100))
    assert reply == (
        "The harbour at Port Ellis reopened on Tuesday after storm damage closed it for nine days. [1]"
    )


def test_fake_refuses_off_topic():
    off_topic = PROMPT.replace("How long was the harbour at Port Ellis closed?", "Who won the chess final?")
    assert FakeLLM().answer([{"role": "user", "content": off_topic}]) == REFUSAL
    assert FakeLLM().answer([{"role": "user", "content": "Question: anything?"}]) == REFUSAL


def test_fake_multiple_choice_uses_passages():
    mc = PROMPT.replace(
        "How long was the harbour at Port Ellis closed?",
        "When will work on the bus lanes start?\nChoices:\nA. In March\nB. In June\nC. Never\nD. Tuesday",
    )
    assert FakeLLM().answer([{"role": "user", "content": mc}]) == "Answer: B"
    # "the council" appears in the passages too, but not near anything the question asks about.
    mc = PROMPT.replace(
        "How long was the harbour at Port Ellis closed?",
        "Who paid for the harbour repairs?\nChoices:\nA. The council\nB. The town\nC. The mayor",
    )
    assert FakeLLM().answer([{"role": "user", "content": mc}]) == "Answer: B"


def test_fake_honours_max_tokens_and_stop():
    fake = FakeLLM()
    assert "".join(fake.stream_chat(MESSAGES, max_tokens=3)) == "The harbour at"
    assert fake.last_stats.completion_tokens == 3
    assert "".join(fake.stream_chat(MESSAGES, max_tokens=100, stop=[" on "])) == (
        "The harbour at Port Ellis reopened"
    )


def test_unknown_backend_and_broken_model(tmp_path):
    with pytest.raises(ModelError, match="unknown LLM backend"):
        load_llm(Settings(llm_backend="gpt"))
    with pytest.raises(ModelError, match="cannot load LLM backend"):
        load_llm(Settings(llm_backend="no_such_module:Model"))
    with pytest.raises(ModelError, match="cannot load LLM backend"):
        load_llm(Settings(llm_backend="fake_llm:NoSuchClass"))
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\x03\x00\x00\x00" + b"\xff" * 64)
    with pytest.raises(ModelError, match="cannot load model") as err:
        load_llm(Settings(llm_backend="llama", model=str(broken), cache_dir=tmp_path))
    assert "\n" not in str(err.value)


@pytest.mark.slow
def test_real_model_uses_the_gguf_chat_template(real_llm):
    assert isinstance(real_llm, LlamaCppLLM)
    template = real_llm._llm.metadata.get("tokenizer.chat_template", "")
    assert "<|im_start|>" in template
    # llama-cpp-python registers the GGUF's own template under this name when chat_format=None.
    assert real_llm.chat_format == "chat_template.default"


@pytest.mark.slow
def test_flash_attention_follows_the_setting(real_llm):
    import llama_cpp

    # On by default (Settings.flash_attn); off builds the model without it, and it still answers.
    on = Settings.from_env().flash_attn
    assert (real_llm._llm.context_params.flash_attn_type == llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED) is on
    plain = load_llm(Settings.from_env().with_(llm_backend="llama", model="small", n_ctx=512, flash_attn=False))
    assert plain._llm.context_params.flash_attn_type == llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED
    assert "".join(plain.stream_chat(MESSAGES, max_tokens=8)).strip()


CHOICE_MESSAGES = [
    {"role": "system", "content": "You are a careful news archive assistant."},
    {"role": "user", "content": PROMPT + "\nChoices:\nA. Two days\nB. Nine days\nC. A month\n"
                                "Reply with 'Answer: <letter>' first, then one short sentence of justification."},
]


def test_choice_probs_and_prefilled_reply(llm):
    probs = llm.choice_probs(CHOICE_MESSAGES, 3)
    assert len(probs) == 3 and abs(sum(probs) - 1) < 1e-6 and all(p >= 0 for p in probs)
    # Asked once, the 0.5B model leans towards "A" (the pipeline averages over option orders),
    # but it still ranks the right option far above the unrelated one.
    assert probs[1] > probs[2], probs
    list(llm.stream_chat(MESSAGES, max_tokens=4))  # another prompt in between
    # Reusing the shared prefix from the KV cache keeps the scores (up to llama.cpp's batch-size
    # rounding, about 0.02 here); a wrong cache position would give another distribution.
    assert llm.choice_probs(CHOICE_MESSAGES, 3) == pytest.approx(probs, abs=0.05)
    text = "".join(llm.stream_chat(CHOICE_MESSAGES, max_tokens=40, prefix="Answer: B. Nine days\n"))
    assert not text.lstrip().startswith("Answer"), text  # it continues the reply, not restarts it
    assert "nine" in text.lower() or "9" in text, text


@pytest.mark.slow
def test_reply_logprobs_score_given_replies_from_the_prompt(real_llm):
    scored = real_llm.reply_logprobs(MESSAGES, ["Nine days", "Two weeks", ""])
    assert len(scored) == 3 and scored[2] == []
    assert len(scored[0]) >= 2 and all(lp <= 0 for reply in scored for lp in reply), scored
    mean = lambda lp: sum(lp) / len(lp)  # noqa: E731
    assert mean(scored[0]) > mean(scored[1]) + 1, scored  # the passage says nine days
    # Each reply is scored from the prompt, whatever was scored before it.
    assert real_llm.reply_logprobs(MESSAGES, ["Two weeks"])[0] == pytest.approx(scored[1], abs=0.1)
    # Scoring leaves the KV cache at the prompt: a reply generated next is the one generated before.
    before = "".join(real_llm.stream_chat(MESSAGES, max_tokens=8))
    real_llm.reply_logprobs(MESSAGES, ["Nine days", "Two weeks"])
    assert "".join(real_llm.stream_chat(MESSAGES, max_tokens=8)) == before
    # Asked for them, the prompt's size and evaluation time, as a reply's stats report them
    # (the prompt is the same after the reply above: its last token is evaluated again).
    stats, written = GenerationStats(), GenerationStats()
    "".join(real_llm.stream_chat(MESSAGES, max_tokens=8, stats=written))
    real_llm.reply_logprobs(MESSAGES, ["Nine days"], stats=stats)
    assert stats.prompt_tokens == written.prompt_tokens and 0 < stats.prompt_eval_s == stats.first_token_s
    assert stats.completion_tokens == 0


def test_amx_is_read_from_the_cpu_flags(tmp_path):
    from assistant.llm import amx_cpu

    (tmp_path / "amx").write_text("flags\t\t: fpu avx2 avx512f amx_bf16 amx_tile amx_int8\n")
    (tmp_path / "plain").write_text("flags\t\t: fpu avx2 avx512f\n")
    assert amx_cpu(tmp_path / "amx") and not amx_cpu(tmp_path / "plain") and not amx_cpu(tmp_path / "missing")


def test_extra_weight_buffers_are_off_only_while_a_model_is_built_without_them():
    # On AMX machines llama.cpp's AMX buffer for quantized weights segfaults on the first answer.
    pytest.importorskip("llama_cpp")
    import llama_cpp.llama_cpp as lib

    from assistant.llm import _model_params

    assert lib.llama_model_default_params().use_extra_bufts
    with _model_params(extra_buffers=False):
        assert not lib.llama_model_default_params().use_extra_bufts
    assert lib.llama_model_default_params().use_extra_bufts
    with _model_params(extra_buffers=True):
        assert lib.llama_model_default_params().use_extra_bufts


def test_the_fallback_model_is_named_only_when_it_can_be_asked(tmp_path, monkeypatch):
    from assistant import gguf
    from assistant.llm import fallback_name, load_fallback

    monkeypatch.setattr(gguf.BundledModel, "installed", lambda self: self.name == "large")
    assert fallback_name(Settings(llm_backend="llama")) == "large"
    assert fallback_name(Settings(llm_backend="llama", fallback_model="none")) is None
    assert fallback_name(Settings(llm_backend="llama", model="large")) is None  # the same model
    assert fallback_name(Settings(llm_backend="fake_llm:FakeLLM")) is None
    assert fallback_name(Settings(llm_backend="llama", fallback_model=str(tmp_path / "m.gguf"))) == str(tmp_path / "m.gguf")
    monkeypatch.setattr(gguf.BundledModel, "installed", lambda self: False)
    assert fallback_name(Settings(llm_backend="llama")) is None  # an optional extra, not installed
    assert load_fallback(Settings(llm_backend="llama")) is None
    with pytest.raises(ModelError):
        load_fallback(Settings(llm_backend="llama", fallback_model=str(tmp_path / "missing.gguf")))
