"""The district summary workbook ``tong-hop.xlsx`` (xlsxwriter), in Vietnamese, printable.

Sheets: Tổng hợp (one row per unit, counts per classification), one detail sheet per scored
form (criteria x units, district average/min/max), Số liệu (figures per unit, per group, whole
district), Biểu đồ (totals with the classification bands), Tình hình nộp (every unit), Tệp đã
nhận (every file found, with its verdict), Báo cáo đơn vị (which unit sent which narrative report,
its empty headings; when the campaign has outlines), Lỗi cần xử lý (every problem with where and how to fix
it). Values are written as computed numbers, not formulas, so every spreadsheet shows them without recalculating. Text that
came from a returned file is always written with ``write_string``: it can never become a formula.
"""

from __future__ import annotations

from pathlib import Path

from workbook_tools.outputs.summary.base import OPTIONS, make_formats
from workbook_tools.outputs.summary.charts import write_charts
from workbook_tools.outputs.summary.detail import write_detail
from workbook_tools.outputs.summary.figures import write_figures
from workbook_tools.outputs.summary.files import write_files, write_submissions
from workbook_tools.outputs.summary.issues import write_issues
from workbook_tools.outputs.summary.overview import write_overview
from workbook_tools.outputs.summary.previous import write_previous
from workbook_tools.outputs.summary.reports_sheet import write_reports_sheet
from workbook_tools.outputs.summary.review_sheet import write_review_sheet
from workbook_tools.paper.xlsx_compat import TextWorkbook
from workbook_tools.results.model import Collection


def write_summary(collection: Collection, path: Path) -> None:
    """Write the summary workbook to path."""
    wb = TextWorkbook(str(path), OPTIONS)
    fm = make_formats(wb)
    campaign = collection.campaign
    wb.set_properties({"title": f"Tổng hợp: {campaign.name}", "author": campaign.receiving_office,
                       "created": collection.run_at.replace(tzinfo=None)})
    scored = list(campaign.scored_forms)
    write_overview(wb.add_worksheet("Tổng hợp"), fm, collection, scored)
    for spec in scored:
        write_detail(wb.add_worksheet(f"Chi tiết {spec.short_name}"[:31]), fm, collection, spec)
    for spec in campaign.figure_forms:
        write_figures(wb.add_worksheet(spec.sheet_name[:31]), fm, collection, spec)
    if collection.review is not None:
        write_review_sheet(wb.add_worksheet("Kết quả kiểm tra"), fm, collection, scored)
    if collection.previous is not None:
        write_previous(wb.add_worksheet("So với năm trước"), fm, collection, scored)
    write_charts(wb, wb.add_worksheet("Biểu đồ"), fm, collection, scored)
    write_submissions(wb.add_worksheet("Tình hình nộp"), fm, collection)
    write_files(wb.add_worksheet("Tệp đã nhận"), fm, collection)
    if campaign.outlines:
        write_reports_sheet(wb.add_worksheet("Báo cáo đơn vị"), fm, collection)
    write_issues(wb.add_worksheet("Lỗi cần xử lý"), fm, collection)
    wb.close()
