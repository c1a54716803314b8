"""Cells measured in points (``paper.measure`` gives the widths of Liberation Serif, the metric
twin of Times New Roman), so that a row is exactly as tall as its wrapped text needs on paper.
``wrapped_lines`` breaks between words only; ``broken_lines`` (under ``table_height`` and
``paragraph_height``, the body rows of the unit workbook) also after '/' and '-' and inside a word
wider than its cell, as ``tests/fit.py`` and the spreadsheets do, so a height computed here is
never short of what the fit check measures.

Column widths are in the units a spreadsheet stores (the width of a digit of the workbook's
default font, Times New Roman 12: 8 px = 6 pt); XlsxWriter stores ``w`` as ``w + 5/7``.
"""

from __future__ import annotations

import math

from workbook_tools.paper.measure import PAD_PT, text_width
from workbook_tools.paper.measure import wrapped_lines as measured_lines

UNIT_PT = 6.0          # one column width unit, in points
STORED_EXTRA = 5 / 7   # what XlsxWriter adds to a column width when writing it
H_PAD_PT = 3.0         # left + right padding inside a cell
V_PAD_PT = 1.5         # top + bottom padding inside a cell
LINE_EM = 1.17         # one line of Vietnamese text (marks above and below), in ems
SLACK_PT = 3.0         # added to every computed row height: air above and below the text
PARA_EM = 1.15         # one line of running text as the spreadsheet sets it (Liberation Serif: 1.107 em)
PARA_PAD_PT = 2.5      # under a paragraph of running text
TABLE_PAD_PT = 3.5     # above and below the lines of a table's body cell, marks clear of the borders

__all__ = ["UNIT_PT", "STORED_EXTRA", "broken_lines", "columns_pt", "fits_line", "fitted_height", "lines_height",
           "paragraph_height", "table_height", "text_width", "wrapped_lines"]


def columns_pt(*widths: float) -> float:
    """Points between the borders of adjacent columns of these widths (as set with set_column)."""
    return sum((w + STORED_EXTRA) * UNIT_PT for w in widths)


def wrapped_lines(text: str, width_pt: float, size: float = 12, bold: bool = False,
                  italic: bool = False) -> int:
    """How many lines text takes when broken between words to fit width_pt (cell padding included)."""
    room = width_pt - H_PAD_PT
    count = 0
    for paragraph in text.split("\n"):
        line = ""
        count += 1
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, size, bold, italic) > room:
                count += 1
                line = word
            else:
                line = candidate
    return count


def lines_height(lines: float, size: float = 12) -> float:
    """Row height (points) for this many lines of text."""
    return math.ceil((lines * size * LINE_EM + V_PAD_PT + SLACK_PT) * 2) / 2


def fitted_height(text: str, width_pt: float, size: float = 12, bold: bool = False, italic: bool = False,
                  minimum_lines: int = 1) -> float:
    """Row height (points) that shows text wrapped in a cell width_pt wide."""
    lines = max(minimum_lines, wrapped_lines(text, width_pt, size, bold, italic))
    return lines_height(lines, size)


def fits_line(text: str, width_pt: float, size: float = 12, bold: bool = False, italic: bool = False) -> bool:
    """Whether text fits on one line of a cell width_pt wide."""
    return text_width(text, size, bold, italic) <= width_pt - H_PAD_PT


def paragraph_height(text: str, width_pt: float, size: float = 12, bold: bool = False,
                     italic: bool = False) -> float:
    """Row height (points) of a paragraph of running text, top-aligned, as tight as a spreadsheet
    sets its lines: rows of paragraphs follow one another like lines of a page."""
    return _tight(broken_lines(text, width_pt, size, bold, italic), size, PARA_PAD_PT)


def table_height(text: str, width_pt: float, size: float = 12, bold: bool = False, italic: bool = False) -> float:
    """Row height (points) of a body row of a long table, as a Word table sets it: the lines as the
    spreadsheet sets them and a little air (tighter than ``fitted_height``)."""
    return _tight(broken_lines(text, width_pt, size, bold, italic), size, TABLE_PAD_PT)


def broken_lines(text: str, width_pt: float, size: float = 12, bold: bool = False, italic: bool = False) -> int:
    """How many lines text takes in a cell width_pt wide when a spreadsheet breaks it: between words,
    after '/' and '-', and inside a word wider than the cell (``paper.measure``'s rules)."""
    return measured_lines(text, (width_pt - H_PAD_PT + PAD_PT) / UNIT_PT, size, bold, italic, unit=UNIT_PT)


def _tight(lines: int, size: float, pad: float) -> float:
    return math.ceil((lines * size * PARA_EM + pad) * 2) / 2
