"""Tables of thousands of rows in our Word documents (a ranking table at 10,000 units), written
without building each row as python-docx elements: ``LongGrid`` and ``save_document``."""

from __future__ import annotations

import io
import tempfile
import weakref
import zipfile
from collections.abc import Sequence
from pathlib import Path

from docx.document import Document as DocumentObject
from lxml import etree

from workbook_tools.paper.docx import LEFT, Grid


class LongGrid(Grid):
    """A ``Grid`` of thousands of rows (a ranking table at 10,000 units): past the header, rows are
    kept as WordprocessingML text in a temporary file, not as python-docx elements (some ninety
    objects a row), and copied into the document by ``save_document``, which the document must be
    saved with. A row cannot be changed once given (``row`` returns nothing)."""

    def __init__(self, document: DocumentObject, headers: Sequence[str], widths_mm: Sequence[float],
                 size_pt: float = 12, aligns: Sequence | None = None):
        super().__init__(document, headers, widths_mm, size_pt, aligns)
        pending = _PENDING.setdefault(document.part, {})
        self.marker = f"workbook-tools-long-rows-{len(pending)}"
        self.table._tbl.append(etree.Comment(self.marker))
        self.rows = pending[self.marker] = tempfile.TemporaryFile()

    def row(self, values: Sequence[str], *, bold: bool = False, italic: bool = False,  # type: ignore[override]
            span_from: int | None = None) -> None:
        aligns = self.aligns if span_from is None else self.aligns[:span_from] + [LEFT]
        xml = self._row_xml(values, bold=bold, italic=italic, aligns=aligns, span_from=span_from)
        self.rows.write(xml.encode("utf-8"))


_PENDING: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # document part -> {marker: rows file}
_DOCUMENT_PART = "word/document.xml"


def save_document(document: DocumentObject, path: Path | str) -> None:
    """Save a document; the rows of its long grids are copied from their files into the document
    part on the way (never all in memory)."""
    pending = _PENDING.pop(document.part, {})
    if not pending:
        document.save(str(path))
        return
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != _DOCUMENT_PART:
                target.writestr(info, source.read(info))
                continue
            with target.open(_DOCUMENT_PART, "w") as part:
                _write_with_rows(part, source.read(info), pending)
    for rows in pending.values():
        rows.close()


def _write_with_rows(part, xml: bytes, pending: dict) -> None:
    """The document part with each long grid's marker replaced by its rows."""
    for marker, rows in pending.items():
        head, found, xml = xml.partition(f"<!--{marker}-->".encode())
        if not found:
            raise ValueError(f"{marker} missing from the document")
        part.write(head)
        rows.seek(0)
        while chunk := rows.read(1 << 20):
            part.write(chunk)
    part.write(xml)
