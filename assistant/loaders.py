"""Find the articles in an archive folder and turn each file into ``Document`` objects.

``scan_archive`` walks the folder; ``load_file`` reads one file. Supported: ``.txt``, ``.md``
(YAML front matter), ``.html``/``.htm`` (main text and metadata via trafilatura), ``.pdf`` (text
layer via pypdf, with per-page character ranges), ``.json`` (one object, a list of objects, or an
object holding such a list under ``articles``/``items``/``records``/``documents``/``data``) and
``.jsonl`` (one object per line).

Behaviour and limits:

* ``load_file`` never raises on bad content: broken files and bad records come back as
  ``SkippedFile`` entries with a reason. ``scan_archive`` raises ``ArchiveError`` only when the
  root itself is unusable.
* Hidden files and folders (name starting with ``.``) and unsupported suffixes are ignored
  without a report. Symlinks are followed, but only after the real files and folders, so a link
  to something already scanned is reported ("same file as ...", "symlink to a folder already
  scanned") instead of indexed twice; links back into their own ancestors are "symlink loop".
* Text is decoded as UTF-8 (a BOM is honoured, UTF-16 only with a BOM); bytes that are not valid
  UTF-8 fall back to cp1252 and then latin-1 instead of being skipped, and the encoding used is
  kept in ``Document.extra["encoding"]``. NUL bytes or more than 5% control characters mark a
  file as "binary or undecodable".
* Text is normalised once, before any offset is taken (line endings, NFC, control characters,
  trailing spaces, runs of blank lines): ``Document.text`` is the canonical text.
* Size limit: a text-like file larger than ``4 * max_chars`` bytes is refused unread; otherwise
  any text longer than ``max_chars`` is refused. ``.jsonl`` is streamed and the limit applies
  per record. Html (``4 * max_chars`` bytes) and pdf (``20 * max_chars`` bytes), whose bytes
  are mostly markup, fonts or images, are refused unread above a byte bound stated in bytes.
* ``.txt``: a short first line without a final period is the title; ``Key: value`` lines right
  after it (Title, Published/Date, Source/Outlet, URL, Author(s), Sample) are read as metadata
  and removed from the text. Json/front-matter keys that are not understood go to
  ``Document.extra``; a date that cannot be parsed is kept there as ``date_unparsed``.
* Markdown is kept as written (minus front matter); html keeps paragraphs as blank-line
  separated blocks; the html publication date comes only from the page's own metadata (meta
  tags, JSON-LD, ``<time>``, the url) or a dateline at the very start of the text - never from
  the file's mtime, a copyright year or today's date.
* PDF dates are the document's ``/CreationDate``, which may be the export date rather than the
  publication date. Encrypted pdfs open only when the user password is empty and the cipher
  is RC4 or (with the optional ``cryptography`` package) AES.
"""
from __future__ import annotations

import codecs
import errno
import hashlib
import json
import logging
import os
import re
import stat
import threading
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from .dates import normalise_date
from .types import Document, FileLoad, SkippedFile

SUPPORTED_SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf", ".json", ".jsonl"}

_TEXT_KEYS = ("text", "body", "content", "article", "article_text", "full_text")
_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = ("published", "published_at", "publish_date", "date", "date_published",
              "datepublished", "pubdate", "published_date")
_SOURCE_KEYS = ("source", "outlet", "site", "publisher", "publication", "site_name")
_URL_KEYS = ("url", "link", "canonical_url", "canonical")
_AUTHOR_KEYS = ("authors", "author", "byline")
_LIST_KEYS = ("articles", "items", "records", "documents", "data")

_HASH_CHUNK = 1 << 20
# A UTF-8 character is at most 4 bytes, so a text file over 4 bytes per allowed character is
# surely too long. PDFs carry fonts and images besides text, so they get a looser bound.
_PDF_BYTES_PER_CHAR = 20
_MAX_TITLE = 200


class ArchiveError(Exception):
    """The archive root cannot be used (missing, not a folder, unreadable)."""


@dataclass
class SourceFile:
    path: Path  # absolute path
    rel: str  # archive-relative posix path, e.g. "2017/korea.md"
    size: int
    sha256: str  # content hash of the file bytes


# --------------------------------------------------------------------------------------------
# scanning


def scan_archive(root: Path) -> tuple[list[SourceFile], list[SkippedFile]]:
    """All supported files under ``root``, sorted by ``rel``, and the entries that could not be
    used. Raises ``ArchiveError`` when ``root`` is missing, not a folder or unreadable."""
    root = Path(root)
    try:
        root_stat = root.stat()
    except FileNotFoundError:
        raise ArchiveError(f"archive folder not found: {root}") from None
    except PermissionError:
        raise ArchiveError(f"archive folder not readable (permission denied): {root}") from None
    except OSError as err:
        raise ArchiveError(f"archive folder not usable: {root}: {err.strerror or err}") from None
    if not stat.S_ISDIR(root_stat.st_mode):
        raise ArchiveError(f"archive path is not a folder: {root}")
    try:
        with os.scandir(root):
            pass
    except PermissionError:
        raise ArchiveError(f"archive folder not readable (permission denied): {root}") from None
    except OSError as err:
        raise ArchiveError(f"archive folder not readable: {root}: {err.strerror or err}") from None

    scanner = _Scanner(Path(os.path.abspath(root)))
    scanner.run((root_stat.st_dev, root_stat.st_ino))
    files = sorted(scanner.files, key=lambda f: f.rel)
    skipped = sorted(scanner.skipped, key=lambda s: s.path)
    return files, skipped


class _Scanner:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: list[SourceFile] = []
        self.skipped: list[SkippedFile] = []
        self._seen_dirs: set[tuple[int, int]] = set()
        self._seen_files: dict[tuple[int, int], str] = {}
        # Symlinks wait until every real entry is scanned, so that real paths win over links.
        self._links: list[tuple[str, str, frozenset[tuple[int, int]]]] = []

    def run(self, root_key: tuple[int, int]) -> None:
        self._seen_dirs.add(root_key)
        self._walk(str(self.root), "", frozenset({root_key}))
        while self._links:
            self._links.sort(key=lambda item: item[1])
            path, rel, ancestors = self._links.pop(0)
            self._entry(path, rel, ancestors, via_link=True)

    def _walk(self, path: str, rel_prefix: str, ancestors: frozenset[tuple[int, int]]) -> None:
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except PermissionError:
            self._skip(rel_prefix or ".", "permission denied")
            return
        except OSError as err:
            self._skip(rel_prefix or ".", f"unreadable folder: {err.strerror or err}")
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = rel_prefix + entry.name
            if entry.is_symlink():
                self._links.append((entry.path, rel, ancestors))
            else:
                self._entry(entry.path, rel, ancestors, via_link=False)

    def _entry(self, path: str, rel: str, ancestors: frozenset[tuple[int, int]], via_link: bool) -> None:
        suffix = os.path.splitext(rel)[1].lower()
        wanted = suffix in SUPPORTED_SUFFIXES
        try:
            st = os.stat(path)  # follows symlinks
        except FileNotFoundError:
            if via_link and (wanted or not suffix):
                self._skip(rel, "broken symlink")
            return
        except PermissionError:
            self._skip(rel, "permission denied")
            return
        except OSError as err:
            if err.errno == errno.ELOOP:
                self._skip(rel, "symlink loop")
            elif wanted:
                self._skip(rel, f"unreadable: {err.strerror or err}")
            return

        key = (st.st_dev, st.st_ino)
        if stat.S_ISDIR(st.st_mode):
            if key in ancestors:
                self._skip(rel + "/", "symlink loop")
            elif key in self._seen_dirs:
                self._skip(rel + "/", "symlink to a folder already scanned")
            else:
                self._seen_dirs.add(key)
                self._walk(path, rel + "/", ancestors | {key})
            return
        if not wanted:
            return
        if not stat.S_ISREG(st.st_mode):
            self._skip(rel, "not a regular file")
            return
        if key in self._seen_files:
            self._skip(rel, f"same file as {self._seen_files[key]}")
            return
        try:
            digest = _sha256(path)
        except PermissionError:
            self._skip(rel, "permission denied")
            return
        except OSError as err:
            self._skip(rel, f"unreadable: {err.strerror or err}")
            return
        self._seen_files[key] = rel
        self.files.append(SourceFile(Path(os.path.abspath(path)), rel, st.st_size, digest))

    def _skip(self, rel: str, reason: str) -> None:
        self.skipped.append(SkippedFile(rel, reason))


def _read_bytes(path: str | Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def _sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------------------------
# loading


def load_file(source: SourceFile, max_chars: int = 5_000_000) -> FileLoad:
    """Read one archive file into documents; problems become ``skipped`` entries."""
    result = FileLoad(path=source.rel)
    suffix = Path(source.rel).suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        result.skipped.append(SkippedFile(source.rel, f"unsupported file type {suffix or '(none)'}"))
        return result
    try:
        size = os.stat(source.path).st_size
        if size == 0:
            raise _Skip("empty file")
        byte_limit = _PDF_BYTES_PER_CHAR * max_chars if suffix == ".pdf" else 4 * max_chars
        if suffix != ".jsonl" and size > byte_limit:
            if suffix in (".html", ".htm", ".pdf"):
                raise _Skip(f"file exceeds {byte_limit} bytes (size limit)")
            raise _Skip(_too_long(max_chars))
        loader(source, max_chars, result)
    except _Skip as skip:
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


class _Skip(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_QUIET_LOCK = threading.Lock()
_QUIET_DEPTH: dict[str, tuple[int, int]] = {}  # logger name -> (nesting depth, saved level)


@contextmanager
def _quiet(*names: str) -> Iterator[None]:
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


def _too_long(max_chars: int) -> str:
    return f"text exceeds {max_chars} characters (size limit)"


# ---- text helpers ---------------------------------------------------------------------------

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


_BINARY_CHARS = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _decode(data: bytes) -> tuple[str, str]:
    """Bytes to text and the encoding used; raises ``_Skip`` for binary data."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _Skip("binary or undecodable") from None
    if b"\x00" in data:
        raise _Skip("binary or undecodable")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    controls = len(_BINARY_CHARS.findall(text))
    if text and controls / len(text) > 0.05:
        raise _Skip("binary or undecodable")
    return text, "utf-8" if encoding == "utf-8-sig" else encoding


def _read_text(source: SourceFile, max_chars: int) -> tuple[str, str]:
    raw, encoding = _decode(_read_bytes(source.path))
    text = normalise_text(raw)
    if not text:
        raise _Skip("empty file")
    if len(text) > max_chars:
        raise _Skip(_too_long(max_chars))
    return text, encoding


def _looks_like_headline(line: str) -> bool:
    line = line.strip()
    if not line or len(line) > 150 or len(line.split()) > 20:
        return False
    if line[-1] in ".,;:" or not any(ch.isalpha() for ch in line):
        return False
    return True


def _first_line_title(text: str) -> str | None:
    first, _, rest = text.partition("\n")
    first = first.strip().lstrip("#").strip()
    return first if rest.strip() and _looks_like_headline(first) else None


def _clean_title(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    title = " ".join(value.split())
    return title[:_MAX_TITLE] if title else None


def _authors(value: Any) -> list[str]:
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


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, (list, tuple)) and value:
        value = value[0]
        if isinstance(value, dict):
            value = value.get("name")
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _json_ready(value: Any, depth: int = 0) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if depth < 5 and isinstance(value, dict):
        return {str(k): _json_ready(v, depth + 1) for k, v in value.items()}
    if depth < 5 and isinstance(value, (list, tuple)):
        return [_json_ready(v, depth + 1) for v in value]
    return str(value)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y", "on")
    return bool(value)


@dataclass
class _Meta:
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    authors: list[str] | None = None
    extra: dict[str, Any] | None = None
    record_id: str | None = None


def _meta_from_mapping(data: dict[str, Any], skip_keys: Iterable[str] = ()) -> _Meta:
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

    meta = _Meta()
    meta.title = _clean_title(pick(_TITLE_KEYS))
    raw_date = pick(_DATE_KEYS)
    meta.published = normalise_date(raw_date)
    meta.source = _name(pick(_SOURCE_KEYS))
    url = pick(_URL_KEYS)
    meta.url = url.strip() if isinstance(url, str) and url.strip() else None
    meta.authors = _authors(pick(_AUTHOR_KEYS))
    raw_id = pick(("id",))
    if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) and str(raw_id).strip():
        meta.record_id = str(raw_id).strip()
    extra = {str(k): _json_ready(v) for k, v in data.items() if k not in used}
    if raw_date is not None and meta.published is None:
        extra["date_unparsed"] = _json_ready(raw_date)
    meta.extra = extra
    return meta


def _document(doc_id: str, text: str, meta: _Meta, source: SourceFile, **kw: Any) -> Document:
    title = meta.title or _first_line_title(text) or Path(source.rel).stem or source.rel
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
        **kw,
    )


# ---- .txt -----------------------------------------------------------------------------------

_HEADER_LINE = re.compile(
    r"^(title|headline|published|date|source|outlet|url|link|author|authors|by|sample)\s*:\s*(.*)$",
    re.IGNORECASE,
)


def _load_txt(source: SourceFile, max_chars: int, result: FileLoad) -> None:
    text, encoding = _read_text(source, max_chars)
    lines = text.split("\n")
    title_line = None
    i = 0
    if not _HEADER_LINE.match(lines[0]) and _looks_like_headline(lines[0]):
        title_line = lines[0].strip()
        i = 1
        while i < len(lines) and not lines[i].strip():
            i += 1
    header: dict[str, str] = {}
    j = i
    while j < len(lines) and (match := _HEADER_LINE.match(lines[j].strip())):
        header[match.group(1).lower()] = match.group(2).strip()
        j += 1

    meta = _Meta(title=title_line, extra={})
    if header:
        # The header block is metadata, like front matter: it leaves the text.
        body = "\n".join(lines[j:])
        text = normalise_text((title_line + "\n\n" if title_line else "") + body)
        if not text or text == title_line:
            raise _Skip("empty file")
        meta.title = _clean_title(header.get("title") or header.get("headline")) or title_line
        raw_date = header.get("published") or header.get("date")
        meta.published = normalise_date(raw_date)
        if raw_date and not meta.published:
            meta.extra["date_unparsed"] = raw_date
        meta.source = header.get("source") or header.get("outlet") or None
        meta.url = header.get("url") or header.get("link") or None
        meta.authors = _authors(header.get("authors") or header.get("author") or header.get("by"))
        if "sample" in header:
            meta.extra["sample"] = _truthy(header["sample"])
    if encoding != "utf-8":
        meta.extra["encoding"] = encoding
    result.documents.append(_document(source.rel, text, meta, source))


# ---- .md ------------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_ATX_HEADING = re.compile(r"^#{1,2}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def _load_md(source: SourceFile, max_chars: int, result: FileLoad) -> None:
    text, encoding = _read_text(source, max_chars)
    meta = _Meta(extra={})
    match = _FRONT_MATTER.match(text)
    if match:
        data = _yaml_mapping(match.group(1) or "")
        if data is not None:
            meta = _meta_from_mapping(data)
            text = normalise_text(text[match.end():])
            if not text:
                raise _Skip("empty file")
    if not meta.title:
        heading = _ATX_HEADING.search(text)
        if heading:
            meta.title = _clean_title(heading.group(1))
    if encoding != "utf-8":
        meta.extra = {**(meta.extra or {}), "encoding": encoding}
    meta.title = meta.title or Path(source.rel).stem
    result.documents.append(_document(source.rel, text, meta, source))


def _yaml_mapping(block: str) -> dict[str, Any] | None:
    import yaml

    try:
        data = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError:
        return None  # not front matter after all: keep the block as text
    return data if isinstance(data, dict) else None


# ---- .html ----------------------------------------------------------------------------------

_MONTHS = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?")
_DATELINE = re.compile(
    rf"(\d{{4}}-\d{{2}}-\d{{2}}|{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTHS},?\s+\d{{4}})"
)
_MIN_ARTICLE_WORDS = 5


def _load_html(source: SourceFile, max_chars: int, result: FileLoad) -> None:
    import trafilatura
    from trafilatura.utils import load_html

    raw = _read_bytes(source.path)
    if not raw.strip():
        raise _Skip("empty file")
    tree = load_html(raw)
    if tree is None:
        raise _Skip("no article text found")
    extra = _html_markers(tree)
    with _quiet("trafilatura", "htmldate", "courlan"):
        extracted = _extract_html(trafilatura, tree)
    if extracted is None or not extracted.text:
        raise _Skip("no article text found")
    # trafilatura puts one paragraph per line; blank lines make paragraphs explicit for chunking.
    text = normalise_text(re.sub(r"\n+", "\n\n", extracted.text))
    title = _clean_title(extracted.title)
    body = text[len(title):] if title and text.startswith(title) else text
    if len(body.split()) < _MIN_ARTICLE_WORDS:
        raise _Skip("no article text found")
    if len(text) > max_chars:
        raise _Skip(_too_long(max_chars))
    published = normalise_date(extracted.date) or _dateline_date(body)
    meta = _Meta(
        title=title,
        published=published,
        source=_clean_title(extracted.sitename),
        url=extracted.url or None,
        authors=_authors(extracted.author),
        extra=extra,
    )
    if extracted.description:
        meta.extra["description"] = extracted.description
    result.documents.append(_document(source.rel, text, meta, source))


def _extract_html(trafilatura: Any, tree: Any) -> Any:
    return trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        # Extensive search reads dates out of body text and footers ("(c) 2024" becomes
        # 2024-01-01); only the page's own date metadata counts here.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def _html_markers(tree: Any) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for meta in tree.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if name == "archivist:sample" and _truthy(content):
            extra["sample"] = True
        elif name == "keywords" and content:
            keywords = [k.strip() for k in content.split(",") if k.strip()]
            if any(k.lower() in ("archivist:sample", "archivist sample") for k in keywords):
                extra["sample"] = True
            extra["keywords"] = keywords
    return extra


def _dateline_date(body: str) -> str | None:
    # A dateline sits right at the start ("SEOUL, Dec. 21, 2017 -"); further in, a date is
    # more likely an event being described than the publication date.
    match = _DATELINE.search(body.lstrip()[:80])
    return normalise_date(match.group(1)) if match else None


# ---- .pdf -----------------------------------------------------------------------------------


def _load_pdf(source: SourceFile, max_chars: int, result: FileLoad) -> None:
    # The file handle is opened here (not by pypdf) so that permission errors surface as such,
    # and it stays open while pages are read lazily.
    with open(source.path, "rb") as fh, _quiet("pypdf"):
        _read_pdf(fh, source, max_chars, result)


def _open_pdf(fh: Any) -> tuple[Any, list[Any]]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(fh)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError:
                raise _Skip("encrypted pdf (cipher needs the 'cryptography' package)") from None
            if not opened:
                raise _Skip("encrypted pdf")
        return reader, list(reader.pages)
    except (_Skip, OSError):
        raise
    except FileNotDecryptedError:
        raise _Skip("encrypted pdf") from None
    except Exception as err:  # pypdf raises many kinds on corrupt input
        raise _Skip(f"unreadable pdf: {err or type(err).__name__}") from None


def _read_pdf(fh: Any, source: SourceFile, max_chars: int, result: FileLoad) -> None:
    reader, pages = _open_pdf(fh)
    if not pages:
        raise _Skip("unreadable pdf: no pages")

    parts: list[str] = []
    ranges: list[tuple[int, int, int]] = []
    offset = 0
    failures: list[tuple[int, str]] = []
    for number, page in enumerate(pages, start=1):
        try:
            page_text = normalise_text(page.extract_text() or "")
        except Exception as err:  # one bad page should not cost the others
            failures.append((number, f"{type(err).__name__}: {err}"))
            continue
        if not page_text:
            continue
        if parts:
            offset += 2  # the "\n\n" joining pages
        parts.append(page_text)
        ranges.append((number, offset, offset + len(page_text)))
        offset += len(page_text)
        if offset > max_chars:
            raise _Skip(_too_long(max_chars))
    if not parts:
        if failures and len(failures) == len(pages):
            raise _Skip(f"unreadable pdf: {failures[0][1]}")
        raise _Skip("pdf has no text layer (scanned?)")
    text = "\n\n".join(parts)

    info = _pdf_info(reader)
    meta = _Meta(extra={})
    title = _clean_title(info.get("/Title"))
    if title and title.lower().startswith("microsoft word - "):
        title = title[len("microsoft word - "):]
    if title and title.lower() not in ("untitled", "untitled document"):
        meta.title = title
    meta.published = normalise_date(info.get("/CreationDate"))
    meta.source = _clean_title(info.get("/Source")) or _clean_title(info.get("/Publisher"))
    url = info.get("/URL")
    meta.url = url.strip() if isinstance(url, str) and url.strip() else None
    meta.authors = _authors(info.get("/Author"))
    for key in ("/Subject", "/Keywords"):
        value = info.get(key)
        if isinstance(value, str) and value.strip():
            meta.extra[key[1:].lower()] = value.strip()
            if "archivist sample" in value.lower() or "archivist:sample" in value.lower():
                meta.extra["sample"] = True
    if not meta.title:
        first = text.split("\n", 1)[0].strip()
        meta.title = _clean_title(first) if first and len(first) <= 150 else None
    doc = _document(source.rel, text, meta, source, pages=ranges)
    result.documents.append(doc)
    for number, reason in failures:
        result.skipped.append(SkippedFile(f"{source.rel}#p{number}", f"unreadable page: {reason}"))


def _pdf_info(reader: Any) -> dict[str, Any]:
    try:
        info = reader.metadata or {}
        return {str(k): (str(v) if v is not None else None) for k, v in info.items()}
    except Exception:  # broken info dictionaries are common and never worth losing the text
        return {}


# ---- .json / .jsonl -------------------------------------------------------------------------


def _load_json(source: SourceFile, max_chars: int, result: FileLoad) -> None:
    raw, _ = _decode(_read_bytes(source.path))
    if not raw.strip():
        raise _Skip("empty file")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise _Skip(f"invalid JSON: {err.msg} (line {err.lineno}, column {err.colno})") from None
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
        raise _Skip("no records (JSON is neither an object nor a list)")
    if not records:
        raise _Skip("no records")
    seen: set[str] = set()
    for record, id_suffix, where in records:
        _add_record(source, record, id_suffix, source.rel + where, max_chars, result, seen, "")


def _load_jsonl(source: SourceFile, max_chars: int, result: FileLoad) -> None:
    seen: set[str] = set()
    any_line = False
    for number, line, too_long in _stream_lines(Path(source.path), 4 * max_chars):
        where = f"{source.rel}:L{number}"
        if too_long:
            any_line = True
            result.skipped.append(SkippedFile(where, f"line {number}: {_too_long(max_chars)}"))
            continue
        text = _decode_line(line)
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
        raise _Skip("empty file")


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


def _decode_line(line: bytes) -> str | None:
    if b"\x00" in line:
        return None
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return line.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None  # pragma: no cover - latin-1 decodes everything


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
    meta = _meta_from_mapping(record, skip_keys=[k for k in _TEXT_KEYS if k in lower])
    doc_id = source.rel + (f"#{meta.record_id}" if meta.record_id else default_suffix)
    if meta.record_id:
        where = f"{source.rel}#{meta.record_id}"
    if isinstance(body, list):
        body = "\n\n".join(part for part in body if isinstance(part, str))
    if not isinstance(body, str) or not body.strip():
        result.skipped.append(SkippedFile(where, f"{prefix}no text"))
        return
    if len(body) > 4 * max_chars:
        result.skipped.append(SkippedFile(where, f"{prefix}{_too_long(max_chars)}"))
        return
    text = normalise_text(body)
    if not text:
        result.skipped.append(SkippedFile(where, f"{prefix}no text"))
        return
    if len(text) > max_chars:
        result.skipped.append(SkippedFile(where, f"{prefix}{_too_long(max_chars)}"))
        return
    if doc_id in seen:
        result.skipped.append(SkippedFile(where, f"{prefix}duplicate id {doc_id!r}"))
        return
    seen.add(doc_id)
    result.documents.append(_document(doc_id, text, meta, source))


_LOADERS = {
    ".txt": _load_txt,
    ".md": _load_md,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
    ".json": _load_json,
    ".jsonl": _load_jsonl,
}
