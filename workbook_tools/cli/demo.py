"""``workbook-tools demo``: the whole round on the sample campaign, with a realistic inbox."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.cli.collect import print_collected
from workbook_tools.cli.common import ProblemsError, with_progress
from workbook_tools.cli.group import CONTEXT
from workbook_tools.demo.run import run_demo
from workbook_tools.problems import WorkbookToolsError


@click.command(context_settings=CONTEXT)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output") / "demo", show_default=True,
              help="Thư mục ghi biểu mẫu, hộp thư mẫu và kết quả. Output folder.")
def demo(out_dir: Path) -> None:
    """Chạy thử trọn quy trình trên đợt mẫu: tạo biểu mẫu, giả lập tệp đơn vị gửi về, tổng hợp.

    (Generate the sample campaign, fill a realistic inbox with typical faults, collect it.)
    """
    try:
        result = with_progress(lambda progress: run_demo(out_dir, progress=progress))
    except WorkbookToolsError as exc:
        raise ProblemsError(exc) from exc
    click.echo(f"Đã tạo {len(result.generated.files)} biểu mẫu: {result.generated.out_dir}")
    click.echo(f"Hộp thư mẫu (tệp các đơn vị gửi về): {result.inbox}")
    click.echo("Trong hộp thư mẫu có:")
    for line in result.story:
        click.echo(f"  - {line}")
    print_collected(result.collected)
    if result.report:
        click.echo(f"Dự thảo báo cáo của huyện (có so sánh với năm trước): {result.report}")
