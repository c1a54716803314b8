"""Fill a generated workbook the way a unit would, without a spreadsheet application.

Used by ``demo`` (a realistic inbox), the tests and the benchmarks. Values are written with
openpyxl into the same cells a person types into; validation is not applied (as when a value is
pasted over it), so faults can be simulated. The last-saved time in docProps/core.xml can be
set, as Excel or LibreOffice would have written it on that date.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl

from workbook_tools.campaign import Campaign
from workbook_tools.indicators import IndicatorSpec
from workbook_tools.layout import plan_criteria, plan_indicators
from workbook_tools.spec import CriteriaSpec

Scores = dict[str, dict[str, object]]  # form id -> criterion id -> value as typed
Figures = dict[str, object]            # indicator id -> value as typed


def fill_workbook(campaign: Campaign, src: Path, dst: Path, scores: Scores, figures: Figures,
                  saved_at: dt.datetime | None = None,
                  edit: Callable[[openpyxl.Workbook], None] | None = None) -> Path:
    """Write scores and figures into a copy of src at dst; optionally set its save time."""
    book = openpyxl.load_workbook(src)
    for form_id, values in scores.items():
        spec = campaign.form(form_id)
        layout = plan_criteria(spec, campaign.year)
        sheet = book[spec.sheet_name]
        for criterion_id, value in values.items():
            sheet[layout.score_cell(criterion_id)] = float(value) if isinstance(value, Decimal) else value
    for spec in campaign.forms:
        if isinstance(spec, IndicatorSpec) and figures:
            layout = plan_indicators(spec, campaign.year)
            sheet = book[spec.sheet_name]
            for field_id, value in figures.items():
                if value is not None and field_id in {i.id for i in spec.indicators()}:
                    sheet[layout.value_cell(field_id)] = value
    if edit:
        edit(book)
    book.save(dst)
    if saved_at is not None:
        set_saved_at(dst, saved_at)
    return dst


def set_saved_at(path: Path, saved_at: dt.datetime) -> None:
    """Rewrite dcterms:modified in docProps/core.xml (UTC), keeping every other part."""
    stamp = saved_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            dst.writestr(info, data)
    shutil.move(tmp, path)


def sample_scores(campaign: Campaign, rng: random.Random, level: float) -> Scores:
    """Plausible self-scores for every scored form: about ``level`` of each maximum, in 0.5 steps."""
    scores: Scores = {}
    for spec in campaign.forms:
        if isinstance(spec, CriteriaSpec):
            form = {}
            for criterion in spec.criteria():
                share = min(1.0, max(0.0, rng.gauss(level, 0.12)))
                halves = round(float(criterion.max) * 2 * share)
                form[criterion.id] = Decimal(halves) / 2
            scores[spec.id] = form
    return scores


def sample_figures(campaign: Campaign, rng: random.Random) -> Figures:
    """Plausible figures of the right types that satisfy every consistency rule."""
    figures: Figures = {}
    rules = []
    for spec in campaign.forms:
        if not isinstance(spec, IndicatorSpec):
            continue
        rules.extend(spec.rules)
        for indicator in spec.indicators():
            if indicator.type == "int":
                figures[indicator.id] = rng.randint(0, 40)
            elif indicator.type == "bool":
                figures[indicator.id] = rng.choice(("Có", "Có", "Có", "Không"))
            else:
                figures[indicator.id] = dt.date(campaign.year, rng.randint(1, 3), rng.randint(1, 28))
    for _ in range(10):
        broken = [r for r in rules if r.holds(figures) is False]
        if not broken:
            break
        for rule in broken:
            left = sum(figures[k] for k in rule.left)
            right = sum(figures[k] for k in rule.right)
            grow_right = rule.op in ("<=", "<") or (rule.op == "==" and left > right)
            target = rule.right[0] if grow_right else rule.left[0]
            gap = abs(left - right) + (1 if rule.op in ("<", ">") else 0)
            figures[target] += gap + (0 if rule.op == "==" else rng.randint(0, 5))
    return figures
