"""Where a sheet breaks into pages, so that a heading never ends a page, a table's totals never
start one and a signature never stands alone.

Rows are laid out as the spreadsheet prints them: portrait A4, the sheet shrunk to the page width
(LibreOffice and Excel shrink by a whole percent: ``fit_scale``), the column header row printed
on every page; a page break is put before a group of rows that would otherwise be split.
``MeasuredWorksheet`` remembers the height given to every row, so the pages can be counted after
the sheet is written. (LibreOffice keeps these breaks on a sheet fitted to the page width; Excel
may lay out its own when fitting, as XlsxWriter's documentation warns: then the print only loses
this nicety.)"""

from __future__ import annotations

import math

from workbook_tools.paper.xlsx_compat import TextWorkbook, TextWorksheet

A4_WIDTH_PT, A4_HEIGHT_PT = 595.28, 841.89
POINTS_PER_INCH = 72
SLACK_PT = 3.0  # LibreOffice rounds each row a little up: a page holds a few points less than its sum

Group = tuple[int, int]  # first and last row, kept on one page


class MeasuredWorksheet(TextWorksheet):
    """A worksheet that remembers the height set for each row (``heights``)."""

    def __init__(self) -> None:
        super().__init__()
        self.heights: dict[int, float] = {}

    def set_row(self, row, height=None, cell_format=None, options=None):
        if height is not None:
            self.heights[row] = float(height)
        return super().set_row(row, height, cell_format, options)


class MeasuredWorkbook(TextWorkbook):
    """A workbook whose worksheets are ``MeasuredWorksheet``."""

    worksheet_class = MeasuredWorksheet


def fit_scale(table_pt: float, margins: dict[str, float]) -> float:
    """The scale a portrait sheet ``table_pt`` wide prints at when fitted to the page width: the
    whole percent at or under the ratio, never over 100 % (measured in LibreOffice: 92 % for a
    ratio of 0.925)."""
    room = A4_WIDTH_PT - (margins["left"] + margins["right"]) * POINTS_PER_INCH
    return min(100, math.floor(room / table_pt * 100)) / 100


def body_height(margins: dict[str, float], scale: float = 1.0) -> float:
    """Height of a portrait A4 page inside the margins, in the sheet's own points at ``scale``."""
    return (A4_HEIGHT_PT - (margins["top"] + margins["bottom"]) * POINTS_PER_INCH) / scale - SLACK_PT


def page_starts(heights: dict[int, float], header_row: int, breaks: list[int], body: float) -> list[int]:
    """First row of every page, with manual breaks before the rows in ``breaks``."""
    starts, used = [0], 0.0
    for row in range(max(heights) + 1):
        height = heights.get(row, 0.0)
        if row > header_row and (used + height > body or row in breaks):
            starts.append(row)
            used = heights.get(header_row, 0.0)
        used += height
    return starts


def keep_together(heights: dict[int, float], header_row: int, groups: list[Group], body: float) -> list[int]:
    """Rows to break the page before, so that no group is split across pages (a group taller than
    a page is left as it falls)."""
    breaks: list[int] = []
    for first, last in groups:
        size = sum(heights.get(row, 0.0) for row in range(first, last + 1)) + heights.get(header_row, 0.0)
        starts = page_starts(heights, header_row, breaks, body)
        if size <= body and any(first < start <= last for start in starts):
            breaks.append(first)
    return sorted(breaks)


def breaks_for(heights: dict[int, float], header_row: int, body: float, must: list[Group],
               *wishes: list[Group]) -> list[int]:
    """Page breaks keeping every ``must`` group together, then each list of ``wishes`` in turn too
    unless that costs a page."""
    kept = list(must)
    breaks = keep_together(heights, header_row, kept, body)
    pages = len(page_starts(heights, header_row, breaks, body))
    for wish in wishes:
        trial = keep_together(heights, header_row, sorted(kept + wish), body)
        if len(page_starts(heights, header_row, trial, body)) <= pages:
            kept, breaks = sorted(kept + wish), trial
    return breaks
