"""The sheet "Lỗi cần xử lý": every problem with where it is and how to fix it."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from workbook_tools.outputs.summary.base import Formats, fit_row, page_setup, title_block
from workbook_tools.problems import Severity
from workbook_tools.results.model import Collection


def write_issues(ws: Worksheet, fm: Formats, collection: Collection) -> None:
    """Every problem: unit, file, sheet, cell, value, what is wrong, how to fix it."""
    names = {u.code: u.name for u in collection.campaign.units}
    last_col = 10
    row = title_block(ws, fm, collection, "CÁC LỖI VÀ CẢNH BÁO CẦN XỬ LÝ", last_col)
    errors = sum(r.problem.severity == Severity.ERROR for r in collection.issues)
    ws.merge_range(row, 0, row, last_col,
                   f"{errors} lỗi (phải sửa trước khi xếp hạng) và {len(collection.issues) - errors} cảnh báo "
                   "(nên kiểm tra). Lọc theo cột 'Mức' hoặc 'Đơn vị'.", fm.note)
    header = row + 2
    labels = ("STT", "Mức", "Mã lỗi", "Mã đơn vị", "Đơn vị", "Tệp", "Trang", "Ô", "Giá trị",
              "Nội dung", "Cách sửa")
    for col, label in enumerate(labels):
        ws.write_string(header, col, label, fm.header)
    row = header + 1
    for number, item in enumerate(collection.issues, start=1):
        p = item.problem
        fmt = fm.bad if p.severity == Severity.ERROR else fm.wrap
        ws.write_number(row, 0, number, fm.center)
        ws.write_string(row, 1, "Lỗi" if p.severity == Severity.ERROR else "Cảnh báo", fmt)
        ws.write_string(row, 2, p.code, fm.text)
        ws.write_string(row, 3, item.unit_code, fm.center)
        ws.write_string(row, 4, names.get(item.unit_code, ""), fm.wrap)
        for col, text in ((5, p.file), (6, p.sheet), (7, p.cell), (8, p.value), (9, p.message), (10, p.fix)):
            ws.write_string(row, col, text, fm.wrap if col != 7 else fm.center)
        fit_row(ws, row, [(p.file, 24), (p.message, 50), (p.fix, 40), (p.value, 10),
                       (names.get(item.unit_code, ""), 18)])
        row += 1
    ws.autofilter(header, 0, max(row - 1, header), last_col)
    for col, width in enumerate((5, 9, 23, 9, 18, 24, 10, 6, 10, 50, 40)):
        ws.set_column(col, col, width)
    ws.freeze_panes(header + 1, 0)
    page_setup(ws, header, last_col, row - 1)
