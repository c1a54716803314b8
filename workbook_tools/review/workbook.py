"""The inspection team's review workbook ("Phiếu chấm của Tổ kiểm tra, đánh giá").

One sheet per unit, holding every scored form of that unit one below the other, because the
team inspects one unit at a time and each sheet then prints as that unit's record (portrait A4,
see ``unit_sheet``); an index sheet lists every unit with live totals (``index_sheet``). On each
row: the unit's self-score and evidence note (locked), the team's score (unlocked, validated
0..maximum), the reason for a change (unlocked) and the final score (formula, following the
campaign's ``review_rule``, see ``rules``). Subtotals, totals, counts and the classification are
live formulas with correct cached values.

Like the unit workbooks it is protected, carries hidden row ids in column A and a signed
identity (hidden sheet ``_wt`` and document properties), so ``collect --review`` can read it
back as untrusted input.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from workbook_tools import TEMPLATE_VERSION
from workbook_tools.collect.pipeline import collect
from workbook_tools.fileio import atomic_path
from workbook_tools.form.identity import REVIEW_FORMAT
from workbook_tools.form.signing import SIGNATURE_KEY, load_or_create_key, sign
from workbook_tools.generate.common import write_identity
from workbook_tools.paper.styles import WORKBOOK_OPTIONS, make_styles
from workbook_tools.paper.xlsx_compat import TextWorkbook
from workbook_tools.results.model import Collection, UnitOutcome
from workbook_tools.review.formats import make_formats
from workbook_tools.review.index_sheet import INDEX_SHEET, index_sheet
from workbook_tools.review.unit_sheet import unit_sheet
from workbook_tools.spec.campaign import Campaign, Unit, load_campaign


def sheet_name_for(unit: Unit, used: set[str]) -> str:
    """A valid, unique sheet name: the unit code then its name, at most 31 characters."""
    base = re.sub(r"[\[\]:*?/\\']", "", f"{unit.code} {unit.name}")[:31].strip()
    name, index = base, 2
    while name.lower() in used:
        suffix = f" ({index})"
        name, index = base[:31 - len(suffix)] + suffix, index + 1
    used.add(name.lower())
    return name


@dataclass(frozen=True)
class ReviewResult:
    """What ``review`` wrote."""

    path: Path
    units: tuple[Unit, ...]
    skipped: tuple[Unit, ...]  # roster units with no counted file


def default_review_path(campaign: Campaign) -> Path:
    """output/<campaign id>/to-kiem-tra/phieu-cham-to-kiem-tra.xlsx"""
    return Path("output") / campaign.id / "to-kiem-tra" / "phieu-cham-to-kiem-tra.xlsx"


def build_review(campaign_path: Path | str, inbox: Path | str, out: Path | str | None = None,
                 progress=None) -> ReviewResult:
    """Collect the inbox and write the review workbook for every unit whose file counts."""
    campaign = load_campaign(campaign_path)
    collection = collect(campaign, Path(inbox), progress)
    path = Path(out) if out else default_review_path(campaign)
    key, _ = load_or_create_key(Path(campaign.secret_key_file))
    units = [u for u in collection.units if u.file is not None]
    with atomic_path(path) as tmp:
        write_review(collection, units, tmp, key)
    skipped = tuple(u.unit for u in collection.units if u.file is None)
    return ReviewResult(path, tuple(u.unit for u in units), skipped)


def write_review(collection: Collection, units: list[UnitOutcome], path: Path, key: bytes) -> None:
    """Write the review workbook for these units to path."""
    campaign = collection.campaign
    wb = TextWorkbook(str(path), WORKBOOK_OPTIONS)
    fm = make_formats(wb)
    index = wb.add_worksheet(INDEX_SHEET)
    used: set[str] = {INDEX_SHEET.lower(), "_wt"}
    names = {u.unit.code: sheet_name_for(u.unit, used) for u in units}
    blocks = {u.unit.code: unit_sheet(wb, fm, campaign, u, names[u.unit.code]) for u in units}
    index_sheet(index, fm, collection, units, names, blocks)
    meta = review_metadata(collection, units, names)
    meta[SIGNATURE_KEY] = sign(meta, key)
    wb.set_properties({"title": f"Phiếu chấm của Tổ kiểm tra - {campaign.name}",
                       "author": campaign.receiving_office, "company": campaign.issuer})
    write_identity(wb, make_styles(wb), meta, campaign.sheet_password)
    wb.close()


def review_metadata(collection: Collection, units: list[UnitOutcome], names: dict[str, str]) -> dict[str, str]:
    """Identity of a review workbook: campaign, forms, units, their sheets and source files."""
    campaign = collection.campaign
    forms = campaign.scored_forms
    meta = {
        "format": REVIEW_FORMAT, "template_version": TEMPLATE_VERSION, "campaign_id": campaign.id,
        "campaign_year": str(campaign.year), "file_id": str(uuid.uuid4()),
        "generated_at": collection.run_at.isoformat(timespec="seconds"),
        "review_rule": campaign.review_rule,
        "forms": ",".join(f.id for f in forms),
        "units": ",".join(u.unit.code for u in units),
    }
    for form in forms:
        meta[f"form.{form.id}.sha256"] = form.content_hash
    for outcome in units:
        meta[f"unit.{outcome.unit.code}.sheet"] = names[outcome.unit.code]
        meta[f"unit.{outcome.unit.code}.source_sha256"] = outcome.file.found.sha256
    return meta
