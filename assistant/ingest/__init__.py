"""Ingest: from an archive folder to ``Document`` objects (archive -> **ingest** -> index).

``scan_archive(root)`` finds the files (``scan``); ``load_file(source)`` reads one (``load``),
decoding bytes (``decode``) and handing each suffix to its loader: ``text`` (.txt, .md),
``html`` (.html/.htm), ``pdf``, ``records`` (.json/.jsonl). Shared helpers are in ``base``;
publication dates are parsed by ``assistant.dates``. Each module's docstring states its limits.
To add a format: write ``load_<format>(source, max_chars, result)`` that appends ``Document``s
to ``result.documents`` (or raises ``base.Skip(reason)``), register it in ``load.LOADERS`` and
add its suffix to ``scan.SUPPORTED_SUFFIXES``.
"""
from __future__ import annotations

from .base import normalise_text
from .load import EXTRACTION_VERSION, LOADERS, load_file
from .scan import SUPPORTED_SUFFIXES, ArchiveError, SourceFile, scan_archive

__all__ = [
    "ArchiveError",
    "EXTRACTION_VERSION",
    "LOADERS",
    "SUPPORTED_SUFFIXES",
    "SourceFile",
    "load_file",
    "normalise_text",
    "scan_archive",
]
