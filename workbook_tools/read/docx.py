"""A small, strict .docx reader: the body's paragraphs and table rows as text, in order.

Returned reports are untrusted, so the bytes go through the same guards as a workbook
(``read.xlsx``) before anything is parsed: the zip directory (declared sizes, compression ratio,
number of parts, duplicate names), then each XML part we read (no DTD or entity declaration,
UTF-8 only, bounded size). Only then does ElementTree parse it, and the walk over the body is
bounded in blocks and characters.

What a block holds: the text a reader sees (``w:tab`` as a space, ``w:br`` as a newline,
inserted text kept, deleted text and field instructions left out, drawings and text boxes left
out), its style's name, the bookmarks that start in it (a ``w:bookmarkStart`` standing between
two paragraphs, as LibreOffice may write it, belongs to the next one), whether all its text is
bold, and its outline level (1 for a first-level heading, 0 for body text). A table gives one
block per row, its cells joined by " | " (a nested table's rows flattened into its cell).
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from workbook_tools.read.cells import local_name
from workbook_tools.read.xlsx import (
    Limits,
    XlsxError,
    check_xml,
    check_zip_directory,
    custom_properties,
    modified_time,
    read_zip_part,
)

CELL_SEPARATOR = " | "
OFFICE_DOCUMENT = "/officeDocument"
STYLES = "/styles"
# Elements whose content a reader does not see as the paragraph's text.
SKIPPED = frozenset({"pPr", "rPr", "del", "moveFrom", "delText", "instrText", "delInstrText", "drawing",
                     "pict", "AlternateContent", "object", "sdtPr", "sdtEndPr", "fldData", "commentReference",
                     "footnoteReference", "endnoteReference"})
OFF = frozenset({"0", "false", "off"})
HEADING_NAME = re.compile(r"^(?:heading|tiêu đề|đầu đề)\s*([1-9])$", re.IGNORECASE)
MAX_STYLE_CHAIN = 20


@dataclass(frozen=True)
class DocxLimits(Limits):
    """Bounds a returned report stays within (a report with a few photos is a few MB)."""

    max_file_bytes: int = 30_000_000
    max_part_bytes: int = 20_000_000   # a photo
    max_total_bytes: int = 60_000_000
    max_parts: int = 1_000
    max_xml_bytes: int = 8_000_000     # a part we parse
    max_blocks: int = 20_000
    max_chars: int = 2_000_000


class DocxError(Exception):
    """The file cannot be read as a Word document; ``reason`` is a short Vietnamese explanation."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class DocBlock:
    """One paragraph, or one table row, of the body."""

    text: str
    style: str                    # the style's name ('Heading 1', 'heading 1', 'Tiêu đề 1', 'Gợi ý' ...)
    bookmarks: tuple[str, ...]
    bold: bool                    # every character of its text is bold
    is_table_row: bool
    outline_level: int = 0        # 1.. from w:outlineLvl (or a 'Heading N' style); 0 for body text


@dataclass(frozen=True)
class WordDocument:
    """What a .docx yielded."""

    blocks: tuple[DocBlock, ...]
    properties: dict[str, str] = field(default_factory=dict)  # docProps/custom.xml
    modified: dt.datetime | None = None                          # docProps/core.xml dcterms:modified


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str
    outline: int | None   # 0-based w:outlineLvl
    bold: bool | None


def read_docx(data: bytes, limits: DocxLimits = DocxLimits()) -> WordDocument:
    """Read a Word document's bytes or raise DocxError with a reason a user can act on."""
    if len(data) > limits.max_file_bytes:
        raise DocxError(f"tệp quá lớn ({len(data) // 1_000_000} MB, giới hạn {limits.max_file_bytes // 1_000_000} MB)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip_directory(archive, limits)
            return _read_document(archive, limits)
    except XlsxError as exc:
        raise DocxError(exc.reason) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error):
        raise DocxError("không phải tệp .docx hoặc tệp bị hỏng (không mở được dạng nén)") from None
    except (KeyError, ET.ParseError, ValueError, IndexError, RecursionError) as exc:
        raise DocxError(f"cấu trúc tệp .docx bị hỏng ({type(exc).__name__})") from None
    except NotImplementedError:
        raise DocxError("tệp dùng kiểu nén không hỗ trợ hoặc đã đặt mật khẩu mở tệp") from None
    except RuntimeError as exc:  # encrypted zip members
        raise DocxError(f"không đọc được nội dung nén ({exc})") from None


def _read_document(archive: zipfile.ZipFile, limits: DocxLimits) -> WordDocument:
    names = set(archive.namelist())
    for name in names & {"docProps/custom.xml", "docProps/core.xml"}:
        _xml_size(archive, name, limits)
    main = _main_part(archive, names, limits)
    styles_part = _related(archive, names, main, STYLES, limits) or "word/styles.xml"
    styles, default = _styles(_xml(archive, styles_part, limits)) if styles_part in names else ({}, "")
    root = _xml(archive, main, limits)
    body = next((n for n in root if local_name(n.tag) == "body"), None)
    if body is None:
        raise DocxError("tài liệu không có phần nội dung (w:body)")
    walker = _Walker(styles, default, limits)
    walker.container(body)
    return WordDocument(
        blocks=tuple(walker.blocks),
        properties=custom_properties(archive) if "docProps/custom.xml" in names else {},
        modified=modified_time(archive) if "docProps/core.xml" in names else None,
    )


def _xml(archive: zipfile.ZipFile, name: str, limits: DocxLimits) -> ET.Element:
    _xml_size(archive, name, limits)
    return ET.fromstring(check_xml(read_zip_part(archive, name), name))


def _xml_size(archive: zipfile.ZipFile, name: str, limits: DocxLimits) -> None:
    if archive.getinfo(name).file_size > limits.max_xml_bytes:
        raise DocxError(f"phần '{name}' quá lớn để đọc: có thể là tệp độc hại")


def _main_part(archive: zipfile.ZipFile, names: set[str], limits: DocxLimits) -> str:
    main = _related(archive, names, "", OFFICE_DOCUMENT, limits) or "word/document.xml"
    if main in names and not main.startswith("xl/"):
        return main
    if "xl/workbook.xml" in names:
        raise DocxError("đây là bảng tính Excel, không phải tài liệu Word")
    raise DocxError("không có phần word/document.xml: không phải tài liệu Word .docx "
                    "(có thể là tệp nén khác bị đổi đuôi)")


def _related(archive: zipfile.ZipFile, names: set[str], source: str, kind: str, limits: DocxLimits) -> str:
    """The part a relationship of this kind points to from ``source`` ('' for the package)."""
    folder, base = posixpath.split(source)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    if rels not in names:
        return ""
    for rel in _xml(archive, rels, limits):
        if rel.get("Type", "").endswith(kind) and rel.get("TargetMode", "") != "External":
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
    return ""


def _val(node: ET.Element | None, attribute: str = "val") -> str | None:
    if node is None:
        return None
    return next((v for k, v in node.attrib.items() if k == attribute or k.endswith("}" + attribute)), None)


def _child(node: ET.Element | None, name: str) -> ET.Element | None:
    return None if node is None else next((c for c in node if local_name(c.tag) == name), None)


def _bold(rpr: ET.Element | None) -> bool | None:
    flag = _child(rpr, "b")
    return None if flag is None else (_val(flag) or "true").lower() not in OFF


def _styles(root: ET.Element) -> tuple[dict[str, _Style], str]:
    styles, default = {}, ""
    for node in root:
        if local_name(node.tag) != "style":
            continue
        style_id = _val(node, "styleId") or ""
        outline = _val(_child(_child(node, "pPr"), "outlineLvl"))
        styles[style_id] = _Style(
            name=unicodedata.normalize("NFC", _val(_child(node, "name")) or style_id),
            based_on=_val(_child(node, "basedOn")) or "",
            outline=int(outline) if outline and outline.isdigit() else None,
            bold=_bold(_child(node, "rPr")),
        )
        if _val(node, "type") == "paragraph" and (_val(node, "default") or "") in ("1", "true"):
            default = style_id
    return styles, default


def _inherited(styles: dict[str, _Style], style_id: str, attribute: str) -> object:
    """A style's own value of an attribute, else the one it is based on (cycles are cut)."""
    for _ in range(MAX_STYLE_CHAIN):
        style = styles.get(style_id)
        if style is None:
            return None
        value = getattr(style, attribute)
        if value is not None:
            return value
        style_id = style.based_on
    return None


class _Walker:
    """Walks the body in order, gathering blocks within the limits."""

    def __init__(self, styles: dict[str, _Style], default: str, limits: DocxLimits):
        self.styles, self.default, self.limits = styles, default, limits
        self.blocks: list[DocBlock] = []
        self.pending: list[str] = []  # bookmarks started between blocks: they go to the next one
        self.chars = 0

    def container(self, node: ET.Element) -> None:
        """Body-level content: paragraphs, tables, and the wrappers that may hold them."""
        for child in node:
            name = local_name(child.tag)
            if name == "p":
                self._add(*self._paragraph(child))
            elif name == "tbl":
                for texts, marks in self._rows(child):
                    self._add(CELL_SEPARATOR.join(texts), "", tuple(marks), False, True, 0)
            elif name == "bookmarkStart":
                self.pending.append(_val(child, "name") or "")
            elif name not in SKIPPED:
                self.container(child)  # sdt, sdtContent, customXml, ins, moveTo, smartTag ...

    def _add(self, text: str, style: str, marks: tuple[str, ...], bold: bool, row: bool, level: int) -> None:
        text = unicodedata.normalize("NFC", text)
        self.chars += len(text)
        if self.chars > self.limits.max_chars or len(self.blocks) >= self.limits.max_blocks:
            raise DocxError("tài liệu quá dài (quá nhiều đoạn hoặc ký tự): có thể là tệp độc hại")
        self.blocks.append(DocBlock(text, style, tuple(self.pending) + marks, bold, row, level))
        self.pending = []

    def _paragraph(self, node: ET.Element) -> tuple[str, str, tuple[str, ...], bool, bool, int]:
        ppr = _child(node, "pPr")
        style_id = _val(_child(ppr, "pStyle")) or self.default
        style = self.styles.get(style_id)
        name = style.name if style else style_id
        runs: list[tuple[str, bool]] = []
        marks: list[str] = []
        self._inline(node, bool(_inherited(self.styles, style_id, "bold")), runs, marks)
        text = "".join(t for t, _ in runs)
        bold = any(t.strip() for t, _ in runs) and all(b for t, b in runs if t.strip())
        return text, name, tuple(marks), bold, False, self._level(ppr, style_id, name)

    def _level(self, ppr: ET.Element | None, style_id: str, name: str) -> int:
        own = _val(_child(ppr, "outlineLvl"))
        level = int(own) if own and own.isdigit() else _inherited(self.styles, style_id, "outline")
        if isinstance(level, int):
            return level + 1 if 0 <= level < 9 else 0
        match = HEADING_NAME.match(name.strip())
        return int(match[1]) if match else 0

    def _inline(self, node: ET.Element, bold: bool, runs: list[tuple[str, bool]], marks: list[str]) -> None:
        for child in node:
            name = local_name(child.tag)
            if name == "r":
                rpr = _child(child, "rPr")
                own = _bold(rpr)
                if own is None:
                    char_style = _val(_child(rpr, "rStyle"))
                    own = _inherited(self.styles, char_style, "bold") if char_style else None
                self._inline(child, bold if own is None else bool(own), runs, marks)
            elif name == "t":
                runs.append((child.text or "", bold))
            elif name in ("tab", "ptab"):
                runs.append((" ", bold))
            elif name in ("br", "cr"):
                runs.append(("\n", bold))
            elif name == "noBreakHyphen":
                runs.append(("-", bold))
            elif name == "bookmarkStart":
                marks.append(_val(child, "name") or "")
            elif name not in SKIPPED:
                self._inline(child, bold, runs, marks)  # hyperlink, ins, moveTo, fldSimple, sdt, smartTag ...

    def _rows(self, table: ET.Element) -> list[tuple[list[str], list[str]]]:
        """Each row of a table as its cells' texts and the bookmarks in it."""
        rows = []
        for row in _descendants(table, "tr", "tbl"):
            marks: list[str] = []
            cells = [self._cell(cell, marks) for cell in _descendants(row, "tc", "tr")]
            rows.append((cells, marks))
        return rows

    def _cell(self, cell: ET.Element, marks: list[str]) -> str:
        parts = []
        for child in _descendants(cell, "p", "tc", also=("tbl",)):
            if local_name(child.tag) == "tbl":
                parts += [CELL_SEPARATOR.join(texts) for texts, _ in self._rows(child)]
                continue
            text, _, own, _, _, _ = self._paragraph(child)
            marks += own
            parts.append(text)
        return " ".join(p.strip() for p in parts if p.strip())


def _descendants(node: ET.Element, name: str, stop: str, also: tuple[str, ...] = ()) -> list[ET.Element]:
    """The elements named ``name`` (or ``also``) under node, in order, through wrappers (sdt,
    customXml ...) but not inside another ``stop`` or ``name`` element."""
    found = []
    for child in node:
        kind = local_name(child.tag)
        if kind == name or kind in also:
            found.append(child)
        elif kind != stop and kind not in SKIPPED:
            found += _descendants(child, name, stop, also)
    return found
