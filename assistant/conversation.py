"""Follow-up questions in a chat: which ones lean on the conversation, and their standalone form.

A question is rewritten only when it is shaped like a follow-up (an opener such as "and" or "what
about", a pronoun, or a bare fragment like "why?") **and** it does not retrieve well on its own;
the pipeline decides the second part (``Assistant.stream``). The rewrite prepends the content words
of the previous user turn: rule-based on purpose, since an LLM rewrite costs seconds per turn on
two cores and retrieval needs only the topic words.

Limits: English openers and pronouns only; only the previous user turn supplies the topic; a
follow-up that changes the subject without saying so ("and in Japan?") keeps the old topic words.
"""
from __future__ import annotations

import re

from .text import STOPWORDS, words

_OPENER = re.compile(r"^\s*(and|but|also|what about|how about|so|then|or)\b", re.I)
_PRONOUN = re.compile(r"\b(he|she|they|them|him|it|its|his|her|hers|their|theirs|this|that|these|those|there|the same)\b", re.I)
_QUESTION_WORDS = {"why", "how", "when", "where", "who", "what", "which", "whom", "whose"}


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
