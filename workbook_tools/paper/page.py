"""How a printed page of ours looks: A4, margins, fit to the width, footer, the national motto,
and rows tall enough for their wrapped text (no spreadsheet auto-fits a generated row)."""

from __future__ import annotations

import math

from xlsxwriter.worksheet import Worksheet

from workbook_tools.paper.styles import FONT

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_SUB = "Độc lập - Tự do - Hạnh phúc"
PAPER_A4 = 9
# Margins (inches) per Nghị định 30/2020: left 30 mm, right 15 mm, top/bottom 20 mm.
MARGINS = {"left": 1.18, "right": 0.59, "top": 0.79, "bottom": 0.79}
# Narrower margins for wide working tables (the district summary).
TABLE_MARGINS = {"left": 0.59, "right": 0.39, "top": 0.59, "bottom": 0.59}
PROTECT_OPTIONS = {"select_locked_cells": True, "select_unlocked_cells": True, "format_rows": True}
# Point height of one wrapped line of 12 pt Times New Roman, and usable characters per width unit.
LINE_HEIGHT_PT, CHARS_PER_WIDTH = 15.5, 1.2


def page_footer(size: int = 10, sheet_name: bool = False) -> str:
    """'Trang 1/3' centred (and the sheet's name on the left), in our font."""
    font = f'&"{FONT}"&{size}'
    return (f"&L{font}&A" if sheet_name else "") + f"&C{font}Trang &P/&N"


def print_setup(ws: Worksheet, *, landscape: bool = False, margins: dict[str, float] | None = MARGINS,
                repeat_row: int | None = None, area: tuple[int, int, int, int] | None = None,
                footer: str | None = None, gridlines: bool = True) -> None:
    """A4, one page wide; optionally margins, a header row repeated on every page, a print area,
    a footer, and no gridlines on screen."""
    ws.set_paper(PAPER_A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    if margins is not None:
        ws.set_margins(**margins)
    ws.fit_to_pages(1, 0)
    if repeat_row is not None:
        ws.repeat_rows(repeat_row)
    if area is not None:
        ws.print_area(*area)
    if footer is not None:
        ws.set_footer(footer)
    if not gridlines:
        ws.hide_gridlines(2)


def text_height(text: str, width: float, font_pt: float = 12, minimum_lines: int = 1,
                bold: bool = False) -> float:
    """Row height (points) that shows ``text`` wrapped in a column ``width`` units wide.

    Upper-case and bold text is wider, so fewer characters fit on a line.
    """
    per_line = max(1.0, width * CHARS_PER_WIDTH * 12 / font_pt)
    if text.isupper():
        per_line /= 1.4
    if bold:
        per_line /= 1.08
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    lines = max(lines, minimum_lines)
    return round(lines * LINE_HEIGHT_PT * font_pt / 12 + 3, 1)
