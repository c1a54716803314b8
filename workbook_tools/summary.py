"""The district summary workbook ``tong-hop.xlsx`` (xlsxwriter), in Vietnamese, printable.

Sheets: Tổng hợp (one row per unit, counts per classification), one detail sheet per scored
form (criteria x units, district average/min/max), Số liệu (figures per unit, per group, whole
district), Biểu đồ (totals with the classification bands), Tình hình nộp (every unit), Tệp đã
nhận (every file found, with its verdict), Lỗi cần xử lý (every problem with where and how to fix
it). Values are written as computed numbers, not formulas, so every spreadsheet shows them without recalculating. Text that
came from a returned file is always written with ``write_string``: it can never become a formula.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from xlsxwriter.worksheet import Worksheet

from workbook_tools import review_analysis
from workbook_tools.collect import Collection
from workbook_tools.compact import share
from workbook_tools.indicators import IndicatorSpec
from workbook_tools.layout import text_height
from workbook_tools.merge import (
    EMBEDDED,
    INVALID,
    MISSING,
    REJECTED,
    SUPERSEDED,
    USED,
    VALID,
    UnitOutcome,
    local_text,
    name_key,
)
from workbook_tools.problems import ERROR
from workbook_tools.scoring import round2, section_totals
from workbook_tools.sheet_common import PAPER_A4
from workbook_tools.spec import CriteriaSpec, Section, format_points, walk
from workbook_tools.styles import FONT, HEADER_FILL, SECTION_FILL, TextWorkbook

STATUS_TEXT = {VALID: "Hợp lệ", INVALID: "Có lỗi", MISSING: "Chưa nộp"}
VERDICT_TEXT = {USED: "Dùng", SUPERSEDED: "Bị thay thế", REJECTED: "Bị loại", "ignored": "Bỏ qua"}
# constant_memory: rows go to disk as they are written (the summary lists every unit and file).
OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
           "strings_to_numbers": False, "default_format_properties": {"font_name": FONT, "font_size": 11}}
MARGINS = {"left": 0.59, "right": 0.39, "top": 0.59, "bottom": 0.59}
BAND_COLOURS = ("#C00000", "#ED7D31", "#7F7F7F", "#548235")
# Beyond this many units a units-across matrix is neither printable nor readable (and costs most
# of the writing time): the detail sheets then keep the district statistics and point to the CSVs.
MATRIX_MAX_UNITS = 400


@dataclass(frozen=True)
class _Formats:
    title: object
    heading: object
    subtitle: object
    note: object
    header: object
    header_rotated: object
    text: object
    wrap: object
    center: object
    number: object
    percent: object
    group: object
    section: object
    section_number: object
    bad: object


def _formats(wb: TextWorkbook) -> _Formats:
    cell = {"border": 1, "valign": "vcenter"}
    return _Formats(
        title=wb.add_format({"bold": True, "font_size": 14, "align": "center"}),
        heading=wb.add_format({"bold": True, "font_size": 13}),
        subtitle=wb.add_format({"italic": True, "align": "center"}),
        note=wb.add_format({"italic": True, "font_size": 10, "text_wrap": True, "valign": "top"}),
        header=wb.add_format({**cell, "bold": True, "text_wrap": True, "align": "center",
                              "bg_color": HEADER_FILL}),
        header_rotated=wb.add_format({**cell, "bold": True, "rotation": 90, "align": "center",
                                      "bg_color": HEADER_FILL, "font_size": 10}),
        text=wb.add_format(cell),
        wrap=wb.add_format({**cell, "text_wrap": True}),
        center=wb.add_format({**cell, "align": "center"}),
        number=wb.add_format({**cell, "align": "center", "num_format": "General"}),
        percent=wb.add_format({**cell, "align": "center", "num_format": "0%"}),
        group=wb.add_format({**cell, "bold": True, "bg_color": SECTION_FILL}),
        section=wb.add_format({**cell, "bold": True, "text_wrap": True, "bg_color": SECTION_FILL}),
        section_number=wb.add_format({**cell, "bold": True, "align": "center", "bg_color": SECTION_FILL}),
        bad=wb.add_format({**cell, "font_color": "#C00000", "text_wrap": True}),
    )


def write_summary(collection: Collection, path: Path) -> None:
    """Write the summary workbook to path."""
    wb = TextWorkbook(str(path), OPTIONS)
    fm = _formats(wb)
    campaign = collection.campaign
    wb.set_properties({"title": f"Tổng hợp: {campaign.name}", "author": campaign.receiving_office,
                       "created": collection.run_at.replace(tzinfo=None)})
    scored = [f for f in campaign.forms if isinstance(f, CriteriaSpec)]
    _overview(wb.add_worksheet("Tổng hợp"), fm, collection, scored)
    for spec in scored:
        _detail(wb.add_worksheet(f"Chi tiết {spec.short_name}"[:31]), fm, collection, spec)
    for spec in campaign.forms:
        if isinstance(spec, IndicatorSpec):
            _figures(wb.add_worksheet(spec.sheet_name[:31]), fm, collection, spec)
    if collection.review is not None:
        _review_sheet(wb.add_worksheet("Kết quả kiểm tra"), fm, collection, scored)
    if collection.previous is not None:
        _previous_sheet(wb.add_worksheet("So với năm trước"), fm, collection, scored)
    _charts(wb, wb.add_worksheet("Biểu đồ"), fm, collection, scored)
    _submissions(wb.add_worksheet("Tình hình nộp"), fm, collection)
    _files(wb.add_worksheet("Tệp đã nhận"), fm, collection)
    _issues(wb.add_worksheet("Lỗi cần xử lý"), fm, collection)
    wb.close()


def _fit(ws: Worksheet, row: int, cells: list[tuple[str, float]], minimum: float = 15.0,
         bold: bool = False) -> None:
    """Set a row tall enough for its wrapped texts (xlsxwriter cannot autofit rows)."""
    height = max([minimum] + [text_height(text.replace("/", "/\n"), width * 0.9, 12, bold=bold)
                              for text, width in cells if text])
    ws.set_row(row, height)


def _page(ws: Worksheet, header_row: int, last_col: int, last_row: int) -> None:
    ws.set_paper(PAPER_A4)
    ws.set_landscape()
    ws.set_margins(**MARGINS)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.print_area(0, 0, max(last_row, header_row), last_col)
    ws.set_footer('&L&"Times New Roman"&9&A&C&"Times New Roman"&9Trang &P/&N')


def _head(ws: Worksheet, fm: _Formats, collection: Collection, title: str, last_col: int) -> int:
    """Title block; returns the next free row."""
    campaign = collection.campaign
    ws.merge_range(0, 0, 0, last_col, title, fm.title)
    ws.merge_range(1, 0, 1, last_col, campaign.name, fm.subtitle)
    ws.merge_range(2, 0, 2, last_col,
                   f"{campaign.receiving_office} tổng hợp lúc {local_text(collection.run_at)} "
                   f"(hạn nộp: trước ngày {campaign.deadline:%d/%m/%Y}).", fm.subtitle)
    return 4


def _sorted_units(collection: Collection, form_id: str | None) -> list[UnitOutcome]:
    """Units by group (campaign order), then rank for form_id, unranked by name."""
    groups = {g.id: i for i, g in enumerate(collection.campaign.groups)}

    def key(u: UnitOutcome):
        form = u.form(form_id) if form_id else None
        rank = form.rank_in_group if form and form.rank_in_group else 10 ** 6
        return groups[u.unit.group], rank, name_key(u.unit.name)
    return sorted(collection.units, key=key)


def _needs(outcome: UnitOutcome, collection: Collection) -> str:
    """What must be fixed, in a few words."""
    if outcome.file is None:
        return "Chưa nộp: liên hệ đơn vị."
    errors = collection.errors_by_unit.get(outcome.unit.code, [])
    if not errors:
        return ""
    shown = "; ".join(f"{p.sheet} ô {p.cell}: {p.message}" if p.cell else p.message for p in errors[:3])
    more = "; ... (xem trang Lỗi cần xử lý)" if len(errors) > 3 else ""
    return f"{len(errors)} lỗi. {shown}{more}"


def _form_columns(collection: Collection) -> list[tuple[str, float]]:
    """Per scored form: (label, width) of its columns on the overview."""
    if collection.review is None:
        return [("Tổng điểm", 8), ("Xếp loại", 11), ("Hạng trong nhóm", 8), ("Hạng chung", 7)]
    return [("Tự chấm", 8), ("Sau kiểm tra", 8), ("Chênh lệch", 8), ("Xếp loại", 11),
            ("Hạng trong nhóm", 8), ("Hạng chung", 7)]


def _overview(ws: Worksheet, fm: _Formats, collection: Collection, scored: list[CriteriaSpec]) -> None:
    campaign = collection.campaign
    columns = _form_columns(collection)
    per_form = len(columns)
    last_col = 3 + per_form * len(scored) + 3
    row = _head(ws, fm, collection, "BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ, XẾP LOẠI", last_col)
    for spec in scored:
        ws.merge_range(row, 0, row, last_col, f"Thang xếp loại {spec.short_name}: {spec.bands.describe()}.",
                       fm.note)
        row += 1
    if collection.review is not None:
        ws.merge_range(row, 0, row, last_col, _review_note(collection), fm.note)
        row += 1
    row += 1
    header = row
    _overview_header(ws, fm, header, scored, columns)
    row = header + 2
    first_form = scored[0].id if scored else None
    number = 0
    for group in campaign.groups:
        members = [u for u in _sorted_units(collection, first_form) if u.unit.group == group.id]
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
    _page(ws, header + 1, last_col, row)


def _overview_header(ws: Worksheet, fm: _Formats, header: int, scored: list[CriteriaSpec],
                     columns: list[tuple[str, float]]) -> None:
    """The two header rows, written row by row (the workbook streams rows to disk)."""
    down = [(0, "STT"), (1, "Mã"), (2, "Đơn vị"), (3, "Tình trạng")]
    col = 4
    for spec in scored:
        ws.merge_range(header, col, header, col + len(columns) - 1, spec.short_name, fm.header)
        col += len(columns)
    down += [(col + offset, label) for offset, label in enumerate(("Nộp muộn", "Tệp được dùng", "Cần sửa"))]
    for col, label in down:
        ws.write_string(header, col, label, fm.header)
    ws.set_row(header + 1, 45)
    for col, _label in down:
        _merge_down(ws, header, col, fm.header)
    col = 4
    for _ in scored:
        for offset, (label, _width) in enumerate(columns):
            ws.write_string(header + 1, col + offset, label, fm.header)
        col += len(columns)


def _merge_down(ws: Worksheet, row: int, col: int, fmt) -> None:
    """Merge (row, col) with the cell below it, already written above: in constant-memory mode
    ``merge_range`` cannot go back to a row once the next row is started."""
    ws.merge.append([row, col, row + 1, col])
    ws.write_blank(row + 1, col, None, fmt)


def _review_note(collection: Collection) -> str:
    review = collection.review
    rule = {"self_if_blank": "dòng Tổ KT không chấm giữ điểm tự chấm",
            "team_required": "Tổ KT phải chấm đủ mọi dòng mới xếp hạng"}[collection.campaign.review_rule]
    state = "" if review.usable else " PHIẾU CHẤM KHÔNG DÙNG ĐƯỢC (xem trang Lỗi cần xử lý)."
    return (f"Xếp loại, xếp hạng theo điểm sau kiểm tra của Tổ KT (phiếu chấm '{review.file}', "
            f"SHA-256 {review.sha256[:16]}...; {rule}).{state}")


def _overview_widths(collection: Collection, scored: list[CriteriaSpec]) -> list[float]:
    return [5, 8, 22, 9] + [w for _, w in _form_columns(collection)] * len(scored) + [9, 32, 44]


def _overview_row(ws, fm, row, number, outcome: UnitOutcome, collection, scored) -> None:
    unit = outcome.unit
    ws.write_number(row, 0, number, fm.center)
    ws.write_string(row, 1, unit.code, fm.center)
    ws.write_string(row, 2, unit.name, fm.wrap)
    ws.write_string(row, 3, STATUS_TEXT[outcome.status], fm.center if outcome.status == VALID else fm.bad)
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
            values += ["Chưa nộp" if outcome.file is None else "Chưa xếp loại (có lỗi)", None, None]
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
    file, needs = outcome.file.found.rel if outcome.file else "", _needs(outcome, collection)
    ws.write_string(row, col + 1, file, fm.wrap)
    ws.write_string(row, col + 2, needs, fm.bad)
    widths = _overview_widths(collection, scored)
    _fit(ws, row, [(unit.name, widths[2]), (file, widths[-2]), (needs, widths[-1]),
                   ("Chưa xếp loại (có lỗi)" if outcome.status != VALID else "", 11)])


def _counts(ws: Worksheet, fm: _Formats, row: int, collection: Collection,
            scored: list[CriteriaSpec]) -> int:
    """Counts per classification and group, one small table per form; returns the last row."""
    campaign = collection.campaign
    for spec in scored:
        labels = [b.label for b in spec.bands.items] + ["Có lỗi", "Chưa nộp", "Tổng số"]
        ws.merge_range(row, 0, row, 2, f"Số đơn vị theo xếp loại {spec.short_name}", fm.header)
        for offset, label in enumerate(labels):
            ws.write_string(row, 3 + offset, label, fm.header)
        row += 1
        scopes = [(g.label, [u for u in collection.units if u.unit.group == g.id]) for g in campaign.groups]
        scopes.append((f"Toàn {campaign.district}", list(collection.units)))
        for label, members in scopes:
            ws.merge_range(row, 0, row, 2, label, fm.wrap)
            forms = [u.form(spec.id) for u in members if u.form(spec.id) is not None]
            counts = [sum(f.classification == b.label for f in forms) for b in spec.bands.items]
            counts += [sum(f.status == INVALID for f in forms), sum(f.status == MISSING for f in forms),
                       len(forms)]
            for offset, value in enumerate(counts):
                ws.write_number(row, 3 + offset, value, fm.number)
            row += 1
        row += 1
    return row


def _detail(ws: Worksheet, fm: _Formats, collection: Collection, spec: CriteriaSpec) -> None:
    """Criteria down, valid units across, with district average / lowest / highest / % of max."""
    every = [u for u in _sorted_units(collection, spec.id)
             if u.form(spec.id) is not None and u.form(spec.id).total is not None]
    units = every if len(every) <= MATRIX_MAX_UNITS else []
    first_unit = 7
    last_col = max(first_unit + len(units) - 1, first_unit)
    row = _head(ws, fm, collection, f"KẾT QUẢ TỰ CHẤM TỪNG TIÊU CHÍ - {spec.short_name}", last_col)
    more = "" if units or not every else (f" Quá {MATRIX_MAX_UNITS} đơn vị nên không in từng cột đơn vị: "
                                          "điểm từng đơn vị xem trong scores.csv.")
    ws.merge_range(row, 0, row, last_col,
                   f"Chỉ gồm {len(every)} đơn vị có bảng {spec.short_name} hợp lệ. Cột 'Tỷ lệ đạt' = điểm "
                   f"trung bình / điểm chuẩn: tô đỏ là tiêu chí yếu nhất toàn huyện.{more}", fm.note)
    header = row + 2
    labels = ("STT", spec.content_label, spec.max_label, "Trung bình", "Thấp nhất", "Cao nhất", "Tỷ lệ đạt")
    for col, label in enumerate(labels):
        ws.write_string(header, col, label, fm.header)
    for offset, outcome in enumerate(units):
        ws.write_string(header, first_unit + offset, outcome.unit.name, fm.header_rotated)
    ws.set_row(header, 120)
    row = header + 1
    scores = [u.form(spec.id).final for u in every]  # the unit's own, or after the team's review
    sections = {s.id: i for i, s in enumerate(n for n, _ in walk(spec.sections) if isinstance(n, Section))}
    subtotals = [_shared_subtotals(spec, s, sections) for s in scores]
    ratio_rows = []
    for node, depth in walk(spec.sections):
        is_section = isinstance(node, Section)
        values = [t[sections[node.id]] for t in subtotals] if is_section else [s.get(node.id) for s in scores]
        ws.write_string(row, 0, node.stt, fm.section_number if is_section else fm.center)
        ws.write_string(row, 1, ("   " * depth) + node.text, fm.section if is_section else fm.wrap)
        _fit(ws, row, [(("   " * depth) + node.text, 46)], bold=is_section)
        ws.write_number(row, 2, float(node.max), fm.section_number if is_section else fm.number)
        _stats(ws, fm, row, values, node.max, is_section)
        if not is_section:
            ratio_rows.append(row)
        for offset, value in enumerate(values[:len(units)]):
            _number(ws, row, first_unit + offset, value, fm.section_number if is_section else fm.number)
        row += 1
    totals = [u.form(spec.id).total for u in every]
    ws.write_string(row, 0, "", fm.section_number)
    ws.write_string(row, 1, spec.total_label, fm.section)
    ws.write_number(row, 2, float(spec.total), fm.section_number)
    _stats(ws, fm, row, totals, spec.total, True)
    for offset, value in enumerate(totals[:len(units)]):
        _number(ws, row, first_unit + offset, value, fm.section_number)
    for label, pick in ((spec.classification_label, lambda u: u.classification or ""),
                        ("Hạng chung", lambda u: u.rank_overall)):
        row += 1
        ws.merge_range(row, 0, row, 6, label, fm.section)
        if label == spec.classification_label:
            ws.set_row(row, 62)
        for offset, outcome in enumerate(units):
            value = pick(outcome.form(spec.id))
            if isinstance(value, int):
                ws.write_number(row, first_unit + offset, value, fm.number)
            else:
                ws.write_string(row, first_unit + offset, value, fm.header_rotated)
    if ratio_rows:
        for first, last in _runs(ratio_rows):
            ws.conditional_format(first, 6, last, 6, {"type": "3_color_scale", "min_color": "#F8696B",
                                                      "mid_color": "#FFEB84", "max_color": "#63BE7B"})
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 48)
    ws.set_column(2, 6, 8)
    ws.set_column(first_unit, last_col, 6.5)
    ws.freeze_panes(header + 1, 3)
    _page(ws, header, last_col, row)


def _shared_subtotals(spec: CriteriaSpec, scores, sections: dict[str, int]) -> tuple[Decimal, ...]:
    """One unit's section subtotals in ``sections`` order, as shared objects (10,000 units fit)."""
    totals = section_totals(spec, scores)
    return tuple(share(totals[section_id]) for section_id in sections)


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _stats(ws, fm, row: int, values: list[Decimal | None], maximum: Decimal, bold: bool) -> None:
    present = [v for v in values if v is not None]
    fmt = fm.section_number if bold else fm.number
    if not present:
        for col in range(3, 7):
            ws.write_blank(row, col, None, fmt)
        return
    average = round2(sum(present, Decimal(0)) / len(present))
    ws.write_number(row, 3, float(average), fmt)
    ws.write_number(row, 4, float(min(present)), fmt)
    ws.write_number(row, 5, float(max(present)), fmt)
    ws.write_number(row, 6, float(average / maximum), fm.percent)


def _number(ws, row: int, col: int, value: Decimal | None, fmt) -> None:
    if value is None:
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_number(row, col, float(value), fmt)


def _figures(ws: Worksheet, fm: _Formats, collection: Collection, spec: IndicatorSpec) -> None:
    """Figures down; district, groups and every counted unit across."""
    campaign = collection.campaign
    every = [u for u in collection.units if u.form(spec.id) is not None and u.form(spec.id).result]
    valid = [u for u in every if u.form(spec.id).status == VALID]
    counted = every if len(every) <= MATRIX_MAX_UNITS else []
    scopes = [(f"Toàn {campaign.district}", valid)]
    scopes += [(g.label, [u for u in valid if u.unit.group == g.id]) for g in campaign.groups]
    first_unit = 3 + len(scopes)
    last_col = first_unit + max(len(counted), 1) - 1
    row = _head(ws, fm, collection, f"{spec.titles(campaign.year)[0]}", last_col)
    ws.merge_range(row, 0, row, last_col,
                   f"Cột cộng chỉ tính {len(valid)} đơn vị có trang {spec.sheet_name} hợp lệ; chỉ tiêu "
                   "Có/Không ghi số đơn vị trả lời 'Có'. Các cột sau là số liệu từng đơn vị đã nộp.", fm.note)
    header = row + 2
    for col, label in enumerate(["STT", "Chỉ tiêu", "Đơn vị tính"] + [s[0] for s in scopes]):
        ws.write_string(header, col, label, fm.header)
    for offset, outcome in enumerate(counted):
        name = outcome.unit.name + ("" if outcome.form(spec.id).status == VALID else " (có lỗi)")
        ws.write_string(header, first_unit + offset, name, fm.header_rotated)
    ws.set_row(header, 120)
    row = header + 1
    scope_figures = [[u.form(spec.id).result.figures for u in members] for _, members in scopes]
    for group in spec.groups:
        ws.write_string(row, 0, group.stt, fm.section_number)
        ws.merge_range(row, 1, row, last_col, group.title, fm.section)
        row += 1
        for indicator in group.items:
            ws.write_string(row, 0, indicator.stt, fm.center)
            ws.write_string(row, 1, indicator.label, fm.wrap)
            _fit(ws, row, [(indicator.label, 46)])
            ws.write_string(row, 2, indicator.unit or ("Có/Không" if indicator.type == "bool" else ""), fm.center)
            for offset, figures in enumerate(scope_figures):
                _aggregate(ws, fm, row, 3 + offset, indicator, figures)
            for offset, outcome in enumerate(counted):
                _figure_cell(ws, fm, row, first_unit + offset, outcome.form(spec.id).result.figures.get(indicator.id))
            row += 1
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 46)
    ws.set_column(2, 2, 10)
    ws.set_column(3, 2 + len(scopes), 11)
    ws.set_column(first_unit, last_col, 6)
    ws.freeze_panes(header + 1, 3)
    _page(ws, header, last_col, row - 1)


def _aggregate(ws, fm, row: int, col: int, indicator, figures: list[dict]) -> None:
    values = [f.get(indicator.id) for f in figures if f.get(indicator.id) is not None]
    if indicator.type == "int":
        ws.write_number(row, col, sum(values), fm.number)
    elif indicator.type == "bool":
        ws.write_number(row, col, sum(1 for v in values if v is True), fm.number)
    else:
        ws.write_blank(row, col, None, fm.number)


def _figure_cell(ws, fm, row: int, col: int, value: object) -> None:
    if value is None:
        ws.write_blank(row, col, None, fm.number)
    elif isinstance(value, bool):
        ws.write_string(row, col, "Có" if value else "Không", fm.center)
    elif isinstance(value, dt.date):
        ws.write_string(row, col, value.strftime("%d/%m/%Y"), fm.center)
    else:
        ws.write_number(row, col, value, fm.number)


def _review_sheet(ws: Worksheet, fm: _Formats, collection: Collection, scored: list[CriteriaSpec]) -> None:
    """What the team changed: over-scoring by group and section, most-cut criteria, biggest cuts."""
    campaign = collection.campaign
    last_col = max([8] + [len(s.sections) + 1 for s in scored])
    row = _head(ws, fm, collection, "KẾT QUẢ KIỂM TRA, ĐÁNH GIÁ CỦA TỔ KIỂM TRA", last_col)
    ws.merge_range(row, 0, row, last_col, _review_note(collection) + " Chênh lệch = điểm tự chấm − điểm sau "
                   "kiểm tra (dương: đơn vị tự chấm cao hơn).", fm.note)
    ws.set_row(row, 30)
    row += 2
    for spec in scored:
        sections = spec.sections
        ws.merge_range(row, 0, row, last_col, f"{spec.short_name}: chênh lệch bình quân theo nhóm và theo mục",
                       fm.group)
        row += 1
        labels = ["Phạm vi"] + [review_analysis.section_label(s) for s in sections] + ["Tổng"]
        for col, label in enumerate(labels[:last_col + 1]):
            ws.write_string(row, col, label, fm.header)
        ws.set_row(row, 60)
        row += 1
        for label, per_section, total in review_analysis.over_scoring(campaign, collection.units, spec):
            ws.write_string(row, 0, label, fm.wrap)
            for col, value in enumerate((per_section + [total])[:last_col], start=1):
                _number(ws, row, col, value, fm.number)
            _fit(ws, row, [(label, 26)])
            row += 1
        row += 1
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
            _number(ws, row, 7, average, fm.number)
            ws.write_number(row, 8, float(criterion.max), fm.number)
            _fit(ws, row, [(criterion.text, 80)])
            row += 1
        row += 1
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
            _number(ws, row, 4, cut.own, fm.number)
            _number(ws, row, 5, cut.team, fm.number)
            _number(ws, row, 6, cut.amount, fm.number)
            ws.merge_range(row, 7, row, 8, cut.reason or "(chưa ghi lý do)", fm.wrap)
            _fit(ws, row, [(cut.unit.name, 26), (cut.criterion.text, 40), (cut.reason, 30)])
            row += 1
        row += 2
    for col, width in enumerate((26, 14, 26, 14, 14, 14, 14, 16, 16) + (14,) * (last_col - 8)):
        ws.set_column(col, col, width)
    _page(ws, 0, last_col, row)


def _previous_sheet(ws: Worksheet, fm: _Formats, collection: Collection, scored: list[CriteriaSpec]) -> None:
    """This year against last year: per unit (by code), per section, and the roster changes."""
    from workbook_tools import collect as rows
    from workbook_tools.results import roster_changes, section_averages, unit_changes

    campaign, previous = collection.campaign, collection.previous
    current = rows.current_results(collection)
    last_col = 8
    row = _head(ws, fm, collection, f"SO SÁNH VỚI NĂM {campaign.year - 1}", last_col)
    ws.merge_range(row, 0, row, last_col, f"Năm trước lấy từ thư mục kết quả '{previous.folder}'. Đơn vị được "
                   "ghép theo mã; đơn vị mới, đơn vị không còn và đơn vị đổi tên được liệt kê ở cuối.", fm.note)
    row += 2
    for spec in scored:
        ws.merge_range(row, 0, row, last_col, f"{spec.short_name}: từng đơn vị", fm.group)
        row += 1
        labels = ("Mã", "Đơn vị", f"Tổng {campaign.year}", f"Tổng {campaign.year - 1}", "Tăng/giảm",
                  f"Xếp loại {campaign.year}", f"Xếp loại {campaign.year - 1}", f"Hạng {campaign.year}",
                  f"Hạng {campaign.year - 1}")
        for col, label in enumerate(labels):
            ws.write_string(row, col, label, fm.header)
        row += 1
        for change in unit_changes(current, previous, spec.id):
            ws.write_string(row, 0, change.code, fm.center)
            ws.write_string(row, 1, change.name, fm.wrap)
            for col, value in ((2, change.total), (3, change.previous_total), (4, change.delta)):
                _number(ws, row, col, value, fm.number)
            ws.write_string(row, 5, change.classification, fm.center)
            ws.write_string(row, 6, change.previous_classification, fm.center)
            for col, value in ((7, change.rank), (8, change.previous_rank)):
                if value is None:
                    ws.write_blank(row, col, None, fm.number)
                else:
                    ws.write_number(row, col, value, fm.number)
            row += 1
        row += 1
        ws.merge_range(row, 0, row, last_col, f"{spec.short_name}: điểm bình quân từng mục toàn "
                       f"{campaign.district}", fm.group)
        row += 1
        for col, label in enumerate(("Mục", "Nội dung", f"Năm {campaign.year}", f"Năm {campaign.year - 1}",
                                     "Tăng/giảm")):
            ws.write_string(row, col, label, fm.header)
        row += 1
        before = {s.id: v for s, v in section_averages(previous, spec)}
        for section, value in section_averages(current, spec):
            old = before.get(section.id)
            ws.write_string(row, 0, section.stt, fm.center)
            ws.write_string(row, 1, section.text, fm.wrap)
            _number(ws, row, 2, value, fm.number)
            _number(ws, row, 3, old, fm.number)
            _number(ws, row, 4, value - old if value is not None and old is not None else None, fm.number)
            _fit(ws, row, [(section.text, 30)])
            row += 1
        row += 1
    changes = roster_changes(current, previous)
    ws.merge_range(row, 0, row, last_col, "Thay đổi danh sách đơn vị", fm.group)
    row += 1
    entries = ([(c, n, "Đơn vị mới năm nay") for c, n in changes.new]
               + [(c, n, "Có năm trước, không có năm nay") for c, n in changes.gone]
               + [(c, f"{old} → {new}", "Đổi tên") for c, old, new in changes.renamed])
    for code, name, what in entries or [("", "Không có thay đổi", "")]:
        ws.write_string(row, 0, code, fm.center)
        ws.write_string(row, 1, name, fm.wrap)
        ws.merge_range(row, 2, row, 5, what, fm.wrap)
        row += 1
    for col, width in enumerate((8, 30, 10, 10, 10, 12, 12, 8, 8)):
        ws.set_column(col, col, width)
    _page(ws, 0, last_col, row)


def _charts(wb, ws: Worksheet, fm: _Formats, collection: Collection, scored: list[CriteriaSpec]) -> None:
    """Per scored form: the valid units' totals, highest first, with the band thresholds as lines."""
    ws.write_string(0, 0, "BIỂU ĐỒ TỔNG ĐIỂM CÁC ĐƠN VỊ (chỉ đơn vị có bảng hợp lệ), "
                    "từ cao xuống thấp, với ngưỡng các mức xếp loại", fm.heading)
    top = 2
    col = 0
    for spec in scored:
        units = sorted(((u.unit.name, u.form(spec.id).total) for u in collection.units
                        if u.form(spec.id) is not None and u.form(spec.id).total is not None),
                       key=lambda e: (-e[1], name_key(e[0])))
        total_units = len(units)
        units = units[:MATRIX_MAX_UNITS]
        bands = [b for b in spec.bands.items if b.min > 0]
        ws.set_row(top, 45)
        ws.write_string(top, col, "Đơn vị", fm.header)
        ws.write_string(top, col + 1, f"{spec.short_name}: tổng điểm", fm.header)
        for offset, band in enumerate(bands):
            ws.write_string(top, col + 2 + offset, f"Mức {band.label} (từ {format_points(band.min)})", fm.header)
        for index, (name, total) in enumerate(units, start=1):
            ws.write_string(top + index, col, name, fm.text)
            ws.write_number(top + index, col + 1, float(total), fm.number)
            for offset, band in enumerate(bands):
                ws.write_number(top + index, col + 2 + offset, float(band.min), fm.number)
        ws.set_column(col, col, 30)
        ws.set_column(col + 1, col + 1 + len(bands), 10)
        if units:
            last = top + len(units)
            chart = wb.add_chart({"type": "column"})
            chart.add_series({"name": [ws.name, top, col + 1],
                              "categories": [ws.name, top + 1, col, last, col],
                              "values": [ws.name, top + 1, col + 1, last, col + 1],
                              "fill": {"color": "#4472C4"}, "gap": 40})
            lines = wb.add_chart({"type": "line"})
            for offset, band in enumerate(bands):
                lines.add_series({"name": [ws.name, top, col + 2 + offset],
                                  "categories": [ws.name, top + 1, col, last, col],
                                  "values": [ws.name, top + 1, col + 2 + offset, last, col + 2 + offset],
                                  "line": {"color": BAND_COLOURS[offset % len(BAND_COLOURS)],
                                           "dash_type": "dash", "width": 1.5},
                                  "marker": {"type": "none"}})
            chart.combine(lines)
            scope = "" if total_units == len(units) else f" ({len(units)} đơn vị điểm cao nhất / {total_units})"
            chart.set_title({"name": f"Tổng điểm {spec.short_name} và các mức xếp loại{scope}",
                             "name_font": {"name": FONT, "size": 12}})
            chart.set_y_axis({"min": 0, "max": float(spec.total), "major_gridlines": {"visible": True}})
            chart.set_x_axis({"num_font": {"rotation": -60, "name": FONT, "size": 8}})
            chart.set_legend({"position": "top", "font": {"name": FONT, "size": 9}})
            chart.set_size({"width": 960, "height": 600})
            ws.insert_chart(top, col + 3 + len(bands), chart)
        top += max(len(units), 30) + 4
    ws.set_paper(PAPER_A4)
    ws.set_landscape()
    ws.set_margins(**MARGINS)
    ws.fit_to_pages(1, 0)


def _submissions(ws: Worksheet, fm: _Formats, collection: Collection) -> None:
    """The roster with what came in, then every file found with its verdict."""
    campaign = collection.campaign
    last_col = 10
    row = _head(ws, fm, collection, "TÌNH HÌNH NỘP BIỂU MẪU", last_col)
    ws.merge_range(row, 0, row, last_col,
                   f"Nộp muộn: tệp được lưu từ 00:00 ngày {campaign.deadline:%d/%m/%Y} trở đi (giờ "
                   f"{campaign.timezone}). Thời gian lưu lấy từ tệp (Excel, LibreOffice, WPS ghi khi lưu); "
                   "nếu tệp không có thì lấy thời gian sửa đổi của tệp trong thư mục. "
                   f"Thư mục nhận: {collection.inbox}.", fm.note)
    ws.set_row(row, 30)
    header = row + 2
    labels = ("STT", "Mã", "Đơn vị", "Nhóm", "Tình trạng", "Nộp muộn", "Lưu lúc", "Theo",
              "Tệp được dùng", "Số tệp khác", "SHA-256")
    for col, label in enumerate(labels):
        ws.write_string(header, col, label, fm.header)
    row = header + 1
    others: dict[str, int] = {}
    for outcome in collection.files:
        if outcome.verdict == SUPERSEDED:
            others[outcome.unit_code] = others.get(outcome.unit_code, 0) + 1
    for number, outcome in enumerate(collection.units, start=1):
        file = outcome.file
        status = {VALID: "Đã nhận, hợp lệ", INVALID: "Đã nhận, có lỗi", MISSING: "Chưa nộp"}[outcome.status]
        ws.write_number(row, 0, number, fm.center)
        ws.write_string(row, 1, outcome.unit.code, fm.center)
        ws.write_string(row, 2, outcome.unit.name, fm.wrap)
        ws.write_string(row, 3, campaign.group(outcome.unit.group).label, fm.wrap)
        ws.write_string(row, 4, status, fm.center if outcome.status == VALID else fm.bad)
        late = "" if outcome.late is None else ("Muộn" if outcome.late else "Đúng hạn")
        ws.write_string(row, 5, late, fm.bad if outcome.late else fm.center)
        ws.write_string(row, 6, local_text(file.saved_at, campaign.timezone) if file else "", fm.center)
        ws.write_string(row, 7, ("trong tệp" if file.time_source == EMBEDDED else "tệp") if file else "", fm.center)
        ws.write_string(row, 8, file.found.rel if file else "", fm.wrap)
        ws.write_number(row, 9, others.get(outcome.unit.code, 0), fm.number)
        ws.write_string(row, 10, file.found.sha256 if file else "", fm.text)
        _fit(ws, row, [(outcome.unit.name, 24), (campaign.group(outcome.unit.group).label, 14),
                       (file.found.rel if file else "", 30)])
        row += 1
    ws.autofilter(header, 0, row - 1, last_col)
    for col, width in enumerate((5, 8, 24, 14, 14, 9, 15, 9, 30, 8, 66)):
        ws.set_column(col, col, width)
    ws.freeze_panes(header + 1, 3)
    _page(ws, header, last_col, row - 1)


def _files(ws: Worksheet, fm: _Formats, collection: Collection) -> None:
    """Every file found in the inbox with its verdict and the reason (its own sheet: own filter)."""
    last_col = 5
    row = _head(ws, fm, collection, "CÁC TỆP TRONG THƯ MỤC NHẬN", last_col)
    ws.merge_range(row, 0, row, last_col,
                   f"Mọi tệp tìm thấy trong thư mục nhận ({len(collection.files)} tệp): tệp được dùng, tệp bị "
                   "thay thế bởi tệp mới hơn, tệp bị loại và tệp bỏ qua, kèm lý do. Lọc theo cột 'Kết quả'.",
                   fm.note)
    ws.set_row(row, 30)
    header = row + 2
    for col, label in enumerate(("STT", "Kết quả", "Mã đơn vị", "Tệp", "Lý do", "SHA-256")):
        ws.write_string(header, col, label, fm.header)
    row = header + 1
    for number, outcome in enumerate(collection.files, start=1):
        ws.write_number(row, 0, number, fm.center)
        ws.write_string(row, 1, VERDICT_TEXT[outcome.verdict],
                        fm.center if outcome.verdict in (USED, SUPERSEDED) else fm.bad)
        ws.write_string(row, 2, outcome.unit_code, fm.center)
        ws.write_string(row, 3, outcome.found.rel, fm.wrap)
        ws.write_string(row, 4, outcome.reason, fm.wrap)
        ws.write_string(row, 5, outcome.found.sha256, fm.text)
        _fit(ws, row, [(outcome.found.rel, 50), (outcome.reason, 40)])
        row += 1
    ws.autofilter(header, 0, max(row - 1, header), last_col)
    for col, width in enumerate((5, 13, 9, 50, 40, 66)):
        ws.set_column(col, col, width)
    ws.freeze_panes(header + 1, 0)
    _page(ws, header, last_col, row - 1)


def _issues(ws: Worksheet, fm: _Formats, collection: Collection) -> None:
    """Every problem: unit, file, sheet, cell, value, what is wrong, how to fix it."""
    names = {u.code: u.name for u in collection.campaign.units}
    last_col = 10
    row = _head(ws, fm, collection, "CÁC LỖI VÀ CẢNH BÁO CẦN XỬ LÝ", last_col)
    errors = sum(r.problem.severity == ERROR for r in collection.issues)
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
        fmt = fm.bad if p.severity == ERROR else fm.wrap
        ws.write_number(row, 0, number, fm.center)
        ws.write_string(row, 1, "Lỗi" if p.severity == ERROR else "Cảnh báo", fmt)
        ws.write_string(row, 2, p.code, fm.text)
        ws.write_string(row, 3, item.unit_code, fm.center)
        ws.write_string(row, 4, names.get(item.unit_code, ""), fm.wrap)
        for col, text in ((5, p.file), (6, p.sheet), (7, p.cell), (8, p.value), (9, p.message), (10, p.fix)):
            ws.write_string(row, col, text, fm.wrap if col != 7 else fm.center)
        _fit(ws, row, [(p.file, 24), (p.message, 50), (p.fix, 40), (p.value, 10),
                       (names.get(item.unit_code, ""), 18)])
        row += 1
    ws.autofilter(header, 0, max(row - 1, header), last_col)
    for col, width in enumerate((5, 9, 23, 9, 18, 24, 10, 6, 10, 50, 40)):
        ws.set_column(col, col, width)
    ws.freeze_panes(header + 1, 0)
    _page(ws, header, last_col, row - 1)
