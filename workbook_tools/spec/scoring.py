"""Scores computed in Python from the spec: the reference every spreadsheet figure must match.

Totals are rounded to 2 decimals (as the generated formulas do) so that 0.1-step scores
compare exactly with what a spreadsheet computes.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from workbook_tools.spec.criteria import CriteriaSpec, Section

INCOMPLETE = "Chưa chấm đủ"
CENT = Decimal("0.01")


def round2(value: Decimal) -> Decimal:
    """Round half up to 2 decimals, like the spreadsheet ROUND(x, 2)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def section_total(section: Section, scores: dict[str, Decimal]) -> Decimal:
    """Sum of the given scores under a section (missing scores count as nothing)."""
    return round2(sum((scores[c.id] for c in section.criteria() if c.id in scores), Decimal(0)))


def section_totals(spec: CriteriaSpec, scores) -> dict[str, Decimal]:
    """Every section's subtotal in one walk; each equals ``section_total`` for that section."""
    totals: dict[str, Decimal] = {}

    def visit(node) -> Decimal:
        if not isinstance(node, Section):
            return scores.get(node.id) or Decimal(0)
        raw = sum((visit(item) for item in node.items), Decimal(0))
        totals[node.id] = round2(raw)
        return raw
    for section in spec.sections:
        visit(section)
    return totals


def table_total(spec: CriteriaSpec, scores: dict[str, Decimal]) -> Decimal:
    """Sum of the given scores over the whole table."""
    return round2(sum((scores[c.id] for c in spec.criteria() if c.id in scores), Decimal(0)))


def classify(spec: CriteriaSpec, scores: dict[str, Decimal]) -> str:
    """Classification label, or INCOMPLETE when any scored row has no score."""
    if any(c.id not in scores for c in spec.criteria()):
        return INCOMPLETE
    return spec.bands.classify(table_total(spec, scores))
