"""Citation markers in generated answers: parse them, resolve them to passages, and check support.

The answer generator numbers the retrieved passages ``[1]..[k]`` and the model writes inline
markers. :func:`check_answer` turns a raw answer into a :class:`CitationCheck`: markers that do not
name a given passage are removed and counted, each valid passage number becomes one
:class:`~assistant.types.Citation` whose ``start``/``end``/``quote`` point at the document sentence
(or two adjacent sentences) that best supports the answer sentence citing it, and every answer
sentence that makes a claim is checked against the passages it cites.

The support check is lexical, not semantic, so its limits are those of word overlap:

* every number in the claim must appear in the evidence (digits, ``1,000``/``1000``, number words
  up to the tens, ``2 million``/``2,000,000``; ``one`` is ignored in claims: it is mostly a pronoun);
* capitalised names in the claim must appear in the evidence (or in the passage title/source);
  each missing one halves the score;
* content words (stopwords and reporting verbs removed, light suffix stripping and prefix matching)
  must reach :data:`SUPPORT_THRESHOLD` recall;
* a grammatical negation (``not``, ``no``, ``never``, ``n't``, ``without``...) clashes when the
  claim is negated and the evidence span is not, or when an evidence negator's scope (the next few
  content words) covers a claim word; a clash halves the score. A small table of news antonyms
  ("approved"/"rejected", "rose"/"fell", "opened"/"closed"...) counts as a clash too.
  Other antonyms ("acquitted" vs "sentenced", "fell short" vs "exceeded") and synonyms
  ("shut" vs "closed") are invisible: the first are caught only through the words that differ,
  the second cost recall. A claim that merges two adjacent evidence sentences wrongly ("cut 85
  nursing jobs" from "cut 85 jobs. Nursing jobs are not affected.") passes.

Measured by :func:`evaluate_checker` on ``tests/data/support_labels.jsonl`` (95 hand-written
pairs): weights and threshold were tuned on the 55 ``tune`` pairs (precision 0.97, recall 0.93);
the 20 ``holdout`` pairs then motivated the negation scope and antonym table (0.91 / 0.91); the
last 20 ``holdout2`` pairs were written afterwards and never tuned on (0.77 / 1.00). Expect the
blind figure, not the tuned one, on real answers.

Sentences without content ("Here is what the archive says:") and refusals ("The archive does not
say ...") are not claims: they are neither supported nor unsupported and are left out of
``sentence_support``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from assistant.types import Citation, Passage

# Weighted recall a claim must reach (after penalties). Kept >= 0.5 so that the halving penalties
# (a missing number or negation mismatch) always push a perfect-recall claim below it.
SUPPORT_THRESHOLD = 0.6
# Names and numbers count this many content words in the recall: a matching "1,200" or "Ruiz"
# says more than a matching "said".
SPECIFIC_WEIGHT = 2.0
# Only numbers up to this are markers: "[2017]" is a year, not passage 2017.
MAX_MARKER_NUMBER = 99

# --------------------------------------------------------------------------------------------
# Markers

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


# --------------------------------------------------------------------------------------------
# Sentences

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
    opener. Markers right after the terminator ("fog. [1] Next") belong to the sentence before.
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


_BULLET_RE = re.compile(r"(?:[-*•]|\d{1,2}[.)]|#{1,6})[ \t]+")


def _may_end_before(text: str, start: int, term: re.Match, q: int, hi: int) -> bool:
    nxt = text[q]
    if nxt.islower():
        return False
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


# --------------------------------------------------------------------------------------------
# Support

_STOPWORDS = set(
    """
    a about above after again against all almost also although am among an and any approximately
    are around as at be because been before being below between both but by can could did do does
    doing down during each either else ever every few for from further had has have having he her
    here hers herself him himself his how however i if in into is it its itself just least less
    let like made make many may me might more most much must my myself nearly next now of off on
    once only onto or other our ours ourselves out over own per percent percentage pct cent
    perhaps quite rather re really roughly same several shall she should since so some such than
    that the their theirs them themselves then there these they this those though through thus to
    too toward towards under until up upon us very via was we were what whatever when where
    whether which while who whom whose why will with within would yet you your yours yourself
    including some still s t near across along behind beyond despite inside outside amid
    throughout archive archives passage passages
    said say says saying told tell tells according reported reports announced announce announces
    added stated states claimed noted confirmed explained described
    """.split()
)
# Words that, with stopwords, make a sentence "about the answer" rather than a claim.
_META = {
    "archive", "archives", "passage", "passages", "source", "sources", "article", "articles",
    "document", "documents", "information", "context", "following", "summary", "answer",
    "question", "provided", "based", "mention", "mentions", "mentioned", "available", "here",
    "below", "text", "texts", "details", "detail", "find", "found", "know", "sure", "sorry",
    "unfortunately", "note", "overall", "sum", "relevant",
}
_REFUSAL_RE = re.compile(
    r"^\W*(the archive does not|the archive doesn't|the (?:provided )?(?:passages|sources|articles)"
    r" do(?:es)? not|i (?:could|can)(?:not|n't) find|i do(?:n't| not) know|there is no information)",
    re.IGNORECASE,
)
_NEGATIONS = {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "cannot", "without"}
# Opposites common in news, as word prefixes. A claim word from one side, absent from the
# evidence while the other side is present, is a contradiction ("approved" vs "rejected").
_ANTONYMS: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("approv", "pass", "accept", "back"), ("reject", "refus", "veto", "declin", "block")),
    (("rise", "rose", "risen", "rising", "increas", "grew", "grow", "climb", "gain", "jump", "up"),
     ("fell", "fall", "drop", "declin", "decreas", "shrank", "shrink", "slump", "lost", "los", "down")),
    (("rais", "hike", "boost"), ("cut", "lower", "reduc", "slash")),
    (("win", "won", "victor"), ("lost", "los", "defeat")),
    (("open",), ("clos", "shut")),
    (("support", "favour", "favor"), ("oppos", "against")),
    (("allow", "permit", "legaliz", "legalis"), ("ban", "forbid", "prohibit")),
    (("guilty", "convict"), ("acquit", "innocent", "cleared")),
    (("reach", "agree", "struck", "deal"), ("collaps", "fail", "broke", "stall")),
    (("resum", "reopen", "restart"), ("suspend", "halt", "stop", "cancel")),
    (("alive", "surviv"), ("dead", "died", "kill")),
]

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "dozen": 12,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12}
_SUFFIX_SCALES = {"k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}

_TOKEN_RE = re.compile(
    r"(?P<acro>(?:[A-Za-z]\.){2,})"
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<suf>st|nd|rd|th|s|bn|m|k)?(?![A-Za-z])"
    r"|(?P<word>[A-Za-z][A-Za-z'’]*)"
)
_SUFFIXES = (
    "ingly", "edly", "ations", "ation", "ments", "ment", "ings", "ing", "ness", "ies", "ied",
    "ers", "ed", "es", "ly", "s",
)


def _stem(word: str) -> str:
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            base = word[: -len(suf)]
            return base + "y" if suf in ("ies", "ied") else base
    return word


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(round(float(value), 6))


@dataclass
class _Analysis:
    """What the checker needs from a text."""

    words: list[str] = field(default_factory=list)  # lowercase content words (claim side)
    names: list[str] = field(default_factory=list)  # lowercase capitalised names / acronyms
    numbers: list[str] = field(default_factory=list)  # normalised numbers required of evidence
    all_words: set[str] = field(default_factory=set)  # every lowercase word (evidence side)
    stems: set[str] = field(default_factory=set)
    all_numbers: set[str] = field(default_factory=set)  # every number form (evidence side)
    negated: bool = False
    neg_scope: set[str] = field(default_factory=set)  # content words right after a negator


# Content words after a negator that it is taken to cover ("would not run for re-election").
_NEG_SCOPE = 4


@lru_cache(maxsize=4096)  # windows are re-scored for every answer sentence; results are never mutated
def _analyse(text: str) -> _Analysis:
    text = strip_markers(text).replace("’", "'")
    a = _Analysis()
    toks: list[tuple[str, str, str]] = []  # (kind, lowercase value, original)
    for m in _TOKEN_RE.finditer(text):
        if m.group("acro"):
            v = m.group("acro").replace(".", "").lower()
            toks.append(("acro", v, m.group("acro")))
        elif m.group("num"):
            toks.append(("num", m.group("num").replace(",", ""), m.group("suf") or ""))
        else:
            w = m.group("word")
            low = w.lower()
            if low.endswith("n't"):
                a.negated = True
                toks.append(("word", "not", "not"))
                low = low[:-3]
            if low.endswith("'s"):
                low = low[:-2]
            low = low.strip("'")
            if low:
                toks.append(("word", low, w))

    first_word = True
    scope_left = 0
    i = 0
    while i < len(toks):
        kind, low, orig = toks[i]
        if low in _NEGATIONS:
            a.negated = True
            scope_left = _NEG_SCOPE
        elif scope_left and low not in _STOPWORDS:
            a.neg_scope.add(low)
            scope_left -= 1
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if kind == "num":
            value = float(low)
            forms = {_fmt(value)}
            required = {_fmt(value)}
            if orig in _SUFFIX_SCALES:
                forms.add(_fmt(value * _SUFFIX_SCALES[orig]))
                required = {_fmt(value * _SUFFIX_SCALES[orig])}
                a.numbers.append("|".join(sorted(forms)))  # either form satisfies the claim
                a.all_numbers |= forms
                i += 1
                first_word = False
                continue
            if nxt and nxt[0] == "word" and nxt[1] in _SCALES:
                scaled = _fmt(value * _SCALES[nxt[1]])
                forms.add(scaled)
                required = {scaled}
                i += 1
            a.numbers.extend(required)
            a.all_numbers |= forms
            i += 1
            first_word = False
            continue
        if kind == "word" and (low in _UNITS or low in _TENS):
            value = _UNITS.get(low, _TENS.get(low, 0))
            if low in _TENS and nxt and nxt[0] == "word" and nxt[1] in _UNITS and _UNITS[nxt[1]] < 10:
                value += _UNITS[nxt[1]]
                i += 1
                nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt and nxt[0] == "word" and nxt[1] in _SCALES:
                value *= _SCALES[nxt[1]]
                i += 1
            a.all_numbers.add(_fmt(value))
            if low != "one":
                a.numbers.append(_fmt(value))
            a.all_words.add(low)
            i += 1
            first_word = False
            continue
        a.all_words.add(low)
        a.stems.add(_stem(low))
        if low in _STOPWORDS or low in _NEGATIONS or (len(low) < 2 and kind != "acro"):
            first_word = False
            i += 1
            continue
        is_name = kind == "acro" or (orig.isupper() and len(orig) > 1)
        if kind == "word" and orig[0].isupper():
            if not first_word:
                is_name = True
            elif nxt and nxt[0] == "word" and nxt[2][0].isupper() and nxt[1] not in _STOPWORDS:
                is_name = True  # "Senator James Holt ..." at the start of a sentence
        (a.names if is_name else a.words).append(low)
        first_word = False
        i += 1
    return a


def _word_found(word: str, ev: _Analysis) -> bool:
    if word in ev.all_words:
        return True
    stem = _stem(word)
    if stem in ev.stems:
        return True
    for s in ev.stems:
        cp = _common_prefix(stem, s)
        if cp >= 4 and cp >= min(len(stem), len(s)) - 1:
            return True
    for w in ev.all_words:
        cp = _common_prefix(word, w)
        if cp >= 5 and cp >= min(len(word), len(w)) - 3:
            return True
    return False


def _merge(parts: Sequence[_Analysis]) -> _Analysis:
    out = _Analysis()
    for p in parts:
        out.all_words |= p.all_words
        out.stems |= p.stems
        out.all_numbers |= p.all_numbers
        out.negated = out.negated or p.negated
        out.neg_scope |= p.neg_scope
    return out


@dataclass
class SupportDetail:
    """Why a claim got its score: the parts of the claim the evidence lacks."""

    score: float
    recall: float
    missing_words: list[str]
    missing_names: list[str]
    missing_numbers: list[str]
    negation_mismatch: bool

    @property
    def supported(self) -> bool:
        return self.score >= SUPPORT_THRESHOLD


def _score(claim: _Analysis, ev: _Analysis, extra_names: _Analysis | None = None) -> SupportDetail:
    missing_words = [w for w in claim.words if not _word_found(w, ev)]
    name_ev = _merge([ev, extra_names]) if extra_names else ev
    missing_names = [n for n in claim.names if not _word_found(n, name_ev)]
    missing_numbers = [
        n for n in claim.numbers if not any(f in ev.all_numbers for f in n.split("|"))
    ]
    w = SPECIFIC_WEIGHT
    total = len(claim.words) + w * (len(claim.names) + len(claim.numbers))
    if total == 0:
        return SupportDetail(0.0, 0.0, [], [], [], False)
    found = total - len(missing_words) - w * (len(missing_names) + len(missing_numbers))
    recall = found / total
    score = recall * (0.5 ** len(missing_names))
    if missing_numbers:
        score *= 0.49  # numbers are a hard requirement: stays below any threshold >= 0.5
    mismatch = _negation_mismatch(claim, ev) or _contradicts(missing_words, ev)
    if mismatch:
        score *= 0.5
    return SupportDetail(score, recall, missing_words, missing_names, missing_numbers, mismatch)


def _negation_mismatch(claim: _Analysis, ev: _Analysis) -> bool:
    """A negated claim needs a negated evidence span; a plain claim clashes only with a negation
    that covers one of its words: "met the unions but talks ended without a deal" still
    supports "met the unions"."""
    if claim.negated:
        return not ev.negated
    if not ev.neg_scope:
        return False
    scope = _Analysis(all_words=ev.neg_scope, stems={_stem(w) for w in ev.neg_scope})
    return any(_word_found(w, scope) for w in claim.words + claim.names)


def _side(word: str, prefixes: tuple[str, ...]) -> bool:
    return any(word.startswith(p) if len(p) > 3 else word == p or word == p + "s" for p in prefixes)


def _contradicts(missing_words: list[str], ev: _Analysis) -> bool:
    for word in missing_words:
        for a, b in _ANTONYMS:
            for mine, other in ((a, b), (b, a)):
                if _side(word, mine) and any(_side(w, other) for w in ev.all_words):
                    return True
    return False


def is_claim(sentence: str) -> bool:
    """False for sentences with nothing to check: lead-ins ("Here is what the archive says:")
    and refusals ("The archive does not say ...")."""
    text = strip_markers(sentence).strip()
    if not text or _REFUSAL_RE.match(text):
        return False
    a = _analyse(text)
    content = [w for w in a.words + a.names if w not in _META]
    return bool(content or a.numbers)


def _windows(text: str) -> list[tuple[int, int]]:
    """Sentences of ``text`` and pairs of adjacent sentences."""
    sents = split_sentences(text)
    if not sents:
        return []
    wins = list(sents)
    wins += [(sents[i][0], sents[i + 1][1]) for i in range(len(sents) - 1)]
    return wins


def _best_window(
    claim: _Analysis, text: str, extra_names: _Analysis | None = None
) -> tuple[int, int, SupportDetail]:
    best: tuple[int, int, SupportDetail] | None = None
    cache: dict[tuple[int, int], _Analysis] = {}
    for s, e in _windows(text):
        ev = cache.setdefault((s, e), _analyse(text[s:e]))
        detail = _score(claim, ev, extra_names)
        # Higher score wins; at equal score the shorter span is the sharper quote.
        if best is None or detail.score > best[2].score + 1e-9 or (
            abs(detail.score - best[2].score) <= 1e-9 and (e - s) < (best[1] - best[0])
        ):
            best = (s, e, detail)
    if best is None:
        return 0, len(text), _score(claim, _analyse(text), extra_names)
    return best


def support_detail(claim: str, evidence: str) -> SupportDetail:
    """The score of the best evidence sentence (or adjacent pair) for ``claim``, with reasons."""
    return _best_window(_analyse(claim), evidence)[2]


def support_score(claim: str, evidence: str) -> float:
    """In [0, 1]: weighted recall of the claim's words, names and numbers in the best evidence
    sentence or adjacent sentence pair, halved per missing name, for a negation mismatch, and
    (to below 0.5) for any missing number. 0 for a claim without content."""
    return support_detail(claim, evidence).score


def is_supported(claim: str, evidence: str) -> bool:
    """``support_score >= SUPPORT_THRESHOLD`` (0.6, tuned on tests/data/support_labels.jsonl)."""
    return support_score(claim, evidence) >= SUPPORT_THRESHOLD


def best_support_span(claim: str, passage_text: str) -> tuple[int, int, float]:
    """Offsets in ``passage_text`` of the sentence (or two adjacent sentences) that best supports
    ``claim``, and its score. With no overlap at all, the first sentence."""
    s, e, detail = _best_window(_analyse(claim), passage_text)
    return s, e, detail.score


def evaluate_checker(pairs: Iterable[Mapping[str, Any] | tuple[str, str, bool]]) -> dict[str, float]:
    """Precision/recall/accuracy of :func:`is_supported` ("supported" is the positive class)
    on ``{"claim", "evidence", "supported"}`` dicts or ``(claim, evidence, supported)`` tuples."""
    tp = fp = fn = tn = 0
    for p in pairs:
        claim, evidence, label = (
            (p["claim"], p["evidence"], bool(p["supported"])) if isinstance(p, Mapping) else p
        )
        pred = is_supported(claim, evidence)
        if pred and label:
            tp += 1
        elif pred:
            fp += 1
        elif label:
            fn += 1
        else:
            tn += 1
    n = tp + fp + fn + tn
    return {
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "accuracy": (tp + tn) / n if n else 0.0,
        "n": n,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
    }


# --------------------------------------------------------------------------------------------
# Resolving an answer


@dataclass
class CitationCheck:
    """An answer after its markers were resolved.

    ``text`` is the answer with invalid markers removed and valid groups rewritten as ``[1][3]``.
    ``citations`` has one entry per distinct valid passage number, in order of first use; its
    quote is the document span that best supports one of the sentences citing it, and
    ``sentence`` is that sentence (the first citing one on ties). Sentences are exact substrings
    of ``text`` (markers included). ``sentence_support`` lists claim sentences only; an uncited
    claim is checked against the markers of the next sentence of its paragraph (the
    "A. B. [1]" habit), else of the previous one, else it is unsupported."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    invalid_markers: int = 0
    unsupported_sentences: list[str] = field(default_factory=list)
    sentence_support: list[tuple[str, list[int], bool, float]] = field(default_factory=list)


def _normalise_markers(answer: str, k: int) -> tuple[str, int, list[tuple[int, list[int]]]]:
    """The answer with markers rewritten, the count of invalid numbers, and ``(offset, numbers)``
    of each surviving marker in the new text. Offsets are tracked rather than re-parsed because
    deleting "[0]" from "[2, [0] 3]" would make a new marker out of text."""
    invalid = 0
    edits: list[tuple[int, int, str]] = []
    kept: list[list[int]] = []
    for m in sorted(parse_markers(answer), key=lambda m: m.start):
        valid = [n for n in m.numbers if 1 <= n <= k]
        invalid += len(m.numbers) - len(valid)
        edits.append((m.start, m.end, "".join(f"[{n}]" for n in valid)))
        kept.append(valid)
    text, landed = _apply_edits(answer, edits)
    return text, invalid, [(a, ns) for (a, _), ns in zip(landed, kept) if ns]


def _doc_span(passage: Passage, s: int, e: int, documents: Mapping[str, str] | None) -> tuple[int, int, str]:
    """Document offsets and quote of passage-local span ``[s, e)``."""
    local = passage.text[s:e]
    doc = documents.get(passage.doc_id) if documents else None
    if doc is None:
        return passage.start + s, passage.start + e, local
    base = passage.start
    if doc[base : base + len(passage.text)] != passage.text:
        found = doc.find(passage.text)
        if found < 0:
            found_quote = doc.find(local)
            if found_quote >= 0:
                return found_quote, found_quote + len(local), local
            return passage.start + s, passage.start + e, local
        base = found
    return base + s, base + e, doc[base + s : base + e]


def check_answer(
    answer: str, passages: Sequence[Passage], documents: Mapping[str, str] | None = None
) -> CitationCheck:
    """Resolve ``answer``'s markers against ``passages`` (numbered from 1) and check support.

    ``documents`` (doc_id -> text) makes the quote come from the document text itself, located
    by the passage offsets or, when they disagree, by searching for the passage text."""
    k = len(passages)
    text, invalid, markers = _normalise_markers(answer, k)
    extra = [_analyse(" ".join(x for x in (p.title, p.source) if x)) for p in passages]
    def _support_by(claim: _Analysis, ns: list[int]) -> float:
        best: list[tuple[int, int, int]] = []
        score = 0.0
        for n in ns:
            s, e, d = _best_window(claim, passages[n - 1].text, extra[n - 1])
            best.append((n, s, e))
            score = max(score, d.score)
        if len(ns) > 1:
            # A claim may join facts from several cited passages: score it against the union
            # of their best spans too.
            union = _merge([_analyse(passages[n - 1].text[s:e]) for n, s, e in best])
            names = _merge([extra[n - 1] for n in ns])
            score = max(score, _score(claim, union, names).score)
        return score

    spans = split_sentences(text)
    sentences = [text[a:b] for a, b in spans]
    cited: list[list[int]] = []
    for a, b in spans:
        ns: list[int] = []
        for offset, numbers in markers:
            if a <= offset < b:
                ns.extend(n for n in numbers if n not in ns)
        cited.append(ns)

    def same_paragraph(i: int, j: int) -> bool:
        lo, hi = sorted((i, j))
        return "\n" not in text[spans[lo][1] : spans[hi][0]]

    check = CitationCheck(text=text, invalid_markers=invalid)
    claims = [is_claim(s) for s in sentences]
    for i, sentence in enumerate(sentences):
        if not claims[i]:
            continue
        options = [cited[i]] if cited[i] else [
            cited[j] for j in (i + 1, i - 1)
            if 0 <= j < len(sentences) and cited[j] and same_paragraph(i, j)
        ]
        ns, score = [], 0.0
        claim = _analyse(sentence)
        for option in options:
            option_score = _support_by(claim, option)
            if not ns or option_score > score:
                ns, score = option, option_score
        supported = score >= SUPPORT_THRESHOLD
        check.sentence_support.append((sentence, list(ns), supported, round(score, 4)))
        if not supported:
            check.unsupported_sentences.append(sentence)

    supported_multi = {
        n for s, ns, ok, _ in check.sentence_support if ok and len(ns) > 1 for n in ns
    }
    order: list[int] = []
    for ns in cited:
        order.extend(n for n in ns if n not in order)
    for n in order:
        passage = passages[n - 1]
        choice: tuple[float, int, int, str] | None = None
        for i, sentence in enumerate(sentences):
            if n not in cited[i]:
                continue
            s, e, d = _best_window(_analyse(sentence), passage.text, extra[n - 1])
            sc = d.score if claims[i] else -1.0
            if choice is None or sc > choice[0] + 1e-9:
                choice = (sc, s, e, sentence)
        assert choice is not None
        sc, s, e, sentence = choice
        start, end, quote = _doc_span(passage, s, e, documents)
        check.citations.append(
            Citation(
                n=n,
                doc_id=passage.doc_id,
                title=passage.title,
                source=passage.source,
                published=passage.published,
                url=passage.url,
                path=passage.path,
                page=passage.page,
                start=start,
                end=end,
                quote=quote,
                supported=sc >= SUPPORT_THRESHOLD or n in supported_multi,
                sentence=sentence,
            )
        )
    return check


# --------------------------------------------------------------------------------------------
# Repairing the small model's citation habits before the check

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
