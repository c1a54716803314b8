"""One outcome per roster unit: the file that counts, each form's status, lateness, ranks.

- Late: the counted file was received at or after 00:00 of the unit's deadline day (the campaign's,
  or the later one the register grants the unit), campaign time zone.
- A unit whose files cannot be ordered waits for the officer's choice (``needs_choice``).
- A form is valid when it was read completely and has no error; only valid forms are ranked.
- With the inspection team's review, each form's final scores follow ``results.review``.
"""

from __future__ import annotations

from workbook_tools.problems import Severity, make_problem
from workbook_tools.read.check import Submission
from workbook_tools.read.identify import REJECTING_CODES
from workbook_tools.read.review import Review
from workbook_tools.results.contracts import Status, Verdict
from workbook_tools.results.model import (
    TIME_SOURCE_TEXT,
    FileOutcome,
    FormOutcome,
    IssueRow,
    UnitOutcome,
    local_text,
)
from workbook_tools.results.rank import rank_units
from workbook_tools.results.review import apply_review
from workbook_tools.spec.base import Form, FormKind
from workbook_tools.spec.campaign import Campaign, Unit
from workbook_tools.spec.register import Register


def merge_units(campaign: Campaign, outcomes: list[FileOutcome], register: Register,
                review: Review | None = None) -> tuple[UnitOutcome, ...]:
    """One outcome per roster unit, with the team's review applied when given, ranked."""
    used = {o.unit_code: o for o in outcomes if o.verdict == Verdict.USED}
    waiting: dict[str, list[FileOutcome]] = {}
    for outcome in outcomes:
        if outcome.verdict == Verdict.NEEDS_CHOICE:
            waiting.setdefault(outcome.unit_code, []).append(outcome)
    units = [_unit_outcome(campaign, unit, used.get(unit.code), tuple(waiting.get(unit.code, ())), register, review)
             for unit in campaign.units]
    return rank_units(campaign, units)


def _unit_outcome(campaign: Campaign, unit: Unit, file: FileOutcome | None, choices: tuple[FileOutcome, ...],
                  register: Register, review: Review | None) -> UnitOutcome:
    if file is None or file.submission is None:
        status = Status.NEEDS_CHOICE if choices else Status.MISSING
        forms = tuple(FormOutcome(f.id, status, None, ()) for f in campaign.forms_for(unit))
        return UnitOutcome(unit, None, None, forms, choices)
    sub = file.submission
    late = file.received_at is not None and file.received_at >= register.deadline_at(campaign, unit.code)
    forms = tuple(_form_outcome(campaign, unit, form, sub, review) for form in campaign.forms_for(unit))
    return UnitOutcome(unit, file, late, forms)


def _form_outcome(campaign: Campaign, unit: Unit, form: Form, sub: Submission,
                  review: Review | None) -> FormOutcome:
    result = next((r for r in sub.forms if r.form_id == form.id and r.sheet), None)
    file_errors = tuple(p for p in sub.problems if p.severity == Severity.ERROR and p.form == form.id)
    if result is None:
        return FormOutcome(form.id, Status.INVALID, None, file_errors)
    errors = tuple(p for p in sub.problems if p.severity == Severity.ERROR and p.sheet == result.sheet)
    complete = result.complete or form.kind != FormKind.CRITERIA
    status = Status.VALID if complete and not errors else Status.INVALID
    outcome = FormOutcome(form.id, status, result, errors, final=result.scores,
                          final_total=result.total, final_class=result.classification)
    if review is None or form.kind != FormKind.CRITERIA:
        return outcome
    return apply_review(campaign, unit, form, outcome, review)


def collect_issues(campaign: Campaign, outcomes: list[FileOutcome], units: tuple[UnitOutcome, ...],
                   register: Register) -> tuple[IssueRow, ...]:
    """Every problem to act on: rejected files, problems of counted files, late and missing units,
    choices to make, the register naming files that are not there."""
    rows: list[IssueRow] = list(_register_issues(outcomes, register))
    for outcome in outcomes:
        if outcome.verdict == Verdict.REJECTED:
            problems = [p for p in (outcome.submission.problems if outcome.submission else ())
                        if p.code in REJECTING_CODES]
            rows.extend(IssueRow(outcome.unit_code, p) for p in problems)
            if not problems:
                rows.append(IssueRow(outcome.unit_code, make_problem(
                    "FILE_REJECTED", file=outcome.found.rel, reason=outcome.reason)))
    for unit_outcome in units:
        unit = unit_outcome.unit
        if unit_outcome.choices:
            files = ", ".join(f"'{o.found.rel}'" for o in unit_outcome.choices)
            rows.append(IssueRow(unit.code, make_problem("UNIT_NEEDS_CHOICE", unit_code=unit.code,
                                                         count=len(unit_outcome.choices), files=files)))
            continue
        if unit_outcome.file is None:
            rows.append(IssueRow(unit.code, make_problem("UNIT_MISSING", unit_name=unit.name,
                                                         unit_code=unit.code)))
            continue
        file = unit_outcome.file
        rows.extend(IssueRow(unit.code, p) for p in file.submission.problems)
        if unit_outcome.late:
            deadline = register.deadline_at(campaign, unit.code)
            rows.append(IssueRow(unit.code, make_problem(
                "SUB_LATE", file=file.found.rel, received_at=local_text(file.received_at, campaign.timezone),
                source=TIME_SOURCE_TEXT[file.time_source], deadline=f"00:00 ngày {deadline:%d/%m/%Y}")))
    return tuple(rows)


def _register_issues(outcomes: list[FileOutcome], register: Register):
    """Files the register chooses that are not among the unit's files."""
    files = {(o.unit_code, o.found.rel) for o in outcomes}
    for code, row in register.rows.items():
        if row.chosen_file and (code, row.chosen_file) not in files:
            yield IssueRow(code, make_problem("REGISTER_FILE_UNKNOWN", file=str(register.path), line=row.line,
                                              value=row.chosen_file, unit_code=code))
