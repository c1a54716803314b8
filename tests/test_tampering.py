"""Locked content changed in a returned file: reported with what changed, and never misread."""

from __future__ import annotations

import random
import shutil
from copy import copy
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLE, SPECS
from tests.test_collect import set_identity
from workbook_tools.cli import main
from workbook_tools.demo.fill import fill_workbook, sample_figures, sample_scores
from workbook_tools.form.identity import META_SHEET, property_name
from workbook_tools.form.layout import IND_COL_VALUE, plan_criteria, plan_indicators
from workbook_tools.form.signing import campaign_key
from workbook_tools.read.check import check_file
from workbook_tools.read.inbox import scan_inbox
from workbook_tools.results.choose import judge_files
from workbook_tools.results.merge import merge_units
from workbook_tools.spec.register import load_register


@pytest.fixture(scope="module")
def blank(generated) -> Path:
    return next(f.path for f in generated.files if f.unit.code == "03550")


def make(campaign, blank, tmp_path, edit, figures_edit=None):
    scores = sample_scores(campaign, random.Random(5), 0.8)
    figures = sample_figures(campaign, random.Random(5))
    if figures_edit:
        figures.update(figures_edit)
    path = fill_workbook(campaign, blank, tmp_path / "t.xlsx", scores, figures, edit=edit)
    return check_file(campaign, path), scores


def row(campaign, form_id: str, node_id: str) -> int:
    """1-based row of a criterion or section in the generated sheet."""
    return plan_criteria(campaign.form(form_id), campaign.year).row_of(node_id) + 1


def codes(sub) -> set[str]:
    return {p.code for p in sub.problems}


def never_misread(sub, scores) -> None:
    for form in sub.forms:
        for criterion_id, value in form.scores.items():
            assert value == scores[form.form_id][criterion_id], (form.form_id, criterion_id)


def test_sheet_renamed_is_read_by_row_ids(campaign, blank, tmp_path):
    def edit(book):
        book["QCDC"].title = "Bảng 1"
    sub, scores = make(campaign, blank, tmp_path, edit)
    assert "WB_SHEET_RENAMED" in codes(sub) and sub.ok
    assert sub.forms[0].scores == scores["qcdc-hd22"]


def test_sheet_removed(campaign, blank, tmp_path):
    def edit(book):
        del book["DVCQ"]
    sub, scores = make(campaign, blank, tmp_path, edit)
    missing = next(p for p in sub.problems if p.code == "WB_SHEET_MISSING")
    assert missing.severity == "error" and missing.form == "dvcq-qd248"
    never_misread(sub, scores)


def test_sheet_removed_makes_only_that_form_invalid(campaign, blank, tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    scores = sample_scores(campaign, random.Random(5), 0.8)
    fill_workbook(campaign, blank, inbox / "a.xlsx", scores, sample_figures(campaign, random.Random(5)),
                  edit=lambda book: book.remove(book["DVCQ"]))
    found = scan_inbox(inbox)
    register = load_register(campaign)
    outcomes = judge_files(campaign, found, {f.rel: check_file(campaign, f.path, f.rel) for f in found}, register)
    unit = next(u for u in merge_units(campaign, outcomes, register) if u.unit.code == "03550")
    assert unit.form("qcdc-hd22").status == "valid" and unit.form("dvcq-qd248").status == "invalid"
    assert unit.form("dvcq-qd248").errors[0].code == "WB_SHEET_MISSING"


def test_row_deleted(campaign, blank, tmp_path):
    def edit(book):
        book["QCDC"].delete_rows(row(campaign, "qcdc-hd22", "b.1"))
    sub, scores = make(campaign, blank, tmp_path, edit)
    assert {"WB_ROW_MISSING", "WB_ROWS_MOVED"} <= codes(sub) and not sub.ok
    assert "b.1" not in sub.forms[0].scores and not sub.forms[0].complete
    never_misread(sub, scores)


def test_row_inserted_and_row_duplicated(campaign, blank, tmp_path):
    source = row(campaign, "qcdc-hd22", "a.1")

    def edit(book):
        ws = book["QCDC"]
        ws.insert_rows(source)  # a new row above a.1: everything below moves down
        for col in range(1, 7):  # copy the (moved) a.1 row into the new row
            ws.cell(source, col).value = ws.cell(source + 1, col).value
            ws.cell(source, col)._style = copy(ws.cell(source + 1, col)._style)
    sub, scores = make(campaign, blank, tmp_path, edit)
    assert {"WB_ROW_DUPLICATED", "WB_ROWS_MOVED"} <= codes(sub)
    assert "a.1" not in sub.forms[0].scores  # two rows claim a.1: neither is trusted
    never_misread(sub, scores)


def test_text_edited_and_columns_changed(campaign, blank, tmp_path):
    def edit(book):
        book["QCDC"].cell(row(campaign, "qcdc-hd22", "a.2"), 3).value = "Nội dung khác"
        book["DVCQ"].insert_cols(4)
    sub, scores = make(campaign, blank, tmp_path, edit)
    changed = next(p for p in sub.problems if p.code == "WB_TEXT_CHANGED")
    assert changed.sheet == "QCDC" and changed.cell == f"C{row(campaign, 'qcdc-hd22', 'a.2')}"
    columns = next(p for p in sub.problems if p.code == "WB_COLUMNS_CHANGED")
    assert columns.sheet == "DVCQ" and columns.severity == "error"
    assert sub.forms[1].scores == {}  # a shifted table is rejected, never read into wrong columns
    never_misread(sub, scores)


def test_total_typed_over_formula(campaign, blank, tmp_path):
    layout = plan_criteria(campaign.form("qcdc-hd22"), campaign.year)

    def edit(book):
        book["QCDC"].cell(layout.total_row + 1, layout.unit_col + 1).value = 100
    sub, scores = make(campaign, blank, tmp_path, edit)
    assert {"WB_FORMULA_REPLACED", "WB_CACHED_TOTAL"} <= codes(sub)
    cached = next(p for p in sub.problems if p.code == "WB_CACHED_TOTAL")
    assert cached.value == "100" and sub.forms[0].total != 100


def test_spec_content_changed_and_form_missing(campaign, blank, tmp_path):
    def edit(book):
        set_identity(book, "form.qcdc-hd22.sha256", "0" * 64)
        set_identity(book, "forms", "qcdc-hd22,so-lieu-2023")
    sub, _ = make(campaign, blank, tmp_path, edit)
    by_code = {p.code: p for p in sub.problems}
    assert by_code["WB_SPEC_CHANGED"].form == "qcdc-hd22"
    assert by_code["WB_FORM_MISSING"].form == "dvcq-qd248"
    assert [f.form_id for f in sub.forms] == ["so-lieu-2023"]


def test_figures_of_the_wrong_type(campaign, blank, tmp_path):
    layout = plan_indicators(campaign.form("so-lieu-2023"), campaign.year)
    sub, _ = make(campaign, blank, tmp_path, None,
                  figures_edit={"hs_tiep_nhan": "ba mươi", "bcd_kien_toan": "Có lẽ", "dvk_mo_hinh": -2})
    bad = {p.cell: p for p in sub.problems if p.code == "FIG_BAD_VALUE"}
    assert set(bad) == {layout.value_cell(i) for i in ("hs_tiep_nhan", "bcd_kien_toan", "dvk_mo_hinh")}
    assert "Có hoặc Không" in bad[layout.value_cell("bcd_kien_toan")].message
    assert IND_COL_VALUE == 4 and not sub.ok


def test_signature_removed_from_both_copies(campaign, blank, tmp_path):
    """Without a signature the identity cannot be trusted: the file is not used (with the key at hand)."""
    def edit(book):
        sheet = book[META_SHEET]
        for cells in sheet.iter_rows(min_col=1, max_col=2):
            if cells[0].value == "signature":
                cells[0].value = cells[1].value = None
        book.custom_doc_props.props = [p for p in book.custom_doc_props.props
                                       if p.name != property_name("signature")]
    scores = sample_scores(campaign, random.Random(5), 0.8)
    path = fill_workbook(campaign, blank, tmp_path / "t.xlsx", scores, {}, edit=edit)
    key, _ = campaign_key(Path(campaign.secret_key_file))
    sub = check_file(campaign, path, key=key)
    assert [p.code for p in sub.problems] == ["WB_SIGNATURE_MISSING"] and not sub.forms
    assert check_file(campaign, path).ok  # without the key only the signature cannot be checked


def test_damaged_key_file_stops_the_run(campaign, blank, tmp_path):
    """A key file that is not the key is never taken as 'no key': the officer must restore it."""
    key_file = tmp_path / "khoa.key"
    key_file.write_text("đây không phải khóa\n", encoding="utf-8")
    folder = tmp_path / "dot"
    folder.mkdir()
    text = SAMPLE.read_text(encoding="utf-8").replace("../../criteria_specs/", f"{SPECS}/")
    (folder / "campaign.yaml").write_text(text + f"secret_key_file: {key_file}\n", encoding="utf-8")
    shutil.copy(SAMPLE.parent / "roster.csv", folder / "roster.csv")
    result = CliRunner().invoke(main, ["check", "--campaign", str(folder / "campaign.yaml"), str(blank)])
    assert result.exit_code == 1
    assert f"[SECRET_KEY_BAD]: Tệp khóa bí mật {key_file} bị hỏng" in result.output
