"""A report outline (đề cương): the narrative report a unit writes, heading by heading.

The headings are the request's own words (with ``{year}`` and ``{next_year}``), each with an id that
names its section in ``bao-cao-don-vi.csv``; a heading may hold sub-headings (one level). Beside the
words: the outline's own bullet lines (``guidance``), a short prompt shown grey in the template,
and the figures the unit already gives on the figures sheet (the template says they need not be
repeated). A campaign lists its outlines under ``outlines`` and each group the ones it writes under
``reports``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from workbook_tools.problems import Problem, Severity, WorkbookToolsError, make_problem
from workbook_tools.spec.base import FormKind, SpecReader, content_hash
from workbook_tools.spec.yamlio import Fields, load_yaml

NUMBER = re.compile(r"^\s*([IVXLC]+|\d+)\s*[.)/]+\s*")


@dataclass(frozen=True)
class OutlineSection:
    """One heading of the outline."""

    id: str
    heading: str                       # verbatim, with its number ('III. KẾT QUẢ THỰC HIỆN NĂM {year}')
    level: int                         # 1: 'I.', 2: '1.'
    parent: str = ""                   # the id of the heading it stands under
    prompt: str = ""
    guidance: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()

    def text(self, year: int) -> str:
        """The heading with the campaign's year filled in."""
        return fill_years(self.heading, year)

    @property
    def number(self) -> str:
        """'III', '2' ... ('' when the heading has none)."""
        match = NUMBER.match(self.heading)
        return match.group(1) if match else ""

    def words(self, year: int) -> str:
        """The heading without its number."""
        return NUMBER.sub("", self.text(year), count=1)


@dataclass(frozen=True)
class OutlineSpec:
    """A report outline: title lines and the headings in document order."""

    id: str
    version: str
    short_name: str
    file_name: str
    title: str
    subtitle: tuple[str, ...]
    scope: str
    signature_title: str
    signature_hint: str
    sections: tuple[OutlineSection, ...]
    source_file: str
    content_hash: str

    kind = FormKind.OUTLINE

    def subtitles(self, year: int) -> tuple[str, ...]:
        """Subtitle lines with the years filled in."""
        return tuple(fill_years(line, year) for line in self.subtitle)

    def section(self, section_id: str) -> OutlineSection:
        """A section by id."""
        return next(s for s in self.sections if s.id == section_id)

    def children(self, section_id: str) -> tuple[OutlineSection, ...]:
        """The sub-headings of a heading."""
        return tuple(s for s in self.sections if s.parent == section_id)

    def leaves(self) -> tuple[OutlineSection, ...]:
        """The headings a unit writes under: those without sub-headings."""
        parents = {s.parent for s in self.sections}
        return tuple(s for s in self.sections if s.id not in parents)

    def label(self, section_id: str) -> str:
        """A heading's short name: 'III.2' under 'III', 'V' for a top heading."""
        section = self.section(section_id)
        if not section.parent:
            return section.number
        return f"{self.section(section.parent).number}.{section.number}"


def fill_years(text: str, year: int) -> str:
    """``{year}`` and ``{next_year}`` filled in."""
    return text.replace("{next_year}", str(year + 1)).replace("{year}", str(year))


def load_outline(path: Path | str) -> OutlineSpec:
    """Load an outline spec, refusing it with every problem found."""
    path = Path(path)
    problems: list[Problem] = []
    top = Fields(load_yaml(path), str(path), "tệp đề cương", problems, line=1)
    kind = top.text("kind", "")
    if kind != FormKind.OUTLINE:
        raise WorkbookToolsError([make_problem("SPEC_KIND", file=str(path), line=top.line_of("kind"), value=kind)])
    spec = read_outline(top, str(path))
    if any(p.severity == Severity.ERROR for p in problems):
        raise WorkbookToolsError(problems)
    return spec


def read_outline(top: Fields, file: str) -> OutlineSpec:
    """Read an outline from its top-level fields (problems go to top.problems)."""
    ctx = SpecReader(file, top.problems)
    spec_id = ctx.claim_id(top)
    sections: list[OutlineSection] = []
    for i, item in enumerate(top.items("sections")):
        _read_section(item, ctx, f"mục thứ {i + 1} của 'sections'", top.line_of("sections"), "", sections)
    if not sections:
        top.problems.append(make_problem("SPEC_EMPTY_SECTION", file=file, line=top.line_of("sections"),
                                         id=spec_id or "sections"))
    fields = dict(
        id=spec_id, version=top.text("version"), short_name=top.text("short_name"),
        file_name=top.text("file_name"), title=top.text("title"), subtitle=top.texts("subtitle"),
        scope=top.text("scope", ""), signature_title=top.text("signature_title"),
        signature_hint=top.text("signature_hint"), sections=tuple(sections), source_file=file,
    )
    top.finish()
    return OutlineSpec(**fields, content_hash=content_hash(fields))


def _read_section(data: object, ctx: SpecReader, context: str, line: int, parent: str,
                  into: list[OutlineSection]) -> None:
    f = Fields(data, ctx.file, context, ctx.problems, line)
    section_id = ctx.claim_id(f)
    into.append(OutlineSection(
        id=section_id, heading=f.text("heading"), level=2 if parent else 1, parent=parent,
        prompt=f.text("prompt", ""), guidance=f.texts("guidance"),
        figures=tuple(str(x) for x in f.items("figures", required=False)),
    ))
    children = f.items("sections", required=False)
    if parent and children:
        ctx.problems.append(make_problem("OUTLINE_TOO_DEEP", file=ctx.file, line=f.line_of("sections"),
                                         id=section_id))
    for i, item in enumerate(children if not parent else ()):
        _read_section(item, ctx, f"mục thứ {i + 1} của '{section_id}'", f.line_of("sections"), section_id, into)
    f.finish()
