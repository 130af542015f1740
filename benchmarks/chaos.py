"""Fault injection for the index: does it survive kills, concurrent builds and rebuilds while
answering? (`make chaos`; prints figures, asserts nothing about timing.)

1. Killed builds: ``archivist index --full`` (a real process) is killed with SIGKILL at a random
   moment of its run, ``--runs`` times; after each kill the index is loaded afresh and asked a
   question (real retrieval over the real index; the fake extractive LLM writes the answer). A run
   survives when the load works and the answer is the right, cited sentence.
2. Concurrent builds: two ``archivist index --full`` processes at once on the same index while a
   reader thread reloads the index and asks in a loop; then a ``--no-wait`` build against a
   running one.
3. Rebuild while answering: what the page does when one tab clicks "Rebuild index" while another
   tab answers: one shared ``Assistant``; a thread answers in a loop while the main thread runs
   ``build_index(wait=False)`` + ``reload_index()`` on a changed archive, several times.

Usage: python benchmarks/chaos.py [--runs 20] [--articles 400] [--seed 7] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))  # fake_llm: the test double, for llm_backend="fake_llm:FakeLLM"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from assistant.indexer import build_index  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.store import Index, read_manifest  # noqa: E402
from assistant.types import Answer  # noqa: E402

QUESTION = "How many ships did the lighthouse keeper Ingrid Solberg count in March?"
NEEDLE = "412 ships"
TOPICS = ["harbour", "council", "railway", "school", "hospital", "bakery", "football", "weather", "library", "market"]
WORDS = ("budget committee residents agreed proposal evening weekend repairs station volunteers project "
         "director schedule figures growth winter summer northern southern village coast river bridge").split()


def write_archive(folder: Path, n: int, seed: int, extra: int = 0) -> None:
    """``n`` synthetic articles (jsonl) plus the one the question is about; ``extra`` more to make a
    rebuild write something new."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"id": "lighthouse", "title": "Lighthouse keeper logs a record month", "published": "2019-04-02",
             "source": "Coast Gazette",
             "text": "The lighthouse keeper, Ingrid Solberg, counted 412 ships passing the point in March. "
                     "She said the spring weather brought the fishing fleet out early."}]
    for i in range(n + extra):
        topic = TOPICS[i % len(TOPICS)]
        body = " ".join(
            f"The {topic} {rng.choice(WORDS)} {rng.choice(WORDS)} met {rng.choice(WORDS)} number {rng.randint(1, 999)}."
            for _ in range(rng.randint(6, 14))
        )
        rows.append({"id": f"a{i}", "title": f"{topic.title()} news {i}", "published": f"2019-{1 + i % 12:02d}-{1 + i % 28:02d}",
                     "source": rng.choice(["Coast Gazette", "Valley Times", "Town Crier"]), "text": body})
    (folder / "news.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def index_cmd(archive: Path, index: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "assistant", "index", "--archive", str(archive), "--index", str(index), *extra]


def data_dirs(index: Path) -> list[str]:
    return sorted(p.name for p in index.iterdir() if p.is_dir() and p.name.startswith("data-"))


def ask_ok(assistant: Assistant) -> tuple[bool, str]:
    answer = [x for x in assistant.stream(QUESTION) if isinstance(x, Answer)][-1]
    ok = (not answer.refused and NEEDLE in answer.answer and bool(answer.citations)
          and answer.citations[0].doc_id.endswith("#lighthouse"))
    return ok, answer.answer


def env_for(settings: Settings) -> dict:
    return dict(os.environ, ARCHIVIST_LLM_BACKEND="fake_llm:FakeLLM", ARCHIVIST_CACHE_DIR=str(settings.cache_dir),
                PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), str(ROOT / "tests"),
                                                         os.environ.get("PYTHONPATH", "")])))


# ---------------------------------------------------------------- 1. killed builds


def killed_builds(settings: Settings, runs: int, rng: random.Random) -> dict:
    archive, index = settings.archive, settings.index
    subprocess.run(index_cmd(archive, index, "--full"), env=env_for(settings), cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Calibrate: how long a full build runs once it holds the lock (after the process's imports).
    t0 = time.perf_counter()
    proc = subprocess.Popen(index_cmd(archive, index, "--full"), env=env_for(settings), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for_lock_holder(proc)
    t_lock = time.perf_counter()
    proc.wait()
    full_s = time.perf_counter() - t_lock
    print(f"  an unkilled `archivist index --full` takes {time.perf_counter() - t0:.1f} s here, {full_s:.1f} s of it "
          f"holding the lock; odd runs are killed uniformly in 0..{1.1 * full_s:.1f} s after the lock is taken, "
          f"even runs in {0.85 * full_s:.1f}..{1.05 * full_s:.1f} s (the end: writing data, commit, cleanup)")
    survived, leftovers, failures = 0, 0, []
    phases = {"before writing": 0, "while writing data": 0, "after commit": 0, "after exit": 0}
    assistant = Assistant(settings)
    for run in range(1, runs + 1):
        before = read_manifest(index)["data_dir"]
        dirs_before = set(data_dirs(index))
        delay = rng.uniform(0.0, 1.1 * full_s) if run % 2 else rng.uniform(0.85 * full_s, 1.05 * full_s)
        proc = subprocess.Popen(index_cmd(archive, index, "--full"), env=env_for(settings), cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for_lock_holder(proc)
        time.sleep(delay)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = read_manifest(index)
        new_dirs = set(data_dirs(index)) - dirs_before
        if finished:
            phase = "after exit"
        elif after["data_dir"] != before:
            phase = "after commit"
        elif new_dirs:
            phase = "while writing data"
            leftovers += len(new_dirs - {after["data_dir"]})
        else:
            phase = "before writing"
        phases[phase] += 1
        try:
            assistant.reload_index()  # a fresh load, as a new process or the page's reload would do
            ok, text = ask_ok(assistant)
        except Exception as exc:  # noqa: BLE001 - every failure is a finding
            ok, text = False, f"{type(exc).__name__}: {exc}"
        survived += ok
        if not ok:
            failures.append(f"run {run} ({phase}, killed at {delay:.2f} s): {text}")
        print(f"  run {run:2d}: killed at {delay:5.2f} s, {phase:18s} -> {'ok' if ok else 'FAILED'}")
    # The next build cleans what the killed ones left.
    subprocess.run(index_cmd(archive, index), env=env_for(settings), cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manifest = read_manifest(index)
    remaining = data_dirs(index)
    clean = set(remaining) <= {manifest["data_dir"], manifest.get("previous_data_dir")}
    return {"runs": runs, "survived": survived, "phases": phases, "orphan_folders_left_by_kills": leftovers,
            "clean_after_next_build": clean, "data_folders_after": len(remaining), "failures": failures,
            "full_build_s": round(full_s, 2)}


# ---------------------------------------------------------------- 2. concurrent builds


def concurrent_builds(settings: Settings, rounds: int = 3) -> dict:
    archive, index = settings.archive, settings.index
    out = {"rounds": rounds, "both_succeeded": 0, "one_waited": 0, "reader_loads": 0, "reader_errors": [],
           "consistent_after": 0}
    for _ in range(rounds):
        stop = threading.Event()
        errors: list[str] = []
        loads = [0]

        def reader():
            assistant = Assistant(settings)
            while not stop.is_set():
                try:
                    assistant.reload_index()
                    ok, text = ask_ok(assistant)
                    loads[0] += 1
                    if not ok:
                        errors.append(f"wrong answer: {text[:80]}")
                except Exception as exc:  # noqa: BLE001
                    errors.append(f"{type(exc).__name__}: {exc}")

        t = threading.Thread(target=reader)
        t.start()
        procs = [subprocess.Popen(index_cmd(archive, index, "--full"), env=env_for(settings), cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outs = [p.communicate() for p in procs]
        stop.set()
        t.join()
        out["both_succeeded"] += all(p.returncode == 0 for p in procs)
        out["one_waited"] += any("waiting for it to finish" in " ".join(err.split()) for _, err in outs)
        out["reader_loads"] += loads[0]
        out["reader_errors"] += errors
        manifest = read_manifest(index)
        dirs = set(data_dirs(index))
        try:
            loaded = Index.load(index, settings.embedding_model)
            ok = (manifest["data_dir"] in dirs and dirs <= {manifest["data_dir"], manifest.get("previous_data_dir")}
                  and len(loaded.chunks) == len(loaded.embeddings))
        except Exception:  # noqa: BLE001
            ok = False
        out["consistent_after"] += ok
    # A --no-wait build while another runs is refused with its exit status.
    first = subprocess.Popen(index_cmd(archive, index, "--full"), env=env_for(settings), cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lock_seen = _wait_for_lock_holder(first)
    second = subprocess.run(index_cmd(archive, index, "--no-wait"), env=env_for(settings), cwd=ROOT,
                            capture_output=True, text=True)
    first.communicate()
    out["no_wait_refused"] = (lock_seen, second.returncode, " ".join(second.stderr.split())[:120])
    return out


def _wait_for_lock_holder(proc: subprocess.Popen, limit: float = 60.0) -> bool:
    """Wait until the build process is past its imports (it holds the lock from then on)."""
    time.sleep(0.2)
    deadline = time.time() + limit
    while time.time() < deadline and proc.poll() is None:
        try:
            # /proc/<pid>/fd shows the open lock file once the build has begun.
            if any(os.readlink(f"/proc/{proc.pid}/fd/{fd}").endswith(".build.lock")
                   for fd in os.listdir(f"/proc/{proc.pid}/fd")):
                return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


# ---------------------------------------------------------------- 3. rebuild while answering


def rebuild_while_answering(settings: Settings, seed: int, n: int, rebuilds: int = 4) -> dict:
    assistant = Assistant(settings)  # shared, like st.cache_resource's Assistant for every tab
    assistant.index  # noqa: B018
    stop = threading.Event()
    answered, errors, wrong = [0], [], []

    def tab():
        while not stop.is_set():
            try:
                ok, text = ask_ok(assistant)
                answered[0] += 1
                if not ok:
                    wrong.append(text[:80])
            except Exception as exc:  # noqa: BLE001
                errors.append(f"{type(exc).__name__}: {exc}")

    t = threading.Thread(target=tab)
    t.start()
    built, times = 0, []
    for i in range(rebuilds):
        write_archive(settings.archive, n, seed, extra=10 * (i + 1))  # something new to embed each time
        t0 = time.perf_counter()
        report = build_index(settings, wait=False)
        assistant.reload_index()
        times.append(time.perf_counter() - t0)
        built += report.wrote
    stop.set()
    t.join()
    return {"rebuilds": rebuilds, "wrote": built, "answers_meanwhile": answered[0], "errors": errors,
            "wrong_answers": wrong, "rebuild_s": [round(x, 2) for x in times]}


def _part1(settings: Settings, figures: dict, args, rng: random.Random) -> None:
    print(f"1. {args.runs} builds killed with SIGKILL at random moments")
    k = figures["killed"] = killed_builds(settings, args.runs, rng)
    print(f"survived {k['survived']}/{k['runs']} (kills {k['phases']}); orphan folders left by kills: "
          f"{k['orphan_folders_left_by_kills']}, all removed by the next build: {k['clean_after_next_build']}")
    for f in k["failures"]:
        print("   ", f)


def _part2(settings: Settings, figures: dict) -> None:
    print("2. two concurrent `archivist index --full` processes + a reader asking in a loop")
    c = figures["concurrent"] = concurrent_builds(settings)
    print(f"concurrent builds: both succeeded {c['both_succeeded']}/{c['rounds']}, one waited for the lock "
          f"{c['one_waited']}/{c['rounds']}, index consistent after {c['consistent_after']}/{c['rounds']}; "
          f"reader: {c['reader_loads']} loads+answers, {len(c['reader_errors'])} errors")
    print(f"   --no-wait while a build runs: exit {c['no_wait_refused'][1]}: {c['no_wait_refused'][2]}")
    for e in c["reader_errors"][:5]:
        print("   ", e)


def _part3(settings: Settings, figures: dict, args) -> None:
    print("3. rebuild (as the page does) while another tab answers")
    w = figures["rebuild_while_answering"] = rebuild_while_answering(settings, args.seed, args.articles)
    print(f"rebuild while answering: {w['wrote']}/{w['rebuilds']} rebuilds written ({w['rebuild_s']} s), "
          f"{w['answers_meanwhile']} answers meanwhile, {len(w['errors'])} errors, {len(w['wrong_answers'])} wrong")
    for e in (w["errors"] + w["wrong_answers"])[:5]:
        print("   ", e)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--parts", default="123", help="which parts to run (default 123)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temp folder)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    root = args.keep or Path(tempfile.mkdtemp(prefix="archivist-chaos-"))
    root.mkdir(parents=True, exist_ok=True)
    settings = Settings.from_env().with_(archive=root / "archive", index=root / "index", llm_backend="fake_llm:FakeLLM",
                                         cache_dir=root / "cache")
    write_archive(settings.archive, args.articles, args.seed)
    print(f"chaos in {root}: {args.articles + 1} articles, {os.cpu_count()} cores")
    figures: dict = {}
    try:
        if "1" in args.parts:
            _part1(settings, figures, args, rng)
        else:
            build_index(settings, full=True)
        if "2" in args.parts:
            _part2(settings, figures)
        if "3" in args.parts:
            _part3(settings, figures, args)
    finally:
        out = ROOT / "benchmarks" / "results" / "chaos.json"  # merged with earlier parts' figures
        out.parent.mkdir(parents=True, exist_ok=True)
        previous = json.loads(out.read_text()) if out.exists() else {}
        out.write_text(json.dumps({**previous, **figures}, indent=1))
        print(f"figures: {out}")
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
