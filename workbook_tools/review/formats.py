"""Cell formats and text sizes of the review workbook, and row heights measured from its texts."""

from __future__ import annotations

import functools
import math

from workbook_tools.form.review_layout import WIDTHS
from workbook_tools.paper.cellfit import PARA_EM, TABLE_PAD_PT, UNIT_PT, columns_pt, wrapped_lines
from workbook_tools.paper.styles import FONT, HEADER_FILL, INPUT_FILL, SECTION_FILL

# criterion text; notes and reasons; headers; footer; the rows of the index (a district on one page)
BODY_PT, NOTE_PT, HEADER_PT, SMALL_PT, INDEX_PT = 10.5, 10, 10, 10, 10
INDENT_UNITS = 3  # one indent level is three digit widths
MAX_ROW_PT = 409.0  # the tallest row a spreadsheet keeps (a longer note is cut on paper)
# Numbers in the Vietnamese form (4,5): LibreOffice follows the format's language (042A, Vietnamese);
# Excel follows the Windows regional settings. Two sections, because LibreOffice replaces a plain
# General format on a recalculated formula cell by its own (4.5 again).
VI_NUMBER, VI_COUNT = "[$-42A]General;-General", "[$-42A]0"


def width_of(first: int, last: int | None = None) -> float:
    """Width (points) of a column of the unit sheet, or of columns first..last merged."""
    return columns_pt(*(WIDTHS[col] for col in range(first, (first if last is None else last) + 1)))


def indent_width(col: int, indent: int) -> float:
    """Width (points) left for text in a column whose format indents it ``indent`` levels."""
    return width_of(col) - INDENT_UNITS * UNIT_PT * indent


def height(cells: list[tuple[str, float]], size: float, bold: bool = False, italic: bool = False) -> float:
    """Row height (points) for cells of (text, width in points) wrapped in one font: the lines broken
    between words, as tight as the spreadsheet sets them, with a little air (a long table's row)."""
    lines = max([_lines(text, width, size, bold, italic) for text, width in cells if text] or [1])
    return min(MAX_ROW_PT, lines_points(lines, size))


@functools.lru_cache(maxsize=4096)
def _lines(text: str, width: float, size: float, bold: bool, italic: bool) -> int:
    """Lines of a wrapped text (every unit's sheet has the same criteria: measured once)."""
    return wrapped_lines(text, width, size, bold, italic)


def lines_points(lines: int, size: float) -> float:
    """Row height (points) for this many lines of text, to the half point above."""
    return math.ceil((lines * size * PARA_EM + TABLE_PAD_PT) * 2) / 2


def one_line(size: float) -> float:
    """Row height (points) for one line of text."""
    return lines_points(1, size)


def make_formats(wb) -> dict:
    """Every format of the review workbook, by name."""
    def fmt(size: float = BODY_PT, **props: object):
        return wb.add_format({"font_name": FONT, "font_size": size, "valign": "vcenter", **props})

    cell = {"border": 1}
    number = {**cell, "align": "center", "num_format": VI_NUMBER}
    section = {**cell, "bold": True, "bg_color": SECTION_FILL}
    unlocked = {"locked": False, "bg_color": INPUT_FILL}
    return {
        "title": fmt(13, bold=True, align="center", text_wrap=True),
        "unit": fmt(12, bold=True, align="center", text_wrap=True),
        "source": fmt(NOTE_PT, italic=True, text_wrap=True, valign="top"),
        "header": fmt(HEADER_PT, bold=True, align="center", text_wrap=True, bg_color=HEADER_FILL, **cell),
        "band": fmt(bold=True, text_wrap=True, bg_color=HEADER_FILL, **cell),
        "section": fmt(text_wrap=True, **section),
        "section_center": fmt(**{**section, **number}),
        "text": fmt(text_wrap=True, **cell),
        "text_indent": fmt(text_wrap=True, indent=1, **cell),
        "center": fmt(**number),
        "note": fmt(NOTE_PT, text_wrap=True, **cell),
        "team": fmt(**number, **unlocked),
        "reason": fmt(NOTE_PT, text_wrap=True, **cell, **unlocked),
        "final": fmt(bold=True, **number),
        "total": fmt(bold=True, **number),
        "count": fmt(bold=True, **{**number, "num_format": VI_COUNT}),
        "class": fmt(bold=True, align="center", text_wrap=True, **cell),
        "i_number": fmt(INDEX_PT, **number),
        "i_text": fmt(INDEX_PT, text_wrap=True, **cell),
        "i_class": fmt(INDEX_PT, align="center", text_wrap=True, **cell),
        "date": fmt(italic=True, align="center"),
        "signer": fmt(bold=True, align="center"),
        "signer_name": fmt(bold=True, align="center", **unlocked),
        "link": fmt(INDEX_PT, align="center", font_color="blue", underline=1, **cell),
        "guide": fmt(NOTE_PT, italic=True, text_wrap=True, valign="top"),
        "subtitle": fmt(italic=True, align="center", text_wrap=True),
    }
