"""What the commands share: library errors shown as their problems, a progress bar on stderr."""

from __future__ import annotations

import sys

import click

from workbook_tools.problems import WorkbookToolsError


class ProblemsError(click.ClickException):
    """A library error shown as its list of problems."""

    def __init__(self, error: WorkbookToolsError):
        super().__init__("\n".join(p.render() for p in error.problems))

    def show(self, file=None) -> None:  # noqa: D102 - click API
        click.echo(self.format_message(), err=True)


def with_progress(run, label: str = "Đang đọc tệp"):
    """Run with a progress bar on stderr, created once the number of files is known."""
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
        bar.update(1)

    try:
        return run(progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
