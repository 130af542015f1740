"""Question in, grounded and cited answer out: the one code path behind `ask`, the chat page and
`eval`.

Steps of ``Assistant.stream``:
0. A message that asks two questions ("why ..., and how many ...?") is split; each part goes
   through the steps below on its own (the later ones as follow-ups of the first) and the
   replies are shown one after the other over one passage list (``conversation.split_compound``).
1. Conversation: a follow-up-shaped question ("and the South?", "why?") that does not retrieve
   well on its own, or cannot stand alone ("When?", "Did he survive?"), is searched with the
   previous question's topic words (``conversation``); one that cannot stand alone also ranks
   the sentences the earlier answers quoted first, and is asked of the best passage alone with
   the questions it follows (``conversation.for_model``). "Who wrote it?" gives the record of the
   article the last answer quoted (``catalog.asks_for_earlier_record``).
2. Time: a relative time in the question ("this week", "on Tuesday") or a year becomes a date
   window against ``as_of`` or the newest article (``timeframe``); retrieval prefers articles
   inside it, and evidence from well before it is dropped; when the question names no time,
   retrieval prefers articles close to that day (``recency_boost``). Days the archive has no
   article from (the window starts after its newest one, under the filters) are refused with
   that reason (``timeframe.uncovered``), and so is an answer that only an article from well
   before the window states (``timeframe.predates``).
3. Retrieval: ``settings.candidates`` chunks by hybrid dense + BM25 search under the filters.
   A news question ("what happened last week?", "what's the latest on X?") is answered there
   with the leads of the newest articles in its days that name its topic, cited, without the
   model (``digest``); a search ("which articles mention X?") with the sentence of each that
   names it; a comparison ("compare X and Y") with the sentences of the newest articles on
   each side (``digest.compared``); "which article is the oldest?" with the oldest leads.
4. Refusal gate: when no candidate sentence comes close to the user's own question (best cosine
   below ``settings.min_relevance``) the answer is "The archive does not say." and the nearest
   passages come back as closest matches. After the model replies, a second gate refuses when
   the sentence that states its answer is far from the question as searched (a follow-up with
   its topic; ``settings.min_support``).
5. Evidence: the best sentences of all candidates, each with a neighbour, up to
   ``settings.evidence_tokens`` model tokens and ``top_k`` passages (``evidence``); a
   multiple-choice question reads the four best whole chunks instead.
6. Answer: the model replies with the fact in a few words and a passage id; the passage sentence
   that states it is quoted after it (``grounding``). A fact no passage states is refused. A
   descriptive question (why, how did, what happened, what is <a name>) is first asked of the
   best passage alone and reads the rest only when that one does not answer it
   (``settings.focused_first``); its
   answer quotes a second sentence that adds to the first (``settings.second_sentence``); so is
   "where was he shot?", whose answer is a phrase the evidence ranking finds by its body part.
   A factoid (not yes/no, not in a chat) is asked of the best passage alone first too; that reply
   stands only when every check passes and the model was sure of it (``settings.focused_factoid``,
   ``Assistant._narrow``).
   "Which newspaper reported ...?" is answered without the model when an evidence sentence
   names its source ("According to the Korea JoongAng Daily, ..."; ``grounding.attributed_outlet``),
   "Who said ...?" by the speaker of the sentence that says it (``grounding.attributed_speaker``),
   "Who <did> ...?" by the doer of that verb, or one of the same deed ("spotted" for "found"),
   in the best sentence (``grounding.attributed_agent``),
   "What did <speaker> say ...?" by the sentence attributed to them
   (``grounding.attributed_statement``), and a yes/no question an evidence sentence denies, or
   asserts, in its own words by "No" or "Yes" and that sentence (``grounding.denied``,
   ``grounding.affirmed``).
   A reply of several sentences is narrowed to the one closest to the question
   (``grounding.closest_sentence``).
   An answer whose article never mentions a name the question asks about ("the European
   Commission"), or a number it writes in digits ("900 earthquakes"), is refused with that
   reason (``names``): the article reports something else; so is one whose article holds few
   of the question's words (``names.foreign``).
   Multiple choice (``choices``; used by ``eval``) scores the option letters over every cyclic
   order of the options instead and never refuses; the chosen option is shown with the sentence
   that supports it.
7. Citations: every marker is resolved to its exact document span and support-checked.

Thread safety: one ``Assistant`` serves every browser session. Loading is locked (two first
questions load one model), each answer keeps the index snapshot it started with (a rebuild swaps
in a new one for later questions), and timings come with each answer, not from shared state.
"""
from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from . import candidates, casing, catalog, conversation, digest, evidence, grounding, markers, names, prompts, timeframe
from .citations import check_answer
from .dates import date_bounds
from .embedder import load_embedder
from .llm import GenerationStats
from .retrieval import Retriever, allowed_docs, newest_day
from .sentences import split_sentences
from .settings import Settings
from .store import Index
from .types import Answer, Document, Filters, Passage, Timings


_UNLOADED = object()  # ``Assistant.fallback_llm`` not looked up yet
# A refusal whose best evidence sentence is less similar to the question than this (the refusal
# gate's cosine, ``Answer.relevance``) is not asked again of the fallback model. Of the
# refusals the 1.5B model was asked again (natural sets, 66; the unanswerable set, 43), those
# below 0.5 were 22 unanswerable ones (none answered) and one answered right.
FALLBACK_MIN_RELEVANCE = 0.5
DIRECT_TOKENS = 48
# Evidence sentences (best first, among those the model read) whose answer-shaped spans are
# scored when the model's own reply is refused (``Assistant._candidate``).
CANDIDATE_SENTENCES = 8
# Nats by which the likeliest span must lead the next. Of the 14 spans the pipeline kept without
# it on natural-dev5, natural-dev6 and natural-heldout5, the 8 right ones led by 0.29-3.08 (all
# but one by 0.59 or more), the 6 wrong ones by 0.01-0.77 (four by 0.49 or less): at 0.5,
# 7 right and 2 wrong stay.
CANDIDATE_MARGIN = 0.5
# The mean token log-probability the likeliest span needs at least. Of the 14 spans the margin
# let through on the natural sets, dev and dev-small, the 8 right ones scored -0.34 to -0.74 but
# one (-1.77), the wrong ones -1.21 to -1.87 but one (-0.12): at -1.0, 7 right and 1 wrong stay.
CANDIDATE_FLOOR = -1.0
# A factoid reply from the best passage alone (``Assistant._narrow``) stands only when the model's
# log-probability of opening a refusal there ("The", of "The archive does not say.") was at most
# this. Of the 276 replies from one passage on the eleven natural sets that passed every check, it
# keeps 102: 14 more right than reading all passages gave, 2 fewer wrong (chosen on all eleven:
# -4, chosen on three of them first, gave 11 more right and 7 more wrong).
NARROW_REFUSAL_CEILING = -5.0
REFUSAL_OPENING = prompts.REFUSAL.split()[0]
# A yes/no question no sentence settles by its words is settled by the model's scores when they
# lean far enough (``Assistant._stance``): its log-probability of "Yes" over "No" given the best
# evidence sentence, less the same given no passage (the 0.5B model leans to "No" whatever it
# reads). Set on yesno-dev (30 questions; a wrong answer counted as two right ones lost): 14
# right, 1 wrong, 15 left to the rest of the pipeline. With it, by the answer's opening word, the
# two yes/no sets went 9 -> 29 of 60 right (15 -> 11 wrong) and the natural sets' 46 yes/no
# questions 19 -> 25 right (4 -> 9 wrong).
STANCE_WORDS = ("Yes", "No")
STANCE_YES_ABOVE = 0.65
STANCE_NO_BELOW = 0.35
# Whole chunks a multiple-choice question reads (see ``evidence.whole_chunks``), and the tokens
# they may fill at least: its accuracy was measured with four chunks in 900 tokens, whatever the
# open-question budget (``Settings.evidence_tokens``) is.
MC_CHUNKS = 4
MC_TOKENS = 900
# Nats an option gains when a passage sentence names it together with all of the question's
# words (``evidence.option_support``), against the log of its letter probability. On
# realtimeqa-dev (150) 68 right without it, 72-75 for any weight from 0.3 to 1.0, 75 at 0.5;
# on realtimeqa-dev-small (its own index) 35 without it, 33-35 with it.
OPTION_SUPPORT_WEIGHT = 0.5
# Weight of an option's mean token log-probability as an open reply
# (``Assistant._option_likelihood``), on the same scale. With the letters and the support above:
# realtimeqa-dev (150) 75 right without it, 78-80 for weights 0.1 to 0.3 (80 at 0.2);
# realtimeqa-dev-small (60) 34 without it, 37-39 (39 at 0.2).
OPTION_LIKELIHOOD_WEIGHT = 0.2
MISSING_LIKELIHOOD = -30.0  # an option with no words left to score (only control tokens)


def _of_someone_else(question: str, history: list[dict], found: grounding.Support, passage: Passage,
                     ev: evidence.Evidence) -> bool:
    """Whether a yes/no follow-up's answer comes from a report that is not about who it asks of
    (``grounding.told_about``, with the turn the chain started from)."""
    return grounding.yes_no(question) and not grounding.told_about(found, passage, ev.sentences,
                                                                   conversation.subject(history))


class QuestionTooLong(ValueError):
    """A question over ``settings.max_question_chars``."""


def retrieval_query(query: str, choices: list[str] | None = None) -> str:
    """Multiple-choice options join the query: the right option's words are in the right passage
    (dev-small answer recall@6: 0.57 with them, 0.40 without)."""
    return f"{query} {' '.join(choices)}" if choices else query


@dataclass
class _Snapshot:
    index: Index
    retriever: Retriever


class Assistant:
    def __init__(self, settings: Settings, llm=None, embedder=None):
        self.settings = settings
        self._llm = llm
        self._fallback = _UNLOADED if llm is None else None  # a given model is asked alone
        self._embedder = embedder
        self._snapshot: _Snapshot | None = None
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ shared, lazily loaded state

    @property
    def embedder(self):
        with self._lock:
            if self._embedder is None:
                self._embedder = load_embedder(self.settings)
            return self._embedder

    @property
    def llm(self):
        with self._lock:
            if self._llm is None:
                from .llm import load_llm

                self._llm = load_llm(self.settings)
            return self._llm

    @property
    def fallback_llm(self):
        """The model asked when ``llm``'s reply does not stand (``Settings.fallback_model``), or
        None (off, not installed, or the same model)."""
        with self._lock:
            if self._fallback is _UNLOADED:
                from .llm import load_fallback

                self._fallback = load_fallback(self.settings)
            return self._fallback

    def snapshot(self) -> _Snapshot:
        """The index and its retriever as one consistent pair (loaded on first use)."""
        with self._lock:
            if self._snapshot is None:
                self._snapshot = self._load_snapshot()
            return self._snapshot

    def _load_snapshot(self) -> _Snapshot:
        index = Index.load(self.settings.index, self.settings.embedding_model)
        s = self.settings
        return _Snapshot(index, Retriever(index, self.embedder, s.rrf_k, s.dedupe_threshold, s.lexical_weight,
                                           s.recency_boost))

    @property
    def index(self) -> Index:
        return self.snapshot().index

    @property
    def retriever(self) -> Retriever:
        return self.snapshot().retriever

    def reload_index(self) -> None:
        """Swap in a freshly built index; answers already running keep the one they started with."""
        fresh = self._load_snapshot()
        with self._lock:
            self._snapshot = fresh

    def document(self, doc_id: str) -> Document:
        return self.index.document(doc_id)

    # ------------------------------------------------------------------ answering

    def _encode_sentences(self, texts: list[str]) -> np.ndarray:
        # Evidence sentences recur across a chat's questions: an embedder that keeps their
        # vectors (``Embedder.encode_cached``) embeds each once.
        # While no answer of this process is being generated, the embedder may use every core.
        cached = getattr(self.embedder, "encode_cached", None)
        if cached is None:
            return self.embedder.encode(texts)
        busy = getattr(self._llm, "busy", None) if self._llm is not None else (lambda: False)
        return cached(texts, alone=busy is not None and not busy())

    def _similar(self, a: str, b: str) -> float:
        """The embedder's cosine of two short phrases (what a number counts, worded two ways)."""
        u, v = np.asarray(self._encode_sentences([a, b]), dtype=np.float32)
        return float(u @ v / ((np.linalg.norm(u) * np.linalg.norm(v)) or 1.0))

    def retrieve(self, query: str, filters: Filters = Filters(), top_k: int | None = None) -> list[Passage]:
        """The evidence passages the model would read for ``query``, without loading the model:
        the token budget is estimated at four characters a token."""
        ev, _, _ = self._evidence(self.snapshot(), query, filters, top_k, None, _CharCounter())
        return ev.passages

    def _evidence(self, snap: _Snapshot, query: str, filters: Filters, top_k: int | None,
                  choices: list[str] | None, counter, context: str = "", said: Sequence[str] = (),
                  ) -> tuple[evidence.Evidence, timeframe.TimeFrame | None, float]:
        """Candidates and evidence for ``query``; ``context`` (a follow-up's topic words from
        earlier turns) joins the search and weighs at most half the question's own words in the
        sentence scores (``evidence.CONTEXT_WEIGHT``)."""
        s = self.settings
        reference = filters.as_of or snap.index.status().last_date
        searched = f"{query} {context}".strip()
        frame = timeframe.resolve(searched, reference)
        found = snap.retriever.search(retrieval_query(searched, choices), filters, s.candidates, window=frame,
                                       reference=reference)
        # Older events of the same kind crowd out the one asked about (the 2022 final for a
        # question on the 2025 one): evidence from well before the question's window is dropped.
        candidates = timeframe.drop_stale(found.passages, frame)
        tokens = max(s.evidence_tokens, MC_TOKENS) if choices else s.evidence_tokens
        budget = prompts.PromptBudget(counter, tokens)
        if choices:
            ev = evidence.whole_chunks(candidates, budget.fits, max_passages=top_k or MC_CHUNKS)
        else:
            ev = evidence.select(query, candidates, self._encode_sentences,
                                 snap.index.document, budget.fits, max_passages=top_k or s.top_k, context=context,
                                 said=said)
        if s.best_evidence_last:
            ev.passages.reverse()
        relevance = max((x.dense for x in ev.sentences if x.embedded), default=0.0)
        return ev, frame, relevance

    def _cased(self, question: str, filters: Filters) -> str:
        """A question typed all in lower case with the capitals the passages it finds write its
        words with (``casing.truecase``). The search is uncased, so the same passages come back
        for the cased question; a search costs ~0.1-0.3 s here."""
        snap = self.snapshot()
        reference = filters.as_of or snap.index.status().last_date
        found = snap.retriever.search(retrieval_query(question), filters, self.settings.candidates,
                                      window=timeframe.resolve(question, reference), reference=reference)
        return casing.truecase(question, (p.text for p in found.passages))

    def stream(self, question: str, history: list[dict] = (), filters: Filters = Filters(),
               top_k: int | None = None, choices: list[str] | None = None) -> Iterator[str | Answer]:
        """Yield answer text as it is produced, then one final ``Answer``."""
        s = self.settings
        if len(question) > s.max_question_chars:
            raise QuestionTooLong(f"The question is {len(question):,} characters long; the limit is "
                                  f"{s.max_question_chars:,}. Ask it in fewer words.")
        if not choices and casing.all_lower(question):
            question = self._cased(question, filters)
        parts = [question] if choices else conversation.split_compound(question)
        if len(parts) > 1:
            yield from self._compound(question, parts, history, filters, top_k)
            return
        yield from self._with_fallback(question, history, filters, top_k, choices)

    def _with_fallback(self, question: str, history: list[dict], filters: Filters, top_k: int | None,
                       choices: list[str] | None, snap: _Snapshot | None = None) -> Iterator[str | Answer]:
        """``_stream_one``, and when its answer to an open question is a refusal made after the
        model was asked (the model found no answer, or the checks refused what it named), the
        same question asked again of ``fallback_llm``; the first refusal is then never shown.

        Why: on the eleven natural sets the 0.5B model's answers were refused for 79 of 440
        questions; asked again, the 1.5B model answered 20 of the 66 that are not yes/no right
        and 5 wrong, its replies passing the same checks. Yes/no questions are not asked again
        (it answered 3 of 13 right and 5 wrong), nor are those whose best evidence sentence is
        far from the question (``FALLBACK_MIN_RELEVANCE``): mostly questions the archive cannot
        answer, where asking again only makes the refusal slower. The second model is kept out
        of the answers that stand: there it is no better and three times slower. Where the
        archive often lacks the answer (realtimeqa-dev's quiz questions) it answered 1 right and
        9 wrong: so it is asked only once installed, an optional extra (README Quality).

        Limits: such a refusal then takes both models' time (about 14 s more for the 1.5B model
        on two cores; it loads on first use); refusals made before the model is asked (nothing
        relevant found, days the archive does not reach) are final."""
        snap = snap or self.snapshot()
        held: list[str] = []
        shown = False
        for item in self._stream_one(question, history, filters, top_k, choices, snap):
            if not isinstance(item, Answer):
                # A refusal is streamed as one piece right before its Answer: hold one piece back.
                if held:
                    shown = True
                    yield held.pop()
                held.append(item)
                continue
            other = (self.fallback_llm if item.refused and not choices and not shown and item.timings.prompt_tokens > 0
                     and item.relevance >= FALLBACK_MIN_RELEVANCE and not grounding.yes_no(question) else None)
            if other is None:
                yield from held
                yield item
                return
            first = item
        t0 = time.perf_counter()
        for item in self._stream_one(question, history, filters, top_k, choices, snap, llm=other):
            if isinstance(item, Answer):
                # Waiting for the answer includes the first model's attempt.
                t = item.timings
                t.retrieval_s += first.timings.retrieval_s
                t.first_token_s += first.timings.total_s
                t.total_s = first.timings.total_s + (time.perf_counter() - t0)
                t.prompt_tokens += first.timings.prompt_tokens
                t.completion_tokens += first.timings.completion_tokens
                t.prompt_eval_s += first.timings.prompt_eval_s
                item.fallback = Path(self.settings.fallback_model).name
            yield item

    def _compound(self, question: str, parts: list[str], history: list[dict], filters: Filters,
                  top_k: int | None) -> Iterator[str | Answer]:
        """A message that asks several questions ("why ..., and how many ...?"): each part answered
        on its own, the later ones as follow-ups of the first (searched with its topic words), and
        the replies shown one after the other over one numbered passage list.

        Why: asked as one question, the model answered neither part (it copied a sentence on how
        rare such crossings are); the evidence for two facts rarely ranks first for their sum."""
        t0 = time.perf_counter()
        snap = self.snapshot()  # one index for every part, even if a rebuild lands meanwhile
        merged = Answer(question=question, answer="", as_of=filters.as_of)
        texts: list[str] = []
        nearest: list[Passage] = []  # what the refused parts found: the closest matches if all are
        earlier = list(history or [])
        for i, part in enumerate(parts):
            sub = None
            for item in self._with_fallback(part, earlier, filters, top_k, None, snap):
                if isinstance(item, Answer):
                    sub = item
            assert sub is not None
            if i == 0:
                earlier = [*earlier, {"role": "user", "content": part}, {"role": "assistant", "content": sub.answer}]
                merged.relevance, merged.timeframe = sub.relevance, sub.timeframe
                merged.timings.retrieval_s = sub.timings.retrieval_s
                merged.timings.first_token_s = sub.timings.first_token_s
            if sub.refused:
                # Worded as a refusal, so the citation check reads it as one (no claim to support),
                # with the reason when there is one ("It has no articles from this week ...").
                reason = sub.answer[len(prompts.REFUSAL) + 1:].strip() if sub.answer != prompts.REFUSAL else ""
                texts.append(f"{prompts.REFUSAL[:-1]}: {part[0].lower()}{part[1:]}"
                             + (f" {reason[0].upper()}{reason[1:]}" if reason else ""))
                nearest.extend(sub.passages)
            else:
                mapping = {}
                for n, p in enumerate(sub.passages, 1):
                    same = next((k for k, q in enumerate(merged.passages, 1)
                                 if (q.doc_id, q.start, q.end) == (p.doc_id, p.start, p.end)), None)
                    if same is None:
                        merged.passages.append(p)
                        same = len(merged.passages)
                    mapping[n] = same
                texts.append(markers.renumber(sub.answer, mapping))
                merged.direct = "; ".join(x for x in (merged.direct, sub.direct) if x)
            yield ("\n\n" if i else "") + texts[-1]
            merged.query = " / ".join(x for x in (merged.query, sub.query) if x)
            merged.model_markers += sub.model_markers
            merged.attributed_markers += sub.attributed_markers
            merged.focused = merged.focused or sub.focused
            for name in ("prompt_eval_s", "generation_s", "prompt_tokens", "completion_tokens"):
                setattr(merged.timings, name, getattr(merged.timings, name) + getattr(sub.timings, name))
            merged.refused = sub.refused if i == 0 else merged.refused and sub.refused
        text = "\n\n".join(texts)
        if merged.refused:
            merged.answer, merged.passages = text, nearest  # each part's refusal, as streamed
        else:
            self._check(merged, text, snap)
        merged.timings.total_s = time.perf_counter() - t0
        yield merged

    def _stream_one(self, question: str, history: list[dict], filters: Filters, top_k: int | None,
                    choices: list[str] | None, snap: _Snapshot | None = None, llm=None) -> Iterator[str | Answer]:
        s = self.settings
        t0 = time.perf_counter()
        timings = Timings()
        snap = snap or self.snapshot()
        history = list(history or [])[-2 * s.max_history_turns:]
        # "How many?" after "Who fired the warning shots?" asks "How many warning shots?".
        question = conversation.counted(question, history)
        # "By whom?" after "How was the November defector found?" asks "Who found the November defector?".
        question = conversation.by_whom(question, history)
        model = llm or self.llm
        counter = model  # the model's own tokenizer sizes the evidence

        query = question
        # A question that names nothing of its own and points back ("Where was the show held?") is
        # searched with the topic straight away: its own words find other stories' shows.
        back = bool(not choices and history and conversation.refers_back(question))
        if not back:
            ev, frame, relevance = self._evidence(snap, question, filters, top_k, choices, counter)
        if back or (not choices and history and conversation.looks_like_follow_up(question)
                    and (relevance < s.min_relevance or conversation.leans_on_history(question)
                         or conversation.of_anyone(question) or conversation.unnamed(question))):
            # A real follow-up: the bare question found nothing, or names nobody ("Did he
            # survive?", "Was anyone killed?", "How many people died?"), so search with the topic too.
            query = conversation.standalone(question, history)
            ev, frame, relevance = self._evidence(snap, question, filters, top_k, choices, counter,
                                                  context=conversation.topic(history),
                                                  said=conversation.said(history))
        timings.retrieval_s = time.perf_counter() - t0
        if (not choices and (frame is None or frame.phrase.isdigit())  # none, or only its year
                and (day := timeframe.day_named(question, filters.as_of or snap.index.status().last_date)) is not None
                and digest.asks_for_news(question, day) is not None):
            # "What happened on 13 November?" asks for that day's news, as "on Monday" does; its
            # words alone scored every sentence under the support gate.
            frame = day
        answer = Answer(question=question, answer="", passages=ev.passages, query=query, as_of=filters.as_of,
                        timings=timings, relevance=round(relevance, 4),
                        timeframe={"phrase": frame.phrase, "start": frame.start, "end": frame.end} if frame else None)

        if not choices and frame is not None and timeframe.uncovered(frame, newest := newest_day(snap.index, filters)):
            # "What did the minister say this week?" of an archive that ends last month: whatever
            # the passages say is about older events, so say why nothing is answered.
            yield from self._refuse(answer, t0, prompts.no_articles_from(frame.phrase, frame.start, frame.end, newest))
            return
        if not choices and catalog.asks_about_archive(question):
            # "What is this archive about?": what the index holds, not what an article says.
            yield from self._overview(answer, snap, filters, t0)
            return
        if not choices and history and digest.asks_what_next(question) and (item := digest.next_statement(
                next((m["content"] for m in reversed(history) if m.get("role") == "assistant" and m.get("content")), ""),
                self._allowed(snap, filters))) is not None:
            # "What happened next?": the article the last answer quoted goes on. Its words alone
            # ("happened next") found nothing to answer from.
            yield from self._digest(answer, [item], snap, t0)
            return
        asked = None if choices else catalog.asks_for_record(question)
        meant = catalog.described(self._candidate_docs(snap, ev), asked[1]) if asked else []
        earlier = None if choices or meant or not history else catalog.asks_for_earlier_record(question)
        if earlier is not None:
            # "Who wrote it?": the article(s) the last answer quoted.
            last = next((m["content"] for m in reversed(history) if m.get("role") == "assistant"
                         and m.get("content")), "")
            shown = catalog.quoted_docs(last, self._allowed(snap, filters))
            asked, meant = (earlier[0], set()), shown if earlier[1] else shown[:1]
        if meant:
            # "When was the analysis published?", "Who wrote the hospital report?": the article's
            # record, with its lead to show which article was meant.
            head = " ".join(catalog.record(asked[0], d) for d in meant)
            items = [digest.Item(d, *span) for d in meant if (span := digest.lead(d)) is not None]
            yield f"{head}\n\n"
            yield from self._digest(answer, items, snap, t0, head=head)
            return
        sides = None if choices else digest.compared(question)
        if sides is not None and all(items := [
                digest.newest(self._holding(snap, side, None, filters), side, None,
                              limit=digest.COMPARED_ARTICLES, naming=True) for _, side in sides]):
            # "Compare the fog crossing and the November shooting": what the newest articles on
            # each say of it, one side after the other (an article on both is shown once). A time
            # word is part of a side ("the November shooting"), not a window on both.
            answer.timeframe = None
            shown = list({it.document.id: it for side in items for it in side}.values())
            head = digest.compared_head(sides)
            yield f"{head}\n\n"
            yield from self._digest(answer, shown, snap, t0, head=head)
            return
        if (first := None if choices else digest.asks_for_oldest(question)) is not None and (
                items := digest.newest(self._holding(snap, first, None, filters), first, None, naming=bool(first),
                                       oldest=True)):
            # "Which article is the oldest?": the archive's first articles, oldest first.
            yield from self._digest(answer, items, snap, t0)
            return
        topic = None if choices else digest.asks_for_news(question, frame)
        naming = None if choices or topic is not None else digest.asks_for_mentions(question, frame)
        if naming is not None and digest.asks_how_many(question):
            # "How many articles mention China?": the count, then where the newest name it.
            found = self._holding(snap, naming, frame, filters)
            items = digest.newest(found, naming, None, naming=True)
            head = digest.mention_count(len(found), question)
            if not items:
                yield from self._refuse(answer, t0, head)
                return
            yield f"{head}\n\n"
            yield from self._digest(answer, items, snap, t0, head=head)
            return
        if naming is not None and catalog.names_article(question) and (items := [
                digest.Item(d, *span) for d in catalog.described(self._candidate_docs(snap, ev), naming, limit=1)
                if (span := digest.opening(d)) is not None]):
            # "Tell me about the hospital report": that article's first two statements. Each
            # article's sentence on "hospital" led with the analysis, which mentions it once.
            yield from self._digest(answer, items, snap, t0)
            return
        if ((topic is not None or naming is not None)
                and (items := self._news(snap, ev, topic if naming is None else naming, frame, filters,
                                         naming=naming is not None))):
            # "What happened last week?", "what's the latest on X?", "which articles mention X?":
            # no fact to look for.
            yield from self._digest(answer, items, snap, t0)
            return
        if naming is not None and (none := digest.nothing_found(question)) is not None:
            # A search that no article matches says so: asked instead, the model named whatever
            # its passages held ("The article mentions Zohran Mamdani [2]" of an archive without him).
            yield from self._refuse(answer, t0, none)
            return
        if not ev.passages or (not choices and relevance < s.min_relevance):
            yield from self._refuse(answer, t0)
            return

        llm = model
        # A follow-up that cannot stand alone ("How many?", "When did it happen?") is shown to the
        # model with the questions it follows: asked "How many?" alone, it named any number.
        leaning = bool(history) and conversation.looks_like_follow_up(question) and conversation.leans_on_history(question)
        asked = conversation.for_model(question, history) if leaning else question
        messages = prompts.build_messages(asked, ev.passages, as_of=filters.as_of, choices=choices)
        stats = GenerationStats()
        if choices:
            yield from self._choose(llm, answer, question, ev, filters, choices, stats, snap, t0)
            return
        relevance_of = {(x.passage.doc_id, x.doc_start): x.score for x in ev.sentences}
        named = None
        weighed = None  # the stance's scoring, when a yes/no question was weighed (``_stance``)
        if evidence.OUTLET_QUESTION.search(question):
            named = grounding.attributed_outlet(question, ev.sentences, ev.passages, s.min_support)
        elif grounding.SPEAKER_QUESTION.match(question):
            named = grounding.attributed_speaker(question, ev.sentences, ev.passages, s.min_support)
        elif grounding.AGENT_QUESTION.match(question):
            named = grounding.attributed_agent(question, ev.sentences, ev.passages, s.min_support)
        elif grounding.said_question(question):
            stated = grounding.attributed_statement(question, ev.sentences, ev.passages, s.min_support)
            named = (stated.sentence, stated) if stated is not None else None
        elif (moved := grounding.destination(question, ev.sentences, ev.passages, s.min_support,
                                             self._articles(snap, ev))) is not None:
            named = moved
        elif grounding.yes_no(question):
            # "Was anyone hurt?" after the warning shots was searched with their topic: a denial
            # of its one word among the evidence is about them.
            stated = grounding.denied(question, ev.sentences, ev.passages, s.min_support,
                                      min_terms=1 if query != question and conversation.of_anyone(question) else 2)
            named = ("No", stated) if stated is not None else None
            if named is None and (stated := grounding.affirmed(question, ev.sentences, ev.passages,
                                                               s.min_support)) is not None:
                named = ("Yes", stated)
            about = conversation.subject(history) if leaning else ""
            if named is None and (stated := grounding.denied_of_subject(question, ev.sentences, ev.passages,
                                                                        s.min_support, about=about)) is not None:
                named = ("No", stated)
            quoted = conversation.said(history) if leaning else ()
            if named is None and (stated := grounding.affirmed_of_subject(question, ev.sentences, ev.passages,
                                                                          s.min_support, about=about,
                                                                          quoted=quoted)) is not None:
                named = ("Yes", stated)
            if named is None and not leaning:
                # A long question, most of whose words the answering sentence holds.
                named = grounding.yes_or_no(question, ev.sentences, ev.passages, s.min_support)
            if named is None and not leaning and s.scored_stance and not grounding.offers_choice(question):
                named, weighed = self._stance(llm, question, ev, filters)
                if named is not None:
                    _fill(timings, weighed)
        elif leaning and (dated := grounding.dated_quote(question, ev.sentences, ev.passages,
                                                          conversation.said(history))) is not None:
            # "When?" after "What did Taylor Swift announce?": the date of the sentence that
            # answer quoted.
            named = dated
        stating = ev.passages[named[1].n - 1] if named else None
        if named is not None and not (timeframe.predates(frame, stating.published)
                                      or self._unmentioned(question, stating, snap)):
            # "Which newspaper reported ...?", "Who said ...?", "What did doctors say ...?": the
            # source, speaker or statement an evidence sentence attributes, found by the evidence
            # ranking; "Was anyone hurt?": a sentence that denies it, or asserts it, in its words
            # ("Is the Joint Security Area inside the demilitarised zone?"), or one that negates or
            # states its word in an article about what it asks of ("Was the fog defector armed?").
            # The model is not asked (it named the outlet in a passage header, the people the
            # sentence is about, or someone who was hurt elsewhere).
            answer.support_score = round(named[1].relevance, 4)
            yield from self._grounded(answer, grounding.Reply(named[0], []), named[1], snap, t0)
            return
        tried = weighed
        # Such a follow-up is asked of the best passage first too: among eight, the 0.5B model
        # answered "When?" from whichever date it saw.
        if (s.focused_first and len(ev.passages) > 1
                and (grounding.descriptive(question) or evidence.asks_where_hurt(question) or leaning)):
            best = ev.passages[-1] if s.best_evidence_last else ev.passages[0]
            focused, tried = self._focused(llm, question, best, filters, relevance_of,
                                           asked=asked if leaning else None)
            if focused is not None and (timeframe.predates(frame, best.published)
                                        or timeframe.elsewhen(frame, focused[1].sentence, best.published)
                                        or self._unmentioned(question, best, snap)
                                        or self._of_another(question, focused[1], best, snap)
                                        or (leaning and _of_someone_else(question, history, focused[1], best, ev))):
                # A report from well before the time asked about, or one that never names what
                # the question is about: read them all.
                focused = None
            if focused is not None:
                reply, found = focused
                answer.passages = [best]
                answer.focused = True
                answer.support_score = round(found.relevance, 4)
                _fill(timings, tried)
                # "When?" wants a date, not a second report.
                read = [best, *(p for p in ev.passages if p is not best)]
                extra = (None if leaning and not grounding.descriptive(question) else
                         self._second(question, found, read, ev))
                if (unknown := grounding.reason_unknown(reply.direct, question, found, read)) is not None:
                    # "Why did the soldier defect?" answered with where he was shot, from the
                    # report that says it was too early to say why: that is the answer.
                    reply, found, extra = grounding.Reply(unknown.sentence, []), unknown, None
                    if found.n > 1:
                        answer.passages.append(read[found.n - 1])
                        found = replace(found, n=2)
                if extra is not None and extra.n > 1:
                    answer.passages.append(read[extra.n - 1])
                    extra = replace(extra, n=2)
                yield from self._grounded(answer, reply, found, snap, t0, extra)
                return

        # The model's reply and what is made of it, a closure so that a factoid can be asked of
        # its best passage first with the same steps (``_narrow``).
        def from_reply(ev: evidence.Evidence, messages: list[dict], answer: Answer, timings: Timings,
                       stats: GenerationStats, narrow: bool = False,
                       narrowed: GenerationStats | None = None) -> Iterator[str | Answer]:
            """The model's reply to ``messages``, checked against ``ev`` and shown with its
            sentence; ``narrow``: the best passage alone is read, and a reply that fails is
            refused without looking for an answer of the evidence's own (all is read next)."""
            pieces: list[str] = []
            # From the best passage alone, a model close to refusing is not asked to write its reply
            # at all (``_hesitant``); scoring evaluates the prompt, which the reply then reuses.
            scoring = GenerationStats()
            hesitant = narrow and self._hesitant(llm, messages, scoring)
            if not hesitant:
                # A few words are asked for; the cap stops a degenerate reply ("1000000...") early.
                for piece in llm.stream_chat(messages, max_tokens=min(s.max_answer_tokens, DIRECT_TOKENS),
                                             temperature=s.temperature, stop=["\n"], stats=stats):
                    pieces.append(piece)
            stats.prompt_tokens = max(stats.prompt_tokens, scoring.prompt_tokens)
            stats.prompt_eval_s += scoring.prompt_eval_s
            stats.first_token_s += scoring.first_token_s
            raw = "".join(pieces).strip()
            # A refusal is final only when the evidence gives no answer of its own (``_from_evidence``).
            refused = hesitant or prompts.is_refusal(raw)
            reply = grounding.parse_reply("" if refused else raw)
            if narrow and not refused and self._restates(reply.direct, question):
                refused = True
            if (not refused and reply.direct.strip(" .!").lower() == "no"
                    and (stated := self._denied_in(question, reply.cited, ev)) is not None
                    and not timeframe.predates(frame, ev.passages[stated.n - 1].published)):
                # A bare "No [2]" to "Was anyone hurt?": the cited passage's sentence that denies it
                # ("... no one on the southern side was hurt") is the answer. Resumed instead, the
                # model went on with a sentence about someone who was hurt elsewhere.
                _fill(timings, stats)
                answer.support_score = round(stated.relevance, 4)
                yield from self._grounded(answer, grounding.Reply("No", [stated.n]), stated, snap, t0)
                return
            if not refused and (doer := grounding.doer_in_reply(reply.direct, question)) is not None:
                reply.direct = doer
            if not refused and (head := grounding.colon_head(reply.direct, question, ev.passages)) is not None:
                reply.direct = head
            if not refused and (name := grounding.named_subject(reply.direct, question)) is not None:
                reply.direct = name
            elif not refused and (name := grounding.embedded_name(reply.direct, question)) is not None:
                # "The periwinkle custom Alexander McQueen dress Kate Middleton re-wore to ...":
                # the question restated around its answer.
                reply.direct = name
            if not refused and (day := grounding.date_in_reply(reply.direct, question)) is not None:
                reply.direct = day
            if not refused and (count := grounding.count_in_reply(reply.direct, question)) is not None:
                reply.direct = count
            if not refused and (rating := grounding.scale_in_reply(reply.direct, question)) is not None:
                reply.direct = rating
            prefix = None if refused else grounding.resume_prefix(reply.direct, question)
            if prefix is not None:
                # The model restated the question (a frequent 0.5B habit) or said only "Yes"/"No":
                # make it go on from its own words to the fact. Only the new tokens are evaluated
                # (KV cache).
                again = GenerationStats()
                more = "".join(llm.stream_chat(messages, max_tokens=min(s.max_answer_tokens, DIRECT_TOKENS),
                                               temperature=s.temperature, stop=["\n"], prefix=prefix, stats=again))
                stopped = grounding.unfinished(reply.direct, question)
                if not prompts.is_refusal(more):
                    said = prefix.rstrip(",") if prefix in ("Yes,", "No,") else None
                    reply = grounding.parse_reply(more)
                    if said:
                        reply.direct = f"{said}, {reply.direct}"
                    elif prefix.endswith(" because") and re.match(r"\s*of\b", reply.direct, re.I):
                        # "... because" went on "of threats from gangs": shown alone, the answer
                        # read "Of threats from gangs".
                        reply.direct = f"Because {reply.direct.strip()}"
                if stopped and (not grounding.content_terms(reply.direct) or grounding.unfinished(reply.direct, question)):
                    # "The soldier was found" went on with nothing but a marker: it still says what
                    # was done, not how, and a sentence on soldiers in general "stated" it.
                    refused = True
                stats.completion_tokens += again.completion_tokens
                stats.generation_s += again.prompt_eval_s + again.generation_s
            elif not refused and grounding.too_long(reply.direct, question):
                again = GenerationStats()
                turn = [*messages, {"role": "assistant", "content": raw},
                        {"role": "user", "content": prompts.SHORTEN_INSTRUCTION}]
                more = "".join(llm.stream_chat(turn, max_tokens=min(s.max_answer_tokens, DIRECT_TOKENS),
                                               temperature=s.temperature, stop=["\n"], stats=again))
                stats.completion_tokens += again.completion_tokens
                stats.generation_s += again.prompt_eval_s + again.generation_s
                answer.shortened = raw
                refused = prompts.is_refusal(more)
                reply = grounding.parse_reply("" if refused else more)
            _fill(timings, stats)
            for first in (tried, narrowed):
                if first is not None:
                    # A focused attempt came first: its time is part of waiting for the answer.
                    timings.prompt_eval_s += first.prompt_eval_s
                    timings.first_token_s += first.first_token_s + first.generation_s
                    timings.prompt_tokens += first.prompt_tokens
                    timings.completion_tokens += first.completion_tokens
            # A follow-up that found its sentences on its own words ("was he armed?" retrieved well
            # enough) leans on the earlier turn, so its closeness to the stating sentence understates
            # relevance: the distance check is for questions scored with their topic (standalone ones,
            # and follow-ups searched with the earlier turns' words, whose scores include them: "2"
            # for "How many?" stood on "the two militaries face each other" at 0.5).
            elliptical = bool(history) and conversation.looks_like_follow_up(question) and query == question
            found = None
            if not refused:
                reply = grounding.closest_sentence(reply, question, ev.passages, relevance_of)
                reply.direct = grounding.dates_as_written(grounding.settle_stance(reply.direct, question),
                                                          [*(ev.passages[n - 1] for n in reply.cited
                                                             if 0 < n <= len(ev.passages)), *ev.passages])
                answer.direct = reply.direct
                found = grounding.support(reply.direct, question, ev.passages, reply.cited, relevance_of,
                                          similar=self._similar)
                if (found is None and (year := grounding.year_of_date(reply.direct, question)) is not None
                        and (dated := grounding.support(year, question, ev.passages, reply.cited, relevance_of))
                        and not (ev.passages[dated.n - 1].published or "").startswith(year[-4:])):
                    # "married on April 8, 2021", the day made up: the year is what a sentence states.
                    # The report's own year says nothing the header did not.
                    found, reply.direct, answer.direct = dated, year, year
                if found is not None:
                    answer.support_score = round(found.relevance, 4)
                    answer.support_dense = next((round(x.dense, 4) for x in ev.sentences
                                                 if (x.passage.doc_id, x.doc_start)
                                                 == (ev.passages[found.n - 1].doc_id, found.doc_start)), None)
                if found is not None and (done := grounding.object_instead(reply.direct, question, found.sentence)):
                    # "What do soldiers far from the capital face?" answered with the soldiers.
                    reply.direct = answer.direct = done
                if found is not None and self._rejects(reply.direct, question, found, ev, snap, leaning):
                    found = None
            if (found is None or (found.relevance < s.min_support and not elliptical)) and not narrow and (
                    fact := self._from_evidence(question, ev, snap)):
                reply, found = grounding.Reply(fact[0], []), fact[1]
                answer.direct, answer.support_score = reply.direct, round(found.relevance, 4)
            elif ((found is None or found.relevance < s.min_support) and not leaning and not history and not narrow
                  and (picked := self._candidate(llm, messages, question, ev, snap, relevance_of, timings))):
                # The model's reply is not what a sentence states (or it said the archive does not
                # say): the span of the evidence it finds likeliest as its reply, if a sentence states
                # that as closely as a reply must be stated.
                reply, found = grounding.Reply(picked[0], []), picked[1]
                answer.direct, answer.support_score = reply.direct, round(found.relevance, 4)
                answer.candidate = True
            if found is None or (found.relevance < s.min_support and not elliptical):
                # The model named something no passage states, or only a sentence far from the
                # question states it: not shown as an answer.
                yield from self._refuse(answer, t0)
                return
            stating = ev.passages[found.n - 1]
            if timeframe.predates(frame, stating.published):
                # Only a report from well before the time asked about states it: an older event of
                # the same kind ("this week" answered from last year's report).
                yield from self._refuse(answer, t0, prompts.only_older_reports(
                    frame.phrase, frame.start, frame.end, stating.published))
                return
            if timeframe.elsewhen(frame, found.sentence, stating.published):
                # The article is from the days asked about, but the sentence recalls another day ("on
                # 13 November, another soldier was shot ..." for why the December defector left).
                yield from self._refuse(answer, t0, prompts.about_other_days(frame.phrase, frame.start, frame.end))
                return
            missing = self._unmentioned(question, stating, snap)
            if missing:
                # The stating article never names what the question is about: it reports something
                # else ("$24.8 billion" for the EU's budget, from a report on NASA's).
                yield from self._refuse(answer, t0, prompts.not_mentioned(missing, stating.title))
                return
            if not history and names.foreign(question, self._article_text(stating, snap)):
                # The stating article holds few of the question's words ("Beef tallow" for a diet
                # food's comeback). A follow-up's words lean on the turns before it.
                yield from self._refuse(answer, t0, prompts.about_something_else(stating.title))
                return
            if leaning and _of_someone_else(question, history, found, stating, ev):
                # "Was he armed?" after the November shooting, answered "No, he was unarmed" from the
                # report on the fog crossing: about someone else.
                yield from self._refuse(answer, t0, prompts.about_something_else(stating.title))
                return
            if (day := grounding.day_of_reply(reply.direct, question, found.sentence, stating)) is not None:
                # "Monday" is the article's word for a day the user reads about later.
                reply.direct = answer.direct = day
            extra = self._second(question, found, ev.passages, ev) if grounding.descriptive(question) else None
            if (unknown := grounding.reason_unknown(reply.direct, question, found, ev.passages)) is not None:
                reply, found, extra = grounding.Reply(unknown.sentence, []), unknown, None
            yield from self._grounded(answer, reply, found, snap, t0, extra)
        if (s.focused_factoid and tried is None and not history and len(ev.passages) > 1
                and not grounding.yes_no(question)):
            # A factoid asked of the best passage first: see ``_narrow``.
            narrowed = yield from self._narrow(from_reply, question, ev, answer, timings, filters)
            if narrowed is None:
                return
            yield from from_reply(ev, messages, answer, timings, stats, narrowed=narrowed)
            return
        yield from from_reply(ev, messages, answer, timings, stats)

    def _narrow(self, from_reply, question: str, ev: evidence.Evidence, answer: Answer, timings: Timings,
                filters: Filters) -> Generator[str | Answer, None, GenerationStats | None]:
        """A factoid question asked of the single best evidence passage first: its answer is
        streamed (and None returned) when the model's reply there passes every check; else nothing
        is shown and the attempt's timings are returned (all is read next).

        Why: with eight passages in front of it the 0.5B model often names a fact of the wrong one
        ("Alexandra Popp" for England's extra-time winner against Germany, "Arizona" for where
        Intel's 2022 plant is built); from the best passage alone, when sure of its reply there
        (``_hesitant``), it named "Chloe Kelly" and "Ohio". Asked of that passage with no such
        gate, it answered whatever the passage held: on the eleven natural sets 29 answers turned
        right, 33 right ones turned wrong, and 17 refusals turned wrong (README Quality).
        Costs a prompt of ~150-250 tokens (under a second here) more when the reply does not stand;
        a model close to refusing there writes no reply (``_hesitant`` is asked first)."""
        best = ev.passages[-1] if self.settings.best_evidence_last else ev.passages[0]
        one = replace(answer, passages=[best], timings=replace(timings))
        own = GenerationStats()
        messages = prompts.build_messages(question, [best], as_of=filters.as_of)
        items = list(from_reply(evidence.Evidence([best], ev.sentences), messages, one, one.timings, own,
                                narrow=True))
        if items[-1].refused:
            return own
        items[-1].focused = True
        yield from items
        return None

    def _stance(self, llm, question: str, ev: evidence.Evidence, filters: Filters,
                ) -> tuple[tuple[str, grounding.Support] | None, GenerationStats | None]:
        """"Yes" or "No" to a yes/no question by the model's scores of its best evidence sentence
        (the best passage's best-ranked one), which is then quoted; None (left to the model's
        reply) when the scores lean neither way far enough (``STANCE_YES_ABOVE``,
        ``STANCE_NO_BELOW``) or the backend cannot score. Also the scoring's timings (None when
        nothing was scored).

        Why: asked to reply, the 0.5B model opens "No, <the question restated>" whether the
        passages say yes or no; its scores of "Yes" against "No" given that sentence, with its
        lean given no passage taken off (contextual calibration: Zhao et al. 2021), separate the
        two (ROC area 0.74 on yesno-dev and yesno-heldout, 0.63 on the natural sets' yes/no
        questions; uncalibrated 0.72 and 0.50; from the whole best passage 0.71 and 0.59), so only
        a clear lean is taken.

        Limits: two short prompts (the sentence, ~100 tokens, and none, ~60) before any reply; one
        sentence is weighed, so an answer that needs its neighbour, or another passage, is left
        to chance or to the reply; English words."""
        score = getattr(llm, "reply_logprobs", None)
        best = ev.passages[-1] if self.settings.best_evidence_last else ev.passages[0]
        quoted = grounding.best_in(best, ev.sentences, ev.passages)
        if score is None or quoted is None:
            return None, None
        weighed = GenerationStats()

        def lean(passages: list[Passage]) -> float | None:
            own = GenerationStats()
            got = score(prompts.build_messages(question, passages, as_of=filters.as_of,
                                               instruction=prompts.YES_NO_INSTRUCTION), list(STANCE_WORDS), stats=own)
            weighed.prompt_tokens = max(weighed.prompt_tokens, own.prompt_tokens)
            weighed.prompt_eval_s += own.prompt_eval_s
            weighed.first_token_s += own.first_token_s
            return got[0][0] - got[1][0] if got and all(got) else None

        # The sentence alone, under its article's title and date: what the answer quotes is what
        # was weighed.
        given, blank = lean([replace(best, text=quoted.sentence)]), lean([])
        if given is None or blank is None:
            return None, weighed
        shift = given - blank
        if shift > STANCE_YES_ABOVE:
            return ("Yes", quoted), weighed
        if shift < STANCE_NO_BELOW:
            return ("No", quoted), weighed
        return None, weighed

    @staticmethod
    def _hesitant(llm, messages: list[dict], stats: GenerationStats) -> bool:
        """Whether the model, asked of the best passage alone, was close to refusing there: its
        log-probability of opening a refusal ("The") above ``NARROW_REFUSAL_CEILING`` (a backend
        that cannot score: not hesitant). Its reply would not stand, so it is not generated."""
        score = getattr(llm, "reply_logprobs", None)
        scored = score(messages, [REFUSAL_OPENING], stats=stats) if score is not None else None
        return bool(scored and scored[0]) and scored[0][0] > NARROW_REFUSAL_CEILING

    @staticmethod
    def _restates(direct: str, question: str) -> bool:
        """Whether a reply from the best passage alone only repeats the question's words ("Shinzo
        Abe" for "Who is the suspect arrested for shooting Shinzo Abe?"): too unsure to stand
        without the other passages."""
        said = grounding.content_terms(markers.strip_markers(direct))
        return bool(said) and not said - grounding.content_terms(question)

    def _rejects(self, direct: str, question: str, found: grounding.Support, ev: evidence.Evidence,
                 snap: _Snapshot, leaning: bool) -> bool:
        """Whether the sentence ``found`` that states ``direct`` does not answer ``question``
        after all (each check says why); the model's reply and a scored candidate
        (``_candidate``) both pass these."""
        if grounding.untimed(direct, question):
            # "When will DART hit the asteroid?" answered "The DART mission is about to
            # collide with an asteroid": no time, whatever sentence states it.
            return True
        if grounding.WHEN_QUESTION.match(question):
            # "What date did the soldier defect at Panmunjom?" answered with the date of a
            # sentence on another crossing: a date belongs to the event its sentence names,
            # or the one before it, or its headline ("... will conclude with 'Hot Rick' on
            # July 27" under "When do new episodes of 'Rick and Morty' come out?"); names
            # given as examples are the article's to name ("tariffs on countries like Iraq").
            dating = ev.passages[found.n - 1]
            # The sentence before is looked for in the article: the passage may start at this one
            # ("It's called Apophis. The asteroid has a tiny chance of hitting Earth ... in April of 2029.").
            doc = snap.index.documents.get(dating.doc_id)
            named = (grounding.with_referent(found.sentence, doc.text, found.doc_start, definite=True)
                     if doc is not None and doc.text[found.doc_start:].startswith(found.sentence[:20])
                     else grounding.with_referent(found.sentence, dating.text, found.start, definite=True))
            if (names.unmentioned(names.without_examples(question), f"{dating.title} {named}")
                    or any(grounding.is_headline(direct, p.title) for p in ev.passages)):
                # A copied headline ("The Mosquito Fire in California is now state's biggest
                # wildfire in 2022") dates nothing: the evidence's own date is looked for.
                return True
        if (grounding.WHERE_QUESTION.match(question)
                and any(grounding.is_headline(direct, p.title) for p in ev.passages)):
            # "Where did Bashar Assad flee to?" answered with a headline ("Syria's deepening
            # sectarian war bleeds across borders"): a headline is no place; the place the
            # best sentences name is looked for instead ("in Russia").
            return True
        if self._of_another(question, found, ev.passages[found.n - 1], snap):
            # "What happened to the soldier who crossed in the fog?" answered from "another
            # soldier was shot ..." in the report on the fog crossing.
            return True
        if grounding.other_edition(question, found.sentence):
            # "the 2017 WTA Finals" answered from "Williams won the 2008 WTA Finals by ...".
            return True
        if grounding.percent_for_count(direct, question):
            # "How many years in a row has it set a sales record?" answered "3.9%".
            return True
        if grounding.other_year(direct, question):
            # "When did the Depp v. Heard trial begin in 2022?" answered "2015".
            return True
        if grounding.yearless(direct, question):
            # "In what month and year ...?" answered "July 20", a day of another year's story.
            return True
        if grounding.garbled_date(direct):
            # "May 215-214" for the day the House passed the bill (the vote was 215-214 in May).
            return True
        if grounding.superlative_unstated(question, found.sentence):
            # "Who got the most nominations?" answered from "... also nabbed a nomination".
            return True
        if grounding.other_office(direct, question):
            # "Which Iowa congressman ...?" answered "Attorney General Brenna Bird".
            return True
        if grounding.wrong_kind(direct, question):
            # "In which Swedish town did ... play?" answered "Colorado State University", the
            # team she plays for now: no town, whatever sentence states it.
            return True
        if grounding.before_change(question, found.sentence):
            # "lowered the minimum age ... to what?" answered "37", the limit before the change.
            return True
        if grounding.speaker_as_doer(direct, question, found.sentence):
            # "Who threw a sandwich at a federal agent?" answered "Pirro", from '"So there,
            # stick your Subway sandwich somewhere else," Pirro said.': who spoke, not who threw.
            return True
        if grounding.off_question(direct, question):
            # "Is it common for soldiers to defect across the DMZ?" answered "The
            # demilitarised zone": neither yes nor no, nor anything of what was asked.
            return True
        if not leaning and grounding.says_nothing_of(question, grounding.with_referent(
                found.sentence, ev.passages[found.n - 1].text, found.start, definite=True)):
            # "Where do the two militaries face each other at close range?" answered "China",
            # from "Most of the North Koreans ... travel first through China.": a sentence
            # that holds none of the question's words answers something else. (On the dev
            # sets' answers: 3 such, all wrong.) "The stalking episode took place ... at Bremer
            # Bay" is of the sentence before it, the orcas' kill the question asks about.
            return True
        return False

    def _candidate(self, llm, messages: list[dict], question: str, ev: evidence.Evidence, snap: _Snapshot,
                   relevance_of: dict, timings: Timings) -> tuple[str, grounding.Support] | None:
        """The likeliest answer-shaped span of the evidence sentences read (``candidates``), by
        the model's mean log-probability of writing it as its reply to ``messages``, with the
        sentence that states it; None when it scores under ``CANDIDATE_FLOOR``, does not lead the
        next span by ``CANDIDATE_MARGIN``, is not stated closely enough, or a check rejects it."""
        score = getattr(llm, "reply_logprobs", None)
        if score is None or candidates.kind(question) is None:
            return None
        read = [x.text for x in ev.sentences
                if any(x.passage.doc_id == p.doc_id and p.start <= x.doc_start < p.end for p in ev.passages)]
        spans = candidates.candidates(question, read[:CANDIDATE_SENTENCES])
        if not spans:
            return None
        start = time.perf_counter()
        logprobs = score(messages, spans)
        timings.generation_s += time.perf_counter() - start
        if logprobs is None:
            return None
        ranked = sorted(((sum(lp) / len(lp), span) for span, lp in zip(spans, logprobs) if lp), reverse=True)
        if len(ranked) < 2 or ranked[0][0] < CANDIDATE_FLOOR or ranked[0][0] - ranked[1][0] < CANDIDATE_MARGIN:
            # No clear choice: a span the model barely prefers, or would hardly write at all, is
            # as often wrong as right.
            return None
        best = ranked[0][1]
        found = grounding.support(best, question, ev.passages, (), relevance_of, similar=self._similar)
        if (found is None or found.relevance < self.settings.min_support
                or self._rejects(best, question, found, ev, snap, leaning=False)):
            return None
        return best, found

    def _denied_in(self, question: str, cited: list[int], ev: evidence.Evidence) -> grounding.Support | None:
        """The sentence that denies the question in its own words, one content word being
        enough ("Was anyone hurt?"), for a bare "No [n]": first in the passage it cites, then in
        the others, best-scored first. The model's "No" stands in for the closeness the evidence
        score would otherwise have to show (it cited the hospital report; the denial, "... no one
        on the southern side was hurt", was in the report on the warning shots)."""
        def denial(ranked):
            return grounding.denied(question, ranked, ev.passages, min_score=float("-inf"), min_terms=1)

        for n in cited[:1]:
            if 0 < n <= len(ev.passages):
                p = ev.passages[n - 1]
                found = denial([x for x in ev.sentences
                                if x.passage.doc_id == p.doc_id and p.start <= x.doc_start < p.end])
                if found is not None:
                    return found
        return denial(ev.sentences)

    def _from_evidence(self, question: str, ev: evidence.Evidence, snap: _Snapshot,
                       ) -> tuple[str, grounding.Support] | None:
        """The answer the best evidence sentences give by themselves to "how far / how long",
        "how many died", "what time", "what was he treated for", "how was he found", "when will he be
        questioned", "when did <named event>", "what is <the thing> called" and "where"
        questions, for when the model's reply is a refusal or not supported: "How far apart
        ...?" had been answered "13", where the best sentence says "only metres apart"; "Where did the November defection take place?" copied a
        sentence, then, sent back for the place alone, refused."""
        m = self.settings.min_support
        return (grounding.measured(question, ev.sentences, ev.passages, m)
                or grounding.tolled(question, ev.sentences, ev.passages, m)
                or grounding.timed(question, ev.sentences, ev.passages, m)
                or grounding.stranded(question, ev.sentences, ev.passages, m)
                or grounding.manner(question, ev.sentences, ev.passages, m, self._articles(snap, ev))
                or grounding.conditioned(question, ev.sentences, ev.passages, m, self._articles(snap, ev))
                or grounding.dated(question, ev.sentences, ev.passages, m)
                or grounding.named_as(question, ev.sentences, ev.passages, m)
                or (None if evidence.asks_where_hurt(question) else
                    grounding.placed(question, ev.sentences, ev.passages, m)))

    def _second(self, question: str, found: grounding.Support, passages: list[Passage], ev: evidence.Evidence,
                ) -> grounding.Support | None:
        """A descriptive answer's second supporting sentence (``grounding.second``), if wanted."""
        if not self.settings.second_sentence:
            return None
        ranked = [(x.passage.doc_id, x.doc_start, x.score) for x in ev.sentences]
        return grounding.second(question, found, passages, ranked, self.settings.min_support)

    def _grounded(self, answer: Answer, reply: grounding.Reply, found: grounding.Support, snap: _Snapshot,
                  t0: float, extra: grounding.Support | None = None) -> Iterator[str | Answer]:
        """The direct answer with its stating sentence (and a second one for a descriptive
        question), cited and checked."""
        if (evidence.asks_where_hurt(answer.question) and grounding.WHERE_QUESTION.match(answer.question)
                and not evidence.where_on_body(reply.direct) and (place := evidence.where_on_body(found.sentence))):
            # "Where was he hit?" answered "at Panmunjom" from the sentence that says "shot in the
            # shoulder and the elbow": the town is where he was, not where the bullets struck.
            reply = replace(reply, direct=place)
        if (evidence.asks_reason(answer.question) and 0 < found.n <= len(answer.passages)
                and (grounding.is_headline(reply.direct, answer.passages[found.n - 1].title)
                     or grounding.restates_why(reply.direct, answer.query or answer.question))):
            # "Why did Trump order the National Guard into Washington?" answered with the headline
            # "Trump orders National Guard into Washington, DC", "Why did the guards approach the
            # line?" with "South Korean guards approached the line": no reason; the sentence
            # quoted under it is the archive's closest answer, so it is shown alone. A follow-up
            # "Why?" is weighed against its search query: "The Federal Reserve decided on
            # interest rates in July" restates the chat's topic, not a reason.
            reply = replace(reply, direct=found.sentence)
        if (evidence.asks_reason(answer.question) and extra is not None
                and grounding.says_nothing_of(answer.question, found.sentence)
                and not grounding.says_nothing_of(answer.question, extra.sentence)):
            # "Why has the northern route become harder?" answered "The southern side has been
            # watchful", with "With more guards, cameras and fences on the northern route, the
            # usual escape path has become harder ..." as the second sentence: that one answers.
            reply, found, extra = grounding.Reply(extra.sentence, []), extra, None
        if (grounding.place_as_doer(reply.direct, answer.question, found.sentence)
                # "Yes" over "Nunn is reconsidering his decision to run": the sentence answers.
                or grounding.hedged_yes(reply.direct, answer.question, found.sentence)):
            reply = replace(reply, direct=found.sentence)
        answer.direct = reply.direct
        text = grounding.compose(reply.direct, found)
        if extra is not None:
            text += f"\n\n{extra.sentence} [{extra.n}]"
        answer.model_markers = int(found.n in reply.cited)
        answer.attributed_markers = int(found.n not in reply.cited)
        yield text
        self._check(answer, text, snap)
        answer.timings.total_s = time.perf_counter() - t0
        yield answer

    def _focused(self, llm, question: str, best: Passage, filters: Filters, relevance_of: dict,
                 asked: str | None = None) -> tuple[tuple[grounding.Reply, grounding.Support] | None, GenerationStats]:
        """A descriptive question ("why ...?", "what happened ...?", "how did ...?") asked of the
        single best evidence passage first: the grounded reply, or None (read everything) when
        the model finds no answer there or names one that passage does not state close to the
        question; with the attempt's timings either way.

        Why: asked with eight passages, the 0.5B model answers such a question with whichever
        sentence it copies ("The soldier was shot by his own side" for "why are soldiers
        defecting?", with the passage on the economic reasons in front of it); the evidence
        ranking picks the answering sentence more often than the model does, and one passage
        is a ~150-token prompt (about a second) where eight are ~1,000.
        """
        s = self.settings
        own = GenerationStats()
        describe = grounding.descriptive(question) or evidence.asks_where_hurt(question)
        messages = prompts.build_messages(asked or question, [best], as_of=filters.as_of,
                                          instruction=prompts.DESCRIPTIVE_INSTRUCTION if describe else None)
        raw = "".join(llm.stream_chat(messages, max_tokens=min(s.max_answer_tokens, DIRECT_TOKENS),
                                      temperature=s.temperature, stop=["\n"], stats=own)).strip()
        if prompts.is_refusal(raw):
            return None, own
        reply = grounding.parse_reply(raw)
        if grounding.announces(reply.direct, question):
            # "Analysts point to two pressures": what they are is in the same passage.
            again = GenerationStats()
            more = "".join(llm.stream_chat(messages, max_tokens=min(s.max_answer_tokens, DIRECT_TOKENS),
                                           temperature=s.temperature, stop=["\n"],
                                           prefix=grounding.resume_prefix(reply.direct, question), stats=again))
            own.completion_tokens += again.completion_tokens
            own.generation_s += again.prompt_eval_s + again.generation_s
            if prompts.is_refusal(more):
                return None, own
            reply = grounding.parse_reply(more)
        if (grounding.resume_prefix(reply.direct, question) is not None
                or (not describe and grounding.too_long(reply.direct, question))):
            return None, own
        reply.direct = grounding.dates_as_written(grounding.settle_stance(reply.direct, question), [best])
        reply = grounding.closest_sentence(reply, question, [best], relevance_of)
        found = grounding.support(reply.direct, question, [best], reply.cited, relevance_of, similar=self._similar)
        if found is None or found.relevance < s.min_support:
            return None, own
        return (reply, found), own

    @classmethod
    def _news(cls, snap: _Snapshot, ev: evidence.Evidence, topic: set[str], frame: timeframe.TimeFrame | None,
              filters: Filters, naming: bool = False) -> list[digest.Item]:
        """The articles a news question's digest shows (``digest.newest``): with a topic, among the
        retrieved candidates (news *about* it: an article that names it in passing is no news
        of it); without one, every article the filters allow in the days asked about. A search
        of the archive (``naming``) takes every article that names the topic, and is not limited
        to recent days, only to days it names."""
        if naming:
            days = digest.window(frame, None) if frame is not None and frame.named_days else None
            return digest.newest(cls._holding(snap, topic, frame, filters), topic, days, naming=True)
        days = digest.window(frame, filters.as_of or snap.index.status().last_date)
        docs = cls._candidate_docs(snap, ev) if topic else cls._holding(snap, topic, None, filters)
        return digest.newest(docs, topic, days)

    @staticmethod
    def _candidate_docs(snap: _Snapshot, ev: evidence.Evidence) -> list[Document]:
        """The articles of the retrieved candidates, in retrieval order."""
        ids = dict.fromkeys(x.passage.doc_id for x in ev.sentences)
        return [snap.index.documents[i] for i in ids if i in snap.index.documents]

    @staticmethod
    def _holding(snap: _Snapshot, topic: set[str], frame: timeframe.TimeFrame | None,
                 filters: Filters) -> list[Document]:
        """The articles the filters let in that hold every topic stem (all of them without a
        topic), within the days ``frame`` names, if it names any."""
        docs = Assistant._allowed(snap, filters)
        if frame is not None and frame.named_days:
            days = digest.window(frame, None)
            docs = [d for d in docs if (b := date_bounds(d.published)) is not None
                    and b[1] >= days[0] and b[0] <= days[1]]
        return digest.holding(docs, topic) if topic else docs

    @staticmethod
    def _allowed(snap: _Snapshot, filters: Filters) -> list[Document]:
        ok = allowed_docs(snap.index, filters)
        return [d for k, d in enumerate(snap.index.doc_list) if ok is None or ok[k]]

    def _overview(self, answer: Answer, snap: _Snapshot, filters: Filters, t0: float) -> Iterator[str | Answer]:
        """What the archive (as far as the filters let in) holds, then its newest articles' leads."""
        docs = self._allowed(snap, filters)
        head = catalog.overview(docs)
        items = digest.newest(docs, set(), None)
        if not items:
            answer.answer, answer.digest = head, True
            answer.timings.total_s = time.perf_counter() - t0
            yield head
            yield answer
            return
        yield f"{head} The newest:\n\n"
        yield from self._digest(answer, items, snap, t0, head=f"{head} The newest:")

    def _digest(self, answer: Answer, items: list[digest.Item], snap: _Snapshot, t0: float,
                head: str = "") -> Iterator[str | Answer]:
        """The leads of ``items``, newest first, each cited; no model call. ``head`` (the
        archive's own figures, no claim of an article) goes above them unchecked."""
        answer.passages = [Passage(chunk_id=-1, doc_id=it.document.id, text=it.document.text[it.start:it.end],
                                   start=it.start, end=it.end, title=it.document.title,
                                   published=it.document.published, source=it.document.source,
                                   url=it.document.url, path=it.document.path, page=it.document.page_at(it.start),
                                   date_source=it.document.date_source)
                           for it in items]
        answer.digest = True
        answer.attributed_markers = len(items)  # written by the code, not the model
        # Each sentence cited: an article's opening is two, and the checker reads sentence by sentence.
        text = "\n\n".join(" ".join(f"{q[a:b].strip()} [{n}]" for a, b in split_sentences(q))
                           for n, p in enumerate(answer.passages, 1) if (q := grounding.quote_of(p)))
        yield text
        self._check(answer, text, snap)
        if head:
            answer.answer = f"{head}\n\n{answer.answer}"
        answer.timings.total_s = time.perf_counter() - t0
        yield answer

    @staticmethod
    def _unmentioned(question: str, passage: Passage, snap: _Snapshot) -> list[str]:
        """The question's names and numbers (``names``) that the passage's article never mentions."""
        text = Assistant._article_text(passage, snap)
        return names.unmentioned(question, text) + names.unmentioned_numbers(question, text)

    @staticmethod
    def _articles(snap: _Snapshot, ev: evidence.Evidence) -> dict[str, str]:
        """The whole text of each article the evidence sentences come from, by document id."""
        docs = snap.index.documents
        return {d: docs[d].text for d in {x.passage.doc_id for x in ev.sentences} if d in docs}

    @staticmethod
    def _of_another(question: str, found: grounding.Support, passage: Passage, snap: _Snapshot) -> bool:
        """``grounding.of_another`` with the article's title and text before the stating sentence."""
        doc = snap.index.documents.get(passage.doc_id)
        before = doc.text[:found.doc_start] if doc is not None else ""
        return grounding.of_another(question, found.sentence, f"{passage.title or ''}\n{before}")

    @staticmethod
    def _article_text(passage: Passage, snap: _Snapshot) -> str:
        """Title, outlet and whole text of the passage's article."""
        doc = snap.index.documents.get(passage.doc_id)
        return f"{passage.title or ''}\n{passage.source or ''}\n{doc.text if doc is not None else passage.text}"

    def _refuse(self, answer: Answer, t0: float, text: str = prompts.REFUSAL) -> Iterator[str | Answer]:
        answer.answer, answer.refused = text, True
        answer.timings.total_s = time.perf_counter() - t0
        yield answer.answer
        yield answer

    def _check(self, answer: Answer, text: str, snap: _Snapshot) -> None:
        docs = {p.doc_id: snap.index.documents[p.doc_id] for p in answer.passages}
        check = check_answer(text, answer.passages, docs)
        answer.answer = check.text
        answer.citations = check.citations
        answer.invalid_markers = check.invalid_markers
        answer.unsupported_sentences = check.unsupported_sentences

    def _choose(self, llm, answer: Answer, question: str, ev: evidence.Evidence, filters: Filters,
                choices: list[str], stats: GenerationStats, snap: _Snapshot, t0: float) -> Iterator[str | Answer]:
        """Multiple choice: the scored option, then the passage sentence that supports it."""
        scoring_start = time.perf_counter()
        probs = self._choice_probs(llm, question, ev.passages, filters.as_of, choices)
        answer.choice_probs = probs
        if probs is None:
            # A backend that cannot score letters: parse a generated one.
            messages = prompts.build_messages(question, ev.passages, as_of=filters.as_of, choices=choices)
            raw = "".join(llm.stream_chat(messages, max_tokens=8, temperature=0.0, stats=stats))
            picked = prompts.parse_choice(raw, choices)
            best = 0 if picked is None else picked
        else:
            support = evidence.option_support(question, choices, ev.passages)
            answer.choice_support = support
            likely = self._option_likelihood(llm, question, ev.passages, filters.as_of, choices)
            answer.choice_likelihood = likely
            best = max(range(len(choices)),
                       key=lambda i: math.log(max(probs[i], 1e-9)) + OPTION_SUPPORT_WEIGHT * support[i]
                       + (OPTION_LIKELIHOOD_WEIGHT * likely[i] if likely else 0.0))
        scoring_s = time.perf_counter() - scoring_start
        answer.timings.prompt_eval_s = answer.timings.first_token_s = scoring_s
        head = f"Answer: {prompts.LETTERS[best]}. {choices[best]}"
        answer.direct = choices[best]
        relevance_of = {(x.passage.doc_id, x.doc_start): x.score for x in ev.sentences}
        found = grounding.support(choices[best], question, ev.passages, (), relevance_of)
        text = f"{head}\n\n{found.sentence} [{found.n}]" if found else head
        answer.attributed_markers = int(found is not None)
        yield text
        self._check(answer, text, snap)
        answer.timings.total_s = time.perf_counter() - t0
        yield answer

    def _choice_probs(self, llm, question: str, passages: list[Passage], as_of: str | None,
                      choices: list[str]) -> list[float] | None:
        """Each option's probability from the model's next-token scores for its letter, averaged
        over the cyclic rotations of the option order (every option sits once at every letter).

        Why: asked once, the 0.5B model mostly answers by position (on dev-small it picked A for
        3 of 60 questions where A was right for 13) and scored 0.383; averaged over rotations it
        scored 0.600 on the same passages. The passages come first in the prompt, so each
        rotation after the first evaluates only the question and options (KV cache).
        None when the backend cannot score letters.
        """
        score = getattr(llm, "choice_probs", None)
        if score is None:
            return None
        n = len(choices)
        total = [0.0] * n
        for shift in range(n):
            order = [(i + shift) % n for i in range(n)]
            messages = prompts.build_messages(question, passages, as_of=as_of, choices=[choices[i] for i in order])
            probs = score(messages, n)
            if probs is None:
                return None
            for position, option in enumerate(order):
                total[option] += probs[position] / n
        return total

    @staticmethod
    def _option_likelihood(llm, question: str, passages: list[Passage], as_of: str | None,
                           choices: list[str]) -> list[float] | None:
        """Each option's mean token log-probability as the reply to the question asked openly
        (the open-question instruction, no options shown) over the same passages.

        Why: the letters say which option the model prefers once it sees them all, and lean on
        their positions (hence the rotations); an option's own words as an open answer say how
        readily the model writes it from the passages. Measured on the letter prompts' four
        chunks: on realtimeqa-dev (150) the mean alone picked 74 right, the letters alone 68,
        the sum over tokens 72 (it favours short options). The letter prompts' system prompt is
        kept, so the passages stay in the KV cache and only the question's last lines and the
        options' few tokens are evaluated (the chat's own prompt, a full evaluation more, picked
        as well: 81 on dev, with the letters and the support). None when the backend cannot
        score replies."""
        score = getattr(llm, "reply_logprobs", None)
        if score is None or not choices:
            return None
        messages = prompts.build_messages(question, passages, as_of=as_of, open_reply=True)
        logprobs = score(messages, [prompts.clean(c) for c in choices])
        if logprobs is None:
            return None
        return [sum(lp) / len(lp) if lp else MISSING_LIKELIHOOD for lp in logprobs]

    def ask(self, question: str, history: list[dict] = (), filters: Filters = Filters(),
            top_k: int | None = None, choices: list[str] | None = None) -> Answer:
        final = None
        for item in self.stream(question, history, filters, top_k, choices):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final


class _CharCounter:
    """About four characters a token: the budget estimate when no model is loaded."""

    @staticmethod
    def count_tokens(text: str) -> int:
        return len(text) // 4 + 1


def _fill(timings: Timings, stats: GenerationStats) -> None:
    timings.prompt_eval_s, timings.first_token_s = stats.prompt_eval_s, stats.first_token_s
    timings.generation_s, timings.tokens_per_s = stats.generation_s, stats.tokens_per_s
    timings.prompt_tokens, timings.completion_tokens = stats.prompt_tokens, stats.completion_tokens
