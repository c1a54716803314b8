"""Checks of a Word document of ours as printed: converted to PDF by LibreOffice and read back with
``pdftotext -layout`` (one text per page).

- the national motto and its subtitle each whole on one line of page 1, the issuing body as given;
- each title line whole on one line;
- the page number alone at the top of every page from page 2, none on page 1;
- no word broken: every word the PDF shows is a word of the document (a word cut in two by a narrow
  column shows as two pieces that are no words of it), and every word of every table header cell
  is shown whole;
- numbers with a decimal comma: no '4.5', at least one '71,5'.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import docx

from workbook_tools.paper.page import MOTTO, MOTTO_SUB

DECIMAL_POINT = re.compile(r"(?<![\w.])\d+\.\d{1,2}(?![\w.])")   # '4.5' but not 'D.I.1.3' nor '1.234'
DECIMAL_COMMA = re.compile(r"(?<![\w,])\d+,\d{1,2}(?![\w,])")


def pdf_pages(office, source: Path, folder: Path) -> list[str]:
    """The text of each page of the document printed by LibreOffice."""
    pdf = folder / (source.stem + ".pdf")
    office.to_pdf(source, pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=120).stdout
    pages = unicodedata.normalize("NFC", text).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _lines(page: str) -> list[str]:
    return [" ".join(line.split()) for line in page.splitlines() if line.strip()]


def document_words(path: Path) -> set[str]:
    """Every word written in the document: paragraphs, tables (nested too), headers."""
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        texts += [p.text for p in section.header.paragraphs]
    return {w for t in texts for w in unicodedata.normalize("NFC", t).split()}


def header_words(path: Path) -> set[str]:
    """The words of the first row of every bordered table (the header rows)."""
    document = docx.Document(str(path))
    return {w for table in document.tables if table.style is not None and table.style.name == "Table Grid"
            for cell in table.rows[0].cells for w in cell.text.split()}


def check_printed(path: Path, pages: list[str], issuer: tuple[str, ...], titles: tuple[str, ...]) -> None:
    """Assert everything the module docstring lists."""
    first = _lines(pages[0])
    for whole in (MOTTO, MOTTO_SUB, *titles):
        assert any(whole in line for line in first), f"'{whole}' is not whole on one line of page 1:\n" \
            + "\n".join(first[:15])
    for line in issuer:
        assert any(line in shown for shown in first[:4]), (line, first[:4])
    assert first[0] != "1", "page 1 shows a page number"
    for number, page in enumerate(pages[1:], start=2):
        assert _lines(page)[0] == str(number), f"page {number} starts with {_lines(page)[0]!r}"
    shown = {w for page in pages for line in _lines(page) for w in line.split()}
    written = document_words(path) | {str(n) for n in range(1, len(pages) + 1)}
    broken = sorted(shown - written)
    assert not broken, f"words printed that the document does not have (cut in two?): {broken[:20]}"
    missing = sorted(header_words(path) - shown)
    assert not missing, f"table header words not printed whole: {missing}"
    text = "\n".join(pages)
    assert not DECIMAL_POINT.findall(text), DECIMAL_POINT.findall(text)[:5]
    assert DECIMAL_COMMA.search(text), "no number with a decimal comma"
