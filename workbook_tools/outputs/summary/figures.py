"""The figures sheet: every figure summed for the district and per group, and per unit (each unit's
column headed by its code, the codes named in a legend under the table)."""

from __future__ import annotations

import datetime as dt

from xlsxwriter.worksheet import Worksheet

from workbook_tools.outputs.summary import base
from workbook_tools.outputs.summary.base import (
    Formats,
    fit_row,
    page_setup,
    row_height,
    title_block,
    units_for,
    write_note,
)
from workbook_tools.outputs.summary.legend import column_width, span, write_legend
from workbook_tools.results.compact import aligned
from workbook_tools.results.contracts import Status
from workbook_tools.results.model import Collection, UnitOutcome
from workbook_tools.spec.indicators import Indicator, IndicatorSpec

WIDTHS = (5.0, 46.0)  # STT, Chỉ tiêu
MEASURE_WIDTH = (10.0, 14.0)  # the "Đơn vị tính" column, at least and at most
SCOPE_WIDTH = 11.0
UNIT_WIDTH = 5.5
INVALID_MARK = "*"
BOOL_TEXT = {True: "Có", False: "Không"}


def write_figures(ws: Worksheet, fm: Formats, collection: Collection, spec: IndicatorSpec) -> None:
    """Figures down; district, groups and every counted unit across."""
    campaign = collection.campaign
    every = [u for u in collection.units if u.form(spec.id) is not None and u.form(spec.id).result]
    valid = [u for u in every if u.form(spec.id).status == Status.VALID]
    counted = every if len(every) <= base.MATRIX_MAX_UNITS else []
    scopes = [(f"Toàn {campaign.district}", valid)]
    scopes += [(g.label, [u for u in valid if u.unit.group == g.id]) for g in campaign.groups]
    codes = [_code(u, spec.id) for u in counted]
    values = {_shown(u.form(spec.id).result.figures.get(i.id))  # each distinct text measured once
              for u in counted for g in spec.groups for i in g.items}
    measures = [_measure(i) for g in spec.groups for i in g.items]
    measure_width = column_width(measures, MEASURE_WIDTH[0], MEASURE_WIDTH[1], size=base.SIZE)
    unit_width = max(column_width(codes, UNIT_WIDTH, bold=True),
                     column_width([v for v in values if "\n" not in v], UNIT_WIDTH, size=base.SIZE))
    stt_width = column_width(codes, WIDTHS[0], size=base.SIZE)  # the legend's first codes stand in it
    widths = [stt_width, WIDTHS[1], measure_width] + [SCOPE_WIDTH] * len(scopes)
    widths += [unit_width] * max(len(codes), 1)
    last_col, first_unit = len(widths) - 1, 3 + len(scopes)
    row = title_block(ws, fm, collection, f"{spec.titles(campaign.year)[0]}", last_col)
    write_note(ws, fm, row, last_col,
               f"Cột cộng chỉ tính {len(valid)} đơn vị có trang {spec.sheet_name} hợp lệ; chỉ tiêu Có/Không ghi số "
               f"đơn vị trả lời 'Có'.{_columns_note(codes)}", span(widths))
    header = row + 2
    labels = ["STT", "Chỉ tiêu", "Đơn vị tính"] + [s[0] for s in scopes] + codes
    fit_row(ws, header, list(zip(labels, widths)), bold=True)
    for col, label in enumerate(labels):
        ws.write_string(header, col, label, fm.header)
    totals = [_totals(spec, [u.form(spec.id).result.figures for u in members]) for _, members in scopes]
    row = _rows(ws, fm, spec, totals, counted, widths, header + 1)
    entries = [(code, u.unit.name + ("" if code == u.unit.code else " (có lỗi)")) for code, u in zip(codes, counted)]
    row = write_legend(ws, fm, row + 1, widths, entries)
    for col, width in enumerate(widths[:first_unit]):
        ws.set_column(col, col, width)
    ws.set_column(first_unit, last_col, unit_width)
    ws.freeze_panes(header + 1, 3)
    page_setup(ws, header, last_col, row)


def _rows(ws: Worksheet, fm: Formats, spec: IndicatorSpec, totals: list[dict[str, int | None]],
          counted: list[UnitOutcome], widths: list[float], row: int) -> int:
    """One row per outline group and per figure; returns the last row written."""
    first_unit = 3 + len(totals)
    for group in spec.groups:
        fit_row(ws, row, [(group.title, span(widths[1:]))], bold=True)
        ws.write_string(row, 0, group.stt, fm.section_number)
        ws.merge_range(row, 1, row, len(widths) - 1, group.title, fm.section)
        row += 1
        for indicator in group.items:
            shown = [_shown(u.form(spec.id).result.figures.get(indicator.id)) for u in counted]
            measure = _measure(indicator)
            ws.set_row(row, row_height([(indicator.label, widths[1]), (measure, widths[2])]
                                       + [(text, widths[-1]) for text in shown if "\n" in text]))
            ws.write_string(row, 0, indicator.stt, fm.center)
            ws.write_string(row, 1, indicator.label, fm.wrap)
            fits = units_for(measure) <= widths[2]
            ws.write_string(row, 2, measure, fm.center if fits else fm.wrap)
            for offset, scope in enumerate(totals):
                _aggregate(ws, fm, row, 3 + offset, scope[indicator.id])
            for offset, outcome in enumerate(counted):
                _figure_cell(ws, fm, row, first_unit + offset,
                             outcome.form(spec.id).result.figures.get(indicator.id))
            row += 1
    return row - 1


def _columns_note(codes: list[str]) -> str:
    """What the unit columns hold (none beyond MATRIX_MAX_UNITS)."""
    if not codes:
        return ""
    marked = f" Mã có dấu {INVALID_MARK}: đơn vị có lỗi ở trang này, không cộng vào các cột cộng." \
        if any(c.endswith(INVALID_MARK) for c in codes) else ""
    return (" Các cột sau là số liệu từng đơn vị đã nộp, đầu cột ghi mã đơn vị (tên đơn vị theo mã xem ở cuối "
            f"trang tính).{marked}")


def _code(outcome: UnitOutcome, form_id: str) -> str:
    """A unit column's head: its code, marked when its figures have an error."""
    return outcome.unit.code + ("" if outcome.form(form_id).status == Status.VALID else INVALID_MARK)


def _measure(indicator: Indicator) -> str:
    return indicator.unit or ("Có/Không" if indicator.type == "bool" else "")


def _shown(value: object) -> str:
    """A figure as printed in a unit's column (a date on two lines: it never fits one)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return BOOL_TEXT[value]
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/\n%Y")
    return str(value)


def _totals(spec: IndicatorSpec, figures: list) -> dict[str, int | None]:
    """Per figure, what its scope column shows: the sum of a count, the number of 'Có' of a yes/no,
    None for the rest (texts, dates). One pass over each unit's figures."""
    keys = spec.row_ids
    kinds = {i.id: i.type for i in spec.indicators()}
    sums = [0] * len(keys)
    for values in figures:
        for index, value in enumerate(aligned(values, keys)):
            if value is True:
                sums[index] += 1
            elif type(value) is int:
                sums[index] += value
    return {key: total if kinds.get(key) in ("int", "bool") else None for key, total in zip(keys, sums)}


def _aggregate(ws, fm, row: int, col: int, total: int | None) -> None:
    if total is None:
        ws.write_blank(row, col, None, fm.number)
    else:
        ws.write_number(row, col, total, fm.number)


def _figure_cell(ws, fm, row: int, col: int, value: object) -> None:
    if value is None:
        ws.write_blank(row, col, None, fm.number)
    elif isinstance(value, bool):
        ws.write_string(row, col, BOOL_TEXT[value], fm.center)
    elif isinstance(value, dt.date):
        ws.write_string(row, col, _shown(value), fm.wrap)
    else:
        ws.write_number(row, col, value, fm.number)
