"""A unit's report template: one Word document per report outline its group writes.

Laid out per Nghị định 30/2020 (``paper.docx``): the header block with the body the unit answers to
and the unit's name, the national motto, "Số: ....../BC-......" and the date line; the title and
subtitle lines; every heading of the outline verbatim, in style Heading 1 / Heading 2 and carrying
a bookmark ``wt_s_<section id>``; under each heading a grey italic prompt (style "Gợi ý": the
collector drops those paragraphs) and an empty paragraph to write in; "Nơi nhận" and the signature.

The unit's identity is embedded as custom document properties (``wt_<key>``, kept by Word and by a
LibreOffice re-save) signed with the campaign key as the workbooks are, so that a returned report
is recognised whatever its name. The zip is rewritten with fixed entry times: the same identity
gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from workbook_tools import TEMPLATE_VERSION
from workbook_tools.form.identity import (
    PROMPT_STYLE,
    PROMPT_STYLE_ID,
    REPORT_FORMAT,
    FileIdentity,
    bookmark_name,
    property_name,
)
from workbook_tools.form.names import unit_file_name
from workbook_tools.form.signing import SIGNATURE_KEY, sign
from workbook_tools.paper.docx import (
    CENTER,
    TEXT_MM,
    Letterhead,
    add_letterhead,
    add_signature,
    bookmark,
    new_document,
    paragraph,
    plain_style,
    rule,
)
from workbook_tools.paper.docx_widths import text_mm
from workbook_tools.spec.campaign import Campaign, Unit
from workbook_tools.spec.outline import OutlineSection, OutlineSpec

GREY = "808080"
BODY_PT, PROMPT_PT, HEADING_PT = 14, 13, 14
INDENT_MM = 10.0
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
HOW_TO = ("Đơn vị viết nội dung dưới từng đầu mục; giữ nguyên các đầu mục, không xóa mục nào. "
          "Các dòng chữ nghiêng màu xám là gợi ý: xóa hay để nguyên đều được (khi tổng hợp sẽ bỏ qua). "
          "Lưu tệp dạng .docx.")
FIGURES_GIVEN = ("Các số liệu sau đã nhập ở trang '{sheet}' của tệp Excel biểu mẫu, không cần nhắc lại trong "
                 "báo cáo: {labels}.")
CUSTOM_XML_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id of user-defined properties


def report_file_name(unit: Unit, outline: OutlineSpec) -> str:
    """'03550_Xa_Si_Lo_Lau_bao-cao-qcdc.docx': named like the unit's workbook."""
    return unit_file_name(unit, f"_{outline.file_name}.docx")


def report_metadata(campaign: Campaign, unit: Unit, outline: OutlineSpec,
                    identity: FileIdentity) -> dict[str, str]:
    """The identity of one report template (the signature excluded)."""
    return {
        "format": REPORT_FORMAT,
        "template_version": TEMPLATE_VERSION,
        "campaign_id": campaign.id,
        "campaign_year": str(campaign.year),
        "unit_code": unit.code,
        "unit_name": unit.name,
        "unit_group": unit.group,
        "outline_id": outline.id,
        "outline_sha256": outline.content_hash,
        "file_id": identity.file_id,
        "generated_at": identity.generated_at.isoformat(timespec="seconds"),
    }


def build_report(campaign: Campaign, unit: Unit, outline: OutlineSpec, identity: FileIdentity,
                 key: bytes) -> bytes:
    """The bytes of one unit's report template for one outline, its identity signed with ``key``."""
    document = new_document(BODY_PT)
    _styles(document)
    group = campaign.group(unit.group)
    add_letterhead(document, Letterhead(
        issuer=(unit.header_name(group),), number="Số: ....../BC-......",
        place_date=f"....., ngày ..... tháng ..... năm {campaign.year}", parent=(campaign.issuer,)))
    _title(document, (outline.title, *outline.subtitles(campaign.year)))
    prompt(document, HOW_TO).paragraph_format.space_after = Pt(6)
    labels = _figure_labels(campaign, unit)
    for number, section in enumerate(outline.sections, start=1):
        _section(document, outline, section, campaign.year, labels, number)
    add_signature(document, _recipients(campaign), (outline.signature_title,), hint=outline.signature_hint)
    _core_properties(document, campaign, unit, outline, identity)
    meta = report_metadata(campaign, unit, outline, identity)
    meta[SIGNATURE_KEY] = sign(meta, key)
    _custom_properties(document, meta)
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue(), identity.generated_at)


# ----- styles ------------------------------------------------------------------------------------


def _styles(document: DocumentObject) -> None:
    """Vietnamese text; headings in our font, black and bold; the grey italic prompt style."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = None if defaults is None else defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    if lang is not None:
        lang.set(qn("w:val"), "vi-VN")
    for name in ("Heading 1", "Heading 2"):
        style = document.styles[name]
        plain_style(style, HEADING_PT, bold=True)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(6), Pt(3), 1.0
        fmt.first_line_indent, fmt.alignment = Mm(INDENT_MM), JUSTIFY
        fmt.keep_with_next = True
    style = document.styles.add_style(PROMPT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = PROMPT_STYLE_ID
    style.base_style = document.styles["Normal"]
    style.next_paragraph_style = document.styles["Normal"]
    style.quick_style = True
    plain_style(style, PROMPT_PT, italic=True, color=GREY)
    fmt = style.paragraph_format
    fmt.first_line_indent, fmt.alignment = Mm(INDENT_MM), JUSTIFY
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)


def prompt(document: DocumentObject, text: str):
    """A grey italic paragraph in style "Gợi ý" (its runs grey and italic too)."""
    para = _styled(document, PROMPT_STYLE_ID)
    run = para.add_run(text)
    run.italic = True
    run.font.color.rgb = RGBColor.from_string(GREY)
    return para


def _styled(document: DocumentObject, style_id: str):
    """A new paragraph in a style given by its id (python-docx looks a name up among 370 styles each time)."""
    para = document.add_paragraph()
    para._p.get_or_add_pPr().style = style_id
    return para


# ----- the body -------------------------------------------------------------------------------------


def _title(document: DocumentObject, lines: tuple[str, ...]) -> None:
    """The document's name and the subtitle lines, bold and centred (13 pt if a line would not fit in
    14), over a short rule."""
    size = 14 if all(text_mm(line, 14, bold=True) <= TEXT_MM - 2 for line in lines) else 13
    for index, line in enumerate(lines):
        paragraph(document, line, size=size, bold=True, align=CENTER, before=12 if index == 0 else 0,
                  keep_next=True)
    rule(document, min(TEXT_MM, text_mm(lines[-1], size, bold=True)) / 3, TEXT_MM, after=6)


def _section(document: DocumentObject, outline: OutlineSpec, section: OutlineSection, year: int,
             labels: dict[str, tuple[str, str]], number: int) -> None:
    """A heading with its bookmark, its prompt, guidance and figures lines, and room to write."""
    para = _styled(document, "Heading1" if section.level == 1 else "Heading2")
    para.add_run(section.text(year))
    bookmark(para, bookmark_name(section.id), number)
    if section.prompt:
        prompt(document, section.prompt)
    for line in section.guidance:
        prompt(document, f"- {line}")
    given = _figures_sentence(section, labels)
    if given:
        prompt(document, given)
    if not outline.children(section.id):
        _writing_paragraph(document)


def _writing_paragraph(document: DocumentObject) -> None:
    """An empty paragraph where the unit writes: justified, first line indented."""
    para = paragraph(document, after=6, indent_mm=INDENT_MM, align=JUSTIFY)
    para.paragraph_format.line_spacing = 1.15


def _figure_labels(campaign: Campaign, unit: Unit) -> dict[str, tuple[str, str]]:
    """The label and sheet name of every figure of the figures sheets the unit fills, by id."""
    wanted = {f.id for f in campaign.forms_for(unit)}
    return {item.id: (item.label, form.sheet_name) for form in campaign.figure_forms if form.id in wanted
            for item in form.indicators()}


def _figures_sentence(section: OutlineSection, labels: dict[str, tuple[str, str]]) -> str:
    """'Các số liệu sau đã nhập ở trang 'Số liệu' ...: số văn bản ...; số buổi ....' ('' when none)."""
    known = [labels[f] for f in section.figures if f in labels]
    if not known:
        return ""
    sheets = list(dict.fromkeys(sheet for _label, sheet in known))
    return FIGURES_GIVEN.format(sheet="', '".join(sheets),
                                labels="; ".join(_in_sentence(label) for label, _sheet in known))


def _in_sentence(label: str) -> str:
    """'Số văn bản ...' -> 'số văn bản ...'; 'BCĐ ...' kept."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _recipients(campaign: Campaign) -> tuple[str, ...]:
    """'- UBND huyện Phong Thổ (qua Phòng Nội vụ);' and '- Lưu: VT.'"""
    office = campaign.receiving_office.removesuffix(f" {campaign.district}").strip()
    return (f"- UBND {campaign.district} (qua {office});", "- Lưu: VT.")


# ----- properties and the package ---------------------------------------------------------------------


def _core_properties(document: DocumentObject, campaign: Campaign, unit: Unit, outline: OutlineSpec,
                     identity: FileIdentity) -> None:
    props = document.core_properties
    when = identity.generated_at.astimezone(dt.timezone.utc).replace(tzinfo=None)
    props.title = f"{' '.join(outline.subtitles(campaign.year))} - {unit.name}"
    props.subject, props.author = campaign.name, campaign.receiving_office
    props.last_modified_by, props.language, props.revision = campaign.receiving_office, "vi-VN", 1
    props.comments = f"Mẫu {outline.short_name} cho {unit.name} ({unit.code}); mã tệp {identity.file_id}"
    props.created = props.modified = when


def custom_properties_xml(meta: dict[str, str]) -> bytes:
    """docProps/custom.xml holding every key as a text property ``wt_<key>``."""
    rows = "".join(f'<property fmtid="{CUSTOM_FMTID}" pid="{pid}" name={quoteattr(property_name(key))}>'
                   f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
                   for pid, (key, value) in enumerate(meta.items(), start=2))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{CUSTOM_XML_NS}" xmlns:vt="{VT_NS}">{rows}</Properties>').encode("utf-8")


def _custom_properties(document: DocumentObject, meta: dict[str, str]) -> None:
    """Add the custom properties part to the package, related from the package (content type too)."""
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), CONTENT_TYPE.OFC_CUSTOM_PROPERTIES,
                custom_properties_xml(meta), package)
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


def _stable_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same zip with every entry dated ``when`` (local time), so equal inputs give equal bytes."""
    stamp = when.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info))
    return out.getvalue()
