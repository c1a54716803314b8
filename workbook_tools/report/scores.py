"""The classification statistics of a scoring table from the collected results: per group and for
the whole district, the units, how many in each band, how many not classified (an error, a choice
pending, not sent), the average total; the highest and lowest units of each group. Data only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from workbook_tools.results.contracts import Status
from workbook_tools.results.rank import name_key
from workbook_tools.results.years import Results, UnitRow
from workbook_tools.spec.criteria import CriteriaSpec


@dataclass(frozen=True)
class BandCounts:
    """The classification of one group (``group`` '' for the whole district)."""

    group: str
    units: int
    bands: tuple[int, ...]          # per band of the spec, highest first
    invalid: int                    # an error, or a choice pending: not classified
    missing: int                    # not sent
    average: Decimal | None         # of the valid totals, to two decimals

    @property
    def unrated(self) -> int:
        """Units without a classification."""
        return self.invalid + self.missing


def band_counts(results: Results, spec: CriteriaSpec, group: str) -> BandCounts:
    """One group's counts ('' for the whole district)."""
    rows = [r for r in results.rows(spec.id) if not group or r.group == group]
    valid = _valid(rows)
    totals = [r.total for r in valid if r.total is not None]
    average = (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01")) if totals else None
    bands = tuple(sum(r.classification == b.label for r in valid) for b in spec.bands.items)
    return BandCounts(group, len(rows), bands,
                      sum(r.status in (Status.INVALID, Status.NEEDS_CHOICE) for r in rows),
                      sum(r.status == Status.MISSING for r in rows), average)


def ends(results: Results, spec: CriteriaSpec, group: str) -> tuple[list[UnitRow], list[UnitRow]]:
    """A group's valid units at its highest total and at its lowest (every unit on a tie; none when
    all have the same total)."""
    members = sorted(_valid(r for r in results.rows(spec.id) if r.group == group), key=lambda r: name_key(r.name))
    totals = [r.total for r in members if r.total is not None]
    if not totals or max(totals) == min(totals):
        return [], []
    return [r for r in members if r.total == max(totals)], [r for r in members if r.total == min(totals)]


def _valid(rows) -> list[UnitRow]:
    return [r for r in rows if r.status == Status.VALID and r.total is not None]
