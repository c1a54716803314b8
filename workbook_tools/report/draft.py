"""The draft being written: the Word document, the campaign and the district's outline, and the ways
the draft writes text: body paragraphs (Times New Roman 14, justified, first line indented), headings,
marked places for the officer ("[CẦN VIẾT: ...]" in yellow), sentences with figures (kept for
checking) and bordered tables whose words never break.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from workbook_tools.paper.docx import TEXT_MM, Grid, add_run, keep_together
from workbook_tools.paper.docx_widths import fit_widths
from workbook_tools.report.plan import ReportPlan
from workbook_tools.spec.campaign import Campaign
from workbook_tools.spec.outline import fill_years

PLACEHOLDER = "[CẦN VIẾT: {text}]"
MISSING = "[CHƯA CÓ SỐ LIỆU: {text}]"
TABLE_PT = 11
NAMED = 3  # at most this many units named at one end (highest, lowest); more are counted
KEEP_ROWS = 4  # a table of at most this many rows stays on one page (a longer one repeats its header)
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
_WORD_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def single_spaced(document: DocumentObject) -> DocumentObject:
    """Lines single-spaced throughout (the template's default is 1,15), tables included."""
    document.styles["Normal"].paragraph_format.line_spacing = 1.0
    return document


def add_text(para: Paragraph, text: str, *, bold: bool = False, italic: bool = False) -> Run:
    """A run of text whose hyphens inside a word ('NĐ-CP', 'tong-hop-bao-cao.docx') never end a line
    (Word's non-breaking hyphen, read back as '-'): a line breaks between words only."""
    run = add_run(para, "", bold=bold, italic=italic)
    for index, part in enumerate(_WORD_HYPHEN.split(clean(text))):
        if index:
            run._r.append(OxmlElement("w:noBreakHyphen"))
        if part:
            element = OxmlElement("w:t")
            element.text = part
            element.set(qn("xml:space"), "preserve")
            run._r.append(element)
    return run


def whole(number: int) -> str:
    """A count in Vietnamese form: 2813 -> '2.813'."""
    return f"{number:,}".replace(",", ".")


def clean(text: str) -> str:
    """Text a unit typed, without the control characters a Word document cannot hold."""
    return _NOT_XML.sub("", text)


@dataclass
class Draft:
    """The document under construction; ``sentences`` collects every paragraph with figures."""

    document: DocumentObject
    campaign: Campaign
    plan: ReportPlan
    sentences: list[str] = field(default_factory=list)
    _below_table: bool = False  # the next paragraph stands a little apart from the table above it

    def fill(self, text: str) -> str:
        """``{year}`` and ``{next_year}`` filled in."""
        return fill_years(text, self.campaign.year)

    def say(self, key: str, **names: object) -> str:
        """A sentence of the outline's 'wording', filled in."""
        return self.fill(self.plan.say(key, **names))

    def paragraph(self, text: str = "", *, bold: bool = False, italic: bool = False, align=JUSTIFY,
                  before: float = 0, after: float = 6, indent: bool = True, keep_next: bool = False) -> Paragraph:
        """A body paragraph, 6 pt from the next (Nghị định 30: at least 6 pt between paragraphs, lines
        single), its first line indented 10 mm unless ``indent`` is False."""
        para = self.document.add_paragraph()
        fmt = para.paragraph_format
        fmt.space_before, fmt.space_after = Pt(max(before, 6) if self._below_table else before), Pt(after)
        self._below_table = False
        fmt.keep_with_next = keep_next or None
        if indent:
            fmt.first_line_indent = Mm(10)
        para.alignment = align
        if text:
            add_text(para, text, bold=bold, italic=italic)
        return para

    def heading(self, text: str, level: int) -> None:
        """A section heading, kept with what follows it."""
        self.paragraph(self.fill(text), bold=True, italic=level > 1, before=3 if level == 1 else 0, after=2,
                       keep_next=True)

    def placeholder(self, text: str, missing: bool = False) -> None:
        """A marked place: what the officer must write (or a figure nobody reported), yellow."""
        run = add_text(self.paragraph(), (MISSING if missing else PLACEHOLDER).format(text=self.fill(text)),
                       italic=True)
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def figure(self, sentence: str, *, italic: bool = False, keep_next: bool = False) -> None:
        """A paragraph that states figures (kept in ``sentences``)."""
        self.sentences.append(sentence)
        self.paragraph(sentence, italic=italic, keep_next=keep_next)

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], aligns: Sequence,
              bold_last: bool = False, like: Sequence[Sequence[str]] = ()) -> Grid:
        """A bordered table as wide as the text, its columns holding every word whole (the first one
        takes what is left over), sized for ``like`` when given (the rows of every table of its kind,
        so that they all have the same columns); a short one kept on one page; ``bold_last`` prints
        the last row bold (a total)."""
        sample = like or rows
        columns = [list(c) for c in zip(*sample)] if sample else [[] for _ in headers]
        widths = fit_widths(columns, headers, TABLE_PT, TEXT_MM)
        widths[0] += max(0.0, TEXT_MM - sum(widths))
        grid = Grid(self.document, headers, widths, TABLE_PT, aligns=aligns)
        for index, row in enumerate(rows):
            grid.row([clean(str(v)) for v in row], bold=bold_last and index == len(rows) - 1)
        if len(rows) <= KEEP_ROWS:
            keep_together(grid.table)
        self._below_table = True
        return grid
