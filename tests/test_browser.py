"""End to end: the real chat page (`streamlit run app.py`) in a real headless Chromium.

Asks a question over a tiny index (fake LLM: no model needed), checks the streamed answer carries a
``[n]`` citation, expands the source and finds the highlighted ``<mark>``, opens the full article
(an iframe whose script scrolls the span into view), and checks that an article holding
``<script>alert(1)</script>`` and ``<img src=x onerror=alert(2)>`` renders as text with no script
run (no dialog, no console message from it). Screenshots go to ``tmp_path``.

Uses Debian's ``/usr/bin/chromium`` through Playwright; skipped when either is missing.
"""
from __future__ import annotations

import json
import re
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

FILLER = "Residents walked their dogs along the quiet river path in the evening light. " * 3
ARTICLES = [
    dict(title="Harbor Bridge reopens after repairs", published="2024-03-10", source="Coast Gazette",
         url="https://gazette.example/bridge",
         text="The Harbor Bridge reopened on Monday after eight months of repairs. The city engineer, "
              "Maria Okafor, said the steel cables were replaced. Traffic is expected to return to normal by April."),
    dict(title="Central Library opens children's wing", published="2023-06-01", source="Valley Times",
         text="The Central Library opened a new children's wing on Saturday. The wing was funded by the "
              "Rosen Bakery and holds twelve thousand picture books."),
    # Hostile: markup in the title and the text, a javascript: url, and enough filler before the
    # cited sentence that the full-article view has to scroll to show it.
    dict(title="<script>alert(1)</script> Council notes", source="Town <b>Crier</b>", url="javascript:alert(3)",
         text=(FILLER + "\n") * 8
              + "Note <script>alert(1)</script> and <img src=x onerror=alert(2)> here. The council approved "
                "new parking fees for the market square on Tuesday.\n" + (FILLER + "\n") * 8),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"streamlit exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"streamlit did not start in {timeout}s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def app_url(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium) - browser test needs it")
    pytest.importorskip("playwright.sync_api", reason="python package playwright not installed")
    from assistant.indexer import build_index
    from assistant.settings import Settings

    archive, index = tmp_path / "archive", tmp_path / "index"
    archive.mkdir()
    (archive / "articles.jsonl").write_text("".join(json.dumps(a) + "\n" for a in ARTICLES))
    build_index(Settings(archive=archive, index=index))

    port = _free_port()
    env = dict(os.environ, ARCHIVIST_ARCHIVE=str(archive), ARCHIVIST_INDEX=str(index),
               ARCHIVIST_LLM_BACKEND="fake_llm:FakeLLM", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), str(REPO / "tests"),
                                                        os.environ.get("PYTHONPATH", "")])))
    log = tmp_path / "streamlit.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _ask(page, question: str, n_answers: int) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")
    # Each answer ends with its "Sources" heading once the final Answer has been rendered.
    page.locator(".archivist-answer").nth(n_answers - 1).wait_for(timeout=60_000)


def test_chat_page_in_real_browser(app_url, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    dialogs: list[str] = []
    console: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1100})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("console", lambda m: console.append(m.text))
            page.goto(app_url, wait_until="domcontentloaded")
            page.get_by_test_id("stChatInputTextArea").wait_for(timeout=60_000)
            expect(page.get_by_test_id("stSidebar")).to_contain_text("Articles: 3")

            # 1. Streamed answer with a citation, source expanded, span highlighted.
            _ask(page, "Who replaced the steel cables on the Harbor Bridge?", 1)
            answer = page.locator(".archivist-answer").first
            expect(answer).to_contain_text("Maria Okafor")
            expect(answer.locator("sup.archivist-cite")).to_have_text(re.compile(r"\[\d\]"))
            source = page.get_by_test_id("stExpander").first
            expect(source).to_contain_text("Harbor Bridge reopens after repairs")
            expect(source).to_contain_text("Coast Gazette · 2024-03-10")
            source.locator("summary").click()
            mark = source.locator(".archivist-passage mark")
            expect(mark).to_have_text("The city engineer, Maria Okafor, said the steel cables were replaced.")
            page.wait_for_timeout(600)  # let the expander animation finish before the screenshot
            page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)

            # 2. The hostile article: cited, shown as text, nothing runs.
            _ask(page, "What new parking fees did the town council approve on Tuesday?", 2)
            expect(page.locator(".archivist-answer").nth(1)).to_contain_text("parking fees")
            hostile = page.get_by_test_id("stExpander").filter(has_text="Council notes").first
            expect(hostile).to_contain_text("<script>alert(1)</script> Council notes")
            expect(hostile).to_contain_text("Town <b>Crier</b> · date unknown")
            hostile.locator("summary").click()
            passage = hostile.locator(".archivist-passage")
            expect(passage).to_contain_text("<img src=x onerror=alert(2)>")
            expect(passage.locator("mark")).to_contain_text("parking fees")
            # No link button for the javascript: url.
            expect(hostile.get_by_test_id("stLinkButton")).to_have_count(0)

            # 3. Full article: an iframe with our one script, scrolled to the marked span.
            hostile.get_by_text("Read full article").click()
            frame_el = hostile.locator("iframe")
            frame_el.wait_for(timeout=30_000)
            frame = frame_el.content_frame
            frame_mark = frame.locator("mark#cited-span")
            expect(frame_mark).to_contain_text("parking fees")
            expect(frame.locator(".text")).to_contain_text("<script>alert(1)</script>")
            page.wait_for_timeout(500)
            scroll = frame.locator("body").evaluate("() => document.scrollingElement.scrollTop")
            assert scroll > 100, "the full-article view was not scrolled to the cited span"
            in_view = frame_mark.evaluate(
                "m => { const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")
            assert in_view
            assert frame.locator("img, script:not(:last-of-type)").count() == 0
            hostile.scroll_into_view_if_needed()
            page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)

            # Nothing from the articles became an element or ran, anywhere on the page.
            assert page.locator("img[src='x']").count() == 0
            assert page.locator("script:text('alert')").count() == 0
            page.wait_for_timeout(500)
        finally:
            browser.close()
    assert dialogs == [], f"a script from an article ran: {dialogs}"
    assert not [m for m in console if "alert" in m or "onerror" in m], console
    if os.environ.get("ARCHIVIST_SCREENSHOTS"):
        # Handy for looking at the page by hand: ARCHIVIST_SCREENSHOTS=/some/dir pytest tests/test_browser.py
        for png in tmp_path.glob("*.png"):
            shutil.copy(png, Path(os.environ["ARCHIVIST_SCREENSHOTS"]) / png.name)
