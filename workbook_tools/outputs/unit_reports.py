"""The units' narrative reports as collected (``Collection.reports``), in two outputs:

- ``bao-cao-don-vi.csv``: one row per unit, report (outline id) and section that has text, in
  roster order, then outline order, then section order; the heading is the outline's own (year
  filled in), not the unit's typing; text that fits no heading last, section id '' and heading
  "Không xác định mục" (each piece under the heading the unit typed for it, when it had one);
- ``tong-hop-bao-cao-don-vi.docx``: the officer's compilation: per outline a part, per outline
  section its heading (a Word heading, so the navigation pane lists them) and each unit's text under
  its name in roster order, then the units that sent the report but wrote nothing there; at the top
  of each part the units that should have sent it and did not; the unplaced text at the end.

Both are written even when no report came in (the CSV with its header only, the document saying so
and listing who should send): the officer sees the state.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from workbook_tools.fileio import StagedOutputs, write_csv_to
from workbook_tools.outputs.ranking import letterhead
from workbook_tools.paper.docx import CENTER, LEFT, TEXT_MM, add_letterhead, new_document, paragraph, rule
from workbook_tools.paper.docx_widths import text_mm
from workbook_tools.paper.styles import FONT
from workbook_tools.read.report import UNPLACED
from workbook_tools.results.contracts import UNIT_REPORTS_COLUMNS, UNIT_REPORTS_NAME
from workbook_tools.results.model import Collection, UnitReport, local_text
from workbook_tools.spec.campaign import Campaign, Unit
from workbook_tools.spec.outline import OutlineSection, OutlineSpec

DOCUMENT_NAME = "tong-hop-bao-cao-don-vi.docx"
UNPLACED_HEADING = "Không xác định mục"
TITLE = "TỔNG HỢP BÁO CÁO CỦA CÁC ĐƠN VỊ"
NOT_WRITTEN = "Chưa viết mục này: "
NOT_SENT = "Chưa gửi báo cáo: "
TEXT_PT = 13
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
TABLE_CELLS = " | "  # how the reader keeps a table row: its cells joined
# Word heading levels: 1 for a part (one outline), 2 and 3 for the outline's own two levels.
HEADING_LOOK = {1: (14, CENTER, 12, 6), 2: (TEXT_PT, LEFT, 9, 3), 3: (TEXT_PT, LEFT, 6, 3)}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def write_unit_reports(collection: Collection, staged: StagedOutputs) -> None:
    """Stage both outputs (``outputs.write`` commits them with the others)."""
    write_csv_to(staged.path(UNIT_REPORTS_NAME), UNIT_REPORTS_COLUMNS, unit_report_rows(collection))
    write_compilation(collection, staged.path(DOCUMENT_NAME))


# ----- what was collected, in order ---------------------------------------------------------------


def nfc(text: str) -> str:
    """Vietnamese in its composed form (a file typed with combining marks prints the same)."""
    return unicodedata.normalize("NFC", text)


def ordered_reports(collection: Collection) -> list[UnitReport]:
    """The reports of roster units for the campaign's outlines, in roster order, then outline order
    (the first of a unit and outline when there are several)."""
    campaign = collection.campaign
    units = {u.code: i for i, u in enumerate(campaign.units)}
    outlines = {o.id: i for i, o in enumerate(campaign.outlines)}
    chosen: dict[tuple[str, str], UnitReport] = {}
    for report in collection.reports:
        if report.unit_code in units and report.outline_id in outlines:
            chosen.setdefault((report.unit_code, report.outline_id), report)
    return sorted(chosen.values(), key=lambda r: (units[r.unit_code], outlines[r.outline_id]))


def unplaced_text(report: UnitReport, outline: OutlineSpec) -> str:
    """The text that fits no heading of the outline, each piece after the heading the unit typed
    for it (when it had one), in the file's order."""
    known = {s.id for s in outline.sections}
    pieces = [f"{s.heading}\n{s.text}" if s.heading else s.text
              for s in report.sections if s.section_id not in known and s.text.strip()]
    return "\n".join(pieces)


def unit_report_rows(collection: Collection) -> Iterator[dict[str, str]]:
    """bao-cao-don-vi.csv: one row per unit, report and section with text (``write_csv_to`` makes
    every cell inert)."""
    campaign = collection.campaign
    for report in ordered_reports(collection):
        outline = campaign.outline(report.outline_id)
        row = {"unit_code": report.unit_code, "report_id": report.outline_id, "file": report.file}
        for section in outline.sections:
            text = report.text_of(section.id)
            if text.strip():
                yield row | {"section_id": section.id, "heading": nfc(section.text(campaign.year)),
                             "text": nfc(text)}
        text = unplaced_text(report, outline)
        if text:
            yield row | {"section_id": UNPLACED, "heading": UNPLACED_HEADING, "text": nfc(text)}


def expected_units(campaign: Campaign, outline: OutlineSpec) -> list[Unit]:
    """The roster units whose group writes this report."""
    return [u for u in campaign.units if outline.id in campaign.group(u.group).reports]


# ----- the compilation -------------------------------------------------------------------------------


def write_compilation(collection: Collection, path: Path) -> None:
    """Write tong-hop-bao-cao-don-vi.docx to path."""
    campaign = collection.campaign
    reports = ordered_reports(collection)
    document = new_document(TEXT_PT)
    _heading_styles(document)
    add_letterhead(document, letterhead(campaign))
    _title(document, campaign)
    _overview(document, collection, reports)
    for number, outline in enumerate(campaign.outlines, start=1):
        sent = [r for r in reports if r.outline_id == outline.id]
        _part(document, campaign, outline, sent, number, new_page=number > 1 and bool(reports))
    document.core_properties.title = f"Tổng hợp báo cáo của các đơn vị - {campaign.name}"
    document.core_properties.author = campaign.receiving_office
    document.save(str(path))


def _heading_styles(document: DocumentObject) -> None:
    """Headings 1-3 in our font, black, bold, upright (the template's are blue Calibri)."""
    for level, (size, align, before, after) in HEADING_LOOK.items():
        style = document.styles[f"Heading {level}"]
        font = style.font
        font.name, font.size, font.bold, font.italic = FONT, Pt(size), True, False
        font.color.rgb = RGBColor(0, 0, 0)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for key in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(key), None)
        for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(key), FONT)
        fmt = style.paragraph_format
        fmt.alignment, fmt.space_before, fmt.space_after = align, Pt(before), Pt(after)
        fmt.keep_with_next = True


def _title(document: DocumentObject, campaign: Campaign) -> None:
    """The document's name and the campaign it belongs to, centred, over a short rule."""
    paragraph(document, TITLE, size=14, bold=True, align=CENTER, before=12, keep_next=True)
    name = campaign.name if str(campaign.year) in campaign.name else f"{campaign.name} năm {campaign.year}"
    paragraph(document, _balanced(nfc(name), 14), size=14, bold=True, align=CENTER, keep_next=True)
    rule(document, TEXT_MM / 4, TEXT_MM, after=6)


def _balanced(text: str, size_pt: float) -> str:
    """A bold line too long for the page cut into two of about the same length (not a last line of
    one word)."""
    words = text.split()
    if len(words) < 2 or text_mm(text, size_pt, bold=True) <= TEXT_MM - 2:
        return text

    def longer(cut: int) -> float:
        return max(text_mm(" ".join(words[:cut]), size_pt, bold=True),
                   text_mm(" ".join(words[cut:]), size_pt, bold=True))
    cut = min(range(1, len(words)), key=longer)
    return " ".join(words[:cut]) + "\n" + " ".join(words[cut:])


def _overview(document: DocumentObject, collection: Collection, reports: list[UnitReport]) -> None:
    """What the document is and how many reports it holds."""
    when = local_text(collection.run_at, collection.campaign.timezone)
    senders = len({r.unit_code for r in reports})
    if reports:
        text = (f"Đã nhận {len(reports)} báo cáo của {senders} đơn vị (tính đến {when}). Dưới mỗi mục của "
                f"đề cương là nguyên văn phần viết của từng đơn vị theo thứ tự danh sách đơn vị; số liệu "
                f"trong đó là số liệu do đơn vị tự ghi.")
    else:
        text = (f"Chưa nhận được báo cáo nào của các đơn vị (tính đến {when}). Các đơn vị phải gửi "
                f"từng báo cáo được liệt kê dưới đây.")
    paragraph(document, text, align=JUSTIFY, indent_mm=10, before=6, after=6)


def _part(document: DocumentObject, campaign: Campaign, outline: OutlineSpec, sent: list[UnitReport],
          number: int, new_page: bool) -> None:
    """One outline: its title, who sent it and who did not, then section by section."""
    subtitle = " ".join(outline.subtitles(campaign.year))
    head = _heading(document, f"PHẦN {number}. {subtitle.upper()}", 1)
    head.paragraph_format.page_break_before = new_page or None
    expected = expected_units(campaign, outline)
    senders = {r.unit_code for r in sent}
    done = sum(u.code in senders for u in expected)
    paragraph(document, f"{outline.short_name}: đã nhận của {done}/{len(expected)} đơn vị phải gửi.",
              align=JUSTIFY, indent_mm=10, before=3)
    _names_line(document, NOT_SENT, [u for u in expected if u.code not in senders])
    if not sent:
        return
    units = campaign.units_by_code
    for section in outline.sections:
        _section(document, campaign, outline, section, sent)
    unplaced = [(units[r.unit_code], unplaced_text(r, outline)) for r in sent]
    if any(text for _, text in unplaced):
        _heading(document, UNPLACED_HEADING, 2)
        for unit, text in unplaced:
            if text:
                _unit_text(document, unit, text)


def _section(document: DocumentObject, campaign: Campaign, outline: OutlineSpec, section: OutlineSection,
             sent: list[UnitReport]) -> None:
    """A heading of the outline, each unit's text under its name, and who wrote nothing there (not
    said of a heading with sub-headings: its text is expected under them)."""
    _heading(document, section.text(campaign.year), section.level + 1)
    units = campaign.units_by_code
    silent = []
    for report in sent:
        text = report.text_of(section.id)
        if text.strip():
            _unit_text(document, units[report.unit_code], text)
        else:
            silent.append(units[report.unit_code])
    if not outline.children(section.id):
        _names_line(document, NOT_WRITTEN, silent)


def _heading(document: DocumentObject, text: str, level: int):
    """A Word heading (listed in the navigation pane)."""
    return document.add_paragraph(_printable(text), style=f"Heading {level}")


def _unit_text(document: DocumentObject, unit: Unit, text: str) -> None:
    """'Xã Sì Lở Lầu:' in bold, then the unit's lines (a table row as its cells' line)."""
    paragraph(document, f"{_printable(unit.name)}:", bold=True, before=3, keep_next=True)
    for line in text.split("\n"):
        if line.strip():
            table_row = TABLE_CELLS in line
            paragraph(document, _printable(line.strip() if table_row else line.rstrip()),
                      align=LEFT if table_row else JUSTIFY, indent_mm=0 if table_row else 10)


def _names_line(document: DocumentObject, lead: str, units: Sequence[Unit]) -> None:
    """'Chưa ...: A, B, C.' in italics (nothing when no unit)."""
    if units:
        names = ", ".join(_printable(u.name) for u in units)
        paragraph(document, f"{lead}{names}.", italic=True, align=JUSTIFY, before=3, after=3)


def _printable(text: str) -> str:
    """NFC, without the control characters XML cannot hold."""
    return _NOT_XML.sub(" ", nfc(text))
