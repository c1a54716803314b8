"""The sheet "Kết quả kiểm tra": what the inspection team changed, district-wide."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from workbook_tools.outputs.summary.base import (
    Formats,
    fit_row,
    page_setup,
    review_note,
    title_block,
    write_number,
)
from workbook_tools.results import review_analysis
from workbook_tools.results.model import Collection
from workbook_tools.spec.criteria import CriteriaSpec


def write_review_sheet(ws: Worksheet, fm: Formats, collection: Collection, scored: list[CriteriaSpec]) -> None:
    """What the team changed: over-scoring by group and section, most-cut criteria, biggest cuts."""
    last_col = max([8] + [len(s.sections) + 1 for s in scored])
    row = title_block(ws, fm, collection, "KẾT QUẢ KIỂM TRA, ĐÁNH GIÁ CỦA TỔ KIỂM TRA", last_col)
    ws.merge_range(row, 0, row, last_col, review_note(collection) + " Chênh lệch = điểm tự chấm − điểm sau "
                   "kiểm tra (dương: đơn vị tự chấm cao hơn).", fm.note)
    ws.set_row(row, 30)
    row += 2
    for spec in scored:
        row = _over_scoring(ws, fm, collection, spec, row, last_col) + 1
        row = _most_cut(ws, fm, collection, spec, row, last_col) + 1
        row = _biggest_cuts(ws, fm, collection, spec, row, last_col) + 2
    for col, width in enumerate((26, 14, 26, 14, 14, 14, 14, 16, 16) + (14,) * (last_col - 8)):
        ws.set_column(col, col, width)
    page_setup(ws, 0, last_col, row)


def _over_scoring(ws: Worksheet, fm: Formats, collection: Collection, spec: CriteriaSpec, row: int,
                  last_col: int) -> int:
    """Average (self - final) per group and section; returns the next row."""
    ws.merge_range(row, 0, row, last_col, f"{spec.short_name}: chênh lệch bình quân theo nhóm và theo mục",
                   fm.group)
    row += 1
    labels = ["Phạm vi"] + [review_analysis.section_label(s) for s in spec.sections] + ["Tổng"]
    for col, label in enumerate(labels[:last_col + 1]):
        ws.write_string(row, col, label, fm.header)
    ws.set_row(row, 60)
    row += 1
    for label, per_section, total in review_analysis.over_scoring(collection.campaign, collection.units, spec):
        ws.write_string(row, 0, label, fm.wrap)
        for col, value in enumerate((per_section + [total])[:last_col], start=1):
            write_number(ws, row, col, value, fm.number)
        fit_row(ws, row, [(label, 26)])
        row += 1
    return row


def _most_cut(ws: Worksheet, fm: Formats, collection: Collection, spec: CriteriaSpec, row: int,
              last_col: int) -> int:
    """The criteria cut at the most units; returns the next row."""
    ws.merge_range(row, 0, row, last_col, f"{spec.short_name}: tiêu chí bị Tổ KT trừ điểm ở nhiều đơn vị nhất",
                   fm.group)
    row += 1
    for col, label in ((0, "STT"), (1, "Nội dung"), (6, "Số đơn vị bị trừ"), (7, "Trừ bình quân"),
                       (8, "Điểm chuẩn")):
        if col == 1:
            ws.merge_range(row, 1, row, 5, label, fm.header)
        else:
            ws.write_string(row, col, label, fm.header)
    row += 1
    for criterion, count, average in review_analysis.most_cut(collection.units, spec)[:15]:
        ws.write_string(row, 0, review_analysis.criterion_path(spec, criterion.id), fm.center)
        ws.merge_range(row, 1, row, 5, criterion.text, fm.wrap)
        ws.write_number(row, 6, count, fm.number)
        write_number(ws, row, 7, average, fm.number)
        ws.write_number(row, 8, float(criterion.max), fm.number)
        fit_row(ws, row, [(criterion.text, 80)])
        row += 1
    return row


def _biggest_cuts(ws: Worksheet, fm: Formats, collection: Collection, spec: CriteriaSpec, row: int,
                  last_col: int) -> int:
    """The rows the team changed most; returns the next row."""
    ws.merge_range(row, 0, row, last_col, f"{spec.short_name}: các dòng Tổ KT điều chỉnh nhiều nhất", fm.group)
    row += 1
    for col, label in enumerate(("Đơn vị", "STT", "Nội dung", "Tự chấm", "Tổ KT", "Chênh lệch", "Lý do")):
        target = {0: 0, 1: 1, 2: 2, 3: 4, 4: 5, 5: 6, 6: 7}[col]
        if col == 2:
            ws.merge_range(row, 2, row, 3, label, fm.header)
        elif col == 6:
            ws.merge_range(row, 7, row, 8, label, fm.header)
        else:
            ws.write_string(row, target, label, fm.header)
    row += 1
    for cut in review_analysis.cuts(collection.units, spec)[:25]:
        ws.write_string(row, 0, cut.unit.name, fm.wrap)
        ws.write_string(row, 1, review_analysis.criterion_path(spec, cut.criterion.id), fm.center)
        ws.merge_range(row, 2, row, 3, cut.criterion.text, fm.wrap)
        write_number(ws, row, 4, cut.own, fm.number)
        write_number(ws, row, 5, cut.team, fm.number)
        write_number(ws, row, 6, cut.amount, fm.number)
        ws.merge_range(row, 7, row, 8, cut.reason or "(chưa ghi lý do)", fm.wrap)
        fit_row(ws, row, [(cut.unit.name, 26), (cut.criterion.text, 40), (cut.reason, 30)])
        row += 1
    return row
