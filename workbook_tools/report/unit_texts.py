"""What the units wrote under the outline sections a district section draws on (from
``bao-cao-don-vi.csv`` as read into ``Results.report_texts``): each unit's text in roster order,
the units that sent the report but wrote nothing there, and those that sent no such report.
Data only: ``report.document`` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbook_tools.report.plan import Source
from workbook_tools.results.years import Results
from workbook_tools.spec.campaign import Campaign


@dataclass(frozen=True)
class UnitName:
    """A roster unit as units.csv names it."""

    code: str
    name: str


@dataclass(frozen=True)
class Quote:
    """A unit's own text, as it wrote it."""

    unit: UnitName
    text: str


@dataclass(frozen=True)
class SectionTexts:
    """The units' texts for one district section."""

    quotes: tuple[Quote, ...]                                 # roster order
    silent: tuple[UnitName, ...]                              # sent the report, wrote nothing here
    not_sent: tuple[tuple[str, tuple[UnitName, ...]], ...]    # (outline id, units that did not send it)
    expected: int                                             # units asked for these reports

    @property
    def any_report(self) -> bool:
        """Whether any unit asked sent one of these reports."""
        return bool(self.quotes or self.silent)


def roster(results: Results) -> list[UnitName]:
    """Every unit of units.csv once, in its (roster) order."""
    seen: dict[str, UnitName] = {}
    for row in results.units:
        seen.setdefault(row.code, UnitName(row.code, row.name))
    return list(seen.values())


def section_texts(campaign: Campaign, results: Results, sources: tuple[Source, ...]) -> SectionTexts:
    """Each unit's text under these outline sections (joined in the order given)."""
    outlines = tuple(dict.fromkeys(s.outline_id for s in sources))
    groups = {unit.code: unit.group for unit in results.units}
    asked = {g.id: set(g.reports) for g in campaign.groups}
    sent = {(code, report) for code, report, _ in results.report_texts}
    quotes, silent, missing = [], [], {o: [] for o in outlines}
    expected = 0
    for unit in roster(results):
        wanted = [o for o in outlines if o in asked.get(groups[unit.code], ())]
        if not wanted:
            continue
        expected += 1
        for outline in wanted:
            if (unit.code, outline) not in sent:
                missing[outline].append(unit)
        text = "\n".join(t for s in sources if (t := results.report_text(unit.code, s.outline_id, s.section_id)))
        if text.strip():
            quotes.append(Quote(unit, text.strip()))
        elif any((unit.code, o) in sent for o in wanted):
            silent.append(unit)
    return SectionTexts(tuple(quotes), tuple(silent),
                        tuple((o, tuple(units)) for o, units in missing.items() if units), expected)


def reports_not_sent(campaign: Campaign, results: Results) -> dict[str, tuple[str, ...]]:
    """Unit code -> the outlines (ids, campaign order) it was asked for and sent no text of; empty
    when the results hold no report texts file (nothing known)."""
    if not results.reports_read:
        return {}
    groups = {unit.code: unit.group for unit in results.units}
    asked = {g.id: set(g.reports) for g in campaign.groups}
    sent = {(code, report) for code, report, _ in results.report_texts}
    missing = {}
    for unit in roster(results):
        outlines = tuple(o.id for o in campaign.outlines
                         if o.id in asked.get(groups[unit.code], ()) and (unit.code, o.id) not in sent)
        if outlines:
            missing[unit.code] = outlines
    return missing
