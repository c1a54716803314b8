"""The figures sheet: every figure summed for the district and per group, and per unit."""

from __future__ import annotations

import datetime as dt

from xlsxwriter.worksheet import Worksheet

from workbook_tools.outputs.summary import base
from workbook_tools.outputs.summary.base import Formats, fit_row, page_setup, title_block
from workbook_tools.results.contracts import Status
from workbook_tools.results.model import Collection
from workbook_tools.spec.indicators import IndicatorSpec


def write_figures(ws: Worksheet, fm: Formats, collection: Collection, spec: IndicatorSpec) -> None:
    """Figures down; district, groups and every counted unit across."""
    campaign = collection.campaign
    every = [u for u in collection.units if u.form(spec.id) is not None and u.form(spec.id).result]
    valid = [u for u in every if u.form(spec.id).status == Status.VALID]
    counted = every if len(every) <= base.MATRIX_MAX_UNITS else []
    scopes = [(f"Toàn {campaign.district}", valid)]
    scopes += [(g.label, [u for u in valid if u.unit.group == g.id]) for g in campaign.groups]
    first_unit = 3 + len(scopes)
    last_col = first_unit + max(len(counted), 1) - 1
    row = title_block(ws, fm, collection, f"{spec.titles(campaign.year)[0]}", last_col)
    ws.merge_range(row, 0, row, last_col,
                   f"Cột cộng chỉ tính {len(valid)} đơn vị có trang {spec.sheet_name} hợp lệ; chỉ tiêu "
                   "Có/Không ghi số đơn vị trả lời 'Có'. Các cột sau là số liệu từng đơn vị đã nộp.", fm.note)
    header = row + 2
    for col, label in enumerate(["STT", "Chỉ tiêu", "Đơn vị tính"] + [s[0] for s in scopes]):
        ws.write_string(header, col, label, fm.header)
    for offset, outcome in enumerate(counted):
        name = outcome.unit.name + ("" if outcome.form(spec.id).status == Status.VALID else " (có lỗi)")
        ws.write_string(header, first_unit + offset, name, fm.header_rotated)
    ws.set_row(header, 120)
    row = header + 1
    scope_figures = [[u.form(spec.id).result.figures for u in members] for _, members in scopes]
    for group in spec.groups:
        ws.write_string(row, 0, group.stt, fm.section_number)
        ws.merge_range(row, 1, row, last_col, group.title, fm.section)
        row += 1
        for indicator in group.items:
            ws.write_string(row, 0, indicator.stt, fm.center)
            ws.write_string(row, 1, indicator.label, fm.wrap)
            fit_row(ws, row, [(indicator.label, 46)])
            ws.write_string(row, 2, indicator.unit or ("Có/Không" if indicator.type == "bool" else ""), fm.center)
            for offset, figures in enumerate(scope_figures):
                _aggregate(ws, fm, row, 3 + offset, indicator, figures)
            for offset, outcome in enumerate(counted):
                _figure_cell(ws, fm, row, first_unit + offset, outcome.form(spec.id).result.figures.get(indicator.id))
            row += 1
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 46)
    ws.set_column(2, 2, 10)
    ws.set_column(3, 2 + len(scopes), 11)
    ws.set_column(first_unit, last_col, 6)
    ws.freeze_panes(header + 1, 3)
    page_setup(ws, header, last_col, row - 1)


def _aggregate(ws, fm, row: int, col: int, indicator, figures: list[dict]) -> None:
    values = [f.get(indicator.id) for f in figures if f.get(indicator.id) is not None]
    if indicator.type == "int":
        ws.write_number(row, col, sum(values), fm.number)
    elif indicator.type == "bool":
        ws.write_number(row, col, sum(1 for v in values if v is True), fm.number)
    else:
        ws.write_blank(row, col, None, fm.number)


def _figure_cell(ws, fm, row: int, col: int, value: object) -> None:
    if value is None:
        ws.write_blank(row, col, None, fm.number)
    elif isinstance(value, bool):
        ws.write_string(row, col, "Có" if value else "Không", fm.center)
    elif isinstance(value, dt.date):
        ws.write_string(row, col, value.strftime("%d/%m/%Y"), fm.center)
    else:
        ws.write_number(row, col, value, fm.number)
