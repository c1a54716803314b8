"""Shared by the summary's sheets: formats, title block, page setup, row heights, numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from xlsxwriter.worksheet import Worksheet

from workbook_tools.paper.page import TABLE_MARGINS, page_footer, print_setup, text_height
from workbook_tools.paper.styles import FONT, HEADER_FILL, SECTION_FILL
from workbook_tools.paper.xlsx_compat import TextWorkbook
from workbook_tools.results.contracts import Status, Verdict
from workbook_tools.results.model import Collection, UnitOutcome, local_text
from workbook_tools.results.rank import name_key
from workbook_tools.spec.campaign import ReviewRule

STATUS_TEXT = {Status.VALID: "Hợp lệ", Status.INVALID: "Có lỗi", Status.NEEDS_CHOICE: "Cần chọn tệp",
               Status.MISSING: "Chưa nộp"}
VERDICT_TEXT = {Verdict.USED: "Dùng", Verdict.SUPERSEDED: "Bị thay thế", Verdict.REJECTED: "Bị loại",
                Verdict.NEEDS_CHOICE: "Chờ chọn",
                Verdict.ATTACHED: "Tài liệu kèm", Verdict.OPENED: "Đã mở", Verdict.IGNORED: "Bỏ qua"}
# constant_memory: rows go to disk as they are written (the summary lists every unit and file).
OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
           "strings_to_numbers": False, "default_format_properties": {"font_name": FONT, "font_size": 11}}
BAND_COLOURS = ("#C00000", "#ED7D31", "#7F7F7F", "#548235")
# Beyond this many units a units-across matrix is neither printable nor readable (and costs most
# of the writing time): the detail sheets then keep the district statistics and point to the CSVs.
MATRIX_MAX_UNITS = 400
PATH_BREAK = re.compile(r"/(?!\d)")  # a path may wrap after a '/', a date (06/11/2023) does not
REVIEW_RULE_TEXT = {ReviewRule.SELF_IF_BLANK: "dòng Tổ KT không chấm giữ điểm tự chấm",
                    ReviewRule.TEAM_REQUIRED: "Tổ KT phải chấm đủ mọi dòng mới xếp hạng"}


@dataclass(frozen=True)
class Formats:
    """The cell formats of the summary workbook."""

    title: object
    heading: object
    subtitle: object
    note: object
    header: object
    header_rotated: object
    text: object
    wrap: object
    center: object
    number: object
    percent: object
    group: object
    section: object
    section_number: object
    bad: object


def make_formats(wb: TextWorkbook) -> Formats:
    """Create the summary's formats on its workbook."""
    cell = {"border": 1, "valign": "vcenter"}
    return Formats(
        title=wb.add_format({"bold": True, "font_size": 14, "align": "center"}),
        heading=wb.add_format({"bold": True, "font_size": 13}),
        subtitle=wb.add_format({"italic": True, "align": "center"}),
        note=wb.add_format({"italic": True, "font_size": 10, "text_wrap": True, "valign": "top"}),
        header=wb.add_format({**cell, "bold": True, "text_wrap": True, "align": "center",
                              "bg_color": HEADER_FILL}),
        header_rotated=wb.add_format({**cell, "bold": True, "rotation": 90, "align": "center",
                                      "bg_color": HEADER_FILL, "font_size": 10}),
        text=wb.add_format(cell),
        wrap=wb.add_format({**cell, "text_wrap": True}),
        center=wb.add_format({**cell, "align": "center"}),
        number=wb.add_format({**cell, "align": "center", "num_format": "General"}),
        percent=wb.add_format({**cell, "align": "center", "num_format": "0%"}),
        group=wb.add_format({**cell, "bold": True, "bg_color": SECTION_FILL}),
        section=wb.add_format({**cell, "bold": True, "text_wrap": True, "bg_color": SECTION_FILL}),
        section_number=wb.add_format({**cell, "bold": True, "align": "center", "bg_color": SECTION_FILL}),
        bad=wb.add_format({**cell, "font_color": "#C00000", "text_wrap": True}),
    )


def fit_row(ws: Worksheet, row: int, cells: list[tuple[str, float]], minimum: float = 15.0,
            bold: bool = False) -> None:
    """Set a row tall enough for its wrapped texts (xlsxwriter cannot autofit rows)."""
    height = max([minimum] + [text_height(PATH_BREAK.sub("/\n", text), width * 0.9, 12, bold=bold)
                              for text, width in cells if text])
    ws.set_row(row, height)


def page_setup(ws: Worksheet, header_row: int, last_col: int, last_row: int) -> None:
    """A4 landscape, one page wide, the header row repeated, sheet name and page in the footer."""
    print_setup(ws, landscape=True, margins=TABLE_MARGINS, repeat_row=header_row,
                area=(0, 0, max(last_row, header_row), last_col), footer=page_footer(9, sheet_name=True))


def title_block(ws: Worksheet, fm: Formats, collection: Collection, title: str, last_col: int) -> int:
    """Title block; returns the next free row."""
    campaign = collection.campaign
    ws.merge_range(0, 0, 0, last_col, title, fm.title)
    ws.merge_range(1, 0, 1, last_col, campaign.name, fm.subtitle)
    ws.merge_range(2, 0, 2, last_col,
                   f"{campaign.receiving_office} tổng hợp lúc {local_text(collection.run_at)} "
                   f"(hạn nộp: trước ngày {campaign.deadline:%d/%m/%Y}).", fm.subtitle)
    return 4


def sorted_units(collection: Collection, form_id: str | None) -> list[UnitOutcome]:
    """Units by group (campaign order), then rank for form_id, unranked by name."""
    groups = {g.id: i for i, g in enumerate(collection.campaign.groups)}

    def key(u: UnitOutcome):
        form = u.form(form_id) if form_id else None
        rank = form.rank_in_group if form and form.rank_in_group else 10 ** 6
        return groups[u.unit.group], rank, name_key(u.unit.name)
    return sorted(collection.units, key=key)


def write_number(ws: Worksheet, row: int, col: int, value: Decimal | None, fmt: object) -> None:
    """A number, or a blank cell (with the format) when there is none."""
    if value is None:
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_number(row, col, float(value), fmt)


def review_note(collection: Collection) -> str:
    """Which review workbook and rule the final scores come from."""
    review = collection.review
    rule = REVIEW_RULE_TEXT[collection.campaign.review_rule]
    state = "" if review.usable else " PHIẾU CHẤM KHÔNG DÙNG ĐƯỢC (xem trang Lỗi cần xử lý)."
    return (f"Xếp loại, xếp hạng theo điểm sau kiểm tra của Tổ KT (phiếu chấm '{review.file}', "
            f"SHA-256 {review.sha256[:16]}...; {rule}).{state}")
