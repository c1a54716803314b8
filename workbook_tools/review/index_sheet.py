"""The first sheet of the review workbook: every unit, its code a link to its own sheet (a short link
that fits its cell: a spreadsheet does not wrap a link), its name wrapped, and live totals and
classification of each form (self-score, final score)."""

from __future__ import annotations

from decimal import Decimal

from xlsxwriter.worksheet import Worksheet

from workbook_tools.form.layout import cell_ref
from workbook_tools.form.review_layout import C_FINAL, C_REASON, C_SELF, FormBlock
from workbook_tools.paper.cellfit import UNIT_PT, columns_pt
from workbook_tools.paper.page import PROTECT_OPTIONS, TABLE_MARGINS, print_setup
from workbook_tools.results.model import Collection, UnitOutcome
from workbook_tools.review.formats import BODY_PT, HEADER_PT, INDEX_PT, NOTE_PT, height, one_line
from workbook_tools.review.rules import RULE_TEXT, cached_class
from workbook_tools.review.unit_sheet import SPACER_PT, page_footer
from workbook_tools.spec.campaign import ReviewRule
from workbook_tools.spec.scoring import round2

INDEX_SHEET = "Danh sách"
TITLE = "PHIẾU CHẤM CỦA TỔ KIỂM TRA, ĐÁNH GIÁ - DANH SÁCH ĐƠN VỊ"
HEADER = 4
# STT, code, unit name (the link); per form: self total, final total, classification.
FIXED_WIDTHS, FORM_WIDTHS, PAGE_PT = (4, 6), (5, 5, 10), 520.0


def index_sheet(ws: Worksheet, fm: dict, collection: Collection, units: list[UnitOutcome],
                names: dict[str, str], blocks: dict[str, dict[str, FormBlock]]) -> None:
    """Every unit with a link to its sheet and live links to its totals."""
    campaign = collection.campaign
    forms = campaign.scored_forms
    widths = _widths(len(forms))
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    last_col = len(widths) - 1
    full = columns_pt(*widths)
    guide = ("Mỗi đơn vị một trang; bấm mã đơn vị để mở trang của đơn vị đó. Tổ KT chỉ nhập vào các ô "
             "nền vàng: cột 'Tổ KT, đánh giá chấm' (từ 0 đến điểm chuẩn) và 'Lý do điều chỉnh'. "
             + RULE_TEXT[campaign.review_rule] + " Lý do dài hơn ô: kéo giãn dòng đó trước khi in. "
             "Chấm xong, gửi lại tệp này cho Phòng Nội vụ để tổng hợp.")
    rows = {0: (TITLE, fm["title"], 13, True, False),
            1: (campaign.name, fm["subtitle"], BODY_PT, False, True),
            2: (guide, fm["guide"], NOTE_PT, False, True)}
    for row, (text, fmt, size, bold, italic) in rows.items():
        ws.merge_range(row, 0, row, last_col, text, fmt)
        ws.set_row(row, height([(text, full)], size, bold, italic))
    ws.set_row(HEADER - 1, SPACER_PT)
    labels = ["STT", "Mã", "Đơn vị"] + [f"{spec.short_name} {label}" for spec in forms
                                         for label in ("tự chấm", "sau kiểm tra", "xếp loại")]
    for col, label in enumerate(labels):
        ws.write_string(HEADER, col, label, fm["header"])
    ws.set_row(HEADER, height([(t, columns_pt(w)) for t, w in zip(labels, widths)], HEADER_PT, bold=True))
    for number, outcome in enumerate(units, start=1):
        _unit_row(ws, fm, collection, HEADER + number, number, outcome, names, blocks, columns_pt(widths[2]))
    ws.protect(campaign.sheet_password, PROTECT_OPTIONS)
    print_setup(ws, margins=TABLE_MARGINS, repeat_row=HEADER, area=(0, 0, HEADER + len(units), last_col),
                footer=page_footer(campaign.name), gridlines=False)
    ws.set_start_page(1)
    ws.freeze_panes(HEADER + 1, 0)


def _widths(form_count: int) -> list[float]:
    """Column widths: the unit name takes what the page width leaves."""
    others = list(FIXED_WIDTHS) + list(FORM_WIDTHS) * form_count
    name = (PAGE_PT - columns_pt(*others)) / UNIT_PT - columns_pt(0) / UNIT_PT
    return list(FIXED_WIDTHS) + [int(name)] + list(FORM_WIDTHS) * form_count


def _unit_row(ws: Worksheet, fm: dict, collection: Collection, row: int, number: int, outcome: UnitOutcome,
              names: dict[str, str], blocks: dict[str, dict[str, FormBlock]], name_width: float) -> None:
    campaign, unit = collection.campaign, outcome.unit
    ws.write_number(row, 0, number, fm["i_number"])
    ws.write_url(row, 1, f"internal:'{names[unit.code]}'!A1", fm["link"], string=unit.code,
                 tip=f"Mở trang của {unit.name}")
    ws.write_string(row, 2, unit.name, fm["i_text"])
    ws.set_row(row, max(one_line(INDEX_PT), height([(unit.name, name_width)], INDEX_PT)))
    for index, spec in enumerate(campaign.scored_forms):
        col = 3 + 3 * index
        block = blocks[unit.code].get(spec.id)
        if block is None:
            for offset in range(3):
                ws.write_blank(row, col + offset, None, fm["i_number"])
            continue
        form = outcome.form(spec.id)
        scores = form.result.scores if form and form.result else {}
        self_total = float(round2(sum(scores.values(), Decimal(0))))
        final = self_total if campaign.review_rule == ReviewRule.SELF_IF_BLANK else 0.0
        ref = f"'{names[unit.code]}'!"
        ws.write_formula(row, col, f"={ref}{cell_ref(block.total_row, C_SELF)}", fm["i_number"], self_total)
        ws.write_formula(row, col + 1, f"={ref}{cell_ref(block.total_row, C_FINAL)}", fm["i_number"], final)
        ws.write_formula(row, col + 2, f"={ref}{cell_ref(block.classification_row, C_REASON)}", fm["i_class"],
                         cached_class(campaign, spec, scores))
