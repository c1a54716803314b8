"""``workbook-tools app``: the officer's local web app (``app.server``)."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.app import server
from workbook_tools.cli.common import ProblemsError
from workbook_tools.cli.group import CONTEXT
from workbook_tools.demo.run import sample_copy
from workbook_tools.problems import WorkbookToolsError


@click.command(context_settings=CONTEXT)
@click.argument("campaign", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--port", type=int, help="Cổng (mặc định: một cổng trống). Port on 127.0.0.1.")
@click.option("--no-browser", is_flag=True, help="Không tự mở trình duyệt. Do not open the browser.")
def app(campaign: Path | None, port: int | None, no_browser: bool) -> None:
    """Mở ứng dụng trên trình duyệt: nhận tệp, bảng theo dõi, tin nhắn cho đơn vị, tải kết quả.

    Không nêu CAMPAIGN thì mở bản sao đợt mẫu trong thư mục dot-mau/ của thư mục đang đứng.

    (Start the officer's local web app on 127.0.0.1; Ctrl-C stops it.)
    """
    # without a campaign, a copy of the sample in the working folder (never writing beside the package)
    chosen = campaign or sample_copy(Path("dot-mau"))
    try:
        server.serve(chosen, port, not no_browser,
                     lambda address: click.echo(f"{address}\nỨng dụng đang chạy cho đợt {chosen}. Mở địa chỉ trên "
                                                "bằng trình duyệt; nhấn Ctrl-C để dừng."))
    except WorkbookToolsError as exc:
        raise ProblemsError(exc) from exc
