"""Shared fixtures: one real embedder per test session, and a small fixture archive on disk.

This folder is on ``sys.path`` under pytest (rootdir conftest), so ``llm_backend="fake_llm:FakeLLM"``
loads the test double ``tests/fake_llm.py``; processes a test starts need ``PYTHONPATH`` to
include this folder."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ARTICLES = [
    {
        "id": "fog", "title": "Soldier defects across DMZ under cover of fog", "published": "2017-12-21",
        "source": "Harbour Times", "url": "https://example.org/fog",
        "text": "A North Korean soldier crossed the demilitarised zone into South Korea on Thursday under cover of thick fog. "
                "South Korean troops later fired about 20 warning shots at North Korean guards who approached the border line, "
                "apparently searching for the missing man. It was the fourth defection by a North Korean soldier this year.",
    },
    {
        "id": "jsa", "title": "Wounded defector flown to hospital after JSA dash", "published": "2017-11-13",
        "source": "Capital Daily", "url": "https://example.org/jsa",
        "text": "A North Korean soldier ran across the Joint Security Area under gunfire from his own side. "
                "He was found wounded, shot in the shoulder and elbow, and was taken by helicopter to a hospital in Suwon.",
    },
    {
        "id": "economy", "title": "Analysts link defections to economic strain", "published": "2017-12-28",
        "source": "Capital Daily", "url": "https://example.org/economy",
        "text": "Analysts said the rising number of defections reflects North Korea's economic situation. "
                "They also pointed to tighter surveillance along the border with China, which pushes people to risk the DMZ.",
    },
    {
        "id": "bakery", "title": "Village bakery wins regional bread prize", "published": "2018-03-02",
        "source": "Valley Gazette", "url": None,
        "text": "A small bakery in the valley won the regional prize for its sourdough loaf. "
                "The baker, Anna Berg, said the starter culture is forty years old and came from her grandmother.",
    },
]


def write_archive(folder: Path, articles=ARTICLES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "news.jsonl", "w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps(a) + "\n")
    return folder


@pytest.fixture(scope="session")
def embedder():
    from assistant.embedder import Embedder

    return Embedder("bundled")


@pytest.fixture
def archive_dir(tmp_path) -> Path:
    return write_archive(tmp_path / "archive")


@pytest.fixture
def settings(tmp_path, archive_dir):
    from assistant.settings import Settings

    return Settings(archive=archive_dir, index=tmp_path / "index", llm_backend="fake_llm:FakeLLM", cache_dir=tmp_path / "cache")


@pytest.fixture
def built(settings, embedder):
    from assistant.indexer import build_index

    report = build_index(settings, embedder=embedder)
    return settings, report
