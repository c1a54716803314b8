"""The CSV contracts (see the README): one row per unit and form, score, figure, problem and file.

UTF-8 with a BOM, dot decimals, text made inert (``fileio.inert``). The column names are in
``results.contracts`` (last year's results are read back by them).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from decimal import Decimal

from workbook_tools.fileio import inert
from workbook_tools.results.compact import aligned
from workbook_tools.results.model import Collection, FormOutcome
from workbook_tools.spec.base import Form, FormKind
from workbook_tools.spec.criteria import CriteriaSpec


@functools.lru_cache(maxsize=4096)
def number_text(value: Decimal | None) -> str:
    """A total or score for CSV: '85.5', '90', or '' (dot decimal, for scripts)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def units_rows(collection: Collection):
    """units.csv: one row per roster unit and form."""
    for outcome in collection.units:
        unit = outcome.unit
        for form in outcome.forms:
            yield {
                "unit_code": unit.code, "unit_name": unit.name, "group": unit.group,
                "form_id": form.form_id, "status": form.status,
                "total": number_text(form.total), "classification": form.classification or "",
                "rank_in_group": form.rank_in_group or "", "rank_overall": form.rank_overall or "",
                "late": "" if outcome.late is None else ("yes" if outcome.late else "no"),
                "file": outcome.file.found.rel if outcome.file else "",
            }


def score_tuples(collection: Collection):
    """scores.csv: one row per counted unit, scored form and criterion, in column order, inert."""
    for code, spec, form in _counted(collection, FormKind.CRITERIA):
        keys = spec.row_ids
        own, team = aligned(form.result.scores, keys), aligned(form.team, keys)
        for fixed, self_score, team_score in zip(_criterion_cells(spec), own, team):
            yield (code, *fixed, number_text(self_score), number_text(team_score))


def indicator_tuples(collection: Collection):
    """indicators.csv: one row per counted unit and figure, in column order, inert."""
    for code, spec, form in _counted(collection, FormKind.INDICATORS):
        keys = spec.row_ids
        for key, value in zip(_inert_keys(keys), aligned(form.result.figures, keys)):
            yield code, key, figure_text(value)


def _counted(collection: Collection, kind: FormKind) -> Iterator[tuple[str, Form, FormOutcome]]:
    """(unit code made inert, spec, form outcome) for every form of this kind read from a counted file."""
    campaign = collection.campaign
    for outcome in collection.units:
        code = inert(outcome.unit.code)
        for form in outcome.forms:
            spec = campaign.form(form.form_id)
            if form.result is not None and spec.kind == kind:
                yield code, spec, form


@functools.lru_cache(maxsize=32)
def _criterion_cells(spec: CriteriaSpec) -> tuple[tuple[str, str, str, str], ...]:
    """Per criterion, the fixed scores.csv cells: form, criterion id, stt, maximum (inert)."""
    return tuple((inert(spec.id), inert(c.id), inert(c.stt), number_text(c.max)) for c in spec.criteria())


@functools.lru_cache(maxsize=32)
def _inert_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(inert(k) for k in keys)


def figure_text(value: object) -> str:
    """A figure for CSV: whole numbers as digits, Có/Không as true/false, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def issue_rows(collection: Collection):
    """issues.csv: every problem, the fix appended to the message."""
    for row in collection.issues:
        p = row.problem
        yield {"severity": p.severity, "code": p.code, "unit_code": row.unit_code, "file": p.file,
               "sheet": p.sheet, "cell": p.cell, "value": p.value,
               "message": f"{p.message} Cách sửa: {p.fix}"}


def submission_rows(collection: Collection):
    """submissions.csv: one row per file found."""
    zone = collection.campaign.timezone
    for outcome in collection.files:
        received = outcome.received_at
        yield {"file": outcome.found.rel, "sha256": outcome.found.sha256,
               "unit_code": outcome.unit_code, "verdict": outcome.verdict, "reason": outcome.reason,
               "received_at": received.astimezone(zone).isoformat(timespec="seconds") if received else "",
               "time_source": outcome.time_source}
