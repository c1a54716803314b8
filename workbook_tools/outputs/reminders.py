"""``nhac-viec.xlsx``: the units to go back to, with their contacts and the message for each."""

from __future__ import annotations

from pathlib import Path

from workbook_tools.outputs.messages import collection_message, message_name, units_to_remind
from workbook_tools.outputs.summary.base import STATUS_TEXT
from workbook_tools.paper.measure import row_height, units_for
from workbook_tools.paper.page import page_footer, print_setup
from workbook_tools.paper.styles import WORKBOOK_OPTIONS, make_styles
from workbook_tools.paper.xlsx_compat import TextWorkbook
from workbook_tools.results.model import Collection

REMINDERS_NAME = "nhac-viec.xlsx"
COLUMNS = (("STT", 5), ("Mã", 8), ("Đơn vị", 24), ("Tình trạng", 12), ("Người liên hệ", 16), ("Điện thoại", 13),
           ("Thư điện tử", 20), ("Tin nhắn gửi đơn vị", 70), ("Tệp tin nhắn", 24), ("Đã liên hệ", 10))


def write_reminders(collection: Collection, path: Path) -> None:
    """One row per unit that must act: contacts, what to tell it (also in tin-nhan/), a column to tick."""
    wb = TextWorkbook(str(path), WORKBOOK_OPTIONS)
    st = make_styles(wb)
    ws = wb.add_worksheet("Nhắc việc")
    last = len(COLUMNS) - 1
    ws.set_row(0, 21)
    ws.merge_range(0, 0, 0, last, "DANH SÁCH ĐƠN VỊ CẦN LIÊN HỆ", st.title)
    ws.merge_range(1, 0, 1, last, f"{collection.campaign.name} - lập lúc "
                   f"{collection.run_at:%d/%m/%Y %H:%M}", st.subtitle)
    header = 3
    units = units_to_remind(collection)
    widths = _widths([message_name(outcome.unit) for outcome in units])
    for col, (label, _width) in enumerate(COLUMNS):
        ws.write_string(header, col, label, st.table_header)
        ws.set_column(col, col, widths[col])
    for number, outcome in enumerate(units, start=1):
        row = header + number
        unit = outcome.unit
        text = collection_message(collection, outcome)
        cells = (str(number), unit.code, unit.name, STATUS_TEXT[outcome.status], unit.contact, unit.phone,
                 unit.email, text.strip(), message_name(unit), "")
        for col, value in enumerate(cells):
            ws.write_string(row, col, value, st.criterion if col in (2, 7, 8) else st.criterion_stt)
        ws.set_row(row, row_height([(value, widths[col]) for col, value in enumerate(cells)], minimum=15.75))
    if not units:
        ws.merge_range(header + 1, 0, header + 1, last, "Không có đơn vị nào cần liên hệ.", st.para)
    ws.autofilter(header, 0, header + max(len(units), 1), last)
    ws.freeze_panes(header + 1, 3)
    print_setup(ws, landscape=True, repeat_row=header, footer=page_footer())
    wb.close()


def _widths(files: list[str]) -> list[float]:
    """The columns' widths, the message files' one wide enough for their names (breaking after '/')."""
    parts = [part for name in files for part in name.split("/") if part]
    widths = [width for _label, width in COLUMNS]
    widths[8] = max([widths[8]] + [round(units_for(part) + 1, 1) for part in parts])
    return widths
