"""From the model's few-word reply to a checked answer: the direct answer, the passage sentence
that supports it, and whether the archive states it at all.

The model is asked for ``<answer> [n]`` (``prompts.ANSWER_INSTRUCTION``). ``parse_reply`` takes
the direct answer and the passage ids it named; ``support`` finds, among the evidence passages,
the sentence that states the direct answer (its names and numbers present, most of its content
words or of those it adds to the question; a name of stopwords and letters such as "AT&T" as
written) and is closest to the question; the shown answer is the direct answer followed by that
sentence, both cited. A direct answer that no passage sentence states is not grounded: the
pipeline refuses rather than show it. Two replies are resumed rather than checked as they are
(``resume_prefix``): one that only restates the question, and a bare "Yes"/"No". A sentence
copied from a passage in reply to a factoid question (``too_long``) is sent back to the model
once, in the same chat, for the fact alone (or a refusal). An outlet named in answer to "which
newspaper reported ...?" is grounded by the passage header, since a report never names the paper
it appears in; "Who said ...?" is answered with the speaker of the sentence that says it
(``attributed_speaker``), "Who <did> ...?" with the doer of that verb in the best evidence
sentence (``attributed_agent``). A reply of several sentences is narrowed to the one closest to
the question (``closest_sentence``); a negated reply ("he was not armed") needs a negation in
its sentence ("unarmed" counts); a sentence that points back ("The second is ...") is as close
to the question as the one it points to. A yes/no reply's stance is made to agree with its
clause (``settle_stance``: "No, he survived" → "Yes, he survived"; only a short restatement is a
yes), an answer of yes is never stated by a sentence that denies ("No South Korean soldiers
returned fire") or has someone else do it (``done_by_another``), and a question an evidence
sentence denies in its own words is answered "No" from it (``denied``), one it asserts in its
words and their order "Yes" (``affirmed``); where the sentence says "he" for who the question
names, a sentence negating the question's word ("unarmed") or stating its participle in an
article whose title and text before it name the rest answers too (``denied_of_subject``,
``affirmed_of_subject``); a negated reply needs its own word denied. An ISO
date in a reply is checked and shown as a passage writes that day (``dates_as_written``), and a
reply to "who <did> ...?" is not stated by a sentence where it is the one the deed was done to
(``acted_on``). The day or year of a written date states no "how many / how far" number ("13"
from "SEOUL, 13 November 2017"), a date answers no "who" or "what time", and a death, injury or
arrest count is a number next to a word of that toll (``_toll_stated``), any other "how many"
number one just before a word of what is counted (``counted_nouns``), and a "how long / how far"
number has its unit. A sentence answers a yes/no question as it is. Where the model fails, the
best evidence sentences answer by themselves: the measure for "how far / how long"
(``measured``), the date of the sentence naming the event for "when" (``dated``), the place for
"where" (``placed``), the words after the question's verb and its last preposition for "what was
he treated for?" (``stranded``), and for "What do <subject> <verb>?" the words after the verb
when the reply only named the subject (``object_instead``). A sentence copied in reply to "who
<did> ...?" gives its doer (``doer_in_reply``), a copied headline "<Name> is <the question
restated>" its name (``named_subject``); a why-reply that only gives the event again is replaced
by its quote (``restates_why``), and one that gives no reason by its article's sentence saying
the reason is not known (``reason_unknown``). "What is <the thing> called?" is answered by the
name a top sentence gives the thing (``named_as``). A reply of another kind than the "which
<kind>" asked for (an institution for a town, a titled person for a group, "the hospital" for
which one: ``wrong_kind``), with another office's title (``other_office``), a month with no day
("May 215-214": ``garbled_date``) or from a sentence that says nothing of "the most" asked for
(``superlative_unstated``) is sent back; a reply restating the question around one new name gives
that name (``embedded_name``).

Limits: word overlap after stemming, so a correct paraphrase ("fourth" for "4th", "the economy"
for "economic hardship") can fail the check and be refused; a wrong answer that names a word of
the right sentence passes; when several outlets in the evidence report the subject, any of them
named passes the outlet check (the support gate still weighs its sentence). Datelines ("SEOUL,
13 Nov -") are cut from quoted sentences, and their place states no answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Callable, Sequence

from .dates import WEAK_SOURCES
from .evidence import (ATTRIBUTION, OUTLET_QUESTION, REFERS_BACK, SUMMARY_LABEL, about_the_page, answer_type, asks_reason,
                       causal, not_a_statement)
from .markers import parse_markers, strip_markers
from .names import question_names, unmentioned
from .prompts import after_control, has_control
from .sentences import split_sentences
from .text import ORDINALS, PARTICIPLE, STOPWORDS, content_terms, term, words
from .timeframe import relative_day
from .types import Passage

_LEAD = re.compile(r"^\s*(?:answer|short answer|final answer)\s*[:\-]\s*", re.I)
_DATELINE = re.compile(r"^[A-Z][A-Z .'’/-]{2,40}(?:,\s*[A-Z][A-Za-z .]{1,30})?"
                       r"(?:,\s*(?:\d{1,2}\s+\w+\s+\d{4}|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?))?(?:,?\s*\(\w+\))?\s*[-–—]+\s*")
# A short line of its own before the sentence ("Analysis - Sample Review, 22 December 2017"): a
# kicker, byline or dateline that the sentence splitter left attached. At most eight words and
# a capital after it, so a hard-wrapped line of running text (some .txt exports) stays.
_HEADER_LINE = re.compile(r"^(?:[^\s.!?]+[ \t]+){0,7}[^\s.!?]+[ \t]*\n\s*(?=[A-Z\"“‘'])")
_PRONOUN_START = re.compile(r"^(he|she|they|it|this|that|these|those|his|her|their|its)\b", re.I)
# "No" is a stance word when punctuation, a pronoun or an article follows it, or nothing; before
# a noun it is a determiner that denies: "No deal" for "Did they reach a deal?", read as "No" +
# "deal", became "Yes, deal".
_STANCE_NEXT = r"(?:he|she|it|they|we|i|you|there|the|a|an|this|that|not)\b"
_YES_NO = re.compile(rf"^\s*(?:yes\b|no\b(?![ \t]+(?!{_STANCE_NEXT})[a-z]))[\s,.;:!-]*", re.I)
MAX_DIRECT_WORDS = 30
# Words a sentence needs to be preferred as the quote for stating the reply by itself.
QUOTE_MIN_WORDS = 6
# Share of the direct answer's content words a sentence (with its neighbours) must contain.
MIN_COVERAGE = 0.6
# Evidence score by which a sentence that states the reply by itself must be closer to the
# question than the one stating most of it, to be the support instead (``support``). No
# realtimeqa dev, dev-small or unanswerable answer changes with it; the sample archive's "when
# did the fog crossing happen?" is answered instead of refused.
CLOSEST_MARGIN = 0.2


@dataclass
class Reply:
    direct: str  # the answer in a few words, without markers
    cited: list[int]  # passage numbers the model named, in order


def parse_reply(raw: str) -> Reply:
    """``"Dalai Lama [2]"`` -> ``Reply("Dalai Lama", [2])``. Only the first line counts: the
    model is asked for one, and anything after it is a habit of chatty models."""
    text = raw.strip()
    first = next((line for line in text.splitlines() if strip_markers(line).strip()), "")
    cited = [n for m in parse_markers(first) for n in m.numbers]
    direct = _LEAD.sub("", strip_markers(first))
    direct = " ".join(direct.split()).strip(" .;:,-–—\"'“”")
    return Reply(direct, list(dict.fromkeys(cited)))


def closest_sentence(reply: Reply, question: str, passages: Sequence[Passage],
                     relevance: dict[tuple[str, int], float] | None = None) -> Reply:
    """A reply of several sentences (a passage copied on past the answer) narrowed to the one
    whose stating sentence is closest to the question; the reply as it is when it has one, or
    when none of its sentences is stated alone.

    Why: checked whole, "The North Korean guards withdrew after the shots. No further exchange of
    fire was reported ..." was grounded on the sentence that states most of its words, the second,
    which does not say what happened after the shots; the first sentence is not always the
    answer either ("Six Flags ... are closing. The closing ... was not a strategic fit ...")."""
    spans = split_sentences(reply.direct)
    parts = [reply.direct[a:b].strip(" .;:,-–—\"'“”") for a, b in spans]
    if len(parts) < 2 or stance(parts[0]):
        return reply
    best: tuple[float, str] | None = None
    for part in parts:
        if len(part.split()) < 3:
            continue
        found = support(part, question, passages, reply.cited, relevance)
        if found is not None and (best is None or found.relevance > best[0]):
            best = (found.relevance, part)
    return replace(reply, direct=best[1]) if best else reply


def _numbers(text: str) -> set[str]:
    return {w for w in words(text) if w[0].isdigit()}


# A number with a unit of measure ("4 years", "20 km"): a rank ("the fourth soldier") never states
# it, though it states a count ("4", "4 soldiers").
_MEASURED = re.compile(r"(\d[\d,.]*)\s*(?:-\s*)?(?:years?|months?|weeks?|days?|hours?|minutes?|metres?|meters?|km|"
                       r"kilomet(?:re|er)s?|miles?|feet|per\s*cent|percent|%|dollars?|euros?|pounds?|tonnes?|tons?|kg)\b",
                       re.I)
_QUANTITY = (r"(?:(?:about|around|roughly|nearly|almost|only|just|some|more than|less than|up to|over|under|"
             r"several|a few|few|many|a couple of|tens of|hundreds of|thousands of|\d[\d,.]*|one|two|three|four|five|"
             r"six|seven|eight|nine|ten|a|an)\s+)*")
_DISTANCE = r"(?:metres?|meters?|kilomet(?:re|er)s?|km|miles?|feet|foot|yards?|inches|inch|centimet(?:re|er)s?|cm)"
_DURATION = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)"
# "How close do the troops stand?" asks a distance as "how far" does.
_MEASURE_ASKED = {"far": _DISTANCE, "close": _DISTANCE, "near": _DISTANCE, "long": f"(?:{_DURATION}|{_DISTANCE})"}
_MEASURE_QUESTION = re.compile(r"^\W*(?:and\s+)?how\s+(far|close|near|long)\b", re.I)
_HOW_MANY = re.compile(r"\bhow\s+many\b", re.I)
# A count in words that ``words`` does not turn into a number ("dozens", "none", "once").
_COUNT_WORDS = re.compile(r"\b(?:dozens?|scores|hundreds|thousands|millions|billions|several|few|many|none|no|"
                          r"nobody|zero|all|both|half|once|twice|thrice|single|double|triple|most|some|every)\b", re.I)
MEASURE_MIN_COVERAGE = 0.5  # share of the question's content words the measuring sentence holds


def _measure_phrase(unit: str, since: bool = False) -> re.Pattern:
    one = _QUANTITY + r"(?:\d[\d,.]*\s*(?:to|-|–|or)\s*\d[\d,.]*\s*)?" + unit
    measure = rf"\b{one}(?:\s+(?:or|to|and)\s+{one})*(?:\s+(?:apart|away|long|later|earlier|old))?\b"
    # "How long has the DMZ divided the peninsula?": "since the end of the Korean War".
    return re.compile(measure + (r"|\bsince\s+[^,;.]+" if since else ""), re.I)


_ORDINAL = re.compile(r"\b(?:" + "|".join(ORDINALS) + r"|\d+(?:st|nd|rd|th))\b", re.I)


_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# A reply that is a date and nothing else: "13 November 2017", "Monday, Nov. 13", "2017".
_DATE_ONLY = re.compile(r"^\W*(?:on\s+)?(?:[a-z]+day,?\s+)?(?:\d{1,2}\s+" + _MONTH + r"(?:,?\s+\d{4})?|" + _MONTH
                        + r"\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|" + _MONTH + r"\s+\d{4}|\d{4})\W*$", re.I)
_WHO = re.compile(r"^\W*(?:and\s+)?(?:(?:at|to|for|by|with|from|of)\s+)?(?:who|whom|whose)\b", re.I)
_WHAT_TIME = re.compile(r"\bwhat time\b|\btime of (?:the )?day\b", re.I)
_HOW_MUCH = re.compile(r"\bhow\s+(?:many|much|far|close|near|long|old|big|large|tall|high)\b", re.I)
# The day and year of a date written out ("SEOUL, 13 November 2017", "Nov. 13, 2017"): numbers
# that state no amount.
_DATE_IN_TEXT = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r"(?:,?\s+\d{4})?(?!\w)|\b" + _MONTH
                           + r"\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4}\b)?|\b" + _MONTH + r"\s+(?:of\s+)?\d{4}\b", re.I)


# A news age after a name ("Prosecutors had asked the judge to sentence Kelly, 55, to more than
# 25 years"): AP style, and no amount of anything but years of life.
_AGE_APPOSITION = re.compile(r"\b([A-Z][\w.'’-]*),\s+1?\d{1,2},(?!\d)")
_AGE_ASKED = re.compile(r"\bhow\s+old\b|\bages?\b|\baged\b", re.I)


def _amounts(sentence: str, question: str | None = None) -> set[str]:
    """The numbers of ``sentence`` outside its dates: what can state a "how many / how far" reply;
    given the ``question`` it answers, a person's age ("Kelly, 55,") only when that asks an age.

    Limits: the age after a capitalised word with a comma on both sides; a count listed so
    ("Ohio, 55, and Kentucky, 70") is read as an age too."""
    if question is not None and not _AGE_ASKED.search(question):
        sentence = _AGE_APPOSITION.sub(r"\1, ,", sentence)
    return _numbers(_DATE_IN_TEXT.sub(" ", sentence))


# What a "how many" question counts when it asks for a toll: the dead, the hurt, the arrested.
# A number of the sentence counts it only with one of the kind's words close by: "67" of "has led
# to 67 Legionnaires' disease diagnoses" is no death toll, "3" of "3 dead, 67 sickened" is.
_TOLLS = tuple(re.compile(p, re.I) for p in (
    r"\b(?:di(?:e|ed|es|ing)|dead|deaths?|kill(?:ed|s|ing)?|fatal\w*|lives|perish\w*|bodies|drown\w*)\b",
    r"\b(?:injur\w*|wound\w*|hurt|hospitali[sz]\w*)\b",
    r"\b(?:arrest\w*|detain\w*)\b",
))
TOLL_REACH = 8  # words between a number and the word that says what it counts
# "... in the storm outbreak that killed over 40 people?": a clause with its own number tells
# which event is meant; the toll it names is not what is counted.
_TOLD_BY_TOLL = re.compile(r"\b(?:that|which|who)\b[^?]*?\d[^?]*", re.I)


def _tolls_asked(question: str) -> list[re.Pattern]:
    """The kinds of toll (deaths, injuries, arrests) a "how many" question counts."""
    asked = _TOLD_BY_TOLL.sub(" ", question)
    return [t for t in _TOLLS if t.search(asked)]


_TOKEN = re.compile(r"[\w'’][\w'’,.-]*")
_BREAKS = {"and", "but", "while", "whereas", "plus"}


# "At least 290 of them were found in Irpin" after "At least 1,200 bodies of civilians have been
# discovered ...": the number counts what the sentence before counted.
_OF_THEM = re.compile(r"\s+of\s+(?:them|those|these|whom)\b", re.I)


def _toll_stated(direct: str, question: str, sentence: str, before: str = "") -> bool:
    """Whether every number of the reply to a toll question ("How many people have died?")
    counts the toll asked about in ``sentence``: it stands up to ``TOLL_REACH`` words before a
    word of that toll ("3 dead", "three people have died") or after one ("killing 12", "the death
    toll rose to 40"), with no other number between them, nor an "and" / "but" after the toll
    word ("Three people have died and 67 have been sickened" states 3 deaths, not 67).

    A number followed by "of them" ("290 of them were found") counts the toll when ``before``,
    the sentence before it, names that toll ("1,200 bodies of civilians").

    Limits: English words; a question naming two tolls ("killed or injured") accepts either."""
    asked = _tolls_asked(question)
    numbers = _numbers(direct)
    if not asked or not numbers:
        return True
    counted = set()
    if before and any(t.search(before) for t in asked):
        clean = _DATE_IN_TEXT.sub(" ", sentence)
        for m in re.finditer(r"\d[\d,.]*", clean):
            if _OF_THEM.match(clean, m.end()) and (w := words(m.group())):
                counted.add(w[0])
    raw = _TOKEN.findall(_DATE_IN_TEXT.sub(" ", sentence))
    tokens = [words(x) for x in raw]
    tolls = [i for i, x in enumerate(raw) if any(t.fullmatch(x.strip("'’,.-")) for t in asked)]
    for i, w in enumerate(tokens):
        if not w or not w[0][0].isdigit():
            continue
        for k in tolls:
            between = tokens[min(i, k) + 1: max(i, k)]
            # "27 campers and counselors died" joins nouns; "died and 67 were sickened" clauses.
            if (abs(k - i) <= TOLL_REACH
                    and not any(x and (x[0][0].isdigit() or (k < i and x[0] in _BREAKS)) for x in between)):
                counted.add(w[0])
    return numbers <= counted


# Words after "how many" that name no countable thing of their own: the toll check or the
# number's mere presence decides for them.
_UNCOUNTED = frozenset({"people", "persons", "individuals", "ones", "others", "more", "other"})
COUNT_REACH = 4  # words between a number and the noun it counts ("20 warning shots", "4th North Korean soldier")


_RANK = re.compile(r"^\s*(?:No\.|number|top)[\s-]*\d+\b", re.I)


def counted_phrase(question: str) -> str:
    """The words of a "how many" question that name what it counts, as written ("murders",
    "people watched"): what ``counted_nouns`` stems."""
    m = re.search(r"\bhow\s+many\b(.*)", question, re.I)
    said: list[str] = []
    # "How many No. 1 albums": the rank is no word of what is counted.
    counted = _RANK.sub(" ", m.group(1)) if m else ""
    for raw in re.findall(r"[^\W\d_][\w'’-]*|\d[\d,.]*", counted):
        # "US" is a name, not the pronoun.
        if (raw.lower() in STOPWORDS and not raw.isupper()) or raw[0].isdigit():
            if not said and raw.lower() == "more":
                continue
            break
        said.append(raw)
    return " ".join(said)


def counted_nouns(question: str) -> frozenset[str]:
    """What a "how many" question counts, as terms: the words after "how many" up to the first
    function word, names left out when a common word is there ({"shot", "warning"} for "How many
    warning shots were fired?", {"soldier", "defect"} for "How many North Korean soldiers
    defected?", {"time"} for "How many times was he shot?"); empty when it names nothing ("How
    many were arrested?", "How many people were there?").

    Limits: no parts of speech, so a verb that follows with no auxiliary ("defected") counts
    as a word of the thing counted; a name followed only by such a verb ("How many Democrats
    voted ...?") counts with it."""
    said = counted_phrase(question).split()
    common = [w for w in said if not w[0].isupper()]
    if common and said[0][0].isupper() and all(w.lower().endswith("ed") for w in common):
        # "Democrats voted": the name is the thing counted, the verb what it did.
        common = said
    common = common or said
    return frozenset(term(w.lower()) for w in common if w.lower() not in _UNCOUNTED)


# What a number counts, in other words than the question's ("15,973 homicides" for murders,
# "720,810 potentially impacted cars" for vehicles, "23.6 million viewers" for people who
# watched): the embedder's cosine between the question's counted words and the words after the
# number. MiniLM, measured: 0.52-0.62 for those, 0.43 "positions" for jobs; -0.05 "soldier to
# defect" for times, 0.27 "soldiers" for warning shots, 0.34 "dishes" for hot dogs, 0.42 "homes
# destroyed" for people killed.
COUNT_SIMILAR = 0.45


_VOTE_TERMS = frozenset({term("vote"), term("voted"), term("votes")})
# Words for a sort of something, each as good as another: kinds, types, forms, varieties.
_CLASS_WORDS = frozenset(term(w) for w in "kind kinds type types sort sorts form forms variety varieties "
                         "category categories".split())
_TALLY = re.compile(r"(?<![\d,.])(\d{1,3})\s*(?:-|–|to)\s*(\d{1,3})(?![\d,%]|\.\d|\s*(?:percent|%|p\.m|a\.m))")


# A list of things after a number (not a year): items of one to three words, none a function
# word or a count of its own ("phone calls, emails and social media messages", not "596 cases,
# one hospitalization and one death"), the last one as long as it goes.
_LIST_WORD = (r"(?!(?:the|a|an|and|or|of|to|in|on|at|by|for|from|with|as|is|was|were|are|be|been|all|some|"
              r"before|after|while|which|who|that|this|its|their|his|her|each|such|including|more|than|about|"
              r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|"
              r"millions?|billions?)\b)[^\W\d_][\w'’-]*")
_ITEM = rf"(?:{_LIST_WORD}\s+){{0,2}}?{_LIST_WORD}"
_LAST_ITEM = rf"(?:{_LIST_WORD}\s+){{0,2}}{_LIST_WORD}"
_COUNTED_LIST = re.compile(rf"(?<![\w.,-])(?!(?:1[89]|20)\d\d\b)(\d[\d,]*(?:\.\d+)?)\s+"
                           rf"({_ITEM}(?:,\s+{_ITEM})+,?\s+(?:and|or)\s+{_LAST_ITEM})", re.I)


def _count_stated(direct: str, question: str, sentence: str,
                  similar: Callable[[str, str], float] | None = None) -> bool:
    """Whether every number of the reply to "how many <things>?" counts those things in
    ``sentence``: a word of the thing (``counted_nouns``) stands at most ``COUNT_REACH`` words
    after the number ("about 20 warning shots", "the fourth North Korean soldier", "13-star").
    "4" from "the fourth soldier to defect" is no answer to how many times he was shot; "10" of
    "these 10 dishes" no count of hot dogs. With ``similar`` (a cosine of two phrases), a number
    whose following words mean the thing counts it too, when they are the closest of the
    sentence's numbers' to it and at least ``COUNT_SIMILAR`` ("15,973 homicides" for murders).

    A question on votes is also answered by a tally ("confirmed 55 to 43"), one on how many people
    live somewhere by a population ("a population of 100,000").

    Limits: a count written after its noun ("soldiers numbered 20") or by a pronoun ("won eight of
    them") is missed; without ``similar``, the thing as the question words it (stemmed)."""
    nouns = counted_nouns(question)
    numbers = _numbers(direct)
    if not nouns or not numbers or _tolls_asked(question):
        return True
    tokens = words(_DATE_IN_TEXT.sub(" ", sentence))
    after = {i: tokens[i + 1: i + 1 + COUNT_REACH] for i, w in enumerate(tokens) if w[0].isdigit()}
    if nouns & _CLASS_WORDS:
        # "How many kinds of Ehlers-Danlos syndrome?": "13 types of Ehlers-Danlos syndrome".
        nouns = nouns | _CLASS_WORDS
    counted = {tokens[i] for i, ws in after.items() if nouns & {term(x) for x in ws}}
    # "164,000 phone calls, emails and social media messages": a number counts each thing of
    # the list after it, however far its last item stands.
    counted |= {words(m.group(1))[0] for m in _COUNTED_LIST.finditer(_DATE_IN_TEXT.sub(" ", sentence))
                if nouns & {term(x) for x in words(m.group(2))}}
    if nouns & _VOTE_TERMS:
        # "Barrett was confirmed 55 to 43": a tally counts the votes on each side.
        counted |= {w for m in _TALLY.finditer(sentence) for g in m.groups() for w in words(g)[:1]}
    if counted_phrase(question).split()[:1] in (["people"], ["residents"], ["inhabitants"]):
        # "How many people live in the Tecate area?": "... boast a population of 100,000."
        counted |= {tokens[i] for i in after if "population" in tokens[max(0, i - COUNT_REACH):i]}
    if numbers <= counted:
        return True
    said = counted_phrase(question).split()
    # The common words: "Stop & Shop stores" is not like "customers to stop by" for its name.
    phrase = " ".join([w for w in said if not w[0].isupper()] or said)
    if similar is None or not phrase:
        return False
    score: dict[str, float] = {}
    for i, ws in after.items():
        if ws:
            score[tokens[i]] = max(score.get(tokens[i], -1.0), similar(phrase, " ".join(ws)))
    top = max(score.values(), default=-1.0)
    return all(n in counted or (score.get(n, -1.0) >= max(COUNT_SIMILAR, top)) for n in numbers)


def _unit_stated(numbers: set[str], unit: str, sentence: str) -> bool:
    """Whether each of a "how long / how far" reply's numbers stands in ``sentence`` with a unit
    of what was asked (``unit``, a pattern) at most three words after it: "about 20 minutes" is
    not stated by "... fired about 20 warning shots"."""
    tokens = words(sentence)
    is_unit = re.compile(rf"(?:{unit})$", re.I)
    return all(any(t == n and any(is_unit.match(x) for x in tokens[i + 1:i + 4]) for i, t in enumerate(tokens))
               for n in numbers)


def _measures_stated(direct: str, sentence: str, given: set[str] = frozenset()) -> bool:
    """Whether every measured number of the reply (but those in ``given``) stands in the sentence
    as a number, not as an ordinal ("How old was the defector?" answered "4 years" from "the
    fourth soldier")."""
    measured = {w for m in _MEASURED.finditer(direct) for w in words(m.group(1))} - given
    return not measured or measured <= _numbers(_ORDINAL.sub(" ", sentence))


# A rank or office before a name adds nothing to it: "General Prayut Chan-O-cha" for who is acting
# while Prayut Chan-o-cha is suspended names him again.
_HONORIFICS = frozenset(term(w) for w in (
    "general gen president mr mrs ms dr sen senator gov governor rep king queen prince princess pope sir lord lady "
    "judge justice minister prime secretary chancellor chief coach captain former").split())


def echoes(direct: str, question: str, ranks: bool = True) -> bool:
    """Whether a reply only restates the question ("Olivia Rodrigo" for "who joined Olivia
    Rodrigo?", "The new party announced by Elon Musk" for "what is the name of the new party
    announced by Elon Musk?", a name the question abbreviates spelt out before its abbreviation;
    with ``ranks``, also with a rank before the name, ``_HONORIFICS``): it has words but none,
    and no number, the question lacks."""
    # "The National Union of Rail, Maritime and Transport Workers (RMT)" for who leads the RMT:
    # the name the question writes short, spelt out.
    for short in re.findall(r"\(([A-Z]{2,6})\)", direct):
        if re.search(r"\b" + short + r"\b", question):
            direct = re.sub(r"(?:\b[A-Z][\w'’-]*,?\s+(?:(?:of|and|for|the|&)\s+)*)+\(" + short + r"\)", short, direct)
    target, numbers = content_terms(direct), _numbers(direct)
    if ranks and target - _HONORIFICS:
        target -= _HONORIFICS
    return bool(target or numbers) and target <= content_terms(question) and not numbers - _numbers(question)


def stance(direct: str) -> str | None:
    """"Yes" or "No" when that is all the reply says (a yes/no question answered without the
    fact), else None."""
    m = _YES_NO.match(direct)
    return m.group(0).strip(" ,.;:!-").capitalize() if m and not direct[m.end():].strip() else None


def off_question(direct: str, question: str) -> bool:
    """Whether a reply to a yes/no question says neither yes nor no and nothing of what was asked:
    no stance word, none of the question's content words, none of them negated ("The
    demilitarised zone" for "Is it common for soldiers to defect across the DMZ?"). "He was
    unarmed" for "Was he armed?" negates its word; "He survived" for "Did he survive?" holds it.

    Limits: word stems, not meaning: "The guards withdrew" for "Did the guards leave?" is off
    the question too, and is refused with it; the realtimeqa dev sets hold no yes/no question."""
    if not yes_no(question) or _YES_NO.match(direct):
        return False
    asked = content_terms(question)
    said = content_terms(direct)
    return bool(said) and not said & asked and not negates(asked, direct)


def yes_no(question: str) -> bool:
    """Whether the question asks yes or no ("Was he armed?", "Did he survive?")."""
    return bool(_YES_NO_ASKED.match(question))


# A restatement is taken for a yes only when short ("he survived", "he was unarmed"): the check
# that a sentence states it is word overlap, and a longer one ("the guards crossed the line")
# found its words scattered over sentences that do not say it ("... came close to the line in the
# area where he had crossed"); it is then an echo, as before.
AFFIRMED_TERMS = 2
# A reply negated with "not" / "never" answers a yes/no question "No" when it shares this many of
# the question's content words.
DENIED_TERMS = 2
_NOT = re.compile(r"\b(?:not|never)\b|n['’]t\b", re.I)
# A longer reply says yes when it holds three quarters of the question's words (three at least)
# and at most this many of its own.
RESTATED_NEW_TERMS = 2


def affirms(direct: str, question: str) -> bool:
    """Whether ``direct`` answers a yes/no question by restating its proposition without a
    negation ("he survived", or "No, he survived" with the wrong stance word, for "Did he
    survive?"): an answer of yes, not an echo to go on from."""
    clause = _YES_NO.sub("", direct)
    return (bool(yes_no(question)) and 0 < len(content_terms(clause)) <= AFFIRMED_TERMS
            and not _YES_NO_QUESTION.match(clause)  # "Was he armed" asks again
            and not _NEGATED_REPLY.search(clause) and echoes(clause, question))


def settle_stance(direct: str, question: str) -> str:
    """The reply with its stance word agreeing with what it states: "Yes, he survived" for "he
    survived" or "No, he survived" (the 0.5B model's "No" often contradicts its own clause, and
    the clause is what a sentence is checked to state); "No, the date has not been made public"
    for a denial in the question's words without a stance word. A reply naming one of the options
    a question offers ("In thick fog" for "... in fog or in clear weather?") is left as it is."""
    if stance(direct) is None and offers_choice(question):
        return direct
    clause = _YES_NO.sub("", direct).strip()
    if not affirms(direct, question):
        q_terms = content_terms(question)
        # "No," with its comma: "No South Korean soldiers returned fire" denies with its "No".
        if (stance(direct) is None and re.match(r"\W*no\s*[,;:!-]", direct, re.I) and yes_no(question)
                and not _NEGATION.search(clause)
                and len(q_terms & content_terms(clause)) >= 0.75 * len(q_terms) > 0):
            # "No, the soldier was taken to hospital by helicopter" for "Was the defector taken to
            # hospital by helicopter?": the clause says yes in other words; the "No" goes.
            return clause[:1].upper() + clause[1:]
        if (stance(direct) is None and yes_no(question) and not _YES_NO.match(direct)
                and _NOT.search(clause) and not _YES_NO_QUESTION.match(clause)
                and len(q_terms & content_terms(clause)) >= DENIED_TERMS):
            # "The target date for the launch has not been made public" for "Had Blue Origin
            # announced a target launch date?": a denial in the question's words says no.
            return f"No, {_lower_first(clause)}"
        if not (stance(direct) is None and yes_no(question) and not _YES_NO.match(direct)
                and not _NEGATION.search(clause) and not _YES_NO_QUESTION.match(clause)
                and len(q_terms & content_terms(clause)) >= max(3, 0.75 * len(q_terms))
                and len(content_terms(clause) - q_terms) <= RESTATED_NEW_TERMS):
            return direct
        # "Jeff Bezos plans to give away most of his money while he's alive" for "Is Jeff Bezos
        # planning to give away most of his fortune while he's alive?": the question's own
        # proposition, a word or two otherwise, says yes.
    return f"Yes, {_lower_first(clause)}"


# Words that put what follows in doubt: "Nunn is reconsidering his decision to run for governor"
# says he may run, not that he runs; "A gala mistakenly advertised Taylor Swift tour tickets for
# 2026" says no tour was announced; "We asked experts what they thought about Trump's rationale
# for serving a third term" says nothing of whether he can.
_WEIGHING = re.compile(r"\b(?:re)?consider(?:s|ing|ed)?\b|\bweigh(?:s|ing|ed)?\b|\bmull(?:s|ing|ed)?\b|"
                    r"\bexplor(?:es|ing|ed)\b|\bcontemplat(?:es|ing|ed)\b|\bundecided\b|\bwhether\b|"
                    r"\bpossible\b|\bpossibly\b|\bmight\b|\bmistaken(?:ly)?\b|\berroneous(?:ly)?\b|"
                    r"\bwrongly\b|\bfalsely\b|\bhoax\b|\bspeculat(?:e|es|ed|ing|ion)\b|\bteas(?:e|es|ed|ing)\b|"
                    r"\basked\b|\bwonder(?:s|ed|ing)?\b|\brationale\b|\bhypothetical(?:ly)?\b", re.I)
HEDGE_REACH = 8


def hedged_yes(direct: str, question: str, sentence: str) -> bool:
    """Whether a "Yes" to a yes/no question stands on a sentence that only weighs what was asked:
    "Is Zach Nunn running for governor?" → "Yes", from "Nunn is reconsidering his decision to run
    for governor in 2026". A hedge word ("reconsidering", "weighing", "whether", "might") the
    question does not use, with one of the question's words at most ``HEDGE_REACH`` words after
    it. The sentence is then the answer, without the "Yes".

    Limits: English hedge words only; a hedge about something else in the same sentence ("... is
    running, though he might drop out later") reads as doubt too."""
    if not yes_no(question) or not re.match(r"\W*yes\b", direct, re.I):
        return False
    asked = content_terms(question)
    for m in _WEIGHING.finditer(sentence):
        if content_terms(m.group()) & asked:
            continue  # "Is he considering a run?" asks about the weighing itself
        after = sentence[m.end():].split()[:HEDGE_REACH]
        if content_terms(" ".join(after)) & asked:
            return True
    return False


def _weighed(sentence: str, asked: set[str]) -> bool:
    """Whether ``sentence`` holds a word of ``_WEIGHING`` that ``asked`` (the question's content
    terms) does not: "Did the soldier ask for asylum?" may be affirmed by "he asked for asylum"."""
    return any(not (content_terms(m.group()) & asked) for m in _WEIGHING.finditer(sentence))


def _lower_first(clause: str) -> str:
    """``clause`` to follow "Yes, " / "No, ": a pronoun or article opening it in lower case."""
    first = clause.split(" ", 1)[0]
    if first.lower() in {"he", "she", "it", "they", "the", "this", "that", "there"}:
        return clause[:1].lower() + clause[1:]
    return clause


_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")


def dates_as_written(direct: str, passages: Sequence[Passage]) -> str:
    """The reply with each ISO date ("2017-12-21", the form of the passages' headers, which the
    0.5B model copies) in the words a passage writes that day in ("21 December 2017", "December
    21, 2017", "Dec. 21"), the first found; a date no passage writes in words stays as it is.
    Why: a passage states "Thursday, 21 December 2017", never "2017-12-21", so the ISO reply was
    unsupported and refused ("When?" after the warning-shot questions)."""
    def written(m: re.Match) -> str:
        year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
        if not 1 <= month <= 12:
            return m.group(0)
        name = _MONTH_NAMES[month - 1]
        mon = rf"(?:{name}|{name[:3]}\.?|sept\.?)" if month == 9 else rf"(?:{name}|{name[:3]}\.?)"
        forms = (rf"\b{day}(?:st|nd|rd|th)?\s+{mon},?\s+{year}\b", rf"\b{mon}\s+{day}(?:st|nd|rd|th)?,?\s+{year}\b",
                 rf"\b{day}(?:st|nd|rd|th)?\s+{mon}(?!\w)", rf"\b{mon}\s+{day}(?:st|nd|rd|th)?\b")
        for form in forms:
            for p in passages:
                found = re.search(form, p.text, re.I)
                if found:
                    return found.group(0)
        return m.group(0)

    return _ISO_DATE.sub(written, direct)


_WHO_DID = re.compile(r"^\W*who\s+([a-z]+)\b", re.I)
_NOT_ACTIONS = {"is", "was", "were", "are", "be", "has", "have", "had", "did", "does", "do", "will", "would", "can",
                "could", "should", "may", "might", "must", "else", "exactly", "else's"}


def acted_on(direct: str, question: str, sentence: str) -> bool:
    """Whether a short reply to "who <did> ...?" stands in ``sentence`` as the one the deed was
    done to ("The North Korean soldier who was shot ..." for "Who shot him?"), not the doer.
    Limits: the question's verb must appear in the sentence in the same form ("shot", "fired",
    "found"; not "wrote" / "written"); the reply's last word stands for it; a reply of more than
    five words is not checked."""
    m = _WHO_DID.match(question)
    reply = re.findall(r"\w[\w'&-]*", direct.lower())
    if not m or m.group(1).lower() in _NOT_ACTIONS or not reply or len(reply) > 5:
        return False
    # Its last word names it ("the soldier had been shot" for "North Korean soldier").
    passive = (rf"\b{re.escape(reply[-1])}\w*,?\s+(?:who\s+|that\s+)?(?:was|were|is|are|being|(?:had|has|have)\s+been)"
               rf"\s+(?:\w+\s+){{0,2}}?{re.escape(m.group(1).lower())}\b")
    return re.search(passive, sentence, re.I) is not None


# "Did North Korea fire at the defector?", "Did South Korean troops return fire?": a named doer
# (a run of capitalised words, with a plural noun after it) and the verb after it.
_DID_NAMED = re.compile(r"^\W*(?i:(?:and\s+)?(?:did|does|do|has|have|had)\s+(?:the\s+)?)((?:[A-Z][\w'’-]*\s+)+"
                        r"(?:[a-z]+s\s+(?=[a-z]))?)([a-z]+)\b")


def done_by_another(question: str, sentence: str) -> bool:
    """Whether ``sentence`` has someone other than the doer a yes/no question names do its verb
    ("South Korean soldiers fired about 20 warning shots … at North Korean guards" for "Did North
    Korea fire at the defector?"): such a sentence states no answer of yes.
    Limits: only a doer the question names with capitals; the sentence's doer as ``_doer`` finds
    it (the words before the verb, or after "by"); the doer asked about counts as the same when
    all its words are in the sentence's ("North Korean guards" for "North Korea")."""
    m = _DID_NAMED.match(question)
    if m is None:
        return False
    doer = _doer(sentence, term(m.group(2)))
    return bool(doer) and not content_terms(m.group(1)) <= content_terms(doer)


# A clause about someone else inside a sentence: "... where he had crossed", "as she left".
_OTHER_CLAUSE = re.compile(r"\b(?:where|when|after|before|as|while|if|because|since|until|whether)\s+"
                           r"(?:he|she|they|it|we|i|you)\b[^,;:]*", re.I)


def said_of_another(terms: set[str], sentence: str) -> bool:
    """Whether one of ``terms`` stands in ``sentence`` only inside a clause with a subject of its
    own ("The guards came close to the line in the area where he had crossed" does not say the
    guards crossed): an answer of yes needs its words said of its subject.
    Limits: clauses opened by a conjunction and a pronoun, up to the next comma; "he" there may
    be the very subject asked about, and the yes is then refused."""
    spans = [m.span() for m in _OTHER_CLAUSE.finditer(sentence)]
    if not spans:
        return False
    for t in terms:
        found = [m.start() for m in re.finditer(r"[^\W_][\w'’-]*", sentence) if term(m.group().lower()) == t]
        if found and all(any(a <= i < b for a, b in spans) for i in found):
            return True
    return False


# A number tied to a name right after it ("61% on Libya", "9 in Travis County"): the number is
# that name's.
_NUMBER_OF = re.compile(r"(\d[\d,.]*)\s*(?:%|percent|per\s*cent|million|billion)?\s*"
                        r"(?:on|for|from|in|against|to|at|of)\s+(?:(?:the|products|goods|imports)\s+(?:from\s+)?)?"
                        r"((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*)")
NUMBER_REPLY_WORDS = 4  # an amount, not a description that holds one
_QUESTION_NAME = re.compile(r"(?<!^)(?<![.?!]\s)\b([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})")


def number_of_another(direct: str, question: str, sentence: str) -> bool:
    """Whether every number of the reply stands in ``sentence`` tied to a name the question does
    not ask about, while a name the question asks about stands there too ("61%" for Trump's tariff
    on Brazil, from "... a high of 61% on Libya and 50% on products from Lesotho ... down to 10%
    for most trading partners, including the United Kingdom and Brazil"): a list of figures, and
    the reply took another item's. A number stated anywhere else in the sentence, or tied to a name
    all of whose words the question holds, is the question's.
    Limits: the tie is the number (and its unit) right before a preposition and a capitalised name
    ("10 men escaped from the Orleans Justice Center" ties nothing); a name is a capitalised word
    of the question not opening it or a sentence of it."""
    numbers = _numbers(direct)
    if not numbers or len(direct.split()) > NUMBER_REPLY_WORDS:
        return False
    asked = {term(w.lower()) for m in _QUESTION_NAME.finditer(question) for w in m.group(1).split()}
    if not {t for t in asked if t not in STOPWORDS} & content_terms(sentence):
        return False
    q_terms = content_terms(question)
    for number in numbers:
        if re.fullmatch(r"(?:19|20)\d\d", number):
            return False  # a year dates the sentence's events, not an item of a list
        ties = [m for m in _NUMBER_OF.finditer(sentence) if m.group(1).replace(",", "").rstrip(".") == number
                and not re.search(_MONTH + r"\s*$", sentence[:m.start()], re.I)]  # "June 26 from ..." is a date
        if not ties or any(content_terms(m.group(2)) <= q_terms for m in ties):
            return False
        if len(re.findall(r"(?<![\w.])" + re.escape(number) + r"(?!\w)", sentence.replace(",", ""))) > len(ties):
            return False
    return True


# "another soldier was shot ...", "a second defector": someone other than the one just reported.
_ANOTHER = re.compile(r"\b(?:another|a\s+(?:second|third|different|separate))\s+((?:[\w'’-]+\s+){0,2}?[\w'’-]+)\b",
                      re.I)
# Words of the question that ask, not describe ("What happened to ...?").
_ASKING = content_terms("happen happened happening do did done say said tell")


def of_another(question: str, sentence: str, before: str) -> bool:
    """Whether ``sentence`` tells of another one of the kind the question asks about than the
    one its article reported first, and the question describes that first one ("Only weeks
    earlier, on 13 November, another soldier was shot by his own side ..." for "What happened to
    the soldier who crossed in the fog?", after "A North Korean soldier who walked across the
    demilitarised zone in thick fog ..."): it answers nothing about the one asked of.
    ``before``: the article's text before the sentence.
    Limits: the kind is a word of the question after "another" (or "a second", "a different"), up
    to two words on; the question describes the first one when a content word of it missing from
    the sentence stands in ``before`` ("What happened to the soldier shot in November?" keeps the
    sentence: all its words are there)."""
    asked = content_terms(question) - _ASKING
    said = content_terms(sentence)
    # "Is she running for another term?": the question's own other one is the sentence's.
    own = {term(w.lower()) for m in _ANOTHER.finditer(question) for w in m.group(1).split()}
    for m in _ANOTHER.finditer(sentence):
        kind = {term(w.lower()) for w in m.group(1).split()} & asked - own
        if kind and (asked - kind - said) & content_terms(before):
            return True
    return False


# "was still unable to be questioned", "failed to reach": a negation without "not".
_UNABLE = re.compile(r"\b(?:unable|fail(?:s|ed)?|refus(?:es|ed)?|declin(?:es|ed)?)\s+to\s+(?:be\s+|have\s+)?"
                     r"([^\W\d_][\w'’-]*)", re.I)


def negates(terms: set[str], sentence: str) -> bool:
    """Whether ``sentence`` negates one of ``terms``: "did not resist" negates "resist",
    "unarmed" negates "armed"."""
    for m in _NEGATED_WORD.finditer(sentence):
        if term(m.group(1).lower()) in terms:
            return True
    for m in _UNABLE.finditer(sentence):
        if term(m.group(1).lower()) in terms:
            return True
    return any(re.search(r"\b(?:un|in|im|non-?)" + re.escape(t), sentence, re.I) for t in terms)


# "Analysts point to two pressures", "There are three reasons": a sentence that announces what
# the next one gives. Counted nouns of explanation only: "He was shot five times" answers.
_ANNOUNCES = re.compile(
    r"\b(?:two|three|four|five|several|a\s+few|a\s+number\s+of|many|some|\d+)\s+(?:\w+\s+)?"
    r"(?:reasons|pressures|factors|causes|explanations|motives|drivers|forces|things|ways|steps|problems|"
    r"issues|concerns|changes|theories|trends|lessons|options)\s*[.:]?\s*$", re.I)


def announces(direct: str, question: str) -> bool:
    """Whether a reply to a descriptive question only announces its answer ("Analysts point to two
    pressures" for "Why are North Korean soldiers defecting?"): the answer is what follows, so
    the model is made to go on from "<reply>:"."""
    return descriptive(question) and bool(_ANNOUNCES.search(direct.strip()))


def resume_prefix(direct: str, question: str) -> str | None:
    """Where to make the model go on when its reply states nothing a sentence could support: a
    bare "No" resumes as "No," (so "Was he armed?" draws "No, he was unarmed", a statement the
    archive can be checked against), a restated question as ``continuation_prefix``, a reply that
    announces its answer (``announces``) as "<reply>:", one that stops at the question's
    participle (``unfinished``) as itself; None when the reply needs no continuation."""
    said = stance(direct)
    if said:
        return f"{said},"
    if affirms(direct, question):
        return None
    if yes_no(question) and negated_echo(direct, question):
        # "The fog was not defector armed" for "was the fog defector armed?": a "No" in the
        # question's words, which no sentence states as such.
        return "No,"
    # A name asked about, again with its rank, is no restated question: resumed ("General Prayut
    # Chan-O-cha:"), the model went on with the rest of the sentence it had copied the name from.
    if echoes(direct, question, ranks=False) or unnamed(direct, question):
        return continuation_prefix(direct, question)
    if unfinished(direct, question):
        return re.sub(r"\s*\[\d+\]", "", direct).strip().rstrip(" .;:,-–—")
    if announces(direct, question):
        return direct.strip().rstrip(" .;:,-–—") + ":"
    return None


# "How was the November defector found?": how a deed was done to someone, its participle last.
# Not "How was the wounded soldier taken to hospital?": the last word must be the participle.
_HOW_DONE = re.compile(r"^\W*(?:and\s+)?how\s+(?:was|were|is|are|has\s+been|have\s+been|had\s+been)\s+[^?]+?\s+"
                       r"(" + PARTICIPLE + r")\s*\?*\s*$", re.I)


def unfinished(direct: str, question: str) -> bool:
    """Whether a reply to "How was <someone> <done>?" stops at the question's own participle ("The
    soldier was found" for "How was the November defector found?"): it says what was done, not
    how. Resumed from its own words, the model goes on to the how ("... wounded by South Korean
    troops"); checked as it was, a sentence on soldiers in general "stated" it."""
    m = _HOW_DONE.match(question)
    said = re.findall(r"[\w'’-]+", re.sub(r"\[\d+\]", " ", direct))
    return bool(m and said and term(said[-1].lower()) == term(m.group(1).lower()))


_NAME_QUESTION = re.compile(r"\b(?:what|which)\s+(?:is|was|are|were|will\s+be)\s+the\s+(?:\w+\s+)?names?\s+of\b|"
                            r"\bwhat\s+(?:is|was|are|were|will)\s+(?:\S+\s+){1,8}?(?:be\s+)?called\b|"
                            r"\bwhat\s+(?:new\s+)?name\b", re.I)


def unnamed(direct: str, question: str) -> bool:
    """Whether a reply to a question for a name names nothing: no capitalised word but function
    words ("The"), no number, no quotation ("The new political party" for "What is the name of
    Musk's new party?"; "Erin" names). Resumed from its own words ("The new political party:"),
    the 0.5B model went on to the name ("America Party")."""
    if not _NAME_QUESTION.search(question) or re.search(r"\d|[\"“”‘'’«]", direct):
        return False
    return not any(w[:1].isupper() and w.lower() not in STOPWORDS for w in re.findall(r"[^\W\d_][\w'’-]*", direct))


# "What do soldiers in units far from the capital face?": the answer is the object of the verb
# that ends the question.
OBJECT_SUBJECT_WORDS = 8
_OBJECT_QUESTION = re.compile(r"^\W*what\s+(?:do|does|did)\s+(?P<subject>[^?]+?)\s+(?P<verb>[a-z]+)\s*\?*\s*$", re.I)


def object_instead(direct: str, question: str, sentence: str) -> str | None:
    """What the sentence says the question's subject does, when the reply only names that
    subject: "poor food and harsh conditions" of "... ordinary soldiers, especially in units far
    from the capital, are said to face poor food and harsh conditions, and hardship ..." for "What
    do soldiers in units far from the capital face?", where the 0.5B model answered "ordinary
    soldiers, especially in units far from the capital" and, resumed, wrote nothing more.

    Limits: a question ending in its verb ("What do X face?"), a subject of at most
    ``OBJECT_SUBJECT_WORDS`` words; the words after that verb in the
    sentence (its stem), up to the clause's end (a comma, semicolon or full stop); None when the
    reply says more than the subject or the sentence has no such words."""
    m = _OBJECT_QUESTION.match(question)
    # "... in a July 2025 Truth Social post?" ends in a noun, not the verb: long subjects are left out.
    if not m or len(m.group("subject").split()) > OBJECT_SUBJECT_WORDS or m.group("verb").lower() in STOPWORDS:
        return None
    said, doer = content_terms(direct), content_terms(m.group("subject"))
    if not doer or len(said & doer) < MIN_COVERAGE * len(doer) or len(said - doer) > 2:
        return None
    verb = term(m.group("verb").lower())
    for v in re.finditer(r"[^\W\d_][\w'’-]*", sentence):
        if term(v.group().lower()) != verb:
            continue
        tail = re.match(r"\s+([^,;.:]+)", sentence[v.end():])
        if tail and content_terms(tail.group(1)) - doer:
            return tail.group(1).strip()
    return None


_YES_NO_QUESTION = re.compile(r"^\W*(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would)\b", re.I)
# The same after an opening phrase of its own: "As of June 16, 2025, had Blue Origin announced a
# date?", "When the footage leaked, had Rockstar announced a date?" (not "Who, in the end, ...",
# nor "How big, in square feet, is ...?": a question word and at most one more before the comma;
# nor "At what store in Paramount, California, did ...?": a preposition and a question word).
_YES_NO_ASKED = re.compile(r"^\W*(?:(?!(?:who|whom|whose|what|which|where|when|why|how)(?:\s+[\w'’-]+)?\s*,)"
                           r"(?!(?:at|in|on|by|for|from|to|of|with|into|under|during|after|before|since)\s+"
                           r"(?:what|which|whose|whom)\b)"
                           r"[^?]{0,90}?,\s*)?"
                           r"(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would)\b", re.I)
_NEGATION_TERMS = {term("not"), term("never")}


_DENIAL = re.compile(r"\b(?:not|never|no|none|nobody|nothing|neither|nor|without)\b|n['’]t\b", re.I)
_NEGATED_REPLY = re.compile(rf"\b(?:not|never)\b|n['’]t\b|^\W*no[ \t]+(?!{_STANCE_NEXT})[a-z]", re.I)
_NEGATION = re.compile(r"\b(?:not|never|no|none|nobody|nothing|neither|nor|without|cannot|un[a-z]{3,}|non-?[a-z]{3,})\b"
                       r"|n['’]t\b", re.I)


# The word a reply negates: "did not survive" -> "survive", "was never charged" -> "charged".
_NEGATED_WORD = re.compile(r"(?:\b(?:not|never)|n['’]t)\s+(?:(?:be|been|being|have|has|had|yet|ever|even|really)\s+)*"
                           r"([^\W\d_][\w'’-]*)", re.I)


# How many words after a negated verb name what it is denied of ("run | for another term").
NEGATED_OBJECT_WORDS = 3


def negation_stated(direct: str, sentence: str) -> bool:
    """Whether ``sentence`` can state the negation in reply ``direct``: it holds a negation, and
    the word the reply negates, as it is ("did not resist" for "not resist") or with a negative
    prefix ("unarmed" for "not armed"), the sentence denying that word ("No South Korean soldiers
    returned fire" states "did not return fire"). "No, the soldier did not survive" is not stated
    by "He was unarmed and did not resist"."""
    if not _NEGATION.search(sentence):
        return False
    m = _NEGATED_WORD.search(direct)
    if m is None:
        return True
    t = term(m.group(1).lower())
    if re.search(r"\b(?:un|in|im|non-?)" + re.escape(t), sentence, re.I):
        return True
    # The word must be what the sentence denies: "did not resist ... his reasons for leaving"
    # does not state "the guards did not leave".
    if (any(term(x.group(1).lower()) == t for x in _NEGATED_WORD.finditer(sentence))
            or (bool(_CLAUSE_DENIAL.search(sentence)) and t in content_terms(sentence))):
        return True
    # Or the sentence denies another verb of the same object: "will not seek reelection to another
    # term" states "will not run for another term".
    after = content_terms(" ".join(direct[m.end():].split()[:NEGATED_OBJECT_WORDS]))
    return len(after) >= 2 and any(
        after <= content_terms(" ".join(sentence[x.end():].split()[:NEGATED_OBJECT_WORDS + 2]))
        for x in _NEGATED_WORD.finditer(sentence))


def negated_echo(direct: str, question: str) -> bool:
    """Whether a reply is the question's own words with a negation added and nothing else."""
    target = content_terms(direct)
    return bool(target & _NEGATION_TERMS) and echoes(" ".join(sorted(target - _NEGATION_TERMS)) or "-", question)


# Questions whose answer is a name, a place, a date or a number; "why", "how did", "what
# happened" and "what did they do" questions are answered by a description, so a sentence-long
# reply is fine there.
_DESCRIPTIVE = re.compile(
    r"\b(?:why|explain|describe)\b|\bhow\b(?!\s+(?:many|much|old|long|far|often|big|large|tall|high|fast|strong|"
    r"powerful|intense|severe)\b)"
    r"|\bwhat\s+(?:happened|happens|is happening|went)\b"
    r"|\bwhat\s+(?:do|does|did|will|would|is|are|was|were)\b.*\b(?:do|doing|done)\b"
    # "What did Taylor Swift announce?", "What did the FDA warn about?": what was announced is a
    # clause ("a new album, out in October"), and sent back for a name it came back refused.
    r"|\bwhat\s+(?:do|does|did|has|have|had|will|would)\b[^?]*?\b(?:announc|warn|reveal|decid|propos|promis|"
    r"claim|plan|want|agree|demand|threaten)\w*\b"
    # "What did Trump say about protesters?": what was said is a clause too ("they will be met
    # with very big force"); sent back for a few words, the model refused.
    r"|\bwhat\s+(?:do|does|did|has|have|had|will|would)\b[^?]*?\b(?:say|said|tell|told|think|thought|"
    r"write|wrote|written|argue|argued|mean|meant|suggest|suggested|predict|predicted|admit|admitted|"
    r"explain|explained|describe|described|blame|blamed|respond|responded)\b"
    # "What risks do soldiers face ...?", "What effects did the storm have?": the answer is a
    # description, not a name.
    r"|\bwhat\s+(?:kinds?\s+of\s+|sorts?\s+of\s+)?(?:risks?|dangers?|threats?|challenges?|problems?|"
    r"difficult(?:y|ies)|consequences?|effects?|impacts?|benefits?|advantages?|concerns?|conditions)\b",
    re.I)
# "What is the Joint Security Area?", "Who is Kim Jong Un?": a name asked to be explained. The
# name must be all the question holds: "What is the most-nominated show?" asks for a name.
_DEFINITION = re.compile(r"^\W*(?:[Ww]hat|[Ww]ho)\s+(?:is|are|was|were)\s+(?:the\s+|a\s+|an\s+)?"
                         r"(?:[A-Z][\w'’&.-]*\s*)+\W*$")
# More words than a name or a figure takes, and more than a few of them new to the question: on
# realtimeqa-dev such replies to a factoid question were passage sentences copied instead of an
# answer. A reply that fills the question's own sentence with one or two new words ("Israel
# launched air strikes on Damascus in support of Druze minority") is an answer, checked as it is.
LONG_REPLY_WORDS = 9
LONG_REPLY_NEW_TERMS = 4


def descriptive(question: str) -> bool:
    """Whether the question asks for a description (why, how did, what happened, what did they
    do, what is <a name>) rather than a name, place, date or number."""
    return bool(_DESCRIPTIVE.search(question) or _DEFINITION.match(question) or asks_reason(question))


# Share of the question's content words a long reply restates to count as the answer in a
# sentence ("South Korean soldiers fired warning shots at North Korean border guards" for "who
# fired the warning shots?") rather than a passage sentence copied in its place.
RESTATES = 0.75


# Most words of the fact before a colon in a copied sentence ("North Korea's economic situation:
# ordinary soldiers ... face poor food ...").
COLON_HEAD_WORDS = 8


def colon_head(direct: str, question: str, passages: Sequence[Passage]) -> str | None:
    """The fact a long reply gives before a colon, when the reply is a passage sentence copied
    whole ("The first pressure is North Korea's economic situation" of "... economic situation:
    ordinary soldiers, especially in units far from the capital, are said to face ..."), else
    None. Sent back for the fact alone, the 0.5B model refused. A headline's colon ("The seals
    are turning in their sleep: What does that mean ...") is not in a passage's text, so such a
    reply is left as it is.
    Limits: what follows the colon must be a passage's text word for word over its first eight
    words (the head may be reworded: "The first pressure is" for "The first is")."""
    head, colon, rest = direct.partition(":")
    if (not colon or len(rest.split()) < 8 or not 0 < len(head.split()) <= COLON_HEAD_WORDS
            or not too_long(direct, question)):
        return None
    copied = ": " + " ".join(rest.split()[:8]).lower()
    if any(copied in " ".join(p.text.split()).lower() for p in passages):
        return head.strip()
    return None


def too_long(direct: str, question: str) -> bool:
    """Whether a reply to a factoid question (which / who / where / when / how many ...) is a
    sentence rather than the fact: the model copied a passage sentence instead of answering.

    A sentence that restates the question's words (``RESTATES``) around new ones of the kind
    asked for (a date for "when", ``evidence.answer_type``) answers it: sent back, "The fog
    crossing happened on Thursday, 21 December 2017." came back as a refusal."""
    # A yes/no question opening with a clause of its own ("When the footage leaked, had Rockstar
    # announced a date?") is not exempt: its copied sentence was about the clause.
    if len(direct.split()) < LONG_REPLY_WORDS or descriptive(question) or _YES_NO_QUESTION.match(question):
        # A sentence answers yes or no as well as a few words do ("... and there were no other
        # casualties on the southern side." for "Were there other casualties?"); sent back for a
        # name, place, date or number, it came back as a refusal.
        return False
    asked = content_terms(question)
    said = content_terms(direct)
    wanted = answer_type(question)
    if (len(asked) >= 2 and len(asked & said) >= RESTATES * len(asked)
            and (wanted is None or wanted.search(direct))):
        return False
    return len(said - asked) >= LONG_REPLY_NEW_TERMS


def continuation_prefix(echo: str, question: str) -> str:
    """Where to resume a reply that restated the question so that the model must go on to the
    answer: "<echo>:" (or "<echo> because" for a why-question). Measured on the realtimeqa-dev-small
    echoes: the colon drew "America Party" and "Druze"; " is" and "," drew the wrong entity or
    another sentence for one of the two."""
    echo = echo.rstrip(" .;:,-–—")
    if asks_reason(question):
        return f"{echo} because"
    if _DEFINITION.match(question):
        # "What is the Joint Security Area?" answered "The Joint Security Area": a definition
        # goes on with the question's verb ("... is the truce village where ...").
        return f"{echo} {question.split()[1].lower()}"
    return f"{echo}:"


@dataclass
class Support:
    n: int  # 1-based passage number
    start: int  # offsets into the passage text
    end: int
    sentence: str  # the quoted text (dateline removed)
    coverage: float
    relevance: float  # the stating sentence's evidence score (closeness to the question)
    doc_start: int  # document offset of the stating sentence


def support(direct: str, question: str, passages: Sequence[Passage], cited: Sequence[int] = (),
            relevance: dict[tuple[str, int], float] | None = None,
            similar: Callable[[str, str], float] | None = None) -> Support | None:
    """The passage sentence that best states ``direct`` as an answer to ``question``; None when
    none does. ``relevance`` maps ``(doc_id, document offset)`` of a sentence to its evidence
    score; sentences of passages the model cited are preferred on near ties. ``similar`` (a
    cosine of two phrases) lets a count be worded otherwise than the question (``_count_stated``)."""
    # "Yes" / "No" is the reply's stance, not a fact a sentence states: a bare "No" once
    # quoted "No further exchange of fire was reported" for "was he armed?". What follows it
    # ("No, he was unarmed") is what must be stated.
    affirmed = affirms(direct, question)
    # An answer of yes ("South Korean soldiers returned fire") is not stated by a sentence that
    # denies ("No South Korean soldiers returned fire"): for a yes/no question an un-negated reply
    # needs a sentence without a denial.
    plain_yes = yes_no(question) and not _NEGATED_REPLY.search(_YES_NO.sub("", direct)) and not re.match(
        r"\W*no\b", direct, re.I)
    direct = _YES_NO.sub("", direct)
    target = content_terms(direct)
    numbers = _numbers(direct)
    q_terms = content_terms(question)
    # A description restates the question's own figures ("The state visit to France has been
    # postponed in March 2023" for why it was): the sentence that gives the reason need not
    # write them as the question did.
    given = _numbers(question) if descriptive(question) else set()
    # A name made of stopwords and letters ("AT&T", "The Who") has no content terms: it must
    # then stand in the sentence as written.
    phrase = " ".join(words(direct)) if not target and not numbers else ""
    if (not target and not numbers and not phrase) or (echoes(direct, question) and not affirmed):
        return None
    if OUTLET_QUESTION.search(question) and any(
            target and len(target & content_terms(p.source or "")) >= MIN_COVERAGE * len(target) for p in passages):
        # The reply names an outlet of the passages: its report on the subject is the support, not
        # whichever sentence shares a word with its name ("border" of "Border Desk Daily").
        return _reported_by(target, question, passages, cited, relevance)
    how_much = bool(_HOW_MUCH.search(question))
    unit = None
    if numbers and (asked := _MEASURE_QUESTION.match(question)):
        unit = _MEASURE_ASKED[asked.group(1).lower()]
        if not re.search(unit, direct, re.I):
            # "20 warning shots" is no answer to how long the guards stayed: a number answers "how
            # long / how far" with its unit.
            return None
    if not numbers and _HOW_MANY.search(question) and not _COUNT_WORDS.search(direct):
        # "The soldier was shot in the shoulder and the elbow" says where, not how many times.
        return None
    if (how_much or _WHO.match(question) or _WHAT_TIME.search(question)) and _DATE_ONLY.match(direct):
        # A date answers when, not what time, how far, how many, how old or who ("13 November
        # 2017" for how far apart the troops stand, from the report's dateline; "21 December
        # 2017" for "At whom?" after "Who fired them?").
        return None
    # A sentence states the reply when it holds most of its words, or most of what the reply adds
    # to the question: "Israel launched air strikes on Damascus in support of Druze minority" is
    # stated by "... forces attacking Druze in southern Syria", which words the strikes differently.
    added = target - q_terms
    # "The soldier was not survived" is not stated by "... and survived after being flown to
    # hospital": a negated reply needs a negation in its sentence ("unarmed" states "not armed").
    negated = bool(_NEGATED_REPLY.search(direct))
    # Two choices: whether the answer stands on a sentence close to the question (the support
    # gate reads that sentence's relevance), and which sentence to quote. The passage header
    # counts for the first; the quote must state the reply by itself: with its title's help "the
    # demilitarised zone ... crossings on foot remain rare" stated "crossed the demilitarised
    # zone in thick fog" as well as the sentence that says "in thick fog".
    best: tuple[float, Support] | None = None
    shown: tuple[float, Support] | None = None
    closest: tuple[float, Support] | None = None
    for n, p in enumerate(passages, 1):
        spans = split_sentences(p.text)
        terms = [content_terms(_unplaced(p.text[a:b])) for a, b in spans]
        # The header the model read names the article and its outlet: both can be the answer.
        title_terms = content_terms(f"{p.title or ''} {p.source or ''}")
        for i, (a, b) in enumerate(spans):
            own = terms[i]
            if phrase and f" {phrase} " not in f" {' '.join(words(p.text[a:b]))} ":
                continue
            # The sentence itself (and the header the model read) must state the answer: with its
            # neighbours' words too, "20 PWNED" found "20" in one sentence and "PWNED" in an
            # injected one next to it.
            stated = own | title_terms
            coverage, alone = _coverage(target, added, stated), _coverage(target, added, own)
            # "13" for how far apart the troops stand is no distance because a dateline reads
            # "SEOUL, 13 November 2017".
            stated_numbers = _amounts(p.text[a:b], question) if how_much else _numbers(p.text[a:b])
            # "This page reflects the news from the trial on Wednesday, June 25" dates the page.
            if (numbers - given - stated_numbers or not _measures_stated(direct, p.text[a:b], given)
                    or about_the_page(p.text, a, b)
                    or (how_much and not _toll_stated(direct, question, p.text[a:b],
                                                      p.text[spans[i - 1][0]:spans[i - 1][1]] if i else ""))
                    or (how_much and not _count_stated(direct, question, p.text[a:b], similar))
                    or (negated and not negation_stated(direct, p.text[a:b]))
                    or (affirmed and (negates(target, p.text[a:b]) or said_of_another(target, p.text[a:b])))
                    or (plain_yes and (_DENIAL.search(p.text[a:b]) or done_by_another(question, p.text[a:b])))
                    or (unit and not _unit_stated(numbers, unit, p.text[a:b]))
                    or acted_on(direct, question, p.text[a:b])
                    or number_of_another(direct, question, p.text[a:b])):
                continue
            if coverage < MIN_COVERAGE or not (target & own or numbers or phrase):
                continue
            rel = _relevance(relevance, p, spans, i, q_terms, own)
            # Stating the answer comes first; closeness to the question breaks ties (evidence
            # scores run up to about 2.5, so coverage is weighted to outrank them).
            score = 3 * coverage + rel + (0.1 if n in cited else 0.0)
            if best is None or score > best[0]:
                best = (score, _quoted(n, p, spans, i, coverage, rel))
            # A fragment ("Red Bull Racing.") repeats the reply without saying anything of it.
            quotable = alone if len(p.text[a:b].split()) >= QUOTE_MIN_WORDS else 0.0
            if shown is None or score + 3 * quotable > shown[0]:
                shown = (score + 3 * quotable, _quoted(n, p, spans, i, coverage, rel))
            if quotable >= MIN_COVERAGE and (closest is None or rel > closest[0]):
                closest = (rel, _quoted(n, p, spans, i, coverage, rel))
    if best is None and OUTLET_QUESTION.search(question):
        return _reported_by(target, question, passages, cited, relevance)
    if best is None or shown is None:
        return None
    if (closest is not None and closest[0] > best[1].relevance + CLOSEST_MARGIN
            and not descriptive(question)):
        # The sentence that states most of the reply is about something else ("fired about 20
        # warning shots on Thursday, 21 December 2017" for when the fog crossing happened) while
        # another states it by itself and is much closer to the question: that one is the support.
        # Not for a description, whose words are the answer: "The guards withdrew after the
        # shots" (what happened after the warning shots?) is stated by the sentence that says
        # "withdrew", not by the closer one on the shots that lacks it.
        return closest[1]
    return replace(shown[1], relevance=best[1].relevance)


def _relevance(relevance: dict[tuple[str, int], float] | None, p: Passage, spans: list[tuple[int, int]],
               i: int, q_terms: set[str], own: set[str]) -> float:
    """Sentence ``i``'s evidence score (its share of the question's words when unscored). A
    sentence that points back ("The second is the tighter surveillance ...") says what the one
    before it introduces ("Analysts point to two pressures."): it is as close to the question as
    the closest of the two (going back over a second pointer, "The first is ...")."""
    rel = (relevance or {}).get((p.doc_id, p.start + spans[i][0]))
    if rel is None:
        rel = len(q_terms & own) / (len(q_terms) or 1)
    k = i
    while k > 0 and k > i - 2 and REFERS_BACK.match(p.text[spans[k][0]:spans[k][1]]):
        k -= 1
        before = (relevance or {}).get((p.doc_id, p.start + spans[k][0]))
        if before is not None:
            rel = max(rel, before)
    return rel


def _coverage(target: set[str], added: set[str], stated: set[str]) -> float:
    """Share of the reply's content words ``stated`` holds, or of those it adds to the question
    when that is more."""
    coverage = len(target & stated) / len(target) if target else 1.0
    return max(coverage, len(added & stated) / len(added)) if added else coverage


def _reported_by(target: set[str], question: str, passages: Sequence[Passage], cited: Sequence[int],
                 relevance: dict[tuple[str, int], float] | None) -> Support | None:
    """"Which newspaper reported ...?" answered with the outlet that carried the article, which
    only its header names (no report names the paper it appears in): the sentence of that outlet's
    passages closest to the question, preferring one that attributes the fact ("According to the
    Korea JoongAng Daily, ..."), which shows where the report itself got it."""
    # What was reported: the question without its asking for an outlet. A quoted sentence must
    # name some of it ("No further exchange of fire was reported" is no report of a shooting).
    subject = content_terms(OUTLET_QUESTION.sub(" ", question)) - {term("report")}
    best: tuple[float, Support] | None = None
    for n, p in enumerate(passages, 1):
        outlet = content_terms(p.source or "")
        if not target or len(target & outlet) / len(target) < MIN_COVERAGE:
            continue
        spans = split_sentences(p.text)
        for i, (a, b) in enumerate(spans):
            own = content_terms(p.text[a:b])
            if subject and not subject & own:
                continue
            rel = (relevance or {}).get((p.doc_id, p.start + a))
            if rel is None:
                rel = len(subject & own) / (len(subject) or 1)
            score = rel + (0.5 if ATTRIBUTION.search(p.text[a:b]) else 0.0) + (0.1 if n in cited else 0.0)
            if best is None or score > best[0]:
                best = (score, _quoted(n, p, spans, i, len(target & outlet) / len(target), rel))
    return best[1] if best else None


# A named source a sentence attributes its fact to: "According to the Korea JoongAng Daily, ...",
# "..., reported by Reuters", "citing The Times", "Bloomberg reported".
_NAME_RUN = r"[A-Z][\w'’&.-]*(?:\s+(?:of\s+|&\s+)?[A-Z][\w'’&.-]*)*"
_ATTRIBUTED = re.compile(r"\b(?:[Aa]ccording to|(?:reported|quoted|cited) by|[Cc]iting)\s+(?:[Tt]he\s+)?(" + _NAME_RUN + ")"
                         r"|(?<![\w’'])(" + _NAME_RUN + r")\s+(?:has\s+)?reported\b")


_ASKS_WHO_REPORTED = re.compile(r"\b(?:report|reveal|broke|break|disclos|said|say|cite|cited|quot|first)\w*", re.I)


def attributed_outlet(question: str, ranked: Sequence, passages: Sequence[Passage],
                      min_score: float) -> tuple[str, Support] | None:
    """"Which newspaper reported ...?" answered from the evidence ranking instead of the model:
    the source named by the best-scored evidence sentence (``ranked``: ``evidence.Sentence``,
    best first) that attributes what it says ("According to the Korea JoongAng Daily, the
    soldier had been shot in the shoulder ...") and names some of what was reported; with that
    sentence as the quote. None when no sentence scoring ``min_score`` or more does.

    Why: asked, the 0.5B model named the outlet in a passage header ("Border Desk Daily"), whose
    report said nothing of the kind, or a place from the question's sentence.

    Only a question about who reported or said something counts: for "which newspaper endorsed
    Harris?" the source a report names is not the answer.

    Limits: English attribution phrases; the named source may be an agency or a person rather
    than a newspaper ("according to Kim, ...")."""
    if not _ASKS_WHO_REPORTED.search(question):
        return None
    subject = content_terms(OUTLET_QUESTION.sub(" ", question)) - {term("report")}
    for x in ranked:  # in the evidence's order, which spreads articles: not strictly by score
        if x.score < min_score:
            continue
        m = _ATTRIBUTED.search(x.text)
        if m is None or (subject and not subject & x.terms):
            continue
        name = re.sub(r"^The\s+", "", (m.group(1) or m.group(2)).rstrip(".,;:"))
        if not content_terms(name):
            continue
        quoted = _ranked_quote(x, passages, antecedent=False)
        if quoted is not None:
            return name, quoted
    return None


# "Who said the soldier crossed in fog?": asks for the speaker a report attributes a statement to.
SPEAKER_QUESTION = re.compile(r"^\W*who\s+(?:said|says|told|announced|confirmed|claimed|warned|stated|reported)\b",
                              re.I)
_GENERIC_SPEAKER = (r"(?:military|army|police|government|ministry|officials?|spokes(?:man|woman|person)|sources?|"
                    r"authorities|agency|command|investigators|prosecutors|doctors|analysts|experts|witnesses|"
                    r"researchers|economists|residents)")
_ONE_SPEAKER = (r"(?:(?:[Tt]he\s+)?(?:" + _NAME_RUN + r")(?:\s+" + _GENERIC_SPEAKER + r")*"
                r"|(?:the\s+)?(?:[a-z]+\s+)?" + _GENERIC_SPEAKER + r"(?:\s+" + _GENERIC_SPEAKER + r")*)")
_SPEAKER = _ONE_SPEAKER + r"(?:\s+and\s+" + _ONE_SPEAKER + r")?"
_SPOKE = re.compile(r"(?:^|,\s*|\b(?:[Bb]ut|[Aa]nd)\s+)(" + _SPEAKER + r")\s+(?:said|says|say|told|announced|confirmed|added)\b"
                    r"|\b(?:[Aa]ccording to|said)\s+(" + _SPEAKER + r")[.,;]")


# What a speaker match may start with that is not the speaker's name ("But analysts say", "the
# Korea JoongAng Daily").
_LEADING = re.compile(r"^(?:[Bb]ut\s+|[Aa]nd\s+)?(?:[Tt]he\s+(?=[A-Z]))?")


def attributed_speaker(question: str, ranked: Sequence, passages: Sequence[Passage],
                       min_score: float) -> tuple[str, Support] | None:
    """"Who said ...?" answered from the evidence ranking instead of the model: the speaker of the
    evidence sentence (``ranked``, as for ``attributed_outlet``; scoring ``min_score`` or more)
    that states most of what the question says was said, the best-scored on a tie ("... walking
    across the demilitarised zone under cover of thick fog, South Korea's Joint Chiefs of Staff
    said."), with that sentence as the quote.

    Why: asked, the 0.5B model named the people the sentence is about ("South Korean guards").

    Limits: English attributions after or before a capitalised name ("..., X said", "X said
    ...", "according to X", "..., said X"), the speaker as written (a name, or a generic one such
    as "the military" or "doctors and officials"); a quote that spans sentences is attributed
    only in its last."""
    m = SPEAKER_QUESTION.match(question)
    if m is None:
        return None
    subject = content_terms(question[m.end():])
    if not subject:
        return None
    found: list[tuple[float, float, str, object]] = []
    for x in ranked:
        coverage = len(subject & x.terms) / len(subject)
        if x.score < min_score or coverage < MIN_COVERAGE:
            continue
        spoke = _SPOKE.search(x.text)
        if spoke is None:
            continue
        name = _LEADING.sub("", (spoke.group(1) or spoke.group(2)).strip())
        if content_terms(name):
            found.append((coverage, x.score, name, x))
    # Stating what was said comes first: "South Korean soldiers fired about 20 warning shots ...,
    # the military said" is closer to "who said no South Korean soldiers returned fire?" than
    # the sentence that says it.
    for _, _, name, x in sorted(found, key=lambda f: (-f[0], -f[1])):
        quoted = _ranked_quote(x, passages, antecedent=False)
        if quoted is not None:
            return name, quoted
    return None


# "Who fired at the soldier?", "Who shot him?", "Who found the wounded soldier?", "Who is suing
# Candace Owens?": who did it, or is doing it.
AGENT_QUESTION = re.compile(r"^\W*(?:and\s+)?who\s+(?:(?:is|are|was|were)\s+(?=[a-z]+ing\b))?"
                            r"(?!(?:is|are|was|were|be|been|being|did|does|do|has|have|had|will|would|"
                            r"can|could|should|may|might|must)\b)(?P<verb>[a-z]+)\b(?P<rest>[^?]*)", re.I)
_PASSIVE = frozenset("was were been being is are be get got gets".split())
# Where a doer's name ends going back from its verb, or forward from "by".
_CLAUSE_EDGE = frozenset("as when while and but that who which after before because where since if than or "
                         "during in on at with from to for near across along into through over under about "
                         "around between against within outside inside".split())
_PRONOUNS = frozenset("he she they it we i you his her their its them him one".split())
_DETERMINERS = frozenset("a an the his her their its this that these those my our your no any some every each "
                         "another".split())
AGENT_WORDS = 6
AGENT_COVERAGE = 0.5
# A word right after one of these is a noun, not the verb: "the run of crossings".
_PREPOSITIONS = frozenset("of for in on at with from about into over under between among".split())
# Between a doer and its verb: "George Washington ... had already served" has no doer there.
_AUXILIARY = frozenset("had has have already also then later just first only still even once finally recently "
                       "previously reportedly allegedly".split())
_TIME_WORDS = re.compile(r"\b(?:" + _MONTH + r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day|\d{4})(?!\w)", re.I)


# Verbs (stems) whose doer answers "who <did> ...?" for any of the others: "South Korean guards
# spotted the man" says who found him.
_SAME_DEED = (("found", "find", "spot", "discov", "locat", "detect"), ("arrest", "detain", "apprehend"),
              ("leav", "withdraw", "withdrew", "withdrawn", "retreat"))


# States that say the same of whom they befell: "Has anyone died in the fire?" is answered by
# "... has killed at least two people". (Not deeds: who killed is not who died.)
_SAME_STATE = (("die", "kill", "dead", "death"), ("injur", "injuri", "wound", "hurt"))


def _deeds(word: str) -> tuple[str, ...]:
    """The stems whose doer answers for ``word`` (``_SAME_DEED``), its own stem at least.
    "founded" shares the stem of "found" but means established: it has only its own."""
    stem = term(word.lower())
    if word.lower().startswith("found") and word.lower() != "found":
        return (stem,)
    return next((g for g in _SAME_DEED if stem in g), (stem,))


def attributed_agent(question: str, ranked: Sequence, passages: Sequence[Passage],
                     min_score: float) -> tuple[str, Support] | None:
    """"Who <did> ...?" answered from the evidence ranking instead of the model: the doer of the
    question's verb in the best-scored evidence sentence (``ranked``; scoring ``min_score`` or
    more) that has one and holds most of the rest of the question: the words before the verb
    ("... as North Korean guards fired at him") or after "by" when it is passive ("shot by his
    own side"), with that sentence as the quote.

    Why: asked "Who fired at the soldier in November?", the 0.5B model copied a sentence about
    the defector, then refused; the best evidence sentence said "as North Korean guards fired at
    him".

    A sentence that opens by referring back ("He was found wounded by South Korean troops") holds
    the rest of the question when its article named all of it before (``_told_of``).

    Limits: English word order; the verb must be written in the sentence as in the question
    (its stem: "fired" finds "fire", "firing", not "opened fire"), or be one of the same deed
    (``_SAME_DEED``: "spotted" for "found"); when the best such sentence's
    doer is a pronoun ("he fired") the model is asked instead; the doer is at most
    ``AGENT_WORDS`` words, cut at a comma or a clause word."""
    m = AGENT_QUESTION.match(question)
    if m is None or SPEAKER_QUESTION.match(question):
        return None
    verb = term(m.group("verb").lower())
    deeds = _deeds(m.group("verb"))
    # The time asked about is the window's business ("in November"), and a sentence that names
    # the doer often calls the one done to "him": half of the rest will do.
    rest = content_terms(_TIME_WORDS.sub(" ", m.group("rest"))) - _INDEFINITE
    for x in sorted(ranked, key=lambda x: -x.score):
        if x.score < min_score:
            continue
        # "He was found wounded by South Korean troops": who "he" is, its article told before.
        if rest and not (len(rest & x.terms) >= AGENT_COVERAGE * len(rest)
                         or (REFERS_BACK.match(x.text) and _told_of(x, rest))):
            continue
        name = next((d for d in (_doer(x.text, v) for v in deeds) if d is not None), None)
        if name == "" and re.match(r"\W*(?:he|she)\b", x.text, re.I):
            # "He then threw a sub-style sandwich at the officer's chest": the one person the
            # sentences before name as a doer ("Dunn yelled at the officer") is "he".
            name = _antecedent_person(x) or ""
        if name == "":
            # "... when he wrote the Star-Spangled Banner": the best sentence names its doer in
            # the sentence before; another sentence's doer ("Nezza wrote in the onscreen text")
            # would answer something else. The model reads both.
            return None
        if name is None or content_terms(name) <= content_terms(question):
            # No doer, or the question's own name ("Washington only served as president twice"
            # for who served as Washington's vice president).
            continue
        quoted = _ranked_quote(x, passages, antecedent=False)
        if quoted is not None:
            return name, quoted
    return None


# A capitalised name (up to three words) doing something: "Dunn yelled", "Bondi said".
_NAME_DOING = re.compile(r"\b((?:[A-Z][a-z’'-]+\s+){0,2}[A-Z][a-z’'-]+)\s+(?:[a-z]+ly\s+)?(?:[a-z]+ed|said|told|says|wrote)\b")
ANTECEDENT_SENTENCES = 3


def _antecedent_person(x) -> str | None:
    """Who "he" or "she" opening evidence sentence ``x`` is: the one name the sentences before it
    (``ANTECEDENT_SENTENCES``, in its chunk) give as the doer of something, as its chunk writes it
    most fully ("Sean Charles Dunn" for "Dunn yelled at the officer"); None when they name none
    or several. Limits: a name is capitalised words that the chunk never writes in lower case,
    followed by a verb ending in -ed or a speech verb; no gender check."""
    before = x.passage.text[:x.start]
    recent = " ".join(before[a:b] for a, b in split_sentences(before)[-ANTECEDENT_SENTENCES:])
    lower = {w for w in re.findall(r"\b[a-z][\w’'-]*", before)}
    names = {m.group(1).split()[-1]: m.group(1) for m in _NAME_DOING.finditer(recent)
             if not any(w.lower() in lower or w.lower() in STOPWORDS for w in m.group(1).split())}
    if len(names) != 1:
        return None
    last = next(iter(names))
    fullest = [m.group(1) for m in re.finditer(rf"\b((?:[A-Z][a-z’'-]+\s+){{0,2}}{re.escape(last)})\b", before)
               if not any(w.lower() in lower or w.lower() in STOPWORDS for w in m.group(1).split())]
    return max(fullest, key=len, default=last)


def doer_in_reply(direct: str, question: str) -> str | None:
    """The doer a reply to "Who <did> ...?" names when the reply is a whole sentence around the
    question's verb ("The North Korean soldier crossed the demilitarised zone in thick fog" for
    "Who crossed the border in the fog?" gives "North Korean soldier"); None when it names none,
    or only the question's own words.

    Why: such a reply answers; sent back for the name alone (``too_long``), the 0.5B model said
    the archive does not say."""
    m = AGENT_QUESTION.match(question)
    if m is None or SPEAKER_QUESTION.match(question) or len(direct.split()) < LONG_REPLY_WORDS:
        return None
    name = _doer(direct, term(m.group("verb").lower()))
    if not name or content_terms(name) - _INDEFINITE <= content_terms(question):
        return None
    return name


_DAY_DATE = re.compile(r"(?:\b(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:" + _DATE_IN_TEXT.pattern + ")", re.I)


def date_in_reply(direct: str, question: str) -> str | None:
    """The one date a sentence-long reply to "When ...?" holds ("Friday, June 20" of "The summer
    solstice will take place on Friday, June 20, at 10:42 p.m. ET, according to Space.com"; "August
    1" of "August 1, in a series of letters to foreign leaders"); None when it holds none, or two
    (the question's own dates aside).

    Why: such a reply answers; sent back for the date alone (``too_long``), the 0.5B model said
    the archive does not say (2 of the 8 "when" questions of a natural question set).
    Limits: dates with a month name; "Monday" or "next week" alone is not read off."""
    if not WHEN_QUESTION.match(question) or _WHAT_TIME.search(question) or not too_long(direct, question):
        return None
    asked = question.lower()
    dates = [m.group(0).rstrip(",. ") for m in _DAY_DATE.finditer(strip_markers(direct))
             if m.group(0).lower().rstrip(",. ") not in asked]
    if len({_DATE_IN_TEXT.search(d).group(0).lower().rstrip(".") for d in dates}) != 1:
        return None
    return dates[0]


_WHEN_ONLY = re.compile(r"^\W*(?:and\s+)?when\b", re.I)


def year_of_date(direct: str, question: str) -> str | None:
    """"In <year>" for the one dated day a reply to "When ...?" names ("In 2021" of "The Hensels
    got married on April 8, 2021"), to be checked when no sentence states the whole date; None for
    other questions (a question for the date or the day wants that), for a reply without such a
    date or with several, or for the question's own year.

    Why: the 0.5B model fills a day it does not know with one of the prompt's (the question's
    as-of date): "married on April 8, 2021" stood on no sentence and the whole answer was refused,
    while "... had a private wedding ceremony in 2021" states its year.
    Limits: only the year is kept, never the month."""
    if not _WHEN_ONLY.match(question) or _WHAT_TIME.search(question):
        return None
    years = {y for m in _DATE_IN_TEXT.finditer(strip_markers(direct))
             for y in re.findall(r"\b(?:1[89]|20)\d\d\b", m.group(0))}
    if len(years) != 1 or (year := years.pop()) in question:
        return None
    return f"In {year}"


_HOW_MANY = re.compile(r"\bhow\s+many\b", re.I)
_COUNT_IN_REPLY = re.compile(r"(?<![\w.,$])(\d[\d,]*(?:\.\d+)?)(?![\w,])")


def count_in_reply(direct: str, question: str) -> str | None:
    """The one number of a reply to "How many ...?" that restates the question around it ("18" of
    "18 Democrats voted with Republicans to pass the Senate crypto bill in June 2025"); None for a
    reply of three words or fewer, or one with no number or several (the question's own numbers
    and dates aside). The stating sentence is quoted under it, so what it counts is shown there.

    Why: checked as it is, such a reply needs a sentence holding all its words ("voted", "June"),
    and was refused although "... found support from 18 Democrats ..." states the count."""
    text = strip_markers(direct)
    if not _HOW_MANY.search(question) or len(text.split()) <= 3:
        return None
    asked = set(words(question))
    found = [m for m in _COUNT_IN_REPLY.finditer(_DATE_IN_TEXT.sub(" ", text))
             if m.group(1).replace(",", "") not in asked and not re.fullmatch(r"(?:19|20)\d\d", m.group(1))]
    if len(found) != 1:
        return None
    return found[0].group(1)


# "How strong was the earthquake?" asks for a rating on a scale: a magnitude, a hurricane's
# category, a tornado's EF rating.
_HOW_STRONG = re.compile(r"\bhow\s+(?:strong|powerful|big|large|intense|severe)\b", re.I)
_SCALE = re.compile(r"\b(?:(?:a\s+)?magnitude[- ]\d+(?:\.\d+)?|\d+(?:\.\d+)?[- ]magnitude|category[- ]\d|EF-?\d)\b",
                    re.I)


def scale_in_reply(direct: str, question: str) -> str | None:
    """The one rating of a reply to "How strong / powerful / big ...?" that is a sentence around
    it: "Magnitude 8.8" of "The magnitude 8.8 earthquake off Russia's Kamchatka Peninsula on July
    29 brought tsunami waves to Hawaii ..." (the model copied the sentence, which the answer then
    quotes under the rating). None for a reply of three words or fewer, or one with no rating or
    two different ones ("a Category 5 storm downgraded to Category 3").

    Limits: magnitudes, categories and EF ratings written in digits, in English."""
    text = strip_markers(direct)
    if not _HOW_STRONG.search(question) or len(text.split()) <= 3:
        return None
    found = {m.group(0).lower().removeprefix("a ").replace("-", " ") for m in _SCALE.finditer(text)}
    found = {" ".join(reversed(f.split())) if f.endswith("magnitude") else f for f in found}
    if len(found) != 1:
        return None
    rating = found.pop()
    return rating[:1].upper() + rating[1:]


# Words that place a reply in time: a date, a day, a season, a span, "after the vote", "now".
_TIMING = re.compile(r"\d|\b(?:" + _MONTH + r"|\w+day|yesterday|today|tomorrow|tonight|now|soon|later|earlier|ago|"
                     r"next|last|this|season|spring|summer|fall|autumn|winter|morning|afternoon|evening|night|"
                     r"noon|midnight|decades?|century|hours?|days?|weeks?|weekend|months?|years?|after|before|"
                     r"during|until|since|when|while|once|early|late|mid|end|beginning|start|dawn|dusk|"
                     r"christmas|easter|holidays?)(?!\w)", re.I)


def untimed(direct: str, question: str) -> bool:
    """Whether a reply to "When ...?" holds nothing of time: "The DART mission is about to
    collide with an asteroid Dimorphos" for when the spacecraft will hit it. Such a reply is no
    answer, whatever sentence states it (the evidence's own date is looked for instead)."""
    return (bool(WHEN_QUESTION.match(question)) and not _WHAT_TIME.search(question)
            and not _TIMING.search(strip_markers(direct)))


# "May 215-214": a month and a number no day is (the House vote's tally).
_NO_DAY = re.compile(r"\b" + _MONTH + r"\s+(?!(?:1[0-9]|20)\d\d\b)(?:3[2-9]|[4-9]\d|\d{3,})\b", re.I)


def garbled_date(direct: str) -> bool:
    """Whether a reply writes a month with a number no day of it can be and no year either: "May
    215-214" for "On what day did the House first pass the bill?" (the vote was 215-214 in May)."""
    return bool(_NO_DAY.search(strip_markers(direct)))


# "Who got the most nominations?": a sentence that says someone got one states no "most".
_MOST_ASKED = re.compile(r"^\W*(?:who|whom|which|what)\b[^?]*?(?:\bthe\s+|['’]s\s+)most[\s-]+(?!(?:recent(?:ly)?|likely|"
                         r"of|often|commonly)\b)(?P<thing>[a-z][\w-]*)", re.I)
_SUPERLATIVE = re.compile(r"\b(?:lead(?:s|ing)?|led|top(?:s|ped)?|highest|largest|biggest|greatest|best|record|"
                          r"more\s+[\w-]+\s+than\s+any|no\.?\s*1|number\s+one|leader)\b", re.I)


def superlative_unstated(question: str, sentence: str) -> bool:
    """Whether a sentence answers "who / which ... the most <thing>?" without saying most of
    it: "Pop titan Taylor Swift, the most decorated solo artist in VMAs history, also nabbed a
    nomination" for "Who got the most nominations for the 2025 MTV VMAs?" (Lady Gaga led).
    "Most" counts only with the thing within three words after it, alone, or in a ranking ("the
    second most behind Lady Gaga"); a word of leading ("leads", "top", "record", "highest")
    anywhere. Limits: English; "most recent / likely" ask for no superlative of a count."""
    m = _MOST_ASKED.search(question)
    if m is None or _SUPERLATIVE.search(sentence):
        return False
    thing = term(m.group("thing").split("-")[0].lower())
    for most in re.finditer(r"\bmost\b", sentence, re.I):
        after = words(sentence[most.end():])[:3]
        if (not after or not after[0].isalpha() or after[0].lower() in ("behind", "after", "ahead")
                or thing in {term(w.lower()) for w in after}):
            return False
    return True


# "Sean Duffy is Trump pick for NASA interim head": a capitalised name, a form of "be", the rest.
_NAMED_SUBJECT = re.compile(r"^\W*(?P<name>(?:[A-Z][\w'’.&-]*\s+){0,4}[A-Z][\w'’.&-]*)\s+"
                            r"(?:is|was|are|were|has been|have been|will be)\s+(?P<rest>.+)$")
# The same with "The" before the name and where it is after it, and the kind a "Which <noun>"
# question asks for.
_KIND_SUBJECT = re.compile(r"^\W*(?:[Tt]he\s+)?(?P<name>(?:[A-Z][\w'’.&-]*\s+){0,4}[A-Z][\w'’.&-]*)"
                           r"(?:,?\s+in\s+[A-Z][\w'’.-]*(?:,?\s+[A-Z][\w'’.-]*)*,?)?\s+"
                           r"(?:is|was|are|were|has been|have been|will be)\s+(?P<rest>.+)$")
_WHICH_KIND = re.compile(r"^\W*which\s+([a-z]+)\b(?!\s+of\b)", re.I)
# "Who ...?", "Which <noun> ...", "What <noun> ...": a question whose answer is a name.
_ASKS_NAME = re.compile(r"\b(?:who|whom|which|what)\b", re.I)


def named_subject(direct: str, question: str) -> str | None:
    """The name a sentence-long reply opens with, when the rest of the reply restates the
    question ("Sean Duffy is Trump pick for NASA interim head" for "Trump has named an interim
    NASA administrator. Which of the following people did he select?" gives "Sean Duffy");
    else None.

    Why: a copied headline of that shape answers; sent back for the name alone
    (``too_long``), the 0.5B model said the archive does not say.
    Limits: the name is the capitalised words before "is" / "was" and must be new to the
    question; at least two of the rest's content words, and half of them, must be the
    question's (the rest of "Hayden was fly fishing as part of a trip with the Kraken" adds a
    new story, not the question's)."""
    if (not _ASKS_NAME.search(question) or descriptive(question) or yes_no(question)
            or not too_long(direct, question)):
        return None
    asked = content_terms(question)
    kind = _WHICH_KIND.search(question)
    placed = _KIND_SUBJECT.match(strip_markers(direct).strip())
    if (kind is not None and placed is not None and len(placed.group("name").split()) > 1
            and term(placed.group("name").split()[-1].lower()) == term(kind.group(1).lower())
            and content_terms(placed.group("rest")) & asked):
        # "The Huanan Seafood Market in Wuhan, China, was most likely the epicenter ..." for
        # "Which market did the studies point to as the epicenter of Covid-19?": a name of the
        # kind asked for, said to be what the question says of it.
        return placed.group("name")
    m = _NAMED_SUBJECT.match(strip_markers(direct).strip())
    if m is None:
        return None
    name = m.group("name")
    rest = content_terms(m.group("rest"))
    if not content_terms(name) or content_terms(name) & asked:
        return None
    shared = rest & asked
    if len(shared) < 2 or 2 * len(shared) < len(rest):
        return None
    return name


_WHICH_THING = re.compile(r"\b(?:which|what)\s+(?!(?:is|was|are|were|did|does|do|has|have|had|will|would|can)\b)[a-z]",
                          re.I)
_NAME_IN_REPLY = re.compile(r"(?<![\w'’.-])[A-Z][\w'’.&-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w'’.&-]*)*")


def embedded_name(direct: str, question: str) -> str | None:
    """The one name new to the question in a sentence-long reply that otherwise restates it
    ("The periwinkle custom Alexander McQueen dress Kate Middleton re-wore to the 2021 Earthshot
    Prize" for "Which designer made the periwinkle dress Kate Middleton re-wore to the 2021
    Earthshot Prize?" gives "Alexander McQueen"); else None.

    Why: the restated words are no sentence's, so no sentence states the reply as written.
    Limits: "which / what <thing>" questions only ("who replaced the cables?" is answered by the
    doer, not the new name: ``doer_in_reply``); a name is a run of capitalised words (an opening
    "The" is none); two new names, a name that speaks ("Maria Okafor said"), or a rest of the
    reply not mostly the question's words (at least two, and half), give None."""
    if (not _WHICH_THING.search(question) or descriptive(question) or yes_no(question)
            or len(direct.split()) < LONG_REPLY_WORDS):
        return None
    asked = content_terms(question)
    text = strip_markers(direct).strip()
    new = [m for m in _NAME_IN_REPLY.finditer(text)
           if content_terms(m.group(0)) and not content_terms(m.group(0)) & asked
           and m.group(0).lower() not in ("the", "a", "an")]
    if len(new) != 1 or re.match(rf"\W*{_SAYS}\b", text[new[0].end():]):
        return None
    rest = content_terms(text[:new[0].start()] + " " + text[new[0].end():])
    shared = rest & asked
    if len(shared) < 2 or 2 * len(shared) < len(rest):
        return None
    return new[0].group(0)


def _doer(sentence: str, verb: str) -> str | None:
    """Who does ``verb`` (a stem) in ``sentence``: the words before it, or after "by" when it is
    passive; "" when that is a pronoun ("he wrote"), None when the verb has no doer there."""
    tokens = re.findall(r"[\w'’-]+|[,;:()\"“”]", sentence)
    for i, tok in enumerate(tokens):
        if term(tok.lower()) != verb:
            continue
        before = [t.lower() for t in tokens[max(0, i - 3):i]]
        if (before and (before[-1] in _DETERMINERS or before[-1] in _PREPOSITIONS)) or tok.lower().endswith("ings"):
            continue  # "the fire", "a win", "the run of crossings": the noun, not the verb
        # "are suing": the form of "be" makes it progressive, not passive.
        progressive = tok.lower().endswith("ing")
        if not progressive and any(t in _PASSIVE for t in before):
            k = next((j for j in range(i + 1, min(i + 5, len(tokens))) if tokens[j].lower() == "by"), None)
            if k is None:
                continue
            span = []
            for t in tokens[k + 1:]:
                if not re.match(r"[\w'’-]", t) or t.lower() in _CLAUSE_EDGE or len(span) == AGENT_WORDS:
                    break
                span.append(t)
        else:
            span = []
            j = i
            while j > 0 and (tokens[j - 1].lower() in _AUXILIARY or (progressive and tokens[j - 1].lower() in _PASSIVE)):
                j -= 1
            for t in reversed(tokens[:j]):
                if not re.match(r"[\w'’-]", t) or t.lower() in _CLAUSE_EDGE or len(span) == AGENT_WORDS:
                    break
                span.insert(0, t)
            # "the South Korean side fired": the article is not part of the name.
            while span and span[0].lower() in ("the", "a", "an"):
                span.pop(0)
        if span and span[-1].lower() in _PRONOUNS:
            return ""
        if span and content_terms(" ".join(span)):
            return " ".join(span)
    return None


# "What did doctors say about the defector?": asks for what a named speaker said.
SAID_QUESTION = re.compile(r"^\W*what\s+(?:did|does|do|has|have|had)\s+(?P<who>.+?)\s+"
                           r"(?:say|said|tell|told|report|reported|announce|announced|claim|claimed)\b(?P<rest>.*)$",
                           re.I | re.S)


def said_question(question: str) -> bool:
    """Whether the question asks what someone said: "What did doctors say about the defector?",
    not "What did Nezza do at the game even though staff had told her not to?"."""
    m = SAID_QUESTION.match(question)
    return bool(m) and len(m.group("who").split()) <= 6 and not _DOING.search(m.group("who"))


_DOING = re.compile(r"\b(?:do|does|did|doing|done)\b", re.I)


def attributed_statement(question: str, ranked: Sequence, passages: Sequence[Passage],
                         min_score: float) -> Support | None:
    """"What did <speaker> say ...?" answered from the evidence ranking instead of the model: the
    evidence sentence (``ranked``; scoring ``min_score`` or more) attributed to a speaker that
    shares a word with the one asked about ("... was recovering in hospital on Tuesday after
    surgery, doctors and officials said." for "what did doctors say about the defector?"), the
    one naming most of the rest of the question first, then the best-scored; quoted whole.

    Why: asked, the 0.5B model refused, or answered with a sentence about the speaker rather than
    by them.

    Limits: the attributions ``attributed_speaker`` reads; a statement spread over several
    sentences is quoted only in the one that carries the attribution."""
    if not said_question(question):
        return None
    m = SAID_QUESTION.match(question)
    who, rest = content_terms(m.group("who")), content_terms(m.group("rest"))
    if not who:
        return None
    found: list[tuple[float, float, object]] = []
    for x in ranked:
        if x.score < min_score:
            continue
        if any(who & content_terms(s.group(1) or s.group(2)) for s in _SPOKE.finditer(x.text)):
            found.append((len(rest & x.terms) / len(rest) if rest else 1.0, x.score, x))
    for _, _, x in sorted(found, key=lambda f: (-f[0], -f[1])):
        quoted = _ranked_quote(x, passages)
        if quoted is not None:
            return quoted
    return None


# A clause that denies its subject: "..., and no one on the southern side was hurt", "Nobody was
# arrested", "No soldiers returned fire" (at a clause start: "there was no doubt" denies nothing).
_CLAUSE_DENIAL = re.compile(r"(?:^|[,;:]\s*|\b(?:and|but|while)\s+)(?:no\s+one|nobody|none|nothing|no\s+[a-z]+)\b",
                            re.I)


_INDEFINITE = content_terms("anyone anybody anything someone somebody something any ever")
_ANYONE = re.compile(r"\b(?:anyone|anybody|someone|somebody|everyone|everybody)\b", re.I)
_PEOPLE = re.compile(r"\b(?:people|person|persons|residents?|man|men|woman|women|child|children|boys?|girls?|"
                     r"victims?|passengers?|workers?|soldiers?|troops|civilians?|officers?|police|students?|"
                     r"patients?|staff|crew|members?|fans?|tourists?|visitors?|he|she|they|him|her|them|"
                     r"dead|deaths?|died|bodies|fatalit\w+|casualt\w+|injur\w+)\b", re.I)


def denied(question: str, ranked: Sequence, passages: Sequence[Passage], min_score: float,
           min_terms: int = 2) -> Support | None:
    """A yes/no question that an evidence sentence (``ranked``; scoring ``min_score`` or more)
    answers no in the question's own words: the sentence holds every content word of the question
    and denies it ("No further exchange of fire was reported, and no one on the southern side was
    hurt." for "Was anyone on the southern side hurt?"), the best-scored first; quoted whole.

    Why: the 0.5B model answered that question "The soldier was wounded on the southern side",
    from a sentence on the defector's own wounds.

    Limits: the denial is a clause opening with "no one", "nobody", "none", "nothing" or "no
    <word>", or a "not" / "never" / "n't" before one of the question's words; a question of fewer
    than ``min_terms`` content words (two: "Was anyone hurt?" finds any denial of hurt), or one
    that is itself negated ("Wasn't he armed?"), is left to the model."""
    if not yes_no(question) or _NEGATION.search(question):
        return None
    # "anyone" is what "no one" answers, not a word the sentence must hold.
    q_terms = content_terms(question) - _INDEFINITE
    if len(q_terms) < min_terms:
        return None
    for x in sorted(ranked, key=lambda x: -x.score):
        if x.score < min_score or not q_terms <= x.terms:
            continue
        if _CLAUSE_DENIAL.search(x.text) or any(term(m.group(1).lower()) in q_terms
                                                for m in _NEGATED_WORD.finditer(x.text)):
            quoted = _ranked_quote(x, passages, antecedent=False)
            if quoted is not None:
                return quoted
    return None


# A sentence that holds a question's words but does not assert them: a doubt, a plan, a claim of
# one side, a condition.
_HEDGE = re.compile(r"\b(?:whether|if|may|might|could|would|unclear|unknown|reportedly|alleged\w*|claim\w*|"
                    r"deni\w*|den(?:y|ies)|rumou?r\w*|plans?|planned|expected|likely|possibl\w*|question\w*|"
                    r"unconfirmed|deciding|consider\w*)\b|\?", re.I)


# Two words are found in order in too many sentences that say something else: "Did the guards
# leave?" in "With more guards ... on the northern route, ... leaving some soldiers to decide".
AFFIRMED_MIN_TERMS = 3


def affirmed(question: str, ranked: Sequence, passages: Sequence[Passage], min_score: float) -> Support | None:
    """A yes/no question that an evidence sentence (``ranked``; scoring ``min_score`` or more)
    answers yes in the question's own words: the sentence holds every content word of the
    question and asserts it, without a denial or a hedge ("The Joint Security Area, which lies
    inside the demilitarised zone, ..." for "Is the Joint Security Area inside the demilitarised
    zone?"), in the question's order, the best-scored first; quoted whole. The mirror of
    ``denied``. The order matters: "After the fog crossing, ... North Korean guards came close to
    the line" holds every word of "Did the North Korean guards cross the line?" and says no such
    thing.

    Why: the 0.5B model refused such questions (7 of 12 yes/no questions on the sample archive)
    or answered them from a neighbouring sentence.

    Limits: word overlap, not meaning: "left" does not hold "withdrew", so such a question is
    left to the model; a question of fewer than ``AFFIRMED_MIN_TERMS`` content words, or one that
    is itself negated, is left to it too; the hedges are English words."""
    if not yes_no(question) or _NEGATION.search(question):
        return None
    q_terms = content_terms(question) - _INDEFINITE
    if len(q_terms) < AFFIRMED_MIN_TERMS:
        return None
    order = list(dict.fromkeys(t for w in words(question) if (t := term(w)) in q_terms))
    for x in sorted(ranked, key=lambda x: -x.score):
        # "unarmed" denies "armed"; "unusual" in the sentence denies nothing asked.
        if (x.score < min_score or not q_terms <= x.terms or _DENIAL.search(x.text)
                or any(term(m.group(1).lower()) in q_terms for m in _NEGATIVE_FORM.finditer(x.text))
                or _HEDGE.search(x.text) or _weighed(x.text, q_terms)
                or not _in_order(order, [term(w) for w in words(x.text)])):
            continue
        quoted = _ranked_quote(x, passages, antecedent=False)
        if quoted is not None:
            return quoted
    return None


_NEGATIVE_FORM = re.compile(r"\b(?:un|non-?)([a-z]{3,})\b", re.I)


# Word stems this long that begin one another name the same thing: "defected" for "defector".
SAME_STEM_LETTERS = 5


def _named_in(t: str, terms: set[str]) -> bool:
    return t in terms or (len(t) >= SAME_STEM_LETTERS
                          and any(len(u) >= SAME_STEM_LETTERS and (u.startswith(t) or t.startswith(u)) for u in terms))


def _told_of(x, wanted: set[str], articles: dict[str, str] | None = None, quoted: Sequence[str] = ()) -> bool:
    """Whether the article of evidence sentence ``x`` names every term of ``wanted`` in its title
    or in its retrieved chunk up to the end of ``x`` (in its whole text up to there when
    ``articles`` maps its id to that text): who "he" is, in a sentence like "He was unarmed", is
    told before it. A sentence the chat's earlier answers quoted (``quoted``) is about what they
    were about: "Was he questioned?" after "Was he armed?" is answered by the sentence that said
    he was unarmed, "… taken into custody by South Korean troops, who were questioning him"."""
    if quoted and len(x.text.split()) >= 6 and " ".join(x.text.split()) in " ".join(" ".join(quoted).split()):
        return True
    text = articles.get(x.passage.doc_id) if articles else None
    before = text[:x.doc_start - x.start + x.end] if text is not None else x.passage.text[:x.end]
    told = content_terms(f"{x.passage.title} {before}")
    return all(_named_in(t, told) for t in wanted)


def told_about(found: Support, passage: Passage, ranked: Sequence, about: str) -> bool:
    """Whether the sentence ``found`` quotes from ``passage`` comes after at least half of what
    ``about`` names in its article (``_told_of``, on the evidence sentence of ``ranked`` it is):
    a yes/no follow-up ("Was he armed?" after "What happened at the Joint Security Area in
    November?") answered from a report on someone else ("The soldier who crossed earlier in the
    day was unarmed", of the fog crossing) is not about "he". Half, not all: a report may call
    "the DMZ" the demilitarised zone. True when the sentence is not among ``ranked``."""
    wanted = content_terms(about) - _INDEFINITE
    x = next((x for x in ranked if x.passage.doc_id == passage.doc_id and x.doc_start == found.doc_start), None)
    if not wanted or x is None:
        return True
    told = content_terms(f"{x.passage.title} {x.passage.text[:x.end]}")
    return sum(_named_in(t, told) for t in wanted) >= 0.5 * len(wanted)


def denied_of_subject(question: str, ranked: Sequence, passages: Sequence[Passage], min_score: float,
                      about: str = "") -> Support | None:
    """A yes/no question answered no by an evidence sentence (scoring ``min_score`` or more)
    that negates one of its words ("unarmed", "unable to be questioned", "did not resist") while
    the question's other words, who or what it is asked of, stand in the sentence or before it in
    its article (``_told_of``): "He was unarmed and did not resist" after "... crosses border in
    thick fog" for "Was the fog defector armed?"; quoted with the sentence it refers back to.
    Tried after ``denied`` and ``affirmed``, which want every word in the sentence itself.

    Why: news refers to its subject as "he" or "the man" after the first line; the 0.5B model
    answered that question with a sentence on nobody being hurt.

    A follow-up that names nobody ("Was he armed?") is asked of what ``about`` names (the turn its
    chain of follow-ups started from: "crossed border fog" after "Who crossed the border in the
    fog?", ``conversation.subject``).

    Limits: word forms, not meaning ("withdrew" does not negate "leave"); the article is taken to
    be about what its title and opening name, so a negated sentence on someone else later in it
    would be read as about them; a question of fewer than two content words (with ``about``'s)
    is left to the model."""
    if not yes_no(question) or _NEGATION.search(question):
        return None
    q_terms = content_terms(question) - _INDEFINITE
    subject = content_terms(about) - _INDEFINITE
    if len(q_terms | subject) < 2:
        return None
    for x in sorted(ranked, key=lambda x: -x.score):
        if x.score < min_score:
            continue
        negated = {t for t in q_terms if negates({t}, x.text)}
        if negated and _told_of(x, (q_terms | subject) - negated):
            quoted = _ranked_quote(x, passages)
            if quoted is not None:
                return quoted
    return None


# "Was the fog defector questioned?": a yes/no question on a state, its participle last.
# "Has anyone been killed in California's McKinney Fire?": where or when may follow the participle.
_STATE_QUESTION = re.compile(r"^\W*(?:and\s+)?(?:is|are|was|were|has|have|had)\s+[^?]+?\s+([a-z]+(?:ed|en))"
                             r"(?:\s+(?:in|at|during|near|after|before|following)\s+[^?]{1,60}?)?\s*\?*\s*$", re.I)
# "Did the November defector survive?", "Did he have surgery?": a deed asked of with its verb last,
# or a treatment had. The subject before it is a name, or a determiner and nouns: a last word after
# a second determiner or a preposition is an object, which a sentence may name for another
# outcome ("Did Trump win the election?" of "lost the election"); "Did the guards leave after the
# warning shots?" is asked of leaving, at the time the words after it say.
_DEED_QUESTION = re.compile(r"^\W*(?:and\s+)?(?:did|has|have|had)\s+(?:(?:the|a|an|his|her|their|its)\s+)?"
                            r"(?:(?!(?:the|a|an|after|before|in|on|at|to|from|with|by|for|of|during|into|over|under|"
                            r"about|since|when|while|through|across|along|via|past|toward|towards|against|without|"
                            r"within|between|among|around|near|onto|upon|inside|outside)\b)[\w'’-]+\s+){1,4}"
                            r"(?:(?:have|get|undergo|receive)\s+)?([a-z]{3,})"
                            # "... leave after the warning shots?": when, not what, follows the verb.
                            r"(?:\s+(?:after|before|during|following)\s+[^?]{1,60}?)?\s*\?*\s*$", re.I)


def affirmed_of_subject(question: str, ranked: Sequence, passages: Sequence[Passage], min_score: float,
                        about: str = "", quoted: Sequence[str] = ()) -> Support | None:
    """The mirror of ``denied_of_subject`` for a question on a state ("Was the fog defector
    questioned?", "Was he arrested?"): an evidence sentence (scoring ``min_score`` or more) that
    holds the question's last word, its participle, without negating or hedging it, while the
    question's other words (and ``about``'s, for a follow-up) stand in the sentence or before it
    in its article: "... was taken into custody by South Korean troops, who were questioning him"
    in the report that opens on the soldier who crossed in the fog.

    "Did the November defector survive?" is read the same way, its verb last ("survived after
    being flown by helicopter to hospital"), and "Did he have surgery?" by its noun.

    A follow-up's sentence may also be one the chat's earlier answers quoted (``quoted``; see
    ``_told_of``).

    Limits: only a participle ending in -ed or -en, or a did-question's verb or had noun, written
    last and in the sentence in a form of the same stem or a verb of the same deed (``_SAME_DEED``:
    "withdrew" answers "leave"); the
    rest as in ``denied_of_subject``; a hedge anywhere in the sentence ("would be questioned once his health
    allowed") leaves the question to the model."""
    deed = _STATE_QUESTION.match(question) is None
    m = _DEED_QUESTION.match(question) if deed else _STATE_QUESTION.match(question)
    # "Did the fog defector leave through China?": a name last is no deed.
    if m is None or _NEGATION.search(question) or m.group(1)[0].isupper():
        return None
    state = term(m.group(1).lower())
    # "The North Korean guards withdrew after the shots" says they left.
    states = set(_deeds(m.group(1))) if deed else set(next((g for g in _SAME_STATE if state in g), (state,)))
    q_terms = content_terms(question) - _INDEFINITE
    subject = content_terms(about) - _INDEFINITE
    if state not in q_terms or len(q_terms | subject) < 2:
        return None
    for x in sorted(ranked, key=lambda x: -x.score):
        if x.score < min_score or not states & x.terms or negates(states & x.terms, x.text):
            continue
        # "No deaths have been reported" holds a word of dying and says no one died; asked of
        # anyone, "No one was killed" holds the word itself.
        if (state not in x.terms or content_terms(question) & _INDEFINITE) and _DENIAL.search(x.text):
            continue
        # "Was anyone killed?" is not answered yes by "... destroyed boats and piers and killed six
        # cows": asked of anyone, the sentence must tell of people.
        if _ANYONE.search(question) and not _PEOPLE.search(x.text):
            continue
        # "..., leaving some soldiers to decide" is no deed of the guards asked about.
        if deed and not any(term(w.lower()) in states and not w.lower().endswith("ing")
                            for w in re.findall(r"[\w'’-]+", x.text)):
            continue
        # "Only weeks earlier, another soldier was shot ... and survived" tells of someone else
        # unless it names who is asked about itself ("on 13 November").
        if _ANOTHER.search(x.text) and not (q_terms - {state}) & x.terms:
            continue
        # "questioned" is no hedge of its own ("question\w*" is one for other words).
        rest = " ".join(w for w in re.findall(r"[\w'’-]+|[^\w\s]", x.text) if term(w.lower()) not in states)
        if _HEDGE.search(rest) or not _told_of(x, (q_terms | subject) - {state}, quoted=quoted):
            continue
        quoted = _ranked_quote(x, passages)
        if quoted is not None:
            return quoted
    return None


# A long yes/no question ("Did Trump's January 2025 pause on federal grants and loans apply to
# Social Security benefits?") is seldom held word for word by one sentence, as ``denied`` and
# ``affirmed`` want; the sentence that answers it holds most of its words and its article the rest.
YES_NO_SENTENCES = 4  # the best-scored evidence sentences read for it
YES_NO_OWN = 0.5  # share of the question's words the sentence itself holds
YES_NO_TOLD = 0.75  # ... it and its article up to it (title included)
YES_OWN = 0.7  # ... a sentence that says yes, without a word of denial, holds
_YES_NO_TIME = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b\d{4}\b|"
                          r"\b(?:early|late|mid)-?\b", re.I)
# A denial in other words than "not": "has ruled out a run for Iowa governor", "will forgo a run",
# "Claims that ... are FALSE".
_CONTRARY = re.compile(r"\b(?:ruled?\s+out|rules\s+out|forgo\w*|forwent|decided\s+against|declin\w+\s+to|"
                       r"refus\w+\s+to|avoid\w*|reject\w*|withdr[ae]w\w*|cancel\w*|false|unlawful\w*)\b", re.I)
# "Which app, where women share information about their dates, was hacked?" reads as yes/no to
# ``yes_no``; "When the footage leaked, had Rockstar announced a date?" is one.
_WH_OPENING = re.compile(r"^\W*(?:who|whom|whose|what|which)\b", re.I)
# "... wasn't signed into law until 1949" says it was, in 1949.
_NOT_UNTIL = re.compile(r"(?:\s+[\w'’-]+){0,6}?\s+until\b", re.I)


def yes_or_no(question: str, ranked: Sequence, passages: Sequence[Passage], min_score: float,
              ) -> tuple[str, Support] | None:
    """A yes/no question answered by the best evidence sentences that hold most of its words:
    of the ``YES_NO_SENTENCES`` best (scoring ``min_score`` or more) that hold ``YES_NO_OWN`` of
    the question's words (times aside) and, with the title and text of their article before
    them, ``YES_NO_TOLD``: "No" from the first that denies it (a "no one" / "no <word>" clause,
    a question's word negated or in a negative form, or a contrary verb: "ruled out a run",
    "will forgo a run", "FALSE"); else "Yes" from the best, when it holds ``YES_OWN`` of
    the question's words and every lower-case one but one, with no word of denial and no hedge
    ("The DART spacecraft changed the moonlet asteroid's orbit by 32 minutes." for "Did NASA's
    DART spacecraft actually change the asteroid's orbit?"). Tried after ``denied``,
    ``affirmed`` and their ``_of_subject`` forms, which want every word.

    Why: the 0.5B model cannot tell yes from no: over the natural sets' yes/no questions its
    log-probability of "Yes" against "No" was the same for both answers (given the evidence, or
    given only the best sentence), and it answered 10 of their 46 right, 6 wrong. (Calibrated
    against its lean with no passage, its scores do tell them apart a little; that is tried after
    this, ``pipeline.Assistant._stance``.)

    Limits: word overlap, not meaning: a contrary fact without such a word ("avoiding a strike"
    is found, "Ohio beat Michigan" for "Did Michigan win?" is not) is left unanswered, and a
    sentence with a denial of something else ("... and no money for punitive damages") says no;
    a negated question ("Wasn't he armed?") is left to the model; English words."""
    if not yes_no(question) or _NEGATION.search(question) or _WH_OPENING.match(question):
        return None
    asked = _YES_NO_TIME.sub(" ", question)
    q_terms = content_terms(asked) - _INDEFINITE
    tokens = re.findall(r"[\w'’-]+", asked)
    common = {term(w.lower()) for i, w in enumerate(tokens)
              if i > 0 and w[:1].islower() and w.lower() not in STOPWORDS} - _INDEFINITE
    if not q_terms:
        return None
    held = []
    for x in sorted(ranked, key=lambda x: -x.score)[:YES_NO_SENTENCES]:
        own = len(q_terms & x.terms) / len(q_terms)
        told = content_terms(f"{x.passage.title or ''} {x.passage.text[:x.end]}")
        if (x.score >= min_score and own >= YES_NO_OWN
                and sum(_named_in(t, told) for t in q_terms) >= YES_NO_TOLD * len(q_terms)):
            held.append((x, own))
    for x, _ in held:
        if (_CLAUSE_DENIAL.search(x.text) or _CONTRARY.search(x.text)
                or any(term(m.group(1).lower()) in q_terms and not _NOT_UNTIL.match(x.text, m.end())
                       for m in _NEGATED_WORD.finditer(x.text))
                or any(term(m.group(1).lower()) in q_terms for m in _NEGATIVE_FORM.finditer(x.text))):
            quoted = _ranked_quote(x, passages, antecedent=False)
            if quoted is not None:
                return "No", quoted
    for x, own in held[:1]:
        missing = sum(not _named_in(t, x.terms) for t in common)
        if (own >= YES_OWN and missing <= (1 if len(common) >= 3 else 0)
                and not _DENIAL.search(x.text) and not _HEDGE.search(x.text)):
            quoted = _ranked_quote(x, passages, antecedent=False)
            if quoted is not None:
                return "Yes", quoted
    return None


# "Was he shot in the shoulder or in the leg?" asks which, not whether: "Yes" answers neither.
# "Was anyone hurt or killed?" reads either way and is taken for the same ("or not" is no option).
_OFFERS_CHOICE = re.compile(r"\bor\b(?!\s+not\b)", re.I)


def offers_choice(question: str) -> bool:
    """Whether a yes/no question offers options to choose from ("... in fog or in clear
    weather?"): a stance word alone would not answer it."""
    return yes_no(question) and bool(_OFFERS_CHOICE.search(question))


def best_in(passage: Passage, ranked: Sequence, passages: Sequence[Passage]) -> Support | None:
    """The best-ranked evidence sentence inside ``passage`` (``ranked``: best first), quoted from
    ``passages``; None when it holds none."""
    for x in ranked:
        if x.passage.doc_id == passage.doc_id and passage.start <= x.doc_start < passage.end:
            return _ranked_quote(x, passages, antecedent=False)
    return None


# "What was the defector being treated for?": the answer follows the verb and its preposition.
_STRANDED = re.compile(r"^\W*(?:and\s+)?(?:what|who|whom)\s+(?:is|are|was|were|has|have|had|did|does|do|will|would|"
                       r"could|can)\s+(?P<subject>.+?)\s+(?P<verb>[a-z]+)\s+"
                       r"(?P<prep>for|with|about|on|of|from|against|into|over|by)\s*\?*\s*$", re.I)
_PHRASE_END = re.compile(r"[,.;:!?()\"“”]|\s(?:and|but|after|before|when|while|because|as|which|who|that|since|"
                         r"until|once|unless|though|although|if|where|so)\b", re.I)
STRANDED_WORDS = 8


def stranded(question: str, ranked: Sequence, passages: Sequence[Passage], min_score: float,
             ) -> tuple[str, Support] | None:
    """A question whose last word is a preposition ("What was the defector being treated for?",
    "What was he charged with?") answered by the words that follow the same verb and preposition
    in an evidence sentence (scoring ``min_score`` or more) about the same subject (``_told_of``):
    "gunshot wounds" of "... where he was being treated for gunshot wounds". Tried when the model's
    reply is a refusal or not supported: it had answered with a sentence on questioning.

    Limits: the verb's form may differ ("treats", "treated"), the preposition may not, and nothing
    may stand between them ("treated him for" is missed); the answer runs to the next punctuation
    or clause word, at most ``STRANDED_WORDS`` words."""
    m = _STRANDED.match(question)
    if m is None:
        return None
    verb, prep = term(m.group("verb").lower()), m.group("prep").lower()
    subject = content_terms(m.group("subject")) - _INDEFINITE
    pattern = re.compile(r"\b([^\W\d_][\w'’-]*)\s+" + prep + r"\s+(.+)", re.I)
    return _words_after(pattern, verb, subject, ranked, passages, min_score)


def _words_after(pattern: re.Pattern, verb: str, subject: set[str], ranked: Sequence, passages: Sequence[Passage],
                 min_score: float, articles: dict[str, str] | None = None) -> tuple[str, Support] | None:
    """The words after ``verb`` (a term; ``pattern``'s first group is the verb as written, its
    second the rest of the sentence) in the best evidence sentence about ``subject``, up to the
    next punctuation or clause word (at most ``STRANDED_WORDS``), with the sentence quoted."""
    for x in sorted(ranked, key=lambda x: -x.score):
        if x.score < min_score or not _told_of(x, subject, articles):
            continue
        for found in pattern.finditer(x.text):
            if term(found.group(1).lower()) != verb:
                continue
            tail = found.group(2)
            end = _PHRASE_END.search(tail)
            phrase = " ".join(tail[:end.start() if end else len(tail)].split()[:STRANDED_WORDS])
            if not content_terms(phrase) - _PRONOUNS:
                continue
            quoted = _ranked_quote(x, passages)
            if quoted is not None:
                return phrase, quoted
    return None


# "How was the November defector found?": how something was done to someone, which a passive
# sentence tells in the words after its participle ("He was found wounded on the southern side").
_MANNER_QUESTION = re.compile(r"^\W*(?:and\s+)?how\s+(?:was|were|is|are|has|have|had)\s+(?P<subject>.+?)\s+"
                              r"(?:been\s+)?(?P<verb>" + PARTICIPLE + r")\s*\?*\s*$", re.I)
_PASSIVE_TAIL = re.compile(r"\b(?:was|were|is|are|been|being)\s+(?:[a-z]+ly\s+)?([a-z]+)\s+(\S.*)", re.I)


def manner(question: str, ranked: Sequence, passages: Sequence[Passage], min_score: float,
           articles: dict[str, str] | None = None) -> tuple[str, Support] | None:
    """"How was <subject> <done>?" answered by the words after the same participle in a passive
    evidence sentence (scoring ``min_score`` or more) about the subject (``_told_of``): "wounded on
    the southern side of the area" of "He was found wounded on the southern side of the area and
    was carried to safety by South Korean troops." for how the November defector was found. Tried
    when the model's reply is a refusal or not supported: it had answered "The soldier was found"
    and, asked to go on, added nothing.

    Limits: English passives only ("Guards found him wounded" is missed); the manner runs to the
    next punctuation or clause word, at most ``STRANDED_WORDS`` words, and may be only who did it
    ("by South Korean troops")."""
    m = _MANNER_QUESTION.match(question)
    if m is None:
        return None
    subject = content_terms(m.group("subject")) - _INDEFINITE
    if not subject:
        return None
    return _words_after(_PASSIVE_TAIL, term(m.group("verb").lower()), subject, ranked, passages, min_score, articles)


# "When will the November defector be questioned?": a time still to come, which news gives as a
# condition ("once his health allowed") as often as a date.
_WHEN_TO_COME = re.compile(r"^\W*(?:and\s+)?when\s+(?:will|would|can|could|should)\s+(?P<subject>.+?)\s+"
                           r"(?:be\s+(?:able\s+to\s+)?)?(?P<verb>[a-z]+)\s*\?*\s*$", re.I)
_CONDITION = re.compile(r"\b(?:once|as\s+soon\s+as|when|after|until|before)\s+[^,.;:!?()]+", re.I)
# Words between the verb and its condition ("questioned by investigators once ...").
CONDITION_GAP_WORDS = 4


def conditioned(question: str, ranked: Sequence, passages: Sequence[Passage], min_score: float,
                articles: dict[str, str] | None = None) -> tuple[str, Support] | None:
    """"When will <subject> be <done>?" answered by the condition an evidence sentence (scoring
    ``min_score`` or more, about the same subject: ``_told_of``) sets right after the question's
    verb: "once his health allowed" of "Officials said he would be questioned by investigators
    once his health allowed, as is usual ...". Tried when the model's reply is a refusal or not
    supported (it is a time, not a date, so ``dated`` finds none).

    Limits: English; the verb's form may differ ("questioned", "questioning"), at most
    ``CONDITION_GAP_WORDS`` words between it and "once" / "as soon as" / "when" / "after" /
    "until" / "before"; the condition runs to the next punctuation. ``articles`` (document id ->
    text) lets the subject be told anywhere earlier in the article, not only in the chunk: the
    last paragraph of a report is often a chunk of its own."""
    m = _WHEN_TO_COME.match(question)
    if m is None:
        return None
    verb = term(m.group("verb").lower())
    subject = content_terms(m.group("subject")) - _INDEFINITE
    if not subject:
        return None
    for x in sorted(ranked, key=lambda x: -x.score):
        if x.score < min_score or not _told_of(x, subject, articles):
            continue
        for w in re.finditer(r"[^\W\d_][\w'’-]*", x.text):
            if term(w.group().lower()) != verb:
                continue
            cond = _CONDITION.search(x.text, w.end())
            if cond is None or len(x.text[w.end():cond.start()].split()) > CONDITION_GAP_WORDS:
                continue
            quoted = _ranked_quote(x, passages)
            if quoted is not None:
                phrase = " ".join(cond.group().split())
                return phrase[:1].upper() + phrase[1:], quoted
    return None


def _in_order(wanted: list[str], seq: list[str]) -> bool:
    """Whether ``wanted`` occurs in ``seq`` in its order (other words between)."""
    it = iter(seq)
    return all(w in it for w in wanted)


def measured(question: str, ranked: Sequence, passages: Sequence[Passage], min_score: float,
             ) -> tuple[str, Support] | None:
    """"How far / how close / how long ...?" answered by the measure a top evidence sentence (scoring
    ``min_score`` or more, holding ``MEASURE_MIN_COVERAGE`` of the question's words) states:
    "only metres apart" of "... the truce village where troops of the two Koreas stand only metres
    apart" for how far apart they stand, "months or years" of "... often spend months or years
    reaching the South". Tried when the model's reply is not supported: asked, the 0.5B model
    wrote a number ("13", "A few weeks") where the archive gives a vaguer measure.

    Limits: English units; the three best sentences only; "how long" takes a length or a
    duration, whichever the sentence gives."""
    m = _MEASURE_QUESTION.match(question)
    if not m:
        return None
    pattern = _measure_phrase(_MEASURE_ASKED[m.group(1).lower()], since=m.group(1).lower() == "long")
    q_terms = content_terms(question) - content_terms("far close near long")
    for x in sorted(ranked, key=lambda x: -x.score)[:3]:
        if x.score < min_score or len(q_terms & x.terms) < MEASURE_MIN_COVERAGE * len(q_terms):
            continue
        for phrase in pattern.finditer(_DATE_IN_TEXT.sub(lambda d: " " * len(d.group()), x.text)):
            said = phrase.group(0)
            # A bare unit measures nothing ("each year"); one with a quantity, a range of units
            # ("months or years") or a direction ("metres apart") does.
            if (re.match(_QUANTITY[:-1] + "+", said, re.I) or re.search(r"\s(?:or|to)\s", said)
                    or said.lower().startswith("since") or re.search(r"(?:apart|away|long)$", said)):
                quoted = _ranked_quote(x, passages, antecedent=False)
                if quoted is not None:
                    return said, quoted
    return None


TOLL_SENTENCES = 5  # the best evidence sentences read for a toll
TOLL_MIN_COVERAGE = 0.5  # share of the question's words (but "how many people") the sentence holds
_TOLL_FIGURE = re.compile(r"(?:(?:at\s+least|more\s+than|nearly|almost|about|around|over|some|up\s+to)\s+)?"
                          r"(?<![\w.,$])(\d[\d,]*|(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b)"
                          r"(?![\w,.%]*\d)(?!\s*(?:%|percent|million|billion))", re.I)
# "1 and 3 of every 1,000 children who get measles die": a rate's base counts no one.
_RATE_BASE = re.compile(r"\b(?:every|per|out\s+of|in)\s*$", re.I)


def tolled(question: str, ranked: Sequence, passages: Sequence[Passage], min_score: float,
           ) -> tuple[str, Support] | None:
    """"How many people died / were killed / were injured / were arrested ...?" answered by the
    toll one of the best evidence sentences (``TOLL_SENTENCES``, scoring ``min_score`` or more,
    holding ``TOLL_MIN_COVERAGE`` of the question's words) states with its qualifier, from the
    newest report among them (a toll rises as a disaster's reports go on): "at least 119" of
    "The July 4 flash flooding has claimed the lives of at least 119 people ...". Tried when the
    model's count is not supported: with eight passages holding flood-watch millions, missing
    people and three tolls, the 0.5B model answered "13.5 million" (of people under flood
    watches).

    Limits: a toll in digits or a number word from two to twelve, counted by ``_toll_stated`` (a
    toll word within ``TOLL_REACH`` words, no other number between), never the base of a rate
    ("1 and 3 of every 1,000 children who get measles die" states no toll); the newest report
    wins even when an older one is closer to the question's words."""
    if not _HOW_MANY.search(question) or not _tolls_asked(question):
        return None
    q_terms = content_terms(question) - content_terms("how many people")
    found = []
    for x in sorted(ranked, key=lambda x: -x.score)[:TOLL_SENTENCES]:
        if x.score < min_score or len(q_terms & x.terms) < TOLL_MIN_COVERAGE * len(q_terms):
            continue
        text = _DATE_IN_TEXT.sub(lambda d: " " * len(d.group()), x.text)
        for m in _TOLL_FIGURE.finditer(text):
            number = words(m.group(1))[0]
            if (re.fullmatch(r"(?:1[89]|20)\d\d", number) or _RATE_BASE.search(text[:m.start(1)])
                    or not _toll_stated(number, question, x.text)):
                continue
            quoted = _ranked_quote(x, passages, antecedent=False)
            if quoted is not None:
                found.append((x.passage.published or "", x.score, " ".join(m.group(0).split()), quoted))
            break
    if not found:
        return None
    _, _, said, quoted = max(found, key=lambda f: (f[0], f[1]))
    return said, quoted


# Not "When the footage leaked, had Rockstar announced a date?": a yes/no question after a clause.
WHEN_QUESTION = re.compile(r"^\W*(?:and\s+)?(?:when\b(?!\s+[^?,]+,\s*(?:had|has|have|is|was|were|are|did|does|do|will|"
                           r"would|could|can|should)\b)|(?:on\s+)?(?:what|which)\s+(?:date|day)\b)", re.I)


def dated(question: str, ranked: Sequence, passages: Sequence[Passage], min_score: float,
          ) -> tuple[str, Support] | None:
    """"When ...?" / "What date ...?" about something the question names, answered by the date
    in the best evidence sentence (of the five best, scoring ``min_score`` or more) that names it
    too (or under a headline that does) and holds half of the question's words: "13 November" of
    "Only weeks earlier, on 13 November, another soldier was shot ... at Panmunjom" for "What date
    did the soldier defect at Panmunjom?". Tried when the model's date stands in a sentence that never names it: it had
    answered "21 December 2017", the fog crossing's date, from a sentence on the fog crossing.

    A day the sentence names only by its weekday or as "yesterday" is given with its calendar day
    (``_relative_date``): "Monday (September 26, 2022)" of "On Monday, a NASA spacecraft will
    deliberately slam into an asteroid called Dimorphos" in a report of Friday 23 September.

    Limits: only for questions with a name (``names.question_names``); a written day and month
    ("13 November", "Nov. 13, 2017") or a weekday, not "last month"; the question's numbers (not
    its years) written the same way in the sentence."""
    named = question_names(question)
    if not WHEN_QUESTION.match(question) or not named:
        return None
    q_terms = content_terms(question) - {"date", "day"}
    # "When did Hurricane Erin become a Category 5?" is not dated by "... Erin was 690 miles
    # southwest of Bermuda ... on Monday": the sentence must hold the question's numbers itself.
    counts = {n for n in _amounts(question) if not re.fullmatch(r"(?:1[89]|20)\d\d", n)}
    for x in sorted(ranked, key=lambda x: -x.score)[:5]:
        # The headline names it too: "The Mosquito Fire ignited Sept. 6 ..." under "Mosquito Fire
        # in California is now state's biggest" for when California's Mosquito Fire started.
        if (x.score < min_score or unmentioned(question, f"{x.passage.title or ''}. {x.text}")
                or len(q_terms & x.terms) < MEASURE_MIN_COVERAGE * len(q_terms)
                or not counts <= _numbers(x.text)
                or about_the_page(x.passage.text, x.start, x.end)):
            continue
        day = _DATE_IN_TEXT.search(x.text)
        said = day.group(0) if day else _relative_date(x.text, x.passage)
        if said and (quoted := _ranked_quote(x, passages, antecedent=False)) is not None:
            return said, quoted
    return None


_YEAR_OF_EVENT = re.compile(r"\b(?:in|since|on|by|during)\s+((?:1[89]|20)\d\d)\b(?!\s*[-–]\d)", re.I)


def dated_quote(question: str, ranked: Sequence, passages: Sequence[Passage], quoted: Sequence[str],
                ) -> tuple[str, Support] | None:
    """A follow-up "When?" answered by the one date of the sentence the chat's last answer quoted
    (``quoted``: the assistant's earlier turns): "In 2022" of "In 2022, to celebrate 13 years since
    her first win, Swift announced the release of "Midnights."" after "What did Taylor Swift
    announce?". That sentence is what "when" asks about; asked, the 0.5B model took "2010" from
    another report ("... her 2010 album").

    Limits: the sentence must be among the evidence sentences (``ranked``, which rank quoted
    sentences up) and hold exactly one date: a written day and month, a weekday or "yesterday"
    (given with its calendar day, ``_relative_date``), or a year after "in", "since", "on", "by"
    or "during"; otherwise the model is asked."""
    if not WHEN_QUESTION.match(question) or not quoted:
        return None
    said = " ".join(" ".join(quoted).split())
    for x in sorted(ranked, key=lambda x: -x.score):
        if len(x.text.split()) < 6 or " ".join(x.text.split()) not in said:
            continue
        days = {m.group(0).lower().rstrip(".") for m in _DATE_IN_TEXT.finditer(x.text)}
        if len(days) > 1:
            return None
        if days:
            found = _DATE_IN_TEXT.search(x.text).group(0)
        elif (relative := _relative_date(x.text, x.passage)) is not None:
            found = relative
        elif len(years := {m.group(1) for m in _YEAR_OF_EVENT.finditer(x.text)}) == 1:
            found = _YEAR_OF_EVENT.search(x.text).group(0)
        else:
            return None
        quote = _ranked_quote(x, passages, antecedent=False)
        return (found[:1].upper() + found[1:], quote) if quote is not None else None
    return None


def _relative_date(sentence: str, p: Passage, adverbial: bool = True) -> str | None:
    """"Monday (September 26, 2022)" for a sentence that names its day as "On Monday" in an article
    published on 2022-09-23 (``timeframe.relative_day``; the date as the passage writes dates,
    ``calendar_day``); None when it names no such day or the
    article has no proven day of publication (a pdf's file date proves none). ``adverbial``: as
    ``timeframe.relative_day``."""
    found = relative_day(sentence, None if p.date_source in WEAK_SOURCES else p.published, adverbial)
    if found is None:
        return None
    word, day = found
    return f"{word[0].upper()}{word[1:]} ({calendar_day(day, p.text)})"


def calendar_day(day: date, text: str) -> str:
    """``day`` written as ``text`` writes its dates: "13 November 2017" where most of them come
    day first ("SEOUL, 13 November"), else month first, "January 29, 2025", as US reports write
    them (and as a reader of one looks for: "Wednesday (29 January 2025)" beside a report's
    "Jan. 29" reads as another date format than the page's)."""
    firsts = [m.group(0)[0].isdigit() for m in _DATE_IN_TEXT.finditer(text)]
    if firsts and sum(firsts) * 2 > len(firsts):
        return f"{day.day} {day:%B} {day.year}"
    return f"{day:%B} {day.day}, {day.year}"


def day_of_reply(direct: str, question: str, sentence: str, p: Passage) -> str | None:
    """A reply to "When ...?" that gives a day as its article does, relative to publication
    ("Monday", "On Monday", "yesterday"), with the calendar day added: "Monday (September 26,
    2022)", read from the stating ``sentence`` (its tense says which Monday) and its passage's
    publication day. None when the reply writes a date already, names no such day, or the
    sentence does not name the same one.

    Why: "Monday" means nothing a week later; the user reads the answer on another day than
    the article was written."""
    if not WHEN_QUESTION.match(question) or _DATE_IN_TEXT.search(direct):
        return None
    own = relative_day(direct, "2000-01-03")
    stated = _relative_date(sentence, p, adverbial=False)
    if own is None or stated is None or not stated.lower().startswith(own[0].lower()):
        return None
    return f"{strip_markers(direct).strip().rstrip('.')} {stated[len(own[0]):].strip()}"


WHERE_QUESTION = re.compile(r"^\W*(?:and\s+)?where\b", re.I)
# "at the Joint Security Area", "in Anchorage, Alaska": a preposition of place and a name.
_PLACE = re.compile(r"\b(?:at|in|near|outside|inside)\s+(?:the\s+)?((?:[A-Z][\w'’.-]*)(?:(?:\s+|,\s+)(?:of\s+|de\s+)?"
                    r"[A-Z][\w'’.-]*){0,5})")
_NOT_PLACES = frozenset(m.lower() for m in (
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()))


def placed(question: str, ranked: Sequence, passages: Sequence[Passage], min_score: float,
           ) -> tuple[str, Support] | None:
    """"Where did ... take place?" answered by the place a top evidence sentence (of the three
    best, scoring ``min_score`` or more, holding half of the question's words) names after "at",
    "in", "near": "at the Joint Security Area" of "... defected to South Korea on Monday at the
    Joint Security Area, the truce village ..." for where the November defection took place.
    Tried when the model's reply is not supported: it had copied a sentence and, sent back for
    the place alone, said the archive does not say.

    Limits: a place written with capitals after a preposition of place; a name the question
    already holds, a weekday or a month is not a place; where-hurt questions have their own
    rule (``evidence.where_on_body``)."""
    if not WHERE_QUESTION.match(question):
        return None
    q_terms = content_terms(question)
    for x in sorted(ranked, key=lambda x: -x.score)[:3]:
        if x.score < min_score or len(q_terms & x.terms) < MEASURE_MIN_COVERAGE * len(q_terms):
            continue
        for m in _PLACE.finditer(x.text):
            name = m.group(1).rstrip(".,")
            if name.split()[0].lower() in _NOT_PLACES or content_terms(name) <= q_terms:
                continue
            quoted = _ranked_quote(x, passages, antecedent=False)
            if quoted is not None:
                return m.group(0).rstrip(".,"), quoted
    return None


# "What is the truce village called?", "What is the name of the new party?": the name of a
# thing the question describes.
_CALLED_QUESTION = re.compile(
    r"^\W*(?:and\s+)?what(?:'s|’s|\s+is|\s+was|\s+are|\s+were)\s+(?:(?:the|this|that|a|an)\s+(?P<np>[^?]+?)\s+"
    r"(?:called|named|known\s+as)|the\s+name\s+of\s+(?:the|this|that|a|an)\s+(?P<np2>[^?]+?))\s*\?*\s*$", re.I)
_CAPITALISED = r"(?:[A-Z][\w'’&.-]*\s+(?:of\s+|de\s+|the\s+)?){0,4}[A-Z][\w'’&-]*"


def named_as(question: str, ranked: Sequence, passages: Sequence[Passage], min_score: float,
             ) -> tuple[str, Support] | None:
    """"What is <the thing> called?" / "What is the name of <the thing>?" answered by the name a
    top evidence sentence (of the five best, scoring ``min_score`` or more) gives the thing:
    "Joint Security Area" of "... at the Joint Security Area, the truce village where troops ...
    stand" for what the truce village is called. Tried when the model's reply is not supported:
    it had answered "Seoul", the report's dateline.

    Limits: English, and the thing worded as in the question; the name is written with capitals
    just before ", the <thing>" (an apposition) or just after "<thing> called / named / known as
    / of"; a name the question already holds is none."""
    m = _CALLED_QUESTION.match(question)
    if m is None:
        return None
    thing = " ".join((m.group("np") or m.group("np2")).split())
    said = r"\s+".join(re.escape(w) for w in thing.split())
    patterns = (re.compile(r"(?P<name>" + _CAPITALISED + r"),\s+(?:the|a|an)\s+(?i:" + said + r")\b"),
                re.compile(r"(?i:\b" + said + r")(?:,)?\s+(?i:called|named|known\s+as|of)\s+(?:the\s+)?[\"“‘']?(?P<name>"
                           + _CAPITALISED + ")"))
    q_terms = content_terms(question)
    for x in sorted(ranked, key=lambda x: -x.score)[:5]:
        if x.score < min_score:
            continue
        for pattern in patterns:
            for found in pattern.finditer(_unplaced(x.text)):
                name = found.group("name").rstrip(".,")
                if not content_terms(name) or content_terms(name) <= q_terms or name.split()[0].lower() in _NOT_PLACES:
                    continue
                quoted = _ranked_quote(x, passages, antecedent=False)
                if quoted is not None:
                    return name, quoted
    return None


# "Where was the November defector taken?": where someone was moved to. Verbs of moving only: "to"
# after "released" or "published" names no place ("released to the public").
_MOVED = (r"taken|flown|moved|brought|sent|transferred|carried|driven|evacuated|airlifted|rushed|transported|"
          r"deported|relocated|returned|shipped|escorted|led|dragged|towed|extradited")
_WHERE_MOVED = re.compile(r"^\W*(?:and\s+)?where\s+(?:was|were|is|are|has|have|had)\s+(?P<subject>.+?)\s+"
                          r"(?:been\s+)?(?P<verb>" + _MOVED + r")(?:\s+to)?\s*\?*\s*$", re.I)
# Words between the verb and "to" ("taken by helicopter to a hospital").
DESTINATION_GAP_WORDS = 3
# Verbs that each answer where a person was carried by any of the others ("flown by helicopter to
# hospital" says where he was taken); "led", "sent", "returned" only answer themselves ("led to
# protests").
_CARRIED = ("taken", "flown", "moved", "brought", "carried", "driven", "evacuated", "airlifted", "rushed",
            "transported", "transferred")


def destination(question: str, ranked: Sequence, passages: Sequence[Passage], min_score: float,
                articles: dict[str, str] | None = None) -> tuple[str, Support] | None:
    """"Where was <subject> <moved>?" answered by where an evidence sentence (scoring
    ``min_score`` or more, about the same subject: ``_told_of``) says the same verb took them:
    "a hospital" of "The soldier was then taken by helicopter to a hospital, where ..." for where
    the November defector was taken. Asked before the model, which named the place he was shot
    ("Panmunjom"): the place in the question's story is not where he was taken.

    Limits: English; a verb of moving (``_MOVED``: "taken", "flown", "brought" ...) in the
    sentence in the same form or another of the same stem, or any other verb of carrying a person
    (``_CARRIED``) when the question's is one, at most ``DESTINATION_GAP_WORDS``
    words before "to" / "into"; the place runs to the next punctuation or clause word.
    ``articles``: as for ``conditioned``."""
    m = _WHERE_MOVED.match(question)
    if m is None:
        return None
    verb = term(m.group("verb").lower())
    carried = {term(v) for v in _CARRIED}
    verbs = carried if verb in carried else {verb}
    subject = content_terms(m.group("subject")) - _INDEFINITE
    after = re.compile(r"((?:\s+[\w'’-]+){0,%d}?)\s+(?:to|into)\s+(.+)" % DESTINATION_GAP_WORDS, re.I)
    for x in sorted(ranked, key=lambda x: -x.score):
        if x.score < min_score or not _told_of(x, subject, articles):
            continue
        for w in re.finditer(r"[^\W\d_][\w'’-]*", x.text):
            found = after.match(x.text, w.end()) if term(w.group().lower()) in verbs else None
            if found is None:
                continue
            tail = found.group(2)
            end = _PHRASE_END.search(tail)
            place = " ".join(tail[:end.start() if end else len(tail)].split()[:STRANDED_WORDS])
            if not content_terms(place) - _PRONOUNS:
                continue
            quoted = _ranked_quote(x, passages)
            if quoted is not None:
                return place, quoted
    return None


_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_CLOCK = r"\d{1,2}(?::\d\d)?\s*(?:a\.?m\b\.?|p\.?m\b\.?)"
_TIME_PHRASE = re.compile(
    rf"\b(?:(?:early|late)\s+)?(?:(?:on\s+)?{_WEEKDAY}\s+)?(?:morning|afternoon|evening|night)\b|\bovernight\b|"
    rf"\b(?:(?:at|around|about|shortly after|just after|just before|before|after)\s+)?"
    rf"(?:{_CLOCK}|noon|midnight|dawn|dusk|daybreak)", re.I)


def timed(question: str, ranked: Sequence, passages: Sequence[Passage], min_score: float,
          ) -> tuple[str, Support] | None:
    """"What time (of day) did ... happen?" answered by the part of the day or the clock time a
    top evidence sentence (of the three best, scoring ``min_score`` or more, holding half of the
    question's words besides "time" and "happen") names: "Thursday morning" of "A North Korean
    soldier defected to South Korea on Thursday morning, 21 December, walking across ... under
    cover of thick fog" for what time the fog crossing happened, where the model gave the date.

    Limits: English; a part of the day ("morning", "late evening") or a clock time ("7:30 p.m.",
    "around noon"), not a relative time ("hours later")."""
    if not _WHAT_TIME.search(question):
        return None
    q_terms = content_terms(question) - content_terms("time day happen take place")
    for x in sorted(ranked, key=lambda x: -x.score)[:3]:
        if x.score < min_score or len(q_terms & x.terms) < MEASURE_MIN_COVERAGE * len(q_terms):
            continue
        m = _TIME_PHRASE.search(x.text)
        if m is not None:
            quoted = _ranked_quote(x, passages, antecedent=False)
            if quoted is not None:
                return re.sub(r"^on\s+", "", m.group(0), flags=re.I), quoted
    return None


def _ranked_quote(x, passages: Sequence[Passage], antecedent: bool = True) -> Support | None:
    """The evidence sentence ``x`` (an ``evidence.Sentence``) quoted from the passage that holds
    it, or None when no passage the model reads does."""
    for n, p in enumerate(passages, 1):
        if p.doc_id != x.passage.doc_id or not p.start <= x.doc_start < p.end:
            continue
        spans = split_sentences(p.text)
        i = next((k for k, (a, _) in enumerate(spans) if p.start + a == x.doc_start), None)
        if i is not None:
            return _quoted(n, p, spans, i, 1.0, x.score, antecedent=antecedent)
    return None


def _unplaced(sentence: str) -> str:
    """``sentence`` without the place of a leading dateline ("SEOUL, 13 November 2017 - A North
    Korean soldier defected ..." keeps its date): where a report was filed from states no answer
    ("Seoul" for what the truce village is called, stated only by the dateline)."""
    m = _DATELINE.match(sentence)
    if m is None:
        return sentence
    place = re.match(r"[A-Z][A-Z .'’/-]*", sentence)
    return sentence[place.end():] if place else sentence


def _quoted(n: int, p: Passage, spans: list[tuple[int, int]], i: int, coverage: float, rel: float,
            antecedent: bool = True) -> Support:
    """Sentence ``i`` of passage ``n`` as the quote: with the sentence before it when it opens
    with a pronoun ("He said ..." needs its antecedent), without injected chat-template text, a
    leading dateline or a header line."""
    a, b = spans[i]
    start = spans[i - 1][0] if antecedent and i and _PRONOUN_START.match(p.text[a:b]) else a
    quote = p.text[start:b]
    # Text that carries chat-template tokens is an injection attempt the sentence splitter left
    # attached to the sentence: the model never read it (``prompts.clean``), nor does the reader.
    cut = after_control(quote)
    if cut and len(quote) - cut > 20:
        start += cut
        quote = quote[cut:]
    for pattern in (_DATELINE, _HEADER_LINE, SUMMARY_LABEL):
        cut = pattern.match(quote)
        if cut and len(quote) - cut.end() > 20:
            start += cut.end()
            quote = quote[cut.end():]
    return Support(n, start, b, quote.strip(), coverage, rel, p.start + a)


def quote_of(p: Passage) -> str:
    """The passage (one sentence) as it is quoted: without a leading dateline or header line."""
    return _quoted(1, p, [(0, len(p.text))], 0, 1.0, 0.0, antecedent=False).sentence


# Share of content words above which a second sentence only repeats the first.
REPEATS = 0.6


def second(question: str, found: Support, passages: Sequence[Passage], ranked: Sequence[tuple[str, int, float]],
           min_score: float) -> Support | None:
    """A second supporting sentence for a descriptive answer: the best-ranked evidence sentence
    (``ranked``: ``(doc_id, document offset, evidence score)``, best first) in ``passages`` that
    scores at least ``min_score``, states something (no headline or question), gives a reason
    when the question asks why (``evidence.answer_type``), and neither overlaps nor repeats
    ``found`` (a sentence of ``passages[found.n - 1]``); one of ``found``'s own article first.
    None when none does.

    Why: "why ...?" and "what happened ...?" take more than a sentence to answer, and the 0.5B
    model's one sentence was often the article's lead rather than the reason; on 40 descriptive
    questions about the realtimeqa-dev articles the two best evidence sentences held the answer
    for 27, the best one for 17; with the model's sentence first and this one after it, 25 (17
    alone; 24 taking the second from any article first)."""
    host = passages[found.n - 1]
    lo, hi = host.start + found.start, host.start + found.end
    shown = content_terms(found.sentence)
    wanted = answer_type(question)
    # The story the first sentence comes from first (it goes on with it: "The second is ..."),
    # then the others, each in rank order.
    for doc_id, offset, score in sorted(ranked, key=lambda r: r[0] != host.doc_id):
        if score < min_score:
            break
        n, p = next(((k, q) for k, q in enumerate(passages, 1)
                     if q.doc_id == doc_id and q.start <= offset < q.end), (0, None))
        if p is None:
            continue
        spans = split_sentences(p.text)
        i = next((k for k, (a, _) in enumerate(spans) if p.start + a == offset), None)
        if i is None or not_a_statement(p.text, *spans[i]):
            continue
        if wanted is not None and not wanted.search(p.text[spans[i][0]:spans[i][1]]):
            continue
        a, b = spans[i]
        if doc_id == host.doc_id and p.start + a < hi and lo < p.start + b:
            continue
        extra = _quoted(n, p, spans, i, 1.0, score)
        if doc_id == host.doc_id and p.start + extra.start < hi and lo < p.start + extra.end:
            # It refers back to the sentence just quoted, which the reader has right above it.
            extra = _quoted(n, p, spans, i, 1.0, score, antecedent=False)
        terms = content_terms(extra.sentence)
        if len(terms & shown) > REPEATS * min(len(terms), len(shown) or 1):
            continue
        if has_control(extra.sentence):
            # A sentence carrying chat-template tokens ("<|im_start|>system ...") is an injection
            # attempt in the article: the model never read those tokens, and nobody should.
            continue
        return extra
    return None


def is_headline(direct: str, title: str | None) -> bool:
    """Whether a reply is the passage's headline (most of its words, and most of the headline's):
    "Trump orders National Guard into Washington, DC"."""
    said, headline = content_terms(direct), content_terms(title or "")
    shared = len(said & headline)
    return bool(said and headline) and shared >= MIN_COVERAGE * len(said) and shared >= MIN_COVERAGE * len(headline)


# "... at Panmunjom", "in the Joint Security Area": a named place the question asks about.
_PLACE_ASKED = re.compile(r"\b(?:at|in|on|near|inside|from)\s+(?:the\s+)?((?:[A-Z][\w'’-]*)(?:\s+[A-Z][\w'’-]*)*)")
_IS = r"\s+(?:was|were|is|are|has|had|have)\b"


def place_as_doer(direct: str, question: str, sentence: str) -> bool:
    """Whether the reply makes the place the question asks about the subject of what happened
    there, which its sentence does not ("Panmunjom was shot by his own side" for "What happened
    at Panmunjom?", from "... another soldier was shot by his own side as he ran across the
    Joint Security Area at Panmunjom"): the sentence is shown instead.
    Limits: places the question names with capitals after a preposition."""
    for m in _PLACE_ASKED.finditer(question):
        place = re.escape(m.group(1))
        if (re.match(rf"\W*(?:the\s+)?{place}{_IS}", direct, re.I)
                and not re.search(rf"\b{place}{_IS}", sentence, re.I)):
            return True
    return False


_SAYS = r"(?:said|says|say|told|tells|added|adds|wrote|writes|asked|asks|noted|notes|explained|explains)"


def speaker_as_doer(direct: str, question: str, sentence: str) -> bool:
    """Whether a reply to "Who <did> ...?" names only the speaker of its sentence, which tells
    nothing of the deed: "Pirro" for "Who threw a sandwich at a federal agent?", from '"So there,
    stick your Subway sandwich somewhere else," Pirro said.' The thrower is named elsewhere; a
    quote that names someone with "said" and holds no form of the question's verb (nor one of
    the same deed, ``_SAME_DEED``) answers who spoke, not who did it.
    Limits: English speech verbs; "who said ...?" questions are left alone."""
    m = AGENT_QUESTION.match(question)
    if m is None or SPEAKER_QUESTION.match(question):
        return False
    name = strip_markers(direct).strip(" .")
    if not name or len(name.split()) > AGENT_WORDS:
        return False
    deeds = set(_deeds(m.group("verb")))
    if deeds & {term(w.lower()) for w in re.findall(r"[\w'’-]+", sentence)}:
        return False
    who = re.escape(name)
    return bool(re.search(rf"\b{who}\s+{_SAYS}\b|\b{_SAYS}\s+(?:[\w.'’-]+\s+){{0,6}}?{who}\b", sentence))


# Share of a why-reply's content words taken from the question for it to be the question again.
WHY_RESTATED = 0.5


def says_nothing_of(question: str, sentence: str) -> bool:
    """Whether a sentence holds none of the question's content words ("The response on the
    southern side has been watchful." for "Why has the northern route become harder?", "Most of
    the North Koreans … travel first through China." for "Where do the two militaries face each
    other at close range?"): it answers something else. A follow-up's words lean on the turns
    before it, so it is not held to this."""
    # "tree-hugging champion" is named by "Tree Hugging Championships": a compound counts by its parts.
    parts = lambda text: content_terms(text) | content_terms(text.replace("-", " "))  # noqa: E731
    asked = parts(re.sub(r"^\W*(?:and\s+)?why\b", "", question, flags=re.I))
    return bool(asked) and not asked & parts(sentence)


# "the 2017 WTA Finals": a year before a name, the edition of a recurring event.
_EDITION = re.compile(r"\b(1[89]\d\d|20\d\d)\s+((?:[A-Z][\w'’.&-]*\s+)*[A-Z][\w'’.&-]*)")


_COUNT_OF = re.compile(r"\bhow\s+many\s+(?!percent|percentage|per\s+cent)[a-z]", re.I)
_PERCENT = re.compile(r"\d[\d.,]*\s*(?:%|percent\b|per\s+cent\b)", re.I)


def percent_for_count(direct: str, question: str) -> bool:
    """Whether a reply to "how many <things>?" gives nothing but percentages: "3.9%" (a vote
    record's increase) for "How many years in a row has it set a sales record?" counts nothing.
    "How many percentage points ...?" asks for one. A number word counts as a number ("Seven
    years, up 3.9%" holds a count)."""
    if not _COUNT_OF.search(question):
        return False
    numbers = _numbers(direct)
    return bool(numbers) and len(_PERCENT.findall(direct)) >= len(numbers)


_IN_YEAR = re.compile(r"\b(?:in|during|of)\s+((?:1[89]|20)\d\d)\b")


def other_year(direct: str, question: str) -> bool:
    """Whether a short reply to "When ... in <year>?" dates it in other years only: "2015" for
    "When did the Johnny Depp v. Amber Heard defamation trial begin in 2022?" (from a photo
    caption, "Amber Heard and Johnny Depp in 2015."). Limits: the question's year after "in",
    "during" or "of"; a reply of more than ``LONG_REPLY_WORDS`` words is left alone (it may
    tell of both years)."""
    asked = set(_IN_YEAR.findall(question))
    if not asked or not WHEN_QUESTION.match(question) or len(direct.split()) >= LONG_REPLY_WORDS:
        return False
    said = set(re.findall(r"\b(?:1[89]|20)\d\d\b", strip_markers(direct)))
    return bool(said) and not said & asked


# "In what year ...?", "Which year ...?", "In what month and year ...?": the reply must name the year.
_YEAR_ASKED = re.compile(r"\b(?:what|which)\s+(?:month\s+and\s+)?year(?![-\w])|\bmonth\s+and\s+year\b", re.I)


def yearless(direct: str, question: str) -> bool:
    """Whether the reply to a question that asks for a year names none: "July 20" (the day
    Trump posted about the team's name) for "In what month and year did Washington's NFL team
    stop using the Redskins name?" (July 2020). Limits: a year written in digits; "last year" is
    no year."""
    return bool(_YEAR_ASKED.search(question)) and not re.search(r"\b(?:1[0-9]|20)\d\d", strip_markers(direct))


# "Which <kind> ...?": the kind is the noun the question word governs, the last of its phrase
# ("which Swedish town did", "in which Wisconsin town is"), not a modifier ("which Ohio state senator").
_PLACE_KINDS = ("town|city|village|country|nation|state|county|province|region|island|neighbou?rhood|"
                "capital|suburb|district")
_BODY_KINDS = ("group|organi[sz]ation|company|firm|agency|watchdog|network|newspaper|union|charity|nonprofit|"
               "non-profit|bank|airline|retailer|automaker|carmaker|team|club|party|outlet|broadcaster|publisher|"
               "studio|brand|chain|startup|insurer|regulator")
_SITE_KINDS = "hospital|school|university|college|prison|jail|airport|stadium|arena|court|base|port"
_KIND_ASKED = re.compile(r"\b(?i:which|what)\s+(?:(?:[A-Z][\w'’.-]*|[a-z]+(?:-[a-z]+)*)\s+){0,3}?"
                         rf"(?P<kind>{_PLACE_KINDS}|{_BODY_KINDS}|{_SITE_KINDS})(?:'s)?"
                         r"(?=\s*(?:[,?]|$)|\s+(?:did|does|do|is|was|were|are|has|have|had|will|would|can|could|"
                         r"should|in|of|on|at|to|for|by|with|from|that|who|which|where|whose|[a-z]+ed|won|got|"
                         r"hit|led|held|became|saw|ran|sent|brought|bought|went|came|left|lost|beat|paid|told|"
                         r"sold|made|took|gave|said|says|wins|hosts|leads|holds|makes|gets|plans|wants)\b)")
# What no place is called: an institution or a titled person ("Colorado State University" for a town).
_NOT_A_PLACE = re.compile(r"\b(?:University|College|Academy|Hospital|Company|Corp(?:oration)?|Inc|Ltd|LLC|"
                          r"Department|Ministry|Agency|Party|Association|Foundation|Institute|Committee|"
                          r"Club|Church|Airlines?|Bank|Ossuary|Cathedral|Chapel|Basilica|Mosque|Temple|Museum|"
                          r"Castle|Palace|Hotel|Stadium|Arena|Airport|Memorial|Monument)\b|"
                          r"^\W*(?:the\s+)?(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\.\s")
# A person by title and name: no group, firm or team ("Attorney General William Barr" for a watchdog group).
_TITLED_PERSON = re.compile(r"^\W*(?:(?:former|then|U\.?S\.?|US)\s+)*(?:President|Vice\s+President|Attorney\s+General|"
                            r"Secretary|Senator|Sen\.|Representative|Rep\.|Governor|Gov\.|Mayor|Judge|Justice|Mr\.|"
                            r"Mrs\.|Ms\.|Dr\.|Prime\s+Minister|Minister|Chancellor|King|Queen|Prince|Princess|Pope|"
                            r"CEO|Chief\s+Executive)\s+(?:[A-Z][\w'’.-]*\s+){0,2}[A-Z][\w'’-]+\W*$")


# "Which <office holder> ...?" and the title a reply gives its person: a congressman is no attorney general.
_OFFICES = {"congressman": "rep", "congresswoman": "rep", "representative": "rep", "senator": "sen",
            "governor": "gov", "mayor": "mayor"}
_OFFICE_ASKED = re.compile(r"\b(?i:which|what)\s+(?:(?:[A-Z][\w'’.-]*|[a-z]+(?:-[a-z]+)*)\s+){0,3}?"
                           r"(?P<office>congressman|congresswoman|representative|senator|governor|mayor)\b(?!\s+of\b)")
_TITLES = (("rep", r"Rep\.|Representative|Congress(?:wo)?man"), ("sen", r"Sen\.|Senator"), ("gov", r"Gov\.|Governor"),
           ("mayor", r"Mayor"), ("other", r"President|Vice\s+President|Attorney\s+General|Secretary|Judge|Justice|"
                                      r"Prime\s+Minister|Minister|Lt\.\s+Gov\.|Lieutenant\s+Governor"))


def other_office(direct: str, question: str) -> bool:
    """Whether a reply to "Which <office holder> ...?" gives its person another office's title:
    "Republican Attorney General Brenna Bird" for "Which Iowa congressman said ...?". Limits: the
    title must open the reply (after a party or "U.S."); "former" or "then" leaves it alone (people
    change offices); a congressman, senator, governor or mayor only."""
    m = _OFFICE_ASKED.search(question)
    if m is None:
        return False
    opening = re.match(r"\W*(?:(?:Republican|Democratic|Democrat|GOP|U\.?S\.?|US|state|State)\s+)*"
                       r"(?P<title>Lt\.\s+Gov\.|Lieutenant\s+Governor|[A-Z][\w.]*(?:\s+(?:General|President|Minister))?)\s+[A-Z]",
                       strip_markers(direct))
    if opening is None:
        return False
    title = opening.group("title")
    given = next((office for office, pattern in _TITLES if re.fullmatch(pattern, title)), None)
    return given is not None and given != _OFFICES[m.group("office").lower()]


def wrong_kind(direct: str, question: str) -> bool:
    """Whether a short reply names something of another kind than the "which <kind>" the
    question asks for, or nothing of it: "Colorado State University" for "In which Swedish town
    did ... play?", "Attorney General William Barr" for "Which watchdog group won the ruling?",
    "The soldier was taken to the hospital on Tuesday" for "Which hospital was he taken to?".
    Limits: only institutions and titled people are recognised (a bare person's name for a
    company passes); the kinds are a fixed list of place, body and site nouns; a reply that opens
    with a name is taken to name one; a reply of ``LONG_REPLY_WORDS`` words or more is left alone
    for the first two checks (it may name the place and the body in it)."""
    m = _KIND_ASKED.search(question)
    direct = strip_markers(direct).strip()
    if m is None or not direct:
        return False
    kind = m.group("kind").lower()
    if (re.search(rf"\b(?i:the|a|an|this|that|its|his|her|their)\s+(?:[a-z-]+\s+){{0,2}}{kind}s?\b"
                  r"(?!\s+(?:(?:of|called|named|known\s+as)\s+)?[A-Z])", direct)
            and not re.search(rf"\b[A-Z][\w'’.-]*\s+(?i:{kind})\b", direct)
            and not re.match(r"\W*(?!(?:The|A|An|This|That|It|He|She|They)\b)[A-Z]", direct)):
        # "the hospital", "a small town": the kind again, not which one.
        return True
    if len(direct.split()) >= LONG_REPLY_WORDS:
        return False
    if re.fullmatch(_PLACE_KINDS, kind):
        return bool(_NOT_A_PLACE.search(direct)) or bool(_TITLED_PERSON.match(direct))
    return bool(_TITLED_PERSON.match(direct))


# A question about how things stand after a change, and a sentence about how they stood before it.
_ASKS_NOW = re.compile(r"\b(?:new|now|current(?:ly)?|latest|lowered|raised|changed|increased|decreased|reduced|"
                       r"extended|updated|revised)\b", re.I)
_BEFORE_CHANGE = re.compile(r"\b(?:before the (?:change|move|decision|update|shift|switch|new)\b|previously\b|"
                            r"formerly\b|used to\b|prior to (?:the|this)\b|until (?:now|recently)\b|"
                            r"the (?:old|previous|former) (?:limit|rule|policy|law|age|price|rate|record)\b)", re.I)


def before_change(question: str, sentence: str) -> bool:
    """Whether ``sentence`` tells how things stood before a change the question asks the outcome
    of: "The US has lowered the minimum age for new immigration enforcement officers to what?"
    was answered "37", from "Before the change, ... the agency's age limit was 37". A question
    that itself asks about the past ("What was the limit before the change?") is left alone.

    Limits: English markers of an earlier state; a sentence giving both states is refused too."""
    return bool(_ASKS_NOW.search(question) and _BEFORE_CHANGE.search(sentence)
                and not _BEFORE_CHANGE.search(question) and not re.search(r"\bbefore\b", question, re.I))


def other_edition(question: str, sentence: str) -> bool:
    """Whether ``sentence`` names an event the question asks about by its year only in other
    years: "Williams won the 2008 WTA Finals by defeating Vera Zvonareva" for "Who was Venus
    Williams' first opponent at the 2017 WTA Finals?" is about another edition.

    Limits: the year written just before the same capitalised name in both."""
    for m in _EDITION.finditer(question):
        name = r"\s+".join(re.escape(w) for w in m.group(2).split())
        years = set(re.findall(r"\b(1[89]\d\d|20\d\d)\s+" + name + r"\b", sentence))
        if years and m.group(1) not in years:
            return True
    return False


# "The long-awaited new venue ... is getting closer to opening, with Friday, May 26 as target
# date": a subject named by a common noun after "the" is the one the sentence before names.
_DEFINITE_SUBJECT = re.compile(r"^\W*[Tt]he\s+[a-z]")


def with_referent(sentence: str, text: str, start: int, definite: bool = False) -> str:
    """``sentence`` (at offset ``start`` of ``text``) with the sentence before it when it refers
    back ("Both sides stopped adding new tariffs as part of what's known as the Phase One deal."
    after "In 2020, a truce was reached between Trump and ... Xi Jinping."): what it says is said
    of that sentence's subject. With ``definite``, also when its subject is a common noun after
    "the" ("The long-awaited new venue, one of ..., is getting closer to opening").

    Limits: one sentence back, and only after the openings ``REFERS_BACK`` (and
    ``_DEFINITE_SUBJECT``) know."""
    if not (REFERS_BACK.match(sentence) or (definite and _DEFINITE_SUBJECT.match(sentence))):
        return sentence
    spans = split_sentences(text[:start])
    return f"{text[spans[-1][0]:spans[-1][1]]} {sentence}" if spans else sentence


def restates_why(direct: str, question: str) -> bool:
    """Whether a reply to a why-question gives the event again rather than a reason: most of its
    words are the question's and none says why ("South Korean guards approached the line" for "Why
    did the guards approach the line?"). On the dev sets' why-questions no answer took half of its
    words from the question (0.42 at most)."""
    said = content_terms(direct)
    return bool(said) and len(said & content_terms(question)) >= WHY_RESTATED * len(said) and not causal(direct)


# "... it was too early to say why he had chosen to cross": a report saying the reason is not known.
_UNKNOWN_WHY = re.compile(
    r"\b(?:unclear|not\s+(?:immediately\s+|yet\s+)?(?:clear|known|explained)|unknown|too\s+early\s+to\s+(?:say|tell)|"
    r"(?:did|does|do|would|could)\s+not\s+(?:say|explain|know)|(?:didn't|doesn't|don't|wouldn't|couldn't|didn’t|"
    r"doesn’t|don’t|wouldn’t|couldn’t)\s+(?:say|explain|know)|declined\s+to\s+(?:say|explain)|no\s+one\s+knows)"
    r"\b[^.;!?]{0,40}?\bwhy\b", re.I)


def reason_unknown(direct: str, question: str, found: Support, passages: Sequence[Passage]) -> Support | None:
    """For a why-question answered with no reason (neither the reply nor its sentence says why:
    "The soldier was shot in the shoulder and the elbow" for "Why did the soldier defect in
    November?"), the sentence of the same article that says the reason is not known ("... it was
    too early to say why he had chosen to cross ..."), when a passage holds one; else None.

    Limits: English; the sentence must say "why" after the words of not knowing
    (``_UNKNOWN_WHY``), and belong to the article the reply was stated by."""
    if not asks_reason(question) or causal(direct) or causal(found.sentence):
        return None
    if not 0 < found.n <= len(passages):
        return None
    doc = passages[found.n - 1].doc_id
    for n, p in enumerate(passages, 1):
        if p.doc_id != doc:
            continue
        spans = split_sentences(p.text)
        for i, (a, b) in enumerate(spans):
            if _UNKNOWN_WHY.search(p.text[a:b]):
                return _quoted(n, p, spans, i, 1.0, found.relevance, antecedent=False)
    return None


def compose(direct: str, found: Support) -> str:
    """The shown answer: the direct answer and its supporting sentence, both citing the passage.
    When the direct answer is the sentence itself (a long reply), it is not repeated."""
    sentence = found.sentence.rstrip()
    if (content_terms(direct) >= content_terms(sentence) or len(words(direct)) > MAX_DIRECT_WORDS
            or _begins(sentence, direct)):
        return f"{sentence} [{found.n}]"
    direct = direct[0].upper() + direct[1:] if direct else direct
    return f"{direct} [{found.n}]\n\n{sentence} [{found.n}]"


def _begins(sentence: str, direct: str) -> bool:
    """Whether ``direct`` is a run of the sentence's words copied and cut off (the reply ran out
    of tokens: '... was a "diff'), which is not shown as an answer of its own. The copy may start
    past the sentence's first words ("Analysts say ... the most heavily guarded border in the",
    of "But analysts say ... in the region is taking a far greater risk ...", was shown above the
    whole sentence) when it visibly stops short: mid-word, or on a word that cannot end a phrase
    ("the", "in"). A phrase lifted whole from inside the sentence ("in the shoulder and the
    elbow") is an answer."""
    said, full = words(direct), words(sentence)
    if len(said) < QUOTE_MIN_WORDS or len(said) >= len(full):
        return False
    for i in range(len(full) - len(said) + 1):
        last = full[i + len(said) - 1]
        if said[:-1] == full[i:i + len(said) - 1] and last.startswith(said[-1]) and (
                i == 0 or last != said[-1] or said[-1] in STOPWORDS):
            return True
    return False
