"""The sheets "Chi tiết <form>": criteria down, units across, district statistics per row."""

from __future__ import annotations

from decimal import Decimal

from xlsxwriter.worksheet import Worksheet

from workbook_tools.outputs.summary import base
from workbook_tools.outputs.summary.base import (
    Formats,
    fit_row,
    page_setup,
    sorted_units,
    title_block,
    write_number,
)
from workbook_tools.results.compact import share
from workbook_tools.results.model import Collection, UnitOutcome
from workbook_tools.spec.criteria import CriteriaSpec, Section, walk
from workbook_tools.spec.scoring import round2, section_totals

FIRST_UNIT = 7  # the first unit column; before it: STT, text, maximum and the four statistics


def write_detail(ws: Worksheet, fm: Formats, collection: Collection, spec: CriteriaSpec) -> None:
    """Criteria down, valid units across, with district average / lowest / highest / % of max."""
    every = [u for u in sorted_units(collection, spec.id)
             if u.form(spec.id) is not None and u.form(spec.id).total is not None]
    units = every if len(every) <= base.MATRIX_MAX_UNITS else []
    last_col = max(FIRST_UNIT + len(units) - 1, FIRST_UNIT)
    header = _header(ws, fm, collection, spec, len(every), units, last_col)
    row, ratio_rows = _criteria_rows(ws, fm, spec, every, len(units), header + 1)
    row = _total_rows(ws, fm, spec, every, units, row)
    for first, last in _runs(ratio_rows):
        ws.conditional_format(first, 6, last, 6, {"type": "3_color_scale", "min_color": "#F8696B",
                                                  "mid_color": "#FFEB84", "max_color": "#63BE7B"})
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 48)
    ws.set_column(2, 6, 8)
    ws.set_column(FIRST_UNIT, last_col, 6.5)
    ws.freeze_panes(header + 1, 3)
    page_setup(ws, header, last_col, row)


def _header(ws: Worksheet, fm: Formats, collection: Collection, spec: CriteriaSpec, valid: int,
            units: list[UnitOutcome], last_col: int) -> int:
    """Title, note and the header row (unit names rotated); returns the header row."""
    row = title_block(ws, fm, collection, f"KẾT QUẢ TỰ CHẤM TỪNG TIÊU CHÍ - {spec.short_name}", last_col)
    more = "" if units or not valid else (f" Quá {base.MATRIX_MAX_UNITS} đơn vị nên không in từng cột đơn vị: "
                                          "điểm từng đơn vị xem trong scores.csv.")
    ws.merge_range(row, 0, row, last_col,
                   f"Chỉ gồm {valid} đơn vị có bảng {spec.short_name} hợp lệ. Cột 'Tỷ lệ đạt' = điểm "
                   f"trung bình / điểm chuẩn: tô đỏ là tiêu chí yếu nhất toàn huyện.{more}", fm.note)
    header = row + 2
    labels = ("STT", spec.content_label, spec.max_label, "Trung bình", "Thấp nhất", "Cao nhất", "Tỷ lệ đạt")
    for col, label in enumerate(labels):
        ws.write_string(header, col, label, fm.header)
    for offset, outcome in enumerate(units):
        ws.write_string(header, FIRST_UNIT + offset, outcome.unit.name, fm.header_rotated)
    ws.set_row(header, 120)
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
        fit_row(ws, row, [(("   " * depth) + node.text, 46)], bold=is_section)
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
    ws.write_string(row, 0, "", fm.section_number)
    ws.write_string(row, 1, spec.total_label, fm.section)
    ws.write_number(row, 2, float(spec.total), fm.section_number)
    _stats(ws, fm, row, totals, spec.total, True)
    for offset, value in enumerate(totals[:len(units)]):
        write_number(ws, row, FIRST_UNIT + offset, value, fm.section_number)
    for label, pick in ((spec.classification_label, lambda u: u.classification or ""),
                        ("Hạng chung", lambda u: u.rank_overall)):
        row += 1
        ws.merge_range(row, 0, row, 6, label, fm.section)
        if label == spec.classification_label:
            ws.set_row(row, 62)
        for offset, outcome in enumerate(units):
            value = pick(outcome.form(spec.id))
            if isinstance(value, int):
                ws.write_number(row, FIRST_UNIT + offset, value, fm.number)
            else:
                ws.write_string(row, FIRST_UNIT + offset, value, fm.header_rotated)
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
