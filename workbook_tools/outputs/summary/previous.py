"""The sheet "So với năm trước": this year against last year."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from workbook_tools.outputs.summary.base import Formats, fit_row, page_setup, title_block, write_number
from workbook_tools.results.model import Collection
from workbook_tools.results.years import (
    Results,
    RosterChanges,
    UnitChange,
    roster_changes,
    section_averages,
    unit_changes,
)
from workbook_tools.spec.criteria import CriteriaSpec

LAST_COL = 8


def write_previous(ws: Worksheet, fm: Formats, collection: Collection, scored: list[CriteriaSpec]) -> None:
    """This year against last year: per unit (by code), per section, and the roster changes."""
    campaign, previous = collection.campaign, collection.previous
    current = collection.this_year()
    row = title_block(ws, fm, collection, f"SO SÁNH VỚI NĂM {campaign.year - 1}", LAST_COL)
    ws.merge_range(row, 0, row, LAST_COL, f"Năm trước lấy từ thư mục kết quả '{previous.folder}'. Đơn vị được "
                   "ghép theo mã; đơn vị mới, đơn vị không còn và đơn vị đổi tên được liệt kê ở cuối.", fm.note)
    row += 2
    for spec in scored:
        row = _units(ws, fm, campaign.year, unit_changes(current, previous, spec.id), spec, row) + 1
        row = _sections(ws, fm, collection, current, spec, row) + 1
    row = _roster(ws, fm, roster_changes(current, previous), row)
    for col, width in enumerate((8, 30, 10, 10, 10, 12, 12, 8, 8)):
        ws.set_column(col, col, width)
    page_setup(ws, 0, LAST_COL, row)


def _units(ws: Worksheet, fm: Formats, year: int, changes: list[UnitChange], spec: CriteriaSpec, row: int) -> int:
    """Each unit's total, classification and rank in both years; returns the next row."""
    ws.merge_range(row, 0, row, LAST_COL, f"{spec.short_name}: từng đơn vị", fm.group)
    row += 1
    labels = ("Mã", "Đơn vị", f"Tổng {year}", f"Tổng {year - 1}", "Tăng/giảm", f"Xếp loại {year}",
              f"Xếp loại {year - 1}", f"Hạng {year}", f"Hạng {year - 1}")
    for col, label in enumerate(labels):
        ws.write_string(row, col, label, fm.header)
    row += 1
    for change in changes:
        ws.write_string(row, 0, change.code, fm.center)
        ws.write_string(row, 1, change.name, fm.wrap)
        for col, value in ((2, change.total), (3, change.previous_total), (4, change.delta)):
            write_number(ws, row, col, value, fm.number)
        ws.write_string(row, 5, change.classification, fm.center)
        ws.write_string(row, 6, change.previous_classification, fm.center)
        for col, value in ((7, change.rank), (8, change.previous_rank)):
            write_number(ws, row, col, value, fm.number)
        row += 1
    return row


def _sections(ws: Worksheet, fm: Formats, collection: Collection, current: Results, spec: CriteriaSpec,
              row: int) -> int:
    """The district average of each section in both years; returns the next row."""
    campaign = collection.campaign
    ws.merge_range(row, 0, row, LAST_COL, f"{spec.short_name}: điểm bình quân từng mục toàn "
                   f"{campaign.district}", fm.group)
    row += 1
    for col, label in enumerate(("Mục", "Nội dung", f"Năm {campaign.year}", f"Năm {campaign.year - 1}",
                                 "Tăng/giảm")):
        ws.write_string(row, col, label, fm.header)
    row += 1
    before = {s.id: v for s, v in section_averages(collection.previous, spec)}
    for section, value in section_averages(current, spec):
        old = before.get(section.id)
        ws.write_string(row, 0, section.stt, fm.center)
        ws.write_string(row, 1, section.text, fm.wrap)
        write_number(ws, row, 2, value, fm.number)
        write_number(ws, row, 3, old, fm.number)
        write_number(ws, row, 4, value - old if value is not None and old is not None else None, fm.number)
        fit_row(ws, row, [(section.text, 30)])
        row += 1
    return row


def _roster(ws: Worksheet, fm: Formats, changes: RosterChanges, row: int) -> int:
    """Units new this year, gone, renamed; returns the next row."""
    ws.merge_range(row, 0, row, LAST_COL, "Thay đổi danh sách đơn vị", fm.group)
    row += 1
    entries = ([(c, n, "Đơn vị mới năm nay") for c, n in changes.new]
               + [(c, n, "Có năm trước, không có năm nay") for c, n in changes.gone]
               + [(c, f"{old} → {new}", "Đổi tên") for c, old, new in changes.renamed])
    for code, name, what in entries or [("", "Không có thay đổi", "")]:
        ws.write_string(row, 0, code, fm.center)
        ws.write_string(row, 1, name, fm.wrap)
        ws.merge_range(row, 2, row, 5, what, fm.wrap)
        row += 1
    return row
