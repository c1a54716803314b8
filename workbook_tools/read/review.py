"""Read back the inspection team's review workbook, trusting nothing in it.

The same checks as for a unit's file (``read.identify``, ``read.sheets``): readable within
limits, our format, this campaign, signed identity, current spec content, sheets found (by name,
else by row ids), protection, columns (one header row shared by the forms; files written before
it have one per form), rows by their hidden ids (never by position), text and maxima unchanged,
team scores blank or a number within 0..maximum. A problem names the review file, the sheet and
the cell, and the unit it concerns.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from workbook_tools.form.review_layout import (
    C_MAX,
    C_REASON,
    C_SELF,
    C_TEAM,
    C_TEXT,
    CONTENT_LABEL,
    HEADERS,
    MARK_HEADER,
    FormBlock,
    mark,
    plan_review_sheet,
    row_id,
)
from workbook_tools.problems import Problem, ProblemSink, nfc
from workbook_tools.read.check import limits_for
from workbook_tools.read.identify import REVIEW_IDENTITY, check_identity, read_identity
from workbook_tools.read.sheets import RowFinder, check_fixed_cells, find_sheet, header_ok, id_rows
from workbook_tools.read.values import is_blank, parse_score
from workbook_tools.read.xlsx import Book, Sheet, XlsxError, read_xlsx
from workbook_tools.spec.campaign import Campaign
from workbook_tools.spec.criteria import CriteriaSpec, Criterion, Section, walk


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


def read_review(campaign: Campaign, path: Path, key: bytes | None) -> Review:
    """Read and check a review workbook; never raises for a bad file."""
    sink = ProblemSink(path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        sink.add("WB_UNREADABLE", detail=exc.strerror or exc)
        return Review(path.name, "", False, {}, {}, tuple(sink.items))
    digest = hashlib.sha256(data).hexdigest()
    try:
        book = read_xlsx(data, limits_for(campaign))
        meta, conflicts = read_identity(book, tuple(f.id for f in campaign.forms))
        if not check_identity(campaign, meta, conflicts, key, REVIEW_IDENTITY, sink):
            return Review(path.name, digest, False, {}, {}, tuple(sink.items))
        if meta.get("review_rule", campaign.review_rule) != campaign.review_rule:
            sink.add("REVIEW_RULE_CHANGED", found=meta.get("review_rule", ""), expected=campaign.review_rule)
        forms, sources = _read_units(campaign, book, meta, sink)
    except XlsxError as exc:
        sink.items.clear()
        sink.add("WB_UNREADABLE", detail=exc.reason)
        return Review(path.name, digest, False, {}, {}, tuple(sink.items))
    return Review(path.name, digest, True, forms, sources, tuple(sink.items))


def _read_units(campaign: Campaign, book: Book, meta: dict[str, str], sink: ProblemSink):
    forms: dict[tuple[str, str], TeamForm] = {}
    sources: dict[str, str] = {}
    current = _current_forms(campaign, meta, sink)
    codes = [code for code in meta.get("units", "").split(",") if code]
    sheets = frozenset(meta.get(f"unit.{code}.sheet", "") for code in codes)
    for code in codes:
        unit = campaign.units_by_code.get(code)
        unit_sink = sink.for_unit(code)
        if unit is None:
            unit_sink.add("WB_UNKNOWN_UNIT", unit_code=code)
            continue
        sources[code] = meta.get(f"unit.{code}.source_sha256", "")
        scored = campaign.scored_forms_for(unit)
        wanted = [f for f in scored if f.id in current]
        name = meta.get(f"unit.{code}.sheet", "")
        wanted_ids = {row_id(f.id, c.id) for f in wanted for c in f.criteria()}
        # Every unit's sheet holds the same row ids: another unit's sheet is never taken for this one.
        sheet = find_sheet(book, name, wanted_ids, None, unit_sink, others=sheets - {name})
        if sheet is None:
            unit_sink.add("REVIEW_SHEET_MISSING", sheet_name=name, unit_code=code)
            continue
        forms.update(((code, f.id), team) for f, team in _read_sheet(sheet, scored, wanted, unit_sink))
    return forms, sources


def _current_forms(campaign: Campaign, meta: dict[str, str], sink: ProblemSink) -> set[str]:
    """Ids of the scored forms whose content is the campaign's; the others are reported."""
    current = {f.id for f in campaign.scored_forms if meta.get(f"form.{f.id}.sha256") == f.content_hash}
    for form in campaign.scored_forms:
        if form.id in meta.get("forms", "").split(",") and form.id not in current:
            sink.add("WB_SPEC_CHANGED", form=form.id, found=meta.get(f"form.{form.id}.sha256", "")[:12],
                     expected=form.content_hash[:12])
    return current


def _read_sheet(sheet: Sheet, scored: tuple[CriteriaSpec, ...], wanted: list[CriteriaSpec],
                sink: ProblemSink) -> list[tuple[CriteriaSpec, TeamForm]]:
    """The team's form for each wanted form on one unit's sheet."""
    if not sheet.protected:
        sink.add("WB_PROTECTION_REMOVED", sheet=sheet.name)
    ids = id_rows(sheet)
    shared = (ids.get(MARK_HEADER) or [None])[0]  # one header row for every form (older files: one per form)
    planned = {b.spec.id: b for b in plan_review_sheet(list(scored), header_per_form=shared is None)}
    shared_ok = shared is not None and header_ok(sheet, shared, _labels(CONTENT_LABEL), sink)
    read, moved = [], 0
    for spec in wanted:
        if not (shared_ok if shared is not None else _own_header_ok(sheet, ids, spec, sink)):
            read.append((spec, TeamForm(spec.id, errors=True)))
            continue
        team, shifted = _read_form(sheet, ids, spec, planned[spec.id], sink)
        read.append((spec, team))
        moved += shifted
    if moved:
        sink.add("WB_ROWS_MOVED", sheet=sheet.name, count=moved)
    return read


def _labels(content_label: str) -> dict[int, str]:
    """The header labels the reader relies on (1-based column -> label)."""
    labels = {C_SELF: HEADERS[C_SELF], C_TEAM: HEADERS[C_TEAM], C_REASON: HEADERS[C_REASON],
              C_MAX: HEADERS[C_MAX], C_TEXT: content_label}
    return {col + 1: label for col, label in labels.items()}


def _own_header_ok(sheet: Sheet, ids: dict[str, list[int]], spec: CriteriaSpec, sink: ProblemSink) -> bool:
    """A review workbook written before the shared header row: each form had its own header."""
    header = (ids.get(mark(MARK_HEADER, spec.id)) or [None])[0]
    return header_ok(sheet, header, _labels(spec.content_label), sink)


def _read_form(sheet: Sheet, ids: dict[str, list[int]], spec: CriteriaSpec, block: FormBlock,
               sink: ProblemSink) -> tuple[TeamForm, int]:
    planned = {r.node.id: r.row + 1 for r in block.rows}
    finder = RowFinder(ids, sheet, sink)
    scores, reasons, errors = {}, {}, False
    for node, row in finder.rows((n, row_id(spec.id, n.id), planned[n.id]) for n, _ in walk(spec.sections)):
        if isinstance(node, Section):
            continue
        score, reason, bad = _read_row(sheet, row, node, sink)
        errors |= bad
        if score is not None:
            scores[node.id] = score
        if reason:
            reasons[node.id] = reason
    return TeamForm(spec.id, scores, reasons, errors or not finder.complete), finder.moved


def _read_row(sheet: Sheet, row: int, node: Criterion, sink: ProblemSink) -> tuple[Decimal | None, str, bool]:
    """The team's score (None when blank or invalid), its reason, and whether it was invalid."""
    check_fixed_cells(sheet, row, node, C_TEXT + 1, C_MAX + 1, sink)
    reason_value = sheet.value(row, C_REASON + 1)
    reason = nfc(str(reason_value)).strip() if reason_value is not None else ""
    value = sheet.value(row, C_TEAM + 1)
    if is_blank(value):
        return None, reason, False
    mark_at = len(sink.items)
    # the team's own sheet: a score typed as text is read with a warning (the policy is for units' sheets)
    score = parse_score(value, node.max, node.stt or "-", sheet.name, row, C_TEAM + 1, sink, accept_text=True)
    return score, reason, sink.errors_since(mark_at)
