"""Bytes to text: ``decode(data, declared=None)`` and the file readers built on it.

Order: a UTF-16/UTF-32 byte-order mark; UTF-8 (a BOM is honoured); the encoding the file
declares (html ``<meta charset>``, passed in by the html loader) when the bytes decode with it;
then detection with ``charset-normalizer``; cp1252 / latin-1 as the last resort. The encoding
used is returned so loaders can keep it in ``Document.extra["encoding"]`` (set when it is not
UTF-8).

Limits:

* Detection needs text: a few words of EUC-KR or Shift-JIS can be mistaken for another
  legacy encoding. A detected single-byte *Latin* encoding (cp1250, latin-1, mac-roman ...) is
  read as cp1252 whenever cp1252 decodes the bytes, the usual encoding of Western news archives;
  a detection whose text is mostly another script (Hangul, kana/kanji, Cyrillic ...) wins.
* A declared ``iso-8859-1``/``ascii`` is read as cp1252 (as browsers do).
* NUL bytes (outside UTF-16/32) or more than 5% control characters mark the data as "binary or
  undecodable".
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from .base import Skip, normalise_text, too_long
from .scan import SourceFile

_BINARY_CHARS = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_ALIASES = {"iso8859_1": "cp1252", "latin_1": "cp1252", "ascii": "cp1252", "us_ascii": "cp1252"}
_LATIN_FAMILY = re.compile(r"^(cp125[0-8]|cp437|cp850|cp858|latin_1|iso8859_\d+|mac_\w+|cp1252|windows_125\d|ascii|tis_620)$")


def read_bytes(path: str | Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def codec_name(name: str | None) -> str | None:
    """Python's canonical name of an encoding label, or None when it is unknown."""
    if not name:
        return None
    try:
        canonical = codecs.lookup(name.strip().strip("'\"")).name.replace("-", "_")
    except (LookupError, ValueError):
        return None
    canonical = _ALIASES.get(canonical, canonical)
    return "utf-8" if canonical in ("utf_8", "utf_8_sig") else canonical


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Bytes to text and the encoding used; raises ``Skip`` for binary data."""
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom) and not (encoding == "utf-16" and data.startswith(codecs.BOM_UTF32_LE)):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise Skip("binary or undecodable") from None
    if b"\x00" in data:
        raise Skip("binary or undecodable")
    text, encoding = _decode_8bit(data, declared)
    controls = len(_BINARY_CHARS.findall(text))
    if text and controls / len(text) > 0.05:
        raise Skip("binary or undecodable")
    return text, encoding


def _decode_8bit(data: bytes, declared: str | None) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared_codec = codec_name(declared)
    if declared_codec and declared_codec != "utf-8":
        try:
            return data.decode(declared_codec), declared_codec
        except (UnicodeDecodeError, LookupError):
            pass
    detected = _detect(data)
    cp1252 = _try(data, "cp1252")
    if detected is not None:
        text, encoding = detected
        if cp1252 is None or encoding == "cp1252" or not (_LATIN_FAMILY.match(encoding) or _mostly_latin(text)):
            return text, encoding
    if cp1252 is not None:
        return cp1252, "cp1252"
    return data.decode("latin-1"), "latin-1"


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _detect(data: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    try:
        best = from_bytes(data).best()
    except Exception:  # detection is a heuristic: never let it cost the file
        return None
    if best is None or not best.encoding:
        return None
    encoding = codec_name(best.encoding) or best.encoding
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_latin(text: str) -> bool:
    """Whether the non-ASCII letters of ``text`` are (at least 90%) Latin script."""
    letters = [ch for ch in text if ord(ch) > 127 and ch.isalpha()]
    if not letters:
        return True
    latin = sum(1 for ch in letters if unicodedata.name(ch, "").startswith("LATIN"))
    return latin >= 0.9 * len(letters)


def decode_line(line: bytes) -> str | None:
    """One jsonl line; None when it is binary."""
    try:
        return decode(line)[0]
    except Skip:
        return None


def read_text(source: SourceFile, max_chars: int, declared: str | None = None) -> tuple[str, str]:
    """A whole text file, decoded and normalised; raises ``Skip`` when empty or too long."""
    raw, encoding = decode(read_bytes(source.path), declared)
    text = normalise_text(raw)
    if not text:
        raise Skip("empty file")
    if len(text) > max_chars:
        raise Skip(too_long(max_chars))
    return text, encoding
