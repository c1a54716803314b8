"""The figures sheet ("Số liệu"): typed fields with validation and live consistency checks."""

from __future__ import annotations

import datetime as dt

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workbook_tools.form.layout import (
    COL_ID,
    COL_STT,
    COL_TEXT,
    IND_COL_CHECK,
    IND_COL_NOTE,
    IND_COL_UNIT,
    IND_COL_VALUE,
    MARK_HEADER,
    WIDTH_IND_CHECK,
    WIDTH_IND_LABEL,
    WIDTH_IND_NOTE,
    WIDTH_IND_UNIT,
    WIDTH_IND_VALUE,
    WIDTH_STT,
    IndicatorLayout,
    plan_indicators,
)
from workbook_tools.generate.common import Block, finish_sheet, merge_text, write_header_block
from workbook_tools.generate.sheet_criteria import HEADER_PAD_LINES, write_signature, write_unit_line
from workbook_tools.paper.cellfit import (
    broken_lines,
    columns_pt,
    fitted_height,
    lines_height,
    paragraph_height,
    table_height,
)
from workbook_tools.paper.pager import Group
from workbook_tools.paper.styles import CHECK_SIZE, FormStyles, Styles
from workbook_tools.spec.campaign import Campaign, Unit
from workbook_tools.spec.indicators import Indicator, IndicatorSpec, Rule

YES, NO = "Có", "Không"
HEADERS = ("STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Kiểm tra", "Ghi chú")
NOT_WHOLE = "Cần số nguyên ≥ 0. "  # short: one line in the narrow check column
WIDTHS = (WIDTH_STT, WIDTH_IND_LABEL, WIDTH_IND_UNIT, WIDTH_IND_VALUE, WIDTH_IND_CHECK, WIDTH_IND_NOTE)
SIGNATURE = ("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", "(Ký, ghi rõ họ và tên, đóng dấu)")  # when no score sheet names one
VALIDATIONS = {
    "int": {"validate": "integer", "criteria": ">=", "value": 0,
            "input_title": "Số nguyên", "input_message": "Nhập số nguyên từ 0 trở lên; không có thì nhập 0.",
            "error_title": "Số liệu không hợp lệ",
            "error_message": "Chỉ nhập số nguyên từ 0 trở lên (ví dụ 12). Bấm Thử lại (Retry) để nhập lại."},
    "bool": {"validate": "list", "source": [YES, NO],
             "input_title": "Có / Không", "input_message": "Chọn Có hoặc Không trong danh sách.",
             "error_title": "Giá trị không hợp lệ",
             "error_message": "Chỉ chọn Có hoặc Không. Bấm Thử lại (Retry) để chọn lại."},
    "date": {"validate": "date", "criteria": "between",
             "minimum": dt.date(2000, 1, 1), "maximum": dt.date(2100, 12, 31),
             "input_title": "Ngày", "input_message": "Nhập ngày dạng ngày/tháng/năm, ví dụ 15/01/2023.",
             "error_title": "Ngày không hợp lệ",
             "error_message": "Nhập một ngày hợp lệ dạng ngày/tháng/năm. Bấm Thử lại (Retry) để nhập lại."},
}


def write_indicator_sheet(wb: Workbook, st: Styles, fs: FormStyles, campaign: Campaign, unit: Unit,
                          spec: IndicatorSpec) -> IndicatorLayout:
    """Add the figures sheet and return its layout."""
    layout = plan_indicators(spec, campaign.year)
    ws = wb.add_worksheet(spec.sheet_name)
    for offset, width in enumerate(WIDTHS):
        ws.set_column(COL_STT + offset, COL_STT + offset, width)
    write_header_block(ws, st, fs, campaign, unit, Block(left_last=COL_TEXT, right_first=IND_COL_UNIT,
                                                         right_last=IND_COL_NOTE,
                                                         left_pt=columns_pt(*WIDTHS[:2])))
    for i, line in enumerate(spec.titles(campaign.year)):
        merge_text(ws, layout.title_row + i, COL_STT, IND_COL_NOTE, line, st.title)
        ws.set_row(layout.title_row + i, fitted_height(line, columns_pt(*WIDTHS), 13, bold=True))
    write_unit_line(ws, fs, layout.unit_row, IND_COL_NOTE, columns_pt(*WIDTHS), campaign, unit)
    _write_table(ws, st, fs, layout)
    write_signature(ws, st, fs, (layout.signature_row, layout.signer_row), (IND_COL_UNIT, IND_COL_NOTE),
                    signature_texts(campaign, unit), columns_pt(*WIDTHS[2:]))
    _write_notes(ws, st, layout)
    finish_sheet(ws, campaign.sheet_password, layout.header_row, layout.last_row, IND_COL_NOTE, columns_pt(*WIDTHS),
                 *page_groups(layout))
    first = layout.field_rows()[0].row
    ws.set_selection(first, IND_COL_VALUE, first, IND_COL_VALUE)
    return layout


def page_groups(layout: IndicatorLayout) -> tuple[list[Group], list[Group]]:
    """Rows kept on one page: each group's heading with its first figure, the last figure with the
    signature; then, where it costs no page, the notes too."""
    rows, last = layout.rows, layout.field_rows()[-1].row
    headings = [(r.row, rows[i + 1].row) for i, r in enumerate(rows[:-1]) if r.field is None]
    return headings + [(last, layout.signer_row)], [(last, layout.last_row)]


def signature_texts(campaign: Campaign, unit: Unit) -> tuple[str, str]:
    """The signer's title and hint: the same as on the unit's score sheets."""
    scored = campaign.scored_forms_for(unit)
    return (scored[0].signature_title, scored[0].signature_hint) if scored else SIGNATURE


def _write_table(ws: Worksheet, st: Styles, fs: FormStyles, layout: IndicatorLayout) -> None:
    for offset, header in enumerate(HEADERS):
        ws.write_string(layout.header_row, COL_STT + offset, header, st.table_header)
    ws.write_string(layout.header_row, COL_ID, MARK_HEADER)
    lines = max(broken_lines(h, columns_pt(w), bold=True) for h, w in zip(HEADERS, WIDTHS))
    ws.set_row(layout.header_row, lines_height(lines + HEADER_PAD_LINES))
    checks, messages = check_formulas(layout), check_messages(layout)
    for row in layout.rows:
        if row.field is None:
            _write_group(ws, st, row.row, row.group.stt, row.group.title)
        else:
            _write_field(ws, st, fs, row.row, row.field, checks.get(row.field.id))
            ws.set_row(row.row, _field_height(row.field, messages.get(row.field.id, [])))


def _field_height(field: Indicator, messages: list[str]) -> float:
    """As tall as the label, the measure and the longest message the check may show need."""
    return max([table_height(field.label, columns_pt(WIDTH_IND_LABEL)),
                table_height(field.unit, columns_pt(WIDTH_IND_UNIT))]
               + [table_height(m, columns_pt(WIDTH_IND_CHECK), CHECK_SIZE) for m in messages])


def _write_group(ws: Worksheet, st: Styles, row: int, stt: str, title: str) -> None:
    ws.write_string(row, COL_STT, stt, st.section_stt)
    ws.merge_range(row, COL_TEXT, row, IND_COL_NOTE, title, st.section)


def _write_field(ws: Worksheet, st: Styles, fs: FormStyles, row: int, field: Indicator, check: str | None) -> None:
    ws.write_string(row, COL_ID, field.id)
    ws.write_string(row, COL_STT, field.stt, st.criterion_stt)
    ws.write_string(row, COL_TEXT, field.label, st.criterion)
    ws.write_string(row, IND_COL_UNIT, field.unit, fs.measure)
    value_format = st.date_input if field.type == "date" else st.score_input
    ws.write_blank(row, IND_COL_VALUE, None, value_format)
    ws.data_validation(row, IND_COL_VALUE, row, IND_COL_VALUE, VALIDATIONS[field.type])
    if check:
        ws.write_formula(row, IND_COL_CHECK, check, fs.check, "")
    else:
        ws.write_blank(row, IND_COL_CHECK, None, fs.check)
    ws.write_blank(row, IND_COL_NOTE, None, st.evidence_input)


def check_messages(layout: IndicatorLayout) -> dict[str, list[str]]:
    """The messages the 'Kiểm tra' cell of each field may show (its row is as tall as the longest
    needs; two at once, a fraction that also breaks a rule, is too rare to make every row taller)."""
    found: dict[str, list[str]] = {}
    for row in layout.field_rows():
        if row.field.type == "int":
            found.setdefault(row.field.id, []).append(NOT_WHOLE.strip())
    for rule in layout.spec.rules:
        found.setdefault(rule.left[0], []).append(rule.message)
    return found


def check_formulas(layout: IndicatorLayout) -> dict[str, str]:
    """Formula of the 'Kiểm tra' cell per field: whole-number check plus the rules it heads."""
    parts: dict[str, list[str]] = {}
    for row in layout.field_rows():
        if row.field.type == "int":
            ref = layout.value_cell(row.field.id)
            parts.setdefault(row.field.id, []).append(
                f'IF({ref}="","",IF(ISNUMBER({ref}),IF(OR({ref}<0,{ref}<>INT({ref})),'
                f'"{NOT_WHOLE}",""),"{NOT_WHOLE}"))')
    for rule in layout.spec.rules:
        parts.setdefault(rule.left[0], []).append(_rule_formula(layout, rule))
    return {field_id: "=" + "&".join(items) for field_id, items in parts.items()}


def _rule_formula(layout: IndicatorLayout, rule: Rule) -> str:
    left = ",".join(layout.value_cell(f) for f in rule.left)
    right = ",".join(layout.value_cell(f) for f in rule.right)
    count = len(rule.left) + len(rule.right)
    message = rule.message.replace('"', '""')
    op = "=" if rule.op == "==" else rule.op
    return (f'IF(COUNT({left},{right})<{count},"",IF(SUM({left}){op}SUM({right}),"",'
            f'"{message} "))')


def _write_notes(ws: Worksheet, st: Styles, layout: IndicatorLayout) -> None:
    for i, note in enumerate(layout.spec.notes):
        row, text = layout.notes_row + i, f"Ghi chú: {note}" if i == 0 else note
        merge_text(ws, row, COL_STT, IND_COL_NOTE, text, st.note)
        ws.set_row(row, paragraph_height(text, columns_pt(*WIDTHS), 11, italic=True))
