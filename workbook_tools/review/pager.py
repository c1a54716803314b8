"""Where a unit's record breaks into pages, so that a form's title never ends a page and the
signature never stands alone: rows are laid out as the spreadsheet prints them (portrait A4 at full
size, the header row repeated on every page), and a page break is put before a group of rows that
would otherwise be split. (LibreOffice keeps these breaks on a sheet fitted to the page width;
Excel may lay out its own when fitting, as XlsxWriter's documentation warns: then the record only
loses this nicety.)"""

from __future__ import annotations

from workbook_tools.paper.page import TABLE_MARGINS

A4_HEIGHT_PT = 841.89
POINTS_PER_INCH = 72
SLACK_PT = 3.0  # LibreOffice rounds each row a little up: a page holds a few points less than its sum


def body_height(margins: dict[str, float] = TABLE_MARGINS) -> float:
    """Printable height of a portrait A4 page (points) inside the margins."""
    return A4_HEIGHT_PT - (margins["top"] + margins["bottom"]) * POINTS_PER_INCH - SLACK_PT


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


def keep_together(heights: dict[int, float], header_row: int, groups: list[tuple[int, int]],
                  body: float | None = None) -> list[int]:
    """Rows to break the page before, so that no group (first row, last row) is split across pages
    (a group taller than a page is left as it falls)."""
    body = body_height() if body is None else body
    breaks: list[int] = []
    for first, last in groups:
        size = sum(heights.get(row, 0.0) for row in range(first, last + 1)) + heights.get(header_row, 0.0)
        starts = page_starts(heights, header_row, breaks, body)
        if size <= body and any(first < start <= last for start in starts):
            breaks.append(first)
    return sorted(breaks)


def breaks_for(heights: dict[int, float], header_row: int, must: list[tuple[int, int]],
               *wishes: list[tuple[int, int]]) -> list[int]:
    """Page breaks keeping every ``must`` group together, then each list of ``wishes`` in turn too
    unless that costs a page."""
    body = body_height()
    kept = list(must)
    breaks = keep_together(heights, header_row, kept, body)
    pages = len(page_starts(heights, header_row, breaks, body))
    for wish in wishes:
        trial = keep_together(heights, header_row, sorted(kept + wish), body)
        if len(page_starts(heights, header_row, trial, body)) <= pages:
            kept, breaks = sorted(kept + wish), trial
    return breaks
