"""Evidence at a fixed token budget: the best sentences of many retrieved chunks, each with a
neighbour for context, instead of a few whole chunks.

Why: a 200-token chunk usually holds one sentence that matters, and four whole chunks fill a
0.5B model's useful context with the rest. Scoring sentences lets more distinct articles into the
same prompt, and gives the grounding step the sentence to quote.

A sentence's score adds:
- ``lexical``: the idf-weighted share of the question's content words (stemmed; ``text``) the
  sentence contains, its neighbours' counting half; idf is counted over the candidate sentences;
  an acronym of the question ("JSA") is contained by a sentence that spells out a name with
  those initials ("Joint Security Area") when a candidate does so (``_spell_out``); a follow-up's
  topic words from earlier turns (``context``) weigh together at most ``CONTEXT_WEIGHT`` of the
  question's own; a word with a negative prefix holds the question's word ("unarmed" for "armed");
- ``rank``: the chunk's place in the fused retrieval ranking (``W_RANK``);
- ``type``: ``TYPE_BONUS`` when the sentence holds the kind of thing the question asks for (a
  number for "how many", a date for "when", a part of the day for "what time", a name for
  "who/which", an attribution for "which newspaper"), ``CAUSAL_BONUS`` for a cause when the
  question asks "why", ``BODY_BONUS`` for a part of the body when it asks "where was he shot?",
  ``LEAD_BONUS`` for an article's first statement when it asks "what happened", ``SAID_BONUS``
  for a sentence an earlier answer of the chat quoted when a follow-up cannot stand alone
  (``said``);
- ``dense``: the cosine between question and sentence. Only the ``EMBEDDED`` best sentences by
  the other signals are embedded (embedding every candidate cost seconds a question on two
  cores); the rest use their chunk's cosine less ``CHUNK_DISCOUNT``.
Sentences under six words (headlines, bylines, datelines), questions and subheading lines
(``not_a_statement``) score 0.3 of that, a headline that opens the article text is cut off the
sentence it runs into, and each further sentence of an article already represented loses
``SAME_ARTICLE``, so the evidence spans more articles.

A selected sentence is read with its better-scoring neighbour, except one that opens by referring
back ("The first is ...", "He said ..."): it brings the sentence before it, from the article when
the retrieved chunk cut that off, and the one before that when it refers back too. On realtimeqa-dev
(150 questions) this read the gold answer for 49 questions instead of 48.

Selected sentences of one document that touch or overlap merge into one contiguous span, so every
evidence passage is an exact ``document.text[start:end]`` slice and citations resolve to it.

Measured (realtimeqa-dev-small, 60 open questions, gold answer inside the text the model reads):
0.333 for 900 tokens of evidence from 24 chunks against 0.350 for the four best whole chunks at
the same size; 0.317 without the per-article discount. The gain is in what the model reads
(shorter, more articles, each sentence citable), not in recall. Twelve single sentences without
neighbours read more (0.350 against 0.317 in a full open run) but answered no better (0.250
contains either way) and lost a sample-archive answer whose fact sits next to the best sentence.

Limits: sentences come from the shared rule-based splitter (``sentences``); the idf of a small candidate pool is
noisy; the weights were set on the realtimeqa dev sets (news quiz questions) and the answer-type
patterns are English.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Callable, Sequence

import numpy as np

from .metrics import answer_in_text
from .sentences import split_sentences
from .text import content_terms, term
from .types import Document, Passage

# Weights of the three signals (dense, lexical, rank), measured on realtimeqa-dev-small.
W_DENSE, W_LEXICAL, W_RANK = 1.0, 1.0, 0.3
MIN_WORDS = 6
# The most a follow-up's topic words from earlier turns weigh, all together, against the
# question's own words ("Joint Security Area November" against "shot" in "Where was he shot?").
CONTEXT_WEIGHT = 0.5
# Sentences embedded per question (the rest keep their chunk's cosine), and what a sentence's
# own cosine is assumed to lose against its chunk's when it is not embedded. Embedding is most
# of a question's retrieval time on two cores (48 sentences: ~1.2 s). 24 read the gold answer as
# often on realtimeqa-dev-small (0.350 vs 0.317 of 60 questions) but lost 2 of the 16 sample-archive
# answers (the right sentence was not among the 24 embedded), so 48 stays.
EMBEDDED = 48
CHUNK_DISCOUNT = 0.1
SAME_ARTICLE = 0.15
# A sentence that opens by pointing back needs the one before it to be understood.
REFERS_BACK = re.compile(r"^\W*(?:(?:joining|among|with|alongside|besides|like|unlike|behind|beside)\s+"
                         r"(?:them|him|her|it)\b|"
                         r"he|she|they|it|its|his|her|their|this|that|these|those|such|both|"
                         r"the (?:first|second|third|former|latter|other|others|same)|"
                         r"(?:another|a second|a third) (?:reason|factor|pressure|cause))\b", re.I)


@dataclass
class Sentence:
    passage: Passage  # the retrieved chunk it came from
    rank: int  # the chunk's rank in retrieval (0 = best)
    start: int  # offsets into passage.text
    end: int
    text: str
    terms: set[str]
    score: float = 0.0
    dense: float = 0.0
    lexical: float = 0.0
    embedded: bool = False  # ``dense`` is the sentence's own cosine, not its chunk's

    @property
    def doc_start(self) -> int:
        return self.passage.start + self.start

    @property
    def doc_end(self) -> int:
        return self.passage.start + self.end


def split_candidates(passages: Sequence[Passage]) -> list[list[Sentence]]:
    """Sentences of each retrieved passage, in text order; a headline that opens the article text
    (txt and pdf files often repeat it) is cut off the sentence it runs into."""
    out = []
    seen: set[tuple[str, int]] = set()  # overlapping chunks repeat sentences
    for rank, p in enumerate(passages):
        sentences = []
        for a, b in split_sentences(p.text):
            a = _after_headline(p, a, b)
            if a < b and (p.doc_id, p.start + a) not in seen:
                seen.add((p.doc_id, p.start + a))
                text = p.text[a:b]
                sentences.append(Sentence(p, rank, a, b, text, content_terms(text)))
        out.append(sentences)
    return out


def _after_headline(p: Passage, a: int, b: int) -> int:
    """``a`` moved past the passage's title when the sentence starts with it."""
    title = " ".join((p.title or "").split()).lower()
    if not title:
        return a
    text = p.text[a:b]
    i, j = 0, 0
    while i < len(text) and text[i] in "# \t":
        i += 1
    # Walk the title against the text, treating any run of whitespace as one space.
    while i < len(text) and j < len(title):
        if text[i].isspace() and title[j] == " ":
            while i < len(text) and text[i].isspace():
                i += 1
            j += 1
        elif text[i].lower() == title[j]:
            i, j = i + 1, j + 1
        else:
            return a
    if j < len(title):
        return a
    while i < len(text) and text[i].isspace():
        i += 1
    return a + i


# What kind of sentence answers which kind of question: a sentence with the expected kind of
# content gains ``TYPE_BONUS``. Classic answer-type matching, coarse on purpose.
TYPE_BONUS = 0.3
# A reason outweighs the rest for a "why" question: in one story every sentence shares its words
# ("why are North Korean soldiers defecting?" matches each report of a defection in full), so
# only the kind of sentence can single out the one that gives the reason ("The first is North
# Korea's economic situation ..."), which at 0.3 ranked sixth of the sample archive's sentences.
CAUSAL_BONUS = 0.7
_CAUSAL = re.compile(r"\b(because|due to|reasons?|pressures?|push(?:es|ed)?|driven|blam\w*|caus\w*|motivat\w*|amid|fears?|"
                     r"so that|in order to|result of|led to|hardship|seeking|escape|economic|protest\w*|in response)\b", re.I)


def causal(text: str) -> bool:
    """Whether ``text`` gives a reason ("because", "due to", "amid", ...)."""
    return bool(_CAUSAL.search(text))


_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|"
                     r"thousands?|millions?|billions?|first|second|third|fourth|fifth)\b", re.I)
_WHEN = re.compile(r"\b(\d{4}|january|february|march|april|may|june|july|august|september|october|november|december|"
                   r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|ago)\b", re.I)
# "What time (of day) did it happen?" asks for a part of the day or a clock time, not a date.
_TIME_OF_DAY = re.compile(r"\b(?:morning|afternoon|evening|night|overnight|noon|midday|midnight|dawn|dusk|daybreak|"
                          r"o'clock|\d{1,2}(?::\d\d)?\s*(?:a\.?m|p\.?m)\b\.?)", re.I)
# "What happened ...?" is what a news article's lead states (its first sentence, in the inverted
# pyramid): the lead of each retrieved article gains ``LEAD_BONUS``. Without it the sample
# archive's "what happened at the JSA in November?" was answered from a sentence on how unusual
# shooting there is; with it, from "A North Korean soldier defected ... at the Joint Security Area".
LEAD_BONUS = 0.3
# A follow-up that cannot stand alone ("When?", "Did he survive?") is about the story the chat's
# earlier answers quoted: a sentence they quoted gains ``SAID_BONUS`` over other reports that
# share the topic's words (the December warning shots, not the November shooting, for "When?"
# after "Why were they fired?").
SAID_BONUS = 0.5
_HAPPENED = re.compile(r"\bwhat (?:happened|happens|has happened|is happening)\b", re.I)
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")
# "Which newspaper reported ...?": the outlet that carried the article (its header), or the one a
# report attributes the fact to ("According to the Korea JoongAng Daily, ...").
OUTLET_QUESTION = re.compile(r"\b(?:newspapers?|outlets?|publications?|magazines?|papers?|broadcasters?|websites?|"
                             r"news (?:agency|agencies|site|organi[sz]ations?|channel))\b", re.I)
ATTRIBUTION = re.compile(r"\b(?:according to|(?:reported|quoted|cited) by|citing)\b", re.I)


# "Where was he shot?" asks where on the body as often as where on the map: a sentence naming a
# body part gains ``BODY_BONUS`` over the place names every report of the incident repeats. "What
# injuries did he have?" and "How did he get hurt?" are answered by the same sentences. Not "How
# badly was he hurt?": asked of the passage that names the wounds, the model answered "The
# soldier was injured by South Korean troops", from the sentence after them ("found wounded by
# South Korean troops").
_WOUNDED = re.compile(r"^\W*(?:and\s+)?(?:where\s+(?:was|were|is|are|did|had|has|have)\b[^,;?]{0,60}?\b"
                      # The wound is the verb, not a word about the one asked of ("Where was the wounded
                      # soldier flown?" asks where he was taken).
                      r"(?:shot|wounded|injured|stabbed|hurt|bitten|hit|struck)\b"
                      r"(?=\s*[?.!]*\s*$|\s+(?:in|on|at|by|during|when|while|after|as|before)\b)"
                      r"|(?:what|which)\s+(?:kinds?\s+of\s+)?(?:injur(?:y|ies)|wounds?)\b"
                      r"|how\s+(?:did|was|were)\b[^,;?]{0,60}?\b(?:get\s+)?(?:hurt|injured|wounded)\b)", re.I)
# Parts that are also everyday words ("back", "face", "arms", "on foot") count only after "in the".
_BODY = re.compile(r"\b(?:shoulders?|elbows?|wrists?|fingers?|neck|throat|chest|stomach|abdomen|torso|hips?|groin|"
                   r"legs?|thighs?|knees?|ankles?|toes?|lungs?|liver|spine|skull|jaw|buttocks?)\b|"
                   r"\bin (?:the|his|her|their|both) (?:\w+ )?(?:head|face|eyes?|ears?|arms?|hands?|back|feet|foot)\b", re.I)
BODY_BONUS = 0.7
_PART = (r"(?:shoulders?|elbows?|wrists?|fingers?|neck|throat|chest|stomach|abdomen|torso|hips?|groin|legs?|"
         r"thighs?|knees?|ankles?|toes?|lungs?|liver|spine|skull|jaw|buttocks?|head|face|eyes?|ears?|arms?|hands?|"
         r"back|feet|foot)")
_WHERE_ON_BODY = re.compile(r"\b(?:in|on|to)\s+(?:the|his|her|their|both)\s+(?:[a-z]+\s+)?" + _PART
                            + r"(?:(?:\s*,\s*|\s+and\s+|\s+or\s+)(?:(?:in|on|to)\s+)?(?:(?:the|his|her|their|both)\s+)?"
                            r"(?:[a-z]+\s+)?" + _PART + r")*\b", re.I)


def where_on_body(sentence: str) -> str | None:
    """The wound's place a sentence names ("in the shoulder and the elbow" of "... had been shot
    in the shoulder and the elbow as ..."), or None: the answer to "Where was he shot / hit?" when
    the model, reading that sentence, named the town instead. Limits: English prepositional
    phrases only ("his left arm was broken" names none)."""
    m = _WHERE_ON_BODY.search(sentence)
    return m.group(0) if m else None


def asks_where_hurt(question: str) -> bool:
    """"Where was he shot / wounded / injured?", "What injuries did he have?": the answer is a
    phrase ("in the shoulder and the elbow") that the evidence ranking finds by ``_BODY`` more
    reliably than the model does among the place names of every report."""
    return bool(_WOUNDED.search(question))


# A reason asked for in other words than "why": "What prompted ...?", "What reason did she give
# ...?", "For what purpose ...?", "What was the aim of ...?", "How come ...?".
_REASON_QUESTION = re.compile(
    r"^\W*(?:and\s+)?(?:why|how\s+come)\b|\bfor\s+what\s+(?:purpose|reasons?)\b|\bwhat\s+(?:reasons?|motives?)\b"
    r"|\bwhat\s+(?:prompted|caused|led|drove|motivated|sparked|triggered|spurred)\b"
    r"|^\W*what\b.*?\b(?:was|were|is|are)\s+the\s+(?:\w+\s+)?(?:reasons?|purpose|aim|goal|motive|motivation|cause)\b",
    re.I)


def asks_reason(question: str) -> bool:
    """Whether the question asks why, in any of the usual wordings. Limits: English."""
    return bool(_REASON_QUESTION.search(question))


def answer_type(question: str) -> re.Pattern | None:
    q = question.lower()
    if OUTLET_QUESTION.search(q):
        return ATTRIBUTION
    if asks_where_hurt(q):
        return _BODY
    if re.search(r"\bwhy\b|\breasons?\b", q) or asks_reason(q):
        return _CAUSAL
    if re.search(r"\bhow (?:many|much|old|long|far|big|large)\b|\bwhat (?:percentage|share|number|amount)\b", q):
        return _NUMBER
    if re.search(r"\bwhat time\b|\btime of (?:the )?day\b|\bat what hour\b", q):
        return _TIME_OF_DAY
    if re.search(r"\bwhen\b|\bwhat (?:year|date|day|month)\b", q):
        return _WHEN
    if re.search(r"^\s*(?:who|which (?:company|country|city|team|person|leader|state|organi[sz]ation)|where)\b", q):
        return _NAME
    return None


def score_sentences(question: str, groups: list[list[Sentence]], encode: Callable[[list[str]], np.ndarray],
                    context: str = "", said: Sequence[str] = ()) -> None:
    """Fill ``dense``, ``lexical`` and ``score`` of every sentence in ``groups``.

    Every sentence is first scored without the embedder (lexical, type, chunk rank, and its
    chunk's cosine in place of its own); only the best ``EMBEDDED`` are then embedded and rescored
    with their own cosine. Embedding every candidate sentence cost seconds a question on two cores.
    """
    flat = [s for g in groups for s in g]
    if not flat:
        return
    own_terms = content_terms(question)
    # A follow-up's topic words from earlier turns ("Joint Security Area November" for "Where was
    # he shot?") find the story; the question's own words say what is asked about it.
    q_terms = own_terms | content_terms(context)
    spelled = _spell_out(f"{question} {context}", q_terms, flat)
    _negative_forms(q_terms, flat)
    df: dict[str, int] = {}
    for s in flat:
        for t in s.terms & q_terms:
            df[t] = df.get(t, 0) + 1
    idf = {t: math.log(1 + len(flat) / (1 + df.get(t, 0))) for t in q_terms}
    own_total = sum(idf[t] for t in own_terms)
    ctx_total = sum(idf[t] for t in q_terms - own_terms)
    if own_total and ctx_total:
        # Topic words weigh at most ``CONTEXT_WEIGHT`` of the question's own, however many.
        scale = min(1.0, CONTEXT_WEIGHT * own_total / ctx_total)
        idf = {t: w if t in own_terms else w * scale for t, w in idf.items()}
    total = sum(idf.values()) or 1.0
    n_ranks = max(s.rank for s in flat) + 1
    wanted = answer_type(question)
    leads = {id(s) for s in _leads(groups)} if _HAPPENED.search(question) else set()
    quoted = [" ".join(x.split()) for x in said]
    base: dict[int, float] = {}
    for g in groups:
        for i, s in enumerate(g):
            # The neighbours' words count at half weight: the answer often sits one sentence away
            # from the words of the question.
            near = set().union(*(x.terms for x in g[max(i - 1, 0) : i + 2] if x is not s))
            own = sum(idf[t] for t in s.terms & q_terms)
            side = sum(idf[t] for t in (near - s.terms) & q_terms)
            s.lexical = min((own + 0.5 * side) / total, 1.0)
            typed = 0.0
            if wanted is not None and wanted.search(s.text):
                typed = CAUSAL_BONUS if wanted is _CAUSAL else BODY_BONUS if wanted is _BODY else TYPE_BONUS
            if id(s) in leads:
                typed += LEAD_BONUS
            if quoted and _quoted(s.text, quoted):
                typed += SAID_BONUS
            base[id(s)] = W_LEXICAL * s.lexical + W_RANK * (1 - s.rank / n_ranks) + typed
            s.dense = float(s.passage.dense_score or 0.0) - CHUNK_DISCOUNT
            s.score = _final(s, base[id(s)])
    best = sorted(flat, key=lambda s: -s.score)[:EMBEDDED]
    # The embedder reads the name the acronym stands for: "What is the JSA?" alone was closer to
    # no sentence than the relevance gate asks.
    asked = f"{question} {context}".strip()
    for acronym, name in spelled.items():
        asked = re.sub(rf"\b{acronym}\b", f"{acronym} ({name})", asked)
    vectors = encode([asked] + [s.text for s in best])
    for s, sim in zip(best, vectors[1:] @ vectors[0]):
        s.dense = float(sim)
        s.score = _final(s, base[id(s)])
        s.embedded = True


# An acronym of the question ("JSA") and the name it stands for in the candidates ("Joint Security
# Area"): capitalised words, with "of", "and", "for", "the", "on" or "&" between them left out of
# the initials.
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
_SPELLED = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|and|for|the|on|&)\s+)*[A-Z][\w'’-]*)+")


def _spell_out(question: str, q_terms: set[str], sentences: list[Sentence]) -> dict[str, str]:
    """Give each sentence that spells out an acronym of the question the acronym's term as well,
    so "Why is shooting at the JSA unusual?" matches "The Joint Security Area ... shooting there
    is especially unusual." by its words. Only names written out in the candidates themselves
    count (no list of known acronyms), and only with initials exactly the acronym's letters.
    Returns each acronym that no candidate writes with the name it was found to stand for
    ("JSA": "Joint Security Area", its capitalised words: "District Columbia" for "DC")."""
    acronyms = {a for a in set(_ACRONYM.findall(question)) if term(a.lower()) in q_terms}
    if not acronyms:
        return {}
    expansions: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for s in sentences:
        for m in _SPELLED.finditer(s.text):
            parts = [w for w in m.group().split() if w[0].isupper()]
            for i in range(len(parts)):
                for j in range(i + 2, len(parts) + 1):
                    initials = "".join(w[0] for w in parts[i:j])
                    if initials in acronyms:
                        expansions.setdefault(term(initials.lower()), content_terms(" ".join(parts[i:j])))
                        if parts[i].lower() != "the":
                            names.setdefault(initials, " ".join(parts[i:j]))
    written = set()
    for s in sentences:
        written |= acronyms & set(_ACRONYM.findall(s.text))
        for acronym, spelled in expansions.items():
            if spelled and spelled <= s.terms:
                s.terms = s.terms | {acronym}
    # Only for an acronym no candidate writes: where the articles write "NFL", the question's
    # "NFL" finds them, and the spelled-out name only moved which sentences the embedder preferred.
    return {a: n for a, n in names.items() if a not in written}


def _quoted(text: str, quoted: list[str]) -> bool:
    flat = " ".join(text.split())
    return len(flat.split()) >= MIN_WORDS and any(flat in q for q in quoted)


_NEGATIVE = re.compile(r"\b(?:un|non-?)([a-z]{3,})\b", re.I)


def _negative_forms(q_terms: set[str], sentences: list[Sentence]) -> None:
    """Give a sentence the term of a question word it holds with a negative prefix: "Was he
    armed?" is answered by "He was unarmed", which shared no word with it."""
    for s in sentences:
        found = {t for m in _NEGATIVE.finditer(s.text) if (t := term(m.group(1).lower())) in q_terms}
        if found:
            s.terms = s.terms | found


def _leads(groups: list[list[Sentence]]) -> list[Sentence]:
    """The first statement (no headline, dateline or subheading line) of each retrieved chunk
    that opens its article."""
    out = []
    for g in groups:
        if g and g[0].passage.start == 0:
            lead = next((s for s in g if not not_a_statement(s.passage.text, s.start, s.end)), None)
            if lead is not None:
                out.append(lead)
    return out


def _final(s: Sentence, base: float) -> float:
    return (W_DENSE * s.dense + base) * (0.3 if not_a_statement(s.passage.text, s.start, s.end) else 1.0)


# Words a line of its own without final punctuation may have to be read as a heading.
HEADING_WORDS = 12


# A line about the page rather than the news: "This page summarizes news on Erin for Tuesday,
# Aug. 19.", "For the latest news on Hurricane Erin, visit USA TODAY's coverage ...".
_PAGE_FURNITURE = re.compile(
    r"^\W*(?:editor['’]s note\s*:\s*)?(?:this (?:page|story|article|post|live blog|blog|report)\s+"
    r"(?:summari[sz]es|reflects|has been|was|is|will be|contains|includes)\b|for (?:the )?(?:latest|more|live) (?:news|updates|coverage)\b|(?:sign up|subscribe|click here|"
    r"read more|follow (?:along|our live|live updates)|download (?:the|our) app|get the latest|watch the video)\b)", re.I)
# A label a page puts before its summary ("AI-assisted summary Hurricane Erin, a Category 4 ..."):
# not part of the sentence.
SUMMARY_LABEL = re.compile(r"\s*(?:AI-(?:assisted|generated) summary|Key points|Story highlights|Highlights|"
                           r"Summary)\s*:?\s+(?=[A-Z0-9\"“‘'])")


def about_the_page(context: str, start: int, end: int) -> bool:
    """Whether the sentence ``context[start:end]`` is about the page rather than the news ("This
    page summarizes news on Erin for Tuesday, Aug. 19.", "Editor's Note: This page is a summary
    of news on Texas floods for Friday, July 11.", "For the latest news on Hurricane Erin,
    visit ..."): no article's lead, and no support for an answer. Evidence scoring leaves such
    lines as they are: weighing them down as headlines are (three "Editor's Note" lines took
    three of the eight passages read for "How many people died in the Texas floods in July?")
    changed which passages other questions read, for one more right answer on natural-dev4 but
    one fewer on dev, a wrong answer on dev-small and one on the unanswerable set (an earlier
    try had also turned a dev-small refusal into a wrong answer)."""
    return bool(_PAGE_FURNITURE.match(context[start:end].strip()))


def not_a_statement(context: str, start: int, end: int) -> bool:
    """Whether the sentence ``context[start:end]`` is a headline, byline or dateline (under
    ``MIN_WORDS`` words), a question ("Why did Trump drop Isaacman?", an article's subheading or
    a rhetorical one) or a subheading line without final punctuation ("What led to Red Bull team
    principal's exit"): such lines share the question's words but state nothing. A sentence cut
    off at the chunk's end is not a line of its own."""
    text = context[start:end].strip()
    n = len(text.split())
    if text.rstrip("\"'”’)»").endswith("?"):
        return True
    if n < MIN_WORDS and not (n >= 3 and text[-1] in ".!" and re.match(r"[ \t]+\S", context[end:end + 2])):
        # A short sentence that runs on into the next on its line ("Analysts point to two
        # pressures. The first is ...") is reporting; a short line of its own is a byline or
        # dateline.
        return True
    whole_line = (start == 0 or context[start - 1] == "\n") and context[end:end + 1] == "\n"
    return whole_line and n <= HEADING_WORDS and text[-1] not in ".!\"'”’)»:;"


@dataclass
class Evidence:
    passages: list[Passage]  # contiguous document spans, best first
    sentences: list[Sentence]  # every scored candidate sentence, best first


def select(question: str, candidates: Sequence[Passage], encode: Callable[[list[str]], np.ndarray],
           document: Callable[[str], Document], fits: Callable[[list[Passage]], bool],
           max_passages: int = 12, context: str = "", said: Sequence[str] = ()) -> Evidence:
    """The best sentences (each with its better neighbour) as passages, while ``fits`` accepts them.

    ``document(doc_id)`` gives the article the spans are cut from; ``fits(passages)``
    says whether a prompt with these passages stays within the token budget. Spans are added best
    first and skipped (not cut) when they would not fit.
    """
    groups = split_candidates(candidates)
    score_sentences(question, groups, encode, context, said)
    ranked = sorted((s for g in groups for s in g), key=lambda s: -s.score)
    where = {id(s): (gi, si) for gi, g in enumerate(groups) for si, s in enumerate(g)}
    spans: list[tuple[Passage, int, int, float]] = []  # (source chunk, doc start, doc end, best score)
    ranked = _diversify(ranked)
    for s in ranked:
        if len(spans) >= max_passages or s.score <= 0:
            break
        gi, si = where[id(s)]
        g = groups[gi]
        prev = g[si - 1] if si > 0 else None
        nxt = g[si + 1] if si + 1 < len(g) else None
        start, end = s.doc_start, s.doc_end
        if REFERS_BACK.match(s.text):
            # "The second is ...", "He said ...": the sentence before holds what it refers to.
            start = _referent_start(document(s.passage.doc_id), s.doc_start)
        else:
            # The previous sentence when it scores close to the next: it holds the antecedents.
            pick = prev if nxt is None or (prev is not None and prev.score >= nxt.score - 0.05) else nxt
            if pick is not None:
                start, end = min(start, pick.doc_start), max(end, pick.doc_end)
        trial = _merge_span(spans, s.passage, start, end, s.score)
        if fits([_as_passage(document, *x) for x in trial]):
            spans = trial
    return Evidence([_as_passage(document, *x) for x in spans], ranked)


def _referent_start(doc: Document, start: int) -> int:
    """Where the sentence before document offset ``start`` begins (the retrieved chunk may have
    cut it off), or the one before that when it refers back too ("The first is ..." after
    "Analysts point to two pressures.")."""
    low = max(0, start - 600)
    spans = split_sentences(doc.text[low:start])
    # The window's first span may be a cut sentence: taken only when the window is the text's start.
    whole = spans if low == 0 else spans[1:]
    if not whole:
        return start
    a, b = whole[-1]
    if len(whole) > 1 and REFERS_BACK.match(doc.text[low + a:low + b]):
        a = whole[-2][0]
    return low + a


def _diversify(ranked: list[Sentence]) -> list[Sentence]:
    """Rank order with each further sentence of an already represented article discounted by
    ``SAME_ARTICLE``: a second sentence must beat the best of another article by a margin, so
    the evidence spans more articles (one article restating the question filled it otherwise)."""
    seen: dict[str, int] = {}
    keyed = []
    for s in ranked:
        n = seen.get(s.passage.doc_id, 0)
        seen[s.passage.doc_id] = n + 1
        keyed.append((s.score - SAME_ARTICLE * n, s))
    return [s for _, s in sorted(keyed, key=lambda x: -x[0])]


def _merge_span(spans: list[tuple[Passage, int, int, float]], p: Passage, start: int, end: int, score: float):
    """``spans`` with ``[start, end)`` of ``p``'s document added, merged into a span of the same
    document that it overlaps or touches (a gap of whitespace counts as touching)."""
    out = list(spans)
    for i, (q, a, b, sc) in enumerate(out):
        if q.doc_id == p.doc_id and start <= b + 3 and a <= end + 3:
            out[i] = (q, min(a, start), max(b, end), max(sc, score))
            return out
    out.append((p, start, end, score))
    return out


def _as_passage(document: Callable[[str], Document], p: Passage, start: int, end: int, score: float) -> Passage:
    doc = document(p.doc_id)
    return replace(p, text=doc.text[start:end], start=start, end=end, score=score, page=doc.page_at(start))


def whole_chunks(candidates: Sequence[Passage], fits: Callable[[list[Passage]], bool],
                 max_passages: int = 4) -> Evidence:
    """The best retrieved chunks, whole, in rank order while ``fits`` accepts them.

    Multiple choice reads these instead of sentences: scoring option letters needs the context
    around each option's mention, and on realtimeqa-dev-small four whole chunks scored 0.550
    against 0.483 for the sentence evidence at the same budget."""
    chosen: list[Passage] = []
    for p in candidates:
        if len(chosen) >= max_passages:
            break
        if fits(chosen + [p]):
            chosen.append(p)
    return Evidence(chosen, [])


def option_support(question: str, options: Sequence[str], passages: Sequence[Passage]) -> list[float]:
    """For each multiple-choice option, how well the passages state it as the answer: the
    idf-weighted share of the question's content words in the best passage sentence that names
    the option (whole words, case and punctuation ignored, as the ``contains`` metric compares,
    but a number kept whole: "9" is not in "9,000"), 0 when no sentence names it. idf is counted
    over the passages' sentences, so the question's rare words ("9,000", "Taliban") outweigh its
    common ones ("company", "country").

    Why: the 0.5B model's letter probabilities, averaged over option orders, are nearly flat
    (0.22-0.30 on most realtimeqa-dev questions) and follow the option the passages mention most
    as often as the one they state. Limits: an option the passages word differently ("the moa"
    for "Giant moa", "Washington" for "the US") is not found; a sentence that lists several
    options supports each of them alike. A question that asks for the option the passages do not
    state ("Which of these is not ...?", ``ODD_ONE_OUT``) gets no support for any.
    """
    terms = content_terms(question)
    sentences = [p.text[a:b] for p in passages for a, b in split_sentences(p.text)]
    if not terms or not sentences or ODD_ONE_OUT.search(question):
        return [0.0] * len(options)
    held = [content_terms(s) for s in sentences]
    n = len(sentences) + 1
    idf = {t: math.log(1 + n / (1 + sum(t in h for h in held))) for t in terms}
    support = []
    for option in options:
        # An option that repeats the question's word ("Judges" for "a former judge says") is
        # named by every sentence on the topic: only the question's other words count for it.
        own = terms - content_terms(option)
        total = sum(idf[t] for t in own)
        shares = [sum(idf[t] for t in own & h) / total
                  for s, h in zip(sentences, held) if total and option.strip() and _names(option, s)]
        support.append(max(shares, default=0.0))
    return support


# "Which of these is not among ...?": the passages state the other options, not the answer.
ODD_ONE_OUT = re.compile(r"\bwhich of (?:these|the following)\b[^?]*?(?:\bnot\b|n't\b|\bnever\b)|"
                         r"\bnot (?:among|one of|part of|included)\b|\bexcept\b", re.I)


_DIGIT_MARK = re.compile(r"(?<=\d)([,.])(?=\d)")


def _names(option: str, sentence: str) -> bool:
    keep = lambda t: _DIGIT_MARK.sub(lambda m: "c" if m.group(1) == "," else "p", t)  # noqa: E731
    return answer_in_text([keep(option)], keep(sentence))
