"""The sheets "Tình hình nộp" (every unit) and "Tệp đã nhận" (every file found)."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from workbook_tools.outputs.summary.base import (
    VERDICT_TEXT,
    Formats,
    file_text,
    file_width,
    finish_table,
    fit_file_row,
    page_setup,
    shown_folder,
    title_block,
    word_width,
    write_header,
    write_note,
)
from workbook_tools.results.contracts import Status, Verdict
from workbook_tools.results.model import Collection, TimeSource, UnitOutcome, local_text

SOURCE_SHORT = {TimeSource.REGISTER: "Sổ theo dõi", TimeSource.EMAIL: "Ngày gửi thư", TimeSource.FILE: "Giờ lưu tệp",
                TimeSource.UNKNOWN: ""}
SHA_SHOWN = 12  # hex digits of the SHA-256 printed (enough to tell files apart; the CSVs have it whole)
RECEIVED_TEXT = {Status.VALID: "Đã nhận, hợp lệ", Status.INVALID: "Đã nhận, có lỗi",
                 Status.NEEDS_CHOICE: "Đã nhận, cần chọn tệp", Status.MISSING: "Chưa nộp"}


def write_submissions(ws: Worksheet, fm: Formats, collection: Collection) -> None:
    """The roster with what came in, then every file found with its verdict."""
    campaign = collection.campaign
    last_col = 11
    row = title_block(ws, fm, collection, "TÌNH HÌNH NỘP BIỂU MẪU", last_col)
    widths = _submission_widths(collection)
    write_note(ws, fm, row, last_col,
               f"Nộp muộn: tệp được nhận từ 00:00 ngày {campaign.deadline:%d/%m/%Y} trở đi (giờ "
               f"{campaign.timezone}; hoặc hạn riêng của đơn vị trong sổ theo dõi). Thời gian nhận lấy theo sổ "
               "theo dõi, nếu không có thì theo ngày gửi thư (tệp đính kèm thư .eml), nếu không có nữa thì theo "
               "thời gian sửa đổi của tệp trong thư mục (giờ lưu tệp). "
               f"Thư mục nhận: {shown_folder(collection.inbox)}. Mã SHA-256 in {SHA_SHOWN} ký tự đầu; mã đầy đủ "
               "trong submissions.csv.", sum(widths))
    header = row + 2
    labels = ("STT", "Mã", "Đơn vị", "Nhóm", "Tình trạng", "Nộp muộn", "Nhận lúc", "Giờ nhận theo",
              "Tệp được dùng", "Số tệp khác", "Tài liệu gửi kèm", "SHA-256 (đầu mã)")
    write_header(ws, fm, header, labels, widths)
    row = header + 1
    others: dict[str, int] = {}
    documents: dict[str, list[str]] = {}
    for outcome in collection.files:
        if outcome.verdict == Verdict.SUPERSEDED:
            others[outcome.unit_code] = others.get(outcome.unit_code, 0) + 1
        elif outcome.verdict == Verdict.ATTACHED and outcome.unit_code:
            documents.setdefault(outcome.unit_code, []).append(outcome.found.rel)
    for number, outcome in enumerate(collection.units, start=1):
        _submission_row(ws, fm, row, number, outcome, collection, others, documents, widths)
        row += 1
    finish_table(ws, header, row - 1, widths)


def _submission_widths(collection: Collection) -> tuple[float, ...]:
    used = [o.file.found.rel for o in collection.units if o.file]
    attached = [o.found.rel for o in collection.files if o.verdict == Verdict.ATTACHED]
    return (5, 8, 24, 20, 14, 9, 16, 12, file_width(used, 24), 8, file_width(attached, 20), 15)


def _submission_row(ws: Worksheet, fm: Formats, row: int, number: int, outcome: UnitOutcome, collection: Collection,
                    others: dict[str, int], documents: dict[str, list[str]], widths: tuple[float, ...]) -> None:
    """One unit's line: status, lateness, when and how received, the file used, documents sent."""
    campaign, file = collection.campaign, outcome.file
    ws.write_number(row, 0, number, fm.center)
    ws.write_string(row, 1, outcome.unit.code, fm.center)
    ws.write_string(row, 2, outcome.unit.name, fm.wrap)
    ws.write_string(row, 3, campaign.group(outcome.unit.group).label, fm.wrap)
    ws.write_string(row, 4, RECEIVED_TEXT[outcome.status], fm.center if outcome.status == Status.VALID else fm.bad)
    late = "" if outcome.late is None else ("Muộn" if outcome.late else "Đúng hạn")
    ws.write_string(row, 5, late, fm.bad if outcome.late else fm.center)
    ws.write_string(row, 6, local_text(file.received_at, campaign.timezone) if file else "", fm.center)
    ws.write_string(row, 7, SOURCE_SHORT[file.time_source] if file else "", fm.center)
    used = file_text(file.found.rel) if file else ""
    ws.write_string(row, 8, used, fm.file)
    ws.write_number(row, 9, others.get(outcome.unit.code, 0), fm.number)
    attached = "\n".join(file_text(rel) for rel in documents.get(outcome.unit.code, ()))
    ws.write_string(row, 10, attached, fm.file)
    ws.write_string(row, 11, file.found.sha256[:SHA_SHOWN] if file else "", fm.center)
    fit_file_row(ws, row, [(outcome.unit.name, widths[2]), (campaign.group(outcome.unit.group).label, widths[3]),
                           (RECEIVED_TEXT[outcome.status], widths[4])], [(used, widths[8]), (attached, widths[10])])


def write_files(ws: Worksheet, fm: Formats, collection: Collection) -> None:
    """Every file found in the inbox with its verdict and the reason (its own sheet: own filter)."""
    last_col = 5
    row = title_block(ws, fm, collection, "CÁC TỆP TRONG THƯ MỤC NHẬN", last_col)
    widths = (5, 13, 9, file_width([o.found.rel for o in collection.files], 30),
              word_width([o.reason for o in collection.files], 40), 15)
    write_note(ws, fm, row, last_col,
                   f"Mọi tệp tìm thấy trong thư mục nhận ({len(collection.files)} tệp, kể cả các tệp trong tệp nén "
                   "và thư điện tử, ghi dạng 'tệp-nén:: tệp'; mã SHA-256 đầy đủ trong submissions.csv): tệp được dùng, tệp bị thay thế bởi tệp mới hơn, tệp bị "
                   "loại, tài liệu gửi kèm và tệp bỏ qua, kèm lý do. Lọc theo cột 'Kết quả'.", sum(widths))
    header = row + 2
    write_header(ws, fm, header, ("STT", "Kết quả", "Mã đơn vị", "Tệp", "Lý do", "SHA-256 (đầu mã)"), widths)
    row = header + 1
    for number, outcome in enumerate(collection.files, start=1):
        ws.write_number(row, 0, number, fm.center)
        ws.write_string(row, 1, VERDICT_TEXT[outcome.verdict],
                        fm.bad if outcome.verdict == Verdict.REJECTED else fm.center)
        ws.write_string(row, 2, outcome.unit_code, fm.center)
        ws.write_string(row, 3, file_text(outcome.found.rel), fm.file)
        ws.write_string(row, 4, outcome.reason, fm.wrap)
        ws.write_string(row, 5, outcome.found.sha256[:SHA_SHOWN], fm.center)
        fit_file_row(ws, row, [(outcome.reason, widths[4]), (VERDICT_TEXT[outcome.verdict], widths[1])],
                     [(file_text(outcome.found.rel), widths[3])])
        row += 1
    ws.autofilter(header, 0, max(row - 1, header), last_col)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.freeze_panes(header + 1, 0)
    page_setup(ws, header, last_col, row - 1)
