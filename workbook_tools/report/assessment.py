"""The assessment of results in the district's draft: for a scoring table, one sentence (units with a
valid result, not classified, not sent, the bands, where the per-unit table is), the classification
table (per group and the whole district: units, per band, not classified, average), the highest and
lowest units of each group, and with last year's results the change of each section's average.
"""

from __future__ import annotations

from workbook_tools.paper.docx import CENTER, LEFT
from workbook_tools.report.appendix import signed
from workbook_tools.report.draft import NAMED, Draft, whole
from workbook_tools.report.scores import BandCounts, band_counts, ends
from workbook_tools.results.years import Results, UnitRow
from workbook_tools.spec.base import format_points
from workbook_tools.spec.criteria import CriteriaSpec


def write_scores(draft: Draft, current: Results, previous: Results | None, form_id: str) -> None:
    """Everything on one scoring table's classification."""
    campaign = draft.campaign
    spec = next(s for s in campaign.scored_forms if s.id == form_id)
    district = band_counts(current, spec, "")
    draft.figure(draft.say("scores", form=spec.short_name, year=campaign.year, valid=whole(sum(district.bands)),
                           units=whole(district.units), invalid=whole(district.invalid),
                           missing=whole(district.missing), bands=spec.bands.describe(),
                           appendix=campaign.scored_forms.index(spec) + 1), keep_next=True)
    _band_table(draft, spec, [band_counts(current, spec, g.id) for g in campaign.groups] + [district])
    parts = []
    for group in campaign.groups:
        top, bottom = ends(current, spec, group.id)
        if top:
            parts.append(draft.say("score_extremes_group", group=group.label, top=_points(draft, top),
                                   bottom=_points(draft, bottom)))
    if parts:
        draft.figure(draft.say("score_extremes", groups="; ".join(parts)))
    if previous is not None:
        _changes(draft, current, previous, spec)


def _band_table(draft: Draft, spec: CriteriaSpec, counts: list[BandCounts]) -> None:
    labels = {g.id: g.label for g in draft.campaign.groups}
    headers = [draft.say("column_group"), draft.say("column_units"), *(b.label for b in spec.bands.items),
               draft.say("column_unrated"), draft.say("column_average")]
    rows = [[labels.get(c.group, draft.say("column_district")), whole(c.units), *(whole(n) for n in c.bands),
             whole(c.unrated), format_points(c.average) if c.average is not None else "—"] for c in counts]
    draft.table(headers, rows, [LEFT] + [CENTER] * (len(headers) - 1), bold_last=True)


def _points(draft: Draft, rows: list[UnitRow]) -> str:
    """'Xã A (92 điểm)', 'Xã A (92 điểm), Xã B (92 điểm)', or '5 đơn vị (92 điểm)' on a wide tie."""
    if len(rows) > NAMED:
        return draft.say("unit_points", name=draft.say("many_units", count=whole(len(rows))),
                         points=format_points(rows[0].total))
    return ", ".join(draft.say("unit_points", name=r.name, points=format_points(r.total)) for r in rows
                     if r.total is not None)


def _changes(draft: Draft, current: Results, previous: Results, spec: CriteriaSpec) -> None:
    """The district average this year against last year's (each section's in the appendix)."""
    now, before = band_counts(current, spec, "").average, band_counts(previous, spec, "").average
    if now is not None and before is not None:
        draft.figure(draft.say("score_changes", previous_year=draft.campaign.year - 1, form=spec.short_name,
                               district=draft.campaign.district, now=format_points(now),
                               before=format_points(before),
                               change=signed(now - before), appendix=draft.campaign.scored_forms.index(spec) + 1))
