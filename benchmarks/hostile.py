"""Time and memory to reject each hostile file of the test corpus (prints a table).

Run from the project root:  .venv/bin/python benchmarks/hostile.py
Each file is checked in a fresh child process so its peak memory (max RSS) is its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from workbook_tools.spec.campaign import load_campaign
from workbook_tools.read.check import check_file
campaign = load_campaign(sys.argv[1])
data = Path(sys.argv[2]).read_bytes()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
sub = check_file(campaign, Path(sys.argv[2]), data=data)
elapsed = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"ms": elapsed * 1000, "rss_extra_mb": (after - before) / 1024,
                  "codes": [p.code for p in sub.problems], "reason": sub.problems[0].message if sub.problems else ""}))
"""


def main() -> None:
    from tests.conftest import SAMPLE
    from tests.test_hostile import BOMBS, XML_ATTACKS, filled, replace_part
    from workbook_tools.generate.run import generate_campaign
    from workbook_tools.spec.campaign import load_campaign

    with tempfile.TemporaryDirectory() as tmp:
        generated = generate_campaign(SAMPLE, Path(tmp) / "gen", units=("03550",))
        campaign = load_campaign(SAMPLE)
        good = filled(campaign, generated)
        corpus = {name: build(good) for name, build in BOMBS.items()}
        corpus |= {name: replace_part(good, part, content) for name, (part, content) in XML_ATTACKS.items()}
        corpus["valid.xlsx"] = good
        print(f"{'file':24} {'size KB':>8} {'ms':>8} {'extra RSS MB':>13}  verdict")
        for name, data in corpus.items():
            path = Path(tmp) / name
            path.write_bytes(data)
            result = json.loads(subprocess.run([sys.executable, "-c", CHILD, str(SAMPLE), str(path)],
                                               capture_output=True, text=True, check=True, cwd=ROOT).stdout)
            verdict = "rejected" if "WB_UNREADABLE" in result["codes"] else "read"
            print(f"{name:24} {len(data) / 1000:8.0f} {result['ms']:8.1f} {result['rss_extra_mb']:13.1f}  "
                  f"{verdict}: {result['reason'][:70]}")


if __name__ == "__main__":
    main()
