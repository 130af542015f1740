"""Citation markers in generated answers: parse them, resolve them to passages, and check support.

The answer generator numbers the retrieved passages ``[1]..[k]`` and the model writes inline
markers. :func:`check_answer` turns a raw answer into a :class:`CitationCheck`: markers that do not
name a given passage are removed and counted, each valid passage number becomes one
:class:`~assistant.types.Citation` whose ``start``/``end``/``quote`` point at the document sentence
(or two adjacent sentences) that best supports the answer sentence citing it, and every answer
sentence that makes a claim is checked against the passages it cites.

One module per concern, each stating its limits:

* :mod:`assistant.markers` (shared): finding, stripping and rewriting ``[n]`` markers;
* :mod:`assistant.sentences` (shared): splitting answers and passages into sentence spans;
* :mod:`.support`: the lexical support checker (scores, ``is_claim``, ``evaluate_checker``);
* :mod:`.check`: ``check_answer``, resolving markers to passages and document spans;
* :mod:`.attribution`: repairing the small model's citation habits before the check.

This package re-exports the names the rest of the project imports.
"""
from __future__ import annotations

from .attribution import attribute_uncited, move_leading_markers
from .check import CitationCheck, check_answer
from ..markers import parse_markers, strip_markers
from ..sentences import split_sentences
from .support import (SUPPORT_THRESHOLD, best_support_span, evaluate_checker, is_claim, is_supported,
                      support_score)

__all__ = [
    "SUPPORT_THRESHOLD",
    "CitationCheck",
    "attribute_uncited",
    "best_support_span",
    "check_answer",
    "evaluate_checker",
    "is_claim",
    "is_supported",
    "move_leading_markers",
    "parse_markers",
    "split_sentences",
    "strip_markers",
    "support_score",
]
