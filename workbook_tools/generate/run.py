"""The generator: one locked workbook per roster unit, its report templates (one Word document per
report outline of its group), plus a manifest (of the workbooks).

``generate_campaign`` is the library entry point behind ``workbook-tools generate``.
Each workbook and report template is written to a temporary file and moved into place, so an
interrupted run never leaves a half-written file under its final name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from workbook_tools.fileio import write_bytes_atomic, write_csv
from workbook_tools.form.identity import FileIdentity
from workbook_tools.form.names import unit_file_name
from workbook_tools.form.signing import load_or_create_key
from workbook_tools.generate.report_template import (
    build_report_template,
    instantiate_report,
    report_file_name,
)
from workbook_tools.generate.template import build_template, instantiate, marker_unit
from workbook_tools.generate.workbook import build_to
from workbook_tools.parallel import ordered_map
from workbook_tools.problems import WorkbookToolsError, make_problem
from workbook_tools.spec.campaign import Campaign, Unit, load_campaign
from workbook_tools.spec.register import REGISTER_COLUMNS, register_path

MANIFEST_COLUMNS = ("unit_code", "unit_name", "group", "file", "sha256", "file_id", "forms")


@dataclass(frozen=True)
class GeneratedFile:
    """One workbook written for one unit."""

    unit: Unit
    path: Path
    sha256: str
    file_id: str


@dataclass(frozen=True)
class GeneratedReport:
    """One report template written for one unit and one outline."""

    unit: Unit
    outline_id: str
    path: Path
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
    register_file: Path
    register_created: bool  # the officer's register did not exist and was created empty
    reports: tuple[GeneratedReport, ...] = ()  # the report templates, by unit then outline


def default_out_dir(campaign: Campaign) -> Path:
    """output/<campaign id>/phat-hanh/"""
    return Path("output") / campaign.id / "phat-hanh"


def generate_campaign(campaign_path: Path | str, out_dir: Path | str | None = None,
                      units: tuple[str, ...] = (), progress=None, force: bool = False) -> GenerateResult:
    """Generate every unit's workbook (or only the given unit codes) and the manifest.

    A folder that already holds issued workbooks is refused (they may have been sent already),
    unless ``force``: the old manifest is then kept beside the new one, dated."""
    campaign = load_campaign(campaign_path)
    out = Path(out_dir) if out_dir else default_out_dir(campaign)
    try:
        _prepare(out, force)
        return _generate(campaign, out, units, progress)
    except OSError as exc:
        raise WorkbookToolsError([make_problem("CLI_OUTPUT_UNWRITABLE", path=str(out),
                                               detail=exc.strerror or str(exc))]) from exc


def _prepare(out: Path, force: bool) -> None:
    manifest = out / "manifest.csv"
    issued = manifest.exists() or (out.is_dir() and any(out.glob("*.xlsx")))
    if issued and not force:
        raise WorkbookToolsError([make_problem("GENERATE_FOLDER_ISSUED", path=str(out))])
    out.mkdir(parents=True, exist_ok=True)
    if manifest.exists():
        stamp = dt.datetime.fromtimestamp(manifest.stat().st_mtime).strftime("%Y%m%d-%H%M%S")
        manifest.replace(out / f"manifest-{stamp}.csv")


def _generate(campaign: Campaign, out: Path, units: tuple[str, ...], progress) -> GenerateResult:
    key_file = Path(campaign.secret_key_file)
    key, key_created = load_or_create_key(key_file)
    register = register_path(campaign)
    register_created = not register.exists()
    if register_created:
        write_csv(register, REGISTER_COLUMNS, [])
    chosen = [u for u in campaign.units if not units or u.code in units]
    now = dt.datetime.now(dt.timezone.utc).astimezone()
    jobs = [(unit, FileIdentity(file_id=str(uuid.uuid4()), generated_at=now),
             tuple(FileIdentity(file_id=str(uuid.uuid4()), generated_at=now)
                   for _outline in campaign.outlines_for(unit)))
            for unit in chosen]
    groups = sorted({u.group for u in chosen})
    templates = {g: build_template(campaign, g, FileIdentity("", now), build_to) for g in groups}
    report_templates = {(g, o.id): build_report_template(campaign, g, o, now)
                        for g in groups for o in campaign.outlines_for(marker_unit(g))}
    context = (campaign, key, out, templates, report_templates)
    written = list(ordered_map(_generate_job, context, jobs, progress))
    files = [workbook for workbook, _reports in written]
    manifest = out / "manifest.csv"
    write_csv(manifest, MANIFEST_COLUMNS, [_manifest_row(campaign, f) for f in files])
    return GenerateResult(campaign=campaign, out_dir=out, files=tuple(files), manifest=manifest,
                          key_file=key_file, key_created=key_created, register_file=register,
                          register_created=register_created,
                          reports=tuple(report for _workbook, reports in written for report in reports))


def _generate_job(context, job: tuple[Unit, FileIdentity, tuple[FileIdentity, ...]]
                  ) -> tuple[GeneratedFile, tuple[GeneratedReport, ...]]:
    """Write one unit's workbook atomically from its group's template, then its report templates from
    its group's (in a worker process)."""
    campaign, key, out, templates, report_templates = context
    unit, identity, report_identities = job
    path = out / unit_file_name(unit)
    data = instantiate(templates[unit.group], campaign, unit, identity, key)
    write_bytes_atomic(path, data)
    workbook = GeneratedFile(unit=unit, path=path, sha256=hashlib.sha256(data).hexdigest(),
                             file_id=identity.file_id)
    reports = []
    for outline, report_identity in zip(campaign.outlines_for(unit), report_identities):
        report_path = out / report_file_name(unit, outline)
        template = report_templates[unit.group, outline.id]
        write_bytes_atomic(report_path, instantiate_report(template, campaign, unit, outline, report_identity,
                                                           key))
        reports.append(GeneratedReport(unit=unit, outline_id=outline.id, path=report_path,
                                       file_id=report_identity.file_id))
    return workbook, tuple(reports)


def _manifest_row(campaign: Campaign, generated: GeneratedFile) -> dict[str, str]:
    forms = campaign.forms_for(generated.unit)
    return {
        "unit_code": generated.unit.code, "unit_name": generated.unit.name,
        "group": generated.unit.group, "file": generated.path.name, "sha256": generated.sha256,
        "file_id": generated.file_id,
        "forms": ";".join(f"{f.id}@{f.version}#{f.content_hash[:12]}" for f in forms),
    }
