"""Word-level text helpers shared by evidence selection, conversation handling and answer checks.

One stopword list (English function words plus reporting verbs such as "said", which say nothing
about the topic of a news sentence) and one stemmer (Snowball English, via PyStemmer, the same
one the BM25 index uses).

Limits: English only; stemming conflates some unrelated words ("new"/"news"); numbers keep
their digits and commas are dropped ("9,000" -> "9000"); number words up to ninety-nine
("seventy-six" hyphenated; "seventy six" reads as "70" and "6") and ordinals up to twentieth
become digits (so "one" the pronoun reads as "1"; "first" and "second" stay words).
"""
from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("english")
_WORD = re.compile(r"\d[\d,.]*\d|\d|[^\W\d_][\w'’-]*")

STOPWORDS = frozenset(
    """
    a about above after again against all almost also although am among an and any approximately
    are around as at be because been before being below between both but by can could did do does
    doing down during each either else ever every few for from further had has have having he her
    here hers herself him himself his how however i if in into is it its itself just least less
    let like made make many may me might more most much must my myself nearly next now of off on
    once only onto or other our ours ourselves out over own per perhaps quite rather re really
    roughly same several shall she should since so some such than that the their theirs them
    themselves then there these they this those though through thus to too toward towards under
    until up upon us very via was we were what whatever when where whether which while who whom
    whose why will with within would yet you your yours yourself including still s t near across
    along behind beyond despite inside outside amid throughout
    said say says saying told tell tells according reported reports stated noted
    recently recent latest new newly week weeks today yesterday year years month months
    """.split()
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
# Ordinals count as their number: "the fourth soldier to defect this year" states "4". "first" and
# "second" stay words: they are far more often an adverb or a unit of time.
ORDINALS = {w: i for i, w in enumerate(
    "third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth "
    "sixteenth seventeenth eighteenth nineteenth twentieth".split(), start=3)}
_NUMBER_WORDS.update({w: str(i) for w, i in ORDINALS.items()})
# Tens and their hyphenated compounds: "Seventy-six people have died" states "76".
_TENS = {w: 10 * i for i, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), start=3)}
_TENS["twenty"] = 20
_UNITS = "one two three four five six seven eight nine".split()
_NUMBER_WORDS.update({w: str(n) for w, n in _TENS.items()})
_NUMBER_WORDS.update({f"{w}-{u}": str(n + i) for w, n in _TENS.items() for i, u in enumerate(_UNITS, start=1)})
_ORDINAL_SUFFIX = frozenset({"st", "nd", "rd", "th"})
# A past participle, as a regular expression: "-ed", "-en", "-wn" ("flown") or a common irregular
# one ("found", "shot"). Not a tagger: any word ending so passes ("garden"), and an irregular one
# not listed ("dug") does not.
PARTICIPLE = (r"[a-z]+(?:ed|en|wn)|found|shot|hit|held|caught|seen|spotted|told|sent|brought|led|kept|left|made|paid|"
              r"sold|built|won|lost|struck|fought|bought|set|put|cut|hurt")


def words(text: str) -> list[str]:
    """Lower-cased word and number tokens (thousands separators dropped, "two" -> "2", "fourth"
    and "4th" -> "4")."""
    out = []
    last_end = -1
    for m in _WORD.finditer(text.lower()):
        w = m.group().replace(",", "").rstrip(".")
        if not (w in _ORDINAL_SUFFIX and m.start() == last_end and out and out[-1][0].isdigit()):
            out.append(_NUMBER_WORDS.get(w, w))
        last_end = m.end()
    return out


# The plural folds too: "Republicans" and "Republican" are one name ("koreans" -> "korea").
_DEMONYM = re.compile(r"(?<=[a-z]{3})(ea|ia|ca)ns?$")


def term(word: str) -> str:
    """The comparable form of a lower-cased word: its stem, with a country adjective folded into
    the country ("korean" -> "korea", "russian" -> "russia"; "canadian" stays apart) and a
    possessive dropped."""
    word = re.sub(r"['’]s$", "", word)
    word = _DEMONYM.sub(r"\1", word)
    return stem(word)


def content_terms(text: str) -> set[str]:
    """Comparable forms (``term``) of the content words of ``text`` (stopwords and one-letter
    words removed)."""
    return {term(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())}
