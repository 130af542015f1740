"""Follow-up questions in a chat: which ones lean on the conversation, and their standalone form.

A question is rewritten only when it is shaped like a follow-up (an opener such as "and" or "what
about", a pronoun, or a bare fragment like "why?") **and** it does not retrieve well on its own;
the pipeline decides the second part (``Assistant.stream``). The rewrite prepends the content words
of the previous user turn: rule-based on purpose, since an LLM rewrite costs seconds per turn on
two cores and retrieval needs only the topic words.

A message that asks two questions at once ("why ..., and how many ...?") is split
(``split_compound``); each later part is answered as a follow-up of the first.

Limits: English openers and pronouns only; only the previous user turn supplies the topic; a
follow-up that changes the subject without saying so ("and in Japan?") keeps the old topic words.
"""
from __future__ import annotations

import re

from .text import STOPWORDS, words

_OPENER = re.compile(r"^\s*(and|but|also|what about|how about|so|then|or)\b", re.I)
_PRONOUN = re.compile(r"\b(he|she|they|them|him|it|its|his|her|hers|their|theirs|this|that|these|those|there|the same)\b", re.I)
_QUESTION_WORDS = {"why", "how", "when", "where", "who", "what", "which", "whom", "whose"}


# ", and how many ...": a second question joined to the first.
_AND_QUESTION = re.compile(r"(?:,\s*|\s+)and\s+(?=(?:why|how|what|who|whom|whose|when|where|which)\b)", re.I)
_QUESTION_WORD = re.compile(r"\b(?:why|how|what|who|whom|whose|when|where|which)\b", re.I)
MAX_PARTS = 3


def split_compound(question: str) -> list[str]:
    """The questions one message asks: "Why are soldiers defecting, and how many did so this
    year?" -> ["Why are soldiers defecting?", "How many did so this year?"]; "Who won the race?
    And by how much?" -> two parts. One part when no second question follows "and" or a question
    mark, when a part would be under two words ("who won and how?" asks about one event), or
    when the first part holds a question word inside it ("the gap between what they said and
    what they did"). At most ``MAX_PARTS``.

    Limits: English; each part is answered on its own (later ones as follow-ups of the first)."""
    text = " ".join(question.split())
    sentences = [s.strip() for s in re.findall(r"[^?]+\?|[^?]+$", text) if s.strip()]
    if len(sentences) > 1 and not sentences[-1].endswith("?"):
        return [question]  # "Who won? I need it for a story." asks one thing
    parts: list[str] = []
    for sentence in sentences:
        pieces = _AND_QUESTION.split(sentence)
        if len(pieces) > 1 and _QUESTION_WORD.search(pieces[0].split(" ", 1)[-1]):
            pieces = [sentence]
        parts.extend(p.strip(" ,;") for p in pieces)
    # Each part is asked as a question of its own: capitalised and with its question mark.
    parts = [p[0].upper() + p[1:] + ("" if p.endswith("?") else "?") for p in parts if p]
    if len(parts) < 2 or len(parts) > MAX_PARTS or any(len(words(p)) < 2 for p in parts):
        return [question]
    return parts


def looks_like_follow_up(question: str) -> bool:
    """Whether the question may lean on an earlier turn (its form only, not its retrieval)."""
    tokens = words(question)
    content = [w for w in tokens if w not in STOPWORDS and w not in _QUESTION_WORDS]
    if _OPENER.search(question) or _PRONOUN.search(question):
        return True
    return len(tokens) <= 4 and len(content) <= 2


def previous_question(history: list[dict]) -> str | None:
    turns = [m.get("content") for m in history or [] if m.get("role") == "user" and m.get("content")]
    return turns[-1] if turns else None


def standalone(question: str, history: list[dict]) -> str:
    """The question with the previous user turn's content words in front (for retrieval)."""
    previous = previous_question(history)
    if not previous:
        return question
    topic = [w for w in re.findall(r"[\w'’-]+", previous) if w.lower() not in STOPWORDS and w.lower() not in _QUESTION_WORDS]
    return f"{' '.join(topic)} {question}".strip()
