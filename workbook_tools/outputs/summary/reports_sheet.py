"""The sheet "Báo cáo đơn vị": which unit sent which narrative report, and which of its headings
are still empty (the texts themselves are in tong-hop-bao-cao-don-vi.docx and bao-cao-don-vi.csv)."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from workbook_tools.outputs.summary.base import (
    Formats,
    file_text,
    file_width,
    finish_table,
    fit_file_row,
    title_block,
    write_header,
    write_note,
)
from workbook_tools.read.report import empty_sections
from workbook_tools.results.model import Collection, UnitReport
from workbook_tools.spec.outline import OutlineSpec

NOT_ASKED, NOT_SENT = "", "Chưa gửi"


def report_state(outline: OutlineSpec, report: UnitReport | None, asked: bool) -> tuple[str, str]:
    """(state, empty headings) of one unit's report: 'Đã gửi, viết 12/15 mục' and 'III.2, VI'."""
    if report is None:
        return (NOT_SENT if asked else NOT_ASKED), ""
    leaves, empty = outline.leaves(), empty_sections(outline, report.sections)
    state = f"Đã gửi, viết {len(leaves) - len(empty)}/{len(leaves)} mục"
    return state, ", ".join(outline.label(s.id) for s in empty)


def write_reports_sheet(ws: Worksheet, fm: Formats, collection: Collection) -> None:
    """One row per unit: per outline its state and empty headings; the file read."""
    campaign = collection.campaign
    outlines = campaign.outlines
    by_key = {(r.unit_code, r.outline_id): r for r in collection.reports}
    files = [r.file for r in collection.reports]
    widths = (5, 8, 24) + (15, 16) * len(outlines) + (file_width(files, 24),)
    last_col = len(widths) - 1
    row = title_block(ws, fm, collection, "BÁO CÁO BẰNG VĂN BẢN CỦA CÁC ĐƠN VỊ", last_col)
    write_note(ws, fm, row, last_col,
               "Báo cáo Word (.docx) đơn vị gửi kèm, đọc theo từng mục của đề cương. 'Mục còn trống': mục chưa "
               "viết gì (ghi theo số mục của đề cương). Nội dung từng mục của mọi đơn vị: tệp "
               "tong-hop-bao-cao-don-vi.docx và bao-cao-don-vi.csv. Báo cáo dạng .doc, PDF, ảnh chụp được lưu "
               "lại nhưng không đọc theo mục (xem 'Lỗi cần xử lý').", sum(widths))
    header = row + 2
    labels = ("STT", "Mã", "Đơn vị")
    for outline in outlines:
        labels += (outline.short_name, f"Mục còn trống ({outline.short_name})")
    write_header(ws, fm, header, labels + ("Tệp báo cáo",), widths)
    row = header + 1
    for number, unit in enumerate(campaign.units, start=1):
        asked = {o.id for o in campaign.outlines_for(unit)}
        cells = [(unit.name, widths[2])]
        ws.write_number(row, 0, number, fm.center)
        ws.write_string(row, 1, unit.code, fm.center)
        ws.write_string(row, 2, unit.name, fm.wrap)
        for index, outline in enumerate(outlines):
            report = by_key.get((unit.code, outline.id))
            state, empty = report_state(outline, report, outline.id in asked)
            col = 3 + 2 * index
            ws.write_string(row, col, state, fm.bad if state == NOT_SENT else fm.wrap)
            ws.write_string(row, col + 1, empty, fm.wrap)
            cells += [(state, widths[col]), (empty, widths[col + 1])]
        sent = "\n".join(file_text(by_key[(unit.code, o.id)].file) for o in outlines if (unit.code, o.id) in by_key)
        ws.write_string(row, last_col, sent, fm.file)
        fit_file_row(ws, row, cells, [(sent, widths[last_col])])
        row += 1
    finish_table(ws, header, row - 1, widths)
