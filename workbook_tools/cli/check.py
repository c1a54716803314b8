"""``workbook-tools check``: returned files checked one by one, with a message for each unit."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from workbook_tools.cli.common import ProblemsError
from workbook_tools.cli.group import CONTEXT
from workbook_tools.cli.text import check_table, submission_json, summary_lines
from workbook_tools.outputs.messages import check_message
from workbook_tools.problems import WorkbookToolsError
from workbook_tools.read.check import check_files


@click.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--campaign", "campaign_path", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp campaign.yaml của đợt. The campaign file.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON. Print JSON.")
def check(files: tuple[Path, ...], campaign_path: Path, as_json: bool) -> None:
    """Kiểm tra từng tệp đơn vị gửi về: đơn vị nào, tổng điểm, mọi lỗi kèm ô và cách sửa.

    (Check returned files one by one; exit 1 if any file has errors.)
    """
    try:
        campaign, submissions, notes = check_files(campaign_path, list(files))
    except WorkbookToolsError as exc:
        raise ProblemsError(exc) from exc
    for note in notes:
        click.echo(note.render(), err=True)
    if as_json:
        payload = [submission_json(campaign, s) for s in submissions]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for submission in submissions:
            click.echo("\n".join(summary_lines(campaign, submission)))
            message = check_message(campaign, submission)
            if message:
                click.echo("Tin nhắn gửi đơn vị (chép để gửi qua Zalo, thư điện tử):")
                click.echo(message)
        click.echo("")
        for line in check_table(campaign, submissions):
            click.echo(line)
        for form in campaign.scored_forms:
            click.echo(f"Thang xếp loại {form.short_name}: {form.bands.describe()}.")
    if not all(s.ok for s in submissions):
        sys.exit(1)
