"""Unit codes as column heads, and the legend below the table that names each code.

A column headed by a unit's full name is either too wide or, turned 90°, cut on paper: the sheets
with units across head each column with the unit's code (a few characters, always horizontal)
and list code -> name under the table, in roster order, in as many side-by-side bands as the
table's width holds, every row as tall as its wrapped names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from xlsxwriter.worksheet import Worksheet

from workbook_tools.outputs.summary.base import Formats, row_height, units_for

HEADER_SIZE = 11   # the header format's font size (bold)
MAX_CODE_WIDTH = 10.0  # a longer code wraps in its column (after '-' or '/') rather than widen 400 columns
BAND_WIDTH = 60.0  # the narrowest band (code + name) of the legend, in column units
MAX_BANDS = 4
LEGEND_TITLE = "Tên đơn vị theo mã ở đầu cột (theo thứ tự trong danh sách đơn vị)"


@dataclass(frozen=True)
class Band:
    """One band of the legend: the columns of the code and of the name."""

    code_first: int
    code_last: int
    name_first: int
    name_last: int
    name_width: float  # units


def column_width(texts: list[str], minimum: float, maximum: float = MAX_CODE_WIDTH, bold: bool = False,
                 size: float = HEADER_SIZE) -> float:
    """Width (units) of a unit column: its longest text (code, or value) on one line, within limits."""
    needed = math.ceil(max([units_for(t, size, bold) for t in texts if t] or [0.0]) * 10) / 10
    return min(maximum, max(minimum, needed))


def span(widths: list[float]) -> float:
    """Width (units) of adjacent columns merged (a little less than printed: each column stored
    is a fraction of a unit wider)."""
    return sum(widths)


def bands(widths: list[float], codes: list[str]) -> list[Band]:
    """Cut the table's columns into legend bands: each starts with the columns its longest code
    needs, the rest of the band holds the name."""
    needed = max([units_for(c) for c in codes] or [0.0])
    count = max(1, min(MAX_BANDS, int(sum(widths) // BAND_WIDTH)))
    while count > 1:
        found = _cut(widths, needed, count)
        if found:
            return found
        count -= 1
    return _cut(widths, needed, 1) or [Band(0, 0, 0, 0, widths[0])]


def _cut(widths: list[float], needed: float, count: int) -> list[Band]:
    total, found, first = sum(widths), [], 0
    for index in range(count):
        last, goal = first, total * (index + 1) / count
        while last + 1 < len(widths) and (index == count - 1 or sum(widths[:last + 1]) < goal):
            last += 1
        code_last = first
        while code_last < last and span(widths[first:code_last + 1]) < needed:
            code_last += 1
        if code_last >= last:
            return []
        found.append(Band(first, code_last, code_last + 1, last, span(widths[code_last + 1:last + 1])))
        first = last + 1
        if first >= len(widths) and index < count - 1:
            return []
    return found


def write_legend(ws: Worksheet, fm: Formats, row: int, widths: list[float], entries: list[tuple[str, str]],
                 extra: str = "") -> int:
    """The legend (code, name) under a table whose columns have these widths, from ``row`` (after a
    blank row); returns the last row written."""
    if not entries:
        return row - 1
    last_col = len(widths) - 1
    row += 1
    title = LEGEND_TITLE + (f". {extra}" if extra else "")
    ws.set_row(row, row_height([(title, span(widths))], bold=True))
    ws.merge_range(row, 0, row, last_col, title, fm.group)
    layout = bands(widths, [code for code, _ in entries])
    lines = -(-len(entries) // len(layout))
    for line in range(lines):
        row += 1
        shown = [(band, entries[n * lines + line]) for n, band in enumerate(layout)
                 if n * lines + line < len(entries)]
        ws.set_row(row, row_height([(name, band.name_width) for band, (_, name) in shown]))
        for band, (code, name) in shown:
            _cell(ws, row, band.code_first, band.code_last, code, fm.center)
            _cell(ws, row, band.name_first, band.name_last, name, fm.wrap)
    return row


def _cell(ws: Worksheet, row: int, first: int, last: int, text: str, fmt: object) -> None:
    if first == last:
        ws.write_string(row, first, text, fmt)
    else:
        ws.merge_range(row, first, row, last, text, fmt)
