"""The scoring sheet of one criteria table (QCDC, DVCQ ...), laid out like the official annex."""

from __future__ import annotations

from decimal import Decimal

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workbook_tools.form.layout import (
    COL_ID,
    COL_MAX,
    COL_STT,
    COL_TEXT,
    MARK_CLASS,
    MARK_COUNT,
    MARK_HEADER,
    MARK_SIGNER,
    MARK_TOTAL,
    WIDTH_EVIDENCE,
    WIDTH_MAX,
    WIDTH_SCORE,
    WIDTH_STT,
    WIDTH_TEXT,
    CriteriaLayout,
    FormRow,
    cell_ref,
    runs,
)
from workbook_tools.generate.common import finish_sheet, merge_text, write_header_block
from workbook_tools.paper.page import text_height
from workbook_tools.paper.styles import Styles
from workbook_tools.spec.base import format_points
from workbook_tools.spec.campaign import Campaign, Unit
from workbook_tools.spec.criteria import Section
from workbook_tools.spec.scoring import INCOMPLETE

TOTAL_ROW_HEIGHT = 20
INPUT_TITLE = "Điểm chuẩn: {max}"
INPUT_MESSAGE = ("Nhập điểm từ 0 đến {max}. Được nhập số lẻ (ví dụ 1,5). "
                 "Tiêu chí không đạt thì nhập 0, không để trống.")
ERROR_TITLE = "Điểm không hợp lệ"
ERROR_MESSAGE = ("Điểm phải là một số từ 0 đến {max} (Điểm chuẩn của tiêu chí này). "
                 "Bấm Thử lại (Retry) và nhập lại. Nếu máy dùng dấu chấm thập phân, "
                 "hãy nhập 1.5 thay cho 1,5.")


def write_criteria_sheet(wb: Workbook, st: Styles, campaign: Campaign, unit: Unit,
                         layout: CriteriaLayout) -> None:
    """Add the scoring sheet planned by ``layout`` (see ``layout.plan_criteria``)."""
    ws = wb.add_worksheet(layout.spec.sheet_name)
    _set_columns(ws, layout)
    last = layout.last_col
    write_header_block(ws, st, campaign, unit, left_last=COL_TEXT, right_first=COL_MAX,
                       right_last=last)
    _write_titles(ws, st, layout, campaign, unit)
    _write_table_header(ws, st, layout)
    for form_row in layout.rows:
        _write_row(ws, st, layout, form_row)
    _write_totals(ws, st, layout)
    _write_notes(ws, st, layout)
    _write_signature(ws, st, layout)
    finish_sheet(ws, campaign.sheet_password, layout.header_row, layout.last_row, last)
    first = layout.criterion_rows()[0].row
    ws.set_selection(first, layout.unit_col, first, layout.unit_col)


def _set_columns(ws: Worksheet, layout: CriteriaLayout) -> None:
    ws.set_column(COL_STT, COL_STT, WIDTH_STT)
    ws.set_column(COL_TEXT, COL_TEXT, WIDTH_TEXT)
    ws.set_column(COL_MAX, COL_MAX, WIDTH_MAX)
    for col in layout.score_cols:
        ws.set_column(col, col, WIDTH_SCORE)
    ws.set_column(layout.evidence_col, layout.evidence_col, WIDTH_EVIDENCE)


def _table_width(layout: CriteriaLayout) -> float:
    return WIDTH_STT + WIDTH_TEXT + WIDTH_MAX + WIDTH_SCORE * len(layout.score_cols) + WIDTH_EVIDENCE


def _write_titles(ws: Worksheet, st: Styles, layout: CriteriaLayout, campaign: Campaign,
                  unit: Unit) -> None:
    spec, last, row = layout.spec, layout.last_col, layout.title_row
    for line in spec.titles(campaign.year):
        merge_text(ws, row, COL_STT, last, line, st.title)
        ws.set_row(row, text_height(line, _table_width(layout), 13))
        row += 1
    if spec.subtitle:
        merge_text(ws, row, COL_STT, last, spec.subtitle, st.subtitle)
    merge_text(ws, layout.unit_row, COL_STT, last, f"Đơn vị: {unit.name}", st.bold_center)


def _write_table_header(ws: Worksheet, st: Styles, layout: CriteriaLayout) -> None:
    spec, row = layout.spec, layout.header_row
    ws.write_string(row, COL_ID, MARK_HEADER)
    ws.write_string(row, COL_STT, "STT", st.table_header)
    ws.write_string(row, COL_TEXT, spec.content_label, st.table_header)
    ws.write_string(row, COL_MAX, spec.max_label, st.table_header)
    for col, column in zip(layout.score_cols, spec.score_columns):
        ws.write_string(row, col, column.label, st.table_header)
    ws.write_string(row, layout.evidence_col, spec.evidence_label, st.table_header)
    longest = max([c.label for c in spec.score_columns] + [spec.evidence_label], key=len)
    ws.set_row(row, text_height(longest, WIDTH_SCORE, 12, minimum_lines=2))


def _write_row(ws: Worksheet, st: Styles, layout: CriteriaLayout, form_row: FormRow) -> None:
    node, row = form_row.node, form_row.row
    ws.write_string(row, COL_ID, node.id)
    is_section = isinstance(node, Section)
    ws.write_string(row, COL_STT, node.stt, st.section_stt if is_section else st.criterion_stt)
    ws.write_string(row, COL_TEXT, node.text, st.section if is_section else st.criterion)
    ws.write_number(row, COL_MAX, float(node.max), st.section_number if is_section else st.number)
    if node.notes:
        ws.write_comment(row, COL_MAX, "\n".join(node.notes), {"x_scale": 2, "y_scale": 1.5})
    ws.set_row(row, text_height(node.text, WIDTH_TEXT, bold=is_section))
    if is_section:
        _write_subtotal(ws, st, layout, form_row)
    else:
        _write_inputs(ws, st, layout, form_row)


def _write_subtotal(ws: Worksheet, st: Styles, layout: CriteriaLayout, form_row: FormRow) -> None:
    section: Section = form_row.node  # type: ignore[assignment]
    rows = [layout.row_of(c.id) for c in section.criteria()]
    col = layout.unit_col
    ws.write_formula(form_row.row, col, f"=ROUND(SUM({','.join(runs(rows, col))}),2)",
                     st.section_number, 0)
    for other in layout.score_cols:
        if other != col:
            ws.write_blank(form_row.row, other, None, st.section_number)
    ws.write_blank(form_row.row, layout.evidence_col, None, st.section)


def _write_inputs(ws: Worksheet, st: Styles, layout: CriteriaLayout, form_row: FormRow) -> None:
    row, max_text = form_row.row, format_points(form_row.node.max)
    for col, column in zip(layout.score_cols, layout.spec.score_columns):
        if column.filled_by == "unit":
            ws.write_blank(row, col, None, st.score_input)
            ws.data_validation(row, col, row, col, _score_validation(form_row.node.max, max_text))
        else:
            ws.write_blank(row, col, None, st.team_locked)
    ws.write_blank(row, layout.evidence_col, None, st.evidence_input)


def _score_validation(maximum: Decimal, max_text: str) -> dict:
    return {
        "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": float(maximum),
        "input_title": INPUT_TITLE.format(max=max_text),
        "input_message": INPUT_MESSAGE.format(max=max_text),
        "error_title": ERROR_TITLE, "error_message": ERROR_MESSAGE.format(max=max_text),
        "error_type": "stop", "ignore_blank": True,
    }


def total_formulas(layout: CriteriaLayout) -> dict[str, str]:
    """The total, count and classification formulas of a scoring sheet."""
    col = layout.unit_col
    refs = ",".join(runs([r.row for r in layout.criterion_rows()], col))
    total_ref = cell_ref(layout.total_row, col)
    count_ref = cell_ref(layout.count_row, col)
    n = len(layout.criterion_rows())
    bands = layout.spec.bands.items
    label = f'"{bands[-1].label}"'
    for band in reversed(bands[:-1]):
        label = f'IF({total_ref}>={format(band.min.normalize(), "f")},"{band.label}",{label})'
    return {
        "total": f"=ROUND(SUM({refs}),2)",
        "count": f"=COUNT({refs})",
        "classification": f'=IF({count_ref}<{n},"{INCOMPLETE}",{label})',
    }


def _write_totals(ws: Worksheet, st: Styles, layout: CriteriaLayout) -> None:
    spec, col, last = layout.spec, layout.unit_col, layout.last_col
    formulas = total_formulas(layout)
    rows = [(layout.total_row, MARK_TOTAL, spec.total_label, float(spec.total), "total", 0),
            (layout.count_row, MARK_COUNT, "Số tiêu chí đã chấm", len(layout.criterion_rows()),
             "count", 0)]
    for row, mark, label, reference, key, cached in rows:
        ws.write_string(row, COL_ID, mark)
        ws.write_blank(row, COL_STT, None, st.total_label)
        ws.write_string(row, COL_TEXT, label, st.total_label)
        ws.write_number(row, COL_MAX, reference, st.total_number)
        ws.write_formula(row, col, formulas[key], st.total_number, cached)
        for other in range(col + 1, last + 1):
            ws.write_blank(row, other, None, st.total_number)
        for other in range(COL_MAX + 1, col):
            ws.write_blank(row, other, None, st.total_number)
        ws.set_row(row, TOTAL_ROW_HEIGHT)
    row = layout.classification_row
    ws.write_string(row, COL_ID, MARK_CLASS)
    ws.write_blank(row, COL_STT, None, st.total_label)
    ws.write_string(row, COL_TEXT, spec.classification_label, st.total_label)
    ws.merge_range(row, COL_MAX, row, last, "", st.classification)
    ws.write_formula(row, COL_MAX, formulas["classification"], st.classification, INCOMPLETE)
    ws.set_row(row, TOTAL_ROW_HEIGHT)
    bands = f"Thang xếp loại dùng cho bảng này: {spec.bands.describe()}."
    merge_text(ws, layout.bands_row, COL_STT, last, bands, st.note)
    ws.set_row(layout.bands_row, text_height(bands, _table_width(layout), 11))


def _write_notes(ws: Worksheet, st: Styles, layout: CriteriaLayout) -> None:
    lines = layout.note_lines()
    if not lines:
        return
    merge_text(ws, layout.notes_row - 1, COL_STT, layout.last_col, "Ghi chú:", st.note)
    for i, line in enumerate(lines):
        row = layout.notes_row + i
        text = f"({i + 1}) {line}"
        merge_text(ws, row, COL_STT, layout.last_col, text, st.note)
        ws.set_row(row, text_height(text, _table_width(layout), 11))


def _write_signature(ws: Worksheet, st: Styles, layout: CriteriaLayout) -> None:
    spec, row = layout.spec, layout.signature_row
    first, last = COL_MAX, layout.last_col
    merge_text(ws, row, first, last, spec.signature_title, st.bold_center)
    merge_text(ws, row + 1, first, last, spec.signature_hint, st.italic_center)
    ws.merge_range(layout.signer_row, first, layout.signer_row, last, "", st.signer_input)
    ws.write_string(layout.signer_row, COL_ID, MARK_SIGNER)
    ws.data_validation(layout.signer_row, first, layout.signer_row, first, {
        "validate": "any", "input_title": "Họ và tên thủ trưởng",
        "input_message": "Nhập họ và tên người ký (thủ trưởng cơ quan, đơn vị).",
    })
