"""A score stored as text: the unit's own sheet leaves it out of its total, so the district says so."""

from __future__ import annotations

import csv
import datetime as dt
import random

import openpyxl
from click.testing import CliRunner

from tests.helpers import campaign_copy
from workbook_tools.cli import main
from workbook_tools.demo.fill import fill_workbook, sample_figures, sample_scores
from workbook_tools.form.layout import plan_criteria
from workbook_tools.spec.campaign import load_campaign


def test_accepted_text_score_is_marked_where_it_differs_from_the_signed_sheet(generated, tmp_path):
    folder = campaign_copy(tmp_path / "dot", lambda text: text.replace("text_scores: refuse", "text_scores: accept"))
    campaign = load_campaign(folder / "campaign.yaml")
    rng = random.Random(3)
    scores = sample_scores(campaign, rng, 0.8)
    scores["qcdc-hd22"]["a.1"] = "1,5"
    blank = next(f.path for f in generated.files if f.unit.code == "03550")
    (tmp_path / "in").mkdir()
    fill_workbook(campaign, blank, tmp_path / "in" / "03550.xlsx", scores, sample_figures(campaign, rng),
                  saved_at=dt.datetime(2023, 11, 5, 9, 0, tzinfo=campaign.timezone))  # received on time
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["collect", str(folder / "campaign.yaml"), "--inbox", str(tmp_path / "in"),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    cell = plan_criteria(campaign.form("qcdc-hd22"), 2023).score_cell("a.1")
    with (out / "issues.csv").open(encoding="utf-8-sig", newline="") as handle:
        issues = [r for r in csv.DictReader(handle) if r["unit_code"] == "03550"]
    assert [(r["code"], r["severity"], r["cell"]) for r in issues] == [("SCORE_TEXT", "warning", cell)]
    with (out / "units.csv").open(encoding="utf-8-sig", newline="") as handle:
        qcdc = next(r for r in csv.DictReader(handle) if r["unit_code"] == "03550" and r["form_id"] == "qcdc-hd22")
    assert qcdc["status"] == "valid"
    sheet = openpyxl.load_workbook(out / "tong-hop.xlsx")["Tổng hợp"]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "03550")
    assert row[-1] == f"Tổng QCDC khác bảng đơn vị ký (điểm dạng chữ ở ô {cell})"
