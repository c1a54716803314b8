"""``workbook-tools new-campaign``: next year's campaign from last year's."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.cli.common import ProblemsError
from workbook_tools.cli.group import CONTEXT
from workbook_tools.generate.new_campaign import new_campaign
from workbook_tools.problems import WorkbookToolsError


@click.command("new-campaign", context_settings=CONTEXT)
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", required=True, type=int, help="Năm của đợt mới, ví dụ 2024. The new year.")
@click.option("--deadline", required=True, type=click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"]),
              help="Hạn nộp của đợt mới (2024-11-09 hoặc 09/11/2024). The new deadline.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục mới cho đợt (phải chưa có hoặc còn trống). The new campaign folder.")
def new_campaign_command(source: Path, year: int, deadline, out_dir: Path) -> None:
    """Tạo đợt đánh giá năm mới từ đợt năm trước: tệp đợt, danh sách đơn vị, sổ theo dõi, khóa mới.

    (Start next year's campaign from last year's, ready for generate.)
    """
    try:
        result = new_campaign(source, year, deadline.date(), out_dir)
    except WorkbookToolsError as exc:
        raise ProblemsError(exc) from exc
    click.echo(f"Đã tạo đợt '{result.campaign.name}' (mã {result.campaign.id}, hạn nộp trước ngày "
               f"{result.campaign.deadline:%d/%m/%Y}) trong {result.folder}:")
    for path in result.files:
        click.echo(f"  - {path.name}")
    click.echo("Kiểm tra lại danh sách đơn vị (roster.csv) và nội dung 'request' trong campaign.yaml, rồi chạy: "
               f"workbook-tools generate {result.folder / 'campaign.yaml'}")
