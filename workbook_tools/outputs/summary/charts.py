"""The sheet "Biểu đồ": each form's totals with the classification bands as lines."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from workbook_tools.outputs.summary import base
from workbook_tools.outputs.summary.base import Formats
from workbook_tools.paper.page import TABLE_MARGINS, print_setup
from workbook_tools.paper.styles import FONT
from workbook_tools.paper.xlsx_compat import TextWorkbook
from workbook_tools.results.model import Collection
from workbook_tools.results.rank import name_key
from workbook_tools.spec.base import format_points
from workbook_tools.spec.criteria import CriteriaSpec


def write_charts(wb: TextWorkbook, ws: Worksheet, fm: Formats, collection: Collection,
                 scored: list[CriteriaSpec]) -> None:
    """Per scored form: the valid units' totals, highest first, with the band thresholds as lines."""
    ws.write_string(0, 0, "BIỂU ĐỒ TỔNG ĐIỂM CÁC ĐƠN VỊ (chỉ đơn vị có bảng hợp lệ), "
                    "từ cao xuống thấp, với ngưỡng các mức xếp loại", fm.heading)
    top = 2
    col = 0
    for spec in scored:
        units = sorted(((u.unit.name, u.form(spec.id).total) for u in collection.units
                        if u.form(spec.id) is not None and u.form(spec.id).total is not None),
                       key=lambda e: (-e[1], name_key(e[0])))
        total_units = len(units)
        units = units[:base.MATRIX_MAX_UNITS]
        bands = [b for b in spec.bands.items if b.min > 0]
        ws.set_row(top, 45)
        ws.write_string(top, col, "Đơn vị", fm.header)
        ws.write_string(top, col + 1, f"{spec.short_name}: tổng điểm", fm.header)
        for offset, band in enumerate(bands):
            ws.write_string(top, col + 2 + offset, f"Mức {band.label} (từ {format_points(band.min)})", fm.header)
        for index, (name, total) in enumerate(units, start=1):
            ws.write_string(top + index, col, name, fm.text)
            ws.write_number(top + index, col + 1, float(total), fm.number)
            for offset, band in enumerate(bands):
                ws.write_number(top + index, col + 2 + offset, float(band.min), fm.number)
        ws.set_column(col, col, 30)
        ws.set_column(col + 1, col + 1 + len(bands), 10)
        if units:
            last = top + len(units)
            chart = wb.add_chart({"type": "column"})
            chart.add_series({"name": [ws.name, top, col + 1],
                              "categories": [ws.name, top + 1, col, last, col],
                              "values": [ws.name, top + 1, col + 1, last, col + 1],
                              "fill": {"color": "#4472C4"}, "gap": 40})
            lines = wb.add_chart({"type": "line"})
            for offset, band in enumerate(bands):
                lines.add_series({"name": [ws.name, top, col + 2 + offset],
                                  "categories": [ws.name, top + 1, col, last, col],
                                  "values": [ws.name, top + 1, col + 2 + offset, last, col + 2 + offset],
                                  "line": {"color": base.BAND_COLOURS[offset % len(base.BAND_COLOURS)],
                                           "dash_type": "dash", "width": 1.5},
                                  "marker": {"type": "none"}})
            chart.combine(lines)
            scope = "" if total_units == len(units) else f" ({len(units)} đơn vị điểm cao nhất / {total_units})"
            chart.set_title({"name": f"Tổng điểm {spec.short_name} và các mức xếp loại{scope}",
                             "name_font": {"name": FONT, "size": 12}})
            chart.set_y_axis({"min": 0, "max": float(spec.total), "major_gridlines": {"visible": True}})
            chart.set_x_axis({"num_font": {"rotation": -60, "name": FONT, "size": 8}})
            chart.set_legend({"position": "top", "font": {"name": FONT, "size": 9}})
            chart.set_size({"width": 960, "height": 600})
            ws.insert_chart(top, col + 3 + len(bands), chart)
        top += max(len(units), 30) + 4
    print_setup(ws, landscape=True, margins=TABLE_MARGINS)
