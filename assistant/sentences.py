"""Sentence spans: the project's one sentence splitter, for chunking articles, choosing evidence
sentences, grounding an answer and checking citations one sentence at a time.

Blank lines and list bullets always break. A period does not end a sentence inside numbers
("3.5"), after titles ("Mr.", "Dr.") or initials ("J. Smith"), nor before a lowercase word; after
"U.S."-like acronyms and "Inc."/"a.m." it ends one only before a common sentence opener. Markers
right after the terminator ("fog. [1] Next") belong to the sentence before. A colon before a
capital ends a sentence, except after a timeline's date ("February 2022: The team ...").

Limits: English abbreviations only; a headline line without final punctuation runs into the next
sentence.
"""
from __future__ import annotations

import re

from .markers import _MARKER_RE, parse_markers, strip_markers

# Titles always precede a name: a period after them never ends a sentence.
_TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "gov", "sen", "rep", "lt", "col",
    "capt", "sgt", "rev", "hon", "mt", "ft", "vs", "v", "e.g", "i.e", "cf", "approx",
    "fig", "vol", "pp", "ca", "est",
}
# These may end a sentence ("... joined Acme Inc. The ...") or not ("9 a.m. Monday").
_MAYBE_END = {
    "inc", "ltd", "co", "corp", "plc", "llc", "etc", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
    "bros", "dept", "univ", "assn",
}
# Abbreviations only before a number ("No. 10"); otherwise ordinary words ("He said no.").
_BEFORE_DIGIT = {"no", "nos", "art", "para", "sec", "ch"}
# Words that start a new sentence after an ambiguous period ("U.S.", "a.m.", "Inc.").
_STARTERS = {
    "the", "a", "an", "it", "he", "she", "they", "we", "i", "in", "on", "but", "and", "this",
    "that", "these", "those", "there", "his", "her", "their", "its", "after", "when", "while",
    "as", "at", "for", "however", "meanwhile", "officials", "police", "according", "if", "some",
    "many", "most", "more", "other", "since", "during", "both", "one", "two", "three", "last",
    "earlier", "later", "then", "so", "yet", "our", "my", "you", "what", "who", "why", "how",
}
_TERM_RE = re.compile(r"[.!?…]+|:(?=[ \t]+[A-Z\"“])")
_CLOSERS = "\"'”’)»"
_HARD_BREAK_RE = re.compile(r"\n[ \t]*\n\s*|\n(?=[ \t]*(?:[-*•]|\d{1,2}[.)]|#{1,6})\s)")
_WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` spans of ``text``, trimmed of surrounding whitespace.

    Blank lines and list bullets always break. A period does not end a sentence inside numbers
    ("3.5"), after titles ("Mr.", "Dr.") or initials ("J. Smith"), nor before a lowercase word;
    after "U.S."-like acronyms and "Inc."/"a.m." it ends one only before a common sentence
    opener. Markers right after the terminator ("fog. [1] Next") belong to the sentence before. A colon before a
capital ends a sentence, except after a timeline's date ("February 2022: The team ...").
    Limit: a headline line without final punctuation runs into the next sentence."""
    spans: list[tuple[int, int]] = []
    block_start = 0
    for br in _HARD_BREAK_RE.finditer(text):
        spans.extend(_split_block(text, block_start, br.start()))
        block_start = br.end()
    spans.extend(_split_block(text, block_start, len(text)))
    return _merge_marker_only(text, spans)


def _split_block(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = lo
    for m in _TERM_RE.finditer(text, lo, hi):
        if m.start() < start:
            continue
        j = m.end()
        while j < hi and text[j] in _CLOSERS:
            j += 1
        # Markers after the terminator: "fog. [1] Next" ends after "[1]".
        while True:
            k = j
            while k < hi and text[k] in " \t":
                k += 1
            mk = _MARKER_RE.match(text, k, hi)
            if mk is None or not parse_markers(mk.group(0)):
                break
            j = mk.end()
        if j < hi and not text[j].isspace():
            continue  # "3.5", "U.S.A", "example.com"
        q = j
        while q < hi and text[q].isspace():
            q += 1
        if q < hi and not _may_end_before(text, start, m, q, hi):
            continue
        spans.append((start, j))
        start = q
    if start < hi:
        spans.append((start, hi))
    return [s for s in (_trim(text, a, b) for a, b in spans) if s[0] < s[1]]


_MONTH_RE = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_LABEL_RE = re.compile(r"\s*(?:(?:[a-z]+day,?\s+)?(?:" + _MONTH_RE + r"\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|"
                            r"\d{1,2}\s+" + _MONTH_RE + r"(?:\s+\d{4})?|" + _MONTH_RE + r"\s+\d{4})|(?:1[89]|20)\d\d)\s*",
                            re.I)
_BULLET_RE = re.compile(r"(?:[-*•]|\d{1,2}[.)]|#{1,6})[ \t]+")


def _may_end_before(text: str, start: int, term: re.Match, q: int, hi: int) -> bool:
    nxt = text[q]
    if nxt.islower():
        return False
    if term.group(0) == ":" and _DATE_LABEL_RE.fullmatch(text, start, term.start()):
        return False  # a timeline's "February 2022: the team revealed ..." is one sentence
    if term.group(0) != ".":
        return True
    wm = _WORD_BEFORE_RE.search(text, start, term.start())
    word = wm.group(1) if wm else ""
    low = word.lower().rstrip(".")
    if low in _TITLES:
        return False
    if nxt.isdigit() and (low in _BEFORE_DIGIT or low in _MAYBE_END):
        return False  # "No. 5", "Jan. 12"
    if len(word) == 1 and word.isupper():
        return False  # an initial
    if low in _MAYBE_END or "." in word:
        following = re.match(r"[A-Za-z]+", text[q:hi])
        return bool(following) and following.group(0).lower() in _STARTERS
    return True


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    bullet = _BULLET_RE.match(text, a, b)
    if bullet and (a == 0 or text[a - 1] == "\n" or text[:a].strip() == ""):
        a = bullet.end()
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _merge_marker_only(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A span made of markers only ("fog.\\n\\n[1]") joins the sentence before it."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and not re.search(r"\w", strip_markers(text[a:b])):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out
