"""News questions answered with a digest: "What happened last week?", "What's the latest on the
defections?", "Any news about the strike?". The answer is the opening statement of each of the
newest articles that fit (in the question's time window, naming its topic), newest first, each
cited; the model is not asked. A search of the archive ("Which articles mention Panmunjom?")
and a request about a topic ("Tell me about the fog defection", "What do you know about X?") are
answered the same way, with the sentence of each article that names the topic; a search that no
article matches, with "No article mentions X." (``nothing_found``). A request for
the articles of some days ("Which articles are from November?", "What was published last
week?") gets the digest of those days, like "What happened ...?"; "How many articles are from
December?" counts them first. In a chat, "What happened next?" quotes the statement after the
last one the previous answer quoted (``next_statement``). A comparison ("Compare the fog
crossing and the November shooting", "How do A and B differ?") gets, under a line naming the
two sides, the sentences of the newest articles naming each (``compared``); "Which article is
the oldest?" the leads of the oldest articles, oldest first (``asks_for_oldest``).

Why: such a question names no fact to look for. Its words alone are far from every sentence (the
relevance gate refused "What happened this week?" at 0.30 and "What's the latest news about
defections?" at 0.29), and asked to pick one sentence, the 0.5B model copied whichever it read
first ("The demilitarised zone ... is lined with fences" for "what happened last month?"). A
news article's lead says what happened; which articles, and how new, is what the archive knows
for certain.

Limits: English question forms only (``asks_for_news``, ``asks_for_mentions``). A "what
happened" or "which articles are from" question needs a named time ("last week", "in November",
"on Tuesday") of at most ``MAX_WINDOW_DAYS`` and at most ``MAX_TOPIC_TERMS`` topic words ("What
happened at the Joint Security Area in November?"); longer ones ("What happened to the Tea dating-advice app in late
July 2025?") ask for a fact and take the usual path. The topic is matched by its word stems in
the title or text, not by meaning ("defections" finds "defected", not "crossed the border" or
"defector"): among the question's retrieved candidates for the news (an article that names it in
passing is no news of it), in every article the filters let in for a search or a count
(``holding``: realtimeqa-dev's 1,038 articles in 0.3-0.4 s). A lead is the first sentence that is
not a headline, byline or dateline line, so a feature that opens with a scene gives that scene.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable

from .dates import date_bounds
from .evidence import HEADING_WORDS, SUMMARY_LABEL, about_the_page, not_a_statement
from .sentences import split_sentences
from .text import content_terms, term, words
from .timeframe import TimeFrame
from .types import Document

DIGEST_ARTICLES = 5
MAX_TOPIC_TERMS = 3
MAX_WINDOW_DAYS = 62
# How far back "the latest" may reach when the last days hold nothing on the topic: older than
# this is not news of the day asked from (as ``timeframe.RECENT_LIMIT_DAYS`` for answers).
RECENT_REACH_DAYS = 180

_NEWS = r"(?:news|reports?|stories|developments?|updates?|headlines|coverage|articles?|pieces?)"
# "What's the latest on X?", "What is the latest news about X?", "The latest?", "Show me the
# newest articles" (not "what's the latest beauty trend?": a fact of a kind).
_LATEST = re.compile(r"^\W*(?:(?:so\s+)?what(?:'s|’s|\s+is|\s+are)\s+|(?:show|list|give)(?:\s+me)?\s+)?(?:the\s+)?"
                     r"(?:latest|newest|most\s+recent)"
                     r"(?:\s+" + _NEWS + r")?(?:\s+(?:on|about|from|in|regarding|with|for)\b|\W*$)", re.I)
# "Any news about X?", "Is there any news on X?", "Recent reports on X", "What's new with X?"
_ANY = re.compile(r"^\W*(?:(?:is|are)\s+there\s+)?(?:any\s+(?:new\s+)?|(?:latest|recent|newest)\s+)" + _NEWS + r"\b"
                  r"|^\W*(?:what(?:'s|’s|\s+is)|anything)\s+new\b", re.I)
# "What happened last week?", "What happened at the Joint Security Area in November?"
_HAPPENED = re.compile(r"^\W*what\s+(?:has\s+|have\s+)?(?:happened|went\s+on)\b", re.I)
# "Which articles are from November?", "Show me the stories from last week", "What was published
# on Tuesday?": the archive's articles of the days named (a librarian's question, not a fact's).
_LISTING = re.compile(r"^\W*(?:(?:which|what)\s+(?:articles?|reports?|stories|pieces|news)\s+(?:are|were|is|was)\s+"
                      r"(?:from|published|dated|there\s+from)|(?:show|list|give|find)(?:\s+me)?\s+(?:all\s+)?(?:the\s+)?"
                      r"(?:articles?|reports?|stories|news)\s+(?:from|published|dated|of)|what\s+(?:was|were|got)\s+"
                      r"published)\b", re.I)
# Words of the forms themselves, not of a topic.
_GENERIC = {term(w) for w in (
    "news report reports story stories update updates development developments headline headlines coverage "
    "latest newest recent new happen happened went anything what article articles piece pieces published "
    "dated show list give find").split()}


def asks_for_news(question: str, frame: TimeFrame | None) -> set[str] | None:
    """The topic's word stems of a news question (empty: any article will do), or None when the
    question asks for a fact rather than for the news."""
    happened = _HAPPENED.match(question) or _LISTING.match(question)
    if not (happened or _LATEST.match(question) or _ANY.match(question)):
        return None
    rest = question.replace(frame.phrase, " ") if frame is not None else question
    topic = content_terms(rest) - _GENERIC
    if len(topic) > MAX_TOPIC_TERMS:
        return None
    if happened and (frame is None or not frame.named_days or _days(frame) > MAX_WINDOW_DAYS):
        # Without a time asked about it is a question about an event ("what happened at the
        # border?"), which the evidence path answers.
        return None
    return topic


# "Which articles mention Panmunjom?", "Find reports about the fog crossing": a search of the
# archive, answered with the sentence of each article that names the topic.
_SEARCH = (r"^\W*(?:(?:which|what)\s+(?:articles?|reports?|stories|pieces)\s+(?:mentions?|covers?|discuss(?:es)?|names?|"
           r"talks?\s+about|(?:are|is)\s+about)\b"
           r"|(?:find|show|list|give)(?:\s+me)?\s+(?:all\s+)?(?:the\s+)?(?:articles?|reports?|stories)\s+"
           r"(?:about|on|mentioning|naming|(?:that|which)\s+mention)\b)")
_MENTIONS = re.compile(
    _SEARCH[:-1] + r"\b"
    # "Tell me about the fog defection", "What do you know about X?", "Summarize the coverage of X":
    # a topic, not a fact; each article's sentence on it says what the archive has.
    r"|(?:(?:can|could)\s+you\s+)?(?:please\s+)?(?:tell\s+me(?:\s+more|\s+a\s+(?:bit|little)(?:\s+more)?)?|what\s+do\s+you\s+know|what\s+does\s+(?:the|this)\s+archive\s+"
    r"(?:say|have|know)|give\s+me\s+(?:some\s+)?background)\s+(?:about|on)\b"
    r"|(?:(?:can|could)\s+you\s+)?(?:please\s+)?(?:summari[sz]e|describe)\s+(?!how\b|why\b|what\b|when\b|where\b|who\b)"
    r"|(?:give\s+me\s+)?(?:an?\s+)?(?:overview|summary|background)\s+(?:of|on)\b"
    # "List the defections": the articles that name them.
    r"|(?:(?:can|could)\s+you\s+)?(?:please\s+)?list\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?(?=[^\W\d_])"
    # "How do the two defections differ?", "Compare the defections": what each article says of
    # them, side by side (asked as a fact, the 0.5B model refused).
    r"|(?:(?:can|could)\s+you\s+)?(?:please\s+)?compare\s+(?=[^\W\d_])"
    r"|how\s+(?:do|does|did)\s+[^?]+?\s+(?:differ|compare)\b"
    r"|what(?:'s|’s|\s+is|\s+are|\s+were|\s+was)\s+the\s+differences?\s+between\b)", re.I)
_SEARCH_WORDS = {term(w) for w in (
    "article articles report reports story stories piece pieces mention mentions cover covers discuss discusses "
    "name names talk talks find show list give me all tell know say archive summarize summarise describe "
    "overview summary background coverage please more bit little compare differ difference differences "
    "between").split()} | content_terms("two both")  # "the two defections": written as the number


# "How many articles mention China?": the count, then the search's answer.
_HOW_MANY = re.compile(r"^\W*how\s+many\s+(?:articles?|reports?|stories|pieces|documents?)\s+"
                       r"(?:mention|cover|discuss|name|talk\s+about|are\s+(?:there\s+)?(?:about|on)|(?:are\s+)?there\s+"
                       r"(?:about|on)|about|on)\b", re.I)
# "How many articles are from December?", "How many reports were published last week?": a count
# of the days named, whatever the articles are about.
_HOW_MANY_DAYS = re.compile(r"^\W*how\s+many\s+(?:articles?|reports?|stories|pieces|documents?)\s+(?:are|were|was|"
                            r"is|have\s+been|got)?\s*(?:there\s+)?(?:from|published|dated|posted|out)\b", re.I)


def asks_for_mentions(question: str, frame: TimeFrame | None) -> set[str] | None:
    """The topic's word stems of a search of the archive ("Which articles mention Panmunjom?",
    "How many articles mention China?"), or None for any other question (or one without a
    topic)."""
    days = frame is not None and frame.named_days
    if days and _HOW_MANY_DAYS.match(question):
        rest = question.replace(frame.phrase, " ")
        topic = content_terms(rest) - _SEARCH_WORDS - _GENERIC
        return topic if len(topic) <= MAX_TOPIC_TERMS else None
    if not (_MENTIONS.match(question) or _HOW_MANY.match(question)):
        return None
    rest = question.replace(frame.phrase, " ") if days else question
    topic = content_terms(rest) - _SEARCH_WORDS
    return topic if 0 < len(topic) <= MAX_TOPIC_TERMS else None


# "Compare the fog crossing and the November shooting", "What is the difference between A and B?",
# "How does A compare with B?", "How do A and B differ?": two topics, side by side.
_COMPARED = re.compile(
    r"^\W*(?:(?:can|could)\s+you\s+)?(?:please\s+)?(?:compare\s+(?P<a>.+?)\s+(?:and|with|to|versus|vs\.?)\s+(?P<b>.+?)"
    r"|what(?:'s|’s|\s+is|\s+are|\s+was|\s+were)\s+the\s+differences?\s+between\s+(?P<c>.+?)\s+and\s+(?P<d>.+?)"
    r"|how\s+(?:does|do|did)\s+(?P<e>.+?)\s+(?:compare|differ)\s+(?:with|to|from)\s+(?P<f>.+?)"
    r"|how\s+(?:do|did)\s+(?P<g>.+?)\s+and\s+(?P<h>.+?)\s+(?:differ|compare))[\s?.!]*$", re.I)
# Articles shown for each side of a comparison.
COMPARED_ARTICLES = 2


def compared(question: str) -> list[tuple[str, set[str]]] | None:
    """The two sides of a comparison, as written and as topics (word stems): "Compare the fog
    crossing and the November shooting" → ("the fog crossing", {fog, cross}), ("the November
    shooting", {novemb, shoot}); None for any other question or a side with no topic words or
    more than ``MAX_TOPIC_TERMS``.

    Limits: English forms only; each side is matched by words, so a side the archive words
    otherwise ("the shooting" for an article that says "shot") finds nothing, and the question is
    then answered as any other."""
    m = _COMPARED.match(question)
    if m is None:
        return None
    sides = [(side, content_terms(side) - _SEARCH_WORDS - _GENERIC) for side in m.groups() if side]
    if any(not t or len(t) > MAX_TOPIC_TERMS for _, t in sides):
        return None
    return sides


def compared_head(sides: list[tuple[str, set[str]]]) -> str:
    """The line above a comparison's quotes: which sides they are, in that order."""
    return "What the articles say of " + ", then of ".join(f"“{side}”" for side, _ in sides) + ":"


def nothing_found(question: str) -> str | None:
    """The answer to a search of the archive that no article matches ("Which articles mention
    Zohran Mamdani?" → "No article mentions Zohran Mamdani."); None for a topic asked about
    ("Tell me about X"), which the evidence may still answer in other words."""
    m = re.match(_SEARCH + r"\s*(.*?)[\s?.!]*$", question, re.I)
    if not m:
        return None
    topic = m.group(1)
    return f"No article mentions {topic}." if topic else "No article matches."


def asks_how_many(question: str) -> bool:
    """Whether a search of the archive asks for the number of articles ("How many articles
    mention China?", "How many articles are from December?")."""
    return bool(_HOW_MANY.match(question) or _HOW_MANY_DAYS.match(question))


def mention_count(n: int, question: str) -> str:
    """The answer's first line for "How many articles mention X?"."""
    m = re.search(r"\bhow\s+many\s+(\w+)\s+(.*?)[\s?.!]*$", question, re.I)
    kind, rest = (m.group(1).lower(), m.group(2)) if m else ("articles", "")
    one = {"articles": "article", "reports": "report", "stories": "story", "pieces": "piece",
           "documents": "document"}.get(kind, kind)
    if n == 0:
        return f"No {one} {_singular(rest)}." if rest else f"No {one}."
    if n == 1:
        return f"1 {one} {_singular(rest)}:" if rest else f"1 {one}:"
    more = f"; the newest {DIGEST_ARTICLES}:" if n > DIGEST_ARTICLES else ":"
    return f"{n} {kind} {rest}{more}" if rest else f"{n} {kind}{more}"


def _singular(rest: str) -> str:
    """"mention China" -> "mentions China", "are about X" -> "is about X", "were published" -> "was
    published"."""
    first, _, tail = rest.partition(" ")
    verb = {"are": "is", "were": "was", "have": "has", "talk": "talks", "discuss": "discusses"}.get(
        first.lower(), first if first.lower().endswith("ed") else first + "s")
    return f"{verb} {tail}".strip()


def holding(docs: Iterable[Document], topic: set[str]) -> list[Document]:
    """The ``docs`` whose title or text holds every topic stem (as ``content_terms`` reads them,
    except that each part of a hyphenated word counts: "anti-Trump" names Trump).

    Only the words that start like a stem ("happ" for "happi": a stem less up to two letters) are
    stemmed, which is what makes a scan of a large archive affordable (realtimeqa-dev's 1,038
    articles in 0.3-0.4 s on two cores); a stem that is no prefix of its words (a number word's
    digit) can miss articles."""
    finders = [(t, re.compile(r"(?<![^\W\d_])" + re.escape(t[:max(3, len(t) - 2)] if len(t) > 3 else t)
                               + r"[\w'’-]*")) for t in topic]
    out = []
    for d in docs:
        low = f"{d.title}\n{d.text}".lower()
        if all(any(term(w) == t for m in f.finditer(low) for w in words(m.group())[:1]) for t, f in finders):
            out.append(d)
    return out


def _days(frame: TimeFrame) -> int:
    return (dt.date.fromisoformat(frame.end) - dt.date.fromisoformat(frame.start)).days + 1


@dataclass
class Item:
    document: Document
    start: int  # the lead's offsets in the document text
    end: int


def lead(doc: Document) -> tuple[int, int] | None:
    """The offsets of the article's first statement: not its title (a markdown "# Title" line
    too), a byline or a dateline line, and without the heading lines a pdf's text runs into it."""
    title = " ".join(doc.title.split()).lower()
    for a, b in split_sentences(doc.text):
        text = " ".join(doc.text[a:b].lstrip("# ").split()).lower()
        if text == title or not_a_statement(doc.text, a, b) or about_the_page(doc.text, a, b):
            continue
        return _after_headings(doc.text, a, b), b
    return None


def opening(doc: Document) -> tuple[int, int] | None:
    """The offsets of the article's lead and the statement after it: what one article asked
    about ("Tell me about the hospital report") says first. The lead alone when nothing follows."""
    first = lead(doc)
    if first is None:
        return None
    for a, b in split_sentences(doc.text):
        if a >= first[1] and not not_a_statement(doc.text, a, b) and not about_the_page(doc.text, a, b):
            return first[0], b
    return first


def _after_headings(text: str, a: int, b: int) -> int:
    """Where the sentence ``text[a:b]`` starts after the short unpunctuated lines (headline,
    kicker, byline) a pdf's text runs into it, and after a summary's label ("AI-assisted
    summary")."""
    while (nl := text.find("\n", a, b)) != -1:
        line = text[a:nl].strip()
        if not line or line[-1] in ".!?:;\"'”’)" or len(line.split()) > HEADING_WORDS:
            break
        a = nl + 1
    a += len(text[a:b]) - len(text[a:b].lstrip())
    label = SUMMARY_LABEL.match(text, a, b)
    return label.end() if label else a


def window(frame: TimeFrame | None, reference: str | None) -> tuple[dt.date, dt.date] | None:
    """The days a digest takes articles from: the named days asked about, else (recency words, or
    no time at all) the ``RECENT_REACH_DAYS`` up to the reference day; None without either."""
    if frame is not None and frame.named_days:
        return dt.date.fromisoformat(frame.start), dt.date.fromisoformat(frame.end)
    if reference is None:
        return None
    ref = dt.date.fromisoformat(str(reference)[:10])
    return ref - dt.timedelta(days=RECENT_REACH_DAYS), ref


def newest(docs: Iterable[Document], topic: set[str], days: tuple[dt.date, dt.date] | None,
           limit: int = DIGEST_ARTICLES, naming: bool = False, oldest: bool = False) -> list[Item]:
    """The newest dated ``docs`` published within ``days`` whose title or text holds every topic
    stem, newest first (ties by title; ``oldest``: the oldest, oldest first), each with its lead,
    or with ``naming`` (or a lead that names no topic stem) the first statement that names the
    most of the topic (the lead when none names any)."""
    dated = []
    for d in docs:
        bounds = date_bounds(d.published)
        if bounds is not None and (days is None or (bounds[1] >= days[0] and bounds[0] <= days[1])):
            dated.append((bounds[0] if oldest else bounds[1], d))
    dated.sort(key=lambda x: (x[0], x[1].title), reverse=not oldest)
    items: list[Item] = []
    for _, doc in dated:
        if topic and not topic <= content_terms(f"{doc.title}\n{doc.text}"):
            continue
        span = lead(doc)
        if naming or (topic and span is not None and not topic & content_terms(doc.text[span[0]:span[1]])):
            # A lead that says nothing of the topic ("Trump fired the head of the Bureau of Labor
            # Statistics ..." for the latest on tariffs) gives way to the article's sentence on it.
            span = _naming(doc, topic) or span
        if span is not None:
            items.append(Item(doc, *span))
        if len(items) >= limit:
            break
    return items


# "Which article is the oldest?", "What's the earliest report on the fog crossing?", "Show me the
# oldest articles": the archive's first articles, oldest first.
_OLDEST = re.compile(r"^\W*(?:(?:which|what)(?:'s|’s|\s+is|\s+was|\s+are|\s+were)?\s+(?:the\s+)?(?:oldest|earliest)\s+"
                     + _NEWS + r"|(?:which|what)\s+" + _NEWS + r"\s+(?:is|was|are|were)\s+(?:the\s+)?(?:oldest|earliest)"
                     r"|(?:show|list|give|find)(?:\s+me)?\s+the\s+(?:oldest|earliest)\s+" + _NEWS + r")\b", re.I)


def asks_for_oldest(question: str) -> set[str] | None:
    """The topic's word stems (empty for the whole archive) of a question for the oldest
    articles ("Which article is the oldest?", "the earliest report on the fog crossing"), or None
    for any other question (or a topic of more than ``MAX_TOPIC_TERMS`` words)."""
    if not _OLDEST.match(question):
        return None
    topic = content_terms(question) - _GENERIC - _SEARCH_WORDS - {term(w) for w in ("oldest", "earliest", "one")}
    return topic if len(topic) <= MAX_TOPIC_TERMS else None


def _naming(doc: Document, topic: set[str]) -> tuple[int, int] | None:
    """The first statement of the article naming the most topic stems; None when none names any."""
    best: tuple[int, tuple[int, int]] | None = None
    for a, b in split_sentences(doc.text):
        if not_a_statement(doc.text, a, b) or about_the_page(doc.text, a, b):
            continue
        named = len(topic & content_terms(doc.text[a:b]))
        if named and (best is None or named > best[0]):
            best = (named, (_after_headings(doc.text, a, b), b))
    return best[1] if best else None


# "What happened next?", "And then?", "What happened after that?": in a chat, the story goes on
# from what the last answer quoted.
_WHAT_NEXT = re.compile(r"^\W*(?:and\s+|so\s+)?(?:(?:what|then\s+what)\s+(?:happened|came|followed)\s+"
                        r"(?:next|then|after(?:wards|\s+that|\s+this)?)|what\s+(?:happened|came)\s+after\s+(?:it|him|them)|"
                        r"then\s+what|and\s+then|what\s+next)\W*$", re.I)
_MARKERS = re.compile(r"\[\d+(?:\s*,\s*\d+)*\]|\n")


def asks_what_next(question: str) -> bool:
    """Whether a chat question asks how the story went on ("What happened next?")."""
    return bool(_WHAT_NEXT.match(question))


def next_statement(answer: str, docs: Iterable[Document]) -> Item | None:
    """The statement after the last sentence ``answer`` quoted from the first article it quoted
    (a quoted sentence of at least six words, found whole in the article), or None when it
    quoted none or that sentence ends its article (an editor's note in brackets aside).

    Limits: a quote is found by its words, whitespace aside; a sentence the answer shortened
    (a dateline left out) is found by its remaining words."""
    pieces = [" ".join(x.split()) for x in _MARKERS.split(answer)]
    pieces = [x for x in pieces if len(x.split()) >= 6]
    if not pieces:
        return None
    docs = list(docs)
    for piece in pieces:
        for doc in docs:
            spans = split_sentences(doc.text)
            at = [k for k, (a, b) in enumerate(spans) if (s := " ".join(doc.text[a:b].split())) and
                  len(s.split()) >= 4 and (s in piece or piece in s)]
            if not at:
                continue
            # The last sentence of this article the answer shows.
            last = max(k for k, (a, b) in enumerate(spans) if k in at and any(
                " ".join(doc.text[a:b].split()) in p or p in " ".join(doc.text[a:b].split()) for p in pieces))
            for a, b in spans[last + 1:]:
                text = doc.text[a:b].strip()
                if text.startswith("(") and text.endswith(")"):
                    continue  # an editor's note ("(... not a real news report.)"), not the story
                if not not_a_statement(doc.text, a, b) and not about_the_page(doc.text, a, b):
                    return Item(doc, _after_headings(doc.text, a, b), b)
            return None
    return None
