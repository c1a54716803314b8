"""Shared fixtures: paths, a generated sample campaign, and LibreOffice (session-scoped)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook_tools.generate.run import GenerateResult, generate_campaign
from workbook_tools.spec.campaign import Campaign, load_campaign

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
