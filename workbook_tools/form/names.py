"""Names of the files we write for a unit: readable, ASCII, safe on every file system."""

from __future__ import annotations

import re
import unicodedata

from workbook_tools.spec.campaign import Unit


def unit_file_name(unit: Unit) -> str:
    """Readable ASCII file name: '03550_Xa_Si_Lo_Lau.xlsx'."""
    return f"{unit.code}_{ascii_slug(unit.name)}.xlsx"


def ascii_slug(text: str) -> str:
    """Text without diacritics, words joined by '_' (đ -> d)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")
