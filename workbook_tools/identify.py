"""Identify a returned workbook from the data embedded at generation (never its file name)."""

from __future__ import annotations

from workbook_tools.embed import META_SHEET, property_name
from workbook_tools.xlsx_read import Book

KEYS = ("format", "template_version", "campaign_id", "campaign_year", "unit_code", "unit_name",
        "unit_group", "file_id", "generated_at", "forms", "signature")
FORM_KEYS = ("version", "sha256", "sheet")


def read_identity(book: Book, form_ids: tuple[str, ...]) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """The embedded key/values, and every (key, sheet value, property value) that disagrees.

    Both copies are read: the hidden sheet ``_wt`` and the custom document properties. Either
    alone is enough (a LibreOffice re-save keeps both; a copy-paste into a new file keeps none).
    """
    from_sheet = _sheet_meta(book)
    keys = KEYS + tuple(f"form.{f}.{k}" for f in form_ids for k in FORM_KEYS)
    meta, conflicts = dict(from_sheet), []
    for key in keys:
        prop = book.custom_properties.get(property_name(key))
        if prop is None:
            continue
        if key in from_sheet and prop != from_sheet[key]:
            conflicts.append((key, from_sheet[key], prop))
        meta.setdefault(key, prop)
    return meta, conflicts


def _sheet_meta(book: Book) -> dict[str, str]:
    sheet = book.sheet(META_SHEET, frozenset({1, 2}))
    if sheet is None:
        return {}
    meta = {}
    for (row, col), cell in sorted(sheet.cells.items()):
        if col == 1 and isinstance(cell.value, str):
            value = sheet.value(row, 2)
            meta[cell.value] = "" if value is None else str(value)
    return meta
