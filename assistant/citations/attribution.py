"""Repairing the small model's citation habits before the check: markers in front of a line are
moved to its end, and claim sentences without a marker get one when a passage supports them.

Limits: leading markers are recognised only at the start of a line and only as plain ``[n]``,
``[n, m]`` or ``[n-m]``; post-hoc attribution picks one passage per sentence (the best-scoring), so
a sentence whose support is split over two passages stays uncited.
"""
from __future__ import annotations

import re
from typing import Sequence

from assistant.types import Passage

from ..markers import parse_markers
from ..sentences import split_sentences
from .support import is_claim, is_supported, support_score

_LEADING = re.compile(r"^(\s*)((?:\[\d{1,2}(?:\s*[,\u2013-]\s*\d{1,2})*\]\s*)+)(\S.*)$", re.M)


def move_leading_markers(answer: str) -> str:
    """``[1] The soldier was taken to Suwon.`` -> ``The soldier was taken to Suwon. [1]``.

    Small models often put the passage id in front of a line, list-style; the checker (like a
    reader) attaches a marker to the sentence before it, so the marker is moved to the line end.
    """
    return _LEADING.sub(lambda m: f"{m.group(1)}{m.group(3).rstrip()} {m.group(2).strip()}", answer)


def attribute_uncited(answer: str, passages: Sequence[Passage]) -> tuple[str, int]:
    """Add ``[n]`` after claim sentences that carry no marker, when one passage supports them.

    Returns the new text and how many markers were added. A claim no passage supports stays
    uncited, so the check still flags it. Limits: one passage per sentence (the best-scoring);
    a sentence whose support is split over two passages stays uncited.
    """
    edits = []
    for a, b in split_sentences(answer):
        sentence = answer[a:b]
        if parse_markers(sentence) or not is_claim(sentence):
            continue
        scores = [support_score(sentence, p.text) for p in passages]
        if not scores:
            continue
        best = max(range(len(scores)), key=scores.__getitem__)
        if is_supported(sentence, passages[best].text):
            edits.append((b, best + 1))
    for end, n in reversed(edits):
        answer = f"{answer[:end]} [{n}]{answer[end:]}"
    return answer, len(edits)
