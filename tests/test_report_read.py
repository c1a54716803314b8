"""Reading a unit's narrative report (.docx) by the outline's sections: our template by its bookmarks
and signed identity, a unit's own Word file by its headings (numbering styles, diacritics, missing
and merged sections, extra headings), and hostile files rejected before anything parses them.

Every document is built here with python-docx (or by hand, zip and XML, where the test needs exact
control of the markup)."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
from xml.sax.saxutils import escape

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from workbook_tools.form.identity import property_name
from workbook_tools.form.signing import sign
from workbook_tools.read.docx import DocxError, DocxLimits, read_docx
from workbook_tools.read.report import UNPLACED, SectionText, detect_outline, read_report, split_sections

KEY = bytes(range(32))
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
MB = 1_000_000


# ----- builders -------------------------------------------------------------------------------------

class Doc:
    """A Word document written as a unit would, paragraph by paragraph."""

    def __init__(self) -> None:
        self.document = docx.Document()
        style = self.document.styles.add_style("Gợi ý", WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = "Goiy"
        self.marks = 0

    def p(self, text: str, style: str | None = None, mark: str = "", mark_before: bool = False,
          bold: bool = False) -> Doc:
        para = self.document.add_paragraph(style=style)
        run = para.add_run(text)
        run.bold = bold or None
        if mark:
            self.marks += 1
            start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
            start.set(qn("w:id"), str(self.marks))
            start.set(qn("w:name"), mark)
            end.set(qn("w:id"), str(self.marks))
            if mark_before:  # as LibreOffice may write it: a sibling just before the paragraph
                para._p.addprevious(start)
            else:
                para._p.insert(1 if para._p.pPr is not None else 0, start)
            para._p.append(end)
        return self

    def table(self, rows: list[list[str]]) -> Doc:
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        for row, values in zip(table.rows, rows):
            for cell, value in zip(row.cells, values):
                cell.text = value
        return self

    def bytes(self, properties: dict[str, str] | None = None) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return with_properties(buffer.getvalue(), properties) if properties else buffer.getvalue()


def with_properties(data: bytes, properties: dict[str, str]) -> bytes:
    """The document with docProps/custom.xml holding these text properties."""
    rows = "".join(f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" '
                   f'name="{escape(name)}"><vt:lpwstr>{escape(value)}</vt:lpwstr></property>'
                   for pid, (name, value) in enumerate(properties.items(), start=2))
    custom = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">{rows}</Properties>').encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            part = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                part = part.replace(b"</Types>", f'<Override PartName="/docProps/custom.xml" '
                                                 f'ContentType="{CUSTOM_TYPE}"/></Types>'.encode())
            elif info.filename == "_rels/.rels":
                part = part.replace(b"</Relationships>", f'<Relationship Id="rIdWt" Type="{CUSTOM_REL}" '
                                                         f'Target="docProps/custom.xml"/></Relationships>'.encode())
            zout.writestr(info.filename, part)
        zout.writestr("docProps/custom.xml", custom)
    return out.getvalue()


def identity(campaign, outline_id: str, unit: str = "03550", key: bytes = KEY, **changes: str) -> dict:
    """Our template's custom properties, signed (``changes`` applied after signing: tampering)."""
    unit = next(u for u in campaign.units if u.code == unit)
    meta = {"format": "workbook_tools_report", "template_version": "1", "campaign_id": campaign.id,
            "campaign_year": str(campaign.year), "unit_code": unit.code, "unit_name": unit.name,
            "unit_group": unit.group, "outline_id": outline_id,
            "outline_sha256": campaign.outline(outline_id).content_hash, "file_id": "f-123",
            "generated_at": "2023-10-01T08:00:00+07:00"}
    meta["signature"] = sign(meta, key)
    meta.update(changes)
    return {property_name(k): v for k, v in meta.items()}


def letterhead(doc: Doc, campaign, outline) -> None:
    doc.table([["UBND HUYỆN PHONG THỔ\nUBND XÃ DÀO SAN\nSố: 45/BC-UBND",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nDào San, ngày 01 tháng 11 năm 2023"]])
    doc.p(outline.title, bold=True)
    for line in outline.subtitles(campaign.year):
        doc.p(line, bold=True)


def closing(doc: Doc, outline) -> None:
    doc.table([["Nơi nhận:\n- UBND huyện Phong Thổ;\n- Lưu: VT.",
                f"{outline.signature_title}\n{outline.signature_hint}\n\nNguyễn Văn A"]])


def template_doc(campaign, outline_id: str, fill: dict, retyped: dict | None = None,
                 before: tuple[str, ...] = ()) -> Doc:
    """Our template as a unit fills it: letterhead, headings with bookmarks and prompts, the unit's
    text (a list of paragraphs, or a table as a list of rows), 'Nơi nhận'."""
    outline = campaign.outline(outline_id)
    doc = Doc()
    letterhead(doc, campaign, outline)
    doc.p("Đơn vị viết nội dung dưới từng đầu mục.", style="Gợi ý")
    for section in outline.sections:
        text = (retyped or {}).get(section.id, section.text(campaign.year))
        doc.p(text, style="Heading 1" if section.level == 1 else "Heading 2",
              mark="wt_s_" + section.id.replace(".", "_"), mark_before=section.id in before)
        if section.prompt:
            doc.p(section.prompt, style="Gợi ý")
        for line in section.guidance:
            doc.p(f"- {line}", style="Gợi ý")
        content = fill.get(section.id, [""])
        if content and isinstance(content[0], list):
            doc.table(content)
        else:
            for line in content:
                doc.p(line)
    closing(doc, outline)
    return doc


def sections_of(read) -> dict[str, str]:
    return {s.section_id: s.text for s in read.sections}


def codes(read) -> list[str]:
    return [p.code for p in read.problems]


def problem(read, code: str):
    return next(p for p in read.problems if p.code == code)


# ----- our template -----------------------------------------------------------------------------------

TEMPLATE_FILL = {
    "i.1": ["Thị trấn có 12 tổ dân phố.", "Viết ngắn gọn chức năng, nhiệm vụ chính của đơn vị.",
            "Đảng ủy, HĐND, UBND thị trấn hoạt động ổn định."],
    "i.2": ["Thuận lợi: được huyện quan tâm.", "Khó khăn: địa bàn rộng."],
    "ii.2": [["Nội dung", "Số buổi"], ["Tuyên truyền Nghị định 04", "12"]],
    "iii.1": ["- Đánh giá về vai trò, trách nhiệm của người đứng đầu các cơ quan, đơn vị trong việc thực "
              "hiện dân chủ theo quy định của Nghị định 04/NĐ-CP.", "Thủ trưởng gương mẫu."],
    "iv.2": ["Một số cán bộ còn chậm đổi mới."],
    "vi": ["Đề nghị huyện mở lớp tập huấn."],
}


def test_our_template_is_split_by_its_bookmarks_even_with_retyped_headings(campaign):
    doc = template_doc(campaign, "de-cuong-qcdc", TEMPLATE_FILL, before=("i.1", "vi"),
                       retyped={"iv.2": "2. Hạn chế, tồn tại (đơn vị tự sửa)", "iii.1": "Thủ trưởng"})
    read = read_report(campaign, None, doc.bytes(identity(campaign, "de-cuong-qcdc")), KEY)
    assert (read.outline_id, read.unit_code, read.file_id) == ("de-cuong-qcdc", "03550", "f-123")
    assert read.sections == (
        SectionText("i.1", "1. Nêu khái quát chức năng, nhiệm vụ của đơn vị.",
                    "Thị trấn có 12 tổ dân phố.\nĐảng ủy, HĐND, UBND thị trấn hoạt động ổn định."),
        SectionText("i.2", "2. Những thuận lợi, khó khăn.", "Thuận lợi: được huyện quan tâm.\nKhó khăn: địa bàn rộng."),
        SectionText("ii.2", campaign.outline("de-cuong-qcdc").section("ii.2").heading,
                    "Nội dung | Số buổi\nTuyên truyền Nghị định 04 | 12"),
        SectionText("iii.1", "Thủ trưởng", "Thủ trưởng gương mẫu."),
        SectionText("iv.2", "2. Hạn chế, tồn tại (đơn vị tự sửa)", "Một số cán bộ còn chậm đổi mới."),
        SectionText("vi", "VI. NHỮNG KIẾN NGHỊ, ĐỀ XUẤT (NẾU CÓ)", "Đề nghị huyện mở lớp tập huấn."),
    )
    assert codes(read) == ["REPORT_SECTIONS_EMPTY"]
    assert "II.1, III.2, III.3, III.4, III.5, IV.1, V." in problem(read, "REPORT_SECTIONS_EMPTY").message


def test_text_typed_on_a_heading_line_after_a_colon_is_kept(campaign):
    doc = template_doc(campaign, "de-cuong-qcdc", {}, retyped={"iv.1": "1. Ưu điểm: đoàn kết, thống nhất."})
    read = read_report(campaign, None, doc.bytes(identity(campaign, "de-cuong-qcdc")), KEY)
    assert sections_of(read) == {"iv.1": "đoàn kết, thống nhất."}


def test_a_parent_with_text_is_not_empty_nor_are_its_children(campaign):
    doc = template_doc(campaign, "de-cuong-qcdc", {"iii": ["Nhìn chung thực hiện tốt."], "v": ["Tiếp tục."]})
    read = read_report(campaign, None, doc.bytes(identity(campaign, "de-cuong-qcdc")), KEY)
    listed = problem(read, "REPORT_SECTIONS_EMPTY").message
    assert "III." not in listed and "I.1, I.2, II.1, II.2, IV.1, IV.2, VI." in listed


# ----- signature -----------------------------------------------------------------------------------------

def test_signature_trusted_tampered_absent_key_and_other_campaign(campaign):
    doc = template_doc(campaign, "de-cuong-dvcq", {"v": ["Tiếp tục triển khai."]})
    good = read_report(campaign, None, doc.bytes(identity(campaign, "de-cuong-dvcq")), KEY)
    assert (good.unit_code, good.outline_id) == ("03550", "de-cuong-dvcq")
    assert "REPORT_SIGNATURE_BAD" not in codes(good)

    forged = read_report(campaign, None, doc.bytes(identity(campaign, "de-cuong-dvcq", unit_code="CQ02")), KEY)
    assert (forged.unit_code, forged.file_id) == ("", "")
    assert "REPORT_SIGNATURE_BAD" in codes(forged) and "CQ02" in problem(forged, "REPORT_SIGNATURE_BAD").message
    assert forged.outline_id == "de-cuong-dvcq"  # told by the headings
    assert sections_of(forged) == {"v": "Tiếp tục triển khai."}

    unchecked = read_report(campaign, None, doc.bytes(identity(campaign, "de-cuong-dvcq", key=b"other")), None)
    assert unchecked.unit_code == "03550" and "REPORT_SIGNATURE_BAD" not in codes(unchecked)

    other = read_report(campaign, None, doc.bytes(identity(campaign, "de-cuong-dvcq", campaign_id="x-2022")), None)
    assert other.unit_code == "" and "REPORT_SIGNATURE_BAD" in codes(other)


# ----- foreign reports -----------------------------------------------------------------------------------

def foreign_qcdc(campaign) -> Doc:
    outline = campaign.outline("de-cuong-qcdc")
    doc = Doc()
    doc.p("UBND XÃ DÀO SAN").p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").p("Độc lập - Tự do - Hạnh phúc")
    doc.p("Số: 45/BC-UBND").p("Dào San, ngày 01 tháng 11 năm 2023").p("BÁO CÁO")
    doc.p(" ".join(outline.subtitles(campaign.year)))
    doc.p("Thực hiện Công văn số 123/UBND-NV của UBND huyện, UBND xã Dào San báo cáo như sau:")
    doc.p("Năm qua xã gặp nhiều mưa lũ ảnh hưởng tới các hoạt động.")
    doc.p("Phần I - ĐẶC ĐIỂM TÌNH HÌNH", bold=True)
    doc.p("1.1. Chức năng, nhiệm vụ của đơn vị", bold=True).p("Xã có 12 thôn bản.")
    doc.p("1.2. Nhung thuan loi, kho khan").p("Thuận lợi: được huyện quan tâm.")
    doc.p("II) CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO")
    doc.p("1) Việc ban hành văn bản lãnh đạo, chỉ đạo thực hiện quy chế dân chủ ở cơ sở").p("Ban hành 5 văn bản.")
    doc.p("2) Công tác tuyên truyền nâng cao nhận thức về quy chế dân chủ ở cơ sở")
    doc.table([["Nội dung", "Số buổi"], ["Nghị định 04", "12"]])
    doc.p("Mục III: Kết quả thực hiện năm 2023", style="Heading 1")
    doc.p("a) Thực hiện trách nhiệm của Thủ trưởng cơ quan").p("Thủ trưởng gương mẫu.")
    doc.p("b) thuc hien trach nhiem cua can bo, cong chuc, vien chuc").p("Cán bộ chấp hành tốt.")
    doc.p("c) Việc thực hiện dân chủ trong quan hệ và giải quyết công việc đối với công dân")
    doc.p("Tiếp 120 lượt công dân.")
    doc.p("d) Hoạt động của Ban Thanh tra nhân dân")  # renumbered: the unit left out III.4
    doc.p("Kết quả nổi bật trong năm", style="Heading 2").p("Ban Thanh tra nhân dân giám sát 3 cuộc.")
    doc.p("IV. ĐÁNH GIÁ CHUNG - 1. Ưu điểm", bold=True).p("Đoàn kết, thống nhất.")
    doc.p("2. Tồn tại, hạn chế và nguyên nhân: Một số cán bộ còn chậm.")
    doc.p("v. phuong huong, nhiem vu nam 2024").p("Tiếp tục triển khai Luật Thực hiện dân chủ ở cơ sở.")
    doc.p("VI - NHỮNG KIẾN NGHỊ, ĐỀ XUẤT").p("Đề nghị huyện mở lớp tập huấn.")
    doc.p("Nơi nhận:").p("- UBND huyện;").p("- Lưu: VT.").p("TM. UBND XÃ").p("CHỦ TỊCH").p("Nguyễn Văn A")
    return doc


def test_a_foreign_report_is_placed_by_its_headings(campaign):
    read = read_report(campaign, None, foreign_qcdc(campaign).bytes(), KEY)
    assert (read.outline_id, read.unit_code, read.file_id) == ("de-cuong-qcdc", "", "")
    assert sections_of(read) == {
        UNPLACED: "Năm qua xã gặp nhiều mưa lũ ảnh hưởng tới các hoạt động.",
        "i.1": "Xã có 12 thôn bản.",
        "i.2": "Thuận lợi: được huyện quan tâm.",
        "ii.1": "Ban hành 5 văn bản.",
        "ii.2": "Nội dung | Số buổi\nNghị định 04 | 12",
        "iii.1": "Thủ trưởng gương mẫu.",
        "iii.2": "Cán bộ chấp hành tốt.",
        "iii.3": "Tiếp 120 lượt công dân.",
        "iii.5": "Kết quả nổi bật trong năm\nBan Thanh tra nhân dân giám sát 3 cuộc.",
        "iv.1": "Đoàn kết, thống nhất.",
        "iv.2": "Một số cán bộ còn chậm.",
        "v": "Tiếp tục triển khai Luật Thực hiện dân chủ ở cơ sở.",
        "vi": "Đề nghị huyện mở lớp tập huấn.",
    }
    assert [s.section_id for s in read.sections][:2] == [UNPLACED, "i.1"]
    headings = {s.section_id: s.heading for s in read.sections}
    assert headings["i.1"] == "1.1. Chức năng, nhiệm vụ của đơn vị"
    assert headings["iv.1"] == "1. Ưu điểm" and headings["iv.2"] == "2. Tồn tại, hạn chế và nguyên nhân"
    assert codes(read) == ["REPORT_UNPLACED", "REPORT_SECTIONS_EMPTY"]
    assert problem(read, "REPORT_UNPLACED").message.startswith("1 đoạn")
    assert "chưa viết các mục: III.4." in problem(read, "REPORT_SECTIONS_EMPTY").message


def test_headings_without_numbers_typed_lower_case_without_diacritics(campaign):
    doc = Doc()
    for section in campaign.outline("de-cuong-dvcq").sections:
        doc.p(section.words(campaign.year).lower() if section.level == 2 else section.words(campaign.year))
        doc.p(f"Nội dung mục {section.id}.")
    read = read_report(campaign, None, doc.bytes(), None)
    assert read.outline_id == "de-cuong-dvcq"
    assert sections_of(read) == {s.id: f"Nội dung mục {s.id}." for s in campaign.outline("de-cuong-dvcq").sections}

    plain = Doc()
    for heading, text in (("i. dac diem tinh hinh", "a"), ("1. neu khai quat chuc nang, nhiem vu cua don vi", "b"),
                          ("IV. ĐÁNH GIÁ CHUNG", "c"), ("2. ton tai, han che", "d")):
        plain.p(heading).p(text)
    found = split_sections(campaign.outline("de-cuong-qcdc"), campaign.year, read_docx(plain.bytes()).blocks)
    assert [(s.section_id, s.text) for s in found] == [("i", "a"), ("i.1", "b"), ("iv", "c"), ("iv.2", "d")]


def test_arabic_top_level_numbers_shortened_headings_and_numbered_content(campaign):
    lines = ["1. ĐẶC ĐIỂM TÌNH HÌNH", "1.1. Chức năng nhiệm vụ", "a", "1.2. Thuận lợi, khó khăn", "b",
             "2. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO", "2.1. Ban hành văn bản", "c", "2.2. Công tác tuyên truyền", "d",
             "3. KẾT QUẢ THỰC HIỆN", "3.1. Thực hiện trách nhiệm của Thủ trưởng cơ quan",
             "1. Tổ chức hội nghị cán bộ công chức đầu năm.", "2. Thực hiện công khai tài chính.",
             "3.2. Trách nhiệm của cán bộ, công chức, viên chức", "e", "4. ĐÁNH GIÁ CHUNG", "4.1 Ưu điểm", "f",
             "4.2 Hạn chế", "g", "5. PHƯƠNG HƯỚNG NHIỆM VỤ NĂM 2024", "h", "6. KIẾN NGHỊ", "i"]
    doc = Doc()
    for line in lines:
        doc.p(line)
    read = read_report(campaign, None, doc.bytes(), None)
    assert read.outline_id == "de-cuong-qcdc"
    assert sections_of(read) == {
        "i.1": "a", "i.2": "b", "ii.1": "c", "ii.2": "d",
        "iii.1": "1. Tổ chức hội nghị cán bộ công chức đầu năm.\n2. Thực hiện công khai tài chính.",
        "iii.2": "e", "iv.1": "f", "iv.2": "g", "v": "h", "vi": "i"}


# ----- which outline ------------------------------------------------------------------------------------

def outline_doc(campaign, outline_id: str, only: tuple[str, ...] = ()) -> bytes:
    doc = Doc()
    for section in campaign.outline(outline_id).sections:
        if not only or section.id in only:
            doc.p(section.text(campaign.year)).p("Nội dung.")
    return doc.bytes()


def test_detect_outline_tells_qcdc_from_dvcq_by_headings_alone(campaign):
    for outline_id in ("de-cuong-qcdc", "de-cuong-dvcq"):
        blocks = read_docx(outline_doc(campaign, outline_id)).blocks
        assert detect_outline(campaign, campaign.year, blocks) == outline_id
        assert read_report(campaign, None, outline_doc(campaign, outline_id), None).outline_id == outline_id
    shared = outline_doc(campaign, "de-cuong-qcdc", only=("i", "iv", "v", "vi"))
    unknown = read_report(campaign, None, shared, None)
    assert unknown.outline_id == "" and "REPORT_OUTLINE_UNKNOWN" in codes(unknown)
    assert [s.section_id for s in unknown.sections] == [UNPLACED]  # the text is kept, unplaced
    assert problem(unknown, "REPORT_UNPLACED").message.startswith("8 đoạn")
    assert read_report(campaign, None, shared, None, outline_hint="de-cuong-dvcq").outline_id == "de-cuong-dvcq"
    too_few = outline_doc(campaign, "de-cuong-qcdc", only=("iii.1", "iii.2"))
    assert read_report(campaign, None, too_few, None).outline_id == ""


# ----- the .docx reader ------------------------------------------------------------------------------

STYLES = (f'<w:styles xmlns:w="{W_NS}">'
          '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
          '<w:style w:type="paragraph" w:styleId="TieuDe1"><w:name w:val="Tiêu đề 1"/><w:basedOn w:val="Normal"/>'
          '<w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>'
          '<w:style w:type="paragraph" w:styleId="Con"><w:name w:val="Con"/><w:basedOn w:val="TieuDe1"/>'
          '</w:style></w:styles>')
BODY = ('<w:p><w:pPr><w:pStyle w:val="Con"/></w:pPr><w:r><w:t>I. ĐẶC ĐIỂM</w:t></w:r></w:p>'
        '<w:bookmarkStart w:id="1" w:name="wt_s_i_1"/>'
        '<w:p><w:r><w:t xml:space="preserve">a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r>'
        '<w:del><w:r><w:delText>GONE</w:delText></w:r></w:del><w:ins><w:r><w:t> new</w:t></w:r></w:ins>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:hyperlink><w:r><w:rPr><w:b/></w:rPr><w:t> link</w:t></w:r></w:hyperlink></w:p>'
        '<w:bookmarkEnd w:id="1"/>'
        '<w:sdt><w:sdtContent><w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr>'
        '<w:r><w:rPr><w:b/></w:rPr><w:t>Cafe\u0301</w:t></w:r></w:p></w:sdtContent></w:sdt>'
        '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>y</w:t></w:r></w:p>'
        '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>n1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>n2</w:t></w:r>'
        '</w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>')
CORE = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dcterms="http://purl.org/dc/terms/"><dcterms:modified>2023-11-05T02:00:00Z</dcterms:modified>'
        '</cp:coreProperties>')


def hand_docx(body: str = BODY, parts: dict[str, bytes] | None = None, document: bytes | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        zout.writestr("word/document.xml", document if document is not None else
                      f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'.encode())
        zout.writestr("word/styles.xml", STYLES.encode())
        zout.writestr("docProps/core.xml", CORE.encode())
        for name, data in (parts or {}).items():
            zout.writestr(name, data)
    return out.getvalue()


def test_read_docx_text_styles_bookmarks_tables_and_properties():
    data = with_properties(hand_docx(), {"wt_unit_code": "03550"})
    doc = read_docx(data)
    assert [(b.text, b.style, b.bookmarks, b.bold, b.is_table_row, b.outline_level) for b in doc.blocks] == [
        ("I. ĐẶC ĐIỂM", "Con", (), True, False, 1),
        ("a b\nc new7 link", "Normal", ("wt_s_i_1",), False, False, 0),
        ("Café", "Normal", (), True, False, 2),
        ("x | y n1 | n2", "", (), False, True, 0),
    ]
    assert doc.properties == {"wt_unit_code": "03550"}
    assert doc.modified is not None and doc.modified.isoformat() == "2023-11-05T02:00:00+00:00"


def test_heading_styles_by_name_in_any_language(campaign):
    doc = Doc().p("I. ĐẶC ĐIỂM TÌNH HÌNH", style="Heading 1").p("text")
    blocks = read_docx(doc.bytes()).blocks
    assert (blocks[0].style.lower(), blocks[0].outline_level, blocks[1].outline_level) == ("heading 1", 1, 0)


# ----- hostile files ------------------------------------------------------------------------------------

def streamed(name: str, size: int) -> bytes:
    """A docx with one more part of ``size`` spaces (compressed a thousandfold), written in chunks."""
    out = io.BytesIO(hand_docx())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as zout, zout.open(name, "w", force_zip64=True) as handle:
        for _ in range(size // MB):
            handle.write(b" " * MB)
    return out.getvalue()


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + f']><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
                    f'</w:body></w:document>'.encode())
EXTERNAL = (f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            f'<Properties xmlns="{CUSTOM_NS}"><property name="wt_unit_code">&xxe;</property></Properties>').encode()


def too_many_parts() -> bytes:
    out = io.BytesIO(hand_docx())
    with zipfile.ZipFile(out, "a") as zout:
        for index in range(1_001):
            zout.writestr(f"word/media/p{index}.bin", b"x")
    return out.getvalue()


def duplicate_names() -> bytes:
    out = io.BytesIO(hand_docx())
    with pytest.warns(UserWarning), zipfile.ZipFile(out, "a") as zout:
        zout.writestr("word/document.xml", b"<x/>")
    return out.getvalue()


def lying_size() -> bytes:
    """word/document.xml declaring 100 bytes in both zip headers while it inflates to more."""
    raw = bytearray(hand_docx())
    name = b"word/document.xml"
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = raw.find(signature)
        while at >= 0:
            if raw[at + name_at:at + name_at + len(name)] == name:
                struct.pack_into("<I", raw, at + size_at, 100)
            at = raw.find(signature, at + 4)
    return bytes(raw)


def workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        zout.writestr("xl/workbook.xml", b"<workbook/>")
    return out.getvalue()


@pytest.mark.parametrize("build, reason", [
    (lambda: b"not a zip at all", "không phải tệp .docx"),
    (lambda: streamed("word/media/bomb.bin", 25 * MB), "zip bomb"),
    (lambda: streamed("word/media/ratio.bin", 3 * MB), "tỉ lệ nén bất thường"),
    (lambda: hand_docx(document=BILLION_LAUGHS), "khai báo DTD"),
    (lambda: hand_docx(parts={"docProps/custom.xml": EXTERNAL}), "khai báo DTD"),
    (lambda: hand_docx(document='<?xml version="1.0" encoding="UTF-16"?><w:document/>'.encode("utf-16")),
     "bảng mã"),
    (lambda: hand_docx(body="<w:customXml>" * 5_000 + "</w:customXml>" * 5_000), "bị hỏng"),
    (lambda: hand_docx(document=b"<w:document><w:body><w:p>"), "bị hỏng"),
    (too_many_parts, "quá nhiều thành phần"),
    (duplicate_names, "trùng tên"),
    (workbook, "bảng tính Excel"),
    (lying_size, "tệp bị hỏng"),
], ids=["not-zip", "bomb-size", "bomb-ratio", "billion-laughs", "external-entity", "utf16", "deep", "broken",
        "parts", "duplicates", "workbook", "lying-size"])
def test_hostile_reports_are_unreadable_without_crashing(campaign, build, reason):
    data = build()
    tracemalloc.start()
    try:
        read = read_report(campaign, None, data, KEY)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (read.outline_id, read.unit_code, read.sections) == ("", "", ())
    assert codes(read) == ["REPORT_UNREADABLE"]
    assert reason in read.problems[0].message
    assert peak < 40 * MB


def test_block_and_character_bounds():
    data = hand_docx(body="<w:p><w:r><w:t>abc</w:t></w:r></w:p>" * 20)
    with pytest.raises(DocxError, match="quá dài"):
        read_docx(data, DocxLimits(max_blocks=10))
    with pytest.raises(DocxError, match="quá dài"):
        read_docx(data, DocxLimits(max_chars=30))
    with pytest.raises(DocxError, match="quá lớn để đọc"):
        read_docx(data, DocxLimits(max_xml_bytes=500))
    assert len(read_docx(data).blocks) == 20
