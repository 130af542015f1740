"""Follow-up questions in a chat: which ones lean on the conversation, and their standalone form.

A question is rewritten only when it is shaped like a follow-up (an opener such as "and" or "what
about", a pronoun, or a bare fragment like "why?") **and** it does not retrieve well on its own
or cannot be understood alone; the pipeline decides the second part (``Assistant.stream``). The
rewrite adds the content words of the earlier user turns it leans on (``topic``) after the
question: rule-based on purpose, since an LLM rewrite costs seconds per turn on two cores and
retrieval needs only the topic words.

A message that asks two questions at once ("why ..., and how many ...?") is split
(``split_compound``); each later part is answered as a follow-up of the first.

A question that cannot stand alone ("When?", "Did he survive?": ``leans_on_history``) is
rewritten even when its own words retrieve something; the sentences the earlier answers quoted
(``said``) mark the story it is about, and the model is asked it with the questions it follows
(``for_model``); a bare "How many?" names what it counts (``counted``), and "By whom?" the deed
it asks the doer of (``by_whom``).

Limits: English openers and pronouns only; the topic words come from the last user turn that
stood alone and the follow-ups after it (``topic_turns``), the story from the sentences their
answers quoted word for word; a follow-up that changes the subject without saying so ("and in
Japan?") keeps the old topic words.
"""
from __future__ import annotations

import re

from . import names
from .text import PARTICIPLE, STOPWORDS, words

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


_PERSONAL = re.compile(r"\b(he|she|they|them|him|it|its|his|her|hers|their|theirs)\b", re.I)


def leans_on_history(question: str) -> bool:
    """Whether the question cannot be understood without an earlier turn, however well it
    retrieves: no content word at all ("When?", "How many?", "Why?", "What was the date?": a noun
    that only names the kind of answer does not count) or a personal pronoun with at most two
    ("Who shot him?", "Did he survive?"). Such a question retrieved "well" on its own
    words and was answered about someone else: "Did he survive?" after a question on the soldier
    shot in November got "No, the soldier did not survive", from the fog crossing's "did not
    resist"."""
    content = [w for w in words(question) if w not in STOPWORDS and w not in _QUESTION_WORDS
               and w not in _ANSWER_NOUNS]
    return not content or (bool(_PERSONAL.search(question)) and len(content) <= 2)


def of_anyone(question: str) -> bool:
    """Whether the question asks about anyone at all with at most one word of its own ("Was
    anyone killed?", "Did anybody die?"): in a chat it asks about the earlier turn's topic, so it
    is searched with it. It still reads as a question of its own (``leans_on_history`` is false):
    the evidence found with the topic answers it as asked.

    Why: after a question on the tsunami in Hawaii, "Was anyone killed?" searched on its own words
    found "He asked if anyone bothered us, and we said no." and was answered "No"."""
    content = [w for w in words(question) if w not in STOPWORDS and w not in _QUESTION_WORDS]
    anyone = [w for w in content if w in _INDEFINITE]
    return bool(anyone) and len(content) - len(anyone) <= 1


_INDEFINITE = {"anyone", "anybody", "someone", "somebody", "everyone", "everybody", "nobody"}


def unnamed(question: str) -> bool:
    """Whether a short question names nothing that picks out an event: at most two words of its
    own, no name and no number ("How many people died?", "What happened next?"). In a chat it
    asks about the earlier turn's topic, so it is searched with it, however well its own words
    retrieve.

    Why: after "How strong was the Myanmar earthquake?", "How many people died?" searched on its
    own words found a list of the largest earthquakes and was answered "1,655", the toll of
    Chile's in 1960."""
    content = [w for w in words(question) if w not in STOPWORDS and w not in _QUESTION_WORDS]
    return len(content) <= 2 and not names.question_names(question) and not re.search(r"\d", question)


# "the show", "the victims", "the president": a thing named before, by a common noun.
_DEFINITE = re.compile(r"\b[Tt]he\s+(?:[a-z]+\s+)?[a-z]{3,}\b")


def refers_back(question: str) -> bool:
    """Whether a question in a chat points at what an earlier turn named and names nothing of its
    own: no name or number, and a pronoun, "the <noun>", or at most two words of its own
    ("Where was the show held?", "Why does the president think he turned against it?", "How many
    people were evacuated?"). It is searched with the earlier turns' topic, however well its own
    words retrieve.

    Why: on natural two-turn chats about the dev articles (`docs/eval/followup-dev.jsonl`),
    such follow-ups searched on their own words found another story's show, virus or president
    ("Where was the show held?" after the MTV VMAs: "The show is held at Rec Park", from a
    festival's listing).

    Limits: a new question without a name ("Who won the election?") is read as a follow-up too;
    its topic words are added to the search, not to what the model is asked."""
    if names.question_names(question) or re.search(r"\d", question):
        return False
    return bool(_PRONOUN.search(question) or _DEFINITE.search(question)) or unnamed(question)


# Nouns that name the kind of answer wanted, not what it is about: "What was the date?" after
# "Tell me about the warning shots." asks the date of the warning shots, like "When?" does.
_ANSWER_NOUNS = {"date", "dates", "day", "time", "year", "month", "name", "place", "location", "reason", "reasons",
                 "cause", "number", "age"}
# Words of a question's form, not of its topic ("What happened at ...?").
_FORM_WORDS = {"happen", "happens", "happened", "happening", "tell", "know"} | _ANSWER_NOUNS


def _topic_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w'’-]+", text)
            if w.lower() not in STOPWORDS and w.lower() not in _QUESTION_WORDS and w.lower() not in _FORM_WORDS]


def topic_turns(history: list[dict]) -> list[str]:
    """The earlier user turns a follow-up's topic comes from, oldest first: the latest one, and
    while a turn could not stand alone itself ("Who shot him?", "How many?"), the one before it,
    back to a question that could ("What happened at the Joint Security Area in November?")."""
    turns = [m.get("content") for m in history or [] if m.get("role") == "user" and m.get("content")]
    out: list[str] = []
    for turn in reversed(turns):
        out.insert(0, turn)
        if not (looks_like_follow_up(turn) and leans_on_history(turn)):
            break
    return out


_BARE_COUNT = re.compile(r"^\W*(?:and\s+|so\s+)?how\s+(many|much)\W*$", re.I)
# "the warning shots", "those two reports": the last plural noun phrase an earlier question named.
_PLURAL_PHRASE = re.compile(r"\b(?:the|these|those|its|their)\s+((?:[a-z]+\s+){0,2}?[a-z]{3,}s)\b", re.I)
_NOT_PLURAL = {"is", "was", "has", "does", "us", "this", "its", "his", "news", "less", "across", "always", "perhaps",
               "yes", "thus", "unless", "whereas", "series", "species"}


def counted(question: str, history: list[dict]) -> str:
    """A bare "How many?" with the things an earlier question named: "How many warning shots?"
    after "Who fired the warning shots?". Asked "How many?" (even with the question it follows
    beside it), the 0.5B model answered "2" from "the two militaries"; "How many warning shots?"
    it answers "20". Any other question comes back as it is.

    Limits: the last plural noun phrase after "the/these/those/its/their" in the turns the
    follow-up leans on, newest first, up to three words; "How much?" is left as it is."""
    m = _BARE_COUNT.match(question)
    if not m or m.group(1).lower() != "many":
        return question
    for turn in reversed(topic_turns(history)):
        found = [x.group(1) for x in _PLURAL_PHRASE.finditer(turn)
                 if x.group(1).split()[-1].lower() not in _NOT_PLURAL
                 and not x.group(1).split()[-1].lower().endswith("ss")]
        if found:
            return f"How many {found[-1]}?"
    return question


_BY_WHOM = re.compile(r"^\W*(?:and\s+|so\s+)?(?:by\s+whom|who\s+by|by\s+who)\W*$", re.I)
# "How was the November defector found?", "Was he questioned?": a deed done to someone, its
# participle after who it was done to.
_DONE_TO = re.compile(r"^\W*(?:and\s+)?(?:(?:how|when|where|why)\s+)?(?:was|were|is|are|has\s+been|have\s+been|had\s+been)"
                      r"\s+(?P<subject>(?:the\s+|a\s+|an\s+)?(?:[\w'’-]+\s+){0,4}?[\w'’-]+)\s+(?:being\s+)?"
                      r"(?P<verb>" + PARTICIPLE + r")\b"
                      r"(?P<rest>[^?]*)\?*\s*$", re.I)
_OBJECT_FORM = {"he": "him", "she": "her", "they": "them", "we": "us", "i": "me"}
_PAST = {"taken": "took", "flown": "flew", "seen": "saw", "given": "gave", "driven": "drove", "written": "wrote",
         "chosen": "chose", "beaten": "beat", "stolen": "stole", "shown": "showed", "known": "knew",
         "thrown": "threw", "drawn": "drew", "spoken": "spoke", "broken": "broke", "ridden": "rode"}


def by_whom(question: str, history: list[dict]) -> str:
    """"By whom?" with the deed an earlier question asked about: "Who found the November
    defector?" after "How was the November defector found?", "Who questioned him?" after "Was he
    questioned?". Asked "By whom?" with the question it follows beside it, the 0.5B model named
    the defector himself; the whole question goes to the doer of its verb in the evidence
    (``grounding.attributed_agent``). Any other question comes back as it is.

    Limits: an earlier question in the passive with its participle after who it was done to;
    the doer is found in a sentence that writes the verb as asked ("found", "questioned" serve
    both forms; "Who took ...?" does not find "taken by ...")."""
    if not _BY_WHOM.match(question):
        return question
    for turn in reversed(topic_turns(history)):
        m = _DONE_TO.match(turn)
        if m is not None:
            subject = " ".join(_OBJECT_FORM.get(w.lower(), w) for w in m.group("subject").split())
            rest = m.group("rest").strip()
            verb = _PAST.get(m.group("verb").lower(), m.group("verb"))
            return f"Who {verb} {subject}{' ' + rest if rest else ''}?"
    return question


def said(history: list[dict]) -> list[str]:
    """What the assistant answered to the turns a follow-up leans on (``topic_turns``): the
    sentences it quoted are the story under discussion, so "When?" after "How many warning shots
    were fired?" is asked of the report that answer quoted, not of another report with the same
    words."""
    history = list(history or [])
    users = [i for i, m in enumerate(history) if m.get("role") == "user" and m.get("content")]
    first = users[-len(topic_turns(history))] if users else len(history)
    return [m["content"] for m in history[first:] if m.get("role") == "assistant" and m.get("content")]


def topic(history: list[dict]) -> str:
    """The content words of the turns a follow-up leans on (``topic_turns``): "Joint Security Area
    November shot" for "Did he survive?" after "What happened at the Joint Security Area in
    November?" and "Who shot him?"."""
    return " ".join(dict.fromkeys(w for turn in topic_turns(history) for w in _topic_words(turn)))


# Words for the article itself, not for what it is about ("the hospital report").
_ARTICLE_WORDS = {"report", "reports", "article", "articles", "story", "stories", "news", "piece"}


def subject(history: list[dict]) -> str:
    """The content words of the turn a follow-up chain started from, the one that could stand
    alone: who "he" is in "Was he questioned?" after "Who crossed the border in the fog?" and
    "Was he armed?" ("crossed border fog"; ``topic`` would add "armed"), or after "Tell me about
    the hospital report" ("hospital")."""
    turns = topic_turns(history)
    if not turns:
        return ""
    said = [w for w in _topic_words(turns[0]) if w.lower() not in _ARTICLE_WORDS]
    asked = re.findall(r"[\w'’-]+", turns[0])
    if (said and _YES_NO_TURN.match(turns[0]) and asked[-1] == said[-1] and asked[-1].islower()
            and asked[-2].lower() not in _OBJECT_BEFORE):
        # "Was the soldier who crossed in the fog armed?": "armed" is what was asked of him, not
        # who he is ("Was he questioned?" next is not asked of an armed soldier).
        said.pop()
    return " ".join(said)


# A yes/no question, whose last word (unless an object follows a determiner or preposition: "Is
# the JSA inside the DMZ?") is what it asks of its subject.
_YES_NO_TURN = re.compile(r"^\W*(?:and\s+)?(?:was|were|is|are|did|does|do|has|have|had)\b", re.I)
_OBJECT_BEFORE = {"the", "a", "an", "his", "her", "their", "its", "this", "that", "in", "on", "at", "to", "from",
                  "with", "by", "for", "of", "into", "inside", "outside", "through", "across", "after", "before"}


def for_model(question: str, history: list[dict]) -> str:
    """A follow-up as the model is asked it: "How many? (follow-up to: Who fired warning shots in
    December?)". Asked "How many?" alone of the passage that says "about 20 warning shots on
    Thursday, 21 December 2017", the 0.5B model answered "2"; "When?" drew "Thursday" where this
    form draws "Thursday, 21 December 2017", "Did he survive?" "No, he survived"."""
    earlier = " ".join(topic_turns(history))
    return f"{question} (follow-up to: {earlier})" if earlier else question


def standalone(question: str, history: list[dict]) -> str:
    """The question followed by its ``topic``, for retrieval: "Did he survive? Joint Security Area
    November shot". The question comes first so that its form still says what kind of answer is
    wanted ("Where was he shot?" asks for a part of the body)."""
    return f"{question} {topic(history)}".strip()
