"""The sheet "Lỗi cần xử lý": every problem with where it is and how to fix it.

Errors are listed one by one. Warnings of one code in one sheet of one file (a unit that left its
whole figures sheet blank has dozens) share one row when there are at least ``GROUP_AT`` of them: the
cells as ranges ("D5:D84"), the first message and how many more; ``issues.csv`` keeps every one. A
district reads one line per thing to fix, and 10,000 units with many warnings each do not make a sheet
of a million rows."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from xlsxwriter.worksheet import Worksheet

from workbook_tools.outputs.summary import base
from workbook_tools.outputs.summary.base import (
    Formats,
    file_text,
    file_width,
    fit_file_row,
    page_setup,
    title_block,
    write_header,
    write_note,
)
from workbook_tools.problems import Problem, Severity
from workbook_tools.results.model import Collection, IssueRow

GROUP_AT = 5  # warnings of one code in one sheet of one file written as one row from this many
CELL = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


def write_issues(ws: Worksheet, fm: Formats, collection: Collection) -> None:
    """Every problem: unit, file, sheet, cell, value, what is wrong, how to fix it."""
    names = {u.code: u.name for u in collection.campaign.units}
    last_col = 10
    row = title_block(ws, fm, collection, "CÁC LỖI VÀ CẢNH BÁO CẦN XỬ LÝ", last_col)
    errors = sum(r.problem.severity == Severity.ERROR for r in collection.issues)
    rows = _rows(collection.issues)
    widths = _widths(collection, any(p.cell != item.problem.cell for item, p in rows))
    write_note(ws, fm, row, last_col, f"{errors} lỗi (phải sửa trước khi xếp hạng) và "
               f"{len(collection.issues) - errors} cảnh báo (nên kiểm tra). Lọc theo cột 'Mức' hoặc 'Đơn vị'. "
               f"Từ {GROUP_AT} cảnh báo cùng mã trên một trang của một tệp trở lên được gộp một dòng "
               "(từng ô có trong issues.csv).", sum(widths))
    header = row + 2
    labels = ("STT", "Mức", "Mã lỗi", "Mã đơn vị", "Đơn vị", "Tệp", "Trang", "Ô", "Giá trị",
              "Nội dung", "Cách sửa")
    write_header(ws, fm, header, labels, widths)
    row = header + 1
    for number, (item, p) in enumerate(rows, start=1):
        fmt = fm.bad if p.severity == Severity.ERROR else fm.wrap
        ws.write_number(row, 0, number, fm.center)
        ws.write_string(row, 1, "Lỗi" if p.severity == Severity.ERROR else "Cảnh báo", fmt)
        ws.write_string(row, 2, p.code, fm.text)
        ws.write_string(row, 3, item.unit_code, fm.center)
        ws.write_string(row, 4, names.get(item.unit_code, ""), fm.wrap)
        ws.write_string(row, 5, file_text(p.file), fm.file)
        for col, text in ((6, p.sheet), (7, p.cell), (8, p.value), (9, p.message), (10, p.fix)):
            ws.write_string(row, col, text, fm.wrap if col != 7 or p.cell != item.problem.cell else fm.center)
        fit_file_row(ws, row, [(p.message, widths[9]), (p.fix, widths[10]), (p.value, widths[8]), (p.cell, widths[7]),
                               (p.sheet, widths[6]), (names.get(item.unit_code, ""), widths[4])],
                     [(file_text(p.file), widths[5])])
        row += 1
    ws.autofilter(header, 0, max(row - 1, header), last_col)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.freeze_panes(header + 1, 0)
    page_setup(ws, header, last_col, row - 1)


def _widths(collection: Collection, grouped: bool) -> tuple[float, ...]:
    """Column widths: the problem code and the file names as wide as the longest of them; the cells
    wider when some row holds a group's ranges."""
    code = max([base.units_for(r.problem.code) for r in collection.issues] or [12.0])
    files = file_width([r.problem.file for r in collection.issues], 18)
    return (5, 9, round(max(12.0, code), 1), 9, 18, files, 10, 10 if grouped else 6, 10, 50, 40)


def _key(item: IssueRow) -> tuple[str, str, str, str] | None:
    p = item.problem
    return (item.unit_code, p.file, p.code, p.sheet) if p.severity == Severity.WARNING else None


def _rows(issues: tuple[IssueRow, ...]) -> list[tuple[IssueRow, Problem]]:
    """The sheet's rows in the order of the issues: each warning group at its first member's place."""
    counts = Counter(key for key in map(_key, issues) if key is not None)
    groups: dict[tuple[str, str, str, str], list[IssueRow]] = {}
    rows: list[tuple[IssueRow, Problem] | tuple[str, tuple]] = []
    for item in issues:
        key = _key(item)
        if key is None or counts[key] < GROUP_AT:
            rows.append((item, item.problem))
        elif key in groups:
            groups[key].append(item)
        else:
            groups[key] = [item]
            rows.append(("group", key))
    return [(groups[row[1]][0], _grouped(groups[row[1]])) if row[0] == "group" else row for row in rows]


def _grouped(members: list[IssueRow]) -> Problem:
    """One problem standing for a group: its cells as ranges, the first message and how many more."""
    first = members[0].problem
    message = f"{first.message} Cùng loại ở {len(members) - 1} ô khác (xem cột 'Ô')."
    return dataclasses.replace(first, cell=cell_ranges([m.problem.cell for m in members]), value="",
                               message=message)


def cell_ranges(cells: list[str]) -> str:
    """'D5, D6, D7, F2' -> 'D5:D7, F2': runs of rows in one column as ranges, in the given order."""
    parts: list[list] = []  # [column, first row, last row] or [text]
    for cell in cells:
        match = CELL.fullmatch(cell)
        if match is None:
            parts.append([cell])
            continue
        column, number = match[1], int(match[2])
        if parts and len(parts[-1]) == 3 and parts[-1][0] == column and parts[-1][2] + 1 == number:
            parts[-1][2] = number
        else:
            parts.append([column, number, number])
    return ", ".join(p[0] if len(p) == 1 else f"{p[0]}{p[1]}" + (f":{p[0]}{p[2]}" if p[2] != p[1] else "")
                     for p in parts)
