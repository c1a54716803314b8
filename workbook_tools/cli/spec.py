"""``workbook-tools spec check``: a criteria spec file as a tree with its sums, or its errors."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workbook_tools.cli.group import CONTEXT
from workbook_tools.cli.text import describe_spec
from workbook_tools.spec.check import check_spec_files


@click.group(context_settings=CONTEXT)
def spec() -> None:
    """Kiểm tra các tệp tiêu chí (criteria spec files)."""


@spec.command("check", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def spec_check(files: tuple[Path, ...]) -> None:
    """In cây tiêu chí với tổng điểm từng mục, hoặc các lỗi của tệp.

    (Print each spec as a tree with its sums, or its errors; exit 1 if any file is invalid.)
    """
    results = check_spec_files(list(files))
    for result in results:
        click.echo(f"== {result.path}")
        for line in describe_spec(result.spec) if result.spec else ():
            click.echo(line)
        for problem in result.problems:
            click.echo(problem.render())
        click.echo("Hợp lệ." if result.ok else "KHÔNG hợp lệ: sửa các lỗi trên rồi chạy lại.")
    if not all(r.ok for r in results):
        sys.exit(1)
