"""Re-check a returned unit workbook against the campaign and its specs, trusting nothing in it.

Every value is read by the row ids embedded at generation and checked against the spec:
blanks, text, out-of-range scores, edited text or maxima, moved rows, replaced formulas,
protection removed, figures of the wrong type and broken consistency rules (``read.sheets``).
Totals and the classification are recomputed here, never taken from the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from workbook_tools.form.identity import INSTRUCTIONS_SHEET, META_SHEET
from workbook_tools.form.layout import COL_MAX, COL_TEXT, IND_COL_VALUE, plan_criteria
from workbook_tools.form.signing import campaign_key
from workbook_tools.problems import Problem, ProblemSink, Severity, make_problem
from workbook_tools.read.identify import IDENTITY_CODES, UNIT_IDENTITY, check_identity, read_identity
from workbook_tools.read.sheets import FormResult, check_criteria, check_figures, find_sheet
from workbook_tools.read.xlsx import Book, Limits, XlsxError, read_xlsx
from workbook_tools.spec.base import Form, FormKind
from workbook_tools.spec.campaign import Campaign, Unit, load_campaign


@dataclass(frozen=True, slots=True)
class Submission:
    """One returned file, checked."""

    path: Path | None  # None once collected (see ``collect.pipeline.compact_submission``)
    unit_code: str | None
    file_id: str | None
    identity: dict[str, str]
    forms: tuple[FormResult, ...]
    problems: tuple[Problem, ...]
    saved_at: dt.datetime | None = None  # last-saved time written by the saving application

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return not any(p.severity == Severity.ERROR for p in self.problems)


def check_file(campaign: Campaign, path: Path, name: str | None = None,
               data: bytes | None = None, key: bytes | None = None) -> Submission:
    """Read and check one returned file (from its bytes when given); never raises for a bad file."""
    sink = ProblemSink(name or path.name)
    meta: dict[str, str] = {}
    try:
        book = read_xlsx(path if data is None else data, limits_for(campaign))
        meta, conflicts = read_identity(book, tuple(f.id for f in campaign.forms))
        unit = _unit(campaign, meta, conflicts, _file_name(name) if name else path.name, sink, key)
        forms = () if unit is None else tuple(_check_forms(campaign, unit, book, meta, sink))
        if unit is not None:
            _check_sheet_list(campaign, unit, book, meta, sink)
    except (XlsxError, OSError) as exc:
        sink.keep(IDENTITY_CODES)
        sink.add("WB_UNREADABLE", detail=getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc)
        return Submission(path, meta.get("unit_code"), meta.get("file_id"), meta, (), sink.problems())
    return Submission(path, unit.code if unit else meta.get("unit_code"), meta.get("file_id"),
                      meta, forms, sink.problems(), book.modified)


def limits_for(campaign: Campaign) -> Limits:
    """The bounds a returned workbook of this campaign must stay within (file size from the campaign)."""
    return Limits(max_file_bytes=campaign.max_file_bytes)


def check_files(campaign_path: Path | str,
                files: list[Path]) -> tuple[Campaign, list[Submission], list[Problem]]:
    """Load the campaign and check each file (the ``check`` command); also run-level notes."""
    campaign = load_campaign(campaign_path)
    key, notes = campaign_key(Path(campaign.secret_key_file))
    return campaign, [_check_path(campaign, Path(f), key) for f in files], notes


def _check_path(campaign: Campaign, path: Path, key: bytes | None) -> Submission:
    """A file given on the command line; a missing path or a folder says so."""
    if path.is_file():
        return check_file(campaign, path, key=key)
    detail = "là một thư mục, không phải tệp" if path.is_dir() else "không tồn tại"
    problem = make_problem("CHECK_NOT_A_FILE", file=str(path), path=str(path), detail=detail)
    return Submission(path, None, None, {}, (), (problem,))


def _unit(campaign: Campaign, meta: dict[str, str], conflicts: list, file_name: str,
          sink: ProblemSink, key: bytes | None) -> Unit | None:
    """The roster unit the identity names, when the identity holds."""
    if not check_identity(campaign, meta, conflicts, key, UNIT_IDENTITY, sink):
        return None
    unit = campaign.units_by_code.get(meta["unit_code"])
    if unit is None:
        sink.add("WB_UNKNOWN_UNIT", unit_code=meta["unit_code"])
        return None
    named = campaign.unit_code_named_in(file_name)
    if named and named != unit.code:
        sink.add("WB_FILENAME_OTHER_UNIT", named=named, unit_code=unit.code)
    return unit


def _file_name(location: str) -> str:
    """The file's own name from its place in the inbox ('a.zip::b/c.xlsx' -> 'c.xlsx')."""
    return location.rsplit("::", 1)[-1].rstrip("/").rsplit("/", 1)[-1]


def _check_forms(campaign: Campaign, unit: Unit, book: Book, meta: dict[str, str], sink: ProblemSink):
    listed = meta.get("forms", "").split(",")
    forms = campaign.forms_for(unit)
    names = frozenset(meta.get(f"form.{f.id}.sheet", f.sheet_name) for f in forms)
    for form in forms:
        if form.id not in listed:
            sink.add("WB_FORM_MISSING", form=form.id)
            continue
        found = meta.get(f"form.{form.id}.sha256", "")
        if found != form.content_hash:
            sink.add("WB_SPEC_CHANGED", form=form.id, found=found[:12], expected=form.content_hash[:12])
            continue
        expected = meta.get(f"form.{form.id}.sheet", form.sheet_name)
        sheet = find_sheet(book, expected, set(form.row_ids), _columns(campaign, form), sink, names - {expected})
        if sheet is None:
            sink.add("WB_SHEET_MISSING", form=form.id)
            yield FormResult(form.id, "")
        elif form.kind == FormKind.CRITERIA:
            yield check_criteria(campaign, form, sheet, sink)
        else:
            yield check_figures(campaign, form, sheet, sink)


def _check_sheet_list(campaign: Campaign, unit: Unit, book: Book, meta: dict[str, str],
                      sink: ProblemSink) -> None:
    """Sheets added or copied, and sheets put in another order, are reported (never read)."""
    forms = campaign.forms_for(unit)
    expected = ([INSTRUCTIONS_SHEET] + [meta.get(f"form.{f.id}.sheet", f.sheet_name) for f in forms]
                + [META_SHEET])
    extra = [name for name in book.order if name not in expected]
    for name in extra:
        sink.add("WB_SHEET_EXTRA", sheet_name=name)
    known = [name for name in book.order if name in expected]
    if known != [name for name in expected if name in known]:
        sink.add("WB_SHEETS_REORDERED", order=", ".join(known))


def _columns(campaign: Campaign, form: Form) -> frozenset[int]:
    """1-based columns the checks read: row ids, text, maximum, scores, evidence (or the value)."""
    if form.kind == FormKind.CRITERIA:
        layout = plan_criteria(form, campaign.year)
        return frozenset({1, COL_TEXT + 1, COL_MAX + 1, layout.evidence_col + 1}
                         | {c + 1 for c in layout.score_cols})
    return frozenset({1, IND_COL_VALUE + 1})
