"""One unit's sheet of the review workbook: that unit's printed record.

Portrait A4 at full size: the columns add up to the page width (``form.review_layout.WIDTHS``),
the criterion text wraps in the wide column and every row is as tall as its longest text measured
with the font's real widths (``paper.cellfit``), the column header row is printed on every page,
page numbers restart on each unit's first page, and the footer names the unit. Texts are the
spec's own, trimmed; an unnumbered item is shown under its numbered one by the cell's indent.
"""

from __future__ import annotations

from decimal import Decimal

from xlsxwriter.worksheet import Worksheet

from workbook_tools.form.layout import cell_ref, runs
from workbook_tools.form.review_layout import (
    C_FINAL,
    C_ID,
    C_MAX,
    C_NOTE,
    C_REASON,
    C_SELF,
    C_STT,
    C_TEAM,
    C_TEXT,
    CONTENT_LABEL,
    FIRST_BLOCK_ROW,
    HEADER_ROW,
    HEADERS,
    MARK_CLASS,
    MARK_COUNT,
    MARK_HEADER,
    MARK_TOTAL,
    WIDTHS,
    FormBlock,
    ReviewRow,
    mark,
    plan_review_sheet,
    row_id,
)
from workbook_tools.paper.page import PROTECT_OPTIONS, TABLE_MARGINS, print_setup
from workbook_tools.paper.pager import body_height, breaks_for
from workbook_tools.paper.styles import FONT
from workbook_tools.results.model import UnitOutcome, local_text
from workbook_tools.review.formats import (
    BODY_PT,
    HEADER_PT,
    NOTE_PT,
    SMALL_PT,
    height,
    indent_width,
    one_line,
    width_of,
)
from workbook_tools.review.rules import RULE_TEXT, cached_class, final_formula, team_validation
from workbook_tools.spec.campaign import Campaign, ReviewRule
from workbook_tools.spec.criteria import Section
from workbook_tools.spec.scoring import INCOMPLETE, round2, section_total

TITLE = "PHIẾU CHẤM ĐIỂM CỦA TỔ KIỂM TRA, ĐÁNH GIÁ"
SIGNER = "ĐẠI DIỆN TỔ KIỂM TRA, ĐÁNH GIÁ"
SIGN_HINT = "(Ký, ghi rõ họ tên)"
DATE_LINE = "......., ngày ..... tháng ..... năm ......."
SIGN_SPACE_PT, SPACER_PT = 60.0, 9.0  # room to sign; the empty row after each form


def unit_sheet(wb, fm: dict, campaign: Campaign, outcome: UnitOutcome, name: str) -> dict[str, FormBlock]:
    """One unit's sheet; returns {form id: its block} for the index sheet."""
    ws = wb.add_worksheet(name)
    for col, width in WIDTHS.items():
        ws.set_column(col, col, width, None, {"hidden": col == C_ID})
    unit = outcome.unit
    heights = {HEADER_ROW: _header(ws, fm)}
    heights[0] = _across(ws, 0, TITLE, fm["title"], 13, bold=True)
    heights[1] = _across(ws, 1, f"Đơn vị: {unit.name} (mã {unit.code})", fm["unit"], 12, bold=True)
    file = outcome.file
    source = (f"Điểm tự chấm lấy từ tệp '{file.found.rel}', lưu lúc "
              f"{local_text(file.saved_at, campaign.timezone)}. {RULE_TEXT[campaign.review_rule]}")
    heights[2] = _across(ws, 2, source, fm["source"], NOTE_PT, italic=True)
    blocks = plan_review_sheet(list(campaign.scored_forms_for(unit)))
    for block in blocks:
        form = outcome.form(block.spec.id)
        heights.update(_form_block(ws, fm, campaign, block, form.result if form else None))
    last = blocks[-1].classification_row + 2 if blocks else FIRST_BLOCK_ROW
    heights.update(_signature(ws, fm, last))
    for row, points in heights.items():
        ws.set_row(row, points)
    ws.set_h_pagebreaks(breaks_for(heights, HEADER_ROW, body_height(TABLE_MARGINS), *_groups(blocks, last)))
    ws.protect(campaign.sheet_password, PROTECT_OPTIONS)
    print_setup(ws, margins=TABLE_MARGINS, repeat_row=HEADER_ROW, area=(0, C_STT, last + 4, C_FINAL),
                footer=page_footer(f"{unit.name} (mã {unit.code})"), gridlines=False)
    ws.set_start_page(1)
    ws.freeze_panes(HEADER_ROW + 1, 0)
    if blocks:
        first = blocks[0].criterion_rows()[0].row
        ws.set_selection(first, C_TEAM, first, C_TEAM)
    return {b.spec.id: b for b in blocks}


def page_footer(left: str) -> str:
    """A text on the left (the unit), 'Trang n' counted from the sheet's first page on the right."""
    font = f'&"{FONT}"&{SMALL_PT}'
    return f"&L{font} {left.replace('&', '&&')}&R{font} Trang &P"  # the space ends the size code


def _across(ws: Worksheet, row: int, text: str, fmt, size: float, bold: bool = False,
            italic: bool = False) -> float:
    """Text merged across the printed columns; the row height its wrapped lines need."""
    ws.merge_range(row, C_STT, row, C_FINAL, text, fmt)
    return height([(text, width_of(C_STT, C_FINAL))], size, bold, italic)


def _header(ws: Worksheet, fm: dict) -> float:
    """The one column header row, printed on every page; returns its height."""
    ws.write_string(HEADER_ROW, C_ID, MARK_HEADER)
    labels = {**HEADERS, C_TEXT: CONTENT_LABEL}
    for col, label in labels.items():
        ws.write_string(HEADER_ROW, col, label, fm["header"])
    return height([(label, width_of(col)) for col, label in labels.items()], HEADER_PT, bold=True)


def _form_block(ws: Worksheet, fm: dict, campaign: Campaign, block: FormBlock, result) -> dict[int, float]:
    """A form's title band, rows and totals; returns {row: height}."""
    spec = block.spec
    scores = result.scores if result else {}
    notes = result.notes if result else {}
    title = f"{spec.short_name}: " + " ".join(t.strip() for t in spec.titles(campaign.year))
    ws.merge_range(block.title_row, C_STT, block.title_row, C_FINAL, title, fm["band"])
    heights = {block.title_row: height([(title, width_of(C_STT, C_FINAL))], BODY_PT, bold=True)}
    for item in block.rows:
        ws.write_string(item.row, C_ID, row_id(spec.id, item.node.id))
        if isinstance(item.node, Section):
            heights[item.row] = _section_row(ws, fm, block, item, scores)
        else:
            heights[item.row] = _criterion_row(ws, fm, campaign, item, scores, notes.get(item.node.id, ""))
    heights.update(_totals(ws, fm, campaign, block, scores))
    return heights


def _section_row(ws: Worksheet, fm: dict, block: FormBlock, item: ReviewRow, scores: dict) -> float:
    node, row = item.node, item.row
    text = node.text.strip()
    ws.write_string(row, C_STT, node.stt, fm["section_center"])
    ws.write_string(row, C_TEXT, text, fm["section"])
    ws.write_number(row, C_MAX, float(node.max), fm["section_center"])
    refs = [block.row_of(c.id) for c in node.criteria()]
    self_value = section_total(node, scores)
    for col, cached in ((C_SELF, float(self_value)), (C_TEAM, ""), (C_FINAL, float(self_value))):
        ws.write_formula(row, col, _sum(refs, col), fm["section_center"], cached)
    ws.write_blank(row, C_NOTE, None, fm["section"])
    ws.write_blank(row, C_REASON, None, fm["section"])
    return height([(text, width_of(C_TEXT)), (node.stt, width_of(C_STT))], BODY_PT, bold=True)


def _criterion_row(ws: Worksheet, fm: dict, campaign: Campaign, item: ReviewRow, scores: dict,
                   note: str) -> float:
    node, row = item.node, item.row
    text = node.text.strip()
    ws.write_string(row, C_STT, node.stt, fm["center"])
    ws.write_string(row, C_TEXT, text, fm["text_indent"] if item.indent else fm["text"])
    ws.write_number(row, C_MAX, float(node.max), fm["center"])
    if node.id in scores:
        ws.write_number(row, C_SELF, float(scores[node.id]), fm["center"])
    else:
        ws.write_blank(row, C_SELF, None, fm["center"])
    ws.write_string(row, C_NOTE, note, fm["note"])
    ws.write_blank(row, C_TEAM, None, fm["team"])
    ws.data_validation(row, C_TEAM, row, C_TEAM, team_validation(node.max))
    ws.write_blank(row, C_REASON, None, fm["reason"])
    own = node.id in scores and campaign.review_rule == ReviewRule.SELF_IF_BLANK
    ws.write_formula(row, C_FINAL, final_formula(campaign.review_rule, row), fm["final"],
                     float(scores[node.id]) if own else "")
    return max(height([(text, indent_width(C_TEXT, item.indent)), (node.stt, width_of(C_STT))], BODY_PT),
               height([(note, width_of(C_NOTE))], NOTE_PT))


def _sum(rows: list[int], col: int) -> str:
    """Sum of a column over rows; the team's column stays blank until the team scores one of them
    (a 0 there would read as the team's score)."""
    refs = ",".join(runs(rows, col))
    total = f"ROUND(SUM({refs}),2)"
    return f'=IF(COUNT({refs})=0,"",{total})' if col == C_TEAM else f"={total}"


def _totals(ws: Worksheet, fm: dict, campaign: Campaign, block: FormBlock, scores: dict) -> dict[int, float]:
    """Total, count of rows the team scored, and live classification; returns {row: height}."""
    spec = block.spec
    rows = [r.row for r in block.criterion_rows()]
    self_total = round2(sum(scores.values(), Decimal(0)))
    final_cached = float(self_total) if campaign.review_rule == ReviewRule.SELF_IF_BLANK else 0.0
    ws.write_string(block.total_row, C_ID, mark(MARK_TOTAL, spec.id))
    ws.merge_range(block.total_row, C_STT, block.total_row, C_TEXT, spec.total_label, fm["total"])
    ws.write_number(block.total_row, C_MAX, float(spec.total), fm["total"])
    for col, cached in ((C_SELF, float(self_total)), (C_TEAM, ""), (C_FINAL, final_cached)):
        ws.write_formula(block.total_row, col, _sum(rows, col), fm["total"], cached)
    for col in (C_NOTE, C_REASON):
        ws.write_blank(block.total_row, col, None, fm["total"])
    count_label = f"Số tiêu chí Tổ KT đã chấm (trong tổng số {len(rows)} tiêu chí)"
    ws.write_string(block.count_row, C_ID, mark(MARK_COUNT, spec.id))
    ws.merge_range(block.count_row, C_STT, block.count_row, C_NOTE, count_label, fm["total"])
    ws.write_formula(block.count_row, C_TEAM, f"=COUNT({','.join(runs(rows, C_TEAM))})", fm["count"], 0)
    ws.merge_range(block.count_row, C_REASON, block.count_row, C_FINAL, "", fm["total"])
    class_label = f"{spec.classification_label} (theo điểm sau kiểm tra)"
    ws.write_string(block.classification_row, C_ID, mark(MARK_CLASS, spec.id))
    ws.merge_range(block.classification_row, C_STT, block.classification_row, C_TEAM, class_label,
                   fm["total"])
    ws.merge_range(block.classification_row, C_REASON, block.classification_row, C_FINAL, "", fm["class"])
    ws.write_formula(block.classification_row, C_REASON, _class_formula(block, rows), fm["class"],
                     cached_class(campaign, spec, scores))
    line = one_line(BODY_PT)
    return {block.total_row: line, block.count_row: line, block.classification_row: line,
            block.classification_row + 1: SPACER_PT}


def _class_formula(block: FormBlock, rows: list[int]) -> str:
    """The classification by the final total, or 'not fully scored' while a final score is missing."""
    bands, total_ref = block.spec.bands.items, cell_ref(block.total_row, C_FINAL)
    label = f'"{bands[-1].label}"'
    for band in reversed(bands[:-1]):
        label = f'IF({total_ref}>={format(band.min.normalize(), "f")},"{band.label}",{label})'
    return f'=IF(COUNT({",".join(runs(rows, C_FINAL))})<{len(rows)},"{INCOMPLETE}",{label})'


def _signature(ws: Worksheet, fm: dict, first: int) -> dict[int, float]:
    """Date line, the team's signer, room to sign, and the signer's name (the team types it)."""
    for offset, (text, key) in enumerate(((DATE_LINE, "date"), (SIGNER, "signer"), (SIGN_HINT, "date"))):
        ws.merge_range(first + offset, C_SELF, first + offset, C_FINAL, text, fm[key])
    ws.merge_range(first + 4, C_SELF, first + 4, C_FINAL, "", fm["signer_name"])
    return {first: one_line(BODY_PT), first + 1: one_line(BODY_PT), first + 2: one_line(BODY_PT),
            first + 3: SIGN_SPACE_PT, first + 4: one_line(BODY_PT)}


def _groups(blocks: tuple[FormBlock, ...], signature: int) -> tuple[list, list, list]:
    """Rows not to split across pages (first, last): the last form's totals with the signature;
    then, where that costs no page, each form's title band with its first rows; then each section
    heading with the row under it."""
    must = [(blocks[-1].total_row, signature + 4)] if blocks else []
    bands = [(b.title_row, b.rows[min(2, len(b.rows) - 1)].row) for b in blocks]
    headings = [(r.row, r.row + 1) for b in blocks for r in b.rows if isinstance(r.node, Section)]
    return must, bands, headings
