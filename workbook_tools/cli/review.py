"""``workbook-tools review``: the inspection team's locked review workbook."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.cli.common import ProblemsError, with_progress
from workbook_tools.cli.group import CONTEXT
from workbook_tools.problems import WorkbookToolsError
from workbook_tools.review.workbook import build_review


@click.command(context_settings=CONTEXT)
@click.argument("campaign", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--inbox", required=True, type=click.Path(path_type=Path),
              help="Thư mục chứa các tệp đơn vị gửi về. Folder of returned files.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp phiếu chấm (mặc định: output/<mã đợt>/to-kiem-tra/phieu-cham-to-kiem-tra.xlsx). "
                   "Output file.")
def review(campaign: Path, inbox: Path, out_file: Path | None) -> None:
    """Tạo phiếu chấm cho Tổ kiểm tra, đánh giá: mỗi đơn vị một trang, điểm tự chấm đã khóa.

    (Build the inspection team's locked review workbook from the collected submissions.)
    """
    try:
        result = with_progress(lambda progress: build_review(campaign, inbox, out_file, progress))
    except WorkbookToolsError as exc:
        raise ProblemsError(exc) from exc
    click.echo(f"Đã tạo phiếu chấm cho {len(result.units)} đơn vị: {result.path}")
    if result.skipped:
        names = ", ".join(f"{u.name} ({u.code})" for u in result.skipped)
        click.echo(f"Chưa có tệp nên không có trong phiếu: {names}.")
    click.echo("Tổ KT nhập điểm vào cột 'Tổ KT, đánh giá chấm' và lý do; sau đó chạy "
               "'workbook-tools collect ... --review <tệp phiếu chấm>'.")
