"""The two places where we rely on XlsxWriter internals, kept together and version-checked.

- ``TextWorksheet`` overrides ``Worksheet._write_string``, the one funnel every text goes through
  (``write``, ``write_string``, ``merge_range``): XlsxWriter copies a string shaped like its own
  rich-text XML ('<r>...</r>') into the file unescaped, so text read from a returned file (a
  typed score, a note, a file name) could break a workbook. Such a string gets a zero-width space
  in front, so it stays plain text.
- ``merge_down`` appends to ``Worksheet.merge``: in constant-memory mode ``merge_range`` cannot go
  back to a row once the next one is started, and the summary's two-row header needs that.

Both internals were read in the source of XlsxWriter 3.1.9, 3.2.0, 3.2.5 and 3.3.1 (unchanged
across them) and the suite runs on the installed release. setup.cfg pins the range
``CHECKED_RANGE``; ``tests/test_xlsx_compat.py`` fails loudly on a version outside it (and checks
the behaviour itself), so an upgrade is a deliberate step: read the two internals in the new
release, run the suite on it, then widen the range here and in setup.cfg.
"""

from __future__ import annotations

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

CHECKED_RANGE = ((3, 1, 9), (3, 3, 1))  # first and last release checked, inclusive


def version_checked(version: str = xlsxwriter.__version__) -> bool:
    """Whether an XlsxWriter version lies in the range the internals above were checked in."""
    try:
        parts = tuple(int(part) for part in version.split(".")[:3])
    except ValueError:
        return False
    return CHECKED_RANGE[0] <= parts <= CHECKED_RANGE[1]


class TextWorksheet(Worksheet):
    """A worksheet that writes every text as text (see the module docstring)."""

    def _write_string(self, row, col, string, cell_format=None):
        if string.startswith("<r>") and string.endswith("</r>"):
            string = "\u200b" + string
        return super()._write_string(row, col, string, cell_format)


class TextWorkbook(Workbook):
    """A workbook whose worksheets are ``TextWorksheet``: for anything holding text from files."""

    worksheet_class = TextWorksheet


def merge_down(ws: Worksheet, row: int, col: int, cell_format) -> None:
    """Merge (row, col), already written, with the cell below it, in constant-memory mode."""
    ws.merge.append([row, col, row + 1, col])
    ws.write_blank(row + 1, col, None, cell_format)
