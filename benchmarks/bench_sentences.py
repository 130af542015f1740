"""Sentence splitters compared: the project's rules (``assistant.sentences``) against pysbd and
sentencex, on what the project needs from a splitter.

Prints, for each splitter that is installed:
- boundary cases: news-style strings with the expected sentences (abbreviations, initials,
  decimals, quotes, datelines, lists, citation markers), share split exactly right;
- support labels: precision/recall of the citation checker (``tests/data/support_labels.jsonl``)
  with that splitter cutting evidence and claims;
- speed: characters a second over the sample archive's text.

    python benchmarks/bench_sentences.py        # pip install pysbd sentencex to compare them

Limits: the boundary cases were written for this benchmark (English news style); pysbd and
sentencex are not project dependencies and are skipped when missing.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from assistant.citations import evaluate_checker, support
from assistant.ingest import load_file, scan_archive
from assistant.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]

CASES = [
    ("Fog closed the airport. Flights resumed on Friday.", ["Fog closed the airport.", "Flights resumed on Friday."]),
    ("Dr. Kim met U.S. officials at 9 a.m. Monday. It rained.", ["Dr. Kim met U.S. officials at 9 a.m. Monday.", "It rained."]),
    ("Growth was 3.5 per cent in 2017. Prices rose.", ["Growth was 3.5 per cent in 2017.", "Prices rose."]),
    ("J. Smith, of Acme Inc., said so. The board agreed.", ["J. Smith, of Acme Inc., said so.", "The board agreed."]),
    ('He said "it is over." Then he left.', ['He said "it is over."', "Then he left."]),
    ("Was it legal? Lawyers disagree!", ["Was it legal?", "Lawyers disagree!"]),
    ("The company moved to the U.S. The move cost $2 million.", ["The company moved to the U.S.", "The move cost $2 million."]),
    ("Sen. Warren and Gov. Newsom spoke. No. 10 declined to comment.", ["Sen. Warren and Gov. Newsom spoke.", "No. 10 declined to comment."]),
    ("It opened on Jan. 12 in St. Louis. Crowds came.", ["It opened on Jan. 12 in St. Louis.", "Crowds came."]),
    ("Visit example.com for details. Tickets sell fast.", ["Visit example.com for details.", "Tickets sell fast."]),
    ("Key points:\n\n- Turnout rose.\n- Costs fell.", ["Key points:", "Turnout rose.", "Costs fell."]),
    ("The soldier crossed in thick fog. [1] He was unarmed. [2]", ["The soldier crossed in thick fog. [1]", "He was unarmed. [2]"]),
    ("SEOUL (Reuters) - A soldier defected on Monday. He was shot.", ["SEOUL (Reuters) - A soldier defected on Monday.", "He was shot."]),
    ("The vote was 5-4. Justice Roberts wrote the opinion.", ["The vote was 5-4.", "Justice Roberts wrote the opinion."]),
    ("Mr. and Mrs. Berg run the bakery. It won a prize.", ["Mr. and Mrs. Berg run the bakery.", "It won a prize."]),
    ("The U.N. Security Council met. Russia vetoed.", ["The U.N. Security Council met.", "Russia vetoed."]),
]


def ours(text: str) -> list[tuple[int, int]]:
    return split_sentences(text)


def _pysbd():
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def split(text: str) -> list[tuple[int, int]]:
        out = []
        for s in seg.segment(text):
            a, b = s.start, s.end
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a < b:
                out.append((a, b))
        return out
    return split


def _sentencex():
    from sentencex import segment

    def split(text: str) -> list[tuple[int, int]]:
        out, pos = [], 0
        for s in segment("en", text):
            s = s.strip()
            if not s:
                continue
            a = text.find(s, pos)
            if a < 0:
                continue
            out.append((a, a + len(s)))
            pos = a + len(s)
        return out
    return split


def _strip_bullet(s: str) -> str:
    return s[2:] if s[:2] in ("- ", "* ", "• ") else s


def main() -> None:
    splitters = {"rules (assistant.sentences)": ours}
    for name, make in (("pysbd", _pysbd), ("sentencex", _sentencex)):
        try:
            splitters[name] = make()
        except ImportError:
            print(f"{name}: not installed, skipped")
    labels = [json.loads(line) for line in (ROOT / "tests/data/support_labels.jsonl").read_text().splitlines() if line.strip()]
    texts = []
    sources, _ = scan_archive(ROOT / "archive")
    for source in sources:
        texts += [d.text for d in load_file(source).documents]
    corpus_chars = sum(len(t) for t in texts)
    print(f"{len(CASES)} boundary cases, {len(labels)} support labels, {corpus_chars:,} characters of sample archive\n")
    print(f"{'splitter':30} {'cases right':>12} {'checker P':>10} {'checker R':>10} {'chars/s':>12}")
    original = support.split_sentences
    for name, split in splitters.items():
        right = sum([_strip_bullet(t[a:b]) for a, b in split(t)] == want for t, want in CASES)
        support.split_sentences = split
        try:
            m = evaluate_checker(labels)
        finally:
            support.split_sentences = original
        start = time.perf_counter()
        for _ in range(3):
            for t in texts:
                split(t)
        rate = 3 * corpus_chars / (time.perf_counter() - start)
        print(f"{name:30} {right:>5} / {len(CASES):<5} {m['precision']:>10.3f} {m['recall']:>10.3f} {rate:>12,.0f}")


if __name__ == "__main__":
    main()
