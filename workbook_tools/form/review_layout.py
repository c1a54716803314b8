"""Where things are on the inspection team's review sheets (shared by writer and reader)."""

from __future__ import annotations

from dataclasses import dataclass

from workbook_tools.spec.criteria import CriteriaSpec, Section, walk

# Columns (0-based): hidden id, STT, text, max, self, evidence, team, reason, final.
C_ID, C_STT, C_TEXT, C_MAX, C_SELF, C_NOTE, C_TEAM, C_REASON, C_FINAL = range(9)
WIDTHS = {C_ID: 4, C_STT: 6, C_TEXT: 46, C_MAX: 8, C_SELF: 9, C_NOTE: 22, C_TEAM: 9, C_REASON: 24,
          C_FINAL: 9}
HEADERS = {C_STT: "STT", C_MAX: "Điểm chuẩn", C_SELF: "Đơn vị tự chấm",
           C_NOTE: "Minh chứng, ghi chú của đơn vị", C_TEAM: "Tổ KT, đánh giá chấm",
           C_REASON: "Lý do điều chỉnh", C_FINAL: "Điểm sau kiểm tra"}
MARK_HEADER, MARK_TOTAL, MARK_COUNT, MARK_CLASS = "wt:header", "wt:total", "wt:count", "wt:classification"


def row_id(form_id: str, node_id: str) -> str:
    """Hidden id of a row of the review sheet: '<form id>/<row id>'."""
    return f"{form_id}/{node_id}"


def mark(name: str, form_id: str) -> str:
    """Hidden id of a header/total row of one form: 'wt:total/<form id>'."""
    return f"{name}/{form_id}"


@dataclass(frozen=True)
class ReviewRow:
    """Where one row of one form sits on a unit's review sheet (0-based row)."""

    row: int
    depth: int
    node: object


@dataclass(frozen=True)
class FormBlock:
    """The rows of one form on a unit's review sheet."""

    spec: CriteriaSpec
    title_row: int
    header_row: int
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


def plan_review_sheet(forms: list[CriteriaSpec], first_row: int = 4) -> tuple[FormBlock, ...]:
    """Rows of every form block on a unit sheet, one below the other."""
    blocks, row = [], first_row
    for spec in forms:
        title, header = row, row + 1
        rows = [ReviewRow(header + 1 + index, depth, node) for index, (node, depth) in enumerate(walk(spec.sections))]
        end = header + 1 + len(rows)
        blocks.append(FormBlock(spec, title, header, tuple(rows), end, end + 1, end + 2))
        row = end + 4
    return tuple(blocks)
