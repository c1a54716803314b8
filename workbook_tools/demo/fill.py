"""Fill a generated workbook the way a unit would, without a spreadsheet application.

Used by ``demo`` (a realistic inbox), the tests and the benchmarks. Values are written with
openpyxl into the same cells a person types into; validation is not applied (as when a value is
pasted over it), so faults can be simulated. The last-saved time in docProps/core.xml can be
set, as Excel or LibreOffice would have written it on that date.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import random
import re
import shutil
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl

from workbook_tools.form.layout import plan_criteria, plan_indicators
from workbook_tools.spec.campaign import Campaign

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
    for spec in campaign.figure_forms if figures else ():
        layout = plan_indicators(spec, campaign.year)
        sheet = book[spec.sheet_name]
        for field_id, value in figures.items():
            if value is not None and field_id in spec.row_ids:
                sheet[layout.value_cell(field_id)] = value
    if edit:
        edit(book)
    book.save(dst)
    if saved_at is not None:
        set_saved_at(dst, saved_at)
    return dst


def set_saved_at(path: Path, saved_at: dt.datetime) -> None:
    """Rewrite dcterms:modified in docProps/core.xml (UTC), keeping every other part; the file's
    modification time becomes the same moment, as if it was received in the inbox when saved."""
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _with_saved_at(data, saved_at)
            dst.writestr(info, data)
    shutil.move(tmp, path)
    stamp = saved_at.timestamp()
    os.utime(path, (stamp, stamp))


def _with_saved_at(core_xml: bytes, saved_at: dt.datetime) -> bytes:
    """docProps/core.xml with dcterms:modified set to saved_at (written in UTC, as Excel does)."""
    stamp = saved_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                  rb"\g<1>" + stamp.encode() + rb"\g<2>", core_xml)


def sample_scores(campaign: Campaign, rng: random.Random, level: float) -> Scores:
    """Plausible self-scores for every scored form: about ``level`` of each maximum, in 0.5 steps."""
    scores: Scores = {}
    for spec in campaign.scored_forms:
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
    for spec in campaign.figure_forms:
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


_EMPTY_CELL = r'<c r="{ref}"( s="\d+")?/>'
_CACHED = re.compile(rb"(<f>[^<]*</f>)<v>[^<]*</v>")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def fast_fill(campaign: Campaign, src: bytes, scores: Scores, figures: Figures,
              saved_at: dt.datetime | None = None) -> bytes:
    """Fill a freshly generated workbook by editing its XML directly (about 100x faster).

    Only for workbooks written by ``generate`` (xlsxwriter puts sheet N in sheetN.xml and writes
    input cells as empty styled cells). Cached formula results are dropped, as after an edit
    that was not recalculated; every other part is copied unchanged.
    """
    values_by_sheet = _values_by_sheet(campaign, scores, figures)
    order = _sheet_order(src)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            sheet = order.get(info.filename)
            if sheet in values_by_sheet:
                data = _fill_sheet(data, values_by_sheet[sheet])
            elif info.filename == "docProps/core.xml" and saved_at is not None:
                data = _with_saved_at(data, saved_at)
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return out.getvalue()


def _values_by_sheet(campaign: Campaign, scores: Scores, figures: Figures) -> dict[str, dict[str, object]]:
    result: dict[str, dict[str, object]] = {}
    for spec in campaign.scored_forms:
        if spec.id in scores:
            layout = plan_criteria(spec, campaign.year)
            result[spec.sheet_name] = {layout.score_cell(c): v for c, v in scores[spec.id].items()}
    for spec in campaign.figure_forms if figures else ():
        layout = plan_indicators(spec, campaign.year)
        result[spec.sheet_name] = {layout.value_cell(f): v for f, v in figures.items()
                                   if f in spec.row_ids and v is not None}
    return result


def _sheet_order(src: bytes) -> dict[str, str]:
    """Part name -> sheet name, from xl/workbook.xml (xlsxwriter: sheetN.xml is the Nth sheet)."""
    with zipfile.ZipFile(io.BytesIO(src)) as zin:
        workbook = zin.read("xl/workbook.xml").decode("utf-8")
    names = re.findall(r'<sheet name="([^"]*)"', workbook)
    return {f"xl/worksheets/sheet{i}.xml": html.unescape(name) for i, name in enumerate(names, start=1)}


def _fill_sheet(data: bytes, values: dict[str, object]) -> bytes:
    text = data.decode("utf-8")
    for ref, value in values.items():
        pattern = re.compile(_EMPTY_CELL.format(ref=ref))
        text, count = pattern.subn(lambda m, v=value, r=ref: _cell_xml(r, m.group(1) or "", v), text, count=1)
        if not count:
            raise ValueError(f"cell {ref} is not an empty input cell")
    return _CACHED.sub(rb"\1", text.encode("utf-8"))


def _cell_xml(ref: str, style: str, value: object) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}"{style}><v>{(value - EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, (int, float, Decimal)):
        return f'<c r="{ref}"{style}><v>{value}</v></c>'
    return f'<c r="{ref}"{style} t="inlineStr"><is><t>{html.escape(str(value), quote=False)}</t></is></c>'


def write_synthetic_campaign(folder: Path, units: int, template: Path) -> Path:
    """A copy of a campaign with a roster of ``units`` made-up units (half communes, half agencies).

    Spec paths are made absolute and the secret key lives in the folder. Returns campaign.yaml.
    """
    folder.mkdir(parents=True, exist_ok=True)
    text = template.read_text(encoding="utf-8")
    base = template.parent.resolve()
    text = re.sub(r"(?m)^(\s*- )(\.\./\S+\.yaml)$", lambda m: m[1] + str((base / m[2]).resolve()), text)
    text = re.sub(r"(?m)^roster: .*$", "roster: roster.csv", text)
    (folder / "campaign.yaml").write_text(text, encoding="utf-8")
    lines = ["code,name,group"]
    for index in range(1, units + 1):
        group = "xa" if index % 2 else "co_quan"
        name = f"Xã Thử Nghiệm {index:05d}" if group == "xa" else f"Phòng Thử Nghiệm {index:05d}"
        lines.append(f"T{index:05d},{name},{group}")
    (folder / "roster.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "campaign.yaml"
