"""One section of the district's draft, as its outline entry says: the heading; the figures as one
table (the whole district, then each roster group) with the units reporting the most and the least
of the main figure; a fixed note; the classification statistics of a scoring table; the marked
place for the officer (with how many units wrote on it, pointing to the compilation); and, where the
units' texts go upward as they are, each unit's text quoted under its name in roster order, then
the units that wrote nothing there.
"""

from __future__ import annotations

from docx.shared import Mm

from workbook_tools.outputs.unit_reports import DOCUMENT_NAME as COMPILATION
from workbook_tools.paper.docx import CENTER, LEFT
from workbook_tools.report.assessment import write_scores
from workbook_tools.report.draft import NAMED, Draft, add_text, whole
from workbook_tools.report.figures import Cell, FigureTable, extremes, figure_table, indicators_of
from workbook_tools.report.plan import PlanSection
from workbook_tools.report.unit_texts import Quote, SectionTexts, UnitName, section_texts
from workbook_tools.results.years import Results
from workbook_tools.spec.indicators import Indicator

WIDEST = "99.999"  # the widest figure a column is sized for (a larger one wraps between no words: it widens)


def write_section(draft: Draft, current: Results, previous: Results | None, section: PlanSection) -> None:
    """Everything of one section, in reading order."""
    draft.heading(section.heading, section.level)
    if section.figures:
        _figures(draft, current, section)
    if section.note:
        draft.paragraph(draft.fill(section.note), italic=True)
    if section.scores:
        write_scores(draft, current, previous, section.scores)
    texts = section_texts(draft.campaign, current, section.draws_on) if section.draws_on else None
    if section.narrative:
        hint = ""
        if texts is not None and texts.any_report and not section.quote:
            hint = " — " + draft.say("writers_hint", count=len(texts.quotes), expected=texts.expected,
                                     compilation=COMPILATION)
        draft.placeholder(section.narrative.rstrip(".") + hint if hint else section.narrative)
    if section.quote:
        _quotes(draft, texts)


# ----- figures --------------------------------------------------------------------------------------


def _figures(draft: Draft, current: Results, section: PlanSection) -> None:
    table = figure_table(draft.campaign, current, section.figures)
    if table.rows:
        _figure_grid(draft, table)
    if table.missing:
        draft.placeholder(draft.say("no_figure", figure="; ".join(i.label for i in table.missing)), missing=True)
    partial = [draft.say("partial_item", figure=r.indicator.label, count=r.reported, units=r.counted)
               for r in table.rows if r.reported < r.counted]
    if partial:
        draft.figure(draft.say("partial", items="; ".join(partial)), italic=True)
    if section.main_figure:
        _extremes(draft, current, section.main_figure)


def _figure_grid(draft: Draft, table: FigureTable) -> None:
    """Rows: the indicator with its unit of measure; columns: the district, then each group (every
    figures table of the draft with the same columns)."""
    groups = [g.label for g in draft.campaign.groups]
    headers = [draft.say("column_figure"), draft.say("column_district"), *groups]
    rows = [[_label(draft, row.indicator), cell_text(row.district), *(cell_text(c) for c in row.groups)]
            for row in table.rows]
    known = indicators_of(draft.campaign)
    like = [[_label(draft, known[i][0])] + [WIDEST] * (1 + len(groups))
            for part in draft.plan.parts for section in part.sections for i in section.figures]
    draft.table(headers, rows, [LEFT] + [CENTER] * (1 + len(groups)), like=like)


def _label(draft: Draft, indicator: Indicator) -> str:
    """'Số buổi tuyên truyền ... (buổi)'; a yes/no counts units."""
    kind = indicator.type
    unit = indicator.unit if kind == "int" else draft.say("yes_unit" if kind == "bool" else "date_unit")
    return draft.say("figure_unit", figure=indicator.label, unit=unit) if unit else indicator.label


def cell_text(cell: Cell) -> str:
    """'1.234', or '21/34' for yes answers out of answers."""
    return whole(cell.value) if cell.of is None else f"{whole(cell.value)}/{whole(cell.of)}"


def _extremes(draft: Draft, current: Results, indicator_id: str) -> None:
    """One sentence: per group, the units that reported the most and the least of the figure."""
    indicator = indicators_of(draft.campaign)[indicator_id][0]
    labels = {g.id: g.label for g in draft.campaign.groups}
    parts = []
    for found in extremes(draft.campaign, current, indicator_id):
        parts.append(draft.say("extremes_group", group=labels[found.group],
                               most=_units(draft, found.most, indicator.unit),
                               least=_units(draft, found.least, indicator.unit)))
    if parts:
        draft.figure(draft.say("extremes", figure=indicator.label, groups="; ".join(parts)))


def _units(draft: Draft, members, unit: str) -> str:
    """'Xã A (48 buổi), Xã B (48 buổi)', or '12 đơn vị (0 buổi)' when many share the value."""
    if len(members) > NAMED:
        name = draft.say("many_units", count=whole(len(members)))
        return draft.say("unit_value", name=name, value=whole(members[0][1]), unit=unit).replace(" )", ")")
    return ", ".join(draft.say("unit_value", name=row.name, value=whole(value), unit=unit).replace(" )", ")")
                     for row, value in members)


# ----- the units' own texts ------------------------------------------------------------------------------


def _quotes(draft: Draft, texts: SectionTexts | None) -> None:
    """Every unit's text under its name, as it wrote it ('Không' and the like listed on one line);
    then who wrote nothing, who sent nothing."""
    if texts is None or not texts.any_report:
        draft.placeholder(draft.say("no_reports"), missing=True)
        return
    nil = {_bare(answer) for answer in draft.plan.nil_answers}
    said = [q for q in texts.quotes if _bare(q.text) not in nil]
    if said:
        draft.paragraph(draft.say("quotes_intro"), italic=True, keep_next=True)
    for quote in said:
        _quote(draft, quote)
    nothing = tuple(q.unit for q in texts.quotes if _bare(q.text) in nil)
    for key, units in (("said_none", nothing), ("silent", texts.silent)):
        if units:
            draft.paragraph(draft.say(key, names=_names(units)), italic=True)
    for outline_id, units in texts.not_sent:
        report = next((o.short_name for o in draft.campaign.outlines if o.id == outline_id), outline_id)
        names = _names(units) if len(units) <= NAMED else draft.say(
            "not_sent_many", count=whole(len(units)), appendix=len(draft.campaign.scored_forms) + 1)
        draft.paragraph(draft.say("not_sent", report=report, names=names), italic=True)


def _quote(draft: Draft, quote: Quote) -> None:
    """'Xã A: “first line', the next lines indented, the last closing the quote; kept together."""
    lines = [line.strip() for line in quote.text.split("\n") if line.strip()]
    for index, line in enumerate(lines):
        para = draft.paragraph(keep_next=index < len(lines) - 1)
        if index == 0:
            add_text(para, quote.unit.name + ": ", bold=True)
        else:
            para.paragraph_format.left_indent = Mm(5)
        add_text(para, ("“" if index == 0 else "") + line + ("”" if index == len(lines) - 1 else ""), italic=True)


def _bare(text: str) -> str:
    """An answer compared with the 'nothing' answers: case, spaces and end punctuation aside."""
    return " ".join(text.split()).strip(" .;:!\"“”'").casefold()


def _names(units: tuple[UnitName, ...]) -> str:
    return ", ".join(u.name for u in units)
