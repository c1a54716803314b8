"""Which unit an attached document (a Word report, a PDF, a scan) belongs to, when that can be told.

Best first: a unit code at the start of the document's file name; the workbooks sent with it in
the same e-mail or archive, when they all are one unit's; a unit's name in the file name; the
names of the folders and containers it was found in, nearest first. A name that fits several
units, or that stands in the receiving office's or the district's own name (reports are sent *to*
the office, about the district), tells nothing: the document then stays without a unit.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import replace

from workbook_tools.read.inbox import SEPARATOR, FoundFile
from workbook_tools.results.contracts import Verdict
from workbook_tools.results.model import FileOutcome
from workbook_tools.spec.campaign import Campaign

PLACE_PREFIXES = ("xa ", "thi tran ", "phuong ")  # a commune may be named without its kind


def attribute_documents(campaign: Campaign, outcomes: list[FileOutcome]) -> list[FileOutcome]:
    """The outcomes with each attached document's unit filled in where it can be told."""
    units_in: dict[str, set[str]] = defaultdict(set)
    for outcome in outcomes:
        if outcome.verdict in (Verdict.USED, Verdict.SUPERSEDED) and outcome.found.container:
            units_in[outcome.found.container].add(outcome.unit_code)
    names = _unit_names(campaign)
    return [replace(o, unit_code=_unit_of(campaign, o.found, units_in, names)) if o.verdict == Verdict.ATTACHED
            else o for o in outcomes]


def _unit_of(campaign: Campaign, found: FoundFile, units_in: dict[str, set[str]],
             names: dict[str, str]) -> str:
    by_code = campaign.unit_code_named_in(found.name)
    if by_code:
        return by_code
    senders = units_in.get(found.container, set())
    if len(senders) == 1:
        return next(iter(senders))
    by_name = _named(found.name, names)
    if by_name:
        return by_name
    for place in reversed(_places(found.rel)):
        code = campaign.unit_code_named_in(place) or _named(place, names)
        if code:
            return code
    return ""


def _places(rel: str) -> list[str]:
    """The folders and containers an entry was found in, outermost first."""
    parts = []
    for segment in rel.split(SEPARATOR):
        parts.extend(segment.split("/"))
    return [p for p in parts[:-1] if p]


def _unit_names(campaign: Campaign) -> dict[str, str]:
    """Normalised name -> unit code, for names that tell one unit (see the module docstring)."""
    told = f" {_normal(campaign.receiving_office)} | {_normal(campaign.district)} | {_normal(campaign.issuer)} "
    found: dict[str, set[str]] = defaultdict(set)
    for unit in campaign.units:
        name = _normal(unit.name)
        found[name].add(unit.code)
        for prefix in PLACE_PREFIXES:
            if name.startswith(prefix) and name.count(" ") >= prefix.count(" ") + 1:
                found[name[len(prefix):]].add(unit.code)
    return {name: next(iter(codes)) for name, codes in found.items()
            if len(codes) == 1 and f" {name} " not in told}


def _named(text: str, names: dict[str, str]) -> str | None:
    """The one unit whose name stands in the text (as whole words), else None."""
    padded = f" {_normal(text)} "
    hits = {code for name, code in names.items() if f" {name} " in padded}
    return next(iter(hits)) if len(hits) == 1 else None


def _normal(text: str) -> str:
    """Lower case, no diacritics (đ -> d), words separated by single spaces."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.split(r"[^0-9a-z]+", text)).strip()
