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
    WIDTH_STT,
    WIDTH_TEXT,
    CriteriaLayout,
    FormRow,
    cell_ref,
    runs,
)
from workbook_tools.generate.common import Block, finish_sheet, group_units, merge_text, write_header_block
from workbook_tools.paper.cellfit import (
    broken_lines,
    columns_pt,
    fitted_height,
    lines_height,
    paragraph_height,
    table_height,
)
from workbook_tools.paper.pager import Group
from workbook_tools.paper.styles import FormStyles, Styles, count_format
from workbook_tools.spec.base import format_points
from workbook_tools.spec.campaign import Campaign, Unit
from workbook_tools.spec.criteria import Section
from workbook_tools.spec.scoring import INCOMPLETE

TOTAL_ROW_HEIGHT = 20
COUNT_LABEL = "Số tiêu chí đã chấm / tổng số tiêu chí"
HEADER_PAD_LINES = 0.6  # air above and below the column header's longest label
INPUT_TITLE = "Điểm chuẩn: {max}"
INPUT_MESSAGE = ("Nhập điểm từ 0 đến {max}. Được nhập số lẻ (ví dụ 1,5). "
                 "Tiêu chí không đạt thì nhập 0, không để trống.")
ERROR_TITLE = "Điểm không hợp lệ"
REFERENCE_PROMPT = {
    "validate": "any", "input_title": "Số, ngày của báo cáo",
    "input_message": "Ghi số, ký hiệu và ngày của báo cáo mà bảng này kèm theo, thay cho các dấu chấm.",
}
ERROR_MESSAGE = ("Điểm phải là một số từ 0 đến {max} (Điểm chuẩn của tiêu chí này). "
                 "Bấm Thử lại (Retry) và nhập lại. Nếu máy dùng dấu chấm thập phân, "
                 "hãy nhập 1.5 thay cho 1,5.")


def write_criteria_sheet(wb: Workbook, st: Styles, fs: FormStyles, campaign: Campaign, unit: Unit,
                         layout: CriteriaLayout) -> None:
    """Add the scoring sheet planned by ``layout`` (see ``layout.plan_criteria``)."""
    ws = wb.add_worksheet(layout.spec.sheet_name)
    _set_columns(ws, layout)
    last = layout.last_col
    write_header_block(ws, st, fs, campaign, unit, Block(left_last=COL_TEXT, right_first=COL_MAX,
                                                         right_last=last,
                                                         left_pt=columns_pt(WIDTH_STT, WIDTH_TEXT)))
    _write_titles(ws, st, fs, layout, campaign, unit)
    _write_table_header(ws, st, layout)
    for form_row in layout.rows:
        _write_row(ws, st, layout, form_row)
    _write_totals(ws, st, layout)
    _write_count(ws, fs, layout, count_format(wb, len(layout.criterion_rows())))
    _write_classification(ws, st, layout)
    _write_notes(ws, st, layout)
    _write_signature(ws, st, fs, layout)
    finish_sheet(ws, campaign.sheet_password, layout.header_row, layout.last_row, last, _table_pt(layout),
                 *page_groups(layout))
    first = layout.criterion_rows()[0].row
    ws.set_selection(first, layout.unit_col, first, layout.unit_col)


def page_groups(layout: CriteriaLayout) -> tuple[list[Group], list[Group]]:
    """Rows kept on one page: each section heading with the rows down to its first criterion, the
    last criterion with the totals and the signature; then, where it costs no page, the notes too."""
    rows, last = layout.rows, layout.criterion_rows()[-1].row
    headings = [(r.row, next((x.row for x in rows[i + 1:] if not x.is_section), r.row))
                for i, r in enumerate(rows) if r.is_section]
    return headings + [(last, layout.signer_row)], [(last, layout.last_row)]


def _set_columns(ws: Worksheet, layout: CriteriaLayout) -> None:
    for col, width in layout.column_widths.items():
        ws.set_column(col, col, width)


def _table_pt(layout: CriteriaLayout) -> float:
    """Width of the printed table (and of every line merged across it), in points."""
    return columns_pt(*layout.column_widths.values())


def _span_pt(layout: CriteriaLayout, first: int, last: int) -> float:
    """Width of the columns first..last (a merged range), in points."""
    return columns_pt(*(w for c, w in layout.column_widths.items() if first <= c <= last))


def _write_titles(ws: Worksheet, st: Styles, fs: FormStyles, layout: CriteriaLayout, campaign: Campaign,
                  unit: Unit) -> None:
    spec, last, row, width = layout.spec, layout.last_col, layout.title_row, _table_pt(layout)
    for line in spec.titles(campaign.year):
        merge_text(ws, row, COL_STT, last, line, st.title)
        ws.set_row(row, fitted_height(line, width, 13, bold=True))
        row += 1
    if spec.subtitle:  # "(Kèm theo Báo cáo số .....)": dots are blanks the unit fills in
        to_fill = row == layout.reference_row
        merge_text(ws, row, COL_STT, last, spec.subtitle, fs.reference_input if to_fill else st.subtitle)
        ws.set_row(row, fitted_height(spec.subtitle, width, italic=True))
        if to_fill:
            ws.data_validation(row, COL_STT, row, COL_STT, REFERENCE_PROMPT)
    write_unit_line(ws, fs, layout.unit_row, last, width, campaign, unit)


def write_unit_line(ws: Worksheet, fs: FormStyles, row: int, last: int, width: float, campaign: Campaign,
                    unit: Unit) -> None:
    """'Đơn vị: ...' across the table, as tall as the group's longest name needs."""
    merge_text(ws, row, COL_STT, last, f"Đơn vị: {unit.name}", fs.unit_line)
    ws.set_row(row, max(fitted_height(f"Đơn vị: {u.name}", width, bold=True) for u in group_units(campaign, unit)))


def _write_table_header(ws: Worksheet, st: Styles, layout: CriteriaLayout) -> None:
    spec, row = layout.spec, layout.header_row
    ws.write_string(row, COL_ID, MARK_HEADER)
    ws.write_string(row, COL_STT, "STT", st.table_header)
    ws.write_string(row, COL_TEXT, spec.content_label, st.table_header)
    ws.write_string(row, COL_MAX, spec.max_label, st.table_header)
    for col, column in zip(layout.score_cols, spec.score_columns):
        ws.write_string(row, col, column.label, st.table_header)
    ws.write_string(row, layout.evidence_col, spec.evidence_label, st.table_header)
    labels = [(spec.content_label, COL_TEXT), (spec.max_label, COL_MAX), (spec.evidence_label, layout.evidence_col)]
    labels += list(zip((c.label for c in spec.score_columns), layout.score_cols))
    lines = max(broken_lines(label, _span_pt(layout, col, col), bold=True) for label, col in labels)
    ws.set_row(row, lines_height(lines + HEADER_PAD_LINES))


def _write_row(ws: Worksheet, st: Styles, layout: CriteriaLayout, form_row: FormRow) -> None:
    node, row = form_row.node, form_row.row
    ws.write_string(row, COL_ID, node.id)
    is_section = isinstance(node, Section)
    ws.write_string(row, COL_STT, node.stt, st.section_stt if is_section else st.criterion_stt)
    ws.write_string(row, COL_TEXT, node.text, st.section if is_section else st.criterion)
    ws.write_number(row, COL_MAX, float(node.max), st.section_number if is_section else st.number)
    if node.notes:
        ws.write_comment(row, COL_MAX, "\n".join(node.notes), {"x_scale": 2, "y_scale": 1.5})
    ws.set_row(row, table_height(node.text, _span_pt(layout, COL_TEXT, COL_TEXT), bold=is_section))
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
    """The total: points, under the maximum's column the table's 100."""
    spec, col, row = layout.spec, layout.unit_col, layout.total_row
    ws.write_string(row, COL_ID, MARK_TOTAL)
    ws.write_blank(row, COL_STT, None, st.total_label)
    ws.write_string(row, COL_TEXT, spec.total_label, st.total_label)
    ws.write_number(row, COL_MAX, float(spec.total), st.total_number)
    ws.write_formula(row, col, total_formulas(layout)["total"], st.total_number, 0)
    _blank_row_cells(ws, st, layout, row)
    ws.set_row(row, TOTAL_ROW_HEIGHT)


def _write_count(ws: Worksheet, fs: FormStyles, layout: CriteriaLayout, count_fmt) -> None:
    """The count of scored criteria, shown 'n/total' in the unit's column; nothing under the
    maximum's column, so that it cannot be read as points."""
    col, row = layout.unit_col, layout.count_row
    ws.write_string(row, COL_ID, MARK_COUNT)
    ws.merge_range(row, COL_STT, row, COL_MAX, COUNT_LABEL, fs.total_label)
    ws.write_formula(row, col, total_formulas(layout)["count"], count_fmt, 0)
    _blank_row_cells(ws, fs, layout, row)
    ws.set_row(row, TOTAL_ROW_HEIGHT)


def _blank_row_cells(ws: Worksheet, st, layout: CriteriaLayout, row: int) -> None:
    """Bordered blanks in the score columns other than the unit's, and in the evidence column."""
    for col in (*layout.score_cols, layout.evidence_col):
        if col != layout.unit_col:
            ws.write_blank(row, col, None, st.total_label)


def _write_classification(ws: Worksheet, st: Styles, layout: CriteriaLayout) -> None:
    spec, last, row = layout.spec, layout.last_col, layout.classification_row
    ws.write_string(row, COL_ID, MARK_CLASS)
    ws.write_blank(row, COL_STT, None, st.total_label)
    ws.write_string(row, COL_TEXT, spec.classification_label, st.total_label)
    ws.merge_range(row, COL_MAX, row, last, "", st.classification)
    ws.write_formula(row, COL_MAX, total_formulas(layout)["classification"], st.classification, INCOMPLETE)
    ws.set_row(row, TOTAL_ROW_HEIGHT)
    bands = f"Thang xếp loại dùng cho bảng này: {spec.bands.describe()}."
    merge_text(ws, layout.bands_row, COL_STT, last, bands, st.note)
    ws.set_row(layout.bands_row, fitted_height(bands, _table_pt(layout), 11, italic=True))


def _write_notes(ws: Worksheet, st: Styles, layout: CriteriaLayout) -> None:
    lines = layout.note_lines()
    if not lines:
        return
    merge_text(ws, layout.notes_row - 1, COL_STT, layout.last_col, "Ghi chú:", st.note)
    for i, line in enumerate(lines):
        row = layout.notes_row + i
        text = f"({i + 1}) {line}"
        merge_text(ws, row, COL_STT, layout.last_col, text, st.note)
        ws.set_row(row, paragraph_height(text, _table_pt(layout), 11, italic=True))


def _write_signature(ws: Worksheet, st: Styles, fs: FormStyles, layout: CriteriaLayout) -> None:
    spec, row = layout.spec, layout.signature_row
    first, last = COL_MAX, layout.last_col
    write_signature(ws, st, fs, (row, layout.signer_row), (first, last), (spec.signature_title, spec.signature_hint),
                    _span_pt(layout, first, last))


def write_signature(ws: Worksheet, st: Styles, fs: FormStyles, rows: tuple[int, int], cols: tuple[int, int],
                    texts: tuple[str, str], width: float) -> None:
    """The signer's title and hint at rows[0], the yellow cell for the signer's name at rows[1]."""
    (row, signer_row), (first, last), (title, hint) = rows, cols, texts
    merge_text(ws, row, first, last, title, fs.signature_label)
    ws.set_row(row, fitted_height(title, width, bold=True))
    merge_text(ws, row + 1, first, last, hint, st.italic_center)
    ws.merge_range(signer_row, first, signer_row, last, "", st.signer_input)
    ws.write_string(signer_row, COL_ID, MARK_SIGNER)
    ws.set_row(signer_row, fitted_height("", width))
    ws.data_validation(signer_row, first, signer_row, first, {
        "validate": "any", "input_title": "Họ và tên thủ trưởng",
        "input_message": "Nhập họ và tên người ký (thủ trưởng cơ quan, đơn vị).",
    })
