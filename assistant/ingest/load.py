"""``load_file``: one archive file into ``Document`` objects, by suffix.

Limits: ``load_file`` never raises on bad content: broken files and bad records come back as
``SkippedFile`` entries with a reason (a parser bug becomes "could not load: ..."). Size limit:
a text-like file larger than ``4 * max_chars`` bytes is refused unread (a UTF-8 character is at
most 4 bytes); otherwise any text longer than ``max_chars`` is refused. ``.jsonl`` is streamed
and the limit applies per record. Html (``4 * max_chars`` bytes) and pdf (``20 * max_chars``
bytes), whose bytes are mostly markup, fonts or images, are refused unread above a byte bound
stated in bytes.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..types import FileLoad, SkippedFile
from .base import Skip, too_long
from .html import load_html
from .pdf import load_pdf
from .records import load_json, load_jsonl
from .scan import SourceFile
from .text import load_md, load_txt

# What the loaders make of a file. Bump it when a loader reads the same bytes into other text or
# metadata: an index built by another version re-reads every file once (articles that come out
# the same keep their vectors), so a fix reaches archives that were indexed before it.
# 2: pdf lines of one paragraph joined (``pdf.unwrap_lines``).
EXTRACTION_VERSION = 2

# PDFs carry fonts and images besides text, so they get a looser bound.
_PDF_BYTES_PER_CHAR = 20

LOADERS = {
    ".txt": load_txt,
    ".md": load_md,
    ".html": load_html,
    ".htm": load_html,
    ".pdf": load_pdf,
    ".json": load_json,
    ".jsonl": load_jsonl,
}


def load_file(source: SourceFile, max_chars: int = 5_000_000) -> FileLoad:
    """Read one archive file into documents; problems become ``skipped`` entries."""
    result = FileLoad(path=source.rel)
    suffix = Path(source.rel).suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        result.skipped.append(SkippedFile(source.rel, f"unsupported file type {suffix or '(none)'}"))
        return result
    try:
        size = os.stat(source.path).st_size
        if size == 0:
            raise Skip("empty file")
        byte_limit = _PDF_BYTES_PER_CHAR * max_chars if suffix == ".pdf" else 4 * max_chars
        if suffix != ".jsonl" and size > byte_limit:
            if suffix in (".html", ".htm", ".pdf"):
                raise Skip(f"file exceeds {byte_limit} bytes (size limit)")
            raise Skip(too_long(max_chars))
        loader(source, max_chars, result)
    except Skip as skip:
        result.documents.clear()
        result.skipped.append(SkippedFile(source.rel, skip.reason))
    except PermissionError:
        result.documents.clear()
        result.skipped.append(SkippedFile(source.rel, "permission denied"))
    except FileNotFoundError:
        result.documents.clear()
        result.skipped.append(SkippedFile(source.rel, "file not found"))
    except OSError as err:
        result.documents.clear()
        result.skipped.append(SkippedFile(source.rel, f"unreadable file: {err.strerror or err}"))
    except Exception as err:  # a parser bug must not stop indexing of the other files
        result.documents.clear()
        result.skipped.append(SkippedFile(source.rel, f"could not load: {type(err).__name__}: {err}"))
    return result
