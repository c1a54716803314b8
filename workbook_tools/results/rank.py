"""Ranks: competition ranking (1, 2, 2, 4) by total, per form, within each group and overall.

Units sharing a rank are listed by name, in Vietnamese alphabetical order.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from decimal import Decimal

from workbook_tools.results.model import UnitOutcome
from workbook_tools.spec.campaign import Campaign, Unit


def rank_units(campaign: Campaign, units: list[UnitOutcome]) -> tuple[UnitOutcome, ...]:
    """Fill rank_in_group and rank_overall for every valid scored form."""
    ranks: dict[tuple[str, str, str], int] = {}
    for form in campaign.scored_forms:
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
    return replace(outcome, forms=forms)


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
