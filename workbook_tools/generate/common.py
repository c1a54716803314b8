"""Pieces shared by the generated sheets: header block, protection and page setup, the
hidden identity sheet (also written into the inspection team's review workbook)."""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workbook_tools.form.identity import META_SHEET, property_name
from workbook_tools.form.layout import COL_ID, COL_STT, PLACE_DATE_ROW
from workbook_tools.paper.cellfit import fitted_height
from workbook_tools.paper.page import MARGINS, MOTTO, MOTTO_SUB, PROTECT_OPTIONS, page_footer, print_setup
from workbook_tools.paper.pager import Group, MeasuredWorksheet, body_height, breaks_for, fit_scale
from workbook_tools.paper.styles import FormStyles, Styles
from workbook_tools.spec.campaign import Campaign, Unit

DEFAULT_ROW_PT = 16  # one line of 12 pt text with its Vietnamese marks (Excel's own default is 15)
PLACE_DATE = "....., ngày ..... tháng ..... năm {year}"
PLACE_DATE_PROMPT = {
    "validate": "any", "input_title": "Địa danh, ngày ký",
    "input_message": "Ghi địa danh và ngày ký thay cho các dấu chấm, ví dụ: (tên địa danh), ngày 20 tháng 10 năm {year}.",
}


@dataclass(frozen=True)
class Block:
    """Columns of the header block: the issuing side (left) and the motto side (right)."""

    left_last: int
    right_first: int
    right_last: int
    left_pt: float  # width of the left side, for the unit's name wrapped


def group_units(campaign: Campaign, unit: Unit) -> tuple[Unit, ...]:
    """The units whose workbooks share this one's template (row heights fit the longest name)."""
    return tuple(u for u in campaign.units if u.group == unit.group) + (unit,)


def write_header_block(ws: Worksheet, st: Styles, fs: FormStyles, campaign: Campaign, unit: Unit,
                       block: Block) -> None:
    """Issuing body and unit on the left, national motto on the right, the place and date of
    signing (an input cell) under the motto (rows 1-4)."""
    group = campaign.group(unit.group)
    _merge(ws, 0, COL_STT, block.left_last, campaign.issuer, st.center)
    _merge(ws, 1, COL_STT, block.left_last, unit.header_name(group), fs.header_name)
    _merge(ws, 0, block.right_first, block.right_last, MOTTO, st.bold_center)
    _merge(ws, 1, block.right_first, block.right_last, MOTTO_SUB, fs.header_top)
    _merge(ws, PLACE_DATE_ROW, block.right_first, block.right_last, PLACE_DATE.format(year=campaign.year),
           fs.place_date_input)
    prompt = dict(PLACE_DATE_PROMPT, input_message=PLACE_DATE_PROMPT["input_message"].format(year=campaign.year))
    ws.data_validation(PLACE_DATE_ROW, block.right_first, PLACE_DATE_ROW, block.right_first, prompt)
    names = [u.header_name(group) for u in group_units(campaign, unit)]
    ws.set_row(1, max(fitted_height(name, block.left_pt, bold=True) for name in names))


def _merge(ws: Worksheet, row: int, first: int, last: int, text: str, fmt) -> None:
    if first == last:
        ws.write_string(row, first, text, fmt)
    else:
        ws.merge_range(row, first, row, last, text, fmt)


def merge_text(ws: Worksheet, row: int, first: int, last: int, text: str, fmt) -> None:
    """Write text across columns first..last of one row (merged when more than one)."""
    _merge(ws, row, first, last, text, fmt)


def finish_sheet(ws: MeasuredWorksheet, password: str, header_row: int, last_row: int, last_col: int,
                 table_pt: float, must: list[Group], *wishes: list[Group]) -> None:
    """Protect the sheet; freeze the rows down to the table's column header on screen; set up
    printing: A4, fit to one page wide (``table_pt`` wide), the column header repeated on every
    page, page breaks keeping the ``must`` groups of rows together (and the ``wishes`` where that
    costs no page)."""
    ws.protect(password, PROTECT_OPTIONS)
    ws.set_default_row(DEFAULT_ROW_PT)
    ws.freeze_panes(header_row + 1, 0)
    print_setup(ws, repeat_row=header_row, area=(0, COL_STT, last_row, last_col), footer=page_footer(),
                gridlines=False)
    ws.set_column(COL_ID, COL_ID, 4, None, {"hidden": True})
    heights = {row: ws.heights.get(row, DEFAULT_ROW_PT) for row in range(last_row + 1)}
    body = body_height(MARGINS, fit_scale(table_pt, MARGINS))
    ws.set_h_pagebreaks(breaks_for(heights, header_row, body, must, *wishes))


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

