"""Speed and memory of generate and collect at scale (prints a table; no assertions).

Run from the project root (after the README's setup):

    .venv/bin/python benchmarks/run.py                 # N = 100 and 1,000
    .venv/bin/python benchmarks/run.py --n 10000       # the whole country, opt-in
    .venv/bin/python benchmarks/run.py --profile       # also where collect's time goes

For each N: a synthetic roster of N units (half communes, half agencies) is generated, every
workbook is filled with varied valid scores without LibreOffice (``demo.fill.fast_fill``), and
``generate`` and ``collect`` are timed end to end, each in a fresh process so its peak memory
is its own (peak resident memory of the main process, and of its largest worker process). A
baseline collector written the obvious way (openpyxl ``load_workbook`` of each file, read the
score cells, pandas concat) runs on a sample of the same files; the table gives the ratio. The
floor is the time just to open each zip and parse the XML parts the collector needs. The last
line gives how much the main process's memory grows per unit between the two largest N.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "phong_tho_2023" / "campaign.yaml"
sys.path.insert(0, str(ROOT))

PHASE = r"""
import json, resource, sys, time
from pathlib import Path
phase, campaign, a, b = sys.argv[1:5]
start = time.perf_counter()
if phase == "generate":
    from workbook_tools.generate.run import generate_campaign
    count = len(generate_campaign(campaign, a).files)
else:
    from workbook_tools.collect.pipeline import collect_campaign
    count = len(collect_campaign(campaign, a, b).collection.files)
elapsed = time.perf_counter() - start
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so it would show the parent's size.
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": elapsed, "files": count, "peak_mb": hwm / 1024, "worker_mb": workers / 1024}))
"""


def run_phase(*args: str) -> dict:
    """Run one phase in a fresh Python process; its JSON line."""
    done = subprocess.run([sys.executable, "-c", PHASE, *args], capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _mb(phase: dict) -> str:
    return f"{phase['peak_mb']:.0f}/{phase['worker_mb']:.0f}"


def fill_inbox(campaign_path: Path, issued: Path, inbox: Path) -> float:
    """Fill every generated workbook with varied valid scores; returns seconds."""
    from workbook_tools.parallel import ordered_map
    from workbook_tools.spec.campaign import load_campaign

    campaign = load_campaign(campaign_path)
    inbox.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    jobs = sorted(issued.glob("*.xlsx"))
    list(ordered_map(_fill_one, (campaign, inbox), jobs))
    return time.perf_counter() - start


def _fill_one(context, path: Path) -> None:
    from workbook_tools.demo.fill import fast_fill, sample_figures, sample_scores

    campaign, inbox = context
    rng = random.Random(path.name)
    saved = dt.datetime(2023, 11, 1, 8, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=rng.randint(0, 9000))
    data = fast_fill(campaign, path.read_bytes(), sample_scores(campaign, rng, rng.uniform(0.5, 0.97)),
                     sample_figures(campaign, rng), saved)
    (inbox / path.name).write_bytes(data)


def baseline(campaign_path: Path, files: list[Path]) -> float:
    """The obvious collector: openpyxl load_workbook per file, read the score cells, pandas concat.

    Returns milliseconds per file.
    """
    import openpyxl
    import pandas as pd

    from workbook_tools.form.layout import plan_criteria
    from workbook_tools.spec.campaign import load_campaign
    from workbook_tools.spec.criteria import CriteriaSpec

    campaign = load_campaign(campaign_path)
    cells = {f.sheet_name: {c.id: plan_criteria(f, campaign.year).score_cell(c.id) for c in f.criteria()}
             for f in campaign.forms if isinstance(f, CriteriaSpec)}
    start = time.perf_counter()
    frames = []
    for path in files:
        book = openpyxl.load_workbook(path, data_only=True)
        rows = [{"file": path.name, "sheet": sheet, "criterion": cid, "score": book[sheet][ref].value}
                for sheet, refs in cells.items() for cid, ref in refs.items()]
        frames.append(pd.DataFrame(rows))
    pd.concat(frames)
    return (time.perf_counter() - start) / len(files) * 1000


def floor(files: list[Path]) -> float:
    """Open each zip and parse the XML parts the collector reads (no checks): ms per file."""
    import zipfile
    from xml.parsers import expat

    start = time.perf_counter()
    for path in files:
        with zipfile.ZipFile(path) as archive:
            names = ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
                     "docProps/custom.xml", "docProps/core.xml",
                     "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml", "xl/worksheets/sheet4.xml",
                     "xl/worksheets/sheet5.xml"]
            for name in names:
                expat.ParserCreate().Parse(archive.read(name), True)
    return (time.perf_counter() - start) / len(files) * 1000


def profile(campaign_path: Path, files: list[Path]) -> None:
    """Where the collector's time goes, per file (one process)."""
    import cProfile
    import pstats

    from workbook_tools.form.signing import campaign_key
    from workbook_tools.read.check import check_file
    from workbook_tools.spec.campaign import load_campaign

    campaign = load_campaign(campaign_path)
    key, _ = campaign_key(Path(campaign.secret_key_file))
    data = [p.read_bytes() for p in files]
    profiler = cProfile.Profile()
    profiler.enable()
    for path, content in zip(files, data):
        check_file(campaign, path, path.name, content, key)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--baseline-sample", type=int, default=100)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    from workbook_tools.demo.fill import write_synthetic_campaign
    from workbook_tools.parallel import workers_for

    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    print("MB: peak resident memory of the main process / of the largest worker process.")
    print(f"{'N':>6} {'gen ms/wb':>10} {'gen MB':>9} {'fill s':>7} {'collect ms/wb':>14} {'collect MB':>11} "
          f"{'floor ms':>9} {'baseline ms':>12} {'ratio':>6} {'workers':>8}")
    main_mb: dict[int, float] = {}
    for n in args.n:
        with tempfile.TemporaryDirectory(prefix="wt-bench-") as tmp:
            folder = Path(tmp)
            campaign = write_synthetic_campaign(folder / "dot", n, SAMPLE)
            issued, inbox, out = folder / "issued", folder / "inbox", folder / "out"
            gen = run_phase("generate", str(campaign), str(issued), "")
            fill_seconds = fill_inbox(campaign, issued, inbox)
            col = run_phase("collect", str(campaign), str(inbox), str(out))
            files = sorted(inbox.glob("*.xlsx"))
            sample = random.Random(1).sample(files, min(len(files), args.baseline_sample))
            base = baseline(campaign, sample)
            ours = col["seconds"] / n * 1000
            print(f"{n:>6} {gen['seconds'] / n * 1000:>10.1f} {_mb(gen):>9} {fill_seconds:>7.1f} "
                  f"{ours:>14.2f} {_mb(col):>11} {floor(sample):>9.2f} {base:>12.1f} "
                  f"{base / ours:>6.1f} {workers_for(n):>8}")
            main_mb[n] = col["peak_mb"]
            if args.profile:
                profile(campaign, sample)
    if len(main_mb) > 1:
        low, high = sorted(main_mb)[-2:]  # the two largest: fixed costs hide the slope at small N
        per_unit = (main_mb[high] - main_mb[low]) * 1024 / (high - low)
        print(f"collect, main process: {main_mb[low]:.0f} MB at N = {low:,}, {main_mb[high]:.0f} MB at "
              f"N = {high:,}: {per_unit:.1f} KB more per unit")


if __name__ == "__main__":
    main()
