"""The report's appendices, on landscape pages: ranking and classification per form, counts per
classification and group, units that did not submit or were late, and (with last year's results)
the roster changes. Each under its number, title and "(Kèm theo Báo cáo số ...)"; every table's
header repeats on each page and never breaks a word, and no row splits across pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from docx.document import Document as DocumentObject

from workbook_tools.paper.docx import (
    CENTER,
    LANDSCAPE_TEXT_MM,
    LEFT,
    Grid,
    keep_together,
    landscape_section,
    paragraph,
)
from workbook_tools.paper.docx_widths import fit_widths
from workbook_tools.report.unit_texts import reports_not_sent
from workbook_tools.results.contracts import Status
from workbook_tools.results.rank import name_key
from workbook_tools.results.years import Results, roster_changes, section_averages, unit_changes
from workbook_tools.spec.base import format_points
from workbook_tools.spec.campaign import Campaign
from workbook_tools.spec.criteria import CriteriaSpec

TABLE_PT = 11
STATUS_TEXT = {Status.INVALID: "Còn lỗi, chưa xếp loại", Status.NEEDS_CHOICE: "Chờ chọn tệp, chưa xếp loại",
               Status.MISSING: "Chưa nộp"}


@dataclass
class Appendices:
    """Writes the appendices into a document; ``sentences`` collects the figure sentences written."""

    document: DocumentObject
    campaign: Campaign
    current: Results
    previous: Results | None
    sentences: list[str] = field(default_factory=list)

    def write(self) -> None:
        """Every appendix, each form's on a landscape page of its own."""
        number = 0
        for form in self.campaign.scored_forms:
            number += 1
            landscape_section(self.document)
            self._title(number, f"KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI {form.short_name} NĂM {self.campaign.year}")
            paragraph(self.document, f"Thang xếp loại: {form.bands.describe()}.", size=TABLE_PT, italic=True,
                      after=4)
            self._ranking_table(form)
            self._count_table(form)
            if self.previous is not None:
                self._section_table(form)
        number += 1
        reports = " CHƯA GỬI BÁO CÁO," if reports_not_sent(self.campaign, self.current) else ""
        self._title(number, f"ĐƠN VỊ CHƯA NỘP,{reports} NỘP MUỘN", before=12)
        self._missing_late()
        if self.previous is not None:
            self._roster_changes()

    def _title(self, number: int, title: str, before: float = 0) -> None:
        paragraph(self.document, f"Phụ lục {number}", bold=True, align=CENTER, before=before, keep_next=True)
        paragraph(self.document, title, bold=True, align=CENTER, keep_next=True)
        paragraph(self.document, f"(Kèm theo Báo cáo số ....../BC-{self.campaign.issuer_code} ngày ..... "
                                 f"của UBND {self.campaign.district})", italic=True, align=CENTER, after=6,
                  keep_next=True)

    def _heading(self, text: str) -> None:
        paragraph(self.document, text, bold=True, before=8, after=4, keep_next=True)

    def _grid(self, headers: list[str], rows: list[list[str]], aligns: list, keep: bool = False) -> Grid:
        widths = fit_widths([list(c) for c in zip(*rows)] if rows else [[] for _ in headers], headers, TABLE_PT,
                            LANDSCAPE_TEXT_MM)
        grid = Grid(self.document, headers, widths, TABLE_PT, aligns=aligns)
        for row in rows:
            grid.row(row)
        if keep:
            keep_together(grid.table)
        return grid

    def _ranking_table(self, form: CriteriaSpec) -> None:
        groups = {g.id: g.label for g in self.campaign.groups}
        rows = sorted(self.current.rows(form.id),
                      key=lambda r: (r.rank_overall is None, r.rank_overall or 0, name_key(r.name)))
        changes = {c.code: c for c in unit_changes(self.current, self.previous, form.id)} if self.previous else {}
        header = ["STT", "Đơn vị", "Nhóm", "Tổng điểm", "Xếp loại", "Hạng trong nhóm", "Hạng chung"]
        if self.previous:
            header += [f"Năm {self.campaign.year - 1}", "Tăng/giảm", "Xếp loại năm trước", "Hạng năm trước"]
        body = []
        for index, row in enumerate(rows, start=1):
            values = [str(index), row.name, groups.get(row.group, row.group),
                      format_points(row.total) if row.total is not None else "",
                      STATUS_TEXT.get(row.status, row.classification),
                      str(row.rank_in_group or ""), str(row.rank_overall or "")]
            if self.previous:
                change = changes.get(row.code)
                old = change.previous_total if change else None
                values += [format_points(old) if old is not None else "—",
                           signed(change.delta) if change and change.delta is not None else "—",
                           (change.previous_classification or "—") if change else "—",
                           str(change.previous_rank or "—") if change else "—"]
            body.append(values)
        self._grid(header, body, [CENTER, LEFT, LEFT] + [CENTER] * (len(header) - 3))

    def _count_table(self, form: CriteriaSpec) -> None:
        self._heading(f"Số đơn vị theo xếp loại {form.short_name}")
        labels = [b.label for b in form.bands.items]
        body = []
        for group in list(self.campaign.groups) + [None]:
            rows = [r for r in self.current.rows(form.id) if group is None or r.group == group.id]
            counts = [sum(1 for r in rows if r.status == Status.VALID and r.classification == label)
                      for label in labels]
            body.append([group.label if group else f"Toàn {self.campaign.district}"] + [str(n) for n in counts]
                        + [str(sum(1 for r in rows if r.status in (Status.INVALID, Status.NEEDS_CHOICE))),
                           str(sum(1 for r in rows if r.status == Status.MISSING)), str(len(rows))])
        header = ["Nhóm"] + labels + ["Còn lỗi", "Chưa nộp", "Tổng số"]
        self._grid(header, body, [LEFT] + [CENTER] * (len(header) - 1), keep=True)

    def _section_table(self, form: CriteriaSpec) -> None:
        """The district average of each section, this year and last."""
        year = self.campaign.year
        self._heading(f"Điểm bình quân từng mục {form.short_name} toàn {self.campaign.district} "
                      f"so với năm {year - 1}")
        before = {s.id: v for s, v in section_averages(self.previous, form)}
        rows = []
        for section, now in section_averages(self.current, form):
            old = before.get(section.id)
            rows.append([section.stt, section.text, format_points(section.max),
                         format_points(now) if now is not None else "—",
                         format_points(old) if old is not None else "—",
                         signed(now - old) if now is not None and old is not None else "—"])
        self._grid(["Mục", "Nội dung", "Điểm chuẩn", f"Năm {year}", f"Năm {year - 1}", "Tăng/giảm"], rows,
                   [CENTER, LEFT] + [CENTER] * 4, keep=True)

    def _missing_late(self) -> None:
        """Per unit: its forms not sent or late, and the narrative reports it did not send."""
        reports = {o.id: o.short_name for o in self.campaign.outlines}
        not_sent = reports_not_sent(self.campaign, self.current)
        seen, rows = set(), []
        for row in self.current.units:
            if row.code in seen:
                continue
            seen.add(row.code)
            states = ["Chưa nộp" if row.status == Status.MISSING else "Nộp muộn" if row.late == "yes" else ""]
            if row.code in not_sent:
                states.append("Chưa gửi " + ", ".join(reports[o] for o in not_sent[row.code]))
            if any(states):
                rows.append([row.name, "; ".join(s for s in states if s)])
        if rows:
            self._grid(["Đơn vị", "Tình trạng"], rows, [LEFT, LEFT], keep=len(rows) <= 15)
        else:
            self._sentence("Tất cả đơn vị đã nộp đúng hạn.")

    def _roster_changes(self) -> None:
        changes = roster_changes(self.current, self.previous)
        self._heading(f"Thay đổi danh sách đơn vị so với năm {self.campaign.year - 1}")
        rows = [[code, name, "Đơn vị mới năm nay"] for code, name in changes.new]
        rows += [[code, name, "Có năm trước, không có năm nay (sáp nhập, giải thể hoặc đổi mã)"]
                 for code, name in changes.gone]
        rows += [[code, f"{old} → {new}", "Đổi tên"] for code, old, new in changes.renamed]
        if rows:
            self._grid(["Mã", "Đơn vị", "Thay đổi"], rows, [CENTER, LEFT, LEFT], keep=len(rows) <= 15)
        else:
            self._sentence("Danh sách đơn vị không thay đổi so với năm trước.")

    def _sentence(self, text: str) -> None:
        self.sentences.append(text)
        paragraph(self.document, text, indent_mm=10, after=3)


def signed(value: Decimal) -> str:
    """A change with its sign: '+2', '-1,5', '0'."""
    return ("+" if value > 0 else "") + format_points(value)
