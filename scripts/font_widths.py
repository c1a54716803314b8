"""Write workbook_tools/paper/font_widths.json: the advance widths of Liberation Serif (the metric
twin of Times New Roman) for every character our papers use, so that row heights are computed from
real widths on any machine, without the font file. Run after changing the character set:

    .venv/bin/python scripts/font_widths.py
"""

from __future__ import annotations

import json
from pathlib import Path

from fontTools.ttLib import TTFont

FONTS = Path("/usr/share/fonts/truetype/liberation2")
STYLES = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bold_italic": "BoldItalic"}
VIETNAMESE = "ĂăÂâĐđÊêÔôƠơƯưĨĩŨũ" + "".join(chr(c) for c in range(0x1EA0, 0x1EFA))
CHARACTERS = "".join(chr(c) for c in range(32, 127)) + "".join(chr(c) for c in range(0xA0, 0x180)) + VIETNAMESE \
    + "–—‘’“”…•→≤≥×·№"
OUT = Path(__file__).resolve().parents[1] / "workbook_tools" / "paper" / "font_widths.json"


def main() -> None:
    table: dict[str, object] = {"font": "Liberation Serif", "units_per_em": 0, "characters": CHARACTERS}
    for key, style in STYLES.items():
        font = TTFont(FONTS / f"LiberationSerif-{style}.ttf")
        cmap, hmtx = font.getBestCmap(), font["hmtx"]
        table["units_per_em"] = font["head"].unitsPerEm
        table[key] = [hmtx[cmap[ord(ch)]][0] if ord(ch) in cmap else 0 for ch in CHARACTERS]
    OUT.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
