"""The sheet "Tổng hợp": one row per unit, and the counts per classification and group."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from workbook_tools.outputs.summary.base import (
    STATUS_TEXT,
    Formats,
    fit_row,
    page_setup,
    review_note,
    sorted_units,
    title_block,
)
from workbook_tools.paper.xlsx_compat import merge_down
from workbook_tools.results.contracts import Status
from workbook_tools.results.model import Collection, UnitOutcome
from workbook_tools.spec.campaign import TextScores
from workbook_tools.spec.criteria import CriteriaSpec


def _needs(outcome: UnitOutcome, collection: Collection) -> str:
    """What must be fixed, in a few words; and a total that differs from the sheet the unit signed."""
    if outcome.choices:
        return "Có nhiều tệp, chưa biết tệp nào là bản cuối: hỏi đơn vị, ghi tệp được chọn vào sổ theo dõi."
    if outcome.file is None:
        return "Chưa nộp: liên hệ đơn vị."
    differs = "; ".join(f"Tổng {collection.campaign.form(f.form_id).short_name} khác bảng đơn vị ký (điểm dạng chữ "
                        f"ở ô {', '.join(f.result.text_cells)})" for f in outcome.forms if f.result and f.result.text_cells
                        and collection.campaign.text_scores == TextScores.ACCEPT)
    errors = collection.errors_by_unit.get(outcome.unit.code, [])
    if not errors:
        return differs
    shown = "; ".join(f"{p.sheet} ô {p.cell}: {p.message}" if p.cell else p.message for p in errors[:3])
    more = "; ... (xem trang Lỗi cần xử lý)" if len(errors) > 3 else ""
    return f"{len(errors)} lỗi. {shown}{more}" + (f" {differs}." if differs else "")


def _form_columns(collection: Collection) -> list[tuple[str, float]]:
    """Per scored form: (label, width) of its columns on the overview."""
    if collection.review is None:
        return [("Tổng điểm", 8), ("Xếp loại", 11), ("Hạng trong nhóm", 8), ("Hạng chung", 7)]
    return [("Tự chấm", 8), ("Sau kiểm tra", 8), ("Chênh lệch", 8), ("Xếp loại", 11),
            ("Hạng trong nhóm", 8), ("Hạng chung", 7)]


def write_overview(ws: Worksheet, fm: Formats, collection: Collection, scored: list[CriteriaSpec]) -> None:
    """Every unit's row by group, then the counts per classification."""
    campaign = collection.campaign
    columns = _form_columns(collection)
    per_form = len(columns)
    last_col = 3 + per_form * len(scored) + 2
    row = title_block(ws, fm, collection, "BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ, XẾP LOẠI", last_col)
    for spec in scored:
        ws.merge_range(row, 0, row, last_col, f"Thang xếp loại {spec.short_name}: {spec.bands.describe()}.",
                       fm.note)
        row += 1
    if collection.review is not None:
        ws.merge_range(row, 0, row, last_col, review_note(collection), fm.note)
        row += 1
    ws.merge_range(row, 0, row, last_col, "Tệp được dùng của mỗi đơn vị, giờ nhận và tài liệu gửi kèm: xem trang "
                   "'Tình hình nộp'.", fm.note)
    row += 1
    row += 1
    header = row
    _overview_header(ws, fm, header, scored, columns)
    row = header + 2
    first_form = scored[0].id if scored else None
    number = 0
    for group in campaign.groups:
        members = [u for u in sorted_units(collection, first_form) if u.unit.group == group.id]
        if not members:
            continue
        ws.merge_range(row, 0, row, last_col, group.label, fm.group)
        row += 1
        for outcome in members:
            number += 1
            _overview_row(ws, fm, row, number, outcome, collection, scored)
            row += 1
    ws.autofilter(header + 1, 0, row - 1, last_col)
    ws.freeze_panes(header + 2, 3)
    for index, width in enumerate(_overview_widths(collection, scored)):
        ws.set_column(index, index, width)
    row = _counts(ws, fm, row + 1, collection, scored)
    page_setup(ws, header + 1, last_col, row)


def _overview_header(ws: Worksheet, fm: Formats, header: int, scored: list[CriteriaSpec],
                     columns: list[tuple[str, float]]) -> None:
    """The two header rows, written row by row (the workbook streams rows to disk)."""
    down = [(0, "STT"), (1, "Mã"), (2, "Đơn vị"), (3, "Tình trạng")]
    col = 4
    for spec in scored:
        ws.merge_range(header, col, header, col + len(columns) - 1, spec.short_name, fm.header)
        col += len(columns)
    down += [(col + offset, label) for offset, label in enumerate(("Nộp muộn", "Cần sửa"))]
    for col, label in down:
        ws.write_string(header, col, label, fm.header)
    ws.set_row(header + 1, 45)
    for col, _label in down:
        merge_down(ws, header, col, fm.header)
    col = 4
    for _ in scored:
        for offset, (label, _width) in enumerate(columns):
            ws.write_string(header + 1, col + offset, label, fm.header)
        col += len(columns)


def _overview_widths(collection: Collection, scored: list[CriteriaSpec]) -> list[float]:
    return [5, 8, 22, 9] + [w for _, w in _form_columns(collection)] * len(scored) + [9, 48]


def _overview_row(ws, fm, row, number, outcome: UnitOutcome, collection, scored) -> None:
    unit = outcome.unit
    ws.write_number(row, 0, number, fm.center)
    ws.write_string(row, 1, unit.code, fm.center)
    ws.write_string(row, 2, unit.name, fm.wrap)
    ws.write_string(row, 3, STATUS_TEXT[outcome.status], fm.center if outcome.status == Status.VALID else fm.bad)
    col = 4
    reviewed = collection.review is not None
    for spec in scored:
        form = outcome.form(spec.id)
        values: list[object] = []
        if reviewed:
            own = form.self_total if form else None
            final = form.total if form else None
            values += [own, final, (final - own) if own is not None and final is not None else None]
        else:
            values.append(form.total if form else None)
        if form is not None and form.total is not None:
            values += [form.classification or "", form.rank_in_group, form.rank_overall]
        else:
            values += [STATUS_TEXT[outcome.status] if outcome.file is None else "Chưa xếp loại (có lỗi)", None, None]
        for offset, value in enumerate(values):
            if value is None:
                ws.write_blank(row, col + offset, None, fm.number)
            elif isinstance(value, str):
                ws.write_string(row, col + offset, value, fm.center if form and form.total is not None else fm.bad)
            else:
                ws.write_number(row, col + offset, float(value), fm.number)
        col += len(values)
    late = "" if outcome.late is None else ("Muộn" if outcome.late else "Đúng hạn")
    ws.write_string(row, col, late, fm.bad if outcome.late else fm.center)
    needs = _needs(outcome, collection)
    ws.write_string(row, col + 1, needs, fm.bad)
    widths = _overview_widths(collection, scored)
    fit_row(ws, row, [(unit.name, widths[2]), (needs, widths[-1]),
                      ("Chưa xếp loại (có lỗi)" if outcome.status != Status.VALID else "", 11)])


def _counts(ws: Worksheet, fm: Formats, row: int, collection: Collection,
            scored: list[CriteriaSpec]) -> int:
    """Counts per classification and group, one small table per form; returns the last row."""
    campaign = collection.campaign
    for spec in scored:
        labels = [b.label for b in spec.bands.items] + ["Có lỗi", "Chưa nộp", "Tổng số"]
        title = f"Số đơn vị theo xếp loại {spec.short_name}"
        widths = _overview_widths(collection, scored)
        fit_row(ws, row, [(title, sum(widths[:3]))] + [(label, widths[3 + offset])
                                                       for offset, label in enumerate(labels)], bold=True)
        ws.merge_range(row, 0, row, 2, title, fm.header)
        for offset, label in enumerate(labels):
            ws.write_string(row, 3 + offset, label, fm.header)
        row += 1
        scopes = [(g.label, [u for u in collection.units if u.unit.group == g.id]) for g in campaign.groups]
        scopes.append((f"Toàn {campaign.district}", list(collection.units)))
        for label, members in scopes:
            ws.merge_range(row, 0, row, 2, label, fm.wrap)
            forms = [u.form(spec.id) for u in members if u.form(spec.id) is not None]
            counts = [sum(f.classification == b.label for f in forms) for b in spec.bands.items]
            counts += [sum(f.status == Status.INVALID for f in forms), sum(f.status == Status.MISSING for f in forms),
                       len(forms)]
            for offset, value in enumerate(counts):
                ws.write_number(row, 3 + offset, value, fm.number)
            row += 1
        row += 1
    return row
