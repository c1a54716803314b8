"""How long the command line takes to be ready, and what it imports (prints a table; no assertions).

Run from the project root (after the README's setup):

    .venv/bin/python benchmarks/startup.py               # 7 runs of each command, median
    .venv/bin/python benchmarks/startup.py --runs 15 --all

Each run is a fresh process started the way the ``workbook-tools`` script starts (``from
workbook_tools.cli import main; main()``). The time is from just before the process is started
until the command is ready:

- ``--help`` and the commands' ``--help``: until the help is printed and the process exits;
- ``check``: until it opens the file it was given (an empty file in a temporary folder);
- ``collect`` on an empty inbox (the sample campaign): until it starts reading the inbox (lists it);
  and, for comparison, the whole run (it then writes its outputs, which loads the writers).

The point is found with an audit hook (``sys.addaudithook``: the first ``open`` or ``os.scandir``
of the watched path), which writes the time and the modules loaded so far, then ends the process.

Two columns: "bytecode cached" is the package as ``pip install`` leaves it (each module compiled
once; here into a private cache folder, ``PYTHONPYCACHEPREFIX``, so nothing is written beside the
sources); "from source" is a checkout run with ``PYTHONDONTWRITEBYTECODE=1``, where every module
of the package is compiled again at each start. The target is for the first. The bare interpreter
(``python -c pass``) is timed the same way, so that figures taken on a busy machine can be read
against it. Under the table, for each command, the top-level modules the command loaded beyond
the interpreter's own start (``--all``: the standard library's too).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "phong_tho_2023" / "campaign.yaml"
TARGET_S = 0.25

# The child: note what is loaded at start, watch for the first touch of the watched path, run the CLI.
CHILD = r"""
import atexit, os, sys, time
report_file, watch = sys.argv[1], sys.argv[2]
before = set(sys.modules)

def report(point):
    at = time.monotonic()
    loaded = sorted({name.partition(".")[0] for name in set(sys.modules) - before})
    with open(report_file, "w", encoding="utf-8") as out:
        out.write(f"{at!r}\n{point}\n" + " ".join(loaded))

def hook(event, args):
    if event not in ("open", "os.scandir", "os.listdir") or not args or not watch:
        return
    try:
        path = os.path.abspath(os.fsdecode(args[0]))
    except TypeError:
        return
    if path == watch or path.startswith(watch + os.sep):
        report("reading")
        os._exit(0)

sys.addaudithook(hook)
atexit.register(report, "exit")
sys.argv = ["workbook-tools", *sys.argv[3:]]
from workbook_tools.cli import main
main()
"""


@dataclass(frozen=True)
class Case:
    """One command line, and the path whose first reading marks it ready ("" = when it exits)."""

    label: str
    args: tuple[str, ...]
    watch: str = ""
    timed: bool = True  # held to the target


@dataclass(frozen=True)
class Run:
    """One fresh process: seconds until ready, where it stopped, the top-level modules it loaded."""

    seconds: float
    point: str
    modules: tuple[str, ...]


def cases(work: Path) -> list[Case]:
    inbox, probe = work / "inbox", work / "check" / "tep.xlsx"
    inbox.mkdir()
    probe.parent.mkdir()
    probe.write_bytes(b"")
    collect = ("collect", str(SAMPLE), "--inbox", str(inbox), "--out", str(work / "out"))
    return [Case("workbook-tools --help", ("--help",)),
            Case("collect --help", ("collect", "--help")),
            Case("check --help", ("check", "--help")),
            Case("generate --help", ("generate", "--help")),
            Case("check (until it opens the file)", ("check", str(probe), "--campaign", str(SAMPLE)),
                 str(probe)),
            Case("collect, empty inbox (until it reads the inbox)", collect, str(inbox)),
            Case("collect, empty inbox (whole run, writes outputs)", collect, timed=False)]


def environments(work: Path) -> dict[str, dict[str, str]]:
    """The two ways the package's code is found: compiled once and cached, as ``pip install`` leaves
    it (a private cache folder, so nothing is written beside the sources), and compiled from source
    at every start, as in a checkout run with PYTHONDONTWRITEBYTECODE=1."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    return {"cached": {**base, "PYTHONPYCACHEPREFIX": str(work / "pycache")},
            "source": {**base, "PYTHONDONTWRITEBYTECODE": "1"}}


def run_once(case: Case, work: Path, env: dict[str, str]) -> Run:
    report = work / "report.txt"
    report.unlink(missing_ok=True)
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", CHILD, str(report), case.watch, *case.args],
                          cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if not report.exists():
        raise SystemExit(f"{case.label}: no report (exit {done.returncode})\n{done.stderr}")
    at, point, modules = (report.read_text(encoding="utf-8").split("\n") + [""])[:3]
    return Run(float(at) - start, point, tuple(modules.split()))


def timed(case: Case, work: Path, env: dict[str, str], runs: int) -> tuple[float, list[Run]]:
    """The median of ``runs`` fresh processes, after one not counted (it fills the bytecode cache)."""
    run_once(case, work, env)
    done = [run_once(case, work, env) for _ in range(runs)]
    wrong = {r.point for r in done} - {"reading" if case.watch else "exit"}
    if wrong:
        raise SystemExit(f"{case.label}: stopped at {', '.join(wrong)}, not where it was watched")
    return statistics.median(r.seconds for r in done), done


def bare_python(env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.monotonic()
        subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
        times.append(time.monotonic() - start)
    return statistics.median(times)


def third_party(modules: tuple[str, ...]) -> list[str]:
    return [m for m in modules if m not in sys.stdlib_module_names and not m.startswith("_")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per command (median)")
    parser.add_argument("--all", action="store_true", help="also list the standard library modules loaded")
    options = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; seconds from process start to ready, "
          f"median "
          f"of {options.runs} fresh processes; target {TARGET_S} s (bytecode cached)\n")
    loaded = {}
    with tempfile.TemporaryDirectory(prefix="wt-startup-") as folder:
        work = Path(folder)
        envs = environments(work)
        print(f"{'':52} {'bytecode cached':>16} {'from source':>12}")
        print(f"{'bare interpreter (python -c pass)':52} {bare_python(envs['cached'], options.runs):16.3f} "
              f"{bare_python(envs['source'], options.runs):12.3f}")
        for case in cases(work):
            cached, runs = timed(case, work, envs["cached"], options.runs)
            source, _runs = timed(case, work, envs["source"], options.runs)
            flag = "  over target" if case.timed and cached > TARGET_S else ""
            print(f"{case.label:52} {cached:16.3f} {source:12.3f}{flag}")
            loaded[case.label] = runs[-1].modules
    print("\nTop-level modules loaded beyond the interpreter's start:")
    for label, modules in loaded.items():
        others = third_party(modules)
        stdlib = [m for m in modules if m not in others]
        print(f"- {label}: {', '.join(others)}; standard library: {len(stdlib)}"
              + (f" ({', '.join(stdlib)})" if options.all else ""))


if __name__ == "__main__":
    main()
