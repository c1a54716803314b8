"""Does every cell's text fit on paper? Measured with the real font files, not guessed.

``misfits(path)`` opens a workbook we wrote and, for every non-empty cell of every sheet, measures
its text (or its number in its number format, or the longest text or number a formula can give) in
the cell's font and size with the Liberation font that stands in for it (Liberation Serif for Times
New Roman, Sans for Arial, Mono for Courier New: the same widths by design), and compares it with
the cell (or merged range) as LibreOffice lays it out:

- a column ``w`` wide in the file is ``w`` times the width of a digit of the workbook's default
  font, unrounded (Times New Roman 12: 8 px, 6 pt a unit; 11: 7.33 px; measured by converting
  workbooks to .fods);
- a row is its stored height, or the sheet's default height when it has none: LibreOffice's own
  optimal height on opening is not counted on (it sits Vietnamese letters with two marks, like
  "ầ", against the top border: seen in the printed "Tình hình nộp"), and Excel keeps the default;
- text that does not wrap must fit on one line, or run on into empty cells to its right (what a
  spreadsheet prints); wrapped text is broken between words (and after '/' and '-') and the lines
  together must fit; a word wider than its cell is a misfit (the spreadsheet would cut it);
- text turned 90° must fit the height, its lines the width.

Each misfit says sheet, cell, text, needed and available size (points).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import openpyxl
from fontTools.ttLib import TTFont
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"))
FAMILIES = {"times new roman": "Serif", "liberation serif": "Serif", "arial": "Sans", "liberation sans": "Sans",
            "calibri": "Sans", "courier new": "Mono", "liberation mono": "Mono"}
PAD_PT = 3.0         # left + right cell padding
LINE_EM = 1.15       # one line of text (Liberation Serif ascent + descent is 1.107 em)
V_PAD_PT = 1.0       # top + bottom
DEFAULT_ROW_PT = 15.0
PT_PER_PX = 0.75


@dataclass(frozen=True)
class Misfit:
    """One cell whose text does not fit."""

    sheet: str
    cell: str
    text: str
    what: str
    needed: float
    available: float

    def __str__(self) -> str:
        short = self.text if len(self.text) <= 70 else self.text[:67] + "..."
        return (f"{self.sheet}!{self.cell}: {self.what}: cần {self.needed:.1f} pt, có {self.available:.1f} pt: "
                f"{short!r}")


def fonts_present() -> bool:
    """Whether the Liberation fonts are installed (Debian: fonts-liberation2)."""
    return _font_file("Serif", False, False) is not None


@lru_cache(maxsize=None)
def _font_file(family: str, bold: bool, italic: bool) -> Path | None:
    style = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic",
             (True, True): "BoldItalic"}[(bold, italic)]
    for folder in FONT_DIRS:
        path = folder / f"Liberation{family}-{style}.ttf"
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=None)
def _metrics(family: str, bold: bool, italic: bool) -> tuple[dict[int, int], int]:
    """Advance width per code point, and units per em."""
    path = _font_file(family, bold, italic)
    if path is None:
        raise FileNotFoundError(f"Liberation{family} is not installed (apt-get install fonts-liberation2)")
    font = TTFont(path, lazy=True)
    hmtx, cmap = font["hmtx"], font.getBestCmap()
    widths = {code: hmtx[glyph][0] for code, glyph in cmap.items()}
    return widths, font["head"].unitsPerEm


@dataclass(frozen=True)
class Face:
    """A cell's font as measured."""

    family: str
    size: float
    bold: bool
    italic: bool

    def width(self, text: str) -> float:
        """Width of one line of text, in points."""
        widths, per_em = _metrics(self.family, self.bold, self.italic)
        fallback = widths.get(ord("M"), per_em)
        return sum(widths.get(ord(ch), fallback) for ch in text) * self.size / per_em

    @property
    def line(self) -> float:
        return self.size * LINE_EM


def face_of(cell: Cell) -> Face:
    font = cell.font
    family = FAMILIES.get((font.name or "Calibri").lower(), "Serif")
    return Face(family, float(font.sz or 11), bool(font.b), bool(font.i))


def wrap(text: str, face: Face, width: float) -> tuple[list[str], str | None]:
    """Lines of text broken where a spreadsheet may break them (at spaces, after '/' and '-') to fit
    width; and the first piece too wide for it (a spreadsheet would cut it mid-word)."""
    lines, too_wide = [], None
    for paragraph in text.split("\n"):
        line = ""
        for piece in re.findall(r"[^\s/-]*[/-]+|[^\s/-]+|\s+", paragraph):
            if too_wide is None and face.width(piece.strip()) > width:
                too_wide = piece.strip()
            if line.strip() and face.width((line + piece).rstrip()) > width:
                lines.append(line.rstrip())
                line = piece.lstrip()
            else:
                line += piece
        lines.append(line.rstrip())
    return lines, too_wide


class SheetBox:
    """Column widths and row heights of one sheet, in points, as LibreOffice lays them out."""

    def __init__(self, ws: Worksheet, digit_px: float):
        self.ws, self.unit_pt = ws, digit_px * PT_PER_PX
        fmt = ws.sheet_format
        self.default_col = float(fmt.defaultColWidth or (fmt.baseColWidth or 8) + 5 / digit_px)
        self.default_row = float(fmt.defaultRowHeight or DEFAULT_ROW_PT)
        self.widths: dict[int, float] = {}
        for letter, dim in ws.column_dimensions.items():
            for index in range(dim.min or 0, (dim.max or 0) + 1):
                if index and dim.width:
                    self.widths[index] = float(dim.width) if not dim.hidden else 0.0
        self.merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
        self.covered = {(row, col) for r in ws.merged_cells.ranges for row in range(r.min_row, r.max_row + 1)
                        for col in range(r.min_col, r.max_col + 1) if (row, col) != (r.min_row, r.min_col)}

    def col(self, index: int) -> float:
        return self.widths.get(index, self.default_col) * self.unit_pt

    def row(self, index: int) -> float:
        dim = self.ws.row_dimensions.get(index)
        if dim is not None and dim.hidden:
            return 0.0
        return float(dim.height) if dim is not None and dim.height is not None else self.default_row

    def box(self, cell: Cell) -> tuple[float, float]:
        """Width and height of the cell or the merged range it starts."""
        merged = self.merged.get((cell.row, cell.column))
        if merged is None:
            return self.col(cell.column), self.row(cell.row)
        return (sum(self.col(c) for c in range(merged.min_col, merged.max_col + 1)),
                sum(self.row(r) for r in range(merged.min_row, merged.max_row + 1)))

    def spill(self, cell: Cell) -> float:
        """Width of the empty cells to the right that unwrapped text may run into."""
        extra, column = 0.0, cell.column + 1
        while column <= self.ws.max_column and (cell.row, column) not in self.covered \
                and (cell.row, column) not in self.merged and _empty(self.ws.cell(cell.row, column)):
            extra += self.col(column)
            column += 1
        return extra


def _empty(cell: Cell) -> bool:
    return cell.value is None or cell.value == ""


NUMBER_SAMPLE = 100.25  # the largest score a formula can give, with decimals to show


def shown_texts(cell: Cell) -> list[str]:
    """What the cell can show on paper: its text, its number formatted, or for a formula every text
    literal it may return and the largest number in its format."""
    value = cell.value
    if isinstance(value, str) and value.startswith("="):
        literals = [s for s in re.findall(r'"((?:[^"]|"")*)"', value) if s and not _is_argument(value, s)]
        return [s.replace('""', '"') for s in literals] + [format_number(NUMBER_SAMPLE, cell.number_format)]
    if isinstance(value, bool):
        return ["TRUE" if value else "FALSE"]
    if isinstance(value, (int, float)):
        return [format_number(value, cell.number_format)]
    if isinstance(value, (dt.datetime, dt.date)):
        return [value.strftime("%d/%m/%Y" + (" %H:%M" if "h" in cell.number_format.lower() else ""))]
    return [str(value)]


def _is_argument(formula: str, literal: str) -> bool:
    """A literal used as an argument (a sheet name, a comparison), not a result shown."""
    return bool(re.search(r'[<>=]\s*"' + re.escape(literal) + '"', formula))


def format_number(value: float, number_format: str) -> str:
    """The number as a spreadsheet shows it in a format like 0, 0.0, #,##0.00, 0% or General."""
    fmt = re.sub(r"\[[^\]]*\]", "", (number_format or "General").split(";")[0])  # [$-42A]: a locale
    if fmt == "General":
        text = f"{value:.10g}"
        return text
    decimals = len(fmt.split(".")[1].rstrip("%\" _)")) if "." in fmt else 0
    if "%" in fmt:
        value *= 100
    text = f"{value:,.{decimals}f}" if "," in fmt else f"{value:.{decimals}f}"
    literal = "".join(re.findall(r'"([^"]*)"', fmt))
    return text + ("%" if "%" in fmt else "") + literal


def check_cell(box: SheetBox, cell: Cell) -> list[Misfit]:
    """The misfits of one cell (none when it fits)."""
    align, face = cell.alignment, face_of(cell)
    width, height = box.box(cell)
    width -= PAD_PT + (align.indent or 0) * 3 * box.unit_pt
    height -= V_PAD_PT
    rotated = align.textRotation in (90, 180)
    found = []
    for text in shown_texts(cell):
        found += _check_text(box, cell, text, face, width, height, rotated)
    return found[:1]


def _check_text(box: SheetBox, cell: Cell, text: str, face: Face, width: float, height: float,
                rotated: bool) -> list[Misfit]:
    here = (box.ws.title, cell.coordinate, text)
    if rotated:
        width, height = height, width
    if not cell.alignment.wrap_text and "\n" not in text:
        needed = face.width(text)
        numeric = isinstance(cell.value, (int, float, dt.date)) or str(cell.value).startswith("=")  # '###', no spill
        room = width + (0.0 if rotated or numeric or cell.alignment.horizontal in ("center", "right")
                        else box.spill(cell))
        if needed > room:
            return [Misfit(*here, "không vừa một dòng" + (" (chữ dọc)" if rotated else ""), needed, room)]
        if face.line > height + 0.5:
            return [Misfit(*here, "dòng cao hơn ô", face.line, height)]
        return []
    lines, too_wide = wrap(text, face, width)
    if too_wide is not None:
        return [Misfit(*here, f"từ '{too_wide}' bị cắt", face.width(too_wide), width)]
    needed = len(lines) * face.line
    if needed > height + 0.5:
        return [Misfit(*here, f"{len(lines)} dòng không vừa chiều cao" + (" (chữ dọc)" if rotated else ""),
                       needed, height)]
    return []


def digit_px(book: openpyxl.Workbook) -> float:
    """Width in pixels of a digit of the workbook's default font (what column widths count in)."""
    try:
        font = book._fonts[0]  # the default (Normal) font
        face = Face(FAMILIES.get((font.name or "Calibri").lower(), "Serif"), float(font.sz or 11), False, False)
    except (AttributeError, IndexError):
        face = Face("Sans", 11.0, False, False)
    return face.width("0") / PT_PER_PX  # LibreOffice does not round it (Excel does)


def misfits(path: Path) -> list[Misfit]:
    """Every cell of every visible sheet of the workbook whose text does not fit."""
    book = openpyxl.load_workbook(path, rich_text=False)
    px = digit_px(book)
    found: list[Misfit] = []
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        box = SheetBox(ws, px)
        for row in ws.iter_rows():
            for cell in row:
                if _empty(cell) or (cell.row, cell.column) in box.covered or box.row(cell.row) == 0 \
                        or box.col(cell.column) == 0:
                    continue
                found += check_cell(box, cell)
    return found


def report(found: list[Misfit], limit: int = 40) -> str:
    """The misfits as lines (for an assertion message)."""
    lines = [str(m) for m in found[:limit]]
    if len(found) > limit:
        lines.append(f"... và {len(found) - limit} ô khác")
    return "\n".join(lines)


__all__ = ["Misfit", "misfits", "report", "fonts_present"]
