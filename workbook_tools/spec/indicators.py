"""Indicators spec: the figures the narrative report outlines ask for, as typed fields.

A spec file with ``kind: indicators`` lists groups (one per outline section) of fields, each
a whole number >= 0, a yes/no or a date, and consistency rules between whole-number fields
written as ``a + b <= c``.
"""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass
from typing import Callable

from workbook_tools.problems import make_problem
from workbook_tools.spec.base import FormKind, SpecReader, content_hash, digest_hash
from workbook_tools.spec.yamlio import Fields

FIELD_TYPES = ("int", "bool", "date")
_OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le, ">=": operator.ge, "==": operator.eq, "<": operator.lt, ">": operator.gt,
}
_RULE_PATTERN = re.compile(r"^(?P<left>[^<>=]+)(?P<op><=|>=|==|<|>)(?P<right>[^<>=]+)$")


@dataclass(frozen=True)
class Indicator:
    """One figure to collect."""

    id: str
    stt: str
    label: str
    unit: str
    type: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndicatorGroup:
    """The fields of one outline section."""

    id: str
    stt: str
    title: str
    source: str
    items: tuple[Indicator, ...]


@dataclass(frozen=True)
class Rule:
    """A consistency rule: sum(left) OP sum(right)."""

    id: str
    left: tuple[str, ...]
    op: str
    right: tuple[str, ...]
    message: str

    def holds(self, values: dict[str, float | None]) -> bool | None:
        """True/False, or None when a field it uses is blank."""
        used = [values.get(k) for k in self.left + self.right]
        if any(v is None for v in used):
            return None
        left = sum(values[k] for k in self.left)  # type: ignore[misc]
        right = sum(values[k] for k in self.right)  # type: ignore[misc]
        return _OPS[self.op](left, right)

    def expression(self) -> str:
        """The rule as written in the spec."""
        return f"{' + '.join(self.left)} {self.op} {' + '.join(self.right)}"


@dataclass(frozen=True)
class IndicatorSpec:
    """The figures sheet."""

    id: str
    version: str
    short_name: str
    sheet_name: str
    title: tuple[str, ...]
    legal_basis: str
    groups: tuple[IndicatorGroup, ...]
    rules: tuple[Rule, ...]
    notes: tuple[str, ...]
    source_file: str
    content_hash: str

    kind = FormKind.INDICATORS

    __hash__ = digest_hash

    def indicators(self) -> tuple[Indicator, ...]:
        """Every field, in sheet order."""
        return tuple(i for g in self.groups for i in g.items)

    @functools.cached_property
    def row_ids(self) -> tuple[str, ...]:
        """The ids of the fields, in sheet order (one shared tuple per spec)."""
        return tuple(i.id for i in self.indicators())

    def titles(self, year: int) -> tuple[str, ...]:
        """Title lines with ``{year}`` filled in."""
        return tuple(line.replace("{year}", str(year)) for line in self.title)


def read_indicator_spec(top: Fields, file: str) -> IndicatorSpec:
    """Read an indicators spec from its top-level fields (problems go to top.problems)."""
    ctx = SpecReader(file, top.problems)
    spec_id = ctx.claim_id(top)
    groups = tuple(_read_group(item, ctx, i, top.line_of("groups"))
                   for i, item in enumerate(top.items("groups")))
    types = {i.id: i.type for g in groups for i in g.items}
    rules = tuple(_read_rule(item, ctx, i, top.line_of("rules"), types)
                  for i, item in enumerate(top.items("rules", required=False)))
    fields = dict(
        id=spec_id, version=top.text("version"), short_name=top.text("short_name"),
        sheet_name=top.text("sheet_name"), title=top.texts("title"),
        legal_basis=top.text("legal_basis", ""), groups=groups, rules=rules,
        notes=top.texts("notes"), source_file=file,
    )
    top.finish()
    return IndicatorSpec(**fields, content_hash=content_hash(fields))


def _read_group(data: object, ctx: SpecReader, index: int, line: int) -> IndicatorGroup:
    f = Fields(data, ctx.file, f"nhóm thứ {index + 1} của 'groups'", ctx.problems, line)
    group_id = ctx.claim_id(f)
    f.context = f"nhóm '{group_id}'"
    items = tuple(_read_indicator(item, ctx, f"chỉ tiêu thứ {i + 1} của nhóm '{group_id}'",
                                  f.line_of("items"))
                  for i, item in enumerate(f.items("items")))
    group = IndicatorGroup(id=group_id, stt=f.text("stt", ""), title=f.text("title"),
                           source=f.text("source", ""), items=items)
    f.finish()
    return group


def _read_indicator(data: object, ctx: SpecReader, context: str, line: int) -> Indicator:
    f = Fields(data, ctx.file, context, ctx.problems, line)
    field_id = ctx.claim_id(f)
    f.context = f"chỉ tiêu '{field_id}'"
    field_type = f.text("type")
    if field_type and field_type not in FIELD_TYPES:
        ctx.problems.append(make_problem("VALUE_CHOICE", file=ctx.file, line=f.line_of("type"),
                                         key="type", value=field_type, allowed=", ".join(FIELD_TYPES)))
    indicator = Indicator(id=field_id, stt=f.text("stt", ""), label=f.text("label"),
                          unit=f.text("unit", ""), type=field_type, notes=f.texts("notes"))
    f.finish()
    return indicator


def _read_rule(data: object, ctx: SpecReader, index: int, line: int, types: dict[str, str]) -> Rule:
    f = Fields(data, ctx.file, f"quy tắc thứ {index + 1} của 'rules'", ctx.problems, line)
    rule_id = ctx.claim_id(f)
    check = f.text("check")
    message = f.text("message")
    f.finish()
    left, op, right, detail = parse_rule(check, types)
    if detail:
        ctx.problems.append(make_problem("SPEC_RULE", file=ctx.file, line=f.line_of("check"),
                                         rule=rule_id, detail=detail))
    return Rule(id=rule_id, left=left, op=op, right=right, message=message)


def parse_rule(check: str, types: dict[str, str]) -> tuple[tuple[str, ...], str, tuple[str, ...], str]:
    """Split 'a + b <= c' into its parts; the last item is a problem text or ''."""
    match = _RULE_PATTERN.match(check.replace(" ", ""))
    if not match:
        return (), "<=", (), "không đúng dạng 'a + b <= c'"
    left = tuple(match["left"].split("+"))
    right = tuple(match["right"].split("+"))
    for name in left + right:
        if name not in types:
            return left, match["op"], right, f"không có chỉ tiêu '{name}'"
        if types[name] != "int":
            return left, match["op"], right, f"chỉ tiêu '{name}' không phải kiểu số nguyên"
    return left, match["op"], right, ""
