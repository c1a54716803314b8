"""The sheet 'Lỗi cần xử lý': errors one by one, many warnings of one kind in one sheet as one row."""

from __future__ import annotations

import csv
import datetime as dt
import os
import random

import openpyxl
import pytest

from tests.conftest import SAMPLE
from tests.fit import fonts_present, misfits, report
from workbook_tools.collect.pipeline import collect_campaign
from workbook_tools.demo.fill import fast_fill, sample_figures, sample_scores
from workbook_tools.outputs.summary.issues import GROUP_AT, cell_ranges
from workbook_tools.problems import CATALOGUE

ON_TIME = dt.datetime(2023, 11, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_cell_ranges():
    assert cell_ranges(["D5", "D6", "D7", "F2"]) == "D5:D7, F2"
    assert cell_ranges(["D5", "D7", "D8", "AB10", "AB11"]) == "D5, D7:D8, AB10:AB11"
    assert cell_ranges(["D5", "", "E1"]) == "D5, , E1"
    assert cell_ranges(["D9", "D8"]) == "D9, D8"  # order kept, only upward runs joined


def test_blank_figures_are_one_row_each_score_error_its_own(campaign, generated, tmp_path):
    rng = random.Random(3)
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    blank = next(f for f in generated.files if f.unit.code == "03550")
    scores = sample_scores(campaign, rng, 0.8)
    for criterion in list(scores["qcdc-hd22"])[:GROUP_AT + 1]:  # errors are never grouped
        scores["qcdc-hd22"][criterion] = "x"
    (inbox / "blank.xlsx").write_bytes(fast_fill(campaign, blank.path.read_bytes(), scores, {}, ON_TIME))
    other = next(f for f in generated.files if f.unit.code == "CQ02")
    (inbox / "ok.xlsx").write_bytes(fast_fill(campaign, other.path.read_bytes(), sample_scores(campaign, rng, 0.8),
                                              sample_figures(campaign, rng), ON_TIME))
    collect_campaign(SAMPLE, inbox, out)
    with (out / "issues.csv").open(encoding="utf-8-sig", newline="") as handle:
        issues = list(csv.DictReader(handle))
    blanks = [r for r in issues if r["code"] == "FIG_BLANK"]
    wrong = [r for r in issues if r["code"] == "SCORE_NOT_NUMBER"]
    assert len(blanks) > GROUP_AT and len(wrong) == GROUP_AT + 1  # the CSV keeps every one

    sheet = openpyxl.load_workbook(out / "tong-hop.xlsx")["Lỗi cần xử lý"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[:3] == ["STT", "Mức", "Mã lỗi"])
    body = rows[header + 1:]
    grouped = [r for r in body if r[2] == "FIG_BLANK"]
    assert len(grouped) == 1
    row = grouped[0]
    assert row[3] == "03550" and row[1] == "Cảnh báo"
    assert row[7] == cell_ranges([r["cell"] for r in blanks]) and ":" in row[7]
    first = blanks[0]["message"].split(" Cách sửa: ")[0]  # the CSV's message carries the fix after it
    assert row[9] == f"{first} Cùng loại ở {len(blanks) - 1} ô khác (xem cột 'Ô')."
    assert row[10] == CATALOGUE["FIG_BLANK"][2]
    assert [r[7] for r in body if r[2] == "SCORE_NOT_NUMBER"] == [r["cell"] for r in wrong]
    assert [r[0] for r in body] == list(range(1, len(body) + 1))
    note = " ".join(str(v) for r in rows[:header] for v in r if v)
    warnings = sum(r["severity"] == "warning" for r in issues)
    assert f"và {warnings} cảnh báo" in note and "(từng ô có trong issues.csv)" in note
    if fonts_present():  # the grouped rows' ranges and messages fit their cells on paper
        found = misfits(out / "tong-hop.xlsx")
        assert not found, report(found)
    elif os.environ.get("CI") == "true":
        pytest.fail("The Liberation fonts are missing: apt-get install fonts-liberation2")
