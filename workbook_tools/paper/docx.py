"""Word documents of ours per Nghị định 30/2020: A4 with its margins, Times New Roman, the header
block (issuing body and national motto with their rules, number, place and date), page numbers
centred at the top from page 2, the "Nơi nhận" and signature block, and tables whose header rows
repeat on every page, whose rows never split and whose columns are wide enough for their longest
word (a header may wrap between words, never inside one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from workbook_tools.paper.docx_widths import CELL_PAD_MM, text_mm
from workbook_tools.paper.page import MOTTO, MOTTO_SUB
from workbook_tools.paper.styles import FONT

PAGE_MM = (210.0, 297.0)
MARGINS_MM = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 15.0}
TEXT_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]            # 165 mm on a portrait page
LANDSCAPE_TEXT_MM = PAGE_MM[1] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 252 mm on a landscape page
HEAD_LEFT_MM = 62.0  # the issuing body's column of the header block; the motto's takes the rest
SIGN_HINT = "(Ký, ghi rõ họ tên, đóng dấu)"
LEFT, CENTER, RIGHT = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT

_ORDER = {
    "w:pPr": ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
              "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
              "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
              "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
              "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"),
    "w:trPr": ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter", "w:cantSplit",
               "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del",
               "w:trPrChange"),
    "w:tblPr": ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
                "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"),
}


def _put(parent, tag: str, **attrs: str):
    """Set the child ``tag`` of a properties element (replacing one there), in schema order."""
    order = _ORDER[_short_tag(parent.tag)]
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    child = OxmlElement(tag)
    for key, value in attrs.items():
        child.set(qn(f"w:{key}"), value)
    later = set(order[order.index(tag) + 1:])
    following = next((c for c in parent if _short_tag(c.tag) in later), None)
    if following is None:
        parent.append(child)
    else:
        following.addprevious(child)
    return child


def _short_tag(tag: str) -> str:
    return "w:" + tag.split("}")[-1]


# ----- the document ------------------------------------------------------------------------------


def new_document(size_pt: float = 14) -> DocumentObject:
    """An A4 portrait document with the ND30 margins, our font, page numbers from page 2."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(size_pt)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), FONT)
    style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(0)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    set_margins(section)
    section.different_first_page_header_footer = True
    number_pages(section)
    return document


def set_margins(section: Section) -> None:
    """Top and bottom 20 mm, left 30 mm, right 15 mm; header 10 mm from the top edge."""
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)


def number_pages(section: Section, size_pt: float = 13) -> None:
    """The page number centred in the header (the first page of a titled section shows none)."""
    para = section.header.paragraphs[0]
    para.alignment = CENTER
    for kind, text in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("text", "2"), ("end", "")):
        run = para.add_run()
        run.font.size = Pt(size_pt)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            run._r.append(_element("w:fldChar", fldCharType=kind))


def landscape_section(document: DocumentObject) -> Section:
    """A new landscape section on a new page, numbered on, its first page numbered too."""
    section = document.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(PAGE_MM[1]), Mm(PAGE_MM[0])
    set_margins(section)
    section.different_first_page_header_footer = False
    return section


def _element(tag: str, **attrs: str):
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


# ----- paragraphs ----------------------------------------------------------------------------------


def paragraph(container, text: str = "", *, size: float | None = None, bold: bool = False, italic: bool = False,
              align=None, before: float = 0, after: float = 0, indent_mm: float = 0,
              keep_next: bool = False) -> Paragraph:
    """A paragraph in a document, cell or header; the first empty paragraph of a cell is reused."""
    paras = getattr(container, "paragraphs", [])
    reuse = isinstance(container, _Cell) and len(paras) == 1 and not paras[0].text and not paras[0].runs
    para = paras[0] if reuse else container.add_paragraph()
    fmt = para.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if indent_mm:
        fmt.first_line_indent = Mm(indent_mm)
    fmt.keep_with_next = keep_next or None
    para.alignment = align
    if text:
        add_run(para, text, size=size, bold=bold, italic=italic)
    return para


def add_run(para: Paragraph, text: str, *, size: float | None = None, bold: bool = False, italic: bool = False):
    """A run of text in a paragraph."""
    run = para.add_run(text)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if size:
        run.font.size = Pt(size)
    return run


def rule(container, width_mm: float, room_mm: float, after: float = 0) -> Paragraph:
    """A centred horizontal line ``width_mm`` long in a column ``room_mm`` wide (the bottom border of
    an empty paragraph three points high, between indents)."""
    para = paragraph(container, after=after)
    side = max(0.0, (room_mm - width_mm) / 2)
    fmt = para.paragraph_format
    fmt.left_indent, fmt.right_indent = Mm(side), Mm(side)
    pPr = para._p.get_or_add_pPr()
    borders = _put(pPr, "w:pBdr")
    borders.append(_element("w:bottom", val="single", sz="6", space="0", color="000000"))
    _put(pPr, "w:spacing", before="0", after=str(int(after * 20)), line="60", lineRule="exact")
    _put(pPr, "w:rPr").append(_element("w:sz", val="4"))
    return para


def plain_style(style, size_pt: float, *, bold: bool = False, italic: bool = False,
                color: str = "000000") -> None:
    """A style in our font, size and colour, without Word's theme fonts and colours (blue Calibri
    headings)."""
    rPr = style.element.get_or_add_rPr()
    for old in rPr.findall(qn("w:rFonts")) + rPr.findall(qn("w:color")):
        rPr.remove(old)
    fonts = rPr.get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), FONT)
    style.font.size, style.font.bold, style.font.italic = Pt(size_pt), bold, italic
    style.font.color.rgb = RGBColor.from_string(color)


def bookmark(para: Paragraph, name: str, bookmark_id: int) -> None:
    """A bookmark around the whole text of a paragraph (inside it)."""
    p = para._p
    start = _element("w:bookmarkStart", id=str(bookmark_id), name=name)
    if p.pPr is not None:
        p.pPr.addnext(start)
    else:
        p.insert(0, start)
    p.append(_element("w:bookmarkEnd", id=str(bookmark_id)))


# ----- the header block and the signature -------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    """What the header block of a document says."""

    issuer: tuple[str, ...]  # the issuing body, one printed line each (all bold)
    number: str              # "Số: ....../TB-UBND"; "" for none
    place_date: str          # "Phong Thổ, ngày ..... tháng ..... năm 2023"
    parent: tuple[str, ...] = ()  # the body the issuer answers to, above it (not bold): 'UBND HUYỆN ...'


def add_letterhead(document: DocumentObject, head: Letterhead, width_mm: float = TEXT_MM) -> Table:
    """Two borderless columns: the issuing body over a short rule and the number; the motto on one
    line, its subtitle over a rule as long as it, and the place and date in italics."""
    room = (HEAD_LEFT_MM, width_mm - HEAD_LEFT_MM)
    table = borderless_table(document, 1, room)
    left, right = table.rows[0].cells
    for line in head.parent:
        paragraph(left, line, size=13, align=CENTER)
    for line in head.issuer:
        paragraph(left, line, size=13, bold=True, align=CENTER)
    longest = max((text_mm(line, 13, bold=True) for line in head.issuer), default=0.0)
    rule(left, min(longest, room[0]) * 0.4, room[0] - 2 * CELL_PAD_MM)
    if head.number:
        paragraph(left, head.number, size=13, align=CENTER, before=6)
    motto_pt = 13 if text_mm(MOTTO, 13, bold=True) + 2 * CELL_PAD_MM <= room[1] else 12
    paragraph(right, MOTTO, size=motto_pt, bold=True, align=CENTER)
    paragraph(right, MOTTO_SUB, size=14, bold=True, align=CENTER)
    rule(right, text_mm(MOTTO_SUB, 14, bold=True), room[1] - 2 * CELL_PAD_MM)
    paragraph(right, head.place_date, size=14, italic=True, align=CENTER, before=6)
    return table


def add_signature(document: DocumentObject, recipients: Sequence[str], signer: Sequence[str],
                  name: str = "", hint: str = SIGN_HINT, width_mm: float = TEXT_MM) -> Table:
    """'Nơi nhận:' and its lines on the left (none when empty), the signer's title, the hint, room for
    the signature and the name on the right; kept on one page."""
    room = (width_mm * 0.42, width_mm * 0.58)
    body = document.paragraphs
    if body:
        body[-1].paragraph_format.keep_with_next = True  # never a signature alone on a page
    table = borderless_table(document, 1, room)
    left, right = table.rows[0].cells
    if recipients:
        paragraph(left, "Nơi nhận:", size=12, bold=True, italic=True, before=6)
        for line in recipients:
            paragraph(left, line, size=11)
    for index, line in enumerate(signer):
        paragraph(right, line, size=14, bold=True, align=CENTER, before=6 if index == 0 else 0)
    if hint:
        paragraph(right, hint, size=13, italic=True, align=CENTER)
    for _ in range(4):
        paragraph(right, "", size=14)
    paragraph(right, name, size=14, bold=True, align=CENTER)
    keep_rows(table.rows[0])
    return table


# ----- tables ----------------------------------------------------------------------------------------


def borderless_table(document: DocumentObject, rows: int, widths_mm: Sequence[float]) -> Table:
    """A table without borders, of fixed column widths."""
    table = document.add_table(rows=rows, cols=len(widths_mm))
    fix_widths(table, widths_mm)
    return table


def fix_widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Fixed layout, these column widths, our cell padding, centred on the page."""
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tblPr = table._tbl.tblPr
    _put(tblPr, "w:tblW", w=str(round(sum(widths_mm) * 56.7)), type="dxa")
    margins = _put(tblPr, "w:tblCellMar")
    for side in ("left", "right"):
        margins.append(_element(f"w:{side}", w=str(round(CELL_PAD_MM * 56.7)), type="dxa"))
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)


def keep_rows(row: _Row, header: bool = False) -> None:
    """A row that never splits across pages (and, for a header, repeats on every page)."""
    trPr = row._tr.get_or_add_trPr()
    _put(trPr, "w:cantSplit")
    if header:
        _put(trPr, "w:tblHeader")


def keep_together(table: Table) -> None:
    """Keep a small table on one page: every row's paragraphs keep with the next row."""
    for tr in table._tbl.tr_lst[:-1]:
        for p in tr.iter(qn("w:p")):
            _put(p.get_or_add_pPr(), "w:keepNext")


class Grid:
    """A bordered table: a bold header row that repeats on every page, then rows that never split.

    Rows are written as WordprocessingML directly (python-docx builds a cell in some thousand steps;
    a notice has a hundred cells)."""

    def __init__(self, document: DocumentObject, headers: Sequence[str], widths_mm: Sequence[float],
                 size_pt: float = 12, aligns: Sequence | None = None):
        self.size, self.widths = size_pt, list(widths_mm)
        self.aligns = list(aligns) if aligns else [LEFT] * len(headers)
        self.table = document.add_table(rows=0, cols=len(headers))
        self.table.style = "Table Grid"
        fix_widths(self.table, self.widths)
        self._append(headers, bold=True, italic=False, aligns=[CENTER] * len(headers), header=True)

    def row(self, values: Sequence[str], *, bold: bool = False, italic: bool = False,
            span_from: int | None = None) -> _Row:
        """One row; with ``span_from``, the cells from that column on are one cell holding the value
        given for it (the last)."""
        aligns = self.aligns if span_from is None else self.aligns[:span_from] + [LEFT]
        return self._append(values, bold=bold, italic=italic, aligns=aligns, span_from=span_from)

    def _append(self, values: Sequence[str], *, bold: bool, italic: bool, aligns: Sequence,
                header: bool = False, span_from: int | None = None) -> _Row:
        xml = self._row_xml(values, bold=bold, italic=italic, aligns=aligns, header=header, span_from=span_from)
        tr = parse_xml(xml.replace("<w:tr>", f"<w:tr {nsdecls('w')}>", 1))
        self.table._tbl.append(tr)
        return _Row(tr, self.table)  # not table.rows[-1]: python-docx lists every row to index one

    def _row_xml(self, values: Sequence[str], *, bold: bool, italic: bool, aligns: Sequence,
                 header: bool = False, span_from: int | None = None) -> str:
        """A row as WordprocessingML text (its namespace prefix declared by the document)."""
        widths = self.widths if span_from is None else self.widths[:span_from] + [sum(self.widths[span_from:])]
        span = len(self.widths) - span_from if span_from is not None else 1
        cells = []
        for index, (value, width, align) in enumerate(zip(values, widths, aligns)):
            merged = f'<w:gridSpan w:val="{span}"/>' if span > 1 and index == len(widths) - 1 else ""
            cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{_twips(width)}" w:type="dxa"/>{merged}'
                         f'<w:vAlign w:val="center"/></w:tcPr>'
                         + "".join(_cell_paragraph(line, self.size, bold, italic, align)
                                   for line in str(value).split("\n")) + "</w:tc>")
        row_props = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
        return f"<w:tr><w:trPr>{row_props}</w:trPr>{''.join(cells)}</w:tr>"


_JC = {LEFT: "left", CENTER: "center", RIGHT: "right", WD_ALIGN_PARAGRAPH.JUSTIFY: "both"}


def _twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def _cell_paragraph(text: str, size_pt: float, bold: bool, italic: bool, align) -> str:
    """One paragraph of a cell as WordprocessingML, a point of space above and below."""
    jc = f'<w:jc w:val="{_JC[align]}"/>' if align in _JC else ""
    half_points = round(size_pt * 2)
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") \
        + f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
    run = f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    return f'<w:p><w:pPr><w:spacing w:before="20" w:after="20"/>{jc}</w:pPr>{run}</w:p>'
