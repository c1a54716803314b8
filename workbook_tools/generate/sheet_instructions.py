"""The instructions sheet ("Hướng dẫn"), the first sheet of a unit workbook."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook

from workbook_tools.form.identity import INSTRUCTIONS_SHEET
from workbook_tools.generate.common import group_units
from workbook_tools.paper.cellfit import columns_pt, paragraph_height
from workbook_tools.paper.page import PROTECT_OPTIONS, print_setup
from workbook_tools.paper.styles import Styles
from workbook_tools.spec.base import Form, FormKind
from workbook_tools.spec.campaign import Campaign, Unit

TEXT_WIDTH = 76  # with the 3 of column A 80.4 units as stored (fits at 97 %); its height makes the page 93-96 %
SPACER_PT = 8  # an empty line between paragraphs

HOW_TO_FILL = (
    "Chỉ nhập vào các ô nền vàng. Các ô khác (nội dung tiêu chí, điểm chuẩn, điểm từng mục, "
    "tổng điểm, xếp loại) đã được khóa và tự tính, không cần và không thể sửa.",
    "Ô điểm: nhập số từ 0 đến Điểm chuẩn của dòng đó. Được nhập số lẻ, ví dụ 1,5 "
    "(máy đặt dấu thập phân là dấu chấm thì nhập 1.5). Tiêu chí không đạt thì nhập 0; "
    "không để trống ô nào.",
    "Khi chọn một ô điểm, máy hiện lời nhắc điểm tối đa của tiêu chí. Nếu nhập sai "
    "(chữ, số âm, lớn hơn điểm chuẩn), máy báo \"Điểm không hợp lệ\": bấm Thử lại (Retry) "
    "rồi nhập lại.",
    "Cột \"Tài liệu kiểm chứng / ghi chú\": ghi tên văn bản, biên bản... chứng minh cho điểm "
    "tự chấm (không bắt buộc).",
    "Dòng \"Số tiêu chí đã chấm\" cho biết còn bao nhiêu ô điểm chưa nhập; khi nhập đủ, "
    "dòng \"Xếp loại\" hiện kết quả theo thang xếp loại ghi dưới bảng.",
    "Trang \"Số liệu\": nhập số nguyên (không có thì nhập 0), chọn Có/Không trong danh sách, "
    "ngày nhập dạng ngày/tháng/năm. Cột \"Kiểm tra\" báo chữ đỏ nếu số liệu mâu thuẫn "
    "(ví dụ số hồ sơ đã giải quyết lớn hơn số tiếp nhận).",
    "Ghi địa danh, ngày ký vào ô vàng \"....., ngày ..... tháng ..... năm\" ở đầu mỗi trang và số, "
    "ngày của báo cáo vào ô \"(Kèm theo Báo cáo số ...)\" nếu có. Nhập họ và tên thủ trưởng vào ô vàng "
    "dưới dòng \"(Ký, ghi rõ họ và tên, đóng dấu)\" ở cuối mỗi trang, in ra, ký, đóng dấu.",
    "Phần \"Ghi chú\" dưới mỗi bảng chấm điểm nói rõ những chỗ văn bản gốc có sai sót và bảng đã "
    "hiệu chỉnh thế nào (ví dụ STT in trùng, điểm chuẩn cộng không đủ); đọc trước khi chấm.",
    "Không đổi tên, thêm, xóa trang tính; không sao chép nội dung sang tệp khác; không dùng "
    "tệp của đơn vị khác. Lưu đúng dạng .xlsx (Excel Workbook); không lưu dạng .xls hay .ods.",
    "Tệp dùng được trong Microsoft Excel 2010 trở lên, LibreOffice Calc và WPS Office, "
    "không cần kết nối mạng.",
)


def write_instructions(wb: Workbook, st: Styles, campaign: Campaign, unit: Unit, file_id: str) -> None:
    """Add the instructions sheet (first sheet), on one A4 page."""
    ws = wb.add_worksheet(INSTRUCTIONS_SHEET)
    ws.set_column(0, 0, 3)
    ws.set_column(1, 1, TEXT_WIDTH)
    lines = _instruction_lines(campaign, unit, campaign.forms_for(unit), file_id)
    group = group_units(campaign, unit)
    for row, (kind, text) in enumerate(lines):
        fmt = {"title": st.heading, "head": st.para_bold, "text": st.para}[kind]
        if text:
            ws.write_string(row, 1, text, fmt)
        height = _height(kind, text)
        if unit.name in text:  # as tall as the longest name of the group needs (one template per group)
            height = max(_height(kind, text.replace(unit.name, u.name)) for u in group)
        ws.set_row(row, height if text else SPACER_PT)
    ws.protect(campaign.sheet_password, PROTECT_OPTIONS)
    print_setup(ws, gridlines=False)
    ws.fit_to_pages(1, 1)


def _height(kind: str, text: str) -> float:
    size = 13 if kind == "title" else 12
    return paragraph_height(text, columns_pt(TEXT_WIDTH), size, bold=kind != "text")


def _instruction_lines(campaign: Campaign, unit: Unit, forms: tuple[Form, ...],
                       file_id: str) -> list[tuple[str, str]]:
    deadline = campaign.deadline.strftime("%d/%m/%Y")
    lines = [("title", "HƯỚNG DẪN ĐIỀN BIỂU MẪU"), ("text", ""),
             ("head", f"Đơn vị: {unit.name} (mã {unit.code})"),
             ("text", f"Đợt: {campaign.name}."),
             ("text", f"Căn cứ: {campaign.request}."),
             ("head", f"Hạn nộp: trước ngày {deadline}, gửi về {campaign.receiving_office}."),
             ("text", campaign.submit_instructions), ("text", ""),
             ("head", "Các trang cần điền:")]
    for form in forms:
        kind = "bảng chấm điểm" if form.kind == FormKind.CRITERIA else "số liệu báo cáo"
        basis = f", theo {form.legal_basis}" if form.legal_basis else ""
        lines.append(("text", f"- Trang \"{form.sheet_name}\": {kind}{basis}."))
    lines += [("text", ""), ("head", "Cách điền:")]
    lines += [("text", f"{i}. {text}") for i, text in enumerate(HOW_TO_FILL, start=1)]
    scored = campaign.scored_forms_for(unit)
    lines += [("text", ""), ("head", "Thang xếp loại:")]
    lines += [("text", f"- {form.short_name}: {form.bands.describe()}.") for form in scored]
    lines += [("text", ""), ("text", f"Mã tệp (dùng khi cần hỗ trợ): {file_id}")]
    return lines
