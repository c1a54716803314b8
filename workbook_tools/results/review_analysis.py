"""What the inspection team's review changed, district-wide: figures for the summary and report.

Only forms the review covered and the unit fully self-scored are compared (a cut is the
unit's own score minus the final score; negative when the team raised a score).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from workbook_tools.results.merge import FormOutcome, UnitOutcome
from workbook_tools.spec.campaign import Campaign, Unit
from workbook_tools.spec.criteria import CriteriaSpec, Criterion, Section
from workbook_tools.spec.scoring import round2, section_total


@dataclass(frozen=True)
class Cut:
    """One row the team changed."""

    unit: Unit
    spec: CriteriaSpec
    criterion: Criterion
    own: Decimal | None
    team: Decimal
    reason: str

    @property
    def amount(self) -> Decimal:
        """Points taken off (negative when raised)."""
        return (self.own if self.own is not None else Decimal(0)) - self.team


def compared(units: tuple[UnitOutcome, ...], spec: CriteriaSpec) -> list[tuple[Unit, FormOutcome]]:
    """Units whose form was reviewed and fully self-scored."""
    pairs = []
    for outcome in units:
        form = outcome.form(spec.id)
        if form is not None and form.reviewed and form.self_total is not None and len(form.final) == len(spec.criteria()):
            pairs.append((outcome.unit, form))
    return pairs


def cuts(units: tuple[UnitOutcome, ...], spec: CriteriaSpec) -> list[Cut]:
    """Every changed row of this form, biggest cut first (ties by unit name order of the roster)."""
    found = []
    for outcome in units:
        form = outcome.form(spec.id)
        if form is None or not form.reviewed:
            continue
        own = form.result.scores if form.result else {}
        for criterion in spec.criteria():
            team = form.team.get(criterion.id)
            if team is not None and team != own.get(criterion.id):
                found.append(Cut(outcome.unit, spec, criterion, own.get(criterion.id), team,
                                 form.reasons.get(criterion.id, "")))
    return sorted(found, key=lambda c: -c.amount)


def over_scoring(campaign: Campaign, units: tuple[UnitOutcome, ...],
                 spec: CriteriaSpec) -> list[tuple[str, list[Decimal | None], Decimal | None]]:
    """Average (self - final) per top-level section, per group and district-wide.

    Returns rows (scope label, [average per section], average on the total).
    """
    pairs = compared(units, spec)
    scopes = [(g.label, [f for u, f in pairs if u.group == g.id]) for g in campaign.groups]
    scopes.append((f"Toàn {campaign.district}", [f for _, f in pairs]))
    rows = []
    for label, forms in scopes:
        if not forms:
            rows.append((label, [None] * len(spec.sections), None))
            continue
        per_section = [_average([section_total(s, f.result.scores) - section_total(s, f.final) for f in forms])
                       for s in spec.sections]
        total = _average([f.self_total - f.final_total for f in forms if f.final_total is not None])
        rows.append((label, per_section, total))
    return rows


def most_cut(units: tuple[UnitOutcome, ...], spec: CriteriaSpec) -> list[tuple[Criterion, int, Decimal]]:
    """Criteria the team cut, by number of units cut, then by average cut."""
    counts: dict[str, list[Decimal]] = {}
    for cut in cuts(units, spec):
        if cut.amount > 0:
            counts.setdefault(cut.criterion.id, []).append(cut.amount)
    by_id = {c.id: c for c in spec.criteria()}
    rows = [(by_id[cid], len(amounts), _average(amounts)) for cid, amounts in counts.items()]
    return sorted(rows, key=lambda r: (-r[1], -r[2], list(by_id).index(r[0].id)))


def _average(values: list[Decimal]) -> Decimal | None:
    return round2(sum(values, Decimal(0)) / len(values)) if values else None


def section_label(section: Section) -> str:
    """'A. LÃNH ĐẠO ...' shortened for a column header."""
    text = section.text if len(section.text) <= 40 else section.text[:38].rstrip() + "…"
    return f"{section.stt}. {text}" if section.stt else text


def criterion_path(spec: CriteriaSpec, criterion_id: str) -> str:
    """An unambiguous reference like 'D.I.1.1' or 'A.2' (the STT alone repeats).

    Where the printed numbering is empty or repeats (defects of the source table), the row's
    stable id is used instead, upper-cased (e.g. 'D.I.1.4.A').
    """
    paths = [_printed_path(spec, c.id) for c in spec.criteria()]
    mine = _printed_path(spec, criterion_id)
    criterion = next(c for c in spec.criteria() if c.id == criterion_id)
    return mine if criterion.stt and paths.count(mine) == 1 else criterion.id.upper()


def _printed_path(spec: CriteriaSpec, criterion_id: str) -> str:
    def find(nodes, trail):
        for node in nodes:
            if node.id == criterion_id:
                return trail, node
            if isinstance(node, Section):
                found = find(node.items, trail + [node.stt])
                if found:
                    return found
        return None
    trail, node = find(spec.sections, [])
    trail = [t for t in trail if t]
    if trail and node.stt.startswith(trail[-1] + "."):
        trail = trail[:-1]
    return ".".join(trail + ([node.stt] if node.stt else []))
