"""The package as a user installs it: a wheel carries the specs and the sample, and runs anywhere."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT

RUN_FROM_WHEEL = """
import sys
sys.path.insert(0, sys.argv[1])
import workbook_tools
assert workbook_tools.__file__.startswith(sys.argv[1]), workbook_tools.__file__
from workbook_tools.cli import main
main(["demo", "--out", sys.argv[2]])
"""


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def test_wheel_carries_its_data_and_runs_the_demo_from_any_folder(tmp_path):
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                            "-w", str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("workbook_tools-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("workbook_tools/criteria_specs/qcdc-hd22.yaml", "workbook_tools/criteria_specs/bao-cao-2023.yaml",
                   "workbook_tools/samples/phong_tho_2023/campaign.yaml",
                   "workbook_tools/samples/phong_tho_2023/roster.csv",
                   "workbook_tools/samples/phong_tho_2023/so-theo-doi.csv",
                   "workbook_tools/samples/phong_tho_2022/ket-qua/units.csv"):
        assert needed in names, needed
    assert not any(name.endswith(".key") for name in names)  # never a district's secret key
    target = tmp_path / "site"
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                                str(wheel)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    before = _tree(target)
    elsewhere = tmp_path / "C" / "Users" / "can-bo"
    elsewhere.mkdir(parents=True)
    demo = subprocess.run([sys.executable, "-c", RUN_FROM_WHEEL, str(target), str(elsewhere / "thu")],
                          cwd=elsewhere, capture_output=True, text=True)
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert "Đã nhận 34/35 đơn vị" in demo.stdout
    assert (elsewhere / "thu" / "dot-mau" / "khoa-bi-mat.key").is_file()  # the key lives with the demo's campaign
    assert (elsewhere / "thu" / "tong-hop" / "tong-hop.xlsx").is_file()
    assert _tree(target) == before  # nothing written inside the installed package
