"""What the pages show, as plain data built from a collection (the templates only lay it out)."""

from __future__ import annotations

from dataclasses import dataclass

from workbook_tools.outputs.messages import collection_message, units_to_remind
from workbook_tools.outputs.summary.base import STATUS_TEXT, VERDICT_TEXT
from workbook_tools.outputs.summary.reports_sheet import report_state
from workbook_tools.problems import Problem, Severity
from workbook_tools.results.contracts import Status
from workbook_tools.results.model import Collection, local_text
from workbook_tools.spec.base import format_points
from workbook_tools.spec.campaign import Campaign

STATUS_KEY = {Status.VALID: "hop-le", Status.INVALID: "co-loi", Status.NEEDS_CHOICE: "can-chon",
              Status.MISSING: "chua-nop"}


@dataclass(frozen=True)
class BoardRow:
    """One unit on the board."""

    code: str
    name: str
    group: str
    status: str        # a STATUS_KEY value (used by the filters)
    status_text: str
    results: tuple[str, ...]  # per scored form: '85,5 (Khá)' or ''
    late: bool
    contact: str
    errors: int
    reports: tuple[tuple[str, str], ...] = ()  # per outline: (state, empty headings)


@dataclass(frozen=True)
class FileLine:
    """One file of a unit, as the unit page lists it."""

    name: str
    verdict: str
    reason: str
    received: str


@dataclass(frozen=True)
class UnitView:
    """Everything the unit page shows."""

    code: str
    name: str
    status_text: str
    contact: str
    files: tuple[FileLine, ...]
    problems: tuple[Problem, ...]
    message: str


def board_rows(collection: Collection, campaign: Campaign) -> list[BoardRow]:
    """Every roster unit with its state, its results per scored form and who to call."""
    rows = []
    for outcome in collection.units:
        unit = outcome.unit
        results = tuple(_result(outcome.form(spec.id)) for spec in campaign.scored_forms)
        contact = _contact(unit)
        errors = len(collection.errors_by_unit.get(unit.code, []))
        rows.append(BoardRow(unit.code, unit.name, campaign.group(unit.group).label, STATUS_KEY[outcome.status],
                             STATUS_TEXT[outcome.status], results, bool(outcome.late), contact, errors,
                             _reports(collection, campaign, unit)))
    return rows


def _reports(collection: Collection, campaign: Campaign, unit) -> tuple[tuple[str, str], ...]:
    """Per outline of the campaign: the unit's report state and its empty headings."""
    asked = {o.id for o in campaign.outlines_for(unit)}
    sent = {r.outline_id: r for r in collection.reports if r.unit_code == unit.code}
    return tuple(report_state(o, sent.get(o.id), o.id in asked) for o in campaign.outlines)


def _result(form) -> str:
    if form is None or form.total is None:
        return ""
    return f"{format_points(form.total)} ({form.classification})"


def unit_view(collection: Collection, code: str) -> UnitView:
    """One unit: its files and their verdicts, every problem, and the message to send back."""
    outcome = next(u for u in collection.units if u.unit.code == code)
    unit, zone = outcome.unit, collection.campaign.timezone
    files = tuple(FileLine(o.found.rel, VERDICT_TEXT[o.verdict], o.reason, local_text(o.received_at, zone))
                  for o in collection.files if o.unit_code == code)
    problems = tuple(row.problem for row in collection.issues if row.unit_code == code)
    problems = tuple(sorted(problems, key=lambda p: p.severity != Severity.ERROR))
    remind = any(u.unit.code == code for u in units_to_remind(collection))
    contact = _contact(unit)
    return UnitView(code, unit.name, STATUS_TEXT[outcome.status], contact, files, problems,
                    collection_message(collection, outcome) if remind else "")


def _contact(unit) -> str:
    """The roster's contact person, phone and e-mail in one line."""
    return " · ".join(part for part in (unit.contact, unit.phone, unit.email) if part)
