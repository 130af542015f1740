"""Questions about the archive's records rather than what its articles say, answered from the
index without the model:

- the archive itself ("What is this archive about?", "What's in the archive?", "How many articles
  are there?", "Which outlets are in the archive?"): how many articles, from which outlets, over
  which days (``asks_about_archive``, ``overview``), shown above the newest articles' leads;
- an article's own record ("When was the analysis published?", "Who wrote the hospital report?",
  "Which outlet published the article about the fog crossing?", "Which outlet wrote about the
  hospital?"): its date, outlet or authors as
  the loaders read them (``asks_for_record``, ``described``, ``record``), shown above its lead;
  in a chat, "Who wrote it?", "When was it published?" mean the article(s) the last answer
  quoted (``asks_for_earlier_record``, ``quoted_docs``).

Why: the model reads passages, and a header's date or outlet is what it copies least reliably:
asked who published the article about the fog crossing, the 0.5B model answered "The Fog
Crossing Archive", which the answer check grounded on the words "fog crossing"; "When was the
analysis published?" and "Who wrote the hospital report?" were refused. The index has the
record.

Limits: English question forms only; a record question must name a kind of article ("the
analysis", "the report about ...") so that "When was the soldier questioned?" is not one. The
article meant is the retrieved candidate whose title and text share the most words with the
description (the title counting double); a description in other words than the article's finds
another or none (then the usual path answers), and a tie names every tied article (up to three).
"It" is the first article the last answer quoted ("them" up to three), found by a quoted passage
of at least six words in the article's text; an answer that quoted nothing (a refusal) leaves
the usual path to answer.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Sequence

from .dates import date_bounds
from .text import content_terms, term
from .text import words as split_words
from .types import Document

# "What is this archive about?", "What's in the archive?", "What does the collection cover?",
# "How many articles are there?", "Which outlets are in the archive?", "Give me an overview". The
# whole question must be of the form: "What does the archive say about X?" asks for a fact.
_ARCHIVE = r"(?:this|the|your|my|our)\s+(?:news\s+)?(?:archive|collection|corpus|database|library|index)"
_THINGS = r"(?:articles?|reports?|stories|documents?|pieces|topics?|subjects?|outlets?|sources?|newspapers?|publications?)"
_ABOUT_ARCHIVE = re.compile(
    r"^\W*(?:"
    r"what(?:'s|’s|\s+is|\s+are)\s+(?:in\s+)?" + _ARCHIVE + r"(?:\s+about)?"
    r"|what(?:'s|’s|\s+is)\s+(?:in\s+)?(?:here|there)"
    r"|what\s+(?:" + _THINGS + r"\s+)?(?:does|do)\s+" + _ARCHIVE + r"\s+(?:contain|cover|hold|have|include)"
    r"|(?:what|which)\s+" + _THINGS + r"\s+(?:are|is)\s+(?:there|covered|included)?\s*(?:in\s+" + _ARCHIVE + r")?"
    r"|(?:what|which)\s+" + _THINGS + r"\s+do\s+you\s+have"
    r"|how\s+many\s+" + _THINGS + r"\s+(?:are\s+(?:there|in\s+" + _ARCHIVE + r")|(?:does|do)\s+(?:" + _ARCHIVE
    + r"|you)\s+(?:have|hold|contain|include))"
    r"|what\s+(?:can|could|should)\s+i\s+ask(?:\s+(?:you|about))*"
    r"|what\s+do\s+you\s+(?:know|have)(?:\s+about)?"
    r"|(?:summari[sz]e|describe|give\s+(?:me\s+)?(?:an?\s+)?(?:overview|summary)\s+of)\s+" + _ARCHIVE +
    r"|(?:give\s+(?:me\s+)?)?(?:an?\s+)?(?:overview|summary)(?:\s+(?:of|for)\s+" + _ARCHIVE + r")?"
    r"|(?:list|show)(?:\s+me)?\s+(?:all\s+)?(?:the\s+)?(?:articles?|reports?|stories|documents?|outlets?|sources?)"
    r"(?:\s+(?:in|of)\s+" + _ARCHIVE + r")?"
    r")\W*$", re.I)


def asks_about_archive(question: str) -> bool:
    """Whether the question asks what the archive holds rather than what it says."""
    return bool(_ABOUT_ARCHIVE.match(question.strip()))


OUTLETS_NAMED = 5


def overview(docs: list[Document]) -> str:
    """One sentence of what ``docs`` are, from the index alone: how many, from which outlets (the
    ``OUTLETS_NAMED`` with most articles first), published over which days."""
    n = len(docs)
    if not n:
        return "The archive holds no articles."
    counts: dict[str, int] = {}
    for d in docs:
        if d.source:
            counts[d.source] = counts.get(d.source, 0) + 1
    outlets = sorted(counts, key=lambda o: (-counts[o], o.lower()))
    text = f"The archive holds {n} article{'s' if n != 1 else ''}"
    if outlets:
        named = outlets[:OUTLETS_NAMED]
        if len(outlets) > len(named):
            listed = ", ".join(named) + f" and {len(outlets) - len(named)} more"
        elif len(named) > 1:
            listed = ", ".join(named[:-1]) + f" and {named[-1]}"
        else:
            listed = named[0]
        text += f" from {len(outlets)} outlet{'s' if len(outlets) != 1 else ''} ({listed})"
    spans = [b for d in docs if (b := date_bounds(d.published)) is not None]
    if spans:
        first, last = min(b[0] for b in spans), max(b[1] for b in spans)
        text += f", published {first.isoformat()}" + (f" to {last.isoformat()}" if last != first else "")
    undated = n - len(spans)
    if undated:
        text += f" ({undated} undated)"
    return text + "."


_ARTICLE = (r"(?:article|report|story|stories|analysis|analyses|piece|feature|column|op-?ed|editorial|interview|"
            r"dispatch|profile|obituary|review|item|coverage)s?")
# "the warning shots article", "the fog defection report": up to four words name it before the kind.
_DESCRIBED = r"(?P<what>(?:.*\s)?(?:the|this|that|an?)\s+(?:\S+\s+){0,4}?" + _ARTICLE + r"\b.*?)"


def _record_forms(described: str) -> list[tuple[str, re.Pattern]]:
    return [
        ("date", re.compile(r"^\W*when\s+(?:was|were|did)\s+" + described + r"\s+(?:first\s+)?(?:published|"
                            r"(?:come|came)\s+out|released|posted|written|filed|printed|run)\W*$", re.I)),
        ("date", re.compile(r"^\W*(?:what|which)\s+(?:is|was)\s+the\s+(?:publication\s+)?date\s+of\s+" + described
                            + r"\W*$", re.I)),
        ("outlet", re.compile(r"^\W*(?:who|which\s+(?:outlet|newspaper|paper|publication|site|website|magazine|"
                              r"news\s+\w+))\s+(?:published|ran|carried|posted|printed|put\s+out)\s+" + described
                              + r"\W*$", re.I)),
        ("outlet", re.compile(r"^\W*(?:where|in\s+which\s+\w+)\s+(?:was|were)\s+" + described
                              + r"\s+(?:published|posted|printed|run)\W*$", re.I)),
        # "Which outlet wrote about the hospital?": an outlet named for the article on a topic.
        # Not "reported": "Which newspaper reported where he was shot?" asks whom a report cites.
        ("outlet", re.compile(r"^\W*which\s+(?:outlet|newspaper|paper|publication|site|website|magazine)\s+"
                              r"(?:wrote|covered|(?:ran|published|carried)\s+(?:a|an|the)\s+" + _ARTICLE + r")\s+"
                              r"(?:about|on|of)\s+" + (r"(?P<what>.+?)" if described == _DESCRIBED else described)
                              + r"\W*$", re.I)),
        ("author", re.compile(r"^\W*who\s+(?:wrote|authored|filed|(?:is|was)\s+the\s+author\s+of)\s+" + described
                              + r"\W*$", re.I)),
    ]


_RECORD_FORMS = _record_forms(_DESCRIBED)
# "Who wrote it?", "When was that article published?": the article an earlier answer showed.
_EARLIER = _record_forms(r"(?P<what>it|that|this|they|them|these|those|"
                         r"(?:the|this|that|these|those)\s+" + _ARTICLE + r")")
# Words that say an article is meant, not which ("the analysis", "the interview" do say which).
_KIND_WORDS = content_terms("article report story piece item coverage about on")


def asks_for_record(question: str) -> tuple[str, set[str]] | None:
    """("date" / "outlet" / "author", the description's word stems) when the question asks for an
    article's record, else None (also when the description holds nothing but the kind of
    article: "When was the article published?" names no article)."""
    for kind, form in _RECORD_FORMS:
        m = form.match(question.strip())
        if m:
            words = content_terms(m.group("what")) - _KIND_WORDS
            # A number alone ("the [1] report") points at an earlier answer's source, which a
            # question does not carry.
            return (kind, words) if any(not w.isdigit() for w in words) else None
    return None


# What comes out, is released or is run is the thing a chat is about (a film, a cartoon, an
# album, a race) more often than the article: with only a pronoun for it, no record is asked.
_RELEASED = re.compile(r"\b(?:come|came)\s+out|\breleased|\bwritten|\bfiled|\brun\W*$", re.I)


def asks_for_earlier_record(question: str) -> tuple[str, bool] | None:
    """(kind, plural) when a chat question asks for the record of the article(s) an earlier
    answer showed ("Who wrote it?", "When were those published?"), else None. "When did it come
    out?" after "What was the first cartoon Bugs Bunny appeared in?" asks about the cartoon: a
    date asked of a bare pronoun is the article's only when it is published, posted or printed."""
    for kind, form in _EARLIER:
        m = form.match(question.strip())
        if m:
            bare = " " not in m.group("what").strip()
            if kind == "date" and bare and _RELEASED.search(question):
                return None
            return kind, bool(re.match(r"(?:they|them|these|those)\b", m.group("what"), re.I))
    return None


_MARKER = re.compile(r"\[\d+(?:\s*,\s*\d+)*\]|\n")


def quoted_docs(answer: str, docs: Sequence[Document], limit: int = 3) -> list[Document]:
    """The ``docs`` an earlier answer quoted (a cited passage of at least six words found in the
    article's text), in the order the answer shows them, up to ``limit``."""
    pieces = [" ".join(x.split()) for x in _MARKER.split(answer)]
    pieces = [x for x in pieces if len(x.split()) >= 6]
    if not pieces:
        return []
    flat = [(d, " ".join(d.text.split())) for d in docs]
    out: list[Document] = []
    for piece in pieces:
        for d, text in flat:
            if piece in text and d not in out:
                out.append(d)
                break
    return out[:limit]


# "the hospital report", "this fog defection story": one article, named by a word or more.
_ONE_ARTICLE = re.compile(r"\b(?:the|this|that)\s+(?:\S+\s+){1,4}?(?:article|report|story|analysis|piece|feature|"
                          r"column|op-?ed|editorial|interview|dispatch|profile|obituary|review)\b", re.I)


def names_article(question: str) -> bool:
    """Whether a request about a topic names one article ("Tell me about the hospital report"),
    not a subject ("Tell me about the fog defection") or articles ("the articles about X")."""
    return bool(_ONE_ARTICLE.search(question))


# Share of the description's words an article must hold to be the one meant: "the report about
# the World Cup" is not an article that says "world" once.
COVERAGE = 2 / 3


def described(docs: Sequence[Document], words: set[str], limit: int = 3) -> list[Document]:
    """The ``docs`` (in retrieval order) that hold ``COVERAGE`` of the ``words``, best first by
    the words in the title or outlet ("the wire report": Sample Wire's; each counting two) and
    how often the text repeats them (up to three times each: "the hospital report" is the one
    that keeps mentioning the hospital); ties in order, up to ``limit``."""
    scored = []
    for d in docs:
        title = words & content_terms(f"{d.title} {d.source or ''}")
        counts = Counter(t for w in split_words(d.text) if (t := term(w)) in words)
        if len(title | set(counts)) >= COVERAGE * len(words):
            scored.append((2 * len(title) + sum(min(n, 3) for n in counts.values()), d))
    best = max((s for s, _ in scored), default=0)
    return [d for s, d in scored if s == best][:limit] if best else []


def record(kind: str, doc: Document) -> str:
    """One sentence of the article's record: its date, outlet or authors."""
    title = f"“{doc.title}”" if doc.title else "The article"
    outlet, date = doc.source, doc.published
    if kind == "date":
        if not date or date_bounds(date) is None:
            return f"The archive has no publication date for {title}{f' ({outlet})' if outlet else ''}."
        return f"{title}{f' ({outlet})' if outlet else ''} was published {'on' if len(date) >= 10 else 'in'} {date[:10]}."
    if kind == "outlet":
        if not outlet:
            return f"The archive does not record who published {title}{f' ({date[:10]})' if date else ''}."
        return f"{outlet} published {title}{f' on {date[:10]}' if date else ''}."
    where = ", ".join(x for x in (outlet, date[:10] if date else None) if x)
    if not doc.authors:
        return f"The archive records no author for {title}{f' ({where})' if where else ''}."
    names = ", ".join(doc.authors[:-1]) + f" and {doc.authors[-1]}" if len(doc.authors) > 1 else doc.authors[0]
    return f"{title}{f' ({where})' if where else ''} is by {names}."
