"""Every cell of every workbook we write fits on paper: measured with the real Liberation fonts
(see tests/fit.py), over the demo's outputs and over a roster with the longest real unit names.

Needs the Liberation fonts (Debian: fonts-liberation2); under CI=true their absence fails.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path

import pytest
import xlsxwriter

from tests.fit import fonts_present, misfits, report
from tests.helpers import campaign_copy
from workbook_tools.collect.pipeline import collect_campaign
from workbook_tools.demo.run import build_inbox, run_demo
from workbook_tools.generate.run import generate_campaign
from workbook_tools.review.workbook import build_review

# Real unit names as long as they come (the full names of district agencies, communes as their
# people's committees).
LONG_NAMES = {
    "CQ01": "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện Phong Thổ",
    "CQ06": "Phòng Nông nghiệp và Phát triển nông thôn huyện Phong Thổ",
    "CQ08": "Phòng Lao động - Thương binh và Xã hội huyện Phong Thổ",
    "CQ14": "Trung tâm Văn hóa, Thể thao và Truyền thông huyện Phong Thổ",
    "CQ15": "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên huyện Phong Thổ",
    "CQ16": "Ban Quản lý dự án đầu tư xây dựng và phát triển quỹ đất huyện Phong Thổ",
    "CQ18": "Ban Quản lý rừng phòng hộ và bảo tồn thiên nhiên huyện Phong Thổ",
}


@pytest.fixture(scope="module", autouse=True)
def fonts():
    if not fonts_present():
        if os.environ.get("CI") == "true":
            pytest.fail("The Liberation fonts are missing: apt-get install fonts-liberation2")
        pytest.skip("The Liberation fonts are not installed (apt-get install fonts-liberation2)")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("fit") / "demo")


@pytest.fixture(scope="module")
def long_names(tmp_path_factory):
    """The sample campaign with the longest names: generated, returned, collected, reviewed."""
    folder = campaign_copy(tmp_path_factory.mktemp("fit-long") / "dot")
    rows = list(csv.DictReader((folder / "roster.csv").open(encoding="utf-8")))
    for row in rows:
        row["name"] = LONG_NAMES.get(row["code"]) or (
            "Ủy ban nhân dân " + row["name"][0].lower() + row["name"][1:] if row["group"] == "xa" else row["name"])
    with (folder / "roster.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    campaign = folder / "campaign.yaml"
    generated = generate_campaign(campaign, folder / "phat-hanh")
    inbox = folder / "hop-thu"
    build_inbox(generated, inbox)
    collect_campaign(campaign, inbox, folder / "tong-hop")
    review = build_review(campaign, inbox, folder / "to-kiem-tra.xlsx")
    return generated, folder, review


def _check(paths: list[Path]) -> None:
    found = [m for path in paths for m in misfits(path)]
    assert not found, f"{len(found)} ô không vừa:\n{report(found)}"


def test_unit_workbooks_fit(demo):
    _check([f.path for f in demo.generated.files])


def test_unit_workbooks_with_the_longest_names_fit(long_names):
    generated, _folder, _review = long_names
    _check([f.path for f in generated.files if f.unit.code in LONG_NAMES or f.unit.code.startswith("035")])


def test_summary_and_reminders_fit(demo):
    out = demo.collected.out_dir
    assert (out / "nhac-viec.xlsx").is_file()  # units with problems or missing: the officer's reminders
    _check([out / "tong-hop.xlsx", out / "nhac-viec.xlsx"])


def test_summary_with_the_longest_names_fits(long_names):
    _generated, folder, _review = long_names
    _check([p for p in (folder / "tong-hop" / "tong-hop.xlsx", folder / "tong-hop" / "nhac-viec.xlsx")
            if p.is_file()])


def test_review_workbook_fits(long_names):
    _generated, _folder, review = long_names
    _check([review.path])


def test_the_checker_finds_what_does_not_fit(tmp_path):
    """A clipped vertical header, a cut date, a word wider than its column and a short row are each
    reported with sheet, cell, needed and available size."""
    path = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"default_format_properties": {"font_name": "Times New Roman",
                                                                       "font_size": 12}})
    ws = wb.add_worksheet("Thử")
    rotated = wb.add_format({"rotation": 90})
    wrap = wb.add_format({"text_wrap": True})
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.set_row(0, 60)
    ws.write(0, 0, "Ban Quản lý dự án đầu tư xây dựng huyện", rotated)
    ws.set_column(1, 1, 6)
    ws.write_datetime(1, 1, dt.datetime(2023, 1, 1), date)
    ws.write(2, 1, "email/CQ15_Trung_tam_Giao_duc.xlsx", wrap)
    ws.set_column(2, 2, 20)
    ws.set_row(3, 15)
    ws.write(3, 2, "Một câu dài cần ba dòng khi xuống dòng trong một cột hẹp như thế này", wrap)
    ws.write(4, 3, "Vừa")
    wb.close()
    found = {m.cell: m for m in misfits(path)}
    assert set(found) == {"A1", "B2", "B3", "C4"}, report(list(found.values()))
    assert found["A1"].needed > found["A1"].available and found["A1"].sheet == "Thử"
    assert "01/01/2023" in str(found["B2"]) and "bị cắt" in found["B3"].what
