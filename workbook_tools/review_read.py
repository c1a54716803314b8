"""Read back the inspection team's review workbook, trusting nothing in it.

The same checks as for a unit's file: readable within limits, our format, this campaign, signed
identity, current spec content, sheets found (by name, else by row ids), protection, columns,
rows by their hidden ids (never by position), text and maxima unchanged, team scores blank or
a number within 0..maximum. A problem names the review file, the sheet and the cell.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from workbook_tools.campaign import Campaign
from workbook_tools.identify import read_identity
from workbook_tools.layout import cell_ref
from workbook_tools.problems import ERROR, Problem, make_problem, nfc
from workbook_tools.review_layout import (
    C_MAX,
    C_REASON,
    C_SELF,
    C_TEAM,
    C_TEXT,
    HEADERS,
    MARK_HEADER,
    REVIEW_FORMAT,
    mark,
    plan_review_sheet,
    row_id,
    scored_forms,
)
from workbook_tools.signing import SIGNATURE_KEY, verify
from workbook_tools.spec import CriteriaSpec, Section, format_points, walk
from workbook_tools.validate import _decimal, id_rows, parse_score
from workbook_tools.xlsx_read import Book, Sheet, XlsxError, read_xlsx


@dataclass(frozen=True)
class TeamForm:
    """The team's scores and reasons for one form of one unit."""

    form_id: str
    scores: dict[str, Decimal] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    errors: bool = False  # some row could not be read or holds an invalid score


@dataclass(frozen=True)
class Review:
    """What was read from a review workbook."""

    file: str
    sha256: str
    usable: bool  # identity and format accepted
    forms: dict[tuple[str, str], TeamForm]  # (unit code, form id) -> team form
    sources: dict[str, str]  # unit code -> sha256 of the unit file the review was built from
    problems: tuple[tuple[str, Problem], ...]  # (unit code or '', problem)

    def team(self, unit_code: str, form_id: str) -> TeamForm | None:
        """The team's form for a unit, or None when the review does not cover it."""
        return self.forms.get((unit_code, form_id))


class _Sink:
    def __init__(self, file: str):
        self.file, self.items = file, []

    def add(self, code: str, unit: str = "", sheet: str = "", row: int | None = None,
            col: int | None = None, **params: object) -> None:
        cell = cell_ref(row, col) if row is not None and col is not None else ""
        self.items.append((unit, make_problem(code, file=self.file, sheet=sheet, cell=cell, **params)))


def read_review(campaign: Campaign, path: Path, key: bytes | None) -> Review:
    """Read and check a review workbook; never raises for a bad file."""
    sink = _Sink(path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        sink.add("WB_UNREADABLE", detail=exc.strerror or exc)
        return Review(path.name, "", False, {}, {}, tuple(sink.items))
    digest = hashlib.sha256(data).hexdigest()
    try:
        book = read_xlsx(data, campaign.limits)
        meta, conflicts = read_identity(book, tuple(f.id for f in campaign.forms))
        if not _identity_ok(campaign, meta, conflicts, key, sink):
            return Review(path.name, digest, False, {}, {}, tuple(sink.items))
        forms, sources = _read_units(campaign, book, meta, sink)
    except XlsxError as exc:
        sink.items = []
        sink.add("WB_UNREADABLE", detail=exc.reason)
        return Review(path.name, digest, False, {}, {}, tuple(sink.items))
    return Review(path.name, digest, True, forms, sources, tuple(sink.items))


def _identity_ok(campaign: Campaign, meta: dict[str, str], conflicts: list, key: bytes | None,
                 sink: _Sink) -> bool:
    if meta.get("format") != REVIEW_FORMAT:
        sink.add("REVIEW_NOT_REVIEW")
        return False
    for name, found, other in conflicts:
        sink.add("WB_IDENTITY_MISMATCH", key=name, found=found, other=other)
    if conflicts:
        return False
    if meta.get("campaign_id") != campaign.id:
        sink.add("WB_OTHER_CAMPAIGN", found=meta.get("campaign_id", ""), expected=campaign.id)
        return False
    if key is not None and (SIGNATURE_KEY not in meta or not verify(meta, key)):
        sink.add("REVIEW_SIGNATURE_BAD")
        return False
    if meta.get("review_rule", campaign.review_rule) != campaign.review_rule:
        sink.add("REVIEW_RULE_CHANGED", found=meta.get("review_rule", ""), expected=campaign.review_rule)
    return True


def _read_units(campaign: Campaign, book: Book, meta: dict[str, str], sink: _Sink):
    forms: dict[tuple[str, str], TeamForm] = {}
    sources: dict[str, str] = {}
    roster = {u.code: u for u in campaign.units}
    current = {f.id for f in campaign.forms if isinstance(f, CriteriaSpec)
               and meta.get(f"form.{f.id}.sha256") == f.content_hash}
    for form in campaign.forms:
        if isinstance(form, CriteriaSpec) and form.id in meta.get("forms", "").split(",") and form.id not in current:
            sink.add("WB_SPEC_CHANGED", form=form.id, found=meta.get(f"form.{form.id}.sha256", "")[:12],
                     expected=form.content_hash[:12])
    for code in filter(None, meta.get("units", "").split(",")):
        unit = roster.get(code)
        if unit is None:
            sink.add("WB_UNKNOWN_UNIT", unit=code, unit_code=code)
            continue
        sources[code] = meta.get(f"unit.{code}.source_sha256", "")
        wanted = [f for f in scored_forms(campaign, unit) if f.id in current]
        sheet = _find_sheet(book, meta.get(f"unit.{code}.sheet", ""), wanted, code, sink)
        if sheet is None:
            continue
        if not sheet.protected:
            sink.add("WB_PROTECTION_REMOVED", unit=code, sheet=sheet.name)
        ids = id_rows(sheet)
        planned = {b.spec.id: b for b in plan_review_sheet(scored_forms(campaign, unit))}
        moved = 0
        for spec in wanted:
            team, shifted = _read_form(sheet, ids, spec, planned[spec.id], code, sink)
            forms[(code, spec.id)] = team
            moved += shifted
        if moved:
            sink.add("WB_ROWS_MOVED", unit=code, sheet=sheet.name, count=moved)
    return forms, sources


def _find_sheet(book: Book, name: str, forms: list[CriteriaSpec], code: str, sink: _Sink) -> Sheet | None:
    sheet = book.sheet(name) if name else None
    if sheet is not None:
        return sheet
    wanted = {row_id(f.id, c.id) for f in forms for c in f.criteria()}
    for candidate in book.order:
        other = book.sheet(candidate)
        present = {c.value for (r, col), c in other.cells.items() if col == 1}
        if wanted and len(wanted & present) >= len(wanted) // 2:
            sink.add("WB_SHEET_RENAMED", unit=code, sheet=other.name, expected=name, sheet_name=other.name)
            return other
    sink.add("REVIEW_SHEET_MISSING", unit=code, sheet_name=name, unit_code=code)
    return None


def _read_form(sheet: Sheet, ids: dict[str, list[int]], spec: CriteriaSpec, block, code: str,
               sink: _Sink) -> tuple[TeamForm, int]:
    header = (ids.get(mark(MARK_HEADER, spec.id)) or [None])[0]
    for col, label in {C_SELF: HEADERS[C_SELF], C_TEAM: HEADERS[C_TEAM], C_REASON: HEADERS[C_REASON],
                       C_MAX: HEADERS[C_MAX], C_TEXT: spec.content_label}.items():
        value = sheet.value(header, col + 1) if header else None
        if not isinstance(value, str) or nfc(value).strip() != label:
            sink.add("WB_COLUMNS_CHANGED", unit=code, sheet=sheet.name, row=(header or 1) - 1, col=col,
                     expected=label)
            return TeamForm(spec.id, errors=True), 0
    scores, reasons, errors, moved = {}, {}, False, 0
    planned = {r.node.id: r.row for r in block.rows}
    for node, _ in walk(spec.sections):
        found = ids.get(row_id(spec.id, node.id), [])
        if len(found) != 1:
            if not isinstance(node, Section):
                sink.add("WB_ROW_MISSING" if not found else "WB_ROW_DUPLICATED", unit=code, sheet=sheet.name,
                         stt=node.stt or "-", id=node.id)
                errors = True
            continue
        row = found[0]
        moved += row != planned[node.id] + 1
        if isinstance(node, Section):
            continue
        score, reason, bad = _read_row(sheet, row, node, code, sink)
        errors |= bad
        if score is not None:
            scores[node.id] = score
        if reason:
            reasons[node.id] = reason
    return TeamForm(spec.id, scores, reasons, errors), moved


def _read_row(sheet: Sheet, row: int, node, code: str, sink: _Sink) -> tuple[Decimal | None, str, bool]:
    stt = node.stt or "-"
    text = sheet.value(row, C_TEXT + 1)
    if not isinstance(text, str) or nfc(text).strip() != node.text:
        sink.add("WB_TEXT_CHANGED", unit=code, sheet=sheet.name, row=row - 1, col=C_TEXT, stt=stt)
    printed = sheet.value(row, C_MAX + 1)
    if _decimal(printed) != node.max:
        sink.add("WB_MAX_CHANGED", unit=code, sheet=sheet.name, row=row - 1, col=C_MAX, stt=stt,
                 value=printed, max=format_points(node.max))
    reason_value = sheet.value(row, C_REASON + 1)
    reason = nfc(str(reason_value)).strip() if reason_value is not None else ""
    value = sheet.value(row, C_TEAM + 1)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, reason, False
    local = _UnitSink(sink, code)
    score = parse_score(value, node.max, stt, sheet.name, row, C_TEAM + 1, local)
    return score, reason, any(p.severity == ERROR for _, p in local.added)


class _UnitSink:
    """Adapter: lets ``validate.parse_score`` report into the review sink for one unit."""

    def __init__(self, sink: _Sink, unit: str):
        self.sink, self.unit, self.added = sink, unit, []

    def add(self, code: str, sheet: str = "", row: int | None = None, col: int | None = None,
            **params: object) -> None:
        cell = cell_ref(row - 1, col - 1) if row and col else ""
        item = (self.unit, make_problem(code, file=self.sink.file, sheet=sheet, cell=cell, **params))
        self.sink.items.append(item)
        self.added.append(item)
