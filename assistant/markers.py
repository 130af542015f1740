"""Citation markers: ``[1]``, ``[1, 3]``, ``[1-3]``, ``[Passage 2]`` in generated text. The one
place that recognises them: answers, metrics, evaluation and the page all parse markers here.

Limits: only square brackets count (no ``(1)``, no superscripts, no footnotes); numbers above
:data:`MAX_MARKER_NUMBER` are text ("[2017]" is a year), and so is a markdown link ``[1](url)``.
Whether a number names a passage the model saw is decided by :mod:`assistant.citations.check`, not here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Only numbers up to this are markers: "[2017]" is a year, not passage 2017.
MAX_MARKER_NUMBER = 99

_ITEM = r"#?\d{1,4}(?:\s*(?:[-–—]|to)\s*#?\d{1,4})?"
_LABEL = r"(?:(?:passages?|sources?|refs?|references?|docs?|documents?|citations?)\s*)"
_MARKER_RE = re.compile(
    r"\[\s*" + _LABEL + r"?(" + _ITEM + r"(?:\s*(?:,|;|and|&)\s*" + _LABEL + r"?" + _ITEM + r")*)\s*\](?!\()",
    re.IGNORECASE,
)
_NUM_RE = re.compile(r"\d+")
_RANGE_RE = re.compile(r"#?(\d+)\s*(?:[-–—]|to)\s*#?(\d+)")


@dataclass
class Marker:
    """One bracket group in an answer; ``start``/``end`` cover the brackets."""

    start: int
    end: int
    numbers: list[int]


def parse_markers(text: str) -> list[Marker]:
    """Citation markers in ``text``: ``[1]``, ``[1, 3]``, ``[1-3]`` (expanded), ``[Passage 2]``.

    ``[1][3]`` is two markers. Groups with a number above :data:`MAX_MARKER_NUMBER` (years) and
    markdown links ``[1](url)`` are text. ``[0]`` is a marker (an invalid one)."""
    markers: list[Marker] = []
    for m in _MARKER_RE.finditer(text):
        numbers: list[int] = []
        body = m.group(1)
        ok = True
        pos = 0
        for r in _RANGE_RE.finditer(body):
            numbers.extend(int(x) for x in _NUM_RE.findall(body[pos : r.start()]))
            lo, hi = int(r.group(1)), int(r.group(2))
            if max(lo, hi) > MAX_MARKER_NUMBER:
                ok = False
                break
            numbers.extend(range(min(lo, hi), max(lo, hi) + 1))
            pos = r.end()
        numbers.extend(int(x) for x in _NUM_RE.findall(body[pos:]))
        if not ok or not numbers or max(numbers) > MAX_MARKER_NUMBER:
            continue
        markers.append(Marker(m.start(), m.end(), list(dict.fromkeys(numbers))))
    return markers


def strip_markers(text: str) -> str:
    """``text`` with every marker removed and the space before it tidied."""
    return _remove_spans(text, [(m.start, m.end, "") for m in parse_markers(text)])


def renumber(text: str, mapping: dict[int, int]) -> str:
    """``text`` with each marker number ``n`` written as ``mapping[n]`` (numbers not in it kept):
    answers of several sub-questions merged over one passage list."""
    edits = [(m.start, m.end, "[" + ", ".join(str(mapping.get(n, n)) for n in m.numbers) + "]")
             for m in parse_markers(text)]
    return _apply_edits(text, edits)[0]


def _remove_spans(text: str, edits: list[tuple[int, int, str]]) -> str:
    return _apply_edits(text, edits)[0]


def _apply_edits(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """Apply ``(start, end, replacement)`` edits; also return where each replacement landed.

    An emptied marker also takes the horizontal space before it when that would leave a space
    before punctuation, a double space or a trailing space."""
    out = ""
    landed: list[tuple[int, int]] = []
    pos = 0
    for start, end, repl in sorted(edits):
        out += text[pos:start]
        if not repl:
            nxt = text[end : end + 1]
            if nxt == "" or nxt in " \t\n.,;:!?)":
                # Checked against the text so far, so "[3][4]." loses the space before "[3]".
                out = out.rstrip(" \t")
        landed.append((len(out), len(out) + len(repl)))
        out += repl
        pos = end
    return out + text[pos:], landed
