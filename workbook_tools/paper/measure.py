"""How wide a text is in our font, and how many lines it takes in a column: measured with the real
advance widths of Liberation Serif (the metric twin of Times New Roman), shipped as data
(``font_widths.json``, written by ``scripts/font_widths.py``), so a row is as tall as its text and
no taller, on any machine.

(Shared by several writers: extend, do not overwrite.)

Column widths are in spreadsheet units: the width of a digit of the workbook's default font
(Times New Roman 12: 8 px, 6 pt), which is how LibreOffice and Excel lay a column out.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources

DEFAULT_SIZE = 12.0
UNIT_PT = 6.0          # one column width unit with Times New Roman 12 as the default font
DIGIT_EM = 0.5         # a digit of Times New Roman is half an em: a unit is half the default size
PAD_PT = 4.0           # left + right padding inside a cell (with a little room for rounding)
LINE_EM = 1.15         # one line of text, Vietnamese marks included
ROW_PAD_PT = 3.0       # top + bottom room in a row
_PIECES = re.compile(r"[^\s/-]*[/-]+|[^\s/-]+|\s+")  # where a line may break: spaces, after '/' and '-'
_STYLES = {(False, False): "regular", (True, False): "bold", (False, True): "italic", (True, True): "bold_italic"}


@lru_cache(maxsize=1)
def _table() -> dict[str, object]:
    text = resources.files("workbook_tools.paper").joinpath("font_widths.json").read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=4)
def _widths(style: str) -> tuple[dict[str, int], int, int]:
    table = _table()
    widths = dict(zip(table["characters"], table[style]))
    return widths, widths.get("M", 1800), int(table["units_per_em"])


def text_width(text: str, size: float = DEFAULT_SIZE, bold: bool = False, italic: bool = False) -> float:
    """Width of one line of text in points."""
    widths, fallback, per_em = _widths(_STYLES[(bold, italic)])
    return sum(widths.get(ch, fallback) for ch in text) * size / per_em


def unit_points(default_size: float) -> float:
    """Points in one column width unit of a workbook whose default font is ``default_size`` pt
    (LibreOffice counts the digit's exact width)."""
    return default_size * DIGIT_EM


def column_points(width_units: float, unit: float = UNIT_PT) -> float:
    """Usable width of a column (or merged columns) ``width_units`` wide, in points."""
    return width_units * unit - PAD_PT


@lru_cache(maxsize=1 << 16)  # the same texts come back row after row (one warning per unit)
def wrapped_lines(text: str, width_units: float, size: float = DEFAULT_SIZE, bold: bool = False,
                  italic: bool = False, unit: float = UNIT_PT) -> int:
    """Lines the text takes when wrapped in a column ``width_units`` wide (a piece wider than the
    column counts as the lines it would be cut into)."""
    room = max(1.0, column_points(width_units, unit))
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        width = trailing = 0.0  # the line's width, and that of the spaces at its end
        for piece in _PIECES.findall(paragraph):
            piece_width = text_width(piece, size, bold, italic)
            if piece.isspace() and width - trailing > room:  # after a word wider than the column
                lines += 1
                width = trailing = 0.0
            elif piece.isspace():
                width, trailing = width + piece_width, trailing + piece_width
            elif width - trailing > 0 and width + piece_width > room:  # a word that does not fit: next line
                lines += 1
                width, trailing = piece_width, 0.0
            else:
                width, trailing = width + piece_width, 0.0
            lines += max(0, math.ceil((0.0 if piece.isspace() else piece_width) / room) - 1)
    return lines


def units_for(text: str, size: float = DEFAULT_SIZE, bold: bool = False, unit: float = UNIT_PT) -> float:
    """The column width (units) that shows text on one line."""
    return (text_width(text, size, bold) + PAD_PT) / unit


def lines_height(lines: int, size: float = DEFAULT_SIZE) -> float:
    """Row height (points) for ``lines`` lines of text in ``size`` pt."""
    return round(lines * size * LINE_EM + ROW_PAD_PT, 1)


def row_height(cells: list[tuple[str, float]], size: float = DEFAULT_SIZE, bold: bool = False,
               minimum: float = 0.0, unit: float = UNIT_PT) -> float:
    """Height (points) of a row whose cells hold these (text, column width units), wrapped."""
    lines = max([wrapped_lines(text, width, size, bold, unit=unit) for text, width in cells if text] or [1])
    return max(minimum, lines_height(lines, size))
