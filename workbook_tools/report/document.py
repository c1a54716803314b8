"""A draft of the district's report (.docx) from the collected results.

``write_report`` reads only the CSV contracts written by ``collect`` (see ``results``), follows
the outline in the campaign's report file (both official outlines, headings verbatim), and
writes, in each section, the district's figures as sentences (whole district and per group),
the self-assessment results and the units that stand out. Nothing is invented: a figure no unit
reported becomes a marked placeholder, and every place where the officer must write is marked
"[CẦN VIẾT: ...]" in yellow. Appendices: ranking and classification per form, counts per
classification and group, units that did not submit or were late, and (with last year's
results) the change per unit and per section and the roster changes.

Layout per Nghị định 30/2020 (``paper.docx``): A4, Times New Roman 14, margins 20/20/30/15 mm,
the header block (issuing body and motto with their rules, number, place and date), page numbers
from page 2, the signature block; the appendices are in ``report.appendix``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.shared import Mm, Pt

from workbook_tools.fileio import atomic_path
from workbook_tools.paper.docx import (
    CENTER,
    TEXT_MM,
    Letterhead,
    add_letterhead,
    add_signature,
    new_document,
    rule,
)
from workbook_tools.paper.docx_widths import text_mm
from workbook_tools.problems import WorkbookToolsError, make_problem
from workbook_tools.report.appendix import Appendices, signed
from workbook_tools.results.contracts import Status
from workbook_tools.results.rank import name_key
from workbook_tools.results.years import Results, read_results, section_averages
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
        self.document = new_document()
        self.indicators = {i.id: i for f in campaign.figure_forms for i in f.indicators()}

    def text(self, template: str) -> str:
        return template.replace("{year}", str(self.campaign.year)).replace("{next_year}", str(self.campaign.year + 1))

    # ----- document ---------------------------------------------------------------------------

    def build(self):
        self._header()
        for part in self.outline["parts"]:
            self.paragraph(self.text(part["title"]), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=12)
            for section in part["sections"]:
                self._section(section)
        add_signature(self.document, ("- .....;", "- Lưu: VT."), self.campaign.signer,
                      name=PLACEHOLDER.format(text="họ và tên người ký"))
        Appendices(self.document, self.campaign, self.current, self.previous, self.sentences).write()
        return self.document

    def paragraph(self, text: str = "", bold: bool = False, italic: bool = False, align=None,
                  size: int | None = None, before: int = 0, indent: bool = False):
        para = self.document.add_paragraph()
        para.paragraph_format.space_before = Pt(before)
        para.paragraph_format.space_after = Pt(3)
        para.paragraph_format.keep_with_next = bold or None  # a heading stays with what follows it
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
        campaign = self.campaign
        add_letterhead(self.document, Letterhead(
            campaign.issuer_lines or (campaign.issuer,), f"Số: ....../BC-{campaign.issuer_code}",
            f"{campaign.place}, ngày ..... tháng ..... năm {campaign.year}"))
        self.paragraph(self.outline["title"], bold=True, align=CENTER, before=12)
        subtitle = self.text(self.outline["subtitle"])
        self.paragraph(subtitle, bold=True, align=CENTER)
        rule(self.document, min(TEXT_MM, text_mm(subtitle, 14, bold=True)) / 3, TEXT_MM, after=6)
        self._intro()

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
            groups = "; ".join(f"{g.label}: {whole(sum(int(v) for u, v in reported if u.group == g.id))}"
                               for g in self.campaign.groups if any(u.group == g.id for u, _ in reported))
            unit = f" {indicator.unit}" if indicator.unit else ""
            return (f"{indicator.label}: toàn {self.campaign.district} {whole(total)}{unit} ({groups}); "
                    f"theo số liệu của {count} đơn vị.")
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
                             f"{signed(value - old)})")
        if parts:
            self.figure(f"So với năm {self.campaign.year - 1}, điểm bình quân {spec.short_name} toàn "
                        f"{self.campaign.district}: " + "; ".join(parts) + ".")


def whole(number: int) -> str:
    """A count in Vietnamese form: 2813 -> '2.813'."""
    return f"{number:,}".replace(",", ".")


def _date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).strftime("%d/%m/%Y")
    except ValueError:
        return text

