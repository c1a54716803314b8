"""Generated workbooks in a real spreadsheet engine (LibreOffice headless).

Fill every score cell with random valid values, recalculate, save, and check that every
subtotal, total and classification Calc computed equals what Python computes from the spec.
Also: what a fresh file shows on open, locked cells refusing input, what survives a re-save,
the figures sheet's live checks, and a picture of every printed page.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tests.office import pdf_page_count, pdf_to_pngs
from workbook_tools.form.identity import META_SHEET, property_name
from workbook_tools.form.layout import IND_COL_CHECK, cell_ref, plan_criteria, plan_indicators
from workbook_tools.spec.criteria import CriteriaSpec, Section
from workbook_tools.spec.scoring import INCOMPLETE, classify, section_total, table_total

FORMS = ("qcdc-hd22", "dvcq-qd248")


@pytest.fixture(scope="module")
def workbook(generated) -> Path:
    return next(f.path for f in generated.files if f.unit.code == "03550")


def random_scores(spec: CriteriaSpec, rng: random.Random, blanks: int = 0) -> dict[str, Decimal]:
    """A valid score per criterion (steps of 0.1), leaving ``blanks`` criteria empty."""
    scores = {}
    for criterion in spec.criteria():
        tenths = int(criterion.max * 10)
        scores[criterion.id] = Decimal(rng.randint(0, tenths)) / 10
    for criterion_id in rng.sample(sorted(scores), blanks):
        del scores[criterion_id]
    return scores


def fill_values(campaign, all_scores: dict[str, dict[str, Decimal]]) -> dict[str, dict[str, float]]:
    values = {}
    for form_id, scores in all_scores.items():
        spec = campaign.form(form_id)
        layout = plan_criteria(spec, campaign.year)
        values[spec.sheet_name] = {layout.score_cell(cid): float(v) for cid, v in scores.items()}
    return values


def expected_cells(campaign, form_id: str, scores: dict[str, Decimal]) -> dict[str, object]:
    spec = campaign.form(form_id)
    layout = plan_criteria(spec, campaign.year)
    col = layout.unit_col
    expected: dict[str, object] = {}
    for row in layout.rows:
        if isinstance(row.node, Section):
            expected[cell_ref(row.row, col)] = section_total(row.node, scores)
    expected[cell_ref(layout.total_row, col)] = table_total(spec, scores)
    expected[cell_ref(layout.count_row, col)] = Decimal(len(scores))
    expected[cell_ref(layout.classification_row, 3)] = classify(spec, scores)
    return expected


def assert_matches(actual: dict[str, object], expected: dict[str, object], where: str) -> None:
    for ref, want in expected.items():
        got = actual[ref]
        if isinstance(want, Decimal):
            assert got is not None and Decimal(str(got)).quantize(Decimal("0.01")) == want, (where, ref, got)
        else:
            assert got == want, (where, ref, got)


@pytest.mark.parametrize("seed, blanks", [(1, 0), (2, 0), (3, 0), (4, 3)])
def test_calc_totals_equal_python(office, campaign, workbook, tmp_path, seed, blanks):
    rng = random.Random(seed)
    scores = {f: random_scores(campaign.form(f), rng, blanks) for f in FORMS}
    filled = tmp_path / "filled.xlsx"
    office.fill_recalc_save(workbook, filled, fill_values(campaign, scores))
    saved = openpyxl.load_workbook(filled, data_only=True)
    for form_id in FORMS:
        spec = campaign.form(form_id)
        expected = expected_cells(campaign, form_id, scores[form_id])
        actual = {ref: saved[spec.sheet_name][ref].value for ref in expected}
        assert_matches(actual, expected, form_id)
        if blanks:
            assert actual[next(reversed(expected))] == INCOMPLETE


@pytest.mark.parametrize("total, label", [(90, "Tốt"), (Decimal("89.9"), "Khá"),
                                          (70, "Khá"), (50, "Trung bình"), (Decimal("49.5"), "Yếu")])
def test_classification_at_band_edges(office, campaign, workbook, tmp_path, total, label):
    spec = campaign.form("qcdc-hd22")
    scores, remaining = {}, Decimal(total)
    for criterion in spec.criteria():
        give = min(criterion.max, remaining)
        scores[criterion.id] = give
        remaining -= give
    assert table_total(spec, scores) == Decimal(total) and classify(spec, scores) == label
    layout = plan_criteria(spec, campaign.year)
    ref = cell_ref(layout.classification_row, 3)
    result = office.read_cells(
        _filled(office, campaign, workbook, tmp_path, {"qcdc-hd22": scores}), {"QCDC": [ref]})
    assert result["QCDC"][ref] == label


def _filled(office, campaign, workbook, tmp_path, scores) -> Path:
    out = tmp_path / "edge.xlsx"
    office.fill_recalc_save(workbook, out, fill_values(campaign, scores))
    return out


def test_fresh_file_shows_correct_figures_on_open(office, campaign, workbook):
    cells = {}
    for form_id in FORMS:
        spec = campaign.form(form_id)
        layout = plan_criteria(spec, campaign.year)
        cells[spec.sheet_name] = [cell_ref(layout.total_row, layout.unit_col),
                                  cell_ref(layout.classification_row, 3)]
    shown = office.read_cells(workbook, cells, recalc=False)
    for sheet, refs in cells.items():
        assert shown[sheet][refs[0]] == 0 and shown[sheet][refs[1]] == INCOMPLETE


def test_locked_cells_refuse_input_and_score_cells_accept(office, campaign, workbook, tmp_path):
    spec = campaign.form("qcdc-hd22")
    layout = plan_criteria(spec, campaign.year)
    first = layout.criterion_rows()[0].row
    section_row = layout.rows[0].row
    entries = {"QCDC": {cell_ref(first, layout.unit_col): "3",
                        cell_ref(first, 2): "sửa nội dung",       # criterion text
                        cell_ref(first, 3): "99",                 # maximum
                        cell_ref(section_row, layout.unit_col): "10"}}  # subtotal formula
    result = office.enter_strings(workbook, tmp_path / "typed.xlsx", entries)
    assert result["QCDC"] == {cell_ref(first, layout.unit_col): True, cell_ref(first, 2): False,
                              cell_ref(first, 3): False, cell_ref(section_row, layout.unit_col): False}
    dvcq = plan_criteria(campaign.form("dvcq-qd248"), campaign.year)
    team = cell_ref(dvcq.criterion_rows()[0].row, dvcq.score_cols[1])
    result = office.enter_strings(workbook, tmp_path / "team.xlsx", {"DVCQ": {team: "5"}})
    assert result["DVCQ"][team] is False


def test_resave_keeps_protection_validation_and_identity(office, campaign, workbook, tmp_path):
    resaved = tmp_path / "resaved.xlsx"
    office.recalc_save(workbook, resaved)
    info = {s["name"]: s for s in office.sheet_info(resaved)["sheets"]}
    for name in ("Hướng dẫn", "QCDC", "DVCQ", "Số liệu", META_SHEET):
        assert info[name]["protected"], name
    assert info[META_SHEET]["visible"] is False
    book = openpyxl.load_workbook(resaved)
    props = {p.name: p.value for p in book.custom_doc_props.props}
    assert props[property_name("unit_code")] == "03550"
    meta = {row[0].value: row[1].value for row in book[META_SHEET].iter_rows()}
    assert meta["unit_code"] == "03550"
    spec = campaign.form("qcdc-hd22")
    layout = plan_criteria(spec, campaign.year)
    ws = book["QCDC"]
    for form_row in layout.rows:
        assert ws.cell(form_row.row + 1, 1).value == form_row.node.id
    validated = [dv for dv in ws.data_validations.dataValidation if dv.type == "decimal"]
    assert len(validated) == len(spec.criteria())
    assert all(dv.error and "Điểm phải là một số" in dv.error for dv in validated)


def test_figures_sheet_live_checks(office, campaign, workbook, tmp_path):
    spec = campaign.form("so-lieu-2023")
    layout = plan_indicators(spec, campaign.year)
    row_of = {r.field.id: r.row for r in layout.field_rows()}
    values = {"Số liệu": {layout.value_cell("hs_tiep_nhan"): 10.0,
                          layout.value_cell("hs_da_giai_quyet"): 12.0,
                          layout.value_cell("kn_tiep_nhan"): 3.0,
                          layout.value_cell("kn_da_giai_quyet"): 3.0,
                          layout.value_cell("td_luot_tiep"): 2.5}}
    out = tmp_path / "figures.xlsx"
    office.fill_recalc_save(workbook, out, values)
    checks = {f: cell_ref(row_of[f], IND_COL_CHECK) for f in ("hs_da_giai_quyet", "kn_da_giai_quyet", "td_luot_tiep")}
    shown = office.read_cells(out, {"Số liệu": list(checks.values())})["Số liệu"]
    assert "Số hồ sơ đã giải quyết không được lớn hơn số hồ sơ tiếp nhận." in shown[checks["hs_da_giai_quyet"]]
    assert not shown[checks["kn_da_giai_quyet"]]
    assert "Cần số nguyên ≥ 0." in shown[checks["td_luot_tiep"]]


def test_every_printed_page_renders(office, workbook, tmp_path):
    pdf = tmp_path / "bieu-mau.pdf"
    office.to_pdf(workbook, pdf)
    pages = pdf_page_count(pdf)
    assert 4 <= pages <= 20  # four printed sheets at 90 % or more: 1 + 6 + 5 + 4 pages for the sample
    pngs = pdf_to_pngs(pdf, tmp_path / "trang", dpi=40)
    assert len(pngs) == pages and all(p.stat().st_size > 2000 for p in pngs)
