"""Pieces shared by the generated sheets: header block, protection, page setup."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from workbook_tools.campaign import Campaign, Unit
from workbook_tools.layout import COL_ID, COL_STT
from workbook_tools.styles import Styles

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_SUB = "Độc lập - Tự do - Hạnh phúc"
PROTECT_OPTIONS = {"select_locked_cells": True, "select_unlocked_cells": True, "format_rows": True}
# A4; margins (inches) per Nghị định 30/2020: left 30 mm, right 15 mm, top/bottom 20 mm.
PAPER_A4 = 9
MARGINS = {"left": 1.18, "right": 0.59, "top": 0.79, "bottom": 0.79}


def write_header_block(ws: Worksheet, st: Styles, campaign: Campaign, unit: Unit,
                       left_last: int, right_first: int, right_last: int) -> None:
    """Issuing body and unit on the left, national motto on the right (rows 1-4)."""
    header_name = unit.header_name(campaign.group(unit.group))
    _merge(ws, 0, COL_STT, left_last, campaign.issuer, st.center)
    _merge(ws, 1, COL_STT, left_last, header_name, st.bold_center)
    _merge(ws, 0, right_first, right_last, MOTTO, st.bold_center)
    _merge(ws, 1, right_first, right_last, MOTTO_SUB, st.bold_center)
    _merge(ws, 3, right_first, right_last,
           f"....., ngày ..... tháng ..... năm {campaign.year}", st.italic_center)


def _merge(ws: Worksheet, row: int, first: int, last: int, text: str, fmt) -> None:
    if first == last:
        ws.write_string(row, first, text, fmt)
    else:
        ws.merge_range(row, first, row, last, text, fmt)


def merge_text(ws: Worksheet, row: int, first: int, last: int, text: str, fmt) -> None:
    """Write text across columns first..last of one row (merged when more than one)."""
    _merge(ws, row, first, last, text, fmt)


def finish_sheet(ws: Worksheet, password: str, header_row: int, last_row: int, last_col: int,
                 landscape: bool = False) -> None:
    """Protect the sheet and set up printing: A4, fit to one page wide, header rows repeated."""
    ws.protect(password, PROTECT_OPTIONS)
    ws.set_paper(PAPER_A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(**MARGINS)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.print_area(0, COL_STT, last_row, last_col)
    ws.set_footer("&C&\"Times New Roman\"&10Trang &P/&N")
    ws.hide_gridlines(2)
    ws.set_column(COL_ID, COL_ID, 4, None, {"hidden": True})

