"""The inspection team's review applied: each scored row's final score under the campaign's
review rule, and the problems of the review round (stale reviews, changes without a reason)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from workbook_tools.problems import Problem, Severity, make_problem
from workbook_tools.read.review import Review
from workbook_tools.results.compact import EMPTY
from workbook_tools.results.contracts import Status
from workbook_tools.results.model import FormOutcome, IssueRow, UnitOutcome
from workbook_tools.spec.base import FormKind, format_points
from workbook_tools.spec.campaign import Campaign, ReviewRule, Unit
from workbook_tools.spec.criteria import CriteriaSpec
from workbook_tools.spec.scoring import round2


def apply_review(campaign: Campaign, unit: Unit, spec: CriteriaSpec, outcome: FormOutcome,
                 review: Review) -> FormOutcome:
    """The final scores of a form under the campaign's review rule (see ``Campaign.review_rule``)."""
    team = review.team(unit.code, spec.id) if review.usable else None
    own = outcome.result.scores
    scores = dict(team.scores) if team else EMPTY
    reasons = dict(team.reasons) if team else EMPTY
    unit_errors = tuple(p for code, p in review.problems if code == unit.code and p.severity == Severity.ERROR)
    if campaign.review_rule == ReviewRule.TEAM_REQUIRED:
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
        valid = outcome.status == Status.VALID
    valid = valid and not (team.errors if team else unit_errors)
    complete = all(c.id in final for c in spec.criteria())
    valid = valid and complete
    total = round2(sum(final.values(), Decimal(0))) if complete else None
    return replace(outcome, status=Status.VALID if valid else Status.INVALID,
                   errors=() if valid else errors + unit_errors,
                   team=scores, reasons=reasons, final=final, reviewed=team is not None, final_total=total,
                   final_class=spec.bands.classify(total) if total is not None else None)


def review_issues(campaign: Campaign, review: Review, units: tuple[UnitOutcome, ...]) -> tuple[IssueRow, ...]:
    """Problems of the review workbook, stale reviews, and changes made without a reason."""
    rows = [IssueRow(code, problem) for code, problem in review.problems]
    for outcome in units:
        code = outcome.unit.code
        if outcome.file and code in review.sources and review.sources[code] != outcome.file.found.sha256:
            rows.append(IssueRow(code, make_problem("REVIEW_STALE", file=review.file)))
        for form in outcome.forms:
            spec = campaign.form(form.form_id)
            if spec.kind != FormKind.CRITERIA:
                continue
            own = form.result.scores if form.result else {}
            for criterion in spec.criteria():
                team = form.team.get(criterion.id)
                if team is not None and team != own.get(criterion.id) and not form.reasons.get(criterion.id):
                    rows.append(IssueRow(code, make_problem(
                        "REVIEW_REASON_MISSING", file=review.file, stt=criterion.stt or "-",
                        team=format_points(team), own=format_points(own[criterion.id])
                        if criterion.id in own else "trống")))
    return tuple(rows)
