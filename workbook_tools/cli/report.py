"""``workbook-tools report``: the district's draft report (.docx) from the collected results."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.cli.common import ProblemsError
from workbook_tools.cli.group import CONTEXT
from workbook_tools.problems import WorkbookToolsError
from workbook_tools.report.document import build_report


@click.command(context_settings=CONTEXT)
@click.argument("campaign", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--results", "results_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục kết quả của lệnh collect (units.csv, scores.csv, indicators.csv). Results folder.")
@click.option("--previous", "previous_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục kết quả năm trước, để so sánh. Last year's results folder.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp .docx (mặc định: output/<mã đợt>/bao-cao/bao-cao-<năm>.docx). Output file.")
def report(campaign: Path, results_dir: Path, previous_dir: Path | None, out_file: Path | None) -> None:
    """Soạn dự thảo báo cáo của huyện (.docx) từ kết quả tổng hợp, có so sánh với năm trước.

    (Draft the district's report as a Word document from the collected results.)
    """
    try:
        result = build_report(campaign, results_dir, previous_dir, out_file)
    except WorkbookToolsError as exc:
        raise ProblemsError(exc) from exc
    click.echo(f"Đã soạn dự thảo báo cáo: {result.path}")
    click.echo(f"{len(result.sentences)} đoạn số liệu lấy từ {results_dir}; các chỗ '[CẦN VIẾT: ...]' "
               "(tô vàng) là phần cán bộ cần viết.")
