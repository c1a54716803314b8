"""Merge checked files into one result per roster unit: which file counts, status, late, rank.

Rules (stated to the user in the summary and the README):
- A file counts for the unit named in its embedded data, never by its file name.
- Several files for one unit: the newest by its embedded save time (docProps/core.xml, written
  by Excel/LibreOffice/WPS on save), or by the file's modification time when the file carries
  none; ties by SHA-256. The others are superseded. Identical copies are superseded too.
- Late: the counted file was saved at or after 00:00 of the deadline day, campaign time zone.
- A form is valid when it was read completely and has no error; only valid forms are ranked.
- Ranks: competition ranking (1, 2, 2, 4) by total, per form, within each group and overall;
  units sharing a rank are listed by name.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from workbook_tools.campaign import Campaign, Unit
from workbook_tools.compact import EMPTY, empty
from workbook_tools.inbox import FoundFile
from workbook_tools.problems import ERROR, Problem, make_problem
from workbook_tools.scoring import round2
from workbook_tools.spec import CriteriaSpec
from workbook_tools.validate import FormResult, Submission

USED, SUPERSEDED, REJECTED, IGNORED = "used", "superseded", "rejected", "ignored"
VALID, INVALID, MISSING = "valid", "invalid", "missing"
EMBEDDED, FILE_TIME = "embedded", "file"
IDENTITY_CODES = {"WB_UNREADABLE", "WB_NOT_OURS", "WB_IDENTITY_MISMATCH", "WB_OTHER_CAMPAIGN",
                  "WB_UNKNOWN_UNIT", "WB_SIGNATURE_MISSING", "WB_SIGNATURE_BAD"}
TIME_SOURCE_TEXT = {EMBEDDED: "thời gian lưu ghi trong tệp", FILE_TIME: "thời gian sửa đổi của tệp"}


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """The verdict on one file found in the inbox."""

    found: FoundFile
    verdict: str
    reason: str
    unit_code: str
    submission: Submission | None
    saved_at: dt.datetime | None
    time_source: str  # EMBEDDED or FILE_TIME (or "" when unknown)


@dataclass(frozen=True, slots=True)
class FormOutcome:
    """One form of one unit after merging."""

    form_id: str
    status: str
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
        return self.final_total if self.status == VALID else None

    @property
    def classification(self) -> str | None:
        """The classification of the final total, for a valid scored form."""
        return self.final_class if self.status == VALID else None

    @property
    def self_total(self) -> Decimal | None:
        """The unit's own total, when every row was self-scored."""
        return self.result.total if self.result and self.result.complete else None

    @property
    def team_total(self) -> Decimal | None:
        """Sum of the team's scores (rows it scored), when it scored any."""
        return round2(sum(self.team.values(), Decimal(0))) if self.team else None

    def changed_rows(self) -> list[str]:
        """Criterion ids where the team's score differs from the unit's own."""
        own = self.result.scores if self.result else {}
        return [c for c, v in self.team.items() if own.get(c) != v]


@dataclass(frozen=True, slots=True)
class UnitOutcome:
    """One roster unit: the file that counts (if any), late flag, and its forms."""

    unit: Unit
    file: FileOutcome | None
    late: bool | None
    forms: tuple[FormOutcome, ...]

    @property
    def status(self) -> str:
        """MISSING, INVALID (some form has errors) or VALID."""
        if self.file is None:
            return MISSING
        return VALID if all(f.status == VALID for f in self.forms) else INVALID

    def form(self, form_id: str) -> FormOutcome | None:
        """This unit's outcome for a form (None when its group does not fill it)."""
        return next((f for f in self.forms if f.form_id == form_id), None)


@dataclass(frozen=True, slots=True)
class IssueRow:
    """A problem to act on, with the unit it concerns ('' when unknown)."""

    unit_code: str
    problem: Problem


def judge_files(campaign: Campaign, found: list[FoundFile],
                checked: dict[str, Submission]) -> list[FileOutcome]:
    """Verdict per file: rejected/ignored from the scan or the identity check; then newest wins."""
    roster = {u.code for u in campaign.units}
    outcomes: list[FileOutcome] = []
    by_unit: dict[str, list[FileOutcome]] = {}
    for item in found:
        sub = checked.get(item.rel)
        if sub is None:
            outcomes.append(FileOutcome(item, item.kind, item.reason, "", None, None, ""))
            continue
        saved, source = (sub.saved_at, EMBEDDED) if sub.saved_at else (item.mtime, FILE_TIME)
        identity = [p for p in sub.problems if p.code in IDENTITY_CODES]
        code = sub.unit_code or ""
        if identity or code not in roster:
            reason = identity[0].message if identity else "không xác định được đơn vị"
            outcomes.append(FileOutcome(item, REJECTED, reason, code, sub, saved, source))
            continue
        by_unit.setdefault(code, []).append(FileOutcome(item, USED, "", code, sub, saved, source))
    for candidates in by_unit.values():
        outcomes.extend(_newest_wins(candidates, campaign.timezone))
    order = {item.rel: i for i, item in enumerate(found)}
    return sorted(outcomes, key=lambda o: order[o.found.rel])


def _newest_wins(candidates: list[FileOutcome], zone: dt.tzinfo) -> list[FileOutcome]:
    ranked = sorted(candidates, key=lambda o: (o.saved_at or dt.datetime.min.replace(tzinfo=dt.timezone.utc),
                                               o.found.sha256, o.found.rel), reverse=True)
    winner = ranked[0]
    result = [replace(winner, reason=_used_reason(winner, len(ranked), zone))]
    for other in ranked[1:]:
        if other.found.sha256 == winner.found.sha256:
            reason = f"bản sao giống hệt tệp được dùng '{winner.found.rel}'"
        else:
            reason = (f"có tệp mới hơn '{winner.found.rel}' (lưu lúc {local_text(winner.saved_at, zone)}, "
                      f"theo {TIME_SOURCE_TEXT[winner.time_source]})")
        result.append(replace(other, verdict=SUPERSEDED, reason=reason))
    return result


def _used_reason(outcome: FileOutcome, count: int, zone: dt.tzinfo) -> str:
    when = f"lưu lúc {local_text(outcome.saved_at, zone)} (theo {TIME_SOURCE_TEXT[outcome.time_source]})"
    return f"tệp mới nhất trong {count} tệp của đơn vị, {when}" if count > 1 else when


def local_text(moment: dt.datetime | None, zone: dt.tzinfo | None = None) -> str:
    """'08/11/2023 14:05' in the given zone (or as stored)."""
    if moment is None:
        return "không rõ"
    return (moment.astimezone(zone) if zone else moment).strftime("%d/%m/%Y %H:%M")


def merge_units(campaign: Campaign, outcomes: list[FileOutcome], review=None) -> tuple[UnitOutcome, ...]:
    """One outcome per roster unit, with the team's review applied when given, ranked."""
    used = {o.unit_code: o for o in outcomes if o.verdict == USED}
    units = [_unit_outcome(campaign, unit, used.get(unit.code), review) for unit in campaign.units]
    return rank_units(campaign, units)


def _unit_outcome(campaign: Campaign, unit: Unit, file: FileOutcome | None, review) -> UnitOutcome:
    if file is None or file.submission is None:
        forms = tuple(FormOutcome(f.id, MISSING, None, ()) for f in campaign.forms_for(unit))
        return UnitOutcome(unit, None, None, forms)
    sub = file.submission
    late = file.saved_at is not None and file.saved_at >= campaign.deadline_at
    forms = tuple(_form_outcome(campaign, unit, form, sub, review) for form in campaign.forms_for(unit))
    return UnitOutcome(unit, file, late, forms)


def _form_outcome(campaign: Campaign, unit: Unit, form, sub: Submission, review) -> FormOutcome:
    result = next((r for r in sub.forms if r.form_id == form.id and r.sheet), None)
    file_errors = tuple(p for p in sub.problems if p.severity == ERROR and p.form == form.id)
    if result is None:
        return FormOutcome(form.id, INVALID, None, file_errors)
    errors = tuple(p for p in sub.problems if p.severity == ERROR and p.sheet == result.sheet)
    complete = result.complete or not isinstance(form, CriteriaSpec)
    status = VALID if complete and not errors else INVALID
    outcome = FormOutcome(form.id, status, result, errors, final=result.scores,
                          final_total=result.total, final_class=result.classification)
    if review is None or not isinstance(form, CriteriaSpec):
        return outcome
    return apply_review(campaign, unit, form, outcome, review)


def apply_review(campaign: Campaign, unit: Unit, spec: CriteriaSpec, outcome: FormOutcome, review) -> FormOutcome:
    """The final scores of a form under the campaign's review rule (see ``Campaign.review_rule``)."""
    team = review.team(unit.code, spec.id) if review.usable else None
    own = outcome.result.scores
    scores = dict(team.scores) if team else EMPTY
    reasons = dict(team.reasons) if team else EMPTY
    unit_errors = tuple(p for code, p in review.problems if code == unit.code and p.severity == ERROR)
    if campaign.review_rule == "team_required":
        final = scores
        missing = [c for c in spec.criteria() if c.id not in final]
        errors: tuple[Problem, ...] = ()
        if missing:
            errors = (make_problem("REVIEW_INCOMPLETE", file=review.file, done=len(final),
                                   count=len(spec.criteria()), form=spec.short_name),)
        valid = not missing
    else:
        final = {c.id: scores.get(c.id, own.get(c.id)) for c in spec.criteria()
                 if c.id in scores or c.id in own}
        errors = outcome.errors
        valid = outcome.status == VALID
    valid = valid and not (team.errors if team else unit_errors)
    complete = all(c.id in final for c in spec.criteria())
    valid = valid and complete
    total = round2(sum(final.values(), Decimal(0))) if complete else None
    return replace(outcome, status=VALID if valid else INVALID, errors=() if valid else errors + unit_errors,
                   team=scores, reasons=reasons, final=final, reviewed=team is not None, final_total=total,
                   final_class=spec.bands.classify(total) if total is not None else None)


def rank_units(campaign: Campaign, units: list[UnitOutcome]) -> tuple[UnitOutcome, ...]:
    """Fill rank_in_group and rank_overall for every valid scored form."""
    ranks: dict[tuple[str, str, str], int] = {}
    for form in campaign.forms:
        if not isinstance(form, CriteriaSpec):
            continue
        entries = [(u, u.form(form.id)) for u in units]
        valid = [(u.unit, f.total) for u, f in entries if f is not None and f.total is not None]
        for code, rank in competition_ranks(valid).items():
            ranks[(form.id, "", code)] = rank
        for group in campaign.groups:
            in_group = [(unit, total) for unit, total in valid if unit.group == group.id]
            for code, rank in competition_ranks(in_group).items():
                ranks[(form.id, group.id, code)] = rank
    return tuple(_with_ranks(u, ranks) for u in units)


def _with_ranks(outcome: UnitOutcome, ranks: dict[tuple[str, str, str], int]) -> UnitOutcome:
    code, group = outcome.unit.code, outcome.unit.group
    forms = tuple(replace(f, rank_in_group=ranks.get((f.form_id, group, code)),
                          rank_overall=ranks.get((f.form_id, "", code)))
                  for f in outcome.forms)
    return UnitOutcome(outcome.unit, outcome.file, outcome.late, forms)


def competition_ranks(entries: list[tuple[Unit, Decimal]]) -> dict[str, int]:
    """Rank by total, highest first; equal totals share a rank and the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(entries, key=lambda e: (-e[1], name_key(e[0].name)))
    ranks, previous, rank = {}, None, 0
    for position, (unit, total) in enumerate(ordered, start=1):
        if total != previous:
            rank, previous = position, total
        ranks[unit.code] = rank
    return ranks


def name_key(name: str) -> tuple[str, str]:
    """Sort key for Vietnamese names: letters first without diacritics (đ after d), then exact."""
    base = "".join(c for c in unicodedata.normalize("NFD", name.replace("đ", "dz").replace("Đ", "Dz"))
                   if not unicodedata.combining(c))
    return base.casefold(), name.casefold()


def collect_issues(campaign: Campaign, outcomes: list[FileOutcome],
                   units: tuple[UnitOutcome, ...]) -> tuple[IssueRow, ...]:
    """Every problem to act on: rejected files, problems of counted files, late and missing units."""
    rows: list[IssueRow] = []
    by_file_id: dict[tuple[str, str], list[FileOutcome]] = {}
    for outcome in outcomes:
        if outcome.submission is not None and outcome.submission.file_id:
            by_file_id.setdefault((outcome.unit_code, outcome.submission.file_id), []).append(outcome)
    for outcome in outcomes:
        if outcome.verdict == REJECTED:
            problems = [p for p in (outcome.submission.problems if outcome.submission else ())
                        if p.code in IDENTITY_CODES]
            rows.extend(IssueRow(outcome.unit_code, p) for p in problems)
            if not problems:
                rows.append(IssueRow(outcome.unit_code, make_problem(
                    "FILE_REJECTED", file=outcome.found.rel, reason=outcome.reason)))
    for unit_outcome in units:
        unit = unit_outcome.unit
        if unit_outcome.file is None:
            rows.append(IssueRow(unit.code, make_problem("UNIT_MISSING", unit_name=unit.name,
                                                         unit_code=unit.code)))
            continue
        file = unit_outcome.file
        rows.extend(IssueRow(unit.code, p) for p in file.submission.problems)
        shared = sorted(o.found.rel for o in by_file_id.get((unit.code, file.submission.file_id), [])
                        if o is not file and o.found.sha256 != file.found.sha256)
        if shared:
            rows.append(IssueRow(unit.code, make_problem(
                "WB_FILE_ID_SHARED", file=file.found.rel, count=len(shared) + 1,
                others=", ".join(f"'{rel}'" for rel in shared))))
        if unit_outcome.late:
            rows.append(IssueRow(unit.code, make_problem(
                "SUB_LATE", file=file.found.rel, saved_at=local_text(file.saved_at, campaign.timezone),
                source=TIME_SOURCE_TEXT[file.time_source],
                deadline=f"00:00 ngày {campaign.deadline:%d/%m/%Y}")))
    return tuple(rows)
