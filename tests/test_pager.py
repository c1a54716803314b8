"""Page breaks: a heading never ends a page, a table's totals never start one, the signature stays
with the table. The model (``paper.pager``) on its own, the breaks written into the unit workbook,
and the pages LibreOffice prints from it, which must be the pages the model counts."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from tests.papers import pdf_pages
from workbook_tools.form.layout import plan_criteria, plan_indicators
from workbook_tools.generate.common import DEFAULT_ROW_PT
from workbook_tools.generate.sheet_criteria import page_groups as criteria_groups
from workbook_tools.generate.sheet_indicators import WIDTHS as INDICATOR_WIDTHS
from workbook_tools.generate.sheet_indicators import page_groups as indicator_groups
from workbook_tools.paper.cellfit import columns_pt
from workbook_tools.paper.page import MARGINS
from workbook_tools.paper.pager import (
    MeasuredWorkbook,
    body_height,
    breaks_for,
    fit_scale,
    keep_together,
    page_starts,
)
from workbook_tools.spec.base import FormKind

UNITS = ("03550", "CQ02")


def test_page_breaks_keep_a_group_together():
    heights = {0: 20, 1: 40} | {row: 100 for row in range(2, 20)}  # row 1: the header repeated on each page
    assert page_starts(heights, 1, [], 500) == [0, 6, 10, 14, 18]  # 4 rows under the header
    assert keep_together(heights, 1, [(5, 7)], 500) == [5]    # would be split before row 6
    assert keep_together(heights, 1, [(2, 4)], 500) == []     # on one page already
    assert keep_together(heights, 1, [(2, 12)], 500) == []    # taller than a page: left as it falls
    a4 = {0: 20, 1: 40} | {row: 100 for row in range(2, 14)}  # rows 2-7, then 8-13
    assert breaks_for(a4, 1, 754, [(6, 8)]) == [6]              # kept together, at the cost of a page
    assert breaks_for(a4, 1, 754, [], [(6, 8)]) == []           # only wished for: not worth a page


def test_fit_scale_is_a_whole_percent_never_over_full_size():
    room = 595.28 - (MARGINS["left"] + MARGINS["right"]) * 72
    assert fit_scale(room / 0.925, MARGINS) == 0.92   # LibreOffice printed our 0.925 at 92 %
    assert fit_scale(room / 2, MARGINS) == 1.0
    assert body_height(MARGINS, 0.5) > 2 * body_height(MARGINS, 1.0)


def test_measured_worksheet_remembers_row_heights():
    wb = MeasuredWorkbook(io.BytesIO(), {"in_memory": True})
    ws = wb.add_worksheet()
    ws.set_row(3, 42.5)
    ws.set_row(4, None, wb.add_format({"bold": True}))
    assert ws.heights == {3: 42.5}
    wb.close()


def _sheets(campaign, unit):
    """(sheet name, header row, column width in points, must groups, wished groups) per form."""
    for form in campaign.forms_for(unit):
        if form.kind == FormKind.CRITERIA:
            layout = plan_criteria(form, campaign.year)
            width = columns_pt(*layout.column_widths.values())
            yield form.sheet_name, layout.header_row, width, *criteria_groups(layout)
        else:
            layout = plan_indicators(form, campaign.year)
            yield form.sheet_name, layout.header_row, columns_pt(*INDICATOR_WIDTHS), *indicator_groups(layout)


def _written_pages(ws, header_row: int, width: float) -> list[int]:
    """First row of every page of a sheet as written: its stored heights and page breaks."""
    last = ws.max_row
    heights = {r - 1: ws.row_dimensions[r].height or DEFAULT_ROW_PT for r in range(1, last + 1)}
    breaks = [b.id for b in ws.row_breaks.brk]
    return page_starts(heights, header_row, breaks, body_height(MARGINS, fit_scale(width, MARGINS)))


@pytest.mark.parametrize("code", UNITS)
def test_no_group_split_in_the_written_workbook(campaign, generated, code):
    file = next(f for f in generated.files if f.unit.code == code)
    book = openpyxl.load_workbook(file.path)
    for name, header_row, width, must, wishes in _sheets(campaign, file.unit):
        ws = book[name]
        assert [b.id for b in ws.row_breaks.brk], f"{name}: page breaks written"
        starts = _written_pages(ws, header_row, width)
        split = [(a, b) for a, b in must if any(a < s <= b for s in starts)]
        assert not split, f"{name}: rows split across pages {split}"


def _words(text: str, count: int = 4) -> str:
    return " ".join(text.split()[:count])


def _flat(page: str) -> str:
    return re.sub(r"\s+", " ", page)


@pytest.mark.parametrize("code", UNITS)
def test_printed_pages_are_the_pages_counted(office, campaign, generated, code, tmp_path):
    """LibreOffice prints as many pages per sheet as the model counts; each signature stands on the
    page of the table's last row and its totals."""
    file = next(f for f in generated.files if f.unit.code == code)
    book = openpyxl.load_workbook(file.path)
    pages = [_flat(p) for p in pdf_pages(office, file.path, tmp_path)]
    counted, signed = 1, []  # the instructions: one page
    for name, header_row, width, _must, _wishes in _sheets(campaign, file.unit):
        counted += len(_written_pages(book[name], header_row, width))
    assert len(pages) == counted
    for form in campaign.forms_for(file.unit):
        if form.kind == FormKind.CRITERIA:
            layout = plan_criteria(form, campaign.year)
            lines = [_words(layout.criterion_rows()[-1].node.text), form.total_label, form.classification_label]
        else:
            layout = plan_indicators(form, campaign.year)
            lines = [_words(layout.field_rows()[-1].field.label)]
        signed.append(lines)
    signature_pages = [p for p in pages[1:] if "(Ký, ghi rõ họ" in p]
    assert len(signature_pages) == len(signed)
    for page, lines in zip(signature_pages, signed):
        for line in lines:
            assert _flat(line) in page, f"'{line}' not on the signature's page"
