"""Time of writing a collection's outputs when every unit has many warnings (prints a table; no assertions).

Run from the project root (after the README's setup):

    .venv/bin/python benchmarks/outputs.py                 # N = 1,000 and 10,000
    .venv/bin/python benchmarks/outputs.py --n 100 1000    # smaller

For each N a synthetic roster of N units (half communes, half agencies) is generated and every
workbook is filled with valid scores but its figures sheet ("Số liệu") left blank, as units that skip
it do: every blank figure is a warning with its cell and fix, so each unit brings dozens of rows to
"Lỗi cần xử lý" and ``issues.csv``. The collection is read once (``collect``, no outputs), then
``write_outputs`` runs as the app runs it (one process), then as ``collect`` runs it (``apart``: the
summary workbook written by a second process from 500 units on), then under cProfile; the table gives
the whole writing time both ways, the time per unit and per warning, and the time of each writer
(cumulative, profiler on, so the parts are slower than the whole without it). Growing no faster than
the data means: the µs per warning and the ms per unit stay about the same from one N to the next.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import platform
import pstats
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "phong_tho_2023" / "campaign.yaml"
sys.path.insert(0, str(ROOT))

from workbook_tools.collect.pipeline import collect  # noqa: E402
from workbook_tools.demo.fill import fast_fill, sample_scores, write_synthetic_campaign  # noqa: E402
from workbook_tools.generate.run import generate_campaign  # noqa: E402
from workbook_tools.outputs.write import write_outputs  # noqa: E402
from workbook_tools.parallel import ordered_map  # noqa: E402
from workbook_tools.problems import Severity  # noqa: E402
from workbook_tools.spec.campaign import load_campaign  # noqa: E402

WRITERS = ("write_outputs", "write_summary", "write_issues", "write_detail", "write_figures",
           "write_overview", "write_files", "write_submissions", "write_previous", "write_charts",
           "write_reports_sheet", "write_ranking", "write_reminders", "write_unit_reports", "write_message",
           "write_csv_to", "write_inert_rows_to")


def _fill_one(context, path: Path) -> None:
    campaign, inbox = context
    rng = random.Random(path.name)
    saved = dt.datetime(2023, 11, 1, 8, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=rng.randint(0, 9000))
    data = fast_fill(campaign, path.read_bytes(), sample_scores(campaign, rng, rng.uniform(0.5, 0.97)), {}, saved)
    (inbox / path.name).write_bytes(data)


def one_n(n: int, folder: Path) -> dict:
    """Set up N units with blank figures, collect, write the outputs under the profiler."""
    campaign_path = write_synthetic_campaign(folder / "dot", n, SAMPLE)
    generated = generate_campaign(campaign_path, folder / "phat-hanh")
    campaign = load_campaign(campaign_path)
    inbox = folder / "hop-thu"
    inbox.mkdir()
    list(ordered_map(_fill_one, (campaign, inbox), [f.path for f in generated.files]))
    collection = collect(campaign, inbox)
    warnings = sum(r.problem.severity == Severity.WARNING for r in collection.issues)
    before_mb = _resident_mb()
    start = time.perf_counter()
    write_outputs(collection, folder / "tong-hop-2")
    plain = time.perf_counter() - start
    writing_mb = _peak_mb()
    start = time.perf_counter()
    write_outputs(collection, folder / "tong-hop-3", apart=True)
    apart = time.perf_counter() - start
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(write_outputs, collection, folder / "tong-hop")
    profiled = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    parts: dict[str, float] = {}
    for (file, _line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():
        if name in WRITERS and "workbook_tools" in file:
            parts[name] = parts.get(name, 0.0) + cumulative
    return {"n": n, "issues": len(collection.issues), "warnings": warnings, "seconds": plain,
            "apart": apart, "profiled": profiled, "parts": parts, "before_mb": before_mb,
            "writing_mb": writing_mb,
            "summary_mb": (folder / "tong-hop" / "tong-hop.xlsx").stat().st_size / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    print(f"Machine: {platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores, "
          f"Python {platform.python_version()}, {platform.platform()}")
    results = []
    for n in args.n:
        with tempfile.TemporaryDirectory(prefix="wt-outputs-") as tmp:
            results.append(one_n(n, Path(tmp)))
        r = results[-1]
        print(f"  N = {n}: {r['issues']} problems ({r['warnings']} warnings), outputs written in "
              f"{r['seconds']:.2f} s ({r['apart']:.2f} s with the summary apart)", flush=True)
    print()
    print(f"{'N':>7} {'problems':>9} {'write s':>8} {'apart s':>8} {'ms/unit':>8} {'µs/problem':>11} "
          f"{'tong-hop MB':>12}")
    for r in results:
        print(f"{r['n']:>7} {r['issues']:>9} {r['seconds']:>8.2f} {r['apart']:>8.2f} "
              f"{r['seconds'] / r['n'] * 1000:>8.2f} "
              f"{r['seconds'] / max(r['issues'], 1) * 1e6:>11.1f} {r['summary_mb']:>12.1f}")
    print("\nWhere the writing time goes (cumulative s under the profiler; µs per problem for the issues sheet):")
    names = [w for w in WRITERS if any(w in r["parts"] for r in results)]
    print(f"{'writer':<22}" + "".join(f"{'N=' + str(r['n']):>12}" for r in results))
    for name in names:
        print(f"{name:<22}" + "".join(f"{r['parts'].get(name, 0.0):>12.2f}" for r in results))
    for r in results:
        issues = r["parts"].get("write_issues", 0.0)
        print(f"N = {r['n']}: 'Lỗi cần xử lý' {issues / max(r['issues'], 1) * 1e6:.1f} µs per row (profiled)")
    for r in results:
        print(f"N = {r['n']}: resident memory {r['before_mb']:.0f} MB before writing (the collection held), "
              f"at most {r['writing_mb']:.0f} MB while writing (profiler off)")


def _status_mb(field: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) / 1024 for line in status if line.startswith(field + ":"))
    except (OSError, StopIteration):
        return None


def _resident_mb() -> float:
    """This process's resident memory now; on Linux the high-water mark is reset here, so that
    ``_peak_mb`` gives the peak of what follows (elsewhere: of the whole run)."""
    now = _status_mb("VmRSS")
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass
    return now if now is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak_mb() -> float:
    """This process's resident high-water mark (since ``_resident_mb`` on Linux)."""
    peak = _status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
