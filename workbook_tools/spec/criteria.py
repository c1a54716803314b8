"""Criteria specs: the official 100-point tables kept as YAML data.

A spec file (``kind: criteria``) holds the table's identity (id, version, title and legal basis
as printed), its score columns, its classification bands and a tree of sections whose leaves
are the scored rows (criteria). Reading checks everything a user could get wrong; ``load.load_spec``
refuses a bad file with every problem found, each naming the file and line and the fix.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Iterator, Union

from workbook_tools.problems import make_problem
from workbook_tools.spec.base import (
    FormKind,
    SpecReader,
    content_hash,
    digest_hash,
    format_points,
    to_decimal,
)
from workbook_tools.spec.yamlio import Fields

SCORE_FILLERS = ("unit", "team")


@dataclass(frozen=True)
class ScoreColumn:
    """A score column of the table: filled by the unit (self-score) or the inspection team."""

    id: str
    label: str
    filled_by: str


@dataclass(frozen=True)
class Band:
    """One classification level: a total at or above ``min`` earns ``label``."""

    label: str
    min: Decimal


@dataclass(frozen=True)
class Bands:
    """Classification bands (xếp loại), highest first."""

    items: tuple[Band, ...]
    placeholder: bool
    note: str

    def classify(self, total: Decimal) -> str:
        """The label for a total."""
        for band in self.items:
            if total >= band.min:
                return band.label
        return self.items[-1].label

    def describe(self) -> str:
        """Human text of the bands, e.g. 'Tốt: từ 90 điểm; Khá: từ 70 đến dưới 90 điểm; ...'."""
        parts, upper = [], None
        for band in self.items:
            low = format_points(band.min)
            if upper is None:
                parts.append(f"{band.label}: từ {low} điểm trở lên")
            elif band.min == 0:
                parts.append(f"{band.label}: dưới {format_points(upper)} điểm")
            else:
                parts.append(f"{band.label}: từ {low} đến dưới {format_points(upper)} điểm")
            upper = band.min
        text = "; ".join(parts)
        return f"{text} ({self.note})" if self.note else text


@dataclass(frozen=True)
class Criterion:
    """A scored row: stable id, printed STT (may repeat or be empty), text, maximum."""

    id: str
    stt: str
    text: str
    max: Decimal
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A heading row with a maximum equal to the sum of its items."""

    id: str
    stt: str
    text: str
    max: Decimal
    items: tuple["Node", ...]
    notes: tuple[str, ...] = ()

    def criteria(self) -> Iterator[Criterion]:
        """Every scored row under this section, in order."""
        for item in self.items:
            if isinstance(item, Section):
                yield from item.criteria()
            else:
                yield item


Node = Union[Section, Criterion]


def walk(nodes: Iterable[Node], depth: int = 0) -> Iterator[tuple[Node, int]]:
    """Every section and criterion under ``nodes`` in table order, with its nesting depth."""
    for node in nodes:
        yield node, depth
        if isinstance(node, Section):
            yield from walk(node.items, depth + 1)


@dataclass(frozen=True)
class CriteriaSpec:
    """One official scoring table."""

    id: str
    version: str
    short_name: str
    sheet_name: str
    title: tuple[str, ...]
    subtitle: str
    legal_basis: str
    total: Decimal
    content_label: str
    max_label: str
    evidence_label: str
    score_columns: tuple[ScoreColumn, ...]
    bands: Bands
    notes: tuple[str, ...]
    footnote: str
    signature_title: str
    signature_hint: str
    total_label: str
    classification_label: str
    sections: tuple[Section, ...]
    source_file: str
    content_hash: str

    kind = FormKind.CRITERIA

    __hash__ = digest_hash

    def criteria(self) -> tuple[Criterion, ...]:
        """Every scored row, in table order."""
        return self._criteria

    @functools.cached_property
    def _criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for s in self.sections for c in s.criteria())

    @functools.cached_property
    def row_ids(self) -> tuple[str, ...]:
        """The ids of the scored rows, in table order (one shared tuple per spec)."""
        return tuple(c.id for c in self.criteria())

    def unit_column(self) -> ScoreColumn:
        """The column the unit fills (self-score)."""
        return next(c for c in self.score_columns if c.filled_by == "unit")

    def titles(self, year: int) -> tuple[str, ...]:
        """Title lines with ``{year}`` filled in."""
        return tuple(line.replace("{year}", str(year)) for line in self.title)


# ---------------------------------------------------------------- loading


def read_criteria_spec(top: Fields, file: str) -> CriteriaSpec:
    """Read a criteria spec from its top-level fields (problems go to top.problems)."""
    ctx = SpecReader(file, top.problems)
    spec_id = ctx.claim_id(top)
    columns = top.sub("columns", "mục 'columns'")
    score_columns = _read_score_columns(columns, ctx)
    content_label = columns.text("content")
    max_label = columns.text("max")
    evidence_label = columns.text("evidence")
    columns.finish()
    sections = tuple(_read_node(item, ctx, f"mục thứ {i + 1} của 'sections'", top.line_of("sections"))
                     for i, item in enumerate(top.items("sections")))
    sections = tuple(s for s in sections if isinstance(s, Section))
    total = to_decimal(top.number("total"))
    actual = sum((s.max for s in sections), Decimal(0))
    if sections and actual != total:
        ctx.problems.append(make_problem("SPEC_TOTAL", file=file, line=top.line_of("total"),
                                         actual=format_points(actual), declared=format_points(total)))
    fields = dict(
        id=spec_id, version=top.text("version"), short_name=top.text("short_name"),
        sheet_name=top.text("sheet_name"), title=top.texts("title"),
        subtitle=top.text("subtitle", ""), legal_basis=top.text("legal_basis"), total=total,
        content_label=content_label, max_label=max_label, evidence_label=evidence_label,
        score_columns=score_columns, bands=_read_bands(top.sub("bands", "mục 'bands'"), ctx, total),
        notes=top.texts("notes"), footnote=top.text("footnote", ""),
        signature_title=top.text("signature_title"), signature_hint=top.text("signature_hint"),
        total_label=top.text("total_label"), classification_label=top.text("classification_label"),
        sections=sections, source_file=file,
    )
    top.finish()
    return CriteriaSpec(**fields, content_hash=content_hash(fields))


def _read_score_columns(columns: Fields, ctx: SpecReader) -> tuple[ScoreColumn, ...]:
    result = []
    for i, item in enumerate(columns.items("scores")):
        f = Fields(item, ctx.file, f"cột điểm thứ {i + 1}", ctx.problems, columns.line_of("scores"))
        filled_by = f.text("filled_by")
        if filled_by and filled_by not in SCORE_FILLERS:
            ctx.problems.append(make_problem("VALUE_CHOICE", file=ctx.file, line=f.line_of("filled_by"),
                                             key="filled_by", value=filled_by,
                                             allowed=", ".join(SCORE_FILLERS)))
        result.append(ScoreColumn(id=ctx.claim_id(f), label=f.text("label"), filled_by=filled_by))
        f.finish()
    if sum(1 for c in result if c.filled_by == "unit") != 1:
        ctx.problems.append(make_problem("SPEC_SCORE_COLUMNS", file=ctx.file,
                                         line=columns.line_of("scores"),
                                         detail="cần đúng một cột do đơn vị tự chấm"))
    return tuple(result)


def _read_bands(f: Fields, ctx: SpecReader, total: Decimal) -> Bands:
    items = []
    for i, item in enumerate(f.items("levels")):
        b = Fields(item, ctx.file, f"mức xếp loại thứ {i + 1}", ctx.problems, f.line_of("levels"))
        items.append(Band(label=b.text("label"), min=to_decimal(b.number("min"))))
        b.finish()
    bands = Bands(items=tuple(items), placeholder=f.flag("placeholder"), note=f.text("note", ""))
    f.finish()
    detail = _bands_problem(bands, total)
    if detail:
        ctx.problems.append(make_problem("SPEC_BANDS", file=ctx.file, line=f.line, detail=detail))
    return bands


def _bands_problem(bands: Bands, total: Decimal) -> str:
    mins = [b.min for b in bands.items]
    if not mins:
        return "chưa có mức nào"
    if any(a <= b for a, b in zip(mins, mins[1:])):
        return "các mức phải có 'min' giảm dần"
    if mins[-1] != 0:
        return "mức cuối phải có min: 0"
    if mins[0] > total:
        return f"mức cao nhất vượt tổng điểm {format_points(total)}"
    return ""


def _read_node(data: object, ctx: SpecReader, context: str, line: int) -> Node | None:
    f = Fields(data, ctx.file, context, ctx.problems, line)
    node_id = ctx.claim_id(f)
    context = f"mục '{node_id}'" if node_id else context
    f.context = context
    stt = f.text("stt", "")
    text = f.text("text")
    max_points = to_decimal(f.number("max"))
    notes = f.texts("notes")
    if max_points <= 0:
        ctx.problems.append(make_problem("SPEC_MAX_NOT_POSITIVE", file=ctx.file,
                                         line=f.line_of("max"), id=node_id, value=format_points(max_points)))
    if not f.has("items"):
        f.finish()
        return Criterion(id=node_id, stt=stt, text=text, max=max_points, notes=notes)
    children = tuple(_read_node(item, ctx, f"mục con thứ {i + 1} của {context}", f.line_of("items"))
                     for i, item in enumerate(f.items("items")))
    children = tuple(c for c in children if c is not None)
    f.finish()
    section = Section(id=node_id, stt=stt, text=text, max=max_points, items=children, notes=notes)
    _check_section_sum(section, ctx, f.line_of("max"))
    return section


def _check_section_sum(section: Section, ctx: SpecReader, line: int) -> None:
    if not section.items:
        ctx.problems.append(make_problem("SPEC_EMPTY_SECTION", file=ctx.file, line=line, id=section.id))
        return
    actual = sum((item.max for item in section.items), Decimal(0))
    if actual != section.max:
        ctx.problems.append(make_problem("SPEC_SECTION_SUM", file=ctx.file, line=line, id=section.id,
                                         declared=format_points(section.max), actual=format_points(actual)))
