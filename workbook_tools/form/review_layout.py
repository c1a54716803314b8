"""Where things are on the inspection team's review sheets (shared by writer and reader).

A unit's sheet: title, unit, source note, then one column header row (printed at the top of every
page), then each scored form as a block: its title band, its rows, total, count and
classification, a blank row. Column widths and font sizes are chosen so the record prints on
portrait A4 at full size (see ``review.unit_sheet``).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbook_tools.spec.criteria import CriteriaSpec, Section, walk

# Columns (0-based): hidden id, STT, text, max, self, evidence, team, reason, final.
C_ID, C_STT, C_TEXT, C_MAX, C_SELF, C_NOTE, C_TEAM, C_REASON, C_FINAL = range(9)
# Widths as given to XlsxWriter (digit widths of Times New Roman 12, 6 pt each); XlsxWriter stores
# each as w + 5/7, so the visible columns make 520 pt: portrait A4 inside the narrow table margins.
WIDTHS = {C_ID: 4, C_STT: 4, C_TEXT: 38, C_MAX: 5, C_SELF: 5, C_NOTE: 9, C_TEAM: 6, C_REASON: 8,
          C_FINAL: 6}
HEADERS = {C_STT: "STT", C_MAX: "Điểm chuẩn", C_SELF: "Đơn vị tự chấm",
           C_NOTE: "Minh chứng, ghi chú của đơn vị", C_TEAM: "Tổ KT, đánh giá chấm",
           C_REASON: "Lý do điều chỉnh", C_FINAL: "Điểm sau kiểm tra"}
CONTENT_LABEL = "NỘI DUNG ĐÁNH GIÁ"  # the text column of the one header row shared by every form
HEADER_ROW, FIRST_BLOCK_ROW = 3, 4
MARK_HEADER, MARK_TOTAL, MARK_COUNT, MARK_CLASS = "wt:header", "wt:total", "wt:count", "wt:classification"


def row_id(form_id: str, node_id: str) -> str:
    """Hidden id of a row of the review sheet: '<form id>/<row id>'."""
    return f"{form_id}/{node_id}"


def mark(name: str, form_id: str) -> str:
    """Hidden id of a total/count/classification row of one form: 'wt:total/<form id>'. (Review
    workbooks before the shared header row also marked each form's header: 'wt:header/<form id>'.)"""
    return f"{name}/{form_id}"


@dataclass(frozen=True)
class ReviewRow:
    """Where one row of one form sits on a unit's review sheet (0-based row)."""

    row: int
    depth: int
    node: object

    @property
    def indent(self) -> int:
        """Indent level of the text: 1 for an unnumbered item under a numbered one, else 0."""
        return int(not isinstance(self.node, Section) and not self.node.stt)


@dataclass(frozen=True)
class FormBlock:
    """The rows of one form on a unit's review sheet."""

    spec: CriteriaSpec
    title_row: int
    rows: tuple[ReviewRow, ...]
    total_row: int
    count_row: int
    classification_row: int

    def criterion_rows(self) -> list[ReviewRow]:
        """Rows of scored criteria."""
        return [r for r in self.rows if not isinstance(r.node, Section)]

    def row_of(self, node_id: str) -> int:
        """0-based row of a section or criterion."""
        return next(r.row for r in self.rows if r.node.id == node_id)


def plan_review_sheet(forms: list[CriteriaSpec], first_row: int = FIRST_BLOCK_ROW,
                      header_per_form: bool = False) -> tuple[FormBlock, ...]:
    """Rows of every form block on a unit sheet, one below the other under the shared header (or,
    in review workbooks written before it, each with its own header row under its title)."""
    blocks, row = [], first_row
    for spec in forms:
        first = row + 1 + int(header_per_form)
        rows = [ReviewRow(first + index, depth, node) for index, (node, depth) in enumerate(walk(spec.sections))]
        end = first + len(rows)
        blocks.append(FormBlock(spec, row, tuple(rows), end, end + 1, end + 2))
        row = end + 4
    return tuple(blocks)
