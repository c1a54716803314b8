"""The district's figures from the collected results: per indicator the total of the whole district
and of each roster group, over the units whose figures sheet counts (valid); and the units that
reported the most and the least of a figure in each group. Data only: ``report.document`` prints it.

A whole number is summed; a yes/no counts the units answering yes out of those answering; a date
counts the units that gave one.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbook_tools.results.contracts import Status
from workbook_tools.results.years import Results, UnitRow
from workbook_tools.spec.campaign import Campaign
from workbook_tools.spec.indicators import Indicator


@dataclass(frozen=True)
class Cell:
    """One figure of the table: a sum (``of`` None), or yes answers out of ``of`` answers."""

    value: int
    of: int | None = None


@dataclass(frozen=True)
class FigureRow:
    """One indicator: the whole district, then each group in campaign order."""

    indicator: Indicator
    district: Cell
    groups: tuple[Cell, ...]
    reported: int   # units that gave a value
    counted: int    # units whose figures count


@dataclass(frozen=True)
class FigureTable:
    """A section's figures: the rows with a value, and the indicators no unit reported."""

    rows: tuple[FigureRow, ...]
    missing: tuple[Indicator, ...]


@dataclass(frozen=True)
class Extremes:
    """In one group, the units with the highest and with the lowest value of a figure."""

    group: str                               # group id
    most: tuple[tuple[UnitRow, int], ...]    # every unit at the highest value
    least: tuple[tuple[UnitRow, int], ...]   # every unit at the lowest value


def indicators_of(campaign: Campaign) -> dict[str, tuple[Indicator, str]]:
    """Indicator id -> (indicator, the id of the figures form it is on)."""
    return {i.id: (i, form.id) for form in campaign.figure_forms for i in form.indicators()}


def counted_units(results: Results, form_id: str) -> list[UnitRow]:
    """The units whose figures sheet counts (read without error), in roster order."""
    return [u for u in results.rows(form_id) if u.status == Status.VALID]


def figure_table(campaign: Campaign, results: Results, ids: tuple[str, ...]) -> FigureTable:
    """The figures of a section, in the order given."""
    known = indicators_of(campaign)
    rows, missing = [], []
    for indicator_id in ids:
        indicator, form_id = known[indicator_id]
        units = counted_units(results, form_id)
        values = [(u, v) for u in units if (v := results.figure(u.code, indicator_id)) is not None]
        if not values:
            missing.append(indicator)
            continue
        groups = tuple(_cell(indicator, [v for u, v in values if u.group == g.id]) for g in campaign.groups)
        rows.append(FigureRow(indicator, _cell(indicator, [v for _, v in values]), groups, len(values),
                              len(units)))
    return FigureTable(tuple(rows), tuple(missing))


def _cell(indicator: Indicator, values: list[str]) -> Cell:
    if indicator.type == "int":
        return Cell(sum(_whole(v) for v in values))
    if indicator.type == "bool":
        return Cell(sum(v == "true" for v in values), len(values))
    return Cell(len(values))


def _whole(text: str) -> int:
    """A whole number as collect wrote it ('12'); anything else counts as nothing."""
    try:
        return int(text)
    except ValueError:
        return 0


def extremes(campaign: Campaign, results: Results, indicator_id: str) -> list[Extremes]:
    """Per group with at least two units reporting a whole-number figure, its highest and lowest
    units (all of them on a tie)."""
    indicator, form_id = indicators_of(campaign)[indicator_id]
    if indicator.type != "int":
        return []
    found = []
    for group in campaign.groups:
        values = [(u, _whole(v)) for u in counted_units(results, form_id)
                  if u.group == group.id and (v := results.figure(u.code, indicator_id)) is not None]
        if len(values) < 2:
            continue
        high, low = max(v for _, v in values), min(v for _, v in values)
        if high == low:
            continue
        found.append(Extremes(group.id, tuple((u, v) for u, v in values if v == high),
                              tuple((u, v) for u, v in values if v == low)))
    return found
