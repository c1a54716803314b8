"""A group of commands imported only when used: the command line starts without the library.

Each command lives in its own module (``cli.collect``, ``cli.generate``, ...) and is named in a
table as ``"module:attribute"`` with the first paragraph of its help. ``workbook-tools --help``
lists the commands from the table alone; a command's module, and the part of the library it
uses, is imported (``importlib.import_module``) only when that command runs or shows its help.
``benchmarks/startup.py`` measures what this saves.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from gettext import gettext as _

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class LazyCommands(MutableMapping):
    """``Group.commands`` whose commands are imported on first use: the names (all of them, for
    listing, completion and "Did you mean") are known without importing anything."""

    def __init__(self, targets: dict[str, str]):
        self.targets = dict(targets)  # name -> "module:attribute"
        self.loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded:
            module, _sep, attribute = self.targets[name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{self.targets[name]} is not a click command")
            self.loaded[name] = command
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self.targets.pop(name, None)
        self.loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted({*self.targets, *self.loaded}))

    def __len__(self) -> int:
        return len({*self.targets, *self.loaded})

    def __contains__(self, name: object) -> bool:
        return name in self.targets or name in self.loaded


class LazyGroup(click.Group):
    """A group of lazily imported commands: ``lazy`` maps each name to ("module:attribute", the
    first paragraph of the command's help, shown in the group's help without importing it)."""

    def __init__(self, *args, lazy: dict[str, tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands({name: target for name, (target, _summary) in lazy.items()})
        self.summaries = {name: summary for name, (_target, summary) in lazy.items()}

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As ``click.Group.format_commands``, with a command not imported yet described by its summary."""
        rows = [(name, self._listed(ctx, name)) for name in self.list_commands(ctx)]
        rows = [(name, command) for name, command in rows if command is not None and not command.hidden]
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _command in rows)
            with formatter.section(_("Commands")):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in rows])

    def _listed(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.summaries and name not in self.commands.loaded:
            return click.Command(name, help=self.summaries[name])
        return self.get_command(ctx, name)
