"""The sheet "Biểu đồ": per scored form, a page with the chart of the valid units' totals (the
classification bands as lines); the tables they are drawn from below them, not printed."""

from __future__ import annotations

from decimal import Decimal

from xlsxwriter.worksheet import Worksheet

from workbook_tools.outputs.summary import base
from workbook_tools.outputs.summary.base import Formats, fit_row, write_note
from workbook_tools.paper.page import TABLE_MARGINS, page_footer, print_setup
from workbook_tools.paper.styles import FONT
from workbook_tools.paper.xlsx_compat import TextWorkbook
from workbook_tools.results.model import Collection
from workbook_tools.results.rank import name_key
from workbook_tools.spec.base import format_points
from workbook_tools.spec.criteria import Band, CriteriaSpec

CHART_PX = (960, 600)         # one landscape A4 page below the title (720 x 450 pt)
CHART_ROWS = 31               # rows of 15 pt the chart covers, and a little room
NAME_WIDTH, VALUE_WIDTH = 40, 11
SPARE_COLUMNS = 10            # the print area reaches the chart's right edge (40 + 10 x 11 units > 720 pt)


def write_charts(wb: TextWorkbook, ws: Worksheet, fm: Formats, collection: Collection,
                 scored: list[CriteriaSpec]) -> None:
    """Per scored form a chart on a page of its own; below them, the tables they are drawn from
    (on screen only: the print area ends with the last chart, the totals are on 'Tổng hợp')."""
    widest = max([len(_bands(spec)) for spec in scored] or [0])
    last_col = 1 + widest
    ws.set_row(0, base.TITLE_SIZE * 1.5)
    ws.merge_range(0, 0, 0, last_col, "BIỂU ĐỒ TỔNG ĐIỂM CÁC ĐƠN VỊ", fm.title)
    write_note(ws, fm, 1, last_col, "Chỉ các đơn vị có bảng hợp lệ, từ cao xuống thấp; các đường ngang là ngưỡng "
               "của các mức xếp loại. Số liệu vẽ biểu đồ ở dưới các biểu đồ (không in).",
               NAME_WIDTH + VALUE_WIDTH * widest)
    ws.set_column(0, 0, NAME_WIDTH)
    ws.set_column(1, SPARE_COLUMNS, VALUE_WIDTH)
    groups = [(spec, _valid_units(collection, spec)) for spec in scored]
    for index, (spec, units) in enumerate(groups):  # rows are streamed in order: the empty notes first
        if not units:
            ws.write_string(2 + index * CHART_ROWS, 0, f"{spec.short_name}: chưa có đơn vị nào có bảng hợp lệ.",
                            fm.note)
    row = 2 + len(groups) * CHART_ROWS + 1
    for index, (spec, units) in enumerate(groups):
        _table(ws, fm, row, spec, units)
        if units:
            ws.insert_chart(2 + index * CHART_ROWS, 0, _chart(wb, ws, spec, row + 1, len(units)))
        row += len(units) + 2
    ws.set_h_pagebreaks([2 + index * CHART_ROWS for index in range(1, len(groups))])
    print_setup(ws, landscape=True, margins=TABLE_MARGINS, footer=page_footer(9, sheet_name=True),
                area=(0, 0, 1 + len(groups) * CHART_ROWS, SPARE_COLUMNS))


def _bands(spec: CriteriaSpec) -> list[Band]:
    return [b for b in spec.bands.items if b.min > 0]


def _valid_units(collection: Collection, spec: CriteriaSpec) -> list[tuple[str, Decimal]]:
    """(name, total) of the units with a valid table, highest first (at most MATRIX_MAX_UNITS)."""
    return sorted(((u.unit.name, u.form(spec.id).total) for u in collection.units
                   if u.form(spec.id) is not None and u.form(spec.id).total is not None),
                  key=lambda e: (-e[1], name_key(e[0])))[:base.MATRIX_MAX_UNITS]


def _table(ws: Worksheet, fm: Formats, row: int, spec: CriteriaSpec, units: list[tuple[str, Decimal]]) -> None:
    """The chart's data from ``row``: its header, then one line per valid unit."""
    labels = [f"{spec.short_name}: đơn vị", "Tổng điểm"] + [f"Mức {b.label} (từ {format_points(b.min)})"
                                                            for b in _bands(spec)]
    fit_row(ws, row, [(label, NAME_WIDTH if col == 0 else VALUE_WIDTH) for col, label in enumerate(labels)],
            bold=True)
    for col, label in enumerate(labels):
        ws.write_string(row, col, label, fm.header)
    for index, (name, total) in enumerate(units, start=1):
        fit_row(ws, row + index, [(name, NAME_WIDTH)])
        ws.write_string(row + index, 0, name, fm.wrap)
        ws.write_number(row + index, 1, float(total), fm.number)
        for offset, band in enumerate(_bands(spec)):
            ws.write_number(row + index, 2 + offset, float(band.min), fm.number)


def _chart(wb: TextWorkbook, ws: Worksheet, spec: CriteriaSpec, first: int, count: int):
    """Columns of the totals with a dashed line per band threshold."""
    last = first + count - 1
    categories = [ws.name, first, 0, last, 0]
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": [ws.name, first - 1, 1], "categories": categories,
                      "values": [ws.name, first, 1, last, 1], "fill": {"color": "#4472C4"}, "gap": 40})
    lines = wb.add_chart({"type": "line"})
    for offset, _band in enumerate(_bands(spec)):
        lines.add_series({"name": [ws.name, first - 1, 2 + offset], "categories": categories,
                          "values": [ws.name, first, 2 + offset, last, 2 + offset],
                          "line": {"color": base.BAND_COLOURS[offset % len(base.BAND_COLOURS)],
                                   "dash_type": "dash", "width": 1.5},
                          "marker": {"type": "none"}})
    chart.combine(lines)
    chart.set_title({"name": f"Tổng điểm {spec.short_name} và các mức xếp loại ({count} đơn vị)",
                     "name_font": {"name": FONT, "size": 12}})
    chart.set_y_axis({"min": 0, "max": float(spec.total), "major_gridlines": {"visible": True},
                      "num_font": {"name": FONT, "size": 9}})
    chart.set_x_axis({"num_font": {"rotation": -60, "name": FONT, "size": 8}})
    chart.set_legend({"position": "top", "font": {"name": FONT, "size": 9}})
    chart.set_size({"width": CHART_PX[0], "height": CHART_PX[1]})
    return chart
