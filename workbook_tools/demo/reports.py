"""The demo's narrative reports: a few units write into the issued Word templates (text under several
headings, a table, a section left empty), one unit sends a report it wrote itself that follows the
outline loosely. The texts are sample data (``samples/phong_tho_2023/bao-cao-don-vi-mau.yaml``)."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from workbook_tools.data import sample_report_texts
from workbook_tools.form.identity import bookmark_name
from workbook_tools.generate.run import GeneratedReport, GenerateResult
from workbook_tools.spec.outline import fill_years
from workbook_tools.spec.yamlio import load_yaml

HEADING_MARK = "# "


def plant_reports(generated: GenerateResult, inbox: Path, writers: list[int]) -> list[str]:
    """Fill the report templates of the units at these indexes (of ``generated.files``) into the
    inbox; returns the story lines."""
    data = load_yaml(sample_report_texts())
    codes = [generated.files[i].unit.code for i in writers[:int(data["units"])]]
    story = []
    for k, code in enumerate(codes):
        reports = [r for r in generated.reports if r.unit.code == code]
        if k == len(codes) - 1:
            reports = reports[:1]
        skip = set(data["skip_sections"]) if k == 1 else set()
        for report in reports:
            texts = {sid: variants[k % len(variants)] for sid, variants in data["texts"].items() if sid not in skip}
            target = inbox / "email" / report.path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(fill_template(report, texts, data["tables"]))
        names = ", ".join(generated.campaign.outline(r.outline_id).short_name for r in reports)
        story.append(f"{reports[0].unit.name} ({code}): viết vào mẫu báo cáo Word ({names})"
                     + ("; để trống vài mục." if skip else "."))
    return story


def fill_template(report: GeneratedReport, texts: dict[str, str], tables: dict[str, list]) -> bytes:
    """The template with each section's text written in its writing space (and tables after)."""
    document = Document(str(report.path))
    for section_id, text in texts.items():
        space = _writing_space(document, bookmark_name(section_id))
        if space is None:
            continue
        lines = text.split("\n")
        space.text = lines[0]
        last = space
        for line in lines[1:]:
            last = _paragraph_after(last, line)
        if section_id in tables:
            table = document.add_table(rows=0, cols=len(tables[section_id][0]))
            table.style = document.styles["Table Grid"]
            for row in tables[section_id]:
                for cell, value in zip(table.add_row().cells, row):
                    cell.text = str(value)
            last._p.addnext(table._tbl)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _writing_space(document, bookmark: str) -> Paragraph | None:
    """The empty normal paragraph after the heading holding ``bookmark`` (None when the heading has
    sub-headings and so no space of its own)."""
    paragraphs = document.paragraphs
    start = next((i for i, p in enumerate(paragraphs)
                  if any(b.get(qn("w:name")) == bookmark for b in p._p.iter(qn("w:bookmarkStart")))), None)
    if start is None:
        return None
    for para in itertools.islice(paragraphs, start + 1, None):
        if para.style.name.startswith("Heading"):
            return None
        if not para.text.strip() and para.style.name == "Normal":
            return para
    return None


def _paragraph_after(para: Paragraph, text: str) -> Paragraph:
    """A new normal paragraph right after ``para``."""
    new = Paragraph(para._p.makeelement(qn("w:p"), {}), para._parent)
    para._p.addnext(new._p)
    new.add_run(text)
    return new


def foreign_report(year: int) -> bytes:
    """A report a unit wrote itself: other numbering, sections missing, a heading without diacritics."""
    document = Document()
    for line in load_yaml(sample_report_texts())["foreign"]:
        text = fill_years(line, year)
        if text.startswith(HEADING_MARK):
            document.add_paragraph().add_run(text[len(HEADING_MARK):]).bold = True
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
