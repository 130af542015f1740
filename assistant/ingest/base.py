"""Helpers shared by the per-format loaders: the skip signal, text normalisation, metadata
clean-up and the ``Document`` builder.

Limits: ``normalise_text`` is the only clean-up every text gets before offsets are taken (line
endings, NFC, control characters, trailing spaces, runs of blank lines): ``Document.text`` is the
canonical text. Titles are cut at 200 characters; author strings are split on ``;`` only.
"""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..dates import DateValue
from ..types import Document
from .scan import SourceFile

_MAX_TITLE = 200


class Skip(Exception):
    """Raised by a loader: the file is not indexed, for ``reason``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def too_long(max_chars: int) -> str:
    return f"text exceeds {max_chars} characters (size limit)"


_QUIET_LOCK = threading.Lock()
_QUIET_DEPTH: dict[str, tuple[int, int]] = {}  # logger name -> (nesting depth, saved level)


@contextmanager
def quiet(*names: str) -> Iterator[None]:
    """Silence parser libraries' warnings while one file is read: their complaints ("EOF
    marker not found") are summed up in the skip reason. Safe when files load in threads:
    the level is saved by the first user and restored by the last."""
    with _QUIET_LOCK:
        for name in names:
            logger = logging.getLogger(name)
            depth, saved = _QUIET_DEPTH.get(name, (0, logger.level))
            _QUIET_DEPTH[name] = (depth + 1, saved)
            logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        with _QUIET_LOCK:
            for name in names:
                depth, saved = _QUIET_DEPTH[name]
                if depth == 1:
                    del _QUIET_DEPTH[name]
                    logging.getLogger(name).setLevel(saved)
                else:
                    _QUIET_DEPTH[name] = (depth - 1, saved)


# ---- text ------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+\n")
_MANY_BLANKS = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """The light clean-up applied to every text before offsets are taken."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n\n")
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _MANY_BLANKS.sub("\n\n", text)
    return text.strip()


def looks_like_headline(line: str) -> bool:
    line = line.strip()
    if not line or len(line) > 150 or len(line.split()) > 20:
        return False
    if line[-1] in ".,;:" or not any(ch.isalpha() for ch in line):
        return False
    return True


def first_line_title(text: str) -> str | None:
    first, _, rest = text.partition("\n")
    first = first.strip().lstrip("#").strip()
    return first if rest.strip() and looks_like_headline(first) else None


def clean_title(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    title = " ".join(value.split())
    return title[:_MAX_TITLE] if title else None


def authors(value: Any) -> list[str]:
    if value is None:
        return []
    items: Iterable[Any] = value if isinstance(value, (list, tuple)) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("name")
        if not isinstance(item, str):
            continue
        for part in item.split(";"):
            part = " ".join(part.split())
            if part and part not in names:
                names.append(part)
    return names


def name_of(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, (list, tuple)) and value:
        value = value[0]
        if isinstance(value, dict):
            value = value.get("name")
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def json_ready(value: Any, depth: int = 0) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if depth < 5 and isinstance(value, dict):
        return {str(k): json_ready(v, depth + 1) for k, v in value.items()}
    if depth < 5 and isinstance(value, (list, tuple)):
        return [json_ready(v, depth + 1) for v in value]
    return str(value)


def truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y", "on")
    return bool(value)


# ---- documents -------------------------------------------------------------------------------


@dataclass
class Meta:
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY
    date_precision: str = "unknown"
    date_source: str | None = None
    source: str | None = None
    url: str | None = None
    authors: list[str] | None = None
    extra: dict[str, Any] | None = None
    record_id: str | None = None

    def set_date(self, value: DateValue | None, source: str | None) -> None:
        if value is None:
            self.published, self.date_precision, self.date_source = None, "unknown", None
        else:
            self.published, self.date_precision, self.date_source = value.iso, value.precision, source


def make_document(doc_id: str, text: str, meta: Meta, source: SourceFile, **kw: Any) -> Document:
    title = meta.title or first_line_title(text) or Path(source.rel).stem or source.rel
    return Document(
        id=doc_id,
        text=text,
        title=title,
        published=meta.published,
        source=meta.source,
        url=meta.url,
        authors=list(meta.authors or []),
        path=source.rel,
        extra=dict(meta.extra or {}),
        date_precision=meta.date_precision if meta.published else "unknown",
        date_source=meta.date_source if meta.published else None,
        **kw,
    )
