"""Checking returned workbooks (``check``): valid files, typical mistakes, tampering."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLE
from workbook_tools.cli import main
from workbook_tools.demo.fill import fill_workbook
from workbook_tools.form.identity import META_SHEET, property_name
from workbook_tools.form.layout import COL_MAX, IND_COL_UNIT, PLACE_DATE_ROW, plan_criteria, plan_indicators
from workbook_tools.read.check import check_file
from workbook_tools.spec.scoring import classify, table_total

FORMS = ("qcdc-hd22", "dvcq-qd248")


@pytest.fixture(scope="module")
def blank(generated) -> Path:
    return next(f.path for f in generated.files if f.unit.code == "03550")


def valid_scores(campaign, seed: int = 7) -> dict[str, dict[str, Decimal]]:
    rng = random.Random(seed)
    return {f: {c.id: Decimal(rng.randint(0, int(c.max * 2))) / 2 for c in campaign.form(f).criteria()}
            for f in FORMS}


def figure_values(campaign) -> dict[str, object]:
    values = {}
    for field in campaign.form("so-lieu-2023").indicators():
        values[field.id] = {"int": 3, "bool": "Có", "date": None}[field.type]
    return values | {"xl_tong_so": 12, "dvk_mo_hinh": 6}  # keep the sum rules true


def fill(campaign, src: Path, dst: Path, scores, figures, edit=None) -> Path:
    """Fill a generated workbook with openpyxl (as a quick stand-in for a person)."""
    return fill_workbook(campaign, src, dst, scores, figures, edit=edit)


def codes(submission) -> list[str]:
    return [p.code for p in submission.problems]


def test_valid_file(campaign, blank, tmp_path):
    scores = valid_scores(campaign)
    path = fill(campaign, blank, tmp_path / "ok.xlsx", scores, figure_values(campaign))
    sub = check_file(campaign, path)
    assert sub.ok and sub.unit_code == "03550"
    assert codes(sub) == ["FIG_BLANK"]  # the one date field left empty
    for form in sub.forms[:2]:
        spec = campaign.form(form.form_id)
        assert form.complete and form.total == table_total(spec, scores[form.form_id])
        assert form.classification == classify(spec, scores[form.form_id])
        assert form.scores == scores[form.form_id]
    assert sub.forms[2].figures["hs_tiep_nhan"] == 3 and sub.forms[2].figures["bcd_kien_toan"] is True


def test_unit_filled_header_and_signer_are_accepted(campaign, blank, tmp_path):
    """The place and date, the report's number and the signer's name are the unit's to fill:
    a file with them filled on every sheet reads as the same valid file."""
    figures = plan_indicators(campaign.form("so-lieu-2023"), campaign.year)
    layouts = {f: plan_criteria(campaign.form(f), campaign.year) for f in FORMS}

    def sign(book):
        for name, signer, first in [(campaign.form(f).sheet_name, layouts[f].signer_row, COL_MAX) for f in FORMS] \
                + [("Số liệu", figures.signer_row, IND_COL_UNIT)]:
            ws = book[name]
            ws.cell(PLACE_DATE_ROW + 1, first + 1).value = "Mường So, ngày 20 tháng 10 năm 2023"
            ws.cell(signer + 1, first + 1).value = "Lò Văn Thào"
            assert ws.cell(PLACE_DATE_ROW + 1, first + 1).protection.locked is False
        reference = layouts["qcdc-hd22"].reference_row
        book["QCDC"].cell(reference + 1, 2).value = "(Kèm theo Báo cáo số 15/BC-UBND ngày 20/10/2023)"

    path = fill(campaign, blank, tmp_path / "signed.xlsx", valid_scores(campaign), figure_values(campaign), sign)
    sub = check_file(campaign, path)
    assert sub.ok and codes(sub) == ["FIG_BLANK"]
    assert all(form.complete for form in sub.forms[:2])


def test_typical_mistakes(campaign, blank, tmp_path):
    scores = valid_scores(campaign)
    layout = plan_criteria(campaign.form("qcdc-hd22"), campaign.year)
    scores["qcdc-hd22"]["a.1"] = "4,5"   # number typed as text
    scores["qcdc-hd22"]["a.2"] = 7.0     # above its maximum 5, pasted over validation
    scores["qcdc-hd22"]["b.1"] = "ba"    # not a number
    del scores["qcdc-hd22"]["b.2"]       # left blank
    figures = figure_values(campaign) | {"hs_tiep_nhan": 5, "hs_da_giai_quyet": 9}
    sub = check_file(campaign, fill(campaign, blank, tmp_path / "f.xlsx", scores, figures))
    found = {(p.code, p.cell): p for p in sub.problems}
    text = found[("SCORE_TEXT_REFUSED", layout.score_cell("a.1"))]  # the sample campaign refuses text scores
    assert text.severity == "error" and "lưu dạng chữ" in text.message and "(4,5)" in text.message
    out = found[("SCORE_OUT_OF_RANGE", layout.score_cell("a.2"))]
    assert out.message == "Điểm 7 của tiêu chí STT 2 nằm ngoài khoảng 0 đến 5 (điểm chuẩn)."
    assert ("SCORE_NOT_NUMBER", layout.score_cell("b.1")) in found
    blank_problem = found[("SCORE_BLANK", layout.score_cell("b.2"))]
    assert blank_problem.render().startswith(f"LỖI [SCORE_BLANK] f.xlsx, trang 'QCDC', ô {layout.score_cell('b.2')}")
    assert any(p.code == "FIG_RULE" and "Số hồ sơ đã giải quyết" in p.message for p in sub.problems)
    assert not sub.ok
    qcdc = sub.forms[0]
    assert not qcdc.complete and qcdc.total is None and qcdc.scores["a.1"] == Decimal("4.5")


def test_tampering_is_reported_and_never_misread(campaign, blank, tmp_path):
    scores = valid_scores(campaign)
    spec = campaign.form("qcdc-hd22")
    layout = plan_criteria(spec, campaign.year)
    first, second = layout.row_of("a.1") + 1, layout.row_of("a.2") + 1
    section = layout.row_of("a") + 1

    def edit(book):
        ws = book["QCDC"]
        for col in range(1, 7):  # swap rows a.1 and a.2 entirely
            a, b = ws.cell(first, col), ws.cell(second, col)
            a.value, b.value = b.value, a.value
        ws.cell(layout.row_of("b.1") + 1, 4).value = 9   # b.1 maximum edited (3 -> 9)
        ws.cell(section, 5).value = 10         # subtotal formula replaced by a number
        ws.protection.sheet = False

    sub = check_file(campaign, fill(campaign, blank, tmp_path / "t.xlsx", scores, figure_values(campaign), edit))
    assert {"WB_ROWS_MOVED", "WB_MAX_CHANGED", "WB_FORMULA_REPLACED", "WB_PROTECTION_REMOVED"} <= set(codes(sub))
    assert sub.forms[0].scores == scores["qcdc-hd22"]  # read by row id, not position
    assert sub.ok


def test_identity_checks(campaign, blank, tmp_path):
    def other_campaign(book):
        book[META_SHEET]["B3"] = "phong-tho-2022"
        for prop in book.custom_doc_props.props:
            if prop.name == property_name("campaign_id"):
                prop.value = "phong-tho-2022"

    def forged_unit(book):
        book[META_SHEET]["B5"] = "03553"  # the sheet says another unit, the properties do not

    path = fill(campaign, blank, tmp_path / "old.xlsx", {}, {}, other_campaign)
    assert codes(check_file(campaign, path)) == ["WB_OTHER_CAMPAIGN"]
    path = fill(campaign, blank, tmp_path / "forged.xlsx", {}, {}, forged_unit)
    assert codes(check_file(campaign, path)) == ["WB_IDENTITY_MISMATCH"]
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    assert codes(check_file(campaign, plain)) == ["WB_NOT_OURS"]


def test_file_named_for_another_unit(campaign, blank, tmp_path):
    path = fill(campaign, blank, tmp_path / "03553_Xa_Mo_Si_San.xlsx", valid_scores(campaign),
                figure_values(campaign))
    sub = check_file(campaign, path)
    assert sub.unit_code == "03550" and "WB_FILENAME_OTHER_UNIT" in codes(sub)


def test_check_command(campaign, blank, tmp_path):
    good = fill(campaign, blank, tmp_path / "good.xlsx", valid_scores(campaign), figure_values(campaign))
    junk = tmp_path / "anh.xlsx"
    junk.write_bytes(b"%PDF-1.4 not a workbook")
    result = CliRunner().invoke(main, ["check", "--campaign", str(SAMPLE), str(good), str(junk)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "== good.xlsx: Xã Sì Lở Lầu (03550)"
    assert lines[1].startswith("QCDC: ") and "điểm, xếp loại" in lines[1]
    assert "Kết quả: HỢP LỆ (0 lỗi, 1 cảnh báo)" in lines
    assert "== anh.xlsx: không xác định được đơn vị" in lines
    assert any(line.startswith("LỖI [WB_UNREADABLE] anh.xlsx:") for line in lines)
    assert lines[-1].startswith("Thang xếp loại DVCQ: Tốt: từ 90 điểm trở lên")
    result = CliRunner().invoke(main, ["check", "--campaign", str(SAMPLE), "--json", str(good)])
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert payload[0]["unit_code"] == "03550" and payload[0]["ok"] is True
    assert payload[0]["forms"][0]["bands"].startswith("Tốt: từ 90")


def test_file_filled_and_saved_by_libreoffice(office, campaign, blank, tmp_path):
    scores = valid_scores(campaign, seed=11)
    values = {}
    for form_id, form_scores in scores.items():
        spec = campaign.form(form_id)
        layout = plan_criteria(spec, campaign.year)
        values[spec.sheet_name] = {layout.score_cell(c): float(v) for c, v in form_scores.items()}
    saved = tmp_path / "lo.xlsx"
    office.fill_recalc_save(blank, saved, values)
    sub = check_file(campaign, saved)
    assert sub.ok
    assert set(codes(sub)) == {"FIG_BLANK"}  # no false tampering alarms after a real re-save
    assert sub.forms[0].total == table_total(campaign.form("qcdc-hd22"), scores["qcdc-hd22"])
