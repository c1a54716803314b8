"""``workbook-tools collect``: an inbox checked, ranked and written up (``collect.pipeline``).

Nothing here loads python-docx or xlsxwriter: the pipeline loads its writers once the inbox is
read (``benchmarks/startup.py`` times the start up to reading).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

from workbook_tools.cli.common import ProblemsError, with_progress
from workbook_tools.cli.group import CONTEXT
from workbook_tools.cli.text import summary_text
from workbook_tools.collect.pipeline import CollectResult, collect_campaign
from workbook_tools.problems import WorkbookToolsError


@click.command(context_settings=CONTEXT)
@click.argument("campaign", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--inbox", required=True, type=click.Path(path_type=Path),
              help="Thư mục chứa các tệp đơn vị gửi về (đọc cả thư mục con; không sửa gì trong đó). "
                   "Folder of returned files.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục ghi kết quả (mặc định: output/<mã đợt>/tong-hop/). Output folder.")
@click.option("--strict", is_flag=True,
              help="Trả mã lỗi 1 nếu có tệp nào còn lỗi. Exit 1 when any submission has an error.")
@click.option("--review", "review_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Phiếu chấm Tổ KT đã chấm (lệnh review tạo ra). The team's filled review workbook.")
@click.option("--previous", "previous_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục kết quả năm trước (của lệnh collect), để so sánh. Last year's results.")
def collect(campaign: Path, inbox: Path, out_dir: Path | None, strict: bool, review_file: Path | None,
            previous_dir: Path | None) -> None:
    """Tổng hợp mọi tệp trong thư mục nhận: kiểm tra, xếp hạng, ghi bảng tổng hợp và các tệp CSV.

    (Collect an inbox: check every file, rank, write tong-hop.xlsx and the CSVs.)
    """
    try:
        result = with_progress(lambda progress: collect_campaign(campaign, inbox, out_dir, progress,
                                                                 review_file, previous_dir))
    except WorkbookToolsError as exc:
        raise ProblemsError(exc) from exc
    print_collected(result)
    if strict and result.collection.has_errors:
        sys.exit(1)


def print_collected(result: CollectResult) -> None:
    """The summary of a finished collection and where its outputs are (also after ``demo``)."""
    for line in summary_text(result.collection):
        click.echo(line)
    click.echo(f"Kết quả: {result.out_dir}")
    click.echo(f"Bảng tổng hợp: {result.out_dir / 'tong-hop.xlsx'} (trang 'Lỗi cần xử lý' liệt kê mọi lỗi).")
    # the ranking tables are written by now: their module (python-docx) is loaded, and not before reading
    ranking_name = importlib.import_module("workbook_tools.outputs.ranking").ranking_name
    for spec in result.collection.campaign.scored_forms:
        click.echo(f"Bảng tổng hợp kết quả xếp loại {spec.short_name} để ký: {result.out_dir / ranking_name(spec)}")
