"""Pieces shared by the generated sheets: header block, protection and page setup, the
hidden identity sheet (also written into the inspection team's review workbook)."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workbook_tools.form.identity import META_SHEET, property_name
from workbook_tools.form.layout import COL_ID, COL_STT
from workbook_tools.paper.page import MOTTO, MOTTO_SUB, PROTECT_OPTIONS, page_footer, print_setup
from workbook_tools.paper.styles import Styles
from workbook_tools.spec.campaign import Campaign, Unit


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
    print_setup(ws, landscape=landscape, repeat_row=header_row, area=(0, COL_STT, last_row, last_col),
                footer=page_footer(), gridlines=False)
    ws.set_column(COL_ID, COL_ID, 4, None, {"hidden": True})


def write_identity(wb: Workbook, st: Styles, meta: dict[str, str], password: str) -> None:
    """Write the identity twice: the hidden, protected sheet ``_wt`` (key in column A, value in
    column B) and the custom document properties."""
    ws = wb.add_worksheet(META_SHEET)
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 70)
    for row, (key, value) in enumerate(meta.items()):
        ws.write_string(row, 0, key, st.meta)
        ws.write_string(row, 1, value, st.meta)
    ws.protect(password, PROTECT_OPTIONS)
    ws.hide()
    for key, value in meta.items():
        wb.set_custom_property(property_name(key), value, "text")

