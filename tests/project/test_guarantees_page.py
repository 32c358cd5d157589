"""docs/guarantees.md names the tests that hold each promise: every one of them exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "guarantees.md"
#: ``tests/<path>.py`` optionally followed by ``::<test name>``.
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`")


def test_every_test_the_page_names_exists() -> None:
    """A renamed or deleted test cannot leave a promise without its proof."""
    found = REFERENCE.findall(PAGE.read_text(encoding="utf-8"))
    assert len(found) >= 30
    missing = []
    for path, name in found:
        file = ROOT / path
        if not file.is_file():
            missing.append(path)
        elif name and not re.search(rf"^def {name}\(", file.read_text(encoding="utf-8"), re.M):
            missing.append(f"{path}::{name}")
    assert missing == []


def test_the_page_is_in_the_site_navigation() -> None:
    """The page is reachable from the documentation site's menu."""
    assert "guarantees.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
