"""The command line starts without what the command does not use (``cli.group``; timed by
``benchmarks/startup.py``): each command's module is imported only when it runs, and collect loads
its writers (python-docx, xlsxwriter) only once the inbox is read."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner
from xlsxwriter.utility import xl_rowcol_to_cell

from tests.conftest import ROOT, SAMPLE
from workbook_tools.cli import COMMANDS, main
from workbook_tools.problems import excel_cell

# The child: run the CLI; on the first open/listing of the watched path, or at exit, print the
# top-level modules loaded so far and end.
CHILD = r"""
import atexit, os, sys
watch = sys.argv[1]

def loaded(point):
    names = {name.partition(".")[0] for name in sys.modules}
    names |= {name for name in sys.modules if name.startswith(("workbook_tools.", "email."))}
    sys.__stderr__.write(f"\n@@{point} " + " ".join(sorted(names)) + "\n")

def hook(event, args):
    if watch and event in ("open", "os.scandir") and args and isinstance(args[0], str) \
            and os.path.abspath(args[0]).startswith(watch):
        loaded("reading")
        sys.__stderr__.flush()
        os._exit(0)

sys.addaudithook(hook)
atexit.register(loaded, "exit")
sys.argv = ["workbook-tools", *sys.argv[2:]]
from workbook_tools.cli import main
main()
"""
HEAVY = {"docx", "lxml", "openpyxl", "xlsxwriter", "jinja2", "starlette", "uvicorn", "numpy",
         "multiprocessing", "concurrent", "email.policy"}


def loaded_modules(*args: str, watch: str = "", cwd=ROOT) -> tuple[str, set[str]]:
    done = subprocess.run([sys.executable, "-c", CHILD, watch, *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8")
    point, _sep, names = done.stderr.rpartition("@@")[2].strip().partition(" ")
    assert point in ("reading", "exit"), done.stderr
    return point, set(names.split())


def test_the_top_level_help_imports_no_command():
    point, modules = loaded_modules("--help")
    assert point == "exit"
    ours = {m for m in modules if m.startswith("workbook_tools.")}
    assert ours <= {"workbook_tools.cli", "workbook_tools.cli.group"}, ours
    assert not modules & (HEAVY | {"yaml"})


def test_collect_reads_before_loading_its_writers(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    args = ("collect", SAMPLE, "--inbox", inbox, "--out", tmp_path / "out")
    point, modules = loaded_modules(*args, watch=str(inbox))
    assert point == "reading"
    assert not modules & HEAVY, modules & HEAVY
    assert "workbook_tools.outputs.write" not in modules and "workbook_tools.demo.run" not in modules
    point, modules = loaded_modules(*args)  # the whole run: the writers are loaded at the end
    assert point == "exit" and {"docx", "xlsxwriter", "workbook_tools.outputs.write"} <= modules
    assert (tmp_path / "out" / "tong-hop.xlsx").is_file()


def test_check_loads_no_writer(tmp_path):
    probe = tmp_path / "tep.xlsx"
    probe.write_bytes(b"PK\x03\x04 not a workbook")
    point, modules = loaded_modules("check", probe, "--campaign", SAMPLE)
    assert point == "exit"
    assert not modules & HEAVY, modules & HEAVY


def test_the_table_names_every_command_with_its_own_help():
    for name, (target, summary) in COMMANDS.items():
        command = main.commands[name]
        assert isinstance(command, click.Command) and command.name == name, target
        assert command.help.split("\n\n")[0].strip() == summary, name
    assert list(main.commands) == sorted(COMMANDS)


def test_an_unknown_command_still_gets_a_suggestion():
    result = CliRunner().invoke(main, ["colect"])
    assert result.exit_code == 2 and "Did you mean 'collect'?" in result.output


@pytest.mark.parametrize("row", [1, 2, 12, 1048576])
def test_excel_cell_is_xlsxwriters_reference(row):
    for col in [*range(1, 800), 16383, 16384]:
        assert excel_cell(row, col) == xl_rowcol_to_cell(row - 1, col - 1)
    assert excel_cell(0, 3) == excel_cell(3, 0) == ""
