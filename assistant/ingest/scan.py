"""Find the article files in an archive folder: ``scan_archive(root)``.

Behaviour and limits:

* Recursive; entries come back sorted by their archive-relative path (``rel``), each with its
  size and the sha256 of its bytes (the indexer's change detection).
* Hidden files and folders (name starting with ``.``) and unsupported suffixes are ignored
  without a report; every other problem is a ``SkippedFile`` with a reason. ``scan_archive``
  raises ``ArchiveError`` only when the root itself is unusable (missing, not a folder,
  unreadable).
* Symlinks are followed only after the real files and folders, so a link to something already
  scanned is reported ("same file as ...", "symlink to a folder already scanned") instead of
  indexed twice; links back into their own ancestors are "symlink loop", dangling ones "broken
  symlink".
* A symlink that resolves outside the archive folder is skipped ("symlink to a file outside the
  archive: /etc/passwd") unless ``follow_external_symlinks`` (setting
  ``ARCHIVIST_FOLLOW_EXTERNAL_SYMLINKS``) allows it: otherwise a link dropped into ``archive/``
  would put any readable file of the machine on the page. Links inside the archive work as before.
  The check resolves the whole chain (``os.path.realpath``) at scan time; a link swapped between
  scan and load is not re-checked.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..types import SkippedFile

SUPPORTED_SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf", ".json", ".jsonl"}

_HASH_CHUNK = 1 << 20


class ArchiveError(Exception):
    """The archive root cannot be used (missing, not a folder, unreadable)."""


@dataclass
class SourceFile:
    path: Path  # absolute path
    rel: str  # archive-relative posix path, e.g. "2017/korea.md"
    size: int
    sha256: str  # content hash of the file bytes


def scan_archive(root: Path, follow_external_symlinks: bool | None = None) -> tuple[list[SourceFile], list[SkippedFile]]:
    """All supported files under ``root``, sorted by ``rel``, and the entries that could not be
    used. Raises ``ArchiveError`` when ``root`` is missing, not a folder or unreadable.
    ``follow_external_symlinks=None`` reads the setting (``ARCHIVIST_FOLLOW_EXTERNAL_SYMLINKS``)."""
    if follow_external_symlinks is None:
        follow_external_symlinks = _setting_follow_external()
    root = Path(root)
    try:
        root_stat = root.stat()
    except FileNotFoundError:
        raise ArchiveError(f"archive folder not found: {root}") from None
    except PermissionError:
        raise ArchiveError(f"archive folder not readable (permission denied): {root}") from None
    except OSError as err:
        raise ArchiveError(f"archive folder not usable: {root}: {err.strerror or err}") from None
    if not stat.S_ISDIR(root_stat.st_mode):
        raise ArchiveError(f"archive path is not a folder: {root}")
    try:
        with os.scandir(root):
            pass
    except PermissionError:
        raise ArchiveError(f"archive folder not readable (permission denied): {root}") from None
    except OSError as err:
        raise ArchiveError(f"archive folder not readable: {root}: {err.strerror or err}") from None

    scanner = _Scanner(Path(os.path.abspath(root)), follow_external_symlinks)
    scanner.run((root_stat.st_dev, root_stat.st_ino))
    files = sorted(scanner.files, key=lambda f: f.rel)
    skipped = sorted(scanner.skipped, key=lambda s: s.path)
    return files, skipped


def _setting_follow_external() -> bool:
    from ..settings import parse_bool

    raw = os.environ.get("ARCHIVIST_FOLLOW_EXTERNAL_SYMLINKS")
    return parse_bool(raw, "ARCHIVIST_FOLLOW_EXTERNAL_SYMLINKS") if raw else False


class _Scanner:
    def __init__(self, root: Path, follow_external: bool = False) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.follow_external = follow_external
        self.files: list[SourceFile] = []
        self.skipped: list[SkippedFile] = []
        self._seen_dirs: set[tuple[int, int]] = set()
        self._seen_files: dict[tuple[int, int], str] = {}
        # Symlinks wait until every real entry is scanned, so that real paths win over links.
        self._links: list[tuple[str, str, frozenset[tuple[int, int]]]] = []

    def run(self, root_key: tuple[int, int]) -> None:
        self._seen_dirs.add(root_key)
        self._walk(str(self.root), "", frozenset({root_key}))
        while self._links:
            self._links.sort(key=lambda item: item[1])
            path, rel, ancestors = self._links.pop(0)
            self._entry(path, rel, ancestors, via_link=True)

    def _walk(self, path: str, rel_prefix: str, ancestors: frozenset[tuple[int, int]]) -> None:
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except PermissionError:
            self._skip(rel_prefix or ".", "permission denied")
            return
        except OSError as err:
            self._skip(rel_prefix or ".", f"unreadable folder: {err.strerror or err}")
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = rel_prefix + entry.name
            if entry.is_symlink():
                self._links.append((entry.path, rel, ancestors))
            else:
                self._entry(entry.path, rel, ancestors, via_link=False)

    def _outside(self, path: str) -> str | None:
        """The resolved target when ``path`` leads outside the archive folder, else None."""
        try:
            target = os.path.realpath(path)
        except (OSError, ValueError):
            return None
        try:
            inside = os.path.commonpath([self.real_root, target]) == self.real_root
        except ValueError:  # different drives
            inside = False
        return None if inside else target

    def _entry(self, path: str, rel: str, ancestors: frozenset[tuple[int, int]], via_link: bool) -> None:
        suffix = os.path.splitext(rel)[1].lower()
        wanted = suffix in SUPPORTED_SUFFIXES
        try:
            st = os.stat(path)  # follows symlinks
        except FileNotFoundError:
            if via_link and (wanted or not suffix):
                self._skip(rel, "broken symlink")
            return
        except PermissionError:
            self._skip(rel, "permission denied")
            return
        except OSError as err:
            if err.errno == errno.ELOOP:
                self._skip(rel, "symlink loop")
            elif wanted:
                self._skip(rel, f"unreadable: {err.strerror or err}")
            return

        is_dir = stat.S_ISDIR(st.st_mode)
        if via_link and not self.follow_external and (is_dir or wanted):
            target = self._outside(path)
            if target is not None:
                kind = "folder" if is_dir else "file"
                self._skip(rel + ("/" if is_dir else ""), f"symlink to a {kind} outside the archive: {target}")
                return

        key = (st.st_dev, st.st_ino)
        if is_dir:
            if key in ancestors:
                self._skip(rel + "/", "symlink loop")
            elif key in self._seen_dirs:
                self._skip(rel + "/", "symlink to a folder already scanned")
            else:
                self._seen_dirs.add(key)
                self._walk(path, rel + "/", ancestors | {key})
            return
        if not wanted:
            return
        if not stat.S_ISREG(st.st_mode):
            self._skip(rel, "not a regular file")
            return
        if key in self._seen_files:
            self._skip(rel, f"same file as {self._seen_files[key]}")
            return
        try:
            digest = _sha256(path)
        except PermissionError:
            self._skip(rel, "permission denied")
            return
        except OSError as err:
            self._skip(rel, f"unreadable: {err.strerror or err}")
            return
        self._seen_files[key] = rel
        self.files.append(SourceFile(Path(os.path.abspath(path)), rel, st.st_size, digest))

    def _skip(self, rel: str, reason: str) -> None:
        self.skipped.append(SkippedFile(rel, reason))


def _sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()
