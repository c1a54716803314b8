"""The sheets "Tình hình nộp" (every unit) and "Tệp đã nhận" (every file found)."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from workbook_tools.outputs.summary.base import VERDICT_TEXT, Formats, fit_row, page_setup, title_block
from workbook_tools.results.contracts import Status, Verdict
from workbook_tools.results.model import Collection, TimeSource, local_text

SOURCE_SHORT = {TimeSource.REGISTER: "Sổ theo dõi", TimeSource.EMAIL: "Ngày gửi thư", TimeSource.FILE: "Giờ của tệp",
                TimeSource.UNKNOWN: ""}
RECEIVED_TEXT = {Status.VALID: "Đã nhận, hợp lệ", Status.INVALID: "Đã nhận, có lỗi",
                 Status.NEEDS_CHOICE: "Đã nhận, cần chọn tệp", Status.MISSING: "Chưa nộp"}


def write_submissions(ws: Worksheet, fm: Formats, collection: Collection) -> None:
    """The roster with what came in, then every file found with its verdict."""
    campaign = collection.campaign
    last_col = 11
    row = title_block(ws, fm, collection, "TÌNH HÌNH NỘP BIỂU MẪU", last_col)
    ws.merge_range(row, 0, row, last_col,
                   f"Nộp muộn: tệp được nhận từ 00:00 ngày {campaign.deadline:%d/%m/%Y} trở đi (giờ "
                   f"{campaign.timezone}; hoặc hạn riêng của đơn vị trong sổ theo dõi). Thời gian nhận lấy theo sổ "
                   "theo dõi, nếu không có thì theo ngày gửi thư (tệp đính kèm thư .eml), nếu không có nữa thì theo "
                   "thời gian sửa đổi của tệp trong thư mục. "
                   f"Thư mục nhận: {collection.inbox}.", fm.note)
    ws.set_row(row, 30)
    header = row + 2
    labels = ("STT", "Mã", "Đơn vị", "Nhóm", "Tình trạng", "Nộp muộn", "Nhận lúc", "Theo",
              "Tệp được dùng", "Số tệp khác", "Tài liệu gửi kèm", "SHA-256")
    for col, label in enumerate(labels):
        ws.write_string(header, col, label, fm.header)
    row = header + 1
    others: dict[str, int] = {}
    documents: dict[str, list[str]] = {}
    for outcome in collection.files:
        if outcome.verdict == Verdict.SUPERSEDED:
            others[outcome.unit_code] = others.get(outcome.unit_code, 0) + 1
        elif outcome.verdict == Verdict.ATTACHED and outcome.unit_code:
            documents.setdefault(outcome.unit_code, []).append(outcome.found.rel)
    for number, outcome in enumerate(collection.units, start=1):
        file = outcome.file
        status = RECEIVED_TEXT[outcome.status]
        ws.write_number(row, 0, number, fm.center)
        ws.write_string(row, 1, outcome.unit.code, fm.center)
        ws.write_string(row, 2, outcome.unit.name, fm.wrap)
        ws.write_string(row, 3, campaign.group(outcome.unit.group).label, fm.wrap)
        ws.write_string(row, 4, status, fm.center if outcome.status == Status.VALID else fm.bad)
        late = "" if outcome.late is None else ("Muộn" if outcome.late else "Đúng hạn")
        ws.write_string(row, 5, late, fm.bad if outcome.late else fm.center)
        ws.write_string(row, 6, local_text(file.received_at, campaign.timezone) if file else "", fm.center)
        ws.write_string(row, 7, SOURCE_SHORT[file.time_source] if file else "", fm.center)
        ws.write_string(row, 8, file.found.rel if file else "", fm.wrap)
        ws.write_number(row, 9, others.get(outcome.unit.code, 0), fm.number)
        attached = "\n".join(documents.get(outcome.unit.code, ()))
        ws.write_string(row, 10, attached, fm.wrap)
        ws.write_string(row, 11, file.found.sha256 if file else "", fm.text)
        fit_row(ws, row, [(outcome.unit.name, 24), (campaign.group(outcome.unit.group).label, 14),
                          (file.found.rel if file else "", 30), (attached, 30)])
        row += 1
    ws.autofilter(header, 0, row - 1, last_col)
    for col, width in enumerate((5, 8, 24, 14, 14, 9, 15, 12, 30, 8, 30, 66)):
        ws.set_column(col, col, width)
    ws.freeze_panes(header + 1, 3)
    page_setup(ws, header, last_col, row - 1)


def write_files(ws: Worksheet, fm: Formats, collection: Collection) -> None:
    """Every file found in the inbox with its verdict and the reason (its own sheet: own filter)."""
    last_col = 5
    row = title_block(ws, fm, collection, "CÁC TỆP TRONG THƯ MỤC NHẬN", last_col)
    ws.merge_range(row, 0, row, last_col,
                   f"Mọi tệp tìm thấy trong thư mục nhận ({len(collection.files)} tệp, kể cả các tệp trong tệp nén "
                   "và thư điện tử, ghi dạng 'tệp-nén::tệp'): tệp được dùng, tệp bị thay thế bởi tệp mới hơn, tệp bị "
                   "loại, tài liệu gửi kèm và tệp bỏ qua, kèm lý do. Lọc theo cột 'Kết quả'.",
                   fm.note)
    ws.set_row(row, 30)
    header = row + 2
    for col, label in enumerate(("STT", "Kết quả", "Mã đơn vị", "Tệp", "Lý do", "SHA-256")):
        ws.write_string(header, col, label, fm.header)
    row = header + 1
    for number, outcome in enumerate(collection.files, start=1):
        ws.write_number(row, 0, number, fm.center)
        ws.write_string(row, 1, VERDICT_TEXT[outcome.verdict],
                        fm.bad if outcome.verdict == Verdict.REJECTED else fm.center)
        ws.write_string(row, 2, outcome.unit_code, fm.center)
        ws.write_string(row, 3, outcome.found.rel, fm.wrap)
        ws.write_string(row, 4, outcome.reason, fm.wrap)
        ws.write_string(row, 5, outcome.found.sha256, fm.text)
        fit_row(ws, row, [(outcome.found.rel, 50), (outcome.reason, 40)])
        row += 1
    ws.autofilter(header, 0, max(row - 1, header), last_col)
    for col, width in enumerate((5, 13, 9, 50, 40, 66)):
        ws.set_column(col, col, width)
    ws.freeze_panes(header + 1, 0)
    page_setup(ws, header, last_col, row - 1)
