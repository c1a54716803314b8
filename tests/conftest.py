"""Shared fixtures: paths, a generated sample campaign, and LibreOffice (session-scoped).

Also records every problem code raised while the suite runs (``RAISED``), so that
``test_zz_catalogue`` can check each code of the catalogue is raised by some test. The recorder
is put in place before any other module of ours is imported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import workbook_tools.problems as _problems

RAISED: set[str] = set()
RUN: dict[str, int | bool] = {"full": False}  # whether this session runs the whole suite (see below)
_make_problem = _problems.make_problem


def _recording_make_problem(code: str, **kwargs):
    RAISED.add(code)
    return _make_problem(code, **kwargs)


_problems.make_problem = _recording_make_problem

from workbook_tools.generate.run import GenerateResult, generate_campaign  # noqa: E402 - after the recorder
from workbook_tools.spec.campaign import Campaign, load_campaign  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "criteria_specs"
SAMPLE = ROOT / "samples" / "phong_tho_2023" / "campaign.yaml"
SEED = ROOT.parent / "shared" / "seed" / "000_e5be5033e6d57517.txt"


@pytest.fixture(autouse=True, scope="session")
def no_write_behind_a_streamed_row():
    """The summary streams rows to disk (xlsxwriter constant_memory), where a write to a row
    already written is dropped without a word: in every test, such a write fails instead."""
    from xlsxwriter.worksheet import Worksheet

    check = Worksheet._check_dimensions

    def strict(self, row, col, ignore_row=False, ignore_col=False):
        result = check(self, row, col, ignore_row, ignore_col)
        assert result != -2, f"write to row {row + 1} of '{self.name}' after that row was streamed"
        return result

    Worksheet._check_dimensions = strict
    yield
    Worksheet._check_dimensions = check


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    """The sample campaign, loaded."""
    return load_campaign(SAMPLE)


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> GenerateResult:
    """Workbooks for two units of the sample campaign (one commune, one agency)."""
    out = tmp_path_factory.mktemp("generated")
    return generate_campaign(SAMPLE, out, units=("03550", "CQ02"))


@pytest.fixture(scope="session")
def office():
    """One LibreOffice process for the whole session (skip, or fail in CI, when missing)."""
    from tests.office import Office, require_office

    require_office()
    with Office() as instance:
        yield instance


def pytest_deselected(items: list[pytest.Item]) -> None:
    """Tests left out by -k or -m: the session is not the whole suite."""
    RUN["deselected"] = RUN.get("deselected", 0) + len(items)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Note whether every test of every test file was selected (folders as arguments, no -k, no -m)."""
    files = {path.name for path in Path(__file__).parent.glob("test_*.py")}
    selected = {item.path.name for item in session.items}
    whole_files = all(Path(arg).is_dir() for arg in session.config.args)
    RUN["full"] = selected == files and whole_files and not RUN.get("deselected")
