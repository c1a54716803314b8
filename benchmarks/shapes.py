"""Speed of collect on returned workbooks of every shape we can make here (prints tables; no assertions).

Run from the project root, after the README's setup plus ``pip install -e .[bench]`` (python-calamine),
LibreOffice (``soffice``) and Gnumeric (``ssconvert``, Debian package ``gnumeric``):

    .venv/bin/python benchmarks/shapes.py                          # N = 100 and 1,000, every shape
    .venv/bin/python benchmarks/shapes.py --n 10000                # the whole country, opt-in
    .venv/bin/python benchmarks/shapes.py --n 1000 --profile libreoffice --profile openpyxl
    .venv/bin/python benchmarks/shapes.py --shapes xlsxwriter openpyxl --n 100 --work /tmp/wt-shapes

For each N a synthetic roster of N units (half communes, half agencies) is generated (as in
``run.py``) and every unit's workbook is returned in four shapes, each with every score and figure
filled and valid (the same values in every shape, drawn from the file name as ``run.py`` does):

- ``xlsxwriter``: our own shape, filled by editing its XML (``demo.fill.fast_fill``);
- ``openpyxl``: the generated workbook loaded with openpyxl, scores and figures written, saved
  (``demo.fill.fill_workbook``; openpyxl writes every Vietnamese letter as ``&#NNNN;``);
- ``libreoffice``: the openpyxl-filled file really saved by LibreOffice: one ``soffice --headless
  --convert-to xlsx`` process per batch, given every file of the batch;
- ``gnumeric``: the openpyxl-filled file really saved by Gnumeric (``ssconvert``, one process per
  file, as many at a time as there are cores).

Real saves are slow (LibreOffice about 0.5 s a file here). So for each shape but ``xlsxwriter`` a
pool of the first ``--pool`` units (300) is saved for real and timed; when saving all N for real
would take more than ``--budget-minutes`` (20), the other units' files are made from the pool's
real files by rewriting ONLY identity strings inside their XML: the unit code, the unit name's
number, the file id (the target unit's issued one) and the signature (recomputed with the campaign
key by ``form.signing.sign`` and checked against the target's issued workbook). Scores and figures
stay the pool file's (300 different sets): LibreOffice and Gnumeric store each formula's result
(section sums, the total, the count, the classification), so a rewritten score would leave the file
disagreeing with itself, which no application writes (and the collector reports WB_CACHED_TOTAL).
Every other byte of every XML part is the real application's; the zip is written again with the
same entries in the same order. The table's ``made`` column says how many files of each shape are
real saves; each rewritten file's identity is read back and checked against its issued workbook.

Then, per shape, on the same files in the same run:

- ``collect`` end to end (``collect_campaign``, outputs written) in a fresh Python process, timed
  from before its imports, as ``run.py`` does: ms per workbook and peak resident memory of the main
  process / of the largest worker process; with every file accepted without a problem (``clean``);
- ``check``: ``read.check.check_file`` of each file's bytes in this one process (no workers, no
  outputs), on the baseline sample: the part of collect that depends on the shape;
- the python-calamine floor: ``CalamineWorkbook.from_path`` and ``to_python()`` of every sheet of
  every file (all N files, one process, nothing checked);
- the obvious openpyxl collector (``run.baseline``: ``load_workbook`` of each file, read the score
  cells, pandas concat) on a sample of ``--baseline-sample`` files (200), scaled per workbook.

Ratios compare collect end to end (its workers use every core) with the floor and the baseline
measured in one process. A line per N says whether the issue's targets hold. ``--profile SHAPE``
(repeatable) prints where the checking time goes for that shape at the largest N: cProfile of
``check_file`` on the bytes of 300 of its files in one process, top 25 by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import cProfile
import datetime as dt
import io
import json
import os
import platform
import pstats
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import SAMPLE, baseline  # noqa: E402  (benchmarks/run.py)

from workbook_tools.demo.fill import (  # noqa: E402
    fast_fill,
    fill_workbook,
    sample_figures,
    sample_scores,
    write_synthetic_campaign,
)
from workbook_tools.form.signing import campaign_key, sign  # noqa: E402
from workbook_tools.generate.run import generate_campaign  # noqa: E402
from workbook_tools.parallel import ordered_map  # noqa: E402
from workbook_tools.read.check import check_file, limits_for  # noqa: E402
from workbook_tools.read.identify import read_identity  # noqa: E402
from workbook_tools.read.xlsx import read_xlsx  # noqa: E402
from workbook_tools.spec.campaign import Campaign, load_campaign  # noqa: E402

SHAPES = ("xlsxwriter", "openpyxl", "libreoffice", "gnumeric")
REPLACED = ("unit_code", "unit_name", "file_id", "signature")  # identity values a pool rewrite changes
LO_FILTER = "xlsx:Calc MS Excel 2007 XML"
LO_BATCH = 200  # files per soffice process
GNUMERIC_EXPORT = "Gnumeric_Excel:xlsx2"

PHASE = r"""
import json, resource, sys, time
campaign, inbox, out = sys.argv[1:4]
start = time.perf_counter()
from workbook_tools.collect.pipeline import collect_campaign
files = collect_campaign(campaign, inbox, out).collection.files
elapsed = time.perf_counter() - start
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
used = sum(1 for f in files if f.verdict == "used")
clean = sum(1 for f in files if f.verdict == "used" and f.submission and not f.submission.problems)
print(json.dumps({"seconds": elapsed, "files": len(files), "used": used, "clean": clean,
                  "peak_mb": hwm / 1024, "worker_mb": workers / 1024}))
"""


@dataclass(frozen=True)
class Setup:
    """One N: the campaign, its issued workbooks (roster order) and where each shape's inbox is."""

    n: int
    folder: Path
    campaign_path: Path
    campaign: Campaign
    key: bytes
    issued: tuple[Path, ...]

    def inbox(self, shape: str) -> Path:
        return self.folder / "inbox" / shape


@dataclass(frozen=True)
class Made:
    """How one shape's files were made: how many real saves, their seconds, and rewritten ones."""

    real: int
    real_seconds: float
    rewritten: int
    rewrite_seconds: float


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    shape: str
    n: int
    made: Made
    collect: dict
    check_ms: float
    calamine_ms: float
    openpyxl_ms: float

    @property
    def collect_ms(self) -> float:
        return self.collect["seconds"] / self.n * 1000


# ---------------------------------------------------------------------------------------------------
# The values every shape of one unit's return carries (from its file name, as run.py draws them)

def unit_values(campaign: Campaign, name: str) -> tuple[dict, dict, dt.datetime]:
    """Scores, figures and save time of the unit whose issued file is ``name``."""
    rng = random.Random(name)
    saved = dt.datetime(2023, 11, 1, 8, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=rng.randint(0, 9000))
    scores = sample_scores(campaign, rng, rng.uniform(0.5, 0.97))
    return scores, sample_figures(campaign, rng), saved


def _fast_one(context: tuple[Campaign, Path], path: Path) -> None:
    campaign, out = context
    scores, figures, saved = unit_values(campaign, path.name)
    (out / path.name).write_bytes(fast_fill(campaign, path.read_bytes(), scores, figures, saved))


def _openpyxl_one(context: tuple[Campaign, Path], path: Path) -> None:
    campaign, out = context
    scores, figures, saved = unit_values(campaign, path.name)
    fill_workbook(campaign, path, out / path.name, scores, figures, saved)


# ---------------------------------------------------------------------------------------------------
# Real saves

def save_xlsxwriter(setup: Setup, paths: list[Path]) -> None:
    list(ordered_map(_fast_one, (setup.campaign, setup.inbox("xlsxwriter")), paths))


def save_openpyxl(setup: Setup, paths: list[Path]) -> None:
    list(ordered_map(_openpyxl_one, (setup.campaign, setup.inbox("openpyxl")), paths))


def save_libreoffice(setup: Setup, paths: list[Path]) -> None:
    """soffice processes convert the openpyxl-filled files (a real load and save), LO_BATCH files each: one
    process given 800 files was seen to stop after a few hundred with exit code 0. Files a process left
    unsaved are given to a new one once more."""
    out = setup.inbox("libreoffice")
    for _ in range(2):
        paths = [p for p in paths if not (out / p.name).is_file()]
        for start in range(0, len(paths), LO_BATCH):
            _soffice_convert(setup, paths[start:start + LO_BATCH], out)
    if missing := [p.name for p in paths if not (out / p.name).is_file()]:
        raise SystemExit(f"LibreOffice did not save {len(missing)} files, e.g. {missing[0]}")


def _soffice_convert(setup: Setup, paths: list[Path], out: Path) -> None:
    sources = [setup.inbox("openpyxl") / p.name for p in paths]
    profile = (setup.folder / "lo-profile").resolve()
    command = [_tool("soffice"), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", LO_FILTER, "--outdir", str(out), *map(str, sources)]
    subprocess.run(command, capture_output=True, check=True, cwd=setup.folder)


def save_gnumeric(setup: Setup, paths: list[Path]) -> None:
    """ssconvert of each openpyxl-filled file, as many at a time as there are cores."""
    tool = _tool("ssconvert")

    def one(path: Path) -> None:
        subprocess.run([tool, f"--export-type={GNUMERIC_EXPORT}", str(setup.inbox("openpyxl") / path.name),
                        str(setup.inbox("gnumeric") / path.name)], capture_output=True, check=True)

    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(one, paths))


SAVERS = {"xlsxwriter": save_xlsxwriter, "openpyxl": save_openpyxl,
          "libreoffice": save_libreoffice, "gnumeric": save_gnumeric}


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install it or leave its shape out with --shapes")
    return found


def make_shape(setup: Setup, shape: str, pool_size: int, budget_s: float) -> Made:
    """Every unit's file in this shape: real saves, or a real pool and rewritten copies (see module doc)."""
    setup.inbox(shape).mkdir(parents=True, exist_ok=True)
    issued = list(setup.issued)
    first = issued if shape == "xlsxwriter" or len(issued) <= pool_size else issued[:pool_size]
    start = time.perf_counter()
    SAVERS[shape](setup, first)
    seconds = time.perf_counter() - start
    rest = issued[len(first):]
    if rest and seconds / len(first) * len(issued) <= budget_s:
        start = time.perf_counter()
        SAVERS[shape](setup, rest)
        return Made(len(issued), seconds + time.perf_counter() - start, 0, 0.0)
    start = time.perf_counter()
    if rest:
        list(ordered_map(_rewrite_one, (setup, shape, tuple(first)), list(enumerate(rest, len(first)))))
    return Made(len(first), seconds, len(rest), time.perf_counter() - start)


# ---------------------------------------------------------------------------------------------------
# Rewriting a pool file into another unit's return (identity and value strings only)

def _rewrite_one(context: tuple[Setup, str, tuple[Path, ...]], job: tuple[int, Path]) -> None:
    setup, shape, pool = context
    index, target = job
    source = setup.inbox(shape) / pool[index % len(pool)].name  # len(pool) even: same group
    data = rewrite(setup, source.read_bytes(), source.name, target)
    (setup.inbox(shape) / target.name).write_bytes(data)


def identity_of(setup: Setup, data: bytes) -> dict[str, str]:
    """The embedded identity of a workbook, as the collector reads it."""
    book = read_xlsx(data, limits_for(setup.campaign))
    return read_identity(book, tuple(f.id for f in setup.campaign.forms))[0]


def rewrite(setup: Setup, data: bytes, source_name: str, target: Path) -> bytes:
    """The pool file ``data`` (real save of another unit of the same group) made into ``target``'s return."""
    old = identity_of(setup, data)
    new = identity_of(setup, target.read_bytes())
    if old["unit_group"] != new["unit_group"] or old["unit_name"][:-5] != new["unit_name"][:-5]:
        raise SystemExit(f"{source_name} cannot stand for {target.name}: another group or name pattern")
    meta = {**old, **{k: new[k] for k in ("unit_code", "unit_name", "file_id")}}
    meta["signature"] = sign(meta, setup.key)
    if meta["signature"] != new["signature"]:
        raise SystemExit(f"recomputed signature for {target.name} differs from its issued one")
    swaps = _identity_swaps(old, meta)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            part = zin.read(info.filename)
            for pattern, value in swaps:
                part = pattern.sub(value, part)
            zout.writestr(info, part)
    result = out.getvalue()
    _check_identity(setup, result, new, target.name)
    return result


def _identity_swaps(old: dict[str, str], new: dict[str, str]) -> list[tuple[re.Pattern, bytes]]:
    """Byte patterns for the old code, name number, file id and signature, and what replaces each."""
    number_old, number_new = old["unit_name"][-5:], new["unit_name"][-5:]
    return [
        (re.compile(rb"(?<![A-Za-z0-9])" + re.escape(old["unit_code"].encode()) + rb"(?![0-9])"),
         new["unit_code"].encode()),
        (re.compile(rb"(?<=[mM] )" + number_old.encode() + rb"(?![0-9])"), number_new.encode()),
        (re.compile(re.escape(old["file_id"].encode())), new["file_id"].encode()),
        (re.compile(re.escape(old["signature"].encode())), new["signature"].encode()),
    ]


def _check_identity(setup: Setup, data: bytes, expected: dict[str, str], name: str) -> None:
    got = identity_of(setup, data)
    wrong = [k for k in REPLACED if got.get(k) != expected[k]]
    if wrong or got != {k: v for k, v in expected.items() if k in got}:
        raise SystemExit(f"rewritten {name}: identity differs from the issued one ({wrong or 'other keys'})")


# ---------------------------------------------------------------------------------------------------
# Measures

def run_collect(setup: Setup, shape: str) -> dict:
    """collect_campaign in a fresh process; its JSON line."""
    out = setup.folder / "out" / shape
    done = subprocess.run([sys.executable, "-c", PHASE, str(setup.campaign_path), str(setup.inbox(shape)),
                           str(out)], capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _burn(_: int) -> int:
    total = 0
    for i in range(2_000_000):
        total += i * i
    return total


def parallel_factor() -> float:
    """How much faster the machine's cores run a pure-Python task in as many processes than in one.

    Collect's workers can gain at most this much over ``check`` in one process: on a shared machine
    whose two cores are hyperthreads, or busy, it is well under 2."""
    cores = os.cpu_count() or 1
    start = time.perf_counter()
    for index in range(4 * cores):
        _burn(index)
    one = time.perf_counter() - start
    with concurrent.futures.ProcessPoolExecutor(cores) as pool:
        start = time.perf_counter()
        list(pool.map(_burn, range(4 * cores)))
    return one / (time.perf_counter() - start)


def calamine_floor(files: list[Path]) -> float:
    """Every value of every sheet with python-calamine, nothing checked: ms per file."""
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    return (time.perf_counter() - start) / len(files) * 1000


def check_in_process(setup: Setup, files: list[Path]) -> float:
    """check_file of each file's bytes (read included) in this process: ms per file."""
    check_file(setup.campaign, files[0], files[0].name, files[0].read_bytes(), setup.key)  # warm up
    start = time.perf_counter()
    for path in files:
        submission = check_file(setup.campaign, path, path.name, path.read_bytes(), setup.key)
        if submission.problems:
            raise SystemExit(f"{path}: {[p.code for p in submission.problems]}")
    return (time.perf_counter() - start) / len(files) * 1000


def measure(setup: Setup, shape: str, made: Made, sample_size: int) -> Row:
    files = sorted(setup.inbox(shape).glob("*.xlsx"))
    sample = random.Random(1).sample(files, min(len(files), sample_size))
    collect = run_collect(setup, shape)
    return Row(shape, setup.n, made, collect, check_in_process(setup, sample), calamine_floor(files),
               baseline(setup.campaign_path, sample))


def profile(setup: Setup, shape: str, count: int = 300) -> None:
    """Where check_file's time goes on this shape's files (one process, bytes read beforehand)."""
    files = sorted(setup.inbox(shape).glob("*.xlsx"))
    files = random.Random(2).sample(files, min(len(files), count))
    data = [(p, p.read_bytes()) for p in files]
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for path, content in data:
        check_file(setup.campaign, path, path.name, content, setup.key)
    profiler.disable()
    ms = (time.perf_counter() - start) / len(data) * 1000
    print(f"\n=== profile: check_file on {len(data)} {shape} files at N = {setup.n:,} "
          f"({ms:.2f} ms per file under the profiler) ===")
    for order in ("cumulative", "tottime"):
        print(f"--- top 25 by {order} ---")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats(order).print_stats(25)


# ---------------------------------------------------------------------------------------------------
# Report

HEADER = (f"{'shape':<12} {'N':>6} {'made':>13} {'save s/f':>8} {'clean':>11} {'collect ms/wb':>13} "
          f"{'check ms/wb':>11} {'calamine ms/wb':>14} {'openpyxl ms/wb':>14} {'collect/calamine':>16} "
          f"{'openpyxl/collect':>16} {'peak MB':>8}")


def format_row(row: Row) -> str:
    made = f"{row.made.real}" + (f"+{row.made.rewritten}rw" if row.made.rewritten else " real")
    save = row.made.real_seconds / row.made.real
    clean = f"{row.collect['clean']}/{row.n}"
    return (f"{row.shape:<12} {row.n:>6} {made:>13} {save:>8.3f} {clean:>11} {row.collect_ms:>13.2f} "
            f"{row.check_ms:>11.2f} {row.calamine_ms:>14.2f} {row.openpyxl_ms:>14.1f} "
            f"{row.collect_ms / row.calamine_ms:>16.2f} {row.openpyxl_ms / row.collect_ms:>16.1f} "
            f"{row.collect['peak_mb']:>4.0f}/{row.collect['worker_mb']:<3.0f}")


def targets(rows: list[Row]) -> str:
    """Whether the issue's targets hold at this N (LibreOffice-saved; every shape within 2x)."""
    n = rows[0].n
    parts = []
    lo = next((r for r in rows if r.shape == "libreoffice"), None)
    if lo is not None:
        scope = "" if n >= 1000 else " (the target is for N >= 1,000)"
        parts.append(f"collect <= 3 ms/wb on libreoffice: {lo.collect_ms:.2f} "
                     f"{_ok(lo.collect_ms <= 3)}{scope}")
        ratio = lo.collect_ms / lo.calamine_ms
        parts.append(f"<= 2x calamine: {ratio:.2f}x {_ok(ratio <= 2)}")
        speedup = lo.openpyxl_ms / lo.collect_ms
        parts.append(f">= 25x openpyxl: {speedup:.1f}x {_ok(speedup >= 25)}")
    slow, fast = max(rows, key=lambda r: r.collect_ms), min(rows, key=lambda r: r.collect_ms)
    spread = slow.collect_ms / fast.collect_ms
    parts.append(f"no shape slower than 2x another: {slow.shape} {slow.collect_ms:.2f} / {fast.shape} "
                 f"{fast.collect_ms:.2f} = {spread:.2f}x {_ok(spread <= 2)}")
    clean = all(r.collect["clean"] == r.n for r in rows)
    parts.append(f"every file accepted without a problem: {_ok(clean)}")
    return f"targets at N = {n:,}: " + "; ".join(parts)


def _ok(held: bool) -> str:
    return "MET" if held else "NOT MET"


def prepare(folder: Path, n: int) -> Setup:
    """Write a synthetic campaign of n units and generate its workbooks."""
    campaign_path = write_synthetic_campaign(folder / "dot", n, SAMPLE)
    generate_campaign(campaign_path, folder / "issued")
    campaign = load_campaign(campaign_path)
    key, _ = campaign_key(Path(campaign.secret_key_file))
    return Setup(n, folder, campaign_path, campaign, key, tuple(sorted((folder / "issued").glob("*.xlsx"))))


def run_n(folder: Path, n: int, args: argparse.Namespace) -> tuple[Setup, list[Row]]:
    setup = prepare(folder, n)
    made = {}
    for shape in SHAPES:  # openpyxl before libreoffice and gnumeric: they save its files
        if shape in args.shapes or (shape == "openpyxl" and {"libreoffice", "gnumeric"} & set(args.shapes)):
            made[shape] = make_shape(setup, shape, args.pool, args.budget_minutes * 60)
            print(f"  N = {n:,} {shape}: {made[shape].real} real saves in {made[shape].real_seconds:.0f} s"
                  + (f", {made[shape].rewritten} rewritten from them in {made[shape].rewrite_seconds:.0f} s"
                     if made[shape].rewritten else ""), flush=True)
    rows = []
    for shape in (s for s in SHAPES if s in args.shapes):
        rows.append(measure(setup, shape, made[shape], args.baseline_sample))
        print("  " + format_row(rows[-1]), flush=True)
    return setup, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--shapes", nargs="+", choices=SHAPES, default=list(SHAPES))
    parser.add_argument("--baseline-sample", type=int, default=200)
    parser.add_argument("--pool", type=int, default=300, help="real saves before deciding to rewrite (even)")
    parser.add_argument("--budget-minutes", type=float, default=20.0)
    parser.add_argument("--profile", action="append", choices=SHAPES, default=[])
    parser.add_argument("--work", type=Path, help="keep the files in this folder (default: a temporary one)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message="Workbook contains no default style")  # openpyxl on Gnumeric
    if args.pool % 2:
        parser.error("--pool must be even (units alternate between the two groups)")
    started = time.perf_counter()
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}", flush=True)
    print(f"Parallel factor: {parallel_factor():.2f} (a pure-Python task in {os.cpu_count()} processes vs one)",
          flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="wt-shapes-") as tmp:
        base = args.work or Path(tmp)
        for n in args.n:
            folder = base / f"n{n}"
            shutil.rmtree(folder, ignore_errors=True)
            setup, rows = run_n(folder, n, args)
            results.append(rows)
            if n == max(args.n):
                for shape in args.profile:
                    profile(setup, shape)
    print_tables(results)
    print(f"\nbenchmark wall time: {time.perf_counter() - started:.0f} s")


def print_tables(results: list[list[Row]]) -> None:
    print("\nmade: real saves (+ files rewritten from them); save s/f: seconds per real save (wall);")
    print("clean: files used without any problem; check: check_file in one process on the sample;")
    print("peak MB: collect's main process / largest worker; ratios: collect end to end vs 1-process floors.")
    print(HEADER)
    for rows in results:
        for row in rows:
            print(format_row(row))
    for rows in results:
        print(targets(rows))


if __name__ == "__main__":
    main()
