"""What every spec file shares: ids, the content hash, numbers as Vietnamese text, the form protocol.

``SpecReader`` holds the state while one spec file is read (its problems and the ids already
claimed); the criteria and indicators readers both use it. ``Form`` is what the rest of the
program may rely on for any form a unit fills, whatever its kind.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from workbook_tools.problems import Problem, make_problem
from workbook_tools.spec.yamlio import Fields

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_.-]{0,63}$")


class FormKind(StrEnum):
    """The kinds of spec file (the ``kind:`` key)."""

    CRITERIA = "criteria"      # a scoring table: scored rows, totals, classification
    INDICATORS = "indicators"  # the figures sheet: typed fields and consistency rules
    OUTLINE = "outline"        # a narrative report's outline (a Word template, not a sheet)


class Form(Protocol):
    """One form a unit fills: a sheet of its workbook, read back row by row by its row ids."""

    id: str
    version: str
    short_name: str
    sheet_name: str
    legal_basis: str
    content_hash: str
    source_file: str

    @property
    def kind(self) -> FormKind:
        """Criteria table or figures sheet."""

    @property
    def row_ids(self) -> tuple[str, ...]:
        """The ids of the rows a unit fills, in sheet order."""

    def titles(self, year: int) -> tuple[str, ...]:
        """Title lines with ``{year}`` filled in."""


def format_points(value: Decimal) -> str:
    """A Decimal as a Vietnamese number: 4.5 -> '4,5', 10 -> '10'."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def to_decimal(value: float) -> Decimal:
    """A YAML number as an exact Decimal (via its shortest repr): 10.0 -> 10, 1.50 -> 1.5."""
    number = Decimal(repr(value))
    if number == number.to_integral_value():
        return Decimal(int(number))
    return number.normalize()


class SpecReader:
    """State while reading one spec file: where problems go and which ids are taken."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems
        self.ids: dict[str, int] = {}

    def claim_id(self, fields: Fields) -> str:
        """The ``id`` of a mapping, reported when malformed or already used in this file."""
        node_id = fields.text("id")
        line = fields.line_of("id")
        if node_id and not ID_PATTERN.match(node_id):
            self.problems.append(make_problem("SPEC_BAD_ID", file=self.file, line=line, id=node_id))
        elif node_id in self.ids:
            self.problems.append(make_problem("SPEC_DUPLICATE_ID", file=self.file, line=line,
                                              id=node_id, first_line=self.ids[node_id]))
        elif node_id:
            self.ids[node_id] = line
        return node_id


def content_hash(fields: dict) -> str:
    """SHA-256 of the spec's content (everything but where it was read from)."""
    payload = {k: v for k, v in fields.items() if k not in ("source_file", "content_hash")}
    text = json.dumps(_plain(payload), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest_hash(spec) -> int:
    """A spec's hash (``__hash__ = digest_hash`` in its class): equal specs have equal fields, so equal
    digests, and the digest stands for the whole tree (the generated hash would walk every row at each
    lookup of a layout cache)."""
    return hash((spec.id, spec.content_hash))


def _plain(value: object) -> object:
    if hasattr(value, "__dataclass_fields__"):
        return {"__type__": type(value).__name__, **_plain(asdict(value))}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value
