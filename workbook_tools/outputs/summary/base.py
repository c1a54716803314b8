"""Shared by the summary's sheets: formats, title block, page setup, row heights, numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Sequence

from xlsxwriter.worksheet import Worksheet

from workbook_tools.paper import measure
from workbook_tools.paper.page import TABLE_MARGINS, page_footer, print_setup
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
SIZE, FILE_SIZE, NOTE_SIZE, TITLE_SIZE = 11, 9, 10, 14  # font sizes (points): text, file names, notes, titles
# Numbers in Vietnamese form on paper (71,5; 1.234): the [$-42A] locale makes LibreOffice print them so
# whatever the machine's locale; Excel and WPS follow Windows' own settings (Vietnamese: the same).
VI_GENERAL, VI_PERCENT = "[$-42A]General", "[$-42A]0%"
UNIT = measure.unit_points(SIZE)  # points in a column width unit: a digit of the default font (LibreOffice does not round it)
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
    file: object


def make_formats(wb: TextWorkbook) -> Formats:
    """Create the summary's formats on its workbook."""
    cell = {"border": 1, "valign": "vcenter"}
    return Formats(
        title=wb.add_format({"bold": True, "font_size": TITLE_SIZE, "align": "center"}),
        heading=wb.add_format({"bold": True, "font_size": 13}),
        subtitle=wb.add_format({"italic": True, "align": "center"}),
        note=wb.add_format({"italic": True, "font_size": NOTE_SIZE, "text_wrap": True, "valign": "top"}),
        header=wb.add_format({**cell, "bold": True, "text_wrap": True, "align": "center",
                              "bg_color": HEADER_FILL}),
        header_rotated=wb.add_format({**cell, "bold": True, "rotation": 90, "align": "center",
                                      "bg_color": HEADER_FILL, "font_size": 10}),
        text=wb.add_format(cell),
        wrap=wb.add_format({**cell, "text_wrap": True}),
        center=wb.add_format({**cell, "align": "center"}),
        number=wb.add_format({**cell, "align": "center", "num_format": VI_GENERAL}),
        percent=wb.add_format({**cell, "align": "center", "num_format": VI_PERCENT}),
        group=wb.add_format({**cell, "bold": True, "bg_color": SECTION_FILL}),
        section=wb.add_format({**cell, "bold": True, "text_wrap": True, "bg_color": SECTION_FILL}),
        section_number=wb.add_format({**cell, "bold": True, "align": "center", "bg_color": SECTION_FILL}),
        bad=wb.add_format({**cell, "font_color": "#C00000", "text_wrap": True}),
        file=wb.add_format({**cell, "text_wrap": True, "font_size": FILE_SIZE}),
    )


def units_for(text: str, size: float = SIZE, bold: bool = False) -> float:
    """The column width (units) that shows text on one line."""
    return measure.units_for(text, size, bold, unit=UNIT)


def row_height(cells: list[tuple[str, float]], size: float = SIZE, bold: bool = False, minimum: float = 15.0) -> float:
    """Height (points) of a row whose cells hold these (text, column width units), wrapped."""
    return measure.row_height(cells, size, bold, minimum, unit=UNIT)


def fit_row(ws: Worksheet, row: int, cells: list[tuple[str, float]], minimum: float = 15.0,
            bold: bool = False, size: float = SIZE) -> None:
    """Set a row as tall as its wrapped texts need, measured in the font (no spreadsheet autofits a
    row it did not write itself)."""
    ws.set_row(row, row_height(cells, size, bold, minimum))


def fit_file_row(ws: Worksheet, row: int, cells: list[tuple[str, float]], files: list[tuple[str, float]],
                 minimum: float = 15.0) -> None:
    """fit_row for a row that also holds file names (in the smaller file font)."""
    ws.set_row(row, max(row_height(cells, SIZE, False, minimum), row_height(files, FILE_SIZE)))


def file_text(rel: str) -> str:
    """A file's place in the inbox as printed: a line may break after '/' and after the '::' that
    separates an archive or e-mail from the file inside it (the CSVs keep the exact name)."""
    return rel.replace("::", ":: ")


def write_header(ws: Worksheet, fm: Formats, row: int, labels: tuple[str, ...], widths: tuple[float, ...]) -> None:
    """A table's header row, as tall as its longest label needs."""
    fit_row(ws, row, list(zip(labels, widths)), bold=True)
    for col, label in enumerate(labels):
        ws.write_string(row, col, label, fm.header)


def write_note(ws: Worksheet, fm: Formats, row: int, last_col: int, text: str, width: float) -> None:
    """A note (italic, 10 pt) merged across the table, ``width`` units wide, as tall as it needs."""
    lines = measure.wrapped_lines(text, width, NOTE_SIZE, italic=True, unit=UNIT)
    ws.set_row(row, max(15.0, measure.lines_height(lines, NOTE_SIZE)))
    ws.merge_range(row, 0, row, last_col, text, fm.note)


def shown_folder(folder: Path) -> str:
    """A folder as printed: from the working folder when it is inside it, else its name alone
    (never a path of this machine)."""
    try:
        return str(folder.resolve().relative_to(Path.cwd().resolve())) if folder.is_absolute() else str(folder)
    except ValueError:
        return folder.name


def file_width(rels: list[str], minimum: float, maximum: float = 60.0) -> float:
    """Width (units) of a column of file names: the longest unbreakable part fits, within limits."""
    return word_width([file_text(rel) for rel in rels], minimum, maximum, FILE_SIZE)


def word_width(texts: list[str], minimum: float, maximum: float = 60.0, size: float = SIZE) -> float:
    """Width (units) of a column of wrapped texts in which no word (nor file name quoted in them)
    is cut: the longest unbreakable part fits, within limits."""
    parts = {part for text in texts for part in re.split(r"(?<=/)|\s+", text) if part}
    needed = max([measure.units_for(part, size, unit=UNIT) for part in parts] or [0.0])
    return round(min(maximum, max(minimum, needed + 0.5)), 1)


def finish_table(ws: Worksheet, header_row: int, last_row: int, widths: Sequence[float],
                 frozen_cols: int = 3) -> None:
    """A list sheet's table done: a filter on its header, column widths, header and first columns frozen,
    the print set up (see ``page_setup``)."""
    last_col = len(widths) - 1
    ws.autofilter(header_row, 0, last_row, last_col)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.freeze_panes(header_row + 1, frozen_cols)
    page_setup(ws, header_row, last_col, last_row)


def page_setup(ws: Worksheet, header_row: int, last_col: int, last_row: int) -> None:
    """A4 landscape, one page wide, the header row repeated, sheet name and page in the footer."""
    print_setup(ws, landscape=True, margins=TABLE_MARGINS, repeat_row=header_row,
                area=(0, 0, max(last_row, header_row), last_col), footer=page_footer(9, sheet_name=True))


def title_block(ws: Worksheet, fm: Formats, collection: Collection, title: str, last_col: int) -> int:
    """Title block; returns the next free row."""
    campaign = collection.campaign
    ws.set_row(0, TITLE_SIZE * 1.5)
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
