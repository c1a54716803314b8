"""Where the data shipped with the package is: the official specs and the sample campaign.

They live at the top of the repository (``criteria_specs/``, ``samples/``) and are installed
inside the package as ``workbook_tools.criteria_specs`` and ``workbook_tools.samples``, so the
same calls find them in a checkout, an editable install and a wheel. Nothing is ever written
there: a campaign's key, register and outputs live in the campaign's own folder (the demo copies
the sample campaign into its output folder first).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def specs_dir() -> Path:
    """The folder of the shipped criteria specs and report outline."""
    return Path(str(resources.files("workbook_tools.criteria_specs")))


def samples_dir() -> Path:
    """The folder of the sample campaign and last year's sample results."""
    return Path(str(resources.files("workbook_tools.samples")))


def sample_campaign() -> Path:
    """The sample campaign file (Phong Thổ 2023)."""
    return samples_dir() / "phong_tho_2023" / "campaign.yaml"


def sample_previous() -> Path:
    """Last year's sample results (a collect output folder), for the comparison."""
    return samples_dir() / "phong_tho_2022" / "ket-qua"


def sample_report_texts() -> Path:
    """The texts the demo's units write into their report templates."""
    return samples_dir() / "phong_tho_2023" / "bao-cao-don-vi-mau.yaml"
