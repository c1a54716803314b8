"""The district's report outline (``kind: report``, the campaign's ``report:`` file), read and checked.

The district speaks in its own headings (not the units' instructions); each section says what goes
under it: ``figures`` (indicator ids of the figures sheet, shown as one table), ``main_figure`` (the
figure whose highest and lowest units are named), ``scores`` (the scoring table whose classification
statistics stand there), ``note`` (a fixed sentence), ``draws_on`` (the sections of the units'
outlines it draws on, ``<outline id>:<section id>``), ``quote`` (the units' texts go upward as they
are, each under its unit's name) and ``narrative`` (what the officer writes, a marked place). Every
sentence the draft makes is a template under ``wording``, its ``{names}`` checked here.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from workbook_tools.problems import Problem, Severity, WorkbookToolsError, make_problem
from workbook_tools.spec.base import SpecReader
from workbook_tools.spec.campaign import Campaign
from workbook_tools.spec.yamlio import Fields, load_yaml

KIND = "report"
# Each template of 'wording' and the names it may use.
WORDING: dict[str, frozenset[str]] = {key: frozenset(names.split()) for key, names in {
    "intro": "request office received units district",
    "figures_basis": "count units", "no_figure": "figure",
    "column_figure": "", "figure_unit": "figure unit", "column_district": "", "yes_unit": "", "date_unit": "",
    "partial": "items", "partial_item": "figure count units",
    "extremes": "figure groups", "extremes_group": "group most least", "many_units": "count",
    "unit_value": "name value unit",
    "writers_hint": "count expected compilation", "no_reports": "",
    "quotes_intro": "", "silent": "names", "said_none": "names", "not_sent": "report names",
    "not_sent_many": "count appendix",
    "scores": "form year valid units invalid missing bands appendix",
    "column_group": "", "column_units": "", "column_unrated": "", "column_average": "",
    "score_extremes": "groups", "score_extremes_group": "group top bottom", "unit_points": "name points",
    "score_changes": "previous_year form district now before change appendix",
    "signer_name": "",
}.items()}


@dataclass(frozen=True)
class Source:
    """A section of a unit outline a district section draws on."""

    outline_id: str
    section_id: str


@dataclass(frozen=True)
class PlanSection:
    """One heading of the district's report and what goes under it."""

    id: str
    heading: str                      # with its number and {year} / {next_year}
    level: int                        # 1: 'I.', 2: '1.'
    figures: tuple[str, ...] = ()
    main_figure: str = ""
    scores: str = ""
    note: str = ""
    draws_on: tuple[Source, ...] = ()
    quote: bool = False
    narrative: str = ""


@dataclass(frozen=True)
class PlanPart:
    """A part of the report (QCDC, DVCQ): its title lines and its sections in document order."""

    id: str
    title: tuple[str, ...]
    sections: tuple[PlanSection, ...]


@dataclass(frozen=True)
class ReportPlan:
    """The district's report outline."""

    id: str
    version: str
    title: str
    subtitle: str
    recipients: tuple[str, ...]
    nil_answers: tuple[str, ...]   # a unit's answer meaning "nothing" ('Không'), listed not quoted
    parts: tuple[PlanPart, ...]
    wording: dict[str, str]
    source_file: str

    def say(self, key: str, **names: object) -> str:
        """A template of 'wording' filled in (``{year}`` and ``{next_year}`` kept for ``fill``)."""
        return self.wording[key].format_map(_Keep(names))


class _Keep(dict):
    """Names not given stay as they are written ('{year}' filled in later)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def load_plan(path: Path | str, campaign: Campaign) -> ReportPlan:
    """Load the district's report outline, refusing it with every problem found (unknown figures,
    forms, outline sections, template names)."""
    path = Path(path)
    problems: list[Problem] = []
    top = Fields(load_yaml(path), str(path), "dàn ý báo cáo của huyện", problems, line=1)
    kind = top.text("kind", "")
    if kind != KIND:
        raise WorkbookToolsError([make_problem("SPEC_KIND", file=str(path), line=top.line_of("kind"), value=kind)])
    reader = SpecReader(str(path), problems)
    plan_id = reader.claim_id(top)
    parts = tuple(_part(item, reader, campaign, i, top.line_of("parts"))
                  for i, item in enumerate(top.items("parts")))
    plan = ReportPlan(id=plan_id, version=top.text("version"), title=top.text("title"),
                      subtitle=top.text("subtitle"), recipients=top.texts("recipients"),
                      nil_answers=top.texts("nil_answers"), parts=parts,
                      wording=_wording(top.sub("wording", "mục 'wording'"), str(path)), source_file=str(path))
    top.finish()
    if any(p.severity == Severity.ERROR for p in problems):
        raise WorkbookToolsError(problems)
    return plan


def _part(data: object, reader: SpecReader, campaign: Campaign, index: int, line: int) -> PlanPart:
    f = Fields(data, reader.file, f"phần thứ {index + 1} của 'parts'", reader.problems, line)
    part_id = reader.claim_id(f)
    sections: list[PlanSection] = []
    for i, item in enumerate(f.items("sections")):
        _section(item, reader, campaign, (f"mục thứ {i + 1} của phần '{part_id}'", f.line_of("sections")), 1,
                 sections)
    title = f.texts("title")
    if not title:
        f.text("title")  # reported as missing
    f.finish()
    return PlanPart(part_id, title, tuple(sections))


def _section(data: object, reader: SpecReader, campaign: Campaign, where: tuple[str, int], level: int,
             into: list[PlanSection]) -> None:
    f = Fields(data, reader.file, where[0], reader.problems, where[1])
    section_id = reader.claim_id(f)
    f.context = f"mục '{section_id}'"
    figures = tuple(str(x) for x in f.items("figures", required=False))
    for figure in figures:
        _known(f, "figures", figure, _figure_ids(campaign))
    if f.text("main_figure", ""):
        _known(f, "main_figure", f.text("main_figure", ""), _figure_ids(campaign))
    scores = f.text("scores", "")
    if scores:
        _known(f, "scores", scores, {s.id for s in campaign.scored_forms})
    into.append(PlanSection(
        id=section_id, heading=f.text("heading"), level=level, figures=figures,
        main_figure=f.text("main_figure", ""),
        scores=scores, note=f.text("note", ""), draws_on=_sources(f, campaign), quote=f.flag("quote"),
        narrative=f.text("narrative", "")))
    children = f.items("sections", required=False)
    if children and level > 1:
        reader.problems.append(make_problem("OUTLINE_TOO_DEEP", file=reader.file, line=f.line_of("sections"),
                                            id=section_id))
    for i, item in enumerate(children if level == 1 else ()):
        _section(item, reader, campaign, (f"mục thứ {i + 1} của '{section_id}'", f.line_of("sections")), 2, into)
    f.finish()


def _figure_ids(campaign: Campaign) -> set[str]:
    return {i.id for form in campaign.figure_forms for i in form.indicators()}


def _known(f: Fields, key: str, value: str, known: set[str]) -> None:
    """A reference to something the campaign declares (a figure, a scoring table, an outline section)."""
    if value not in known:
        f.problems.append(make_problem("VALUE_CHOICE", file=f.file, line=f.line_of(key), key=key, value=value,
                                       allowed=", ".join(sorted(known)[:12]) + (", ..." if len(known) > 12
                                                                                 else "")))


def _sources(f: Fields, campaign: Campaign) -> tuple[Source, ...]:
    """'draws_on' as outline sections; checked against the campaign's outlines when it declares any
    (a campaign that asks for no narrative reports has nothing to draw on)."""
    known = {f"{o.id}:{s.id}" for o in campaign.outlines for s in o.sections}
    sources = []
    for item in f.items("draws_on", required=False):
        text = str(item).strip()
        if campaign.outlines:
            _known(f, "draws_on", text, known)
        outline_id, _, section_id = text.partition(":")
        sources.append(Source(outline_id, section_id))
    return tuple(sources) if campaign.outlines else ()


def _wording(f: Fields, file: str) -> dict[str, str]:
    """Every template (all required), each using only the names it may."""
    wording = {}
    for key, allowed in WORDING.items():
        text = f.text(key)
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError:
            f.problems.append(make_problem("VALUE_TYPE", file=file, line=f.line_of(key), key=key, value=text[:40],
                                           expected="một câu mẫu có dấu ngoặc {} đóng mở đúng"))
            used = set()
        for name in sorted(used - allowed - {"year", "next_year"}):
            f.problems.append(make_problem("VALUE_CHOICE", file=file, line=f.line_of(key), key=key,
                                           value="{" + name + "}",
                                           allowed=", ".join("{" + n + "}" for n in sorted(allowed))
                                           or "(không có)"))
        wording[key] = text
    f.finish()
    return wording
