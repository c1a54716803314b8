"""The sheets "Chi tiết <form>": criteria down, units across, district statistics per row."""

from __future__ import annotations

from decimal import Decimal

from xlsxwriter.worksheet import Worksheet

from workbook_tools.outputs.summary import base
from workbook_tools.outputs.summary.base import (
    Formats,
    fit_row,
    page_setup,
    row_height,
    sorted_units,
    title_block,
    units_for,
    write_note,
    write_number,
)
from workbook_tools.outputs.summary.legend import column_width, span, write_legend
from workbook_tools.results.compact import share
from workbook_tools.results.model import Collection, UnitOutcome
from workbook_tools.spec.criteria import CriteriaSpec, Section, walk
from workbook_tools.spec.scoring import round2, section_totals

FIRST_UNIT = 7  # the first unit column; before it: STT, text, maximum and the four statistics
WIDTHS = (6.0, 48.0, 8.0, 8.0, 8.0, 8.0, 8.0)  # the columns before the units
UNIT_WIDTH = 5.5  # a unit column at least (its code and a score fit)
ROTATED_SIZE = 10  # the rotated classification texts (format header_rotated)


def write_detail(ws: Worksheet, fm: Formats, collection: Collection, spec: CriteriaSpec) -> None:
    """Criteria down, valid units across (headed by their codes, named in a legend below), with
    district average / lowest / highest / % of max."""
    every = [u for u in sorted_units(collection, spec.id)
             if u.form(spec.id) is not None and u.form(spec.id).total is not None]
    units = every if len(every) <= base.MATRIX_MAX_UNITS else []
    last_col = max(FIRST_UNIT + len(units) - 1, FIRST_UNIT)
    unit_width = column_width([u.unit.code for u in units], UNIT_WIDTH, bold=True)
    stt_width = column_width([u.unit.code for u in units], WIDTHS[0], size=base.SIZE)  # legend codes
    widths = [stt_width, *WIDTHS[1:]] + [unit_width] * (last_col - FIRST_UNIT + 1)
    header = _header(ws, fm, collection, spec, len(every), units, widths)
    row, ratio_rows = _criteria_rows(ws, fm, spec, every, len(units), header + 1)
    row = _total_rows(ws, fm, spec, every, units, row)
    shown = {u.unit.code for u in units}
    row = write_legend(ws, fm, row + 1, widths,
                       [(u.unit.code, u.unit.name) for u in collection.units if u.unit.code in shown])
    for first, last in _runs(ratio_rows):
        ws.conditional_format(first, 6, last, 6, {"type": "3_color_scale", "min_color": "#F8696B",
                                                  "mid_color": "#FFEB84", "max_color": "#63BE7B"})
    for col, width in enumerate(widths[:FIRST_UNIT]):
        ws.set_column(col, col, width)
    ws.set_column(FIRST_UNIT, last_col, unit_width)
    ws.freeze_panes(header + 1, 3)
    page_setup(ws, header, last_col, row)


def _header(ws: Worksheet, fm: Formats, collection: Collection, spec: CriteriaSpec, valid: int,
            units: list[UnitOutcome], widths: list[float]) -> int:
    """Title, note and the header row (unit codes); returns the header row."""
    last_col = len(widths) - 1
    row = title_block(ws, fm, collection, f"KẾT QUẢ TỰ CHẤM TỪNG TIÊU CHÍ - {spec.short_name}", last_col)
    more = "" if units or not valid else (f" Quá {base.MATRIX_MAX_UNITS} đơn vị nên không in từng cột đơn vị: "
                                          "điểm từng đơn vị xem trong scores.csv.")
    codes = " Mỗi cột đơn vị ghi mã đơn vị; tên đơn vị theo mã xem ở cuối trang tính." if units else ""
    write_note(ws, fm, row, last_col,
               f"Chỉ gồm {valid} đơn vị có bảng {spec.short_name} hợp lệ. Cột 'Tỷ lệ đạt' = điểm "
               f"trung bình / điểm chuẩn: tô đỏ là tiêu chí yếu nhất toàn huyện.{codes}{more}", span(widths))
    header = row + 2
    labels = ["STT", spec.content_label, spec.max_label, "Trung bình", "Thấp nhất", "Cao nhất", "Tỷ lệ đạt"]
    labels += [u.unit.code for u in units]
    fit_row(ws, header, list(zip(labels, widths)), bold=True)
    for col, label in enumerate(labels):
        ws.write_string(header, col, label, fm.header)
    return header


def _criteria_rows(ws: Worksheet, fm: Formats, spec: CriteriaSpec, every: list[UnitOutcome], shown: int,
                   row: int) -> tuple[int, list[int]]:
    """One row per section and criterion; returns the next row and the criterion rows."""
    scores = [u.form(spec.id).final for u in every]  # the unit's own, or after the team's review
    sections = {s.id: i for i, s in enumerate(n for n, _ in walk(spec.sections) if isinstance(n, Section))}
    subtotals = [_shared_subtotals(spec, s, sections) for s in scores]
    ratio_rows = []
    for node, depth in walk(spec.sections):
        is_section = isinstance(node, Section)
        values = [t[sections[node.id]] for t in subtotals] if is_section else [s.get(node.id) for s in scores]
        ws.write_string(row, 0, node.stt, fm.section_number if is_section else fm.center)
        ws.write_string(row, 1, ("   " * depth) + node.text, fm.section if is_section else fm.wrap)
        fit_row(ws, row, [(("   " * depth) + node.text, WIDTHS[1])], bold=is_section)
        ws.write_number(row, 2, float(node.max), fm.section_number if is_section else fm.number)
        _stats(ws, fm, row, values, node.max, is_section)
        if not is_section:
            ratio_rows.append(row)
        for offset, value in enumerate(values[:shown]):
            write_number(ws, row, FIRST_UNIT + offset, value, fm.section_number if is_section else fm.number)
        row += 1
    return row, ratio_rows


def _total_rows(ws: Worksheet, fm: Formats, spec: CriteriaSpec, every: list[UnitOutcome],
                units: list[UnitOutcome], row: int) -> int:
    """The totals, classification and overall rank rows; returns the last row written."""
    totals = [u.form(spec.id).total for u in every]
    fit_row(ws, row, [(spec.total_label, WIDTHS[1])], bold=True)
    ws.write_string(row, 0, "", fm.section_number)
    ws.write_string(row, 1, spec.total_label, fm.section)
    ws.write_number(row, 2, float(spec.total), fm.section_number)
    _stats(ws, fm, row, totals, spec.total, True)
    for offset, value in enumerate(totals[:len(units)]):
        write_number(ws, row, FIRST_UNIT + offset, value, fm.section_number)
    label_width = span(list(WIDTHS))
    row += 1  # the classification, turned 90°: the row is as tall as the longest
    classes = [u.form(spec.id).classification or "" for u in units]
    longest = max([units_for(t, ROTATED_SIZE, bold=True) * base.UNIT for t in classes] or [0.0])
    ws.set_row(row, max(row_height([(spec.classification_label, label_width)], bold=True), longest + 6))
    ws.merge_range(row, 0, row, 6, spec.classification_label, fm.section)
    for offset, text in enumerate(classes):
        ws.write_string(row, FIRST_UNIT + offset, text, fm.header_rotated)
    row += 1
    fit_row(ws, row, [("Hạng chung", label_width)], bold=True)
    ws.merge_range(row, 0, row, 6, "Hạng chung", fm.section)
    for offset, outcome in enumerate(units):
        write_number(ws, row, FIRST_UNIT + offset, outcome.form(spec.id).rank_overall, fm.number)
    return row


def _shared_subtotals(spec: CriteriaSpec, scores, sections: dict[str, int]) -> tuple[Decimal, ...]:
    """One unit's section subtotals in ``sections`` order, as shared objects (10,000 units fit)."""
    totals = section_totals(spec, scores)
    return tuple(share(totals[section_id]) for section_id in sections)


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _stats(ws, fm, row: int, values: list[Decimal | None], maximum: Decimal, bold: bool) -> None:
    present = [v for v in values if v is not None]
    fmt = fm.section_number if bold else fm.number
    if not present:
        for col in range(3, 7):
            ws.write_blank(row, col, None, fmt)
        return
    average = round2(sum(present, Decimal(0)) / len(present))
    ws.write_number(row, 3, float(average), fmt)
    ws.write_number(row, 4, float(min(present)), fmt)
    ws.write_number(row, 5, float(max(present)), fmt)
    ws.write_number(row, 6, float(average / maximum), fm.percent)
