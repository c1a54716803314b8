"""A draft of the district's report (.docx) from the collected results.

``write_report`` reads only the CSV contracts written by ``collect`` (see ``results``), follows
the outline in the campaign's report file (both official outlines, headings verbatim), and
writes, in each section, the district's figures as sentences (whole district and per group),
the self-assessment results and the units that stand out. Nothing is invented: a figure no unit
reported becomes a marked placeholder, and every place where the officer must write is marked
"[CẦN VIẾT: ...]" in yellow. Appendices: ranking and classification per form, counts per
classification and group, units that did not submit or were late, and (with last year's
results) the change per unit and per section and the roster changes.

Layout per Nghị định 30/2020: A4, Times New Roman 13-14, margins 20/20/30/15 mm, header block
with the issuing body, number placeholder, national motto, place and date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from workbook_tools.fileio import atomic_path
from workbook_tools.paper.page import MOTTO, MOTTO_SUB
from workbook_tools.paper.styles import FONT
from workbook_tools.problems import WorkbookToolsError, make_problem
from workbook_tools.results.contracts import Status
from workbook_tools.results.rank import name_key
from workbook_tools.results.years import Results, read_results, roster_changes, section_averages, unit_changes
from workbook_tools.spec.base import format_points
from workbook_tools.spec.campaign import Campaign, load_campaign
from workbook_tools.spec.criteria import CriteriaSpec
from workbook_tools.spec.yamlio import load_yaml

PLACEHOLDER = "[CẦN VIẾT: {text}]"
MISSING = "[CHƯA CÓ SỐ LIỆU: {text}]"


@dataclass(frozen=True)
class ReportResult:
    """Where the draft was written and every figure sentence it contains (for checking)."""

    path: Path
    sentences: tuple[str, ...]


def default_report_path(campaign: Campaign) -> Path:
    """output/<campaign id>/bao-cao/bao-cao-<year>.docx"""
    return Path("output") / campaign.id / "bao-cao" / f"bao-cao-{campaign.year}.docx"


def build_report(campaign_path: Path | str, results_dir: Path | str, previous_dir: Path | str | None = None,
                 out: Path | str | None = None) -> ReportResult:
    """Read the results (and last year's) and write the draft report."""
    campaign = load_campaign(campaign_path)
    if not campaign.report_file:
        raise WorkbookToolsError([make_problem("KEY_MISSING", file=campaign.source_file, key="report",
                                               context="campaign.yaml")])
    outline = load_yaml(Path(campaign.report_file))
    current = read_results(results_dir)
    previous = read_results(previous_dir) if previous_dir else None
    path = Path(out) if out else default_report_path(campaign)
    writer = _Writer(campaign, outline, current, previous)
    document = writer.build()
    try:
        with atomic_path(path) as tmp:
            document.save(str(tmp))
    except OSError as exc:
        raise WorkbookToolsError([make_problem("CLI_OUTPUT_UNWRITABLE", path=str(path),
                                               detail=exc.strerror or str(exc))]) from exc
    return ReportResult(path, tuple(writer.sentences))


class _Writer:
    def __init__(self, campaign: Campaign, outline, current: Results, previous: Results | None):
        self.campaign, self.outline, self.current, self.previous = campaign, outline, current, previous
        self.sentences: list[str] = []
        self.document = Document()
        self.indicators = {i.id: i for f in campaign.figure_forms for i in f.indicators()}

    def text(self, template: str) -> str:
        return template.replace("{year}", str(self.campaign.year)).replace("{next_year}", str(self.campaign.year + 1))

    # ----- document ---------------------------------------------------------------------------

    def build(self):
        self._page_setup()
        self._header()
        for part in self.outline["parts"]:
            self.paragraph(self.text(part["title"]), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=12)
            for section in part["sections"]:
                self._section(section)
        self._signature()
        self._appendices()
        return self.document

    def _page_setup(self) -> None:
        style = self.document.styles["Normal"]
        style.font.name = FONT
        style.font.size = Pt(14)
        style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        for section in self.document.sections:
            section.page_height, section.page_width = Mm(297), Mm(210)
            section.top_margin, section.bottom_margin = Mm(20), Mm(20)
            section.left_margin, section.right_margin = Mm(30), Mm(15)

    def paragraph(self, text: str = "", bold: bool = False, italic: bool = False, align=None,
                  size: int | None = None, before: int = 0, indent: bool = False):
        para = self.document.add_paragraph()
        para.paragraph_format.space_before = Pt(before)
        para.paragraph_format.space_after = Pt(3)
        if indent:
            para.paragraph_format.first_line_indent = Mm(10)
        if align is not None:
            para.alignment = align
        else:
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if text:
            run = para.add_run(text)
            run.bold, run.italic = bold, italic
            if size:
                run.font.size = Pt(size)
        return para

    def placeholder(self, text: str, missing: bool = False) -> None:
        para = self.paragraph(indent=True)
        run = para.add_run((MISSING if missing else PLACEHOLDER).format(text=text))
        run.italic = True
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def figure(self, sentence: str) -> None:
        self.sentences.append(sentence)
        self.paragraph(sentence, indent=True)

    def _header(self) -> None:
        table = self.document.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        campaign = self.campaign
        self._cell(left, [(campaign.issuer, True), ("Số: ....../BC-UBND", False)])
        self._cell(right, [(MOTTO, True), (MOTTO_SUB, True),
                           (f"{campaign.place}, ngày ..... tháng ..... năm {campaign.year}", False)])
        right.paragraphs[-1].runs[0].italic = True
        self.paragraph(self.outline["title"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=12)
        self.paragraph(self.text(self.outline["subtitle"]), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        self._intro()

    @staticmethod
    def _cell(cell, lines: list[tuple[str, bool]]) -> None:
        cell.paragraphs[0].text = ""
        for index, (text, bold) in enumerate(lines):
            para = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = para.add_run(text)
            run.bold = bold
            run.font.size = Pt(13)

    def _intro(self) -> None:
        units = {u.code for u in self.current.units}
        received = {u.code for u in self.current.units if u.status != Status.MISSING}
        self.figure(f"Thực hiện {self.campaign.request}, {self.campaign.receiving_office} đã nhận báo cáo và biểu "
                    f"đánh giá, xếp loại của {len(received)}/{len(units)} cơ quan, đơn vị, địa phương. "
                    f"UBND {self.campaign.district} báo cáo kết quả như sau:")

    # ----- sections ---------------------------------------------------------------------------

    def _section(self, section) -> None:
        self.paragraph(self.text(section["heading"]), bold=True, before=6)
        for item in section.get("items", []):
            self.paragraph(self.text(item["text"]), bold=False, italic=True, indent=True)
            figures = item.get("figures", [])
            if figures:
                self._figures(figures)
        if section.get("scores"):
            self._scores(section["scores"])
        if section.get("narrative"):
            self.placeholder(section["narrative"])

    def _figures(self, ids: list[str]) -> None:
        for indicator_id in ids:
            indicator = self.indicators[indicator_id]
            reported = [(u, self.current.figure(u.code, indicator_id)) for u in self._figure_units()]
            reported = [(u, v) for u, v in reported if v is not None]
            if not reported:
                self.placeholder(f"không đơn vị nào báo cáo '{indicator.label}'", missing=True)
                continue
            self.figure(self._figure_sentence(indicator, reported))

    def _figure_units(self):
        form = next(iter(self.campaign.figure_forms), None)
        return [u for u in self.current.units if form and u.form_id == form.id and u.status == Status.VALID]

    def _figure_sentence(self, indicator, reported) -> str:
        count = len(reported)
        if indicator.type == "int":
            total = sum(int(v) for _, v in reported)
            groups = "; ".join(f"{g.label}: {sum(int(v) for u, v in reported if u.group == g.id)}"
                               for g in self.campaign.groups if any(u.group == g.id for u, _ in reported))
            unit = f" {indicator.unit}" if indicator.unit else ""
            return f"{indicator.label}: toàn {self.campaign.district} {total}{unit} ({groups}); theo số liệu của {count} đơn vị."
        if indicator.type == "bool":
            yes = sum(1 for _, v in reported if v == "true")
            return f"{indicator.label}: {yes}/{count} đơn vị báo cáo có."
        dates = sorted(v for _, v in reported)
        return f"{indicator.label}: {count} đơn vị báo cáo, từ {_date(dates[0])} đến {_date(dates[-1])}."

    def _scores(self, form_id: str) -> None:
        spec = self.campaign.form(form_id)
        rows = self.current.rows(form_id)
        valid = [r for r in rows if r.status == Status.VALID and r.total is not None]
        counts = [(b.label, sum(1 for r in valid if r.classification == b.label)) for b in spec.bands.items]
        invalid = sum(1 for r in rows if r.status in (Status.INVALID, Status.NEEDS_CHOICE))
        missing = sum(1 for r in rows if r.status == Status.MISSING)
        self.figure(f"Kết quả đánh giá, xếp loại {spec.short_name} năm {self.campaign.year}: {len(valid)}/{len(rows)} "
                    f"đơn vị có kết quả hợp lệ, trong đó "
                    + ", ".join(f"{label}: {n}" for label, n in counts)
                    + f"; {invalid} đơn vị còn lỗi chưa xếp loại; {missing} đơn vị chưa nộp "
                    f"(thang xếp loại: {spec.bands.describe()}).")
        for group in self.campaign.groups:
            members = sorted((r for r in valid if r.group == group.id), key=lambda r: (-r.total, name_key(r.name)))
            if not members:
                continue
            average = sum((r.total for r in members), Decimal(0)) / len(members)
            top = ", ".join(f"{r.name} ({format_points(r.total)} điểm)" for r in members[:3])
            low = ", ".join(f"{r.name} ({format_points(r.total)} điểm)" for r in members[-3:][::-1])
            self.figure(f"{spec.short_name}, {group.label}: {len(members)} đơn vị, điểm bình quân {format_points(average.quantize(Decimal('0.01')))}; "
                        f"cao nhất: {top}; thấp nhất: {low}.")
        if self.previous is not None:
            self._score_changes(spec)

    def _score_changes(self, spec: CriteriaSpec) -> None:
        now = dict(section_averages(self.current, spec))
        before = dict((s.id, v) for s, v in section_averages(self.previous, spec))
        parts = []
        for section, value in now.items():
            old = before.get(section.id)
            if value is not None and old is not None:
                parts.append(f"mục {section.stt} {format_points(value)} điểm (năm trước {format_points(old)}, "
                             f"{_signed(value - old)})")
        if parts:
            self.figure(f"So với năm {self.campaign.year - 1}, điểm bình quân {spec.short_name} toàn "
                        f"{self.campaign.district}: " + "; ".join(parts) + ".")

    def _signature(self) -> None:
        table = self.document.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        self._cell(left, [("Nơi nhận:", True), ("- .....;", False), ("- Lưu: VT.", False)])
        for para in left.paragraphs:
            para.alignment = WD_ALIGN_PARAGRAPH.LEFT
        self._cell(right, [("TM. ỦY BAN NHÂN DÂN", True), ("CHỦ TỊCH", True), ("", False), ("", False),
                           (PLACEHOLDER.format(text="họ và tên người ký"), False)])

    # ----- appendices -------------------------------------------------------------------------

    def _appendices(self) -> None:
        number = 0
        for form in self.campaign.scored_forms:
            number += 1
            self._landscape_section()
            self.paragraph(f"Phụ lục {number}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            self.paragraph(f"KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI {form.short_name} NĂM {self.campaign.year}", bold=True,
                           align=WD_ALIGN_PARAGRAPH.CENTER)
            self._ranking_table(form)
            self._count_table(form)
        number += 1
        self.paragraph(f"Phụ lục {number}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=12)
        self.paragraph("ĐƠN VỊ CHƯA NỘP, NỘP MUỘN", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        self._missing_late()
        if self.previous is not None:
            self._roster_changes()

    def _landscape_section(self) -> None:
        section = self.document.add_section()
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin, section.right_margin = Mm(20), Mm(15)

    def _table(self, header: list[str], rows: list[list[str]], widths: list[float] | None = None):
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = widths is None
        for cell, label in zip(table.rows[0].cells, header):
            cell.text = ""
            run = cell.paragraphs[0].add_run(label)
            run.bold, run.font.size = True, Pt(12)
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values):
                cell.text = ""
                cell.paragraphs[0].add_run(value).font.size = Pt(12)
        if widths:
            for column, width in zip(table.columns, widths):
                column.width = Mm(width)
            for row in table.rows:
                for cell, width in zip(row.cells, widths):
                    cell.width = Mm(width)
        return table

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
            status = {Status.INVALID: "Còn lỗi, chưa xếp loại", Status.NEEDS_CHOICE: "Chờ chọn tệp, chưa xếp loại",
                      Status.MISSING: "Chưa nộp"}.get(row.status, row.classification)
            values = [str(index), row.name, groups.get(row.group, row.group),
                      format_points(row.total) if row.total is not None else "", status,
                      str(row.rank_in_group or ""), str(row.rank_overall or "")]
            if self.previous:
                change = changes.get(row.code)
                old = change.previous_total if change else None
                values += [format_points(old) if old is not None else "—",
                           _signed(change.delta) if change and change.delta is not None else "—",
                           (change.previous_classification or "—") if change else "—",
                           str(change.previous_rank or "—") if change else "—"]
            body.append(values)
        widths = [12, 56, 42, 18, 30, 16, 14] + ([18, 16, 24, 16] if self.previous else [])
        self._table(header, body, widths)

    def _count_table(self, form: CriteriaSpec) -> None:
        self.paragraph(f"Số đơn vị theo xếp loại {form.short_name}", bold=True, before=8)
        labels = [b.label for b in form.bands.items]
        body = []
        for group in list(self.campaign.groups) + [None]:
            rows = [r for r in self.current.rows(form.id) if group is None or r.group == group.id]
            counts = [sum(1 for r in rows if r.status == Status.VALID and r.classification == label) for label in labels]
            body.append([group.label if group else f"Toàn {self.campaign.district}"] + [str(n) for n in counts]
                        + [str(sum(1 for r in rows if r.status in (Status.INVALID, Status.NEEDS_CHOICE))),
                           str(sum(1 for r in rows if r.status == Status.MISSING)), str(len(rows))])
        self._table(["Nhóm"] + labels + ["Còn lỗi", "Chưa nộp", "Tổng số"], body)

    def _missing_late(self) -> None:
        seen, rows = set(), []
        for row in self.current.units:
            if row.code in seen:
                continue
            seen.add(row.code)
            if row.status == Status.MISSING:
                rows.append([row.name, "Chưa nộp"])
            elif row.late == "yes":
                rows.append([row.name, "Nộp muộn"])
        if rows:
            self._table(["Đơn vị", "Tình trạng"], rows)
        else:
            self.figure("Tất cả đơn vị đã nộp đúng hạn.")

    def _roster_changes(self) -> None:
        changes = roster_changes(self.current, self.previous)
        self.paragraph(f"Thay đổi danh sách đơn vị so với năm {self.campaign.year - 1}", bold=True, before=8)
        rows = [[code, name, "Đơn vị mới năm nay"] for code, name in changes.new]
        rows += [[code, name, "Có năm trước, không có năm nay (sáp nhập, giải thể hoặc đổi mã)"] for code, name in changes.gone]
        rows += [[code, f"{old} → {new}", "Đổi tên"] for code, old, new in changes.renamed]
        if rows:
            self._table(["Mã", "Đơn vị", "Thay đổi"], rows)
        else:
            self.figure("Danh sách đơn vị không thay đổi so với năm trước.")


def _date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).strftime("%d/%m/%Y")
    except ValueError:
        return text


def _signed(value: Decimal) -> str:
    sign = "+" if value > 0 else ""
    return f"{sign}{format_points(value)}"
