"""Per-unit notices "Thông báo kết quả chấm điểm", written after a review round.

One printable workbook per unit that sent a file: for each scored table, every row with the
unit's own score, the team's score, the final score and the team's reason (changed rows
highlighted), the totals, the classification and the rank; then the list of changed rows.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from workbook_tools.form.names import unit_file_name
from workbook_tools.paper.page import MOTTO, MOTTO_SUB, page_footer, print_setup, text_height
from workbook_tools.paper.styles import FONT, WORKBOOK_OPTIONS, Styles, make_styles
from workbook_tools.paper.xlsx_compat import TextWorkbook
from workbook_tools.results.contracts import Status
from workbook_tools.results.model import Collection, FormOutcome, UnitOutcome
from workbook_tools.spec.base import FormKind, format_points
from workbook_tools.spec.criteria import CriteriaSpec, Criterion, Section, walk
from workbook_tools.spec.scoring import section_total

FOLDER = "thong-bao"
COLUMNS = (("STT", 6), ("Nội dung", 44), ("Điểm chuẩn", 8), ("Đơn vị tự chấm", 9), ("Tổ KT chấm", 9),
           ("Điểm cuối cùng", 9), ("Lý do điều chỉnh", 26))


def notice_name(outcome: UnitOutcome) -> str:
    """thong-bao/<code>_<name>.xlsx"""
    return f"{FOLDER}/{unit_file_name(outcome.unit)}"


def write_notice(collection: Collection, outcome: UnitOutcome, path: Path) -> None:
    """Write one unit's notice to path."""
    campaign = collection.campaign
    wb = TextWorkbook(str(path), WORKBOOK_OPTIONS)
    st = make_styles(wb)
    changed = wb.add_format({"font_name": FONT, "font_size": 11, "border": 1, "text_wrap": True,
                             "valign": "vcenter", "bg_color": "#FCE4D6"})
    changed_number = wb.add_format({"font_name": FONT, "font_size": 11, "border": 1,
                                    "align": "center", "valign": "vcenter", "bg_color": "#FCE4D6", "bold": True})
    ws = wb.add_worksheet("Thông báo")
    for col, (_, width) in enumerate(COLUMNS):
        ws.set_column(col, col, width)
    ws.merge_range(0, 0, 0, 2, campaign.issuer, st.center)
    ws.merge_range(1, 0, 1, 2, campaign.receiving_office.upper(), st.bold_center)
    ws.merge_range(0, 3, 0, 6, MOTTO, st.bold_center)
    ws.merge_range(1, 3, 1, 6, MOTTO_SUB, st.bold_center)
    ws.merge_range(3, 3, 3, 6, f"{campaign.place}, ngày ..... tháng ..... năm {campaign.year}", st.italic_center)
    ws.merge_range(5, 0, 5, 6, "THÔNG BÁO KẾT QUẢ CHẤM ĐIỂM", st.title)
    ws.merge_range(6, 0, 6, 6, campaign.name, st.subtitle)
    ws.set_row(6, 34)
    unit_header = outcome.unit.header_name(campaign.group(outcome.unit.group))
    ws.merge_range(8, 0, 8, 6, f"Kính gửi: {unit_header}", st.bold_center)
    intro = (f"Căn cứ kết quả tự chấm điểm của đơn vị và kết quả kiểm tra, đánh giá của Tổ kiểm tra, "
             f"{campaign.receiving_office} thông báo kết quả chấm điểm của đơn vị như sau:")
    ws.merge_range(10, 0, 10, 6, intro, st.para)
    ws.set_row(10, text_height(intro, 105, 12))
    row = 12
    for form in outcome.forms:
        spec = campaign.form(form.form_id)
        if spec.kind == FormKind.CRITERIA:
            row = _form_table(ws, st, (changed, changed_number), collection, outcome, spec, form, row) + 1
    ws.merge_range(row + 1, 4, row + 1, 6, campaign.receiving_office.upper(), st.bold_center)
    print_setup(ws, footer=page_footer(), gridlines=False)
    wb.set_properties({"title": f"Thông báo kết quả chấm điểm - {outcome.unit.name}",
                       "author": campaign.receiving_office})
    wb.close()


def _form_table(ws: Worksheet, st: Styles, changed: tuple[Format, Format], collection: Collection,
                outcome: UnitOutcome, spec: CriteriaSpec, form: FormOutcome, row: int) -> int:
    """One scored form: title, rows, totals, verdict and the rows the team changed; returns the next row."""
    ws.merge_range(row, 0, row, 6, f"{spec.short_name}: {spec.titles(collection.campaign.year)[0]}", st.para_bold)
    ws.set_row(row, text_height(spec.titles(collection.campaign.year)[0], 105, 12, bold=True))
    row += 1
    for col, (label, _) in enumerate(COLUMNS):
        ws.write_string(row, col, label, st.table_header)
    ws.set_row(row, 45)
    row, changes = _rows(ws, st, changed, spec, form, row + 1)
    ws.merge_range(row, 0, row, 1, spec.total_label, st.total_label)
    ws.write_number(row, 2, float(spec.total), st.total_number)
    for col, value in ((3, form.self_total), (4, form.team_total), (5, form.final_total)):
        ws.write_string(row, col, format_points(value) if value is not None else "", st.total_number)
    ws.write_blank(row, 6, None, st.total_number)
    row += 1
    ws.merge_range(row, 0, row, 6, _verdict(collection, outcome, spec, form), st.para_bold)
    ws.set_row(row, 36)
    return _changes(ws, st, changes, row + 1)


def _rows(ws: Worksheet, st: Styles, changed: tuple[Format, Format], spec: CriteriaSpec, form: FormOutcome,
          row: int) -> tuple[int, list[tuple[Criterion, Decimal | None, Decimal, str]]]:
    """Every section and criterion row, changed rows highlighted; returns the next row and the changes."""
    own = form.result.scores if form.result else {}
    changes = []
    for node, depth in walk(spec.sections):
        text = ("   " * depth) + node.text
        if isinstance(node, Section):
            ws.write_string(row, 0, node.stt, st.section_stt)
            ws.write_string(row, 1, text, st.section)
            ws.write_number(row, 2, float(node.max), st.section_number)
            ws.write_number(row, 3, float(section_total(node, own)), st.section_number)
            team = [form.team[c.id] for c in node.criteria() if c.id in form.team]
            ws.write_string(row, 4, format_points(sum(team)) if team else "", st.section_number)
            ws.write_number(row, 5, float(section_total(node, form.final)), st.section_number)
            ws.write_blank(row, 6, None, st.section)
            ws.set_row(row, text_height(text, 44, 12, bold=True))
            row += 1
            continue
        team = form.team.get(node.id)
        is_changed = team is not None and team != own.get(node.id)
        reason = form.reasons.get(node.id, "")
        if is_changed:
            changes.append((node, own.get(node.id), team, reason))
        ws.write_string(row, 0, node.stt, st.criterion_stt)
        ws.write_string(row, 1, text, changed[0] if is_changed else st.criterion)
        ws.write_number(row, 2, float(node.max), st.number)
        for col, value in ((3, own.get(node.id)), (4, team), (5, form.final.get(node.id))):
            if value is None:
                ws.write_blank(row, col, None, st.number)
            else:
                ws.write_number(row, col, float(value), changed[1] if is_changed and col >= 4 else st.number)
        ws.write_string(row, 6, reason, changed[0] if is_changed else st.criterion)
        ws.set_row(row, max(text_height(text, 44, 12), text_height(reason, 26, 11)))
        row += 1
    return row, changes


def _changes(ws: Worksheet, st: Styles, changes: list[tuple[Criterion, Decimal | None, Decimal, str]],
             row: int) -> int:
    """The list of rows the team changed, with the reasons; returns the next row."""
    if not changes:
        ws.merge_range(row, 0, row, 6, "Tổ kiểm tra giữ nguyên điểm tự chấm của đơn vị.", st.para)
        return row + 1
    ws.merge_range(row, 0, row, 6, f"Các tiêu chí Tổ kiểm tra điều chỉnh ({len(changes)}):", st.para_bold)
    row += 1
    for node, before, after, reason in changes:
        before_text = format_points(before) if before is not None else "trống"
        line = (f"- STT {node.stt or '-'}: {before_text} → {format_points(after)} điểm. "
                f"Lý do: {reason or '(không ghi lý do)'}")
        ws.merge_range(row, 0, row, 6, line, st.para)
        ws.set_row(row, text_height(line, 105, 12))
        row += 1
    return row


def _verdict(collection: Collection, outcome: UnitOutcome, spec: CriteriaSpec, form: FormOutcome) -> str:
    if form.status != Status.VALID or form.total is None:
        return f"Chưa xếp loại {spec.short_name}: hồ sơ còn lỗi cần bổ sung (xem danh sách lỗi đã gửi kèm)."
    group = collection.campaign.group(outcome.unit.group)
    in_group = collection.ranked[(spec.id, outcome.unit.group)]
    overall = collection.ranked[(spec.id, "")]
    return (f"Tổng điểm sau kiểm tra: {format_points(form.total)} điểm; xếp loại: {form.classification}; "
            f"xếp thứ {form.rank_in_group}/{in_group} trong {group.label}, thứ {form.rank_overall}/{overall} "
            f"toàn {collection.campaign.district}.")

