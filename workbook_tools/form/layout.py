"""Where everything goes on a generated sheet.

Pure functions shared by the generator (which writes these cells) and by readers and tests
(which look for them). Rows and columns are 0-based as in xlsxwriter; ``cell_ref`` turns them
into the A1 references a user sees in Excel. Column A of every form sheet is hidden and holds
a stable marker per row (the criterion or field id, or ``wt:...``), so a reader can find each
row by its id even if rows were moved.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from workbook_tools.problems import excel_cell
from workbook_tools.spec.criteria import CriteriaSpec, Node, Section
from workbook_tools.spec.indicators import Indicator, IndicatorGroup, IndicatorSpec

COL_ID, COL_STT, COL_TEXT, COL_MAX = 0, 1, 2, 3
FIRST_SCORE_COL = 4
MARK_HEADER, MARK_TOTAL, MARK_COUNT = "wt:header", "wt:total", "wt:count"
MARK_CLASS, MARK_SIGNER = "wt:classification", "wt:signer"
TOP_ROWS = 5  # header block: issuer/motto, unit/motto line, blank, place-date, blank
PLACE_DATE_ROW = 3  # the place and date of signing, filled by the unit
BLANKS = "..."      # dots in a printed line are blanks to fill: that line is an input cell

# Column widths as set (XlsxWriter's set_column), in character units: the width of a digit of the
# default font (Times New Roman 12: 6 pt); a spreadsheet stores each one STORED_EXTRA wider, in
# steps of 1/7. The sheets the unit signs are 84.3 units (506 pt) wide as stored: on portrait A4
# within the Nghị định 30 margins (165 mm, 468 pt) they print at 92 %, and at no less than 90 % when
# LibreOffice shrinks a fitted sheet 2 % more to save a page. The STT and the text make the header
# block's left half (issuer, unit), the columns right of the text its right half, RIGHT_HALF wide
# as stored (257 pt): the national motto, bold 12 pt, is 250 pt. (A wider text column needs a
# column under the header block's split, moving every column a reader addresses.)
WIDTH_ID, WIDTH_STT, WIDTH_TEXT, WIDTH_MAX = 4, 5, 35, 7
WIDTH_SCORE, WIDTH_OTHER_SCORE = 10, 8  # the unit's own score; a score another party fills in
WIDTH_EVIDENCE_MIN = 12
RIGHT_HALF = 42.8
STORED_EXTRA = 5 / 7
WIDTH_STEP = 7  # widths are stored in whole pixels: 1/7 unit


def cell_ref(row: int, col: int) -> str:
    """A1 reference of a 0-based cell, e.g. (11, 4) -> 'E12'."""
    return excel_cell(row + 1, col + 1)


@dataclass(frozen=True)
class FormRow:
    """One section or criterion row of a scoring sheet."""

    row: int
    depth: int
    node: Node

    @property
    def is_section(self) -> bool:
        """Whether this row is a heading (subtotal) rather than a scored row."""
        return isinstance(self.node, Section)


@dataclass(frozen=True)
class CriteriaLayout:
    """Row and column plan of a scoring sheet."""

    spec: CriteriaSpec
    title_row: int
    unit_row: int
    header_row: int
    rows: tuple[FormRow, ...]
    total_row: int
    count_row: int
    classification_row: int
    bands_row: int
    notes_row: int
    signature_row: int
    signer_row: int
    reference_row: int | None = None  # "(Kèm theo Báo cáo số .....)": blanks the unit fills in

    @property
    def score_cols(self) -> tuple[int, ...]:
        """0-based column of each score column, in spec order."""
        return tuple(FIRST_SCORE_COL + i for i in range(len(self.spec.score_columns)))

    @property
    def unit_col(self) -> int:
        """Column of the unit's own score."""
        index = next(i for i, c in enumerate(self.spec.score_columns) if c.filled_by == "unit")
        return FIRST_SCORE_COL + index

    @property
    def evidence_col(self) -> int:
        """Column of the evidence / notes input."""
        return FIRST_SCORE_COL + len(self.spec.score_columns)

    @property
    def last_col(self) -> int:
        """Last printed column."""
        return self.evidence_col

    @property
    def column_widths(self) -> dict[int, float]:
        """Width of every printed column as set (STT, text, maximum, scores, evidence): the evidence
        column takes what the right half of the header block leaves."""
        widths = {COL_STT: WIDTH_STT, COL_TEXT: WIDTH_TEXT, COL_MAX: WIDTH_MAX}
        for col, column in zip(self.score_cols, self.spec.score_columns):
            widths[col] = WIDTH_SCORE if column.filled_by == "unit" else WIDTH_OTHER_SCORE
        taken = sum(w + STORED_EXTRA for c, w in widths.items() if c > COL_TEXT) + STORED_EXTRA
        widths[self.evidence_col] = max(WIDTH_EVIDENCE_MIN, math.ceil((RIGHT_HALF - taken) * WIDTH_STEP) / WIDTH_STEP)
        return widths

    @property
    def last_row(self) -> int:
        """Last printed row (the last note, or the signer's name)."""
        return self.notes_row + len(self.note_lines()) - 1 if self.note_lines() else self.signer_row

    def criterion_rows(self) -> tuple[FormRow, ...]:
        """Rows of scored criteria."""
        return tuple(r for r in self.rows if not r.is_section)

    def row_of(self, node_id: str) -> int:
        """Row of a section or criterion id."""
        return next(r.row for r in self.rows if r.node.id == node_id)

    def score_cell(self, criterion_id: str, col: int | None = None) -> str:
        """A1 reference of a criterion's score cell (unit column by default)."""
        return cell_ref(self.row_of(criterion_id), self.unit_col if col is None else col)

    def note_lines(self) -> tuple[str, ...]:
        """Printed notes under the table: the spec's notes (each source correction explained once),
        then its footnote. A row's own note is shown on screen only, as a comment on its row."""
        return self.spec.notes + ((self.spec.footnote,) if self.spec.footnote else ())


@functools.lru_cache(maxsize=32)
def plan_criteria(spec: CriteriaSpec, year: int) -> CriteriaLayout:
    """Lay out a scoring sheet: header block, titles, table, totals, signature, notes.

    The signature block follows the table directly, so that if the page overflows it is the
    notes (printed text) that move to the next page, never the signer's empty input cell.
    """
    title_row = TOP_ROWS
    unit_row = title_row + len(spec.titles(year)) + (1 if spec.subtitle else 0)
    reference_row = unit_row - 1 if spec.subtitle and BLANKS in spec.subtitle else None
    header_row = unit_row + 2
    rows: list[FormRow] = []

    def visit(node: Node, depth: int) -> None:
        rows.append(FormRow(row=header_row + 1 + len(rows), depth=depth, node=node))
        if isinstance(node, Section):
            for child in node.items:
                visit(child, depth + 1)

    for section in spec.sections:
        visit(section, 0)
    total_row = header_row + 1 + len(rows)
    signature_row = total_row + 5
    signer_row = signature_row + 4
    return CriteriaLayout(
        spec=spec, title_row=title_row, unit_row=unit_row, header_row=header_row,
        rows=tuple(rows), total_row=total_row, count_row=total_row + 1,
        classification_row=total_row + 2, bands_row=total_row + 3,
        signature_row=signature_row, signer_row=signer_row, notes_row=signer_row + 3,
        reference_row=reference_row,
    )


# ---------------------------------------------------------------- figures sheet

IND_COL_UNIT, IND_COL_VALUE, IND_COL_CHECK, IND_COL_NOTE = 3, 4, 5, 6
# As on the score sheets: STT and label the left half (as wide as the criterion text), measure,
# value, check and note the right half. The check is printed small (its messages are empty when the
# figures agree), its rows as tall as the longest message it may show.
WIDTH_IND_LABEL, WIDTH_IND_UNIT, WIDTH_IND_VALUE, WIDTH_IND_CHECK, WIDTH_IND_NOTE = WIDTH_TEXT, 8, 10, 14, 8


@dataclass(frozen=True)
class IndicatorRow:
    """One group heading or field row of the figures sheet."""

    row: int
    group: IndicatorGroup
    field: Indicator | None


@dataclass(frozen=True)
class IndicatorLayout:
    """Row plan of the figures sheet."""

    spec: IndicatorSpec
    title_row: int
    unit_row: int
    header_row: int
    rows: tuple[IndicatorRow, ...]
    signature_row: int
    signer_row: int
    notes_row: int

    @property
    def last_row(self) -> int:
        """Last printed row (the last note, or the signer's name)."""
        return self.notes_row + len(self.spec.notes) - 1 if self.spec.notes else self.signer_row

    def field_rows(self) -> tuple[IndicatorRow, ...]:
        """Rows holding a field."""
        return tuple(r for r in self.rows if r.field is not None)

    def value_cell(self, field_id: str) -> str:
        """A1 reference of a field's value cell."""
        row = next(r.row for r in self.rows if r.field is not None and r.field.id == field_id)
        return cell_ref(row, IND_COL_VALUE)


@functools.lru_cache(maxsize=32)
def plan_indicators(spec: IndicatorSpec, year: int) -> IndicatorLayout:
    """Lay out the figures sheet: header block, titles, table, signature (as on the score
    sheets, right after the table), notes."""
    title_row = TOP_ROWS
    unit_row = title_row + len(spec.titles(year))
    header_row = unit_row + 2
    rows: list[IndicatorRow] = []
    for group in spec.groups:
        rows.append(IndicatorRow(row=header_row + 1 + len(rows), group=group, field=None))
        for field in group.items:
            rows.append(IndicatorRow(row=header_row + 1 + len(rows), group=group, field=field))
    signature_row = header_row + 2 + len(rows)
    signer_row = signature_row + 4
    return IndicatorLayout(spec=spec, title_row=title_row, unit_row=unit_row,
                           header_row=header_row, rows=tuple(rows), signature_row=signature_row,
                           signer_row=signer_row, notes_row=signer_row + 2)


def runs(refs_rows: list[int], col: int) -> list[str]:
    """Compress rows of one column into range references: [12,13,14,16] -> ['E12:E14','E16']."""
    result: list[str] = []
    start = prev = None
    for row in sorted(refs_rows):
        if start is None:
            start = prev = row
        elif row == prev + 1:
            prev = row
        else:
            result.append(_range(start, prev, col))
            start = prev = row
    if start is not None:
        result.append(_range(start, prev, col))
    return result


def _range(first: int, last: int, col: int) -> str:
    if first == last:
        return cell_ref(first, col)
    return f"{cell_ref(first, col)}:{cell_ref(last, col)}"

