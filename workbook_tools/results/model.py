"""What a collection decided, as data: the verdict on every file and one outcome per unit.

``Collection`` is the whole result of reading an inbox: it is built by ``collect.pipeline`` and
read by every output (CSV contracts, summary workbook, notices, review workbook, the app).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from workbook_tools.problems import Problem, Severity
from workbook_tools.read.check import Submission
from workbook_tools.read.inbox import FoundFile
from workbook_tools.read.report import SectionText
from workbook_tools.read.review import Review
from workbook_tools.read.sheets import FormResult
from workbook_tools.results.compact import empty
from workbook_tools.results.contracts import Status, Verdict
from workbook_tools.results.years import Results, UnitRow
from workbook_tools.spec.campaign import Campaign, Unit
from workbook_tools.spec.register import Register
from workbook_tools.spec.scoring import round2


class TimeSource(StrEnum):
    """Where a file's receipt time came from (``submissions.csv`` column ``time_source``), best first."""

    REGISTER = "register"  # the officer's register
    EMAIL = "email"        # the Date header of the e-mail that carried it
    FILE = "file"          # the file's modification time in the inbox folder
    UNKNOWN = ""


TIME_SOURCE_TEXT = {TimeSource.REGISTER: "sổ theo dõi", TimeSource.EMAIL: "ngày gửi thư",
                    TimeSource.FILE: "thời gian sửa đổi của tệp", TimeSource.UNKNOWN: "không rõ"}


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """The verdict on one file found in the inbox."""

    found: FoundFile
    verdict: Verdict
    reason: str
    unit_code: str
    submission: Submission | None
    saved_at: dt.datetime | None      # the save time the saving application wrote in the file
    received_at: dt.datetime | None   # when the district received it
    time_source: TimeSource           # where received_at came from


@dataclass(frozen=True, slots=True)
class UnitReport:
    """One unit's narrative report for one outline, as counted: the file it came from and its text
    by section (in the outline's order; text no heading fits last, with section id '')."""

    unit_code: str
    outline_id: str
    file: str                        # the file's place in the inbox (FoundFile.rel)
    sections: tuple[SectionText, ...]

    def text_of(self, section_id: str) -> str:
        """The text under one section ('' when empty)."""
        return "\n".join(s.text for s in self.sections if s.section_id == section_id and s.text)


@dataclass(frozen=True, slots=True)
class FormOutcome:
    """One form of one unit after merging."""

    form_id: str
    status: Status
    result: FormResult | None
    errors: tuple[Problem, ...]
    rank_in_group: int | None = None
    rank_overall: int | None = None
    team: Mapping[str, Decimal] = field(default_factory=empty)    # the inspection team's scores
    reasons: Mapping[str, str] = field(default_factory=empty)     # the team's reasons
    final: Mapping[str, Decimal] = field(default_factory=empty)   # the score that counts, per row
    reviewed: bool = False  # a review workbook covered this form
    final_total: Decimal | None = None
    final_class: str | None = None

    @property
    def total(self) -> Decimal | None:
        """The final total (after the team's review, if any), for a valid scored form."""
        return self.final_total if self.status == Status.VALID else None

    @property
    def classification(self) -> str | None:
        """The classification of the final total, for a valid scored form."""
        return self.final_class if self.status == Status.VALID else None

    @property
    def self_total(self) -> Decimal | None:
        """The unit's own total, when every row was self-scored."""
        return self.result.total if self.result and self.result.complete else None

    @property
    def team_total(self) -> Decimal | None:
        """Sum of the team's scores (rows it scored), when it scored any."""
        return round2(sum(self.team.values(), Decimal(0))) if self.team else None


@dataclass(frozen=True, slots=True)
class UnitOutcome:
    """One roster unit: the file that counts (if any), late flag, and its forms."""

    unit: Unit
    file: FileOutcome | None
    late: bool | None
    forms: tuple[FormOutcome, ...]
    choices: tuple[FileOutcome, ...] = ()  # the files to choose between, when status is NEEDS_CHOICE

    @property
    def status(self) -> Status:
        """MISSING, NEEDS_CHOICE, INVALID (some form has errors) or VALID."""
        if self.file is None:
            return Status.NEEDS_CHOICE if self.choices else Status.MISSING
        return Status.VALID if all(f.status == Status.VALID for f in self.forms) else Status.INVALID

    def form(self, form_id: str) -> FormOutcome | None:
        """This unit's outcome for a form (None when its group does not fill it)."""
        return next((f for f in self.forms if f.form_id == form_id), None)


@dataclass(frozen=True, slots=True)
class IssueRow:
    """A problem to act on, with the unit it concerns ('' when unknown)."""

    unit_code: str
    problem: Problem


@dataclass(frozen=True)
class Collection:
    """Everything one collect run found and decided."""

    campaign: Campaign
    inbox: Path
    run_at: dt.datetime
    files: tuple[FileOutcome, ...]
    units: tuple[UnitOutcome, ...]
    issues: tuple[IssueRow, ...]
    review: Review | None = None
    previous: Results | None = None  # last year's results, for the comparison sheet
    register: Register | None = None  # the officer's register as read for this run
    reports: tuple[UnitReport, ...] = ()  # the units' narrative reports, roster order then outline order

    def count(self, verdict: Verdict) -> int:
        """Files with this verdict."""
        return sum(f.verdict == verdict for f in self.files)

    def units_with(self, status: Status) -> int:
        """Units with this overall status."""
        return sum(u.status == status for u in self.units)

    @property
    def late(self) -> int:
        """Units whose counted file was saved late."""
        return sum(bool(u.late) for u in self.units)

    @functools.cached_property
    def errors_by_unit(self) -> dict[str, list[Problem]]:
        """Error problems per unit code."""
        errors: dict[str, list[Problem]] = {}
        for row in self.issues:
            if row.problem.severity == Severity.ERROR:
                errors.setdefault(row.unit_code, []).append(row.problem)
        return errors

    @functools.cached_property
    def ranked(self) -> Counter[tuple[str, str]]:
        """Units ranked (valid, with a total) per (form id, group id), and per (form id, '') overall."""
        counts: Counter[tuple[str, str]] = Counter()
        for outcome in self.units:
            for form in outcome.forms:
                if form.total is not None:
                    counts[(form.form_id, outcome.unit.group)] += 1
                    counts[(form.form_id, "")] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        """Any counted or rejected file has an error."""
        return any(r.problem.severity == Severity.ERROR and r.problem.code != "UNIT_MISSING"
                   for r in self.issues)

    def this_year(self) -> Results:
        """This run as ``Results`` (the rows of units.csv and the scores that counted), taken
        from the outcomes directly, to compare with last year's read from its CSVs."""
        current = Results(Path("."))
        for outcome in self.units:
            for form in outcome.forms:
                current.units.append(_unit_row(outcome, form))
                if form.result is not None and form.final:
                    current.scores[(outcome.unit.code, form.form_id)] = form.final
        return current


def _unit_row(outcome: UnitOutcome, form: FormOutcome) -> UnitRow:
    unit = outcome.unit
    return UnitRow(code=unit.code, name=unit.name, group=unit.group, form_id=form.form_id,
                   status=form.status, total=form.total, classification=form.classification or "",
                   rank_in_group=form.rank_in_group, rank_overall=form.rank_overall,
                   late="" if outcome.late is None else ("yes" if outcome.late else "no"),
                   file=outcome.file.found.rel if outcome.file else "")


def local_text(moment: dt.datetime | None, zone: dt.tzinfo | None = None) -> str:
    """'08/11/2023 14:05' in the given zone (or as stored)."""
    if moment is None:
        return "không rõ"
    return (moment.astimezone(zone) if zone else moment).strftime("%d/%m/%Y %H:%M")
