"""Pdf files: the text layer via pypdf, with per-page character ranges for citations.

Limits:

* Text only: a pdf without a text layer (a scan) is skipped ("pdf has no text layer
  (scanned?)"); no OCR. One unreadable page is reported on its own and the rest is kept.
* Encrypted pdfs open only when the user password is empty and the cipher is RC4 or (with the
  optional ``cryptography`` package) AES.
* Publication date: a "Published ..."/"Date: ..." line or a dateline in the first lines of the
  first page (``date_source`` ``pdf-text``); otherwise the document's ``/CreationDate``, kept as
  ``pdf-creation-date``: often the day the file was exported or scanned, so it is shown as "file
  created" and proves nothing under ``as_of``. Lines that say "updated", "printed", "downloaded",
  "accessed" or "copyright" never give the date.
* Line breaks: a pdf's text layer breaks every line where the layout did. ``unwrap_lines`` joins
  the lines of a paragraph again, so that sentences read (and are quoted in citations) as one
  line: a line is joined to the next when it fills most of the page's usual width or the next
  starts in lower case; a short line (a headline, a dateline, a paragraph's last line) keeps its
  break. A word hyphenated across lines is joined without the hyphen, so a compound that happens
  to break at its own hyphen ("well-known") loses it. Pages of fewer than four lines are kept as
  they are (no usual width to judge by).
"""
from __future__ import annotations

import re
from typing import Any

from ..dates import dateline_date, parse_date
from ..types import FileLoad, SkippedFile
from .base import Meta, Skip, authors, clean_title, make_document, normalise_text, quiet, too_long
from .scan import SourceFile

_FIRST_PAGE_LINES = 15
_DATE_LINE = re.compile(
    r"^\s*(?:(?:first\s+)?published(?:\s+on)?|publication\s+date|date(?:\s+published)?|dated|posted(?:\s+on)?|"
    r"ver[öo]ffentlicht(?:\s+am)?|datum|publi[ée]\s+le|date\s+de\s+publication|publicado(?:\s+el)?|fecha)"
    r"\s*[:\-–—]?\s*(.{4,80})$",
    re.IGNORECASE,
)
# A list item keeps its own line.
_ITEM = re.compile(r"^\s*(?:[-–•*]|\d{1,3}[.)])\s")
# A line at least this share of the page's usual width was broken by the layout, not the writer.
_FULL_LINE = 0.8
_NOT_PUBLICATION = re.compile(r"updated|modified|revised|printed|downloaded|accessed|retrieved|generated|copyright|©",
                              re.IGNORECASE)


def load_pdf(source: SourceFile, max_chars: int, result: FileLoad) -> None:
    # The file handle is opened here (not by pypdf) so that permission errors surface as such,
    # and it stays open while pages are read lazily.
    with open(source.path, "rb") as fh, quiet("pypdf"):
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
                raise Skip("encrypted pdf (cipher needs the 'cryptography' package)") from None
            if not opened:
                raise Skip("encrypted pdf")
        return reader, list(reader.pages)
    except (Skip, OSError):
        raise
    except FileNotDecryptedError:
        raise Skip("encrypted pdf") from None
    except Exception as err:  # pypdf raises many kinds on corrupt input
        raise Skip(f"unreadable pdf: {err or type(err).__name__}") from None


def _read_pdf(fh: Any, source: SourceFile, max_chars: int, result: FileLoad) -> None:
    reader, pages = _open_pdf(fh)
    if not pages:
        raise Skip("unreadable pdf: no pages")

    parts: list[str] = []
    ranges: list[tuple[int, int, int]] = []
    offset = 0
    failures: list[tuple[int, str]] = []
    first_page = None  # as laid out: a dateline is found by its own line
    for number, page in enumerate(pages, start=1):
        try:
            laid_out = normalise_text(page.extract_text() or "")
        except Exception as err:  # one bad page should not cost the others
            failures.append((number, f"{type(err).__name__}: {err}"))
            continue
        if not laid_out:
            continue
        if number == 1:
            first_page = laid_out
        page_text = unwrap_lines(laid_out)
        if parts:
            offset += 2  # the "\n\n" joining pages
        parts.append(page_text)
        ranges.append((number, offset, offset + len(page_text)))
        offset += len(page_text)
        if offset > max_chars:
            raise Skip(too_long(max_chars))
    if not parts:
        if failures and len(failures) == len(pages):
            raise Skip(f"unreadable pdf: {failures[0][1]}")
        raise Skip("pdf has no text layer (scanned?)")
    text = "\n\n".join(parts)

    info = _pdf_info(reader)
    meta = Meta(extra={})
    title = clean_title(info.get("/Title"))
    if title and title.lower().startswith("microsoft word - "):
        title = title[len("microsoft word - "):]
    if title and title.lower() not in ("untitled", "untitled document"):
        meta.title = title
    in_text = first_page_date(first_page) if first_page else None
    if in_text is not None:
        meta.set_date(in_text, "pdf-text")
    else:
        meta.set_date(parse_date(info.get("/CreationDate")), "pdf-creation-date")
    meta.source = clean_title(info.get("/Source")) or clean_title(info.get("/Publisher"))
    url = info.get("/URL")
    meta.url = url.strip() if isinstance(url, str) and url.strip() else None
    meta.authors = authors(info.get("/Author"))
    for key in ("/Subject", "/Keywords"):
        value = info.get(key)
        if isinstance(value, str) and value.strip():
            meta.extra[key[1:].lower()] = value.strip()
            if "archivist sample" in value.lower() or "archivist:sample" in value.lower():
                meta.extra["sample"] = True
    if not meta.title:
        first = text.split("\n", 1)[0].strip()
        meta.title = clean_title(first) if first and len(first) <= 150 else None
    doc = make_document(source.rel, text, meta, source, pages=ranges)
    result.documents.append(doc)
    for number, reason in failures:
        result.skipped.append(SkippedFile(f"{source.rel}#p{number}", f"unreadable page: {reason}"))


def unwrap_lines(text: str) -> str:
    """``text`` with the layout's line breaks inside paragraphs removed (see the module's limits):
    "Why soldiers are risking\\nthe border" -> "Why soldiers are risking the border"."""
    lines = text.split("\n")
    lengths = sorted(len(line) for line in lines if line.strip())
    if len(lengths) < 4:
        return text
    width = lengths[int(0.9 * (len(lengths) - 1))]
    out = [lines[0]]
    for prev, line in zip(lines, lines[1:]):
        head, tail = line.lstrip(), prev.rstrip()
        if not head or not tail or _ITEM.match(line):
            out.append("\n" + line)
        elif tail.endswith("-") and len(tail) > 1 and tail[-2].isalpha() and head[0].islower():
            out[-1] = out[-1].rstrip()[:-1]
            out.append(head)
        elif head[0].islower() or len(tail) >= _FULL_LINE * width:
            out[-1] = out[-1].rstrip()
            out.append(" " + head)
        else:
            out.append("\n" + line)
    return "".join(out)


def first_page_date(page_text: str):
    """A publication date stated in the first lines of the first page: a labelled line
    ("Published: 14 November 2017", "Date: 2017-11-14"), a dateline, or a line that is only a
    date. Day precision only."""
    lines = [line.strip() for line in page_text.split("\n") if line.strip()][:_FIRST_PAGE_LINES]
    for line in lines:
        if _NOT_PUBLICATION.search(line):
            continue
        if match := _DATE_LINE.match(line):
            value = parse_date(match.group(1))
            if value is not None and value.precision == "day":
                return value
        value = dateline_date(line)
        if value is not None:
            return value
    return None


def _pdf_info(reader: Any) -> dict[str, Any]:
    try:
        info = reader.metadata or {}
        return {str(k): (str(v) if v is not None else None) for k, v in info.items()}
    except Exception:  # broken info dictionaries are common and never worth losing the text
        return {}
