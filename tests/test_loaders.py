"""scan_archive and load_file on small fixture files built in tmp_path, plus the shipped sample.

Invalid UTF-8 is decoded (declared charset, then charset-normalizer detection, cp1252/latin-1 as
the last resort) rather than skipped; the encoding used is kept in ``extra["encoding"]``. Only NUL
bytes or a high share of control characters mark a file as binary.
"""
from __future__ import annotations

import builtins
import json
import os
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest

from assistant.ingest import decode, pdf, scan
from assistant.ingest import load as load_module
from assistant.ingest import (
    SUPPORTED_SUFFIXES,
    ArchiveError,
    SourceFile,
    load_file,
    normalise_text,
    scan_archive,
)
from loader_fixtures import (
    HTML_JSONLD,
    HTML_META,
    HTML_NO_ARTICLE,
    HTML_NO_DATE,
    blank_pdf_bytes,
    encrypted_pdf_bytes,
    pdf_bytes,
    write,
)

REPO = Path(__file__).resolve().parents[1]


def load(root: Path, rel: str, max_chars: int = 5_000_000):
    """Scan ``root`` and load the file ``rel``; the scan must have found it."""
    files, _ = scan_archive(root)
    by_rel = {f.rel: f for f in files}
    assert rel in by_rel, f"{rel} not found by scan: {sorted(by_rel)}"
    return load_file(by_rel[rel], max_chars=max_chars)


def one_doc(root: Path, rel: str, **kw):
    result = load(root, rel, **kw)
    assert result.skipped == []
    assert len(result.documents) == 1
    return result.documents[0]


def reasons(result) -> list[str]:
    return [s.reason for s in result.skipped]


# ---- scanning --------------------------------------------------------------------------------


def test_scan_finds_supported_files_sorted_and_hashed(tmp_path):
    write(tmp_path / "b.md", "# B\n\nbody")
    write(tmp_path / "a.txt", "alpha text")
    write(tmp_path / "sub" / "deeper" / "c.JSON", '{"text": "x"}')
    write(tmp_path / "photo.jpg", b"\xff\xd8\xff")  # unsupported: ignored, not reported
    write(tmp_path / "notes.docx", b"PK")
    write(tmp_path / ".hidden.md", "# hidden")
    write(tmp_path / ".git" / "x.md", "# in a hidden folder")
    files, skipped = scan_archive(tmp_path)
    assert [f.rel for f in files] == ["a.txt", "b.md", "sub/deeper/c.JSON"]
    assert skipped == []
    a = files[0]
    assert a.path.is_absolute() and a.path == (tmp_path / "a.txt").resolve()
    assert a.size == len("alpha text")
    import hashlib

    assert a.sha256 == hashlib.sha256(b"alpha text").hexdigest()
    assert SUPPORTED_SUFFIXES == {".txt", ".md", ".html", ".htm", ".pdf", ".json", ".jsonl"}


def test_scan_root_errors(tmp_path):
    with pytest.raises(ArchiveError, match="not found"):
        scan_archive(tmp_path / "missing")
    write(tmp_path / "file.txt", "x")
    with pytest.raises(ArchiveError, match="not a folder"):
        scan_archive(tmp_path / "file.txt")


def test_scan_unreadable_root(tmp_path, monkeypatch):
    root = tmp_path / "locked"
    root.mkdir()
    root.chmod(0)
    try:
        if os.access(root, os.R_OK):  # running as root: simulate what chmod cannot do
            real = os.scandir

            def fake(path="."):
                if Path(path) == root:
                    raise PermissionError(13, "Permission denied", str(path))
                return real(path)

            monkeypatch.setattr(scan.os, "scandir", fake)
        with pytest.raises(ArchiveError, match="permission denied"):
            scan_archive(root)
    finally:
        root.chmod(0o755)


def test_symlink_loops_and_broken_links_are_reported_without_hanging(tmp_path):
    write(tmp_path / "real" / "story.md", "# Story\n\ntext")
    (tmp_path / "real" / "loop").symlink_to(tmp_path)  # back to an ancestor
    (tmp_path / "self.md").symlink_to(tmp_path / "self.md")  # link to itself
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "alias").symlink_to(tmp_path / "real")  # same folder a second time
    (tmp_path / "again.md").symlink_to(tmp_path / "real" / "story.md")
    started = time.monotonic()
    files, skipped = scan_archive(tmp_path)
    assert time.monotonic() - started < 5
    assert [f.rel for f in files] == ["real/story.md"]
    got = {s.path: s.reason for s in skipped}
    assert got["real/loop/"] == "symlink loop"
    assert got["self.md"] == "symlink loop"
    assert got["dangling.txt"] == "broken symlink"
    assert got["alias/"] == "symlink to a folder already scanned"
    assert got["again.md"] == "same file as real/story.md"


def test_symlinks_outside_the_archive_are_skipped_with_their_reason(tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    secret = write(outside / "far.txt", "far away text")
    root = tmp_path / "root"
    write(root / "real" / "story.md", "# Story\n\ntext")
    (root / "linked").symlink_to(outside)  # a folder outside
    (root / "passwd.txt").symlink_to(secret)  # a file outside
    (root / "inside.md").symlink_to(root / "real" / "story.md")  # inside: still works (deduplicated)
    (root / "alias").symlink_to(root / "real")
    (root / "hop.txt").symlink_to(root / "passwd.txt")  # a chain that ends outside
    monkeypatch.delenv("ARCHIVIST_FOLLOW_EXTERNAL_SYMLINKS", raising=False)
    files, skipped = scan_archive(root)
    assert [f.rel for f in files] == ["real/story.md"]
    got = {s.path: s.reason for s in skipped}
    assert got["linked/"] == f"symlink to a folder outside the archive: {outside.resolve()}"
    assert got["passwd.txt"] == f"symlink to a file outside the archive: {secret.resolve()}"
    assert got["hop.txt"] == f"symlink to a file outside the archive: {secret.resolve()}"
    assert got["inside.md"] == "same file as real/story.md"
    assert got["alias/"] == "symlink to a folder already scanned"

    # The setting allows them: argument, or ARCHIVIST_FOLLOW_EXTERNAL_SYMLINKS from the environment.
    files, skipped = scan_archive(root, follow_external_symlinks=True)
    assert [f.rel for f in files] == ["hop.txt", "real/story.md"]  # links in name order: hop.txt first
    got = {s.path: s.reason for s in skipped}
    assert got["passwd.txt"] == got["linked/far.txt"] == "same file as hop.txt"
    monkeypatch.setenv("ARCHIVIST_FOLLOW_EXTERNAL_SYMLINKS", "true")
    assert [f.rel for f in scan_archive(root)[0]] == ["hop.txt", "real/story.md"]
    monkeypatch.setenv("ARCHIVIST_FOLLOW_EXTERNAL_SYMLINKS", "false")
    assert [f.rel for f in scan_archive(root)[0]] == ["real/story.md"]


def test_follow_external_symlinks_setting():
    from assistant.settings import Settings

    assert Settings().follow_external_symlinks is False
    assert Settings.from_env({"ARCHIVIST_FOLLOW_EXTERNAL_SYMLINKS": "yes"}).follow_external_symlinks is True
    assert Settings.from_env({"ARCHIVIST_FOLLOW_EXTERNAL_SYMLINKS": "0"}).follow_external_symlinks is False
    with pytest.raises(ValueError, match="expects true or false"):
        Settings.from_env({"ARCHIVIST_FOLLOW_EXTERNAL_SYMLINKS": "maybe"})


def test_unreadable_file_and_folder_are_reported(tmp_path, monkeypatch):
    secret = write(tmp_path / "secret.txt", "hidden words")
    locked = tmp_path / "locked"
    write(locked / "inside.md", "# x\n\ny")
    secret.chmod(0)
    locked.chmod(0)
    try:
        if os.access(secret, os.R_OK):  # root ignores permissions: fake the refusal
            real_open, real_scandir = builtins.open, os.scandir

            def fake_open(path, *args, **kwargs):
                if Path(path) == secret:
                    raise PermissionError(13, "Permission denied", str(path))
                return real_open(path, *args, **kwargs)

            def fake_scandir(path="."):
                if Path(path) == locked:
                    raise PermissionError(13, "Permission denied", str(path))
                return real_scandir(path)

            monkeypatch.setattr(scan, "open", fake_open, raising=False)
            monkeypatch.setattr(decode, "open", fake_open, raising=False)
            monkeypatch.setattr(scan.os, "scandir", fake_scandir)
        files, skipped = scan_archive(tmp_path)
        assert files == []
        assert {s.path: s.reason for s in skipped} == {
            "secret.txt": "permission denied",
            "locked/": "permission denied",
        }
        # A file that became unreadable after the scan is reported by load_file too.
        source = SourceFile(secret, "secret.txt", secret.stat().st_size, "0" * 64)
        result = load_file(source)
        assert result.documents == [] and reasons(result) == ["permission denied"]
    finally:
        secret.chmod(0o644)
        locked.chmod(0o755)


@pytest.mark.skipif(not hasattr(os, "fork") or os.geteuid() != 0, reason="needs root to drop privileges")
def test_permissions_for_real_as_unprivileged_user():
    """Root ignores chmod, so the tests above fake the refusals; this one checks the real thing
    in a forked child that runs as ``nobody``."""
    base = Path(tempfile.mkdtemp(prefix="archivist-perm-"))  # tmp_path is private to root
    try:
        base.chmod(0o755)
        write(base / "ok.txt", "Readable title\n\nBody text.")
        secret = write(base / "secret.txt", "hidden words")
        write(base / "locked" / "in.md", "# x\n\ny")
        (base / "closed").mkdir()
        for path in (secret, base / "locked", base / "closed"):
            path.chmod(0)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: never return into pytest
            try:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
                files, skipped = scan_archive(base)
                loaded = load_file(SourceFile(secret, "secret.txt", 12, ""))
                try:
                    scan_archive(base / "closed")
                    root_error = None
                except ArchiveError as err:
                    root_error = str(err)
                payload = {
                    "files": [f.rel for f in files],
                    "skipped": [[s.path, s.reason] for s in skipped],
                    "load": [s.reason for s in loaded.skipped],
                    "root_error": root_error,
                }
            except BaseException as err:  # report, never raise, in the child
                payload = {"error": repr(err)}
            os.write(write_end, json.dumps(payload).encode())
            os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            got = json.loads(pipe.read() or b"{}")
        os.waitpid(pid, 0)
        if "PermissionError" in got.get("error", "") or "Operation not permitted" in got.get("error", ""):
            pytest.skip(f"cannot drop privileges here: {got['error']}")
        assert "error" not in got, got
        assert got["files"] == ["ok.txt"]
        assert got["skipped"] == [
            ["closed/", "permission denied"],
            ["locked/", "permission denied"],
            ["secret.txt", "permission denied"],
        ]
        assert got["load"] == ["permission denied"]
        assert "permission denied" in got["root_error"]
    finally:
        for path in (base / "secret.txt", base / "locked", base / "closed"):
            if path.exists():
                path.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


# ---- text ------------------------------------------------------------------------------------


def test_txt_headline_and_header_block(tmp_path):
    write(
        tmp_path / "t.txt",
        "Harbour wall repaired after storm\r\n"
        "Published: 4 March 2019\r\n"
        "Source: Coast Courier\r\n"
        "URL: https://coast.example/wall\r\n"
        "Author: Ana Ruiz; Ben Holt\r\n"
        "Sample: true\r\n"
        "\r\n"
        "Workers finished the repairs on Monday.\r\n\r\n\r\n\r\n"
        "The harbour   \r\nreopens tomorrow.\r\n",
    )
    doc = one_doc(tmp_path, "t.txt")
    assert doc.id == "t.txt" and doc.path == "t.txt"
    assert doc.title == "Harbour wall repaired after storm"
    assert doc.published == "2019-03-04"
    assert doc.source == "Coast Courier"
    assert doc.url == "https://coast.example/wall"
    assert doc.authors == ["Ana Ruiz", "Ben Holt"]
    assert doc.extra == {"sample": True}
    # Header lines are metadata: they leave the text; blank-line runs and \r\n are normalised.
    assert doc.text == (
        "Harbour wall repaired after storm\n\n"
        "Workers finished the repairs on Monday.\n\n"
        "The harbour\nreopens tomorrow."
    )


def test_txt_without_headline_falls_back_to_stem(tmp_path):
    write(tmp_path / "plain-notes.txt", "This is a sentence that ends with a period.\nAnd another line.")
    doc = one_doc(tmp_path, "plain-notes.txt")
    assert doc.title == "plain-notes"
    assert doc.published is None
    assert doc.text.startswith("This is a sentence")


def test_txt_invalid_utf8_is_decoded_with_fallback(tmp_path):
    write(tmp_path / "latin.txt", "Caf\xe9 reopens\n\nThe caf\xe9 on the square reopened.".encode("cp1252"))
    doc = one_doc(tmp_path, "latin.txt")
    assert doc.title == "Café reopens"
    assert "café on the square" in doc.text
    assert doc.extra["encoding"] == "cp1252"


KOREAN = (
    "서울시는 오늘 한강 다리의 보수 공사를 다음 달부터 시작한다고 밝혔습니다. 공사는 약 여섯 달 동안 "
    "진행되며, 출퇴근 시간에는 차선 하나만 막을 예정입니다. 시민들은 대중교통을 이용해 달라는 "
    "당부를 받았습니다. 시 관계자는 안전 점검 결과 교량의 일부 구간에서 균열이 발견되었다고 설명했습니다. "
    "상인들은 공사 기간 동안 손님이 줄어들까 걱정하고 있습니다."
)
JAPANESE = (
    "東京都は本日、川にかかる古い橋の補修工事を来月から始めると発表しました。工事はおよそ半年続き、"
    "通勤時間帯には車線を一つだけ閉鎖する予定です。市民には公共交通機関の利用が呼びかけられています。"
    "担当者によると、安全点検の結果、橋の一部にひび割れが見つかったということです。"
    "近くの商店街では、工事の間に客が減るのではないかと心配する声が上がっています。"
)


@pytest.mark.parametrize("text, encoding, expected", [
    (KOREAN, "euc-kr", {"euc_kr", "cp949"}),  # cp949 / cp932: Microsoft's supersets, same bytes here
    (JAPANESE, "shift_jis", {"shift_jis", "cp932"}),
])
def test_legacy_asian_encodings_are_detected(tmp_path, text, encoding, expected):
    write(tmp_path / "a.txt", ("Bridge repairs\n\n" + text + "\n\n" + text).encode(encoding))
    doc = one_doc(tmp_path, "a.txt")
    assert text in doc.text
    assert doc.extra["encoding"] in expected
    # jsonl lines are decoded one by one, by the same detection
    record = json.dumps({"title": "t", "text": text + " " + text}, ensure_ascii=False)
    write(tmp_path / "f.jsonl", (record + "\n").encode(encoding))
    assert one_doc(tmp_path, "f.jsonl").text == text + " " + text


def test_html_meta_charset_is_honoured(tmp_path):
    body = "<p>" + KOREAN + "</p><p>" + KOREAN + "</p>"
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr">'
            "<title>Bridge</title></head><body><article><h1>Bridge</h1>" + body + "</article></body></html>")
    write(tmp_path / "k.html", page.encode("euc-kr"))
    doc = one_doc(tmp_path, "k.html")
    assert KOREAN in doc.text and doc.extra["encoding"] in ("euc_kr", "cp949")
    # A declared latin-1 page is read as cp1252, as browsers do (curly quotes survive).
    latin = ('<html><head><meta charset="iso-8859-1"><title>Caf\xe9</title></head><body><article><h1>Caf\xe9</h1>'
             "<p>The caf\xe9 on the square reopened on Monday, \u201cfinally\u201d, said the owner after the repairs.</p>"
             "</article></body></html>")
    write(tmp_path / "l.html", latin.encode("cp1252"))
    doc = one_doc(tmp_path, "l.html")
    assert "\u201cfinally\u201d" in doc.text and doc.extra["encoding"] == "cp1252"


def test_txt_utf8_bom_and_utf16(tmp_path):
    write(tmp_path / "bom.txt", "\ufeffHello there\n\nBody text.".encode("utf-8"))
    write(tmp_path / "wide.txt", "Wide title\n\nBody in utf-16.".encode("utf-16"))
    assert one_doc(tmp_path, "bom.txt").title == "Hello there"
    assert one_doc(tmp_path, "wide.txt").text == "Wide title\n\nBody in utf-16."


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",  # NUL bytes
        bytes(range(1, 32)) * 20 + b"some text",  # mostly control characters
    ],
)
def test_binary_junk_named_txt_is_skipped(tmp_path, content):
    write(tmp_path / "junk.txt", content)
    result = load(tmp_path, "junk.txt")
    assert result.documents == []
    assert reasons(result) == ["binary or undecodable"]


@pytest.mark.parametrize("name", ["e.txt", "e.md", "e.html", "e.json", "e.jsonl", "e.pdf"])
def test_empty_file(tmp_path, name):
    write(tmp_path / name, b"")
    result = load(tmp_path, name)
    assert result.documents == []
    assert [(s.path, s.reason) for s in result.skipped] == [(name, "empty file")]


@pytest.mark.parametrize("name", ["e.txt", "e.md", "e.html", "e.json", "e.jsonl"])
def test_whitespace_only_file(tmp_path, name):
    write(tmp_path / name, b"  \n\n\t \r\n")
    result = load(tmp_path, name)
    assert result.documents == []
    assert [(s.path, s.reason) for s in result.skipped] == [(name, "empty file")]


def test_size_limit(tmp_path):
    write(tmp_path / "big.txt", "word " * 100)
    result = load(tmp_path, "big.txt", max_chars=50)
    assert result.documents == []
    assert reasons(result) == ["text exceeds 50 characters (size limit)"]
    # Refused by byte size alone, without reading: prove it by making reads fail loudly.
    files, _ = scan_archive(tmp_path)
    source = files[0]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(decode, "read_bytes", lambda path: pytest.fail("file was read"))
        result = load_file(source, max_chars=100)  # 500 bytes > 4 * 100
    assert reasons(result) == ["text exceeds 100 characters (size limit)"]
    assert load_file(source, max_chars=1000).documents  # under the limit it loads


def test_normalise_text():
    assert normalise_text("  a\r\nb\rc\n\n\n\n\nd \t\n\x00e\x0cf  ") == "a\nb\nc\n\nd\ne\n\nf"
    assert normalise_text("Cafe\u0301") == "Café"  # NFC


# ---- markdown --------------------------------------------------------------------------------


def test_markdown_front_matter(tmp_path):
    write(
        tmp_path / "2019" / "m.md",
        "---\n"
        "title: Ferry back in service\n"
        "date: 2019-03-04\n"
        "outlet: Coast Courier\n"
        "url: https://coast.example/ferry\n"
        "authors: [Ana Ruiz, Ben Holt]\n"
        "sample: true\n"
        "tags: [transport]\n"
        "---\n"
        "\n# A different heading\n\nThe ferry sailed again on Monday.\n",
    )
    doc = one_doc(tmp_path, "2019/m.md")
    assert doc.id == "2019/m.md" and doc.path == "2019/m.md"
    assert doc.title == "Ferry back in service"
    assert doc.published == "2019-03-04"
    assert doc.source == "Coast Courier"
    assert doc.url == "https://coast.example/ferry"
    assert doc.authors == ["Ana Ruiz", "Ben Holt"]
    assert doc.extra == {"sample": True, "tags": ["transport"]}
    assert doc.text == "# A different heading\n\nThe ferry sailed again on Monday."
    json.dumps(doc.meta())  # metadata stays JSON-ready (yaml dates included)


def test_markdown_heading_title_and_bad_front_matter(tmp_path):
    write(tmp_path / "h.md", "Intro line.\n\n# Real heading\n\nBody.")
    assert one_doc(tmp_path, "h.md").title == "Real heading"
    write(tmp_path / "bad.md", "---\ntitle: [unclosed\n---\n\nBody words here.")
    doc = one_doc(tmp_path, "bad.md")
    assert doc.title == "bad"  # broken yaml is kept as text, not silently dropped
    assert doc.text.startswith("---\ntitle: [unclosed")
    write(tmp_path / "only.md", "---\ntitle: Nothing else\n---\n\n")
    assert reasons(load(tmp_path, "only.md")) == ["empty file"]


# ---- html ------------------------------------------------------------------------------------


def test_html_meta_tags(tmp_path):
    write(tmp_path / "p.html", HTML_META)
    doc = one_doc(tmp_path, "p.html")
    assert doc.title == "Ferry service resumes"
    assert doc.published == "2019-03-04"
    assert doc.source == "Coast Courier"
    assert doc.url == "https://coast-courier.example/2019/ferry"
    assert doc.authors == ["Ana Ruiz"]
    assert "resumed on Monday after a week of storms" in doc.text
    assert "every seat taken" in doc.text
    for boilerplate in ("Subscribe today", "cheap flights", "Copyright", "Home"):
        assert boilerplate not in doc.text
    assert "\n\n" in doc.text  # paragraphs stay separate


def test_html_json_ld(tmp_path):
    write(tmp_path / "ld.htm", HTML_JSONLD)
    doc = one_doc(tmp_path, "ld.htm")
    assert doc.title == "Bridge repairs finished early"
    assert doc.published == "2020-06-30"  # datePublished, not dateModified
    assert doc.source == "Valley Times"
    assert doc.authors == ["Tom Berg", "Lia Sand"]


def test_html_without_date_is_undated_not_today(tmp_path):
    page = write(tmp_path / "nodate.html", HTML_NO_DATE)
    os.utime(page, (1_300_000_000, 1_300_000_000))  # an mtime that must not leak in either
    doc = one_doc(tmp_path, "nodate.html")
    assert doc.published is None  # not today, not the mtime, not the copyright year
    assert doc.title == "Library extends opening hours"


def test_html_dateline(tmp_path):
    write(
        tmp_path / "dl.html",
        "<html><head><title>Harbour</title></head><body><article><h1>Harbour</h1>"
        "<p>PORTSMOUTH, Nov. 14, 2017 - The harbour reopened to fishing boats after repairs to "
        "the sea wall were completed, officials said.</p></article></body></html>",
    )
    assert one_doc(tmp_path, "dl.html").published == "2017-11-14"


def test_html_without_article_text(tmp_path):
    write(tmp_path / "menu.html", HTML_NO_ARTICLE)
    result = load(tmp_path, "menu.html")
    assert result.documents == [] and reasons(result) == ["no article text found"]


# ---- pdf -------------------------------------------------------------------------------------


def test_pdf_pages_and_metadata(tmp_path):
    data = pdf_bytes(
        [["Bridge reopens", "Engineers finished early."], [], ["Page three words."]],
        {"/Title": "Bridge report", "/CreationDate": "D:20200630180000+02'00'", "/Author": "Tom Berg",
         "/Subject": "Archivist sample article"},
    )
    write(tmp_path / "r.pdf", data)
    doc = one_doc(tmp_path, "r.pdf")
    assert doc.title == "Bridge report"
    assert doc.published == "2020-06-30"
    assert doc.authors == ["Tom Berg"]
    assert doc.extra.get("sample") is True
    assert doc.text == "Bridge reopens\nEngineers finished early.\n\nPage three words."
    # Page 2 is blank: it has no range, and offsets land on the right page.
    assert doc.pages == [(1, 0, 40), (3, 42, 59)]
    for number, start, end in doc.pages:
        assert doc.text[start:end] in ("Bridge reopens\nEngineers finished early.", "Page three words.")
    assert doc.page_at(doc.text.index("Engineers")) == 1
    assert doc.page_at(doc.text.index("three")) == 3


def test_pdf_paragraph_lines_are_joined(tmp_path):
    """A pdf's text layer breaks every laid-out line; sentences must read (and be quoted) whole.
    Short lines (a headline, a dateline, a paragraph's end) keep their break."""
    lines = ["Harbour bridge reopens after", "repairs", "City Desk, 2 July 2020",
             "Engineers finished the repairs of the old harbour",
             "bridge two weeks early, the council said on",
             "Thursday, and traffic was flowing again by noon.",
             "Cyclists must wait until the new lane is painted.",
             "- Buses return on Monday.", "The toll stays suspend-", "ed until August."]
    write(tmp_path / "b.pdf", pdf_bytes([lines]))
    doc = one_doc(tmp_path, "b.pdf")
    assert doc.text == (
        "Harbour bridge reopens after repairs\nCity Desk, 2 July 2020\n"
        "Engineers finished the repairs of the old harbour bridge two weeks early, the council said on "
        "Thursday, and traffic was flowing again by noon. Cyclists must wait until the new lane is painted.\n"
        "- Buses return on Monday.\nThe toll stays suspended until August.")
    assert doc.title == "Harbour bridge reopens after repairs"
    assert doc.published == "2020-07-02"  # the dateline is found on its own line


def test_pdf_unwrap_keeps_short_pages_and_paragraphs():
    assert pdf.unwrap_lines("One line\nTwo line") == "One line\nTwo line"  # under four lines: as laid out
    text = "A long line of running text that fills the page\nwidth as laid out.\n\nNext paragraph starts here and\nends."
    assert pdf.unwrap_lines(text) == "A long line of running text that fills the page width as laid out.\n\nNext paragraph starts here and ends."


def test_pdf_over_byte_bound_is_refused_unread(tmp_path, monkeypatch):
    write(tmp_path / "big.pdf", pdf_bytes([["Some text."]]))
    monkeypatch.setattr(pdf, "open", lambda *a, **k: pytest.fail("pdf was opened"), raising=False)
    source = SourceFile(tmp_path / "big.pdf", "big.pdf", (tmp_path / "big.pdf").stat().st_size, "0" * 64)
    assert reasons(load_file(source, max_chars=10)) == ["file exceeds 200 bytes (size limit)"]


def test_pdf_title_falls_back_to_first_line(tmp_path):
    write(tmp_path / "n.pdf", pdf_bytes([["Untitled first line", "more"]]))
    doc = one_doc(tmp_path, "n.pdf")
    assert doc.title == "Untitled first line"


@pytest.mark.parametrize("cut", ["half", "tail", "garbage"])
def test_corrupt_pdf(tmp_path, cut):
    good = pdf_bytes([["Some text on a page."]])
    data = {"half": good[: len(good) // 2], "tail": good[:-150], "garbage": b"%PDF-1.4\nnot a pdf\n"}[cut]
    write(tmp_path / "c.pdf", data)
    result = load(tmp_path, "c.pdf")
    assert result.documents == []
    assert len(result.skipped) == 1 and result.skipped[0].reason.startswith("unreadable pdf: ")


def test_encrypted_pdf(tmp_path):
    write(tmp_path / "locked.pdf", encrypted_pdf_bytes("secret"))
    write(tmp_path / "open.pdf", encrypted_pdf_bytes(""))  # owner password only: readable
    result = load(tmp_path, "locked.pdf")
    assert result.documents == [] and reasons(result) == ["encrypted pdf"]
    assert one_doc(tmp_path, "open.pdf").text == "Secret page text here."


def test_pdf_without_text_layer(tmp_path):
    write(tmp_path / "scan.pdf", blank_pdf_bytes())
    result = load(tmp_path, "scan.pdf")
    assert result.documents == [] and reasons(result) == ["pdf has no text layer (scanned?)"]


def test_pdf_text_over_limit(tmp_path):
    data = pdf_bytes([["x" * 60], ["y" * 60]])
    assert len(data) <= 20 * 100  # under the byte bound: the text check must catch it
    write(tmp_path / "long.pdf", data)
    assert reasons(load(tmp_path, "long.pdf", max_chars=100)) == ["text exceeds 100 characters (size limit)"]


# ---- json / jsonl ----------------------------------------------------------------------------


def test_jsonl_records_bad_lines_and_ids(tmp_path):
    lines = [
        json.dumps({"id": "a1", "title": "First", "text": "First body.", "published_at": "2017-12-21T10:00:00Z",
                    "outlet": "Sample Wire", "authors": ["A One", "B Two"], "url": "https://w.example/1",
                    "sample": True}),
        json.dumps({"headline": "Second", "body": "Second body.", "date": "Dec 22, 2017", "site": "Site B",
                    "author": "C Three"}),
        "",
        "{not valid json",
        json.dumps({"id": 7, "title": "No text here", "text": "   "}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "a1", "text": "Duplicate id."}),
        json.dumps({"content": ["Para one.", "Para two."], "publish_date": "garbage"}),
    ]
    write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    result = load(tmp_path, "feed.jsonl")
    docs = {d.id: d for d in result.documents}
    assert list(docs) == ["feed.jsonl#a1", "feed.jsonl#L2", "feed.jsonl#L8"]
    first = docs["feed.jsonl#a1"]
    assert (first.title, first.published, first.source, first.authors, first.url) == (
        "First", "2017-12-21", "Sample Wire", ["A One", "B Two"], "https://w.example/1")
    assert first.extra == {"sample": True}
    assert first.path == "feed.jsonl"
    second = docs["feed.jsonl#L2"]
    assert (second.title, second.text, second.published, second.source, second.authors) == (
        "Second", "Second body.", "2017-12-22", "Site B", ["C Three"])
    third = docs["feed.jsonl#L8"]
    assert third.text == "Para one.\n\nPara two." and third.published is None
    assert third.title == "feed"
    assert third.extra == {"date_unparsed": "garbage"}
    skipped = [(s.path, s.reason) for s in result.skipped]
    assert skipped[0][0] == "feed.jsonl:L4" and skipped[0][1].startswith("line 4: invalid JSON")
    assert skipped[1:] == [
        ("feed.jsonl#7", "line 5: no text"),
        ("feed.jsonl:L6", "line 6: not a JSON object"),
        ("feed.jsonl#a1", "line 7: duplicate id 'feed.jsonl#a1'"),
    ]


def test_jsonl_size_limit_is_per_record(tmp_path):
    lines = [
        json.dumps({"text": "short one"}),
        json.dumps({"text": "z" * 500}),  # line over 4 * max_chars bytes: never read whole
        json.dumps({"id": "mid", "text": "y" * 150}),  # fits the line bound, text too long
        json.dumps({"text": "short two"}),
    ]
    write(tmp_path / "f.jsonl", "\n".join(lines))
    assert (tmp_path / "f.jsonl").stat().st_size > 4 * 100  # the file as a whole is over
    result = load(tmp_path, "f.jsonl", max_chars=100)
    assert [d.text for d in result.documents] == ["short one", "short two"]
    assert [d.id for d in result.documents] == ["f.jsonl#L1", "f.jsonl#L4"]
    assert [(s.path, s.reason) for s in result.skipped] == [
        ("f.jsonl:L2", "line 2: text exceeds 100 characters (size limit)"),
        ("f.jsonl#mid", "line 3: text exceeds 100 characters (size limit)"),
    ]


def test_json_list_single_object_and_invalid(tmp_path):
    write(tmp_path / "list.json", json.dumps([
        {"title": "Zero", "article": "Zero body.", "published": "2019-01-02"},
        {"id": "x9", "title": "One", "text": "One body."},
        {"title": "Two"},
    ]))
    result = load(tmp_path, "list.json")
    assert [d.id for d in result.documents] == ["list.json#0", "list.json#x9"]
    assert result.documents[0].published == "2019-01-02"
    assert [(s.path, s.reason) for s in result.skipped] == [("list.json#2", "no text")]

    write(tmp_path / "one.json", json.dumps({"title": "Solo", "text": "Solo body.", "source": {"name": "Pub"}}))
    doc = one_doc(tmp_path, "one.json")
    assert (doc.id, doc.title, doc.source) == ("one.json", "Solo", "Pub")

    write(tmp_path / "wrapped.json", json.dumps({"articles": [{"text": "Inside."}]}))
    assert one_doc(tmp_path, "wrapped.json").id == "wrapped.json#0"

    write(tmp_path / "broken.json", '{"title": "x", ')
    result = load(tmp_path, "broken.json")
    assert result.documents == [] and reasons(result)[0].startswith("invalid JSON")


def test_load_file_never_raises_on_parser_bugs(tmp_path, monkeypatch):
    write(tmp_path / "a.md", "# t\n\nbody")
    monkeypatch.setitem(load_module.LOADERS, ".md", lambda *a: 1 / 0)
    result = load(tmp_path, "a.md")
    assert result.documents == [] and reasons(result)[0].startswith("could not load: ZeroDivisionError")


# ---- shipped sample archive ------------------------------------------------------------------


def test_sample_archive_loads():
    files, skipped = scan_archive(REPO / "archive")
    assert skipped == []
    suffixes = sorted(Path(f.rel).suffix for f in files)
    assert suffixes == [".html", ".jsonl", ".md", ".pdf", ".txt"]
    docs = []
    for source in files:
        result = load_file(source)
        assert result.skipped == [], result.skipped
        docs += result.documents
    assert len(docs) == 5
    for doc in docs:
        assert doc.extra.get("sample") is True, doc.id
        assert doc.published and "2017-11-13" <= doc.published <= "2017-12-22", doc.id
        assert date.fromisoformat(doc.published)
        assert doc.title and doc.source and len(doc.text.split()) > 120
    assert any("about 20 warning shots" in d.text for d in docs)
    assert any("shoulder and the elbow" in d.text and "JoongAng" in d.text for d in docs)
    pdf = next(d for d in docs if d.path.endswith(".pdf"))
    assert len(pdf.pages) == 2
    assert pdf.page_at(pdf.text.index("Only weeks earlier")) == 1
    assert pdf.page_at(pdf.text.index("tighter surveillance")) == 2
