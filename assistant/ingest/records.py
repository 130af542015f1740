"""Json exports: ``.json`` (one object, a list of objects, or an object holding such a list under
``articles``/``items``/``records``/``documents``/``data``) and ``.jsonl`` (one object per line),
and the mapping of a record's (or front matter's) keys onto ``Document`` fields.

Limits:

* Keys are matched case-insensitively against fixed lists (``_TEXT_KEYS``, ``_DATE_KEYS`` ...);
  keys that are not understood go to ``Document.extra``; a date that cannot be parsed is kept
  there as ``date_unparsed``. An explicit date field may be month- or year-only (``"2017-12"``,
  ``2017``): the precision is kept (``date_source`` ``record-field`` / ``front-matter``).
* Bad records (not an object, no text, too long, duplicate id) are skipped one by one with a
  reason; the rest of the file is indexed.
* ``.jsonl`` is streamed: the size limit applies per record, and a line longer than
  ``4 * max_chars`` bytes is skipped without being held in memory. Each line is decoded on its
  own (UTF-8, else detection; see ``decode``).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..dates import parse_date
from ..types import FileLoad, SkippedFile
from .base import Meta, Skip, authors, clean_title, json_ready, make_document, name_of, normalise_text, too_long
from .decode import decode, decode_line, read_bytes
from .scan import SourceFile

_TEXT_KEYS = ("text", "body", "content", "article", "article_text", "full_text")
_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = ("published", "published_at", "publish_date", "date", "date_published",
              "datepublished", "pubdate", "published_date")
_SOURCE_KEYS = ("source", "outlet", "site", "publisher", "publication", "site_name")
_URL_KEYS = ("url", "link", "canonical_url", "canonical")
_AUTHOR_KEYS = ("authors", "author", "byline")
_LIST_KEYS = ("articles", "items", "records", "documents", "data")

_HASH_CHUNK = 1 << 20


def meta_from_mapping(data: dict[str, Any], skip_keys: Iterable[str] = (), date_source: str = "record-field") -> Meta:
    """Metadata from front matter or a json record; unknown keys go to ``extra``."""
    lower = {str(k).lower(): k for k in data}
    used = {lower[k] for k in skip_keys if k in lower}

    def pick(keys: Iterable[str]) -> Any:
        for key in keys:
            if key in lower:
                value = data[lower[key]]
                if value not in (None, "", [], {}):
                    used.add(lower[key])
                    return value
        for key in keys:  # mark empty variants as used too, so they stay out of extra
            if key in lower:
                used.add(lower[key])
        return None

    meta = Meta()
    meta.title = clean_title(pick(_TITLE_KEYS))
    raw_date = pick(_DATE_KEYS)
    meta.set_date(parse_date(raw_date, allow_year=True), date_source)
    meta.source = name_of(pick(_SOURCE_KEYS))
    url = pick(_URL_KEYS)
    meta.url = url.strip() if isinstance(url, str) and url.strip() else None
    meta.authors = authors(pick(_AUTHOR_KEYS))
    raw_id = pick(("id",))
    if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) and str(raw_id).strip():
        meta.record_id = str(raw_id).strip()
    extra = {str(k): json_ready(v) for k, v in data.items() if k not in used}
    if raw_date is not None and meta.published is None:
        extra["date_unparsed"] = json_ready(raw_date)
    meta.extra = extra
    return meta


def load_json(source: SourceFile, max_chars: int, result: FileLoad) -> None:
    raw, _ = decode(read_bytes(source.path))
    if not raw.strip():
        raise Skip("empty file")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise Skip(f"invalid JSON: {err.msg} (line {err.lineno}, column {err.colno})") from None
    if isinstance(data, dict):
        nested = next((data[k] for k in _LIST_KEYS if isinstance(data.get(k), list)), None)
        has_text = any(k in {str(key).lower() for key in data} for k in _TEXT_KEYS)
        if nested is not None and not has_text:
            records: list[tuple[Any, str, str]] = [(r, f"#{i}", f"#{i}") for i, r in enumerate(nested)]
        else:
            records = [(data, "", "")]
    elif isinstance(data, list):
        records = [(r, f"#{i}", f"#{i}") for i, r in enumerate(data)]
    else:
        raise Skip("no records (JSON is neither an object nor a list)")
    if not records:
        raise Skip("no records")
    seen: set[str] = set()
    for record, id_suffix, where in records:
        _add_record(source, record, id_suffix, source.rel + where, max_chars, result, seen, "")


def load_jsonl(source: SourceFile, max_chars: int, result: FileLoad) -> None:
    seen: set[str] = set()
    any_line = False
    for number, line, is_too_long in _stream_lines(Path(source.path), 4 * max_chars):
        where = f"{source.rel}:L{number}"
        if is_too_long:
            any_line = True
            result.skipped.append(SkippedFile(where, f"line {number}: {too_long(max_chars)}"))
            continue
        text = decode_line(line)
        if text is None:
            any_line = True
            result.skipped.append(SkippedFile(where, f"line {number}: binary or undecodable"))
            continue
        if not text.strip():
            continue
        any_line = True
        try:
            record = json.loads(text)
        except json.JSONDecodeError as err:
            result.skipped.append(SkippedFile(where, f"line {number}: invalid JSON ({err.msg})"))
            continue
        _add_record(source, record, f"#L{number}", where, max_chars, result, seen, f"line {number}: ")
    if not any_line:
        raise Skip("empty file")


def _stream_lines(path: Path, limit: int) -> Iterator[tuple[int, bytes, bool]]:
    """Lines of a file, never holding more than ``limit`` bytes of one line."""
    with open(path, "rb") as fh:
        number = 0
        while True:
            line = fh.readline(limit + 1)
            if not line:
                return
            number += 1
            if len(line) > limit and not line.endswith(b"\n"):
                while (rest := fh.readline(_HASH_CHUNK)) and not rest.endswith(b"\n"):
                    pass
                yield number, b"", True
                continue
            yield number, line, False


def _add_record(
    source: SourceFile,
    record: Any,
    default_suffix: str,
    where: str,
    max_chars: int,
    result: FileLoad,
    seen: set[str],
    prefix: str,
) -> None:
    if not isinstance(record, dict):
        result.skipped.append(SkippedFile(where, f"{prefix}not a JSON object"))
        return
    lower = {str(k).lower(): k for k in record}
    body: Any = None
    for key in _TEXT_KEYS:
        if key in lower and record[lower[key]] not in (None, "", []):
            body = record[lower[key]]
            break
    meta = meta_from_mapping(record, skip_keys=[k for k in _TEXT_KEYS if k in lower])
    doc_id = source.rel + (f"#{meta.record_id}" if meta.record_id else default_suffix)
    if meta.record_id:
        where = f"{source.rel}#{meta.record_id}"
    if isinstance(body, list):
        body = "\n\n".join(part for part in body if isinstance(part, str))
    if not isinstance(body, str) or not body.strip():
        result.skipped.append(SkippedFile(where, f"{prefix}no text"))
        return
    if len(body) > 4 * max_chars:
        result.skipped.append(SkippedFile(where, f"{prefix}{too_long(max_chars)}"))
        return
    text = normalise_text(body)
    if not text:
        result.skipped.append(SkippedFile(where, f"{prefix}no text"))
        return
    if len(text) > max_chars:
        result.skipped.append(SkippedFile(where, f"{prefix}{too_long(max_chars)}"))
        return
    if doc_id in seen:
        result.skipped.append(SkippedFile(where, f"{prefix}duplicate id {doc_id!r}"))
        return
    seen.add(doc_id)
    result.documents.append(make_document(doc_id, text, meta, source))
