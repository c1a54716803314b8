"""Write the problem catalogue into README.md, between its two markers (run after changing codes).

    .venv/bin/python scripts/readme_catalogue.py

``tests/test_zz_catalogue.py`` fails when the README's table and the catalogue differ.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbook_tools.problems import catalogue_table  # noqa: E402

START, END = "<!-- problem-catalogue:start -->", "<!-- problem-catalogue:end -->"
SEVERITY_TEXT = {"error": "lỗi", "warning": "cảnh báo"}


def catalogue_markdown() -> str:
    """The catalogue as a Markdown table: code, severity, message (placeholders in braces)."""
    lines = ["| Mã (code) | Mức (severity) | Nội dung (meaning) |", "|---|---|---|"]
    for code, severity, message in catalogue_table():
        text = re.sub(r"\s+", " ", message).replace("|", "\\|")
        lines.append(f"| `{code}` | {SEVERITY_TEXT[severity]} | {text} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Replace the block between the markers with the current catalogue."""
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(START) + len(START), text.index(END)
    readme.write_text(text[:start] + "\n" + catalogue_markdown() + text[end:], encoding="utf-8")


if __name__ == "__main__":
    main()
