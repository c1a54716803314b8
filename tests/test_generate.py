"""Generated workbooks read back with openpyxl: structure, protection, validation, formulas."""

from __future__ import annotations

import csv
import math
import re
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from tests.helpers import sha256_file
from workbook_tools.form.identity import META_SHEET, property_name
from workbook_tools.form.layout import (
    IND_COL_NOTE,
    IND_COL_UNIT,
    IND_COL_VALUE,
    MARK_SIGNER,
    PLACE_DATE_ROW,
    cell_ref,
    plan_criteria,
    plan_indicators,
)
from workbook_tools.form.names import unit_file_name
from workbook_tools.paper.measure import text_width
from workbook_tools.paper.page import MOTTO
from workbook_tools.spec.criteria import CriteriaSpec

SHEETS = ["Hướng dẫn", "QCDC", "DVCQ", "Số liệu", META_SHEET]


@pytest.fixture(scope="module")
def book(generated):
    path = next(f.path for f in generated.files if f.unit.code == "03550")
    return openpyxl.load_workbook(path)


def expand(formula: str) -> set[str]:
    """Cell references named in a formula, ranges expanded."""
    cells = set()
    for ref in re.findall(r"[A-Z]+\d+(?::[A-Z]+\d+)?", formula):
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        for row in range(min_row, max_row + 1):
            for col in range(min_col, max_col + 1):
                cells.add(cell_ref(row - 1, col - 1))
    return cells


def unlocked_cells(ws) -> set[str]:
    return {c.coordinate for row in ws.iter_rows() for c in row
            if c.protection is not None and c.protection.locked is False}


def test_file_names_and_manifest(generated):
    names = sorted(p.name for p in generated.out_dir.glob("*.xlsx"))
    assert names == ["03550_Xa_Si_Lo_Lau.xlsx", "CQ02_Phong_Noi_vu.xlsx"]
    rows = list(csv.DictReader(generated.manifest.open(encoding="utf-8-sig")))
    assert [r["unit_code"] for r in rows] == ["03550", "CQ02"]
    for row in rows:
        path = generated.out_dir / row["file"]
        assert row["sha256"] == sha256_file(path)
        assert "qcdc-hd22@2022.1" in row["forms"] and "so-lieu-2023@2023.1" in row["forms"]
    assert rows[0]["unit_name"] == "Xã Sì Lở Lầu"
    assert not list(generated.out_dir.glob(".*.tmp"))


def test_sheets_and_visibility(book):
    assert book.sheetnames == SHEETS
    assert book[META_SHEET].sheet_state == "hidden"
    assert all(book[name].sheet_state == "visible" for name in SHEETS[:-1])


def test_every_sheet_protected_with_password(book):
    for ws in book.worksheets:
        assert ws.protection.sheet is True, ws.title
        assert ws.protection.password, ws.title
        assert ws.protection.insertRows is True and ws.protection.deleteRows is True


def test_only_input_cells_unlocked(book, campaign):
    """Scores, evidence, the signer's name, the place and date of signing (and the report's number
    where the sheet has "(Kèm theo Báo cáo số ...)"): nothing else."""
    qcdc = plan_criteria(campaign.form("qcdc-hd22"), campaign.year)
    assert qcdc.reference_row is not None and "Kèm theo" in book["QCDC"].cell(qcdc.reference_row + 1, 2).value
    expected = {cell_ref(r.row, c) for r in qcdc.criterion_rows() for c in (4, 5)}
    expected |= {cell_ref(row, c) for row in (qcdc.signer_row, PLACE_DATE_ROW) for c in range(3, qcdc.last_col + 1)}
    expected |= {cell_ref(qcdc.reference_row, c) for c in range(1, qcdc.last_col + 1)}
    assert unlocked_cells(book["QCDC"]) == expected
    dvcq = plan_criteria(campaign.form("dvcq-qd248"), campaign.year)
    assert dvcq.reference_row is None
    expected = {cell_ref(r.row, c) for r in dvcq.criterion_rows() for c in (4, 6)}
    expected |= {cell_ref(row, c) for row in (dvcq.signer_row, PLACE_DATE_ROW) for c in range(3, dvcq.last_col + 1)}
    assert unlocked_cells(book["DVCQ"]) == expected
    figures = plan_indicators(campaign.form("so-lieu-2023"), campaign.year)
    expected = {cell_ref(r.row, c) for r in figures.field_rows() for c in (IND_COL_VALUE, IND_COL_NOTE)}
    expected |= {cell_ref(row, c) for row in (figures.signer_row, PLACE_DATE_ROW)
                 for c in range(IND_COL_UNIT, IND_COL_NOTE + 1)}
    assert unlocked_cells(book["Số liệu"]) == expected
    assert unlocked_cells(book["Hướng dẫn"]) == set()
    assert unlocked_cells(book[META_SHEET]) == set()


def test_team_column_visible_locked_and_empty(book, campaign):
    ws = book["DVCQ"]
    layout = plan_criteria(campaign.form("dvcq-qd248"), campaign.year)
    assert ws.cell(layout.header_row + 1, 6).value == "Tổ KT, đánh giá chấm"
    assert not ws.column_dimensions["F"].hidden
    for r in layout.criterion_rows():
        cell = ws.cell(r.row + 1, 6)
        assert cell.value is None and cell.protection.locked is True


def validation_at(ws, ref: str):
    found = [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]
    assert len(found) == 1, ref
    return found[0]


@pytest.mark.parametrize("form_id", ["qcdc-hd22", "dvcq-qd248"])
def test_every_score_cell_validated_against_its_maximum(book, campaign, form_id):
    spec: CriteriaSpec = campaign.form(form_id)
    ws = book[spec.sheet_name]
    layout = plan_criteria(spec, campaign.year)
    for criterion in spec.criteria():
        ref = layout.score_cell(criterion.id)
        dv = validation_at(ws, ref)
        assert dv.type == "decimal" and dv.operator in (None, "between")  # OOXML default
        assert Decimal(dv.formula1) == 0 and Decimal(dv.formula2) == criterion.max
        assert dv.errorStyle in (None, "stop") and dv.showErrorMessage and dv.showInputMessage
        points = str(criterion.max).replace(".", ",")
        assert f"từ 0 đến {points}" in dv.prompt and dv.promptTitle == f"Điểm chuẩn: {points}"
        assert dv.errorTitle == "Điểm không hợp lệ" and f"từ 0 đến {points}" in dv.error
        assert ws[ref].value is None


@pytest.mark.parametrize("form_id", ["qcdc-hd22", "dvcq-qd248"])
def test_rows_carry_ids_text_and_maxima(book, campaign, form_id):
    spec = campaign.form(form_id)
    ws = book[spec.sheet_name]
    layout = plan_criteria(spec, campaign.year)
    assert ws.column_dimensions["A"].hidden
    for form_row in layout.rows:
        row = form_row.row + 1
        assert ws.cell(row, 1).value == form_row.node.id
        assert (ws.cell(row, 2).value or "") == form_row.node.stt
        assert ws.cell(row, 3).value == form_row.node.text
        assert Decimal(str(ws.cell(row, 4).value)) == form_row.node.max


@pytest.mark.parametrize("form_id", ["qcdc-hd22", "dvcq-qd248"])
def test_subtotals_totals_and_classification_are_formulas(book, campaign, form_id):
    spec = campaign.form(form_id)
    ws = book[spec.sheet_name]
    layout = plan_criteria(spec, campaign.year)
    col = layout.unit_col
    for form_row in layout.rows:
        if form_row.is_section:
            formula = ws.cell(form_row.row + 1, col + 1).value
            assert formula.startswith("=ROUND(SUM(")
            expected = {layout.score_cell(c.id) for c in form_row.node.criteria()}
            assert expand(formula) == expected
    all_scores = {layout.score_cell(c.id) for c in spec.criteria()}
    total = ws.cell(layout.total_row + 1, col + 1).value
    assert total.startswith("=ROUND(SUM(") and expand(total) == all_scores
    count = ws.cell(layout.count_row + 1, col + 1).value
    assert count.startswith("=COUNT(") and expand(count) == all_scores
    classification = ws.cell(layout.classification_row + 1, 4).value
    for band in spec.bands.items:
        assert f'"{band.label}"' in classification
    assert '"Chưa chấm đủ"' in classification
    bands_text = ws.cell(layout.bands_row + 1, 2).value
    assert spec.bands.describe() in bands_text


def test_header_block_and_signature(book, campaign):
    ws = book["QCDC"]
    layout = plan_criteria(campaign.form("qcdc-hd22"), campaign.year)
    assert ws["B1"].value == "UBND HUYỆN PHONG THỔ"
    assert ws["B2"].value == "UBND XÃ SÌ LỞ LẦU"
    assert ws["D1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert ws["D2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert ws.cell(layout.signature_row + 1, 4).value == "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"
    assert ws.cell(layout.signature_row + 2, 4).value == "(Ký, ghi rõ họ và tên, đóng dấu)"
    assert ws.cell(layout.signer_row + 1, 1).value == MARK_SIGNER
    assert ws.cell(layout.unit_row + 1, 2).value == "Đơn vị: Xã Sì Lở Lầu"
    assert ws.cell(layout.title_row + 3, 2).value == "và đơn vị sự nghiệp công lập năm 2023"


def test_correction_notes_visible_once(book, campaign):
    """Each of the three corrections of the source (STT 1.3 twice, STT 3.2 twice, 4.1 given 1 point)
    is explained once on the sheet the unit signs; the row's own note is a comment on screen."""
    ws = book["QCDC"]
    layout = plan_criteria(campaign.form("qcdc-hd22"), campaign.year)
    table = {r.row + 1 for r in layout.rows}
    printed = [str(c.value) for row in ws.iter_rows() for c in row
               if isinstance(c.value, str) and c.column > 1 and c.row not in table]
    assert sum('"1.3"' in t for t in printed) == 1 and sum('"3.2"' in t for t in printed) == 1
    assert sum("4.1" in t and "2 điểm" in t for t in printed) == 1
    notes = [ws.cell(layout.notes_row + 1 + i, 2).value for i in range(len(layout.note_lines()))]
    assert all(note.startswith(f"({i})") for i, note in enumerate(notes, start=1))
    assert ws[cell_ref(layout.row_of("d.i.4.1"), 3)].comment is not None
    instructions = "\n".join(str(c.value) for row in book["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "Hạn nộp: trước ngày 09/11/2023" in instructions and "ngưỡng tạm thời" in instructions
    assert '"Ghi chú" dưới mỗi bảng chấm điểm' in instructions and "4.1" not in instructions


def test_header_rows_frozen_on_screen_and_repeated_on_paper(book, campaign):
    layouts = {"QCDC": plan_criteria(campaign.form("qcdc-hd22"), campaign.year),
               "DVCQ": plan_criteria(campaign.form("dvcq-qd248"), campaign.year),
               "Số liệu": plan_indicators(campaign.form("so-lieu-2023"), campaign.year)}
    for name, layout in layouts.items():
        ws = book[name]
        assert ws.freeze_panes == f"A{layout.header_row + 2}", name
        assert ws.print_title_rows.replace("$", "") == f"{layout.header_row + 1}:{layout.header_row + 1}", name


def test_figures_sheet_signed_like_score_sheets(book, campaign):
    layout = plan_indicators(campaign.form("so-lieu-2023"), campaign.year)
    ws = book["Số liệu"]
    col = IND_COL_UNIT + 1
    assert ws.cell(layout.signature_row + 1, col).value == "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"
    assert ws.cell(layout.signature_row + 2, col).value == "(Ký, ghi rõ họ và tên, đóng dấu)"
    assert ws.cell(layout.signer_row + 1, 1).value == MARK_SIGNER
    assert layout.field_rows()[-1].row < layout.signature_row < layout.notes_row
    assert ws.cell(layout.notes_row + 1, 2).value.startswith("Ghi chú:")


def test_count_of_criteria_not_under_the_maximum(book, campaign):
    """'Số tiêu chí đã chấm' shows n/total in the unit's column, nothing under 'Điểm chuẩn'."""
    layout = plan_criteria(campaign.form("dvcq-qd248"), campaign.year)
    ws = book["DVCQ"]
    row = layout.count_row + 1
    assert ws.cell(row, 2).value.startswith("Số tiêu chí đã chấm") and ws.cell(row, 4).value is None
    assert f"B{row}:D{row}" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.cell(row, layout.unit_col + 1).number_format == f'0"/{len(layout.criterion_rows())}"'


A4_PT = (595.3, 841.9)
UNIT_PT = 6.0          # a column width unit with Times New Roman 12 as the default font
READABLE = 90          # per cent: the least scale a printed sheet may take
LIBREOFFICE_NUDGE = 0.98  # a sheet fitted to its width is shrunk 2 % more when that saves a page (tdf#103516)


def printable_pt(ws) -> tuple[float, float]:
    """Width and height inside the sheet's margins on portrait A4."""
    m = ws.page_margins
    return A4_PT[0] - (m.left + m.right) * 72, A4_PT[1] - (m.top + m.bottom) * 72


def printed_width_pt(ws) -> float:
    """Sum of the stored widths of the print area's columns, in points."""
    area = ws.print_area if isinstance(ws.print_area, str) else ws.print_area[0]
    first, _, last, _ = range_boundaries(area.split("!")[-1].replace("$", ""))
    letters = [openpyxl.utils.get_column_letter(c) for c in range(first, last + 1)]
    return sum(ws.column_dimensions[c].width * UNIT_PT for c in letters if not ws.column_dimensions[c].hidden)


@pytest.mark.parametrize("name", ["QCDC", "DVCQ", "Số liệu"])
def test_unit_sheets_print_at_a_readable_scale(book, name):
    """Fitted to the width of portrait A4 within the Nghị định 30 margins, a sheet the unit signs
    prints at 90 % or more: LibreOffice takes the largest whole per cent that fits, then perhaps 2 %
    less to save a page, so the width must fit at 92 %. A wider column fails here."""
    ws = book[name]
    assert (ws.page_margins.left, ws.page_margins.right) == (1.18, 0.59)
    zoom = min(100, math.floor(printable_pt(ws)[0] / printed_width_pt(ws) * 100))
    assert math.floor(zoom * LIBREOFFICE_NUDGE) >= READABLE, f"{name}: {printed_width_pt(ws):.0f} pt wide, {zoom} %"


@pytest.mark.parametrize("name", ["QCDC", "DVCQ", "Số liệu"])
def test_header_block_halves_hold_the_issuer_and_the_motto(book, name):
    """The motto (bold 12 pt) on one line in the right half of the header block, the issuer in the
    left half, at the widths that make the sheet readable."""
    ws = book[name]
    halves = {ws.cell(r.min_row, r.min_col).value: sum(ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
                                                        * UNIT_PT for c in range(r.min_col, r.max_col + 1))
              for r in ws.merged_cells.ranges if r.min_row == 1}
    assert halves[MOTTO] >= text_width(MOTTO, 12, bold=True) + 3
    issuer = ws["B1"].value
    assert halves[issuer] >= text_width(issuer, 12) + 3


def test_instructions_on_one_page(book):
    """'Hướng dẫn' fits one A4 page, at 90 % or more (its height is the limit)."""
    ws = book["Hướng dẫn"]
    assert ws.page_setup.fitToHeight in (None, 1) and ws.page_setup.fitToWidth in (None, 1)
    width_pt = sum((ws.column_dimensions[c].width or 8) * UNIT_PT for c in "AB")
    height_pt = sum(ws.row_dimensions[r].height or 15 for r in range(1, ws.max_row + 1))
    room_width, room_height = printable_pt(ws)
    assert min(1.0, room_width / width_pt, room_height / height_pt) >= READABLE / 100


def test_print_setup(book):
    for name in ("QCDC", "DVCQ", "Số liệu"):
        ws = book[name]
        assert ws.page_setup.paperSize == 9
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows
        assert ws.print_area
        assert ws["B10"].font.name == "Times New Roman"


def test_embedded_metadata(book, generated, campaign):
    meta = {row[0].value: row[1].value for row in book[META_SHEET].iter_rows()}
    assert meta["unit_code"] == "03550" and meta["campaign_id"] == "phong-tho-2023"
    assert meta["forms"] == "qcdc-hd22,dvcq-qd248,so-lieu-2023"
    assert meta["form.qcdc-hd22.sha256"] == campaign.form("qcdc-hd22").content_hash
    assert meta["file_id"] == generated.files[0].file_id
    props = {p.name: p.value for p in book.custom_doc_props.props}
    assert props[property_name("unit_code")] == "03550"
    assert props[property_name("file_id")] == meta["file_id"]
    assert props[property_name("form.dvcq-qd248.sha256")] == campaign.form("dvcq-qd248").content_hash


def test_file_ids_unique(generated):
    assert len({f.file_id for f in generated.files}) == len(generated.files)


def test_figures_sheet_validation_and_checks(book, campaign):
    spec = campaign.form("so-lieu-2023")
    ws = book["Số liệu"]
    layout = plan_indicators(spec, campaign.year)
    kinds = {"int": "whole", "bool": "list", "date": "date"}
    for row in layout.field_rows():
        ref = layout.value_cell(row.field.id)
        assert ws.cell(row.row + 1, 1).value == row.field.id
        assert validation_at(ws, ref).type == kinds[row.field.type]
    check = ws[cell_ref(next(r.row for r in layout.field_rows() if r.field.id == "hs_da_giai_quyet"), 5)].value
    assert "Số hồ sơ đã giải quyết không được lớn hơn" in check
    assert layout.value_cell("hs_tiep_nhan") in check


def test_file_name_without_diacritics(campaign):
    unit = next(u for u in campaign.units if u.code == "CQ08")
    assert unit_file_name(unit) == "CQ08_Phong_Lao_dong_Thuong_binh_va_Xa_hoi.xlsx"


def test_template_workbook_equals_direct_build(campaign, tmp_path):
    """generate fills a per-group template; the result must be the directly built workbook."""
    import datetime as dt

    from tests.helpers import build_workbook
    from workbook_tools.form.identity import FileIdentity
    from workbook_tools.generate.template import build_template, instantiate
    from workbook_tools.generate.workbook import build_to
    from workbook_tools.read.xlsx import read_xlsx

    now = dt.datetime(2023, 10, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    key = b"k" * 32
    tricky = campaign.units[0].__class__(code="X&1", name='Xã <Thử> & "Nghiệm" đặc biệt', group="xa", line=0)
    for unit in (campaign.units[0], campaign.units[-1], tricky):
        identity = FileIdentity("1234-abcd", now)
        build_workbook(campaign, unit, identity, tmp_path / "direct.xlsx", key)
        data = instantiate(build_template(campaign, unit.group, identity, build_to), campaign, unit, identity, key)
        direct, templated = read_xlsx(tmp_path / "direct.xlsx"), read_xlsx(data)
        assert direct.order == templated.order
        for name in direct.order:
            assert direct.sheet(name).cells == templated.sheet(name).cells, (unit.code, name)
            assert direct.sheet(name).protected == templated.sheet(name).protected
        assert direct.custom_properties == templated.custom_properties
        assert direct.custom_properties["wt_unit_name"] == unit.name
