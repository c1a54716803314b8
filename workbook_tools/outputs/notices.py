"""Per-unit notices "Thông báo kết quả kiểm tra, đánh giá, xếp loại", written after a review round.

One Word document per unit that sent a file, per Nghị định 30/2020 (``paper.docx``): for each
scored table, the unit's score per section (its own, the team's change, the final), every row the
team changed with its place in the table ("D.I.1.3"), the old and new score and the reason; then
the total, classification and rank; "Nơi nhận" and the signer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH

from workbook_tools.form.names import unit_file_name
from workbook_tools.outputs.ranking import letterhead, signed, unit_label
from workbook_tools.paper.docx import (
    CENTER,
    LEFT,
    TEXT_MM,
    Grid,
    add_letterhead,
    add_signature,
    keep_together,
    new_document,
    paragraph,
    rule,
)
from workbook_tools.paper.docx_widths import fit_widths, text_mm
from workbook_tools.results.contracts import Status
from workbook_tools.results.model import Collection, FormOutcome, UnitOutcome
from workbook_tools.spec.base import FormKind, format_points
from workbook_tools.spec.criteria import CriteriaSpec, Criterion, Node, Section, walk
from workbook_tools.spec.scoring import section_total

FOLDER = "thong-bao"
SUFFIX = ".docx"
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
SECTION_HEADERS = ("Mục", "Nội dung", "Điểm chuẩn", "Đơn vị tự chấm", "Tổ kiểm tra điều chỉnh",
                   "Điểm cuối cùng")
CHANGE_HEADERS = ("Mục", "Tiêu chí", "Điểm chuẩn", "Đơn vị tự chấm", "Tổ kiểm tra chấm", "Lý do")
TABLE_PT = 12


@dataclass(frozen=True)
class Change:
    """A row the team scored differently from the unit."""

    path: str
    criterion: Criterion
    before: Decimal | None
    after: Decimal
    reason: str


def notice_name(outcome: UnitOutcome) -> str:
    """thong-bao/<code>_<name>.docx"""
    return f"{FOLDER}/{unit_file_name(outcome.unit, SUFFIX)}"


def section_paths(spec: CriteriaSpec) -> dict[str, str]:
    """Every section's and criterion's place in the table as printed: 'A', 'A.1', 'D.I.1.3'.

    A number that already starts with its section's number ('1.3' under '1') replaces it; a row
    printed without a number is named by its section and its position ('D.I.1.4, dòng 2'); a place
    printed twice in the official table gets '(thứ 2)' the second time."""
    paths: dict[str, str] = {}

    def visit(nodes: tuple[Node, ...], parent: Section | None, parent_path: str) -> None:
        for position, node in enumerate(nodes, start=1):
            if not node.stt:
                path = f"{parent_path}, dòng {position}" if parent_path else str(position)
            elif parent is not None and parent.stt and node.stt.startswith(parent.stt + "."):
                path = parent_path[:len(parent_path) - len(parent.stt)] + node.stt
            else:
                path = f"{parent_path}.{node.stt}" if parent_path else node.stt
            paths[node.id] = path
            if isinstance(node, Section):
                visit(node.items, node, path)
    visit(spec.sections, None, "")
    seen: Counter[str] = Counter()
    for node_id, path in paths.items():
        seen[path] += 1
        if seen[path] > 1:
            paths[node_id] = f"{path} (thứ {seen[path]})"
    return paths


def write_notice(collection: Collection, outcome: UnitOutcome, path: Path) -> None:
    """Write one unit's notice to path."""
    campaign = collection.campaign
    document = new_document()
    add_letterhead(document, letterhead(campaign, f"TB-{campaign.issuer_code}"))
    label = unit_label(campaign, outcome.unit)
    _title(document, ("THÔNG BÁO", f"Kết quả kiểm tra, {_lower_first(campaign.name)}"))
    paragraph(document, f"Căn cứ kết quả tự đánh giá, chấm điểm của {label} và kết quả kiểm tra, đánh giá "
                        f"của Tổ kiểm tra, UBND {campaign.district} thông báo kết quả của {label} như sau:",
              align=JUSTIFY, indent_mm=10, before=6, after=6)
    number = 0
    for form in outcome.forms:
        spec = campaign.form(form.form_id)
        if spec.kind == FormKind.CRITERIA:
            number += 1
            _form_part(document, collection, outcome, spec, form, number)
    paragraph(document, f"UBND {campaign.district} thông báo để {label} biết./.", align=JUSTIFY,
              indent_mm=10, before=6)
    add_signature(document, (f"- {label};", f"- {campaign.receiving_office};", "- Lưu: VT."), campaign.signer)
    document.core_properties.title = f"Thông báo kết quả kiểm tra, đánh giá - {outcome.unit.name}"
    document.core_properties.author = campaign.receiving_office
    document.save(str(path))


def _title(document: DocumentObject, lines: tuple[str, ...]) -> None:
    """The document's name and what it is about, bold and centred, over a short rule."""
    for index, line in enumerate(lines):
        paragraph(document, line, size=14, bold=True, align=CENTER, before=12 if index == 0 else 0,
                  keep_next=True)
    rule(document, min(TEXT_MM, text_mm(lines[-1], 14, bold=True)) / 3, TEXT_MM, after=6)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _in_sentence(label: str) -> str:
    """A label inside a sentence: 'Cơ quan, đơn vị ...' -> 'cơ quan, đơn vị ...'; 'UBND ...' kept."""
    return _lower_first(label) if label[1:2].islower() else label


def _form_part(document: DocumentObject, collection: Collection, outcome: UnitOutcome, spec: CriteriaSpec,
               form: FormOutcome, number: int) -> None:
    """One scored table: the sections, the verdict, the rows the team changed."""
    paragraph(document, f"{number}. Kết quả đánh giá, xếp loại {spec.short_name}", bold=True, before=6,
              after=3, keep_next=True)
    paths = section_paths(spec)
    if form.result is not None:
        _sections(document, spec, form, paths)
    paragraph(document, _verdict(collection, outcome, spec, form), align=JUSTIFY, indent_mm=10, before=3)
    changes = _changes(spec, form, paths)
    if changes:
        paragraph(document, f"Các tiêu chí Tổ kiểm tra điều chỉnh ({len(changes)}):", bold=True, before=3,
                  after=3, keep_next=True)
        _change_table(document, changes)
    elif form.reviewed:
        paragraph(document, "Tổ kiểm tra giữ nguyên điểm tự chấm của đơn vị.", indent_mm=10)
    else:
        paragraph(document, "Tổ kiểm tra chưa kiểm tra bảng này; điểm cuối cùng là điểm đơn vị tự chấm.",
                  indent_mm=10)


def _sections(document: DocumentObject, spec: CriteriaSpec, form: FormOutcome, paths: dict[str, str]) -> None:
    """The sections of the first two levels: maximum, own, the team's change, final; then the total."""
    own = form.result.scores if form.result else {}
    rows = []
    for node, depth in walk(spec.sections):
        if isinstance(node, Section) and depth <= 1:
            mine, final = section_total(node, own), section_total(node, form.final)
            rows.append([paths[node.id], node.text, format_points(node.max), format_points(mine),
                         signed(final - mine) if form.reviewed and final != mine else "", format_points(final)])
    total_own = form.self_total
    total_final = form.final_total
    change = signed(total_final - total_own) if total_own is not None and total_final is not None \
        and total_final != total_own else ""
    total = ["", spec.total_label, format_points(spec.total), _points(total_own), change, _points(total_final)]
    widths = fit_widths(list(zip(*(rows + [total]))), SECTION_HEADERS, TABLE_PT, TEXT_MM)
    grid = Grid(document, SECTION_HEADERS, widths, TABLE_PT, aligns=[CENTER, LEFT] + [CENTER] * 4)
    for row in rows:
        grid.row(row)
    grid.row(total, bold=True)
    keep_together(grid.table)


def _changes(spec: CriteriaSpec, form: FormOutcome, paths: dict[str, str]) -> list[Change]:
    own = form.result.scores if form.result else {}
    return [Change(paths[c.id], c, own.get(c.id), form.team[c.id], form.reasons.get(c.id, ""))
            for c in spec.criteria() if c.id in form.team and form.team[c.id] != own.get(c.id)]


def _change_table(document: DocumentObject, changes: list[Change]) -> None:
    rows = [[c.path, c.criterion.text, format_points(c.criterion.max), _points(c.before, "trống"),
             format_points(c.after), c.reason or "(không ghi lý do)"] for c in changes]
    widths = fit_widths(list(zip(*rows)), CHANGE_HEADERS, TABLE_PT, TEXT_MM)
    grid = Grid(document, CHANGE_HEADERS, widths, TABLE_PT, aligns=[CENTER, LEFT] + [CENTER] * 3 + [LEFT])
    for row in rows:
        grid.row(row)


def _points(value: Decimal | None, empty: str = "") -> str:
    return format_points(value) if value is not None else empty


def _verdict(collection: Collection, outcome: UnitOutcome, spec: CriteriaSpec, form: FormOutcome) -> str:
    if form.status != Status.VALID or form.total is None:
        return (f"Chưa xếp loại {spec.short_name}: hồ sơ còn lỗi cần sửa, bổ sung (theo danh sách lỗi đã "
                f"gửi đơn vị).")
    group = collection.campaign.group(outcome.unit.group)
    in_group = collection.ranked[(spec.id, outcome.unit.group)]
    overall = collection.ranked[(spec.id, "")]
    return (f"Tổng điểm sau kiểm tra: {format_points(form.total)} điểm; xếp loại: {form.classification}; "
            f"xếp thứ {form.rank_in_group}/{in_group} trong {_in_sentence(group.label)}, thứ {form.rank_overall}/{overall} "
            f"toàn {collection.campaign.district}.")
