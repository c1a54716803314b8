"""The generator: one locked workbook per roster unit, plus a manifest.

``generate_campaign`` is the library entry point behind ``workbook-tools generate``.
Each workbook is written to a temporary file and moved into place, so an interrupted run never
leaves a half-written workbook under its final name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from workbook_tools.campaign import Campaign, Unit, load_campaign
from workbook_tools.embed import FileIdentity, build_metadata, property_name
from workbook_tools.fileio import write_csv
from workbook_tools.indicators import IndicatorSpec
from workbook_tools.layout import plan_criteria
from workbook_tools.parallel import ordered_map
from workbook_tools.sheet_criteria import write_criteria_sheet
from workbook_tools.sheet_indicators import write_indicator_sheet
from workbook_tools.sheet_instructions import write_instructions, write_meta_sheet
from workbook_tools.signing import SIGNATURE_KEY, load_or_create_key, sign
from workbook_tools.spec import CriteriaSpec
from workbook_tools.styles import WORKBOOK_OPTIONS, make_styles
from workbook_tools.template import build_template, instantiate, write_atomic_bytes

MANIFEST_COLUMNS = ("unit_code", "unit_name", "group", "file", "sha256", "file_id", "forms")


@dataclass(frozen=True)
class GeneratedFile:
    """One workbook written for one unit."""

    unit: Unit
    path: Path
    sha256: str
    file_id: str


@dataclass(frozen=True)
class GenerateResult:
    """What a generate run wrote."""

    campaign: Campaign
    out_dir: Path
    files: tuple[GeneratedFile, ...]
    manifest: Path
    key_file: Path
    key_created: bool


def default_out_dir(campaign: Campaign) -> Path:
    """output/<campaign id>/phat-hanh/"""
    return Path("output") / campaign.id / "phat-hanh"


def generate_campaign(campaign_path: Path | str, out_dir: Path | str | None = None,
                      units: tuple[str, ...] = (), progress=None) -> GenerateResult:
    """Generate every unit's workbook (or only the given unit codes) and the manifest."""
    campaign = load_campaign(campaign_path)
    out = Path(out_dir) if out_dir else default_out_dir(campaign)
    out.mkdir(parents=True, exist_ok=True)
    key_file = Path(campaign.secret_key_file)
    key, key_created = load_or_create_key(key_file)
    chosen = [u for u in campaign.units if not units or u.code in units]
    now = dt.datetime.now(dt.timezone.utc).astimezone()
    jobs = [(unit, FileIdentity(file_id=str(uuid.uuid4()), generated_at=now)) for unit in chosen]
    templates = {g: build_template(campaign, g, FileIdentity("", now), _build_to)
                 for g in sorted({u.group for u in chosen})}
    files = list(ordered_map(_generate_job, (campaign, key, out, templates), jobs, progress))
    manifest = out / "manifest.csv"
    write_csv(manifest, MANIFEST_COLUMNS, [_manifest_row(campaign, f) for f in files])
    return GenerateResult(campaign=campaign, out_dir=out, files=tuple(files), manifest=manifest,
                          key_file=key_file, key_created=key_created)


def _generate_job(context, job: tuple[Unit, FileIdentity]) -> GeneratedFile:
    """Write one unit's workbook atomically from its group's template (in a worker process)."""
    campaign, key, out, templates = context
    unit, identity = job
    path = out / unit_file_name(unit)
    data = instantiate(templates[unit.group], campaign, unit, identity, key)
    write_atomic_bytes(path, data)
    return GeneratedFile(unit=unit, path=path, sha256=hashlib.sha256(data).hexdigest(), file_id=identity.file_id)


def build_workbook(campaign: Campaign, unit: Unit, identity: FileIdentity, path: Path,
                   key: bytes) -> None:
    """Write one unit's workbook to path directly (the reference the templates are tested against)."""
    meta = build_metadata(campaign, unit, identity)
    _build_to(campaign, unit, identity, path, sign(meta, key))


def _build_to(campaign: Campaign, unit: Unit, identity: FileIdentity, target, signature: str) -> None:
    """Write one unit's workbook to a path or a binary buffer, with the given signature."""
    wb = xlsxwriter.Workbook(target if hasattr(target, "write") else str(target), WORKBOOK_OPTIONS)
    styles = make_styles(wb)
    forms = campaign.forms_for(unit)
    meta = build_metadata(campaign, unit, identity)
    meta[SIGNATURE_KEY] = signature
    layouts = {f.id: plan_criteria(f, campaign.year) for f in forms if isinstance(f, CriteriaSpec)}
    write_instructions(wb, styles, campaign, unit, layouts, identity.file_id)
    for form in forms:
        if isinstance(form, CriteriaSpec):
            write_criteria_sheet(wb, styles, campaign, unit, layouts[form.id])
        elif isinstance(form, IndicatorSpec):
            write_indicator_sheet(wb, styles, campaign, unit, form)
    write_meta_sheet(wb, styles, meta, campaign.sheet_password)
    _set_properties(wb, campaign, unit, meta, identity)
    wb.close()


def _set_properties(wb: xlsxwriter.Workbook, campaign: Campaign, unit: Unit,
                    meta: dict[str, str], identity: FileIdentity) -> None:
    wb.set_properties({
        "title": f"{campaign.name} - {unit.name}",
        "subject": campaign.name,
        "author": campaign.receiving_office,
        "company": campaign.issuer,
        "comments": f"Biểu mẫu cho {unit.name} ({unit.code}); mã tệp {identity.file_id}",
        "created": identity.generated_at.replace(tzinfo=None),
    })
    for key, value in meta.items():
        wb.set_custom_property(property_name(key), value, "text")


def unit_file_name(unit: Unit) -> str:
    """Readable ASCII file name: '03550_Xa_Si_Lo_Lau.xlsx'."""
    return f"{unit.code}_{ascii_slug(unit.name)}.xlsx"


def ascii_slug(text: str) -> str:
    """Text without diacritics, words joined by '_' (đ -> d)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _manifest_row(campaign: Campaign, generated: GeneratedFile) -> dict[str, str]:
    forms = campaign.forms_for(generated.unit)
    return {
        "unit_code": generated.unit.code, "unit_name": generated.unit.name,
        "group": generated.unit.group, "file": generated.path.name, "sha256": generated.sha256,
        "file_id": generated.file_id,
        "forms": ";".join(f"{f.id}@{f.version}#{f.content_hash[:12]}" for f in forms),
    }
