"""``workbook-tools generate``: one locked workbook (and Word report templates) per roster unit."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.cli.common import ProblemsError, with_progress
from workbook_tools.cli.group import CONTEXT
from workbook_tools.generate.run import generate_campaign
from workbook_tools.problems import WorkbookToolsError


@click.command(context_settings=CONTEXT)
@click.argument("campaign", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục ghi tệp (mặc định: output/<mã đợt>/phat-hanh/). Output folder.")
@click.option("--unit", "units", multiple=True, metavar="MÃ",
              help="Chỉ tạo cho đơn vị có mã này (dùng nhiều lần được). Only this unit code.")
@click.option("--force", is_flag=True,
              help="Tạo lại vào thư mục đã có biểu mẫu phát hành (giữ danh sách tệp cũ). Overwrite issued files.")
def generate(campaign: Path, out_dir: Path | None, units: tuple[str, ...], force: bool) -> None:
    """Tạo biểu mẫu Excel đã khóa cho từng đơn vị trong danh sách.

    (Generate one locked workbook per roster unit, plus manifest.csv.)
    """
    try:
        result = with_progress(lambda progress: generate_campaign(campaign, out_dir, units, progress, force),
                               "Đang tạo biểu mẫu")
    except WorkbookToolsError as exc:
        raise ProblemsError(exc) from exc
    if units and not result.files:
        raise click.ClickException(f"Không có đơn vị nào có mã: {', '.join(units)}.")
    click.echo(f"Đã tạo {len(result.files)} biểu mẫu cho đợt '{result.campaign.name}'"
               + (f" và {len(result.reports)} mẫu báo cáo Word (.docx)." if result.reports else "."))
    click.echo(f"Thư mục: {result.out_dir}")
    click.echo(f"Danh sách tệp và mã SHA-256: {result.manifest}")
    if result.register_created:
        click.echo(f"Đã tạo sổ theo dõi {result.register_file}: ghi vào đây ngày nhận, gia hạn, tệp được chọn "
                   "của từng đơn vị khi cần (mở bằng Excel).")
    if result.key_created:
        click.echo(f"Đã tạo khóa bí mật {result.key_file}: giữ kín, không gửi cho đơn vị; cần tệp này "
                   "khi tổng hợp để phát hiện tệp bị sửa mã đơn vị.")
