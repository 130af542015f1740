"""Plain text and Markdown: ``.txt`` and ``.md``.

Limits:

* ``.txt``: a short first line without a final period is the title; ``Key: value`` lines right
  after it (Title, Published/Date, Source/Outlet, URL, Author(s), Sample) are read as metadata
  and removed from the text (a date from them has ``date_source`` ``text-header``). Any other
  layout is kept as written.
* ``.md``: YAML front matter (``---`` ... ``---``) is metadata (``date_source`` ``front-matter``)
  and leaves the text; broken YAML is kept as text. The first ``#``/``##`` heading is the title
  when the front matter has none. Markdown is otherwise kept as written.
* Without a date in the metadata, a dateline at the very start of the body ("SEOUL, Dec. 21,
  2017 -") is used (``dateline``); dates further in are never taken (they are more likely events).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..dates import dateline_date, parse_date
from ..types import FileLoad
from .base import Meta, Skip, authors, clean_title, looks_like_headline, make_document, normalise_text, truthy
from .decode import read_text
from .records import meta_from_mapping
from .scan import SourceFile

_HEADER_LINE = re.compile(
    r"^(title|headline|published|date|source|outlet|url|link|author|authors|by|sample)\s*:\s*(.*)$",
    re.IGNORECASE,
)


def load_txt(source: SourceFile, max_chars: int, result: FileLoad) -> None:
    text, encoding = read_text(source, max_chars)
    lines = text.split("\n")
    title_line = None
    i = 0
    if not _HEADER_LINE.match(lines[0]) and looks_like_headline(lines[0]):
        title_line = lines[0].strip()
        i = 1
        while i < len(lines) and not lines[i].strip():
            i += 1
    header: dict[str, str] = {}
    j = i
    while j < len(lines) and (match := _HEADER_LINE.match(lines[j].strip())):
        header[match.group(1).lower()] = match.group(2).strip()
        j += 1

    meta = Meta(title=title_line, extra={})
    if header:
        # The header block is metadata, like front matter: it leaves the text.
        body = "\n".join(lines[j:])
        text = normalise_text((title_line + "\n\n" if title_line else "") + body)
        if not text or text == title_line:
            raise Skip("empty file")
        meta.title = clean_title(header.get("title") or header.get("headline")) or title_line
        raw_date = header.get("published") or header.get("date")
        meta.set_date(parse_date(raw_date, allow_year=True), "text-header")
        if raw_date and not meta.published:
            meta.extra["date_unparsed"] = raw_date
        meta.source = header.get("source") or header.get("outlet") or None
        meta.url = header.get("url") or header.get("link") or None
        meta.authors = authors(header.get("authors") or header.get("author") or header.get("by"))
        if "sample" in header:
            meta.extra["sample"] = truthy(header["sample"])
    if not meta.published:
        body_start = text[len(title_line):] if title_line and text.startswith(title_line) else text
        meta.set_date(dateline_date(body_start), "dateline")
    if encoding != "utf-8":
        meta.extra["encoding"] = encoding
    result.documents.append(make_document(source.rel, text, meta, source))


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_ATX_HEADING = re.compile(r"^#{1,2}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_HEADING_LINE = re.compile(r"\A\s*#{1,6}[^\n]*\n+")


def load_md(source: SourceFile, max_chars: int, result: FileLoad) -> None:
    text, encoding = read_text(source, max_chars)
    meta = Meta(extra={})
    match = _FRONT_MATTER.match(text)
    if match:
        data = _yaml_mapping(match.group(1) or "")
        if data is not None:
            meta = meta_from_mapping(data, date_source="front-matter")
            text = normalise_text(text[match.end():])
            if not text:
                raise Skip("empty file")
    if not meta.title:
        heading = _ATX_HEADING.search(text)
        if heading:
            meta.title = clean_title(heading.group(1))
    if not meta.published:
        meta.set_date(dateline_date(_HEADING_LINE.sub("", text, count=1)), "dateline")
    if encoding != "utf-8":
        meta.extra = {**(meta.extra or {}), "encoding": encoding}
    meta.title = meta.title or Path(source.rel).stem
    result.documents.append(make_document(source.rel, text, meta, source))


def _yaml_mapping(block: str) -> dict[str, Any] | None:
    import yaml

    try:
        data = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError:
        return None  # not front matter after all: keep the block as text
    return data if isinstance(data, dict) else None
