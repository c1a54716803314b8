"""The XlsxWriter internals we rely on (``paper.xlsx_compat``): checked version, checked behaviour.

(``TextWorksheet``'s behaviour is tested end to end in ``test_hostile``.)
"""

from __future__ import annotations

import openpyxl
import xlsxwriter

from workbook_tools.paper.xlsx_compat import CHECKED_RANGE, TextWorkbook, merge_down, version_checked


def test_installed_xlsxwriter_is_a_checked_version():
    assert version_checked(), (
        f"XlsxWriter {xlsxwriter.__version__} is outside the range checked for the internals in "
        f"workbook_tools/paper/xlsx_compat.py ({CHECKED_RANGE}): read Worksheet._write_string and "
        "Worksheet.merge in this release, run the whole suite on it, then widen CHECKED_RANGE and setup.cfg")


def test_version_check_refuses_other_versions():
    assert version_checked("3.1.9") and version_checked("3.3.1")
    assert not version_checked("3.1.8") and not version_checked("3.3.2") and not version_checked("4.0.0")
    assert not version_checked("garbage")


def test_merge_down_merges_a_streamed_row_with_the_next(tmp_path):
    path = tmp_path / "m.xlsx"
    wb = TextWorkbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("S")
    fmt = wb.add_format({"bold": True})
    ws.write_string(0, 0, "STT", fmt)
    ws.write_string(0, 1, "Mã", fmt)
    merge_down(ws, 0, 0, fmt)
    ws.write_string(1, 1, "x")
    wb.close()
    book = openpyxl.load_workbook(path)
    assert [str(r) for r in book["S"].merged_cells.ranges] == ["A1:A2"]
    assert book["S"]["A1"].value == "STT" and book["S"]["B2"].value == "x"
