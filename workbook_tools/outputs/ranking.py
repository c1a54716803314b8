"""The ranking table ready to sign, one Word document per scored form beside ``tong-hop.xlsx``:
"Bảng tổng hợp kết quả đánh giá, xếp loại" per Nghị định 30/2020 (``paper.docx``), with the
classification bands used, every unit of the roster that fills the form by group (ranked units
by rank, then the units without a result and why), the counts per classification and the signer.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from docx.document import Document as DocumentObject

from workbook_tools.paper.docx import (
    CENTER,
    LEFT,
    TEXT_MM,
    Letterhead,
    add_letterhead,
    add_signature,
    new_document,
    paragraph,
)
from workbook_tools.paper.docx_long import LongGrid, save_document
from workbook_tools.paper.docx_widths import fit_widths
from workbook_tools.results.contracts import Status
from workbook_tools.results.model import Collection, UnitOutcome
from workbook_tools.results.rank import name_key
from workbook_tools.spec.base import format_points
from workbook_tools.spec.campaign import Campaign, Unit
from workbook_tools.spec.criteria import CriteriaSpec

TABLE_PT = 12


def ranking_name(spec: CriteriaSpec) -> str:
    """bang-xep-loai-<form id>.docx"""
    return f"bang-xep-loai-{spec.id}.docx"


def letterhead(campaign: Campaign, code: str = "") -> Letterhead:
    """The header block of the district's papers; ``code`` ('TB-UBND') gives a number line."""
    number = f"Số: ....../{code}" if code else ""
    return Letterhead(campaign.issuer_lines or (campaign.issuer,), number,
                      f"{campaign.place}, ngày ..... tháng ..... năm {campaign.year}")


def unit_label(campaign: Campaign, unit: Unit) -> str:
    """A unit as named in a sentence: 'UBND Xã Sì Lở Lầu', 'Phòng Nội vụ'."""
    return f"{campaign.group(unit.group).header_prefix} {unit.name}".strip()


def signed(value: Decimal) -> str:
    """A change of points with its sign: '+1', '-2,5'."""
    return ("+" if value > 0 else "") + format_points(value)


def write_ranking(collection: Collection, spec: CriteriaSpec, path: Path) -> None:
    """Write the ranking table of one scored form to path."""
    campaign = collection.campaign
    document = new_document()
    add_letterhead(document, letterhead(campaign))
    paragraph(document, f"BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI {spec.short_name} NĂM {campaign.year}",
              size=14, bold=True, align=CENTER, before=12, keep_next=True)
    basis = ("Điểm sau kiểm tra, đánh giá của Tổ kiểm tra" if collection.review is not None
             else "Điểm tự chấm của các cơ quan, đơn vị, địa phương")
    paragraph(document, f"({basis})", size=13, italic=True, align=CENTER, keep_next=True)
    paragraph(document, f"Thang xếp loại: {spec.bands.describe()}.", size=12, before=6, after=6, keep_next=True)
    members = [u for u in collection.units if u.form(spec.id) is not None]
    _table(document, collection, spec, members)
    paragraph(document, _counts(spec, members), size=12, before=6)
    add_signature(document, (), campaign.signer)
    document.core_properties.title = f"Bảng tổng hợp kết quả đánh giá, xếp loại {spec.short_name}"
    document.core_properties.author = campaign.receiving_office
    save_document(document, path)


def _table(document: DocumentObject, collection: Collection, spec: CriteriaSpec,
           members: list[UnitOutcome]) -> None:
    """One row per unit, by group; units without a result say why across the score columns."""
    campaign = collection.campaign
    groups = [g for g in campaign.groups if any(u.unit.group == g.id for u in members)]
    headers = ["STT", "Đơn vị", "Tổng điểm", "Xếp loại"]
    headers += ["Xếp hạng trong nhóm", "Xếp hạng chung"] if len(groups) > 1 else ["Xếp hạng"]
    body, number = [], 0
    for group in groups:
        rows = []
        for outcome in sorted((u for u in members if u.unit.group == group.id), key=lambda u: _order(u, spec)):
            number += 1
            rows.append(_row(number, outcome, spec, both=len(groups) > 1))
        body.append((group.label, rows))
    sized = [r for _, rows in body for r in rows if len(r) == len(headers)]
    names = [r[1] for _, rows in body for r in rows]
    columns = [list(c) for c in zip(*sized)] if sized else [[] for _ in headers]
    columns[1] = names
    widths = fit_widths(columns, headers, TABLE_PT, TEXT_MM)
    grid = LongGrid(document, headers, widths, TABLE_PT, aligns=[CENTER, LEFT] + [CENTER] * (len(headers) - 2))
    for label, rows in body:
        if len(groups) > 1:
            grid.row(["", label], bold=True, span_from=1)
        for row in rows:
            grid.row(row, span_from=None if len(row) == len(headers) else 2)


def _order(outcome: UnitOutcome, spec: CriteriaSpec) -> tuple:
    form = outcome.form(spec.id)
    rank = form.rank_in_group if form is not None and form.total is not None else None
    return (rank is None, rank or 0, name_key(outcome.unit.name))


def _row(number: int, outcome: UnitOutcome, spec: CriteriaSpec, both: bool) -> list[str]:
    """A ranked unit's cells; or its number, name and why it has no result."""
    form = outcome.form(spec.id)
    if form is None or form.total is None:
        return [str(number), outcome.unit.name, _why(outcome, form)]
    ranks = [str(form.rank_in_group or "")] + ([str(form.rank_overall or "")] if both else [])
    return [str(number), outcome.unit.name, format_points(form.total), form.classification or ""] + ranks


def _why(outcome: UnitOutcome, form) -> str:
    """Why a unit has no result, in a few words."""
    if outcome.status == Status.MISSING:
        return "Chưa nộp"
    if outcome.status == Status.NEEDS_CHOICE:
        return "Chưa xếp loại: có nhiều tệp, chưa xác định tệp cuối cùng"
    errors = len(form.errors) if form is not None else 0
    return f"Chưa xếp loại: hồ sơ còn {errors} lỗi cần sửa" if errors else "Chưa xếp loại: hồ sơ còn lỗi cần sửa"


def _counts(spec: CriteriaSpec, members: list[UnitOutcome]) -> str:
    forms = [u.form(spec.id) for u in members]
    ranked = [f for f in forms if f is not None and f.total is not None]
    parts = [f"{band.label}: {sum(f.classification == band.label for f in ranked)}" for band in spec.bands.items]
    missing = sum(u.status == Status.MISSING for u in members)
    other = len(members) - len(ranked) - missing
    return (f"Tổng số: {len(members)} cơ quan, đơn vị, địa phương; đã xếp loại {len(ranked)} ("
            + "; ".join(parts) + f"); chưa xếp loại {other}; chưa nộp {missing}.")
