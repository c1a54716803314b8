"""Identify a returned workbook from the data embedded at generation (never its file name).

Unit workbooks and the inspection team's review workbook carry the same kind of signed
identity; ``check_identity`` checks either, with the problem codes of its kind
(``UNIT_IDENTITY`` or ``REVIEW_IDENTITY``). A file that fails any of these checks is not used.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbook_tools.form.identity import FORMAT_NAME, META_SHEET, REVIEW_FORMAT, property_name
from workbook_tools.form.signing import SIGNATURE_KEY, verify
from workbook_tools.problems import ProblemSink
from workbook_tools.read.xlsx import Book
from workbook_tools.spec.campaign import Campaign

KEYS = ("format", "template_version", "campaign_id", "campaign_year", "unit_code", "unit_name",
        "unit_group", "file_id", "generated_at", "forms", "signature")
FORM_KEYS = ("version", "sha256", "sheet")
# The problems that mean a returned file is not a usable form of this campaign: it is rejected.
IDENTITY_CODES = frozenset({"WB_NOT_OURS", "WB_IDENTITY_MISMATCH", "WB_OTHER_CAMPAIGN", "WB_UNKNOWN_UNIT",
                            "WB_SIGNATURE_MISSING", "WB_SIGNATURE_BAD"})
REJECTING_CODES = IDENTITY_CODES | {"WB_UNREADABLE"}


@dataclass(frozen=True)
class IdentityRules:
    """What one kind of workbook must say about itself, and the codes of its failures."""

    format: str
    needs_unit: bool  # a unit workbook names its unit; a review workbook covers many
    not_ours: str
    signature_missing: str
    signature_bad: str


UNIT_IDENTITY = IdentityRules(FORMAT_NAME, True, "WB_NOT_OURS", "WB_SIGNATURE_MISSING", "WB_SIGNATURE_BAD")
REVIEW_IDENTITY = IdentityRules(REVIEW_FORMAT, False, "REVIEW_NOT_REVIEW", "REVIEW_SIGNATURE_BAD",
                                "REVIEW_SIGNATURE_BAD")


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


def check_identity(campaign: Campaign, meta: dict[str, str], conflicts: list[tuple[str, str, str]],
                   key: bytes | None, rules: IdentityRules, sink: ProblemSink) -> bool:
    """Whether the identity is ours, consistent, of this campaign and (with a key) signed.

    Each failure is recorded in the sink with the code ``rules`` gives for it.
    """
    if meta.get("format") != rules.format or (rules.needs_unit and not meta.get("unit_code")):
        sink.add(rules.not_ours)
        return False
    for name, found, other in conflicts:
        sink.add("WB_IDENTITY_MISMATCH", key=name, found=found, other=other)
    if conflicts:
        return False
    if meta.get("campaign_id") != campaign.id:
        sink.add("WB_OTHER_CAMPAIGN", found=meta.get("campaign_id", ""), expected=campaign.id)
        return False
    if key is not None and SIGNATURE_KEY not in meta:
        sink.add(rules.signature_missing)
        return False
    if key is not None and not verify(meta, key):
        sink.add(rules.signature_bad, unit_code=meta.get("unit_code", ""))
        return False
    return True


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
