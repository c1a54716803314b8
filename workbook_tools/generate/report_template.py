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

Fast (as the workbooks, ``template.py``): python-docx takes 0.1 s a document, so ``generate`` builds
each group's document for an outline once, for a marker unit, and patches it per unit in about 1 ms: the
header name and the indents of the rule under it, the core and custom properties; every other member is
copied compressed. The result is ``build_report``'s bytes (a test checks it).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from workbook_tools.form.identity import (
    PROMPT_STYLE,
    PROMPT_STYLE_ID,
    REPORT_FORMAT,
    FileIdentity,
    bookmark_name,
    issue_metadata,
    property_name,
    unit_metadata,
)
from workbook_tools.form.names import unit_file_name
from workbook_tools.form.signing import SIGNATURE_KEY, sign
from workbook_tools.generate.template import MARK_CODE, MARK_FILE_ID, MARK_NAME, marker_unit
from workbook_tools.paper.docx import (
    CENTER,
    HEAD_LEFT_MM,
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
from workbook_tools.paper.docx_widths import CELL_PAD_MM, text_mm
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
    return (unit_metadata(REPORT_FORMAT, campaign, unit)
            | {"outline_id": outline.id, "outline_sha256": outline.content_hash} | issue_metadata(identity))


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
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return zip_members([member(info.filename, source.read(info)) for info in source.infolist()], when)


# ----- fast generation: one template per group and outline, patched per unit ---------------------------

DOCUMENT, CORE, CUSTOM = "word/document.xml", "docProps/core.xml", "docProps/custom.xml"
LOCAL_HEADER, CENTRAL_HEADER, END_RECORD = (struct.Struct(f) for f in ("<4s2B4HL2L2H", "<4s4B4HL2L5H2L",
                                                                        "<4s4H2LH"))
ZIP_VERSION, CREATE_SYSTEM, UTF8_NAME = 20, zipfile.ZipInfo().create_system, 0x800  # as zipfile writes them
FILE_MODE = 0o600 << 16  # the external attributes zipfile's writestr gives an entry
CORE_MARKERS = re.compile("|".join((MARK_NAME, MARK_CODE, MARK_FILE_ID)))
NOT_PATCHABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # control characters (Cc), surrogates


@dataclass(frozen=True)
class Member:
    """One zip member: its name, its size, CRC and raw deflated bytes."""

    name: str
    size: int
    crc: int
    packed: bytes


@dataclass(frozen=True)
class ReportTemplate:
    """One group's report template for one outline, built for the marker unit."""

    group: str
    outline_id: str
    generated_at: dt.datetime
    members: tuple[Member, ...]            # in the package's order
    document: tuple[bytes, bytes, bytes]   # document.xml: before the name, up to the rule's indent, after it
    core: str                              # core.xml with the markers


def build_report_template(campaign: Campaign, group: str, outline: OutlineSpec,
                          generated_at: dt.datetime) -> ReportTemplate:
    """Build the document once for the marker unit (its custom.xml is written anew per unit, so the
    key it is signed with here does not matter)."""
    unit = marker_unit(group)
    data = build_report(campaign, unit, outline, FileIdentity(MARK_FILE_ID, generated_at), b"")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    markers = [m.encode() for m in (MARK_NAME, MARK_NAME.upper(), MARK_CODE, MARK_FILE_ID)]
    document = _cut_document(parts[DOCUMENT], unit.header_name(campaign.group(group)))
    kept = [data for name, data in parts.items() if name not in (DOCUMENT, CORE, CUSTOM)] + list(document)
    if any(m in data for data in kept for m in markers):
        raise ValueError("a unit's text outside the parts patched per unit")
    return ReportTemplate(group, outline.id, generated_at, tuple(member(n, d) for n, d in parts.items()),
                          document, parts[CORE].decode("utf-8"))


def instantiate_report(template: ReportTemplate, campaign: Campaign, unit: Unit, outline: OutlineSpec,
                       identity: FileIdentity, key: bytes) -> bytes:
    """``build_report``'s bytes, from the group's template; a text python-docx would write otherwise
    (with a tab, a line break, another control character) or not NFC goes the slow way."""
    if (template.group, template.outline_id) != (unit.group, outline.id):
        raise ValueError(f"template of {template.group}/{template.outline_id} for {unit.group}/{outline.id}")
    header = unit.header_name(campaign.group(unit.group))
    meta = report_metadata(campaign, unit, outline, identity)
    if not all(_patchable(text) for text in (header, *meta.values())):
        return build_report(campaign, unit, outline, identity, key)
    meta[SIGNATURE_KEY] = sign(meta, key)
    head, middle, tail = template.document
    texts = {DOCUMENT: b"".join((head, escape(header).encode(), middle, _rule_indent(header), tail)),
             CORE: _core(template, unit, identity).encode("utf-8"), CUSTOM: custom_properties_xml(meta)}
    members = [member(m.name, texts[m.name]) if m.name in texts else m for m in template.members]
    return zip_members(members, identity.generated_at)


def _patchable(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text) and not NOT_PATCHABLE.search(text)


def _rule_indent(header: str) -> bytes:
    """The indents of the short rule under the unit's name (``add_letterhead``: 40% of the name's width,
    centred in the header column)."""
    width = min(text_mm(header, 13, bold=True), HEAD_LEFT_MM) * 0.4
    twips = Mm(max(0.0, (HEAD_LEFT_MM - 2 * CELL_PAD_MM - width) / 2)).twips
    return f'<w:ind w:left="{twips}" w:right="{twips}"/>'.encode()


def _cut_document(xml: bytes, header: str) -> tuple[bytes, bytes, bytes]:
    """document.xml around the marker header name and the rule's indent that follows it."""
    name, indent = escape(header).encode(), _rule_indent(header)  # escaped as lxml does in text
    if xml.count(name) != 1:
        raise ValueError("the unit's header name is not once in the document")
    at = xml.index(name)
    start = xml.find(b"<w:ind ", at)
    if start < 0 or not xml.startswith(indent, start):
        raise ValueError("the rule under the unit's name is not where expected")
    return xml[:at], xml[at + len(name):start], xml[start + len(indent):]


def _core(template: ReportTemplate, unit: Unit, identity: FileIdentity) -> str:
    """core.xml with the unit's name, code and file id, and the dates of its identity."""
    values = {MARK_NAME: unit.name, MARK_CODE: unit.code, MARK_FILE_ID: identity.file_id}
    text = CORE_MARKERS.sub(lambda match: escape(values[match[0]]), template.core)
    old, new = (when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")  # as python-docx writes it
                for when in (template.generated_at, identity.generated_at))
    return text.replace(f">{old}</dcterms:", f">{new}</dcterms:")


def member(name: str, data: bytes) -> Member:
    """A zip member deflated as zipfile does (default level, raw stream)."""
    packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Member(name, len(data), zlib.crc32(data), packer.compress(data) + packer.flush())


def zip_members(members: list[Member], when: dt.datetime) -> bytes:
    """The zip of these members, each dated ``when`` (local time): the bytes zipfile writes for them
    (``writestr``, deflated), without compressing again what is already compressed."""
    y, mo, d, h, mi, s = when.timetuple()[:6]
    date, time = (y - 1980) << 9 | mo << 5 | d, h << 11 | mi << 5 | s // 2
    body, directory, offset = [], [], 0
    for item in members:
        name, flags = item.name.encode("utf-8"), 0 if item.name.isascii() else UTF8_NAME
        fields = (flags, zipfile.ZIP_DEFLATED, time, date, item.crc, len(item.packed), item.size, len(name))
        body += [LOCAL_HEADER.pack(b"PK\x03\x04", ZIP_VERSION, 0, *fields, 0), name, item.packed]
        directory += [CENTRAL_HEADER.pack(b"PK\x01\x02", ZIP_VERSION, CREATE_SYSTEM, ZIP_VERSION, 0, *fields,
                                          0, 0, 0, 0, FILE_MODE, offset), name]
        offset += LOCAL_HEADER.size + len(name) + len(item.packed)
    listing = b"".join(directory)
    return b"".join(body) + listing + END_RECORD.pack(b"PK\x05\x06", 0, 0, len(members), len(members),
                                                      len(listing), offset, 0)
