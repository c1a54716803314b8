"""The problem catalogue: every code is raised by some test, and the README lists it as it is.

This file's name makes it run last: it reads what the whole session raised (see conftest).
"""

from __future__ import annotations

import pytest

from tests.conftest import RAISED, ROOT, RUN
from workbook_tools.problems import CATALOGUE
from workbook_tools.problems import make_problem as recorded

README_START, README_END = "<!-- problem-catalogue:start -->", "<!-- problem-catalogue:end -->"


def test_the_recorder_sees_every_problem():
    before = set(RAISED)
    recorded("FILE_NOT_FOUND", path="x")
    seen = "FILE_NOT_FOUND" in RAISED
    RAISED.intersection_update(before)  # this call must not count as a test raising the code
    assert seen


def test_every_catalogue_code_is_raised_by_some_test():
    if not RUN["full"]:
        pytest.skip("only meaningful when the whole suite runs")
    missing = sorted(set(CATALOGUE) - RAISED)
    assert not missing, f"catalogue codes no test raises: {missing}"


def test_readme_lists_the_catalogue():
    from scripts.readme_catalogue import catalogue_markdown

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index(README_START) + len(README_START):text.index(README_END)].strip()
    assert block == catalogue_markdown().strip(), "run: .venv/bin/python scripts/readme_catalogue.py"
