"""The sheet "So với năm trước": this year against last year.

The roster changes come first, then per form each unit (from a new page, under the first form's
header row, repeated on every printed page) and the district average of each section. A unit
without a total in either year says why in "Ghi chú". Every row's height is ours, so the sheet
breaks its own pages: a table's heading never ends a page, a section table is never split.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

from xlsxwriter.worksheet import Worksheet

from workbook_tools.outputs.summary.base import (
    NOTE_SIZE,
    STATUS_TEXT,
    TITLE_SIZE,
    Formats,
    page_setup,
    row_height,
    title_block,
    write_note,
    write_number,
)
from workbook_tools.outputs.summary.legend import span
from workbook_tools.results.contracts import Status
from workbook_tools.results.model import Collection
from workbook_tools.results.years import (
    Results,
    RosterChanges,
    UnitChange,
    UnitRow,
    roster_changes,
    section_averages,
    unit_changes,
)
from workbook_tools.spec.criteria import CriteriaSpec, Section

WIDTHS = (7.0, 42.0, 8.0, 8.0, 8.0, 11.0, 11.0, 7.0, 7.0, 20.0)
LAST_COL = len(WIDTHS) - 1
NOTE_COL = LAST_COL
ROSTER_SPLIT = 7  # the roster changes: the name spans the columns before it, the change those after
STATUS_BY_VALUE = {status.value: text for status, text in STATUS_TEXT.items()}
# Points of rows on an A4 landscape page between the summary's margins (595 - 2 x 42.5), less a
# little: the sheet (scale 100 %: it is narrower than the page) breaks its pages itself.
PAGE_ROOM = 500.0
DEFAULT_ROW = 15.0


@dataclass(frozen=True)
class Line:
    """One row of the sheet: its height and what writes it (given its row index)."""

    height: float
    write: Callable[[int], None]


@dataclass(frozen=True)
class Block:
    """Rows printed together: the first ``keep`` never end a page without the rest of them."""

    lines: list[Line]
    keep: int
    new_page: bool = False


def write_previous(ws: Worksheet, fm: Formats, collection: Collection, scored: list[CriteriaSpec]) -> None:
    """This year against last year: the roster changes, then per form each unit (by code) and each
    section; every table kept off the foot of a page, each form from a new page."""
    campaign, previous = collection.campaign, collection.previous
    current = collection.this_year()
    row = title_block(ws, fm, collection, f"SO SÁNH VỚI NĂM {campaign.year - 1}", LAST_COL)
    folder = shown_folder(previous.folder, Path(campaign.source_file).parent)
    note = (f"Năm trước lấy từ thư mục kết quả '{folder}'. Đơn vị được ghép theo mã; đơn vị mới, đơn vị không "
            "còn và đơn vị đổi tên được liệt kê ngay dưới đây. Cột 'Ghi chú' nêu lý do đơn vị không có điểm năm "
            "nay hoặc năm trước.")
    write_note(ws, fm, row, LAST_COL, note, span(list(WIDTHS)))
    used = TITLE_SIZE * 1.5 + DEFAULT_ROW * row + row_height([(note, span(list(WIDTHS)))], NOTE_SIZE) + 2
    blocks = [_roster(ws, fm, roster_changes(current, previous))]
    for index, spec in enumerate(scored):
        blocks.append(_units(ws, fm, campaign.year, current, previous, spec, index == 0))
        blocks.append(_sections(ws, fm, collection, current, spec))
    repeat = blocks[1].lines[1].height if len(blocks) > 1 else 0.0  # the first form's header row
    starts, breaks = _lay_out(ws, blocks, row + 2, used, repeat)
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    ws.set_h_pagebreaks(breaks)
    page_setup(ws, starts[1] + 1 if len(blocks) > 1 else 0, LAST_COL, starts[-1] + len(blocks[-1].lines) - 1)


def _lay_out(ws: Worksheet, blocks: list[Block], row: int, used: float,
             repeat: float) -> tuple[list[int], list[int]]:
    """Write the blocks from ``row`` (a blank row between them), breaking the pages (``used`` points of
    the first page are taken; ``repeat`` of every other); returns each block's first row and the breaks."""
    starts, breaks = [], []
    for block in blocks:
        starts.append(row)
        if block.new_page or used + sum(line.height for line in block.lines[:block.keep]) > PAGE_ROOM:
            breaks.append(row)
            used = repeat
        for line in block.lines:
            if used + line.height > PAGE_ROOM:
                breaks.append(row)
                used = repeat
            ws.set_row(row, line.height)
            line.write(row)
            used += line.height
            row += 1
        row += 1
        used += DEFAULT_ROW
    return starts, breaks


def shown_folder(folder: Path, home: Path) -> str:
    """A folder as printed: relative to the campaign's folder (or its parent) when inside it, else its
    name alone; never a path of this machine."""
    folder, home = Path(folder).resolve(), home.resolve()
    for base, prefix in ((home, ""), (home.parent, "../")):
        try:
            return prefix + folder.relative_to(base).as_posix()
        except ValueError:
            continue
    return folder.name


def reason(now: str, before: UnitRow | None) -> str:
    """Why a unit has no total in one of the two years ('' when it has both)."""
    parts = [] if now == Status.VALID else [STATUS_BY_VALUE.get(now, now).lower()]
    if before is None:
        parts.append("không có năm trước")
    elif before.status != Status.VALID or before.total is None:
        parts.append("năm trước " + STATUS_BY_VALUE.get(before.status, "không có điểm").lower())
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def _units(ws: Worksheet, fm: Formats, year: int, current: Results, previous: Results, spec: CriteriaSpec,
           first: bool) -> Block:
    """Each unit's total, classification and rank in both years, and why one is missing. Only the
    first form has a header row of its own: the others start a page, under that header repeated."""
    title = f"{spec.short_name}: từng đơn vị"
    lines = [Line(DEFAULT_ROW, lambda r: ws.merge_range(r, 0, r, LAST_COL, title, fm.group))]
    if first:
        labels = ("Mã", "Đơn vị", f"Tổng {year}", f"Tổng {year - 1}", "Tăng/giảm", f"Xếp loại {year}",
                  f"Xếp loại {year - 1}", f"Hạng {year}", f"Hạng {year - 1}", "Ghi chú")
        lines.append(Line(row_height(list(zip(labels, WIDTHS)), bold=True),
                          partial(_labels, ws, fm, labels=labels)))
    status = {u.code: u.status for u in current.rows(spec.id)}
    before = {u.code: u for u in previous.rows(spec.id)}
    for change in unit_changes(current, previous, spec.id):
        why = reason(status.get(change.code, ""), before.get(change.code))
        height = row_height([(change.name, WIDTHS[1]), (why, WIDTHS[NOTE_COL]), (change.classification, WIDTHS[5]),
                             (change.previous_classification, WIDTHS[6])])
        lines.append(Line(height, partial(_unit_row, ws, fm, change=change, why=why)))
    return Block(lines, keep=(2 if first else 1) + 2, new_page=not first)  # a heading never ends a page


def _labels(ws: Worksheet, fm: Formats, row: int, labels: tuple[str, ...]) -> None:
    for col, label in enumerate(labels):
        ws.write_string(row, col, label, fm.header)


def _unit_row(ws: Worksheet, fm: Formats, row: int, change: UnitChange, why: str) -> None:
    ws.write_string(row, 0, change.code, fm.center)
    ws.write_string(row, 1, change.name, fm.wrap)
    for col, value in ((2, change.total), (3, change.previous_total), (4, change.delta)):
        write_number(ws, row, col, value, fm.number)
    ws.write_string(row, 5, change.classification, fm.center)
    ws.write_string(row, 6, change.previous_classification, fm.center)
    for col, value in ((7, change.rank), (8, change.previous_rank)):
        write_number(ws, row, col, value, fm.number)
    ws.write_string(row, NOTE_COL, why, fm.wrap)


def _sections(ws: Worksheet, fm: Formats, collection: Collection, current: Results, spec: CriteriaSpec) -> Block:
    """The district average of each section in both years (kept on one page)."""
    campaign = collection.campaign
    title = f"{spec.short_name}: điểm bình quân từng mục toàn {campaign.district}"
    labels = ("Mục", "Nội dung", f"Năm {campaign.year}", f"Năm {campaign.year - 1}", "Tăng/giảm")
    lines = [Line(DEFAULT_ROW, lambda r: ws.merge_range(r, 0, r, LAST_COL, title, fm.group)),
             Line(row_height(list(zip(labels, WIDTHS)), bold=True),
                  partial(_labels, ws, fm, labels=labels))]
    before = {s.id: v for s, v in section_averages(collection.previous, spec)}
    for section, value in section_averages(current, spec):
        lines.append(Line(row_height([(section.text, WIDTHS[1])]),
                          partial(_section_row, ws, fm, section=section, value=value, old=before.get(section.id))))
    return Block(lines, keep=len(lines))


def _section_row(ws: Worksheet, fm: Formats, row: int, section: Section, value: Decimal | None,
                 old: Decimal | None) -> None:
    ws.write_string(row, 0, section.stt, fm.center)
    ws.write_string(row, 1, section.text, fm.wrap)
    write_number(ws, row, 2, value, fm.number)
    write_number(ws, row, 3, old, fm.number)
    write_number(ws, row, 4, value - old if value is not None and old is not None else None, fm.number)


def _roster(ws: Worksheet, fm: Formats, changes: RosterChanges) -> Block:
    """Units new this year, gone, renamed."""
    name_width, what_width = span(list(WIDTHS[1:ROSTER_SPLIT])), span(list(WIDTHS[ROSTER_SPLIT:]))
    entries = ([(c, n, "Đơn vị mới năm nay") for c, n in changes.new]
               + [(c, n, "Có năm trước, không có năm nay") for c, n in changes.gone]
               + [(c, f"{old} → {new}", "Đổi tên") for c, old, new in changes.renamed])
    lines = [Line(DEFAULT_ROW, lambda r: ws.merge_range(r, 0, r, LAST_COL, "Thay đổi danh sách đơn vị", fm.group))]
    for index, texts in enumerate([("Mã", "Đơn vị", "Thay đổi")] + (entries or [("", "Không có thay đổi", "")])):
        bold = index == 0
        lines.append(Line(row_height([(texts[1], name_width), (texts[2], what_width)], bold=bold),
                          partial(_roster_row, ws, fm.header if bold else None, fm, texts=texts)))
    return Block(lines, keep=3)


def _roster_row(ws: Worksheet, header: object | None, fm: Formats, row: int, texts: tuple[str, str, str]) -> None:
    code, name, what = texts
    ws.write_string(row, 0, code, header or fm.center)
    ws.merge_range(row, 1, row, ROSTER_SPLIT - 1, name, header or fm.wrap)
    ws.merge_range(row, ROSTER_SPLIT, row, LAST_COL, what, header or fm.wrap)
