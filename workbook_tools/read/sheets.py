"""Checks of one form sheet of a returned workbook, and the pieces the review reader shares.

Rows are found by the ids in hidden column A (never by position), so inserted, deleted or moved
rows are reported and the scores still read. Rows and columns here are 1-based, as Excel shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from workbook_tools.form.layout import (
    COL_MAX,
    COL_TEXT,
    IND_COL_VALUE,
    MARK_HEADER,
    MARK_TOTAL,
    plan_criteria,
    plan_indicators,
)
from workbook_tools.problems import ProblemSink, excel_cell, nfc
from workbook_tools.read.values import FIGURE_EXPECTED, is_blank, parse_figure, parse_score, to_number
from workbook_tools.read.xlsx import Book, Sheet
from workbook_tools.spec.base import format_points
from workbook_tools.spec.campaign import Campaign, TextScores
from workbook_tools.spec.criteria import CriteriaSpec, Criterion, Section
from workbook_tools.spec.indicators import Indicator, IndicatorSpec
from workbook_tools.spec.scoring import classify, round2, table_total


@dataclass(frozen=True, slots=True)
class FormResult:
    """What was read from one form of a submission."""

    form_id: str
    sheet: str
    scores: dict[str, Decimal] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # the unit's evidence note per criterion
    figures: dict[str, object] = field(default_factory=dict)
    complete: bool = False
    total: Decimal | None = None
    classification: str | None = None
    text_cells: tuple[str, ...] = ()  # score cells holding a number typed as text (left out of the sheet's total)


def find_sheet(book: Book, expected: str, wanted: set[str], columns: frozenset[int] | None,
               sink: ProblemSink, others: frozenset[str] = frozenset()) -> Sheet | None:
    """The sheet by its name, else the first sheet (not one of ``others``, the sheets that belong
    to something else) holding at least half the wanted row ids, reported as renamed; else None."""
    found = book.sheet(expected, columns) if expected else None
    if found is not None:
        return found
    for name in (n for n in book.order if n not in others):
        sheet = book.sheet(name, columns)
        present = {c.value for (_row, col), c in sheet.cells.items() if col == 1}
        if wanted and len(wanted & present) >= len(wanted) // 2:
            sink.add("WB_SHEET_RENAMED", sheet=sheet.name, expected=expected, sheet_name=sheet.name)
            return sheet
    return None


def id_rows(sheet: Sheet) -> dict[str, list[int]]:
    """Row id (hidden column A) -> the 1-based rows holding it, in order."""
    rows: dict[str, list[int]] = {}
    for (row, col), cell in sheet.cells.items():
        if col == 1 and isinstance(cell.value, str):
            rows.setdefault(cell.value, []).append(row)
    for found in rows.values():
        if len(found) > 1:
            found.sort()
    return rows


def header_ok(sheet: Sheet, header_row: int | None, expected: dict[int, str], sink: ProblemSink) -> bool:
    """Whether the header row holds the expected labels (1-based column -> label)."""
    for col, label in expected.items():
        value = sheet.value(header_row, col) if header_row else None
        if not isinstance(value, str) or nfc(value).strip() != label:
            sink.add("WB_COLUMNS_CHANGED", sheet=sheet.name, row=header_row or 1, col=col, expected=label)
            return False
    return True


class RowFinder:
    """Finds planned rows by their id in column A, reporting rows missing or duplicated.

    After iterating ``rows``: ``moved`` counts rows found away from their planned place and
    ``complete`` says whether every scored row or field was found."""

    def __init__(self, ids: dict[str, list[int]], sheet: Sheet, sink: ProblemSink):
        self.ids, self.sheet, self.sink = ids, sheet, sink
        self.moved, self.complete = 0, True

    def rows(self, planned: Iterable[tuple[object, str, int]]) -> Iterator[tuple[object, int]]:
        """(node, 1-based row) for each planned (node, its id, planned 1-based row) found once.

        A scored row or field found nowhere or more than once is reported; a section heading is
        only skipped (its subtotal is recomputed anyway)."""
        for node, row_id, planned_row in planned:
            found = self.ids.get(row_id, [])
            if len(found) != 1:
                if not isinstance(node, Section):
                    self.sink.add("WB_ROW_MISSING" if not found else "WB_ROW_DUPLICATED", sheet=self.sheet.name,
                                  stt=node.stt or "-", id=node.id)
                    self.complete = False
                continue
            self.moved += found[0] != planned_row
            yield node, found[0]


def check_fixed_cells(sheet: Sheet, row: int, criterion: Criterion, text_col: int, max_col: int,
                      sink: ProblemSink) -> None:
    """The criterion's text and maximum as generated (locked cells a unit may still have edited)."""
    stt = criterion.stt or "-"
    text = sheet.value(row, text_col)
    if text != criterion.text and (not isinstance(text, str) or nfc(text).strip() != criterion.text):
        sink.add("WB_TEXT_CHANGED", sheet=sheet.name, row=row, col=text_col, stt=stt)
    printed = sheet.value(row, max_col)
    if to_number(printed) != criterion.max:
        sink.add("WB_MAX_CHANGED", sheet=sheet.name, row=row, col=max_col, stt=stt,
                 value=printed, max=format_points(criterion.max))


def check_criteria(campaign: Campaign, spec: CriteriaSpec, sheet: Sheet, sink: ProblemSink) -> FormResult:
    """Scores, notes, completeness, total and classification of a scoring sheet."""
    layout = plan_criteria(spec, campaign.year)
    score_col = layout.unit_col + 1
    if not sheet.protected:
        sink.add("WB_PROTECTION_REMOVED", sheet=sheet.name)
    ids = id_rows(sheet)
    header = (ids.get(MARK_HEADER) or [None])[0]
    columns = {COL_TEXT + 1: spec.content_label, COL_MAX + 1: spec.max_label, score_col: spec.unit_column().label}
    if not header_ok(sheet, header, columns, sink):
        return FormResult(spec.id, sheet.name)
    finder = RowFinder(ids, sheet, sink)
    scores, notes, all_scored, text_cells = {}, {}, True, []
    accept_text = campaign.text_scores == TextScores.ACCEPT
    for node, row in finder.rows((r.node, r.node.id, r.row + 1) for r in layout.rows):
        if isinstance(node, Section):
            _check_formula(sheet, row, score_col, sink)
            continue
        note = sheet.value(row, layout.evidence_col + 1)
        if isinstance(note, str) and note.strip():
            notes[node.id] = nfc(note).strip()
        check_fixed_cells(sheet, row, node, COL_TEXT + 1, COL_MAX + 1, sink)
        value = sheet.value(row, score_col)
        score = parse_score(value, node.max, node.stt or "-", sheet.name, row, score_col, sink, accept_text)
        if score is not None and isinstance(value, str):
            text_cells.append(excel_cell(row, score_col))
        if score is None:
            all_scored = False
        else:
            scores[node.id] = score
    if finder.moved:
        sink.add("WB_ROWS_MOVED", sheet=sheet.name, count=finder.moved)
    complete = all_scored and finder.complete
    _check_total(sheet, ids, score_col, spec, scores, complete, sink)
    if not complete:
        return FormResult(spec.id, sheet.name, scores=scores, notes=notes, text_cells=tuple(text_cells))
    return FormResult(spec.id, sheet.name, scores=scores, notes=notes, complete=True, text_cells=tuple(text_cells),
                      total=table_total(spec, scores), classification=classify(spec, scores))


def _check_formula(sheet: Sheet, row: int, col: int, sink: ProblemSink) -> None:
    cell = sheet.get(row, col)
    if cell is None or cell.formula is None:
        sink.add("WB_FORMULA_REPLACED", sheet=sheet.name, row=row, col=col,
                 value="" if cell is None else cell.value)


def _check_total(sheet: Sheet, ids: dict[str, list[int]], col: int, spec: CriteriaSpec,
                 scores: dict[str, Decimal], complete: bool, sink: ProblemSink) -> None:
    found = ids.get(MARK_TOTAL, [])
    if len(found) != 1:
        return
    cell = sheet.get(found[0], col)
    _check_formula(sheet, found[0], col, sink)
    cached = to_number(cell.value) if cell is not None else None
    if not complete or cached is None:
        return
    actual = table_total(spec, scores)
    shown = format_points(round2(cached)) if abs(cached) < 10 ** 9 else str(cell.value)
    if abs(cached) >= 10 ** 9 or round2(cached) != actual:
        sink.add("WB_CACHED_TOTAL", sheet=sheet.name, row=found[0], col=col, value=shown,
                 actual=format_points(actual))


def check_figures(campaign: Campaign, spec: IndicatorSpec, sheet: Sheet, sink: ProblemSink) -> FormResult:
    """Every figure of the figures sheet, typed, and the consistency rules between them."""
    layout = plan_indicators(spec, campaign.year)
    if not sheet.protected:
        sink.add("WB_PROTECTION_REMOVED", sheet=sheet.name)
    finder = RowFinder(id_rows(sheet), sheet, sink)
    values: dict[str, object] = {}
    where: dict[str, int] = {}
    complete = True
    for indicator, row in finder.rows((r.field, r.field.id, r.row + 1) for r in layout.field_rows()):
        where[indicator.id] = row
        value = _figure(sheet, row, indicator, sink)
        complete &= value is not None
        values[indicator.id] = value
    numbers = {k: v for k, v in values.items() if isinstance(v, int) and not isinstance(v, bool)}
    for rule in spec.rules:
        if rule.holds(numbers) is False and rule.left[0] in where:
            sink.add("FIG_RULE", sheet=sheet.name, row=where[rule.left[0]], col=IND_COL_VALUE + 1,
                     message=rule.message, expression=rule.expression())
    return FormResult(spec.id, sheet.name, figures=values, complete=complete and finder.complete)


def _figure(sheet: Sheet, row: int, indicator: Indicator, sink: ProblemSink) -> object:
    col = IND_COL_VALUE + 1
    value = sheet.value(row, col)
    if is_blank(value):
        sink.add("FIG_BLANK", sheet=sheet.name, row=row, col=col, label=indicator.label)
        return None
    parsed = parse_figure(value, indicator.type)
    if parsed is None:
        sink.add("FIG_BAD_VALUE", value=value, expected=FIGURE_EXPECTED[indicator.type], sheet=sheet.name, row=row,
                 col=col, label=indicator.label)
    return parsed
