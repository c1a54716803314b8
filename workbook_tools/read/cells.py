"""What the reader gives back: cells and sheets, and a cell typed from its type attribute.

Shared by the two ways a worksheet is read (``read.scanner`` and ``read.parser``), which must
give the same cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
NUMBER = re.compile(r"^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?\s*$")


class Cell(NamedTuple):
    """One cell: its value (number, text, bool or None), formula text, and raw type."""

    row: int  # 1-based, as Excel shows
    col: int  # 1-based
    value: float | str | bool | None
    formula: str | None
    kind: str  # "n" number, "s" text, "b" bool, "e" error, "" empty


@dataclass
class Sheet:
    """One worksheet's cells by (row, col), 1-based."""

    name: str
    state: str
    protected: bool
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)

    def get(self, row: int, col: int) -> Cell | None:
        """The cell at (row, col), or None when it holds nothing."""
        return self.cells.get((row, col))

    def value(self, row: int, col: int) -> float | str | bool | None:
        """The value at (row, col), or None."""
        cell = self.cells.get((row, col))
        return cell.value if cell else None


def typed(row: int, col: int, kind: str, text: str | None, formula: str | None, strings: list[str]) -> Cell:
    """A cell from its type attribute and the text of its <v> element."""
    if text is None:
        return Cell(row, col, None, formula, "")
    if kind == "s":
        index = int(text)
        return Cell(row, col, strings[index] if 0 <= index < len(strings) else "", formula, "s")
    if kind in ("str", "d"):
        return Cell(row, col, text, formula, "s")
    if kind == "b":
        return Cell(row, col, text.strip() == "1", formula, "b")
    if kind == "e":
        return Cell(row, col, text, formula, "e")
    if not NUMBER.match(text):  # float() would accept '0_5', '５', 'nan', 'inf'
        return Cell(row, col, text, formula, "e")
    return Cell(row, col, float(text), formula, "n")


def col_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def local_name(tag: str) -> str:
    """An element's name without its namespace: '{uri}sheet' -> 'sheet'."""
    return tag.rpartition("}")[2]
