"""Answer candidates for a factoid question, read off the evidence sentences the model was shown.

When the 0.5B model's reply to "Who ...?", "Which ...?", "Where ...?", "When ...?" or "How many
...?" is refused (no sentence states the name it wrote, or it said the archive does not say), the
pipeline scores these spans by the model's own log-probability of writing each as its reply, over
the same prompt (``LLM.reply_logprobs``; the prompt is in the KV cache, so only the spans' few
tokens are evaluated), and keeps the likeliest if a sentence states it as closely as any reply
must be stated. Asked to write, the model mixes names ("Mike Mulvaney" of Mick Mulvaney and Reince
Priebus) or takes one from a headline; asked to choose among what the sentences hold, it picks the
one its passage gives.

Limits: spans are found by their shape (capitalised words for names and places, numbers, dates),
English only; a name written in lower case, or a thing ("which virus?") is no candidate; "what"
questions other than "what year / date / is the name of" get none.
"""
from __future__ import annotations

import re
from typing import Iterable

# Kept short: each candidate costs one decoding step per token.
MAX_CANDIDATES = 12

_COUNT_Q = re.compile(r"\bhow\s+(?:many|much|fast|long|far|old|big|large|tall|high|deep|wide)\b|"
                      r"\bwhat\s+(?:percentage|share|number|amount)\b", re.I)
_WHEN_Q = re.compile(r"^\W*(?:and\s+)?(?:since\s+)?when\b|\b(?:what|which)\s+(?:year|date|day|month)\b", re.I)
_NAME_Q = re.compile(r"^\W*(?:and\s+)?(?:who|whom|whose|where)\b|^\W*(?:(?:in|at|on|by|from|for|to)\s+)?which\s+\w|"
                     r"\bwhat\s+(?:is|was|were|are)\s+the\s+names?\s+of\b", re.I)

# Capitalised spans name people, places and organisations; a title or a kind of thing is
# written in lower case or stands among the names of the people around it ("Which NPR show?"
# was answered "National Public Radio's Terry Gross", "Which tactic?" "U.S. House").
_THING_Q = re.compile(r"^\W*(?:(?:in|at|on|by|from|for|to)\s+)?(?:which|what)\s+(?:[\w'’-]+\s+){0,3}?"
                      r"(?:tactics?|strateg(?:y|ies)|methods?|approach|techniques?|polic(?:y|ies)|laws?|bills?|rules?|"
                      r"measures?|terms?|words?|phrases?|slogans?|virus(?:es)?|diseases?|illness(?:es)?|conditions?|"
                      r"sports?|products?|foods?|dish(?:es)?|drinks?|items?|tools?|weapons?|materials?|substances?|"
                      r"drugs?|crops?|animals?|species|movies?|films?|shows?|songs?|albums?|books?|novels?|series|"
                      r"episodes?|programs?|programmes?|podcasts?|plays?|musicals?|games?|apps?|features?|"
                      r"technolog(?:y|ies)|models?|vehicles?|cars?|planes?|aircraft|ships?)\b", re.I)
_WORD = r"(?:[A-Z][\w'’&.-]*[\w.]|[A-Z]\.?)"
_NAME = re.compile(rf"{_WORD}(?:\s+(?:(?:of|de|del|da|van|von|bin|al|la|le|the|&)\s+)*{_WORD})*")
_COUNT = re.compile(r"(?:\$|\b)\d[\d,]*(?:\.\d+)?(?:\s*(?:%|percent|million|billion|trillion|thousand))?"
                    r"(?:[\s-]+(?:[a-z]+))?|"
                    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|"
                    r"thousands?)\b(?:\s+[a-z]+)?", re.I)
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
# The day ends at a word boundary: "March 2024" is a month and year, not "March 20".
_DATE = re.compile(rf"\b{_MONTH}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?\b)?(?:,?\s+\d{{4}})?|\b\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?|"
                   r"\b(?:1[0-9]|20)\d{2}s?\b|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
# Words that open a sentence or stand before a name without being one.
_LEADING = {"the", "a", "an", "in", "on", "at", "but", "and", "he", "she", "it", "they", "we", "i", "this",
            "that", "his", "her", "their", "its", "as", "after", "before", "when", "while", "for", "if",
            "then", "so", "now", "still", "also", "by", "from", "with", "to", "of", "meanwhile"}
_WORDS = re.compile(r"[a-z0-9]+")
# "How much will it cost?" is answered by a sum of money, not by the count of people beside it.
_MONEY_Q = re.compile(r"\bhow\s+much\b.*\b(?:cost|costs|spend|spent|pay|paid|worth|price|budget|raise|raised|"
                      r"fund|funding|charge|fine|fined|sell|sold|earn|earned|owe|owed)\b|\bhow\s+much\s+money\b", re.I)
_MONEY = re.compile(r"\$|\b(?:dollars?|euros?|pounds|yuan|yen)\b", re.I)


def kind(question: str) -> str | None:
    """"count", "date" or "name": the shape of span that answers ``question``; None for any
    other question (yes/no, why, how, what-did, which work or kind of thing)."""
    if _COUNT_Q.search(question):
        return "count"
    if _WHEN_Q.search(question):
        return "date"
    if _NAME_Q.search(question) and not _THING_Q.search(question):
        return "name"
    return None


def candidates(question: str, sentences: Iterable[str], limit: int = MAX_CANDIDATES) -> list[str]:
    """Spans of the answer's shape in ``sentences`` (best first), in order of first appearance,
    without the ones made only of the question's own words; at most ``limit``."""
    shape = kind(question)
    if shape is None:
        return []
    pattern = {"count": _COUNT, "date": _DATE, "name": _NAME}[shape]
    asked = set(_WORDS.findall(question.lower()))
    found: list[str] = []
    for sentence in sentences:
        for m in pattern.finditer(sentence):
            words = m.group(0).strip(" ,.;:").split()
            while words and words[0].lower() in _LEADING:
                words = words[1:]
            while words and words[-1].lower() in _LEADING:
                words = words[:-1]
            span = " ".join(words).rstrip(".,")
            terms = _WORDS.findall(span.lower())
            own = sum(t in asked for t in terms)
            if not terms or own == len(terms) or (shape == "name" and 2 * own >= len(terms)) or span in found:
                # A name that is half the question's own words is its subject ("United
                # States-born Pope Leo XIV" for where Pope Leo XIV spends the summer); a count
                # keeps the question's unit ("290 people").
                continue
            if shape == "count" and _MONEY_Q.search(question) and not _MONEY.search(span):
                continue
            found.append(span)
            if len(found) == limit:
                return found
    return found
