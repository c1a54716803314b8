"""How a printed page of ours looks: A4, margins, fit to the width, footer, the national motto
(row heights are measured in ``paper.measure`` and ``paper.cellfit``)."""

from __future__ import annotations

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
