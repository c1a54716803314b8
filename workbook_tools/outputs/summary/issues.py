"""The sheet "Lỗi cần xử lý": every problem with where it is and how to fix it."""

from __future__ import annotations

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
from workbook_tools.problems import Severity
from workbook_tools.results.model import Collection


def write_issues(ws: Worksheet, fm: Formats, collection: Collection) -> None:
    """Every problem: unit, file, sheet, cell, value, what is wrong, how to fix it."""
    names = {u.code: u.name for u in collection.campaign.units}
    last_col = 10
    row = title_block(ws, fm, collection, "CÁC LỖI VÀ CẢNH BÁO CẦN XỬ LÝ", last_col)
    errors = sum(r.problem.severity == Severity.ERROR for r in collection.issues)
    widths = _widths(collection)
    write_note(ws, fm, row, last_col, f"{errors} lỗi (phải sửa trước khi xếp hạng) và "
               f"{len(collection.issues) - errors} cảnh báo (nên kiểm tra). Lọc theo cột 'Mức' hoặc 'Đơn vị'.",
               sum(widths))
    header = row + 2
    labels = ("STT", "Mức", "Mã lỗi", "Mã đơn vị", "Đơn vị", "Tệp", "Trang", "Ô", "Giá trị",
              "Nội dung", "Cách sửa")
    write_header(ws, fm, header, labels, widths)
    row = header + 1
    for number, item in enumerate(collection.issues, start=1):
        p = item.problem
        fmt = fm.bad if p.severity == Severity.ERROR else fm.wrap
        ws.write_number(row, 0, number, fm.center)
        ws.write_string(row, 1, "Lỗi" if p.severity == Severity.ERROR else "Cảnh báo", fmt)
        ws.write_string(row, 2, p.code, fm.text)
        ws.write_string(row, 3, item.unit_code, fm.center)
        ws.write_string(row, 4, names.get(item.unit_code, ""), fm.wrap)
        ws.write_string(row, 5, file_text(p.file), fm.file)
        for col, text in ((6, p.sheet), (7, p.cell), (8, p.value), (9, p.message), (10, p.fix)):
            ws.write_string(row, col, text, fm.wrap if col != 7 else fm.center)
        fit_file_row(ws, row, [(p.message, widths[9]), (p.fix, widths[10]), (p.value, widths[8]),
                               (p.sheet, widths[6]), (names.get(item.unit_code, ""), widths[4])],
                     [(file_text(p.file), widths[5])])
        row += 1
    ws.autofilter(header, 0, max(row - 1, header), last_col)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.freeze_panes(header + 1, 0)
    page_setup(ws, header, last_col, row - 1)


def _widths(collection: Collection) -> tuple[float, ...]:
    """Column widths: the problem code and the file names as wide as the longest of them."""
    code = max([base.units_for(r.problem.code) for r in collection.issues] or [12.0])
    files = file_width([r.problem.file for r in collection.issues], 18)
    return (5, 9, round(max(12.0, code), 1), 9, 18, files, 10, 6, 10, 50, 40)
