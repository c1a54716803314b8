"""Names of the files we write for a unit: readable, ASCII, safe on every file system.

Only letters, digits and '_' after the unit code (itself letters, digits, '-', '_'), so no name
holds a character Windows refuses or ends with a dot or a space, and no name is a reserved
device name (the code is followed by '_'). The name part is cut to ``MAX_SLUG`` characters so
paths stay well under Windows' 260 characters from a user's Documents folder.
"""

from __future__ import annotations

import re
import unicodedata

from workbook_tools.spec.campaign import Unit

MAX_SLUG = 60


def unit_file_name(unit: Unit, suffix: str = ".xlsx") -> str:
    """Readable ASCII file name: '03550_Xa_Si_Lo_Lau.xlsx'."""
    return f"{unit.code}_{ascii_slug(unit.name)[:MAX_SLUG].rstrip('_')}{suffix}"


def ascii_slug(text: str) -> str:
    """Text without diacritics, words joined by '_' (đ -> d)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")
