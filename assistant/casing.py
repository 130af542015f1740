"""Capitals for a question typed all in lower case, as the archive writes its words.

Why: chat users often type "when did california's mosquito fire start" with no capital at all.
The search does not mind (the embedder and BM25 are uncased), but the rest does: the 0.5B model,
asked the lowercase question of the same passages, wrote the headline or refused where it had
answered "Sept. 6"; names a question asks about ("Mosquito Fire", "Inter Miami") are read off
its capitals (``names.question_names``) to check that the stating article is about them.

How: each word of the question is given the form the retrieved passages write it in most often, counting only words that do not open a sentence ("mosquito" -> "Mosquito"
where "the Mosquito Fire" outnumbers "mosquito bites"). A stopword is capitalised only when its
capitalised form is far the more common one ("us" -> "US" in reports on a match against the US,
not in quotes full of "us"); any other word only when its capitalised form is written more than
twice as often (``CASED_RATIO``) and at least twice (``MIN_CASED``). The first letter is
capitalised too.

Limits: only a question without any capital is changed (a user who typed one capital chose
them); a word the passages do not hold keeps its case, so an acronym the archive only spells
out stays lower case ("what is the jsa" is refused where "What is the JSA?" is answered: taking
every short word no passage holds for an acronym also made "BIG", "JULY" and "TOWN");
English-style capitalisation.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from .sentences import split_sentences
from .text import STOPWORDS

_TOKEN = re.compile(r"[^\W\d_][\w.&-]*[^\W_]|[^\W\d_]")
# How many times as often as in lower case a word's capitalised form must be written ("union"
# stays lower case where "the union" nearly matches "the National Union of ..."); a stopword's,
# more ("us" and "US" both fill match reports).
CASED_RATIO = 2
STOPWORD_RATIO = 4
# A capital seen once may be a name that shares the word ("Won" of a Korean name for "won").
MIN_CASED = 2


def all_lower(question: str) -> bool:
    return not any(c.isupper() for c in question) and any(c.isalpha() for c in question)


def forms(texts: Iterable[str]) -> dict[str, Counter]:
    """Each word's written forms (lower-cased word -> Counter of forms), sentence openers left out."""
    seen: dict[str, Counter] = {}
    for text in texts:
        for a, b in split_sentences(text) or [(0, len(text))]:
            for i, m in enumerate(_TOKEN.finditer(text[a:b])):
                if i == 0:
                    continue
                w = m.group(0)
                seen.setdefault(w.lower(), Counter())[w] += 1
    return seen


def truecase(question: str, texts: Iterable[str]) -> str:
    """``question`` with the capitals ``texts`` give its words, when it has none of its own."""
    if not all_lower(question):
        return question
    seen = forms(texts)

    def cased(m: re.Match) -> str:
        word = m.group(0)  # "california" of "california's": an apostrophe ends a token
        counts = seen.get(word)
        if not counts:
            return word
        best, n = counts.most_common(1)[0]
        lower = counts.get(word, 0)
        if best == word or n < MIN_CASED or n <= lower * (STOPWORD_RATIO if word in STOPWORDS else CASED_RATIO):
            return word
        return best

    out = _TOKEN.sub(cased, question.strip())
    return out[:1].upper() + out[1:]
