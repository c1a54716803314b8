"""A small, strict .xlsx reader: values, formulas and cached results of the cells we need.

Returned workbooks are untrusted, so this reader
- checks the zip directory before decompressing anything: declared sizes, compression ratio,
  number of parts, total size, duplicate names; a zip bomb is refused without being inflated
  (and a part that inflates beyond its declared size fails its CRC check);
- refuses any XML part that carries a document type declaration (``<!DOCTYPE``/``<!ENTITY``)
  or an encoding other than UTF-8, before parsing it: entity expansion ("billion laughs"),
  external entities and DTD tricks need one, so this gives the protection of defusedxml's
  ``forbid_dtd`` while parsing with the C ElementTree parser;
- counts cells and shared strings in the raw bytes before parsing (so the parsed tree is bounded);
- parses a worksheet only when asked for it.
It returns both a cell's formula and its cached value, which openpyxl can only give in two loads.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree as ET
from xml.parsers import expat

CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
NUMBER = re.compile(r"^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?\s*$")
EARLIEST, LATEST = dt.datetime(1990, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(2200, 1, 1, tzinfo=dt.timezone.utc)
_ENCODING = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_MARKUP_DECLARATION = re.compile(rb"<!(?!--|\[CDATA\[)")
_UTF8_NAMES = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}
CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """Bounds a returned workbook must stay within before anything is parsed.

    A generated workbook is about 60 KB zipped and 600 KB unzipped, with under 2,000 cells;
    a LibreOffice or Excel re-save stays well within these bounds.
    """

    max_file_bytes: int = 20_000_000
    max_part_bytes: int = 8_000_000
    max_total_bytes: int = 40_000_000
    max_parts: int = 500
    max_ratio: int = 200
    max_cells: int = 50_000
    max_strings: int = 50_000


class XlsxError(Exception):
    """The file cannot be read as a workbook; ``reason`` is a short Vietnamese explanation."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Cell(NamedTuple):
    """One cell: its value (number, text, bool or None), formula text, and raw type."""

    row: int  # 1-based, as Excel shows
    col: int  # 1-based
    value: float | str | bool | None
    formula: str | None
    kind: str  # "n" number, "s" text, "b" bool, "e" error, "" empty


@dataclass
class Sheet:
    """One worksheet's cells by (row, col), 1-based."""

    name: str
    state: str
    protected: bool
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)

    def get(self, row: int, col: int) -> Cell | None:
        """The cell at (row, col), or None when it holds nothing."""
        return self.cells.get((row, col))

    def value(self, row: int, col: int) -> float | str | bool | None:
        """The value at (row, col), or None."""
        cell = self.cells.get((row, col))
        return cell.value if cell else None


class Book:
    """What the collector needs from a workbook; worksheets are parsed on first use."""

    def __init__(self, order: tuple[str, ...], states: dict[str, str], sheet_xml: dict[str, bytes],
                 strings_xml: bytes | None, custom_properties: dict[str, str],
                 modified: dt.datetime | None, limits: Limits):
        self.order = order
        self.custom_properties = custom_properties
        self.modified = modified  # docProps/core.xml dcterms:modified, timezone-aware
        self._states, self._xml, self._strings_xml = states, sheet_xml, strings_xml
        self._strings: list[str] | None = None
        self._parsed: dict[str, Sheet] = {}
        self._cells_left = limits.max_cells
        self._limits = limits

    def sheet(self, name: str, columns: frozenset[int] | None = None) -> Sheet | None:
        """The worksheet with this name (parsed now if needed), or None.

        With ``columns`` (1-based) only cells of those columns are kept, which is much faster.
        """
        if name not in self._xml:
            return None
        key = (name, columns)
        if key not in self._parsed:
            try:
                if self._strings is None:
                    self._strings = _shared_strings(self._strings_xml, self._limits) if self._strings_xml else []
                sheet, used = _read_sheet(self._xml[name], name, self._states[name], self._strings,
                                          self._cells_left, columns)
            except (ET.ParseError, ValueError, IndexError) as exc:
                raise XlsxError(f"trang '{name}' bị hỏng ({type(exc).__name__})") from None
            self._cells_left -= used
            self._parsed[key] = sheet
        return self._parsed[key]

    @property
    def sheets(self) -> dict[str, Sheet]:
        """Every worksheet, in workbook order (parses them all)."""
        return {name: self.sheet(name) for name in self.order}


def read_xlsx(source: Path | bytes, limits: Limits = Limits()) -> Book:
    """Read a workbook (a path or its bytes) or raise XlsxError with a reason a user can act on.

    Worksheets are parsed lazily, so XlsxError can also come from ``Book.sheet``.
    """
    data = source if isinstance(source, bytes) else _read_bytes(source, limits)
    if len(data) > limits.max_file_bytes:
        raise XlsxError(f"tệp quá lớn ({len(data) // 1_000_000} MB, giới hạn "
                        f"{limits.max_file_bytes // 1_000_000} MB)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_directory(archive, limits)
            return _read_book(archive, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error):
        raise XlsxError("không phải tệp .xlsx hoặc tệp bị hỏng (không mở được dạng nén)") from None
    except (KeyError, ET.ParseError, ValueError, IndexError) as exc:
        raise XlsxError(f"cấu trúc tệp .xlsx bị hỏng ({type(exc).__name__})") from None
    except NotImplementedError:
        raise XlsxError("tệp dùng kiểu nén không hỗ trợ hoặc đã đặt mật khẩu mở tệp") from None
    except RuntimeError as exc:  # encrypted zip members
        raise XlsxError(f"không đọc được nội dung nén ({exc})") from None


def _read_bytes(path: Path, limits: Limits) -> bytes:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise XlsxError(f"tệp quá lớn ({size // 1_000_000} MB, giới hạn "
                        f"{limits.max_file_bytes // 1_000_000} MB)")
    return path.read_bytes()


def _check_directory(archive: zipfile.ZipFile, limits: Limits) -> None:
    infos = archive.infolist()
    if len(infos) > limits.max_parts:
        raise XlsxError(f"tệp có quá nhiều thành phần ({len(infos)}): có thể là tệp độc hại")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise XlsxError("tệp có hai thành phần trùng tên: tệp bị hỏng hoặc bị sửa có chủ ý")
    total = 0
    for info in infos:
        if info.file_size > limits.max_part_bytes:
            raise XlsxError(f"thành phần '{info.filename}' quá lớn ({info.file_size:,} byte khi giải nén): "
                            "có thể là tệp độc hại (zip bomb)")
        if info.file_size > 1_000_000 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise XlsxError(f"thành phần '{info.filename}' có tỉ lệ nén bất thường: "
                            "có thể là tệp độc hại (zip bomb)")
        total += info.file_size
    if total > limits.max_total_bytes:
        raise XlsxError("tổng dung lượng giải nén quá lớn: có thể là tệp độc hại (zip bomb)")
    if "xl/workbook.xml" not in names:
        raise XlsxError("không có phần xl/workbook.xml: không phải bảng tính .xlsx "
                        "(có thể là tài liệu Word, PowerPoint hoặc tệp nén khác bị đổi đuôi)")


def _safe(data: bytes, name: str) -> bytes:
    """Refuse XML we will not parse: non-UTF-8 encodings and any DTD or entity declaration."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4].count(b"\x00"):
        raise XlsxError(f"phần '{name}' dùng bảng mã không hỗ trợ (chỉ nhận UTF-8)")
    declared = _ENCODING.match(data)
    if declared and declared[1].lower() not in _UTF8_NAMES:
        raise XlsxError(f"phần '{name}' dùng bảng mã không hỗ trợ ({declared[1].decode('ascii')})")
    if _MARKUP_DECLARATION.search(data):
        raise XlsxError(f"phần '{name}' chứa khai báo DTD hoặc thực thể XML: có thể là tệp độc hại "
                        "(tấn công XML), không đọc")
    return data


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    """A part's bytes, inflated in small steps: never more than its declared (checked) size.

    ``ZipFile.read`` inflates a whole part in one call whatever its declared size says, so a
    part that lies about its size could take gigabytes; reading in chunks stops at the declared
    size, and the CRC check then rejects the lie.
    """
    chunks = []
    with archive.open(name) as handle:
        while chunk := handle.read(CHUNK):
            chunks.append(chunk)
    return b"".join(chunks)


def _xml(archive: zipfile.ZipFile, name: str) -> ET.Element:
    return ET.fromstring(_safe(_read_part(archive, name), name))


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _read_book(archive: zipfile.ZipFile, limits: Limits) -> Book:
    names = set(archive.namelist())
    workbook = _xml(archive, "xl/workbook.xml")
    rels_name = "xl/_rels/workbook.xml.rels"
    targets = _relationships(archive, rels_name) if rels_name in names else {}
    order, states, sheet_xml = [], {}, {}
    for node in workbook.iter():
        if _local(node.tag) != "sheet":
            continue
        name = node.get("name", "")
        rel_id = next((v for k, v in node.attrib.items() if k.endswith("}id")), "")
        part = _resolve("xl", targets.get(rel_id, ""))
        if part not in names or name in sheet_xml:
            continue
        sheet_xml[name] = _safe(_read_part(archive, part), part)
        states[name] = node.get("state", "visible")
        order.append(name)
    strings = _safe(_read_part(archive, "xl/sharedStrings.xml"), "xl/sharedStrings.xml") \
        if "xl/sharedStrings.xml" in names else None
    props = _custom_properties(archive) if "docProps/custom.xml" in names else {}
    modified = _modified(archive) if "docProps/core.xml" in names else None
    return Book(tuple(order), states, sheet_xml, strings, props, modified, limits)


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def _relationships(archive: zipfile.ZipFile, name: str) -> dict[str, str]:
    root = _xml(archive, name)
    return {rel.get("Id", ""): rel.get("Target", "") for rel in root.iter() if _local(rel.tag) == "Relationship"}


def _text_of(node: ET.Element) -> str:
    """Concatenated <t> text of a string item, skipping phonetic runs (<rPh>)."""
    parts = []
    for child in node:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _namespace(root: ET.Element) -> str:
    """'{uri}' of the root element (transitional or strict SpreadsheetML), or ''."""
    return root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""


def _shared_strings(data: bytes, limits: Limits) -> list[str]:
    count = data.count(b"<si")
    if count > limits.max_strings:
        raise XlsxError("bảng chuỗi dùng chung quá lớn: có thể là tệp độc hại")
    text = data.decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _STRINGS_PART.fullmatch(text):  # every item is a plain, unprefixed <si><t>text</t></si>
        _well_formed(data)
        simple = _SIMPLE_STRINGS.findall(text)
        return [_unescape_text(item) if "&" in item else item for item in simple] if "&" in text else simple
    root = ET.fromstring(data)
    return [_text_of(si) for si in root.iterfind(_namespace(root) + "si")]  # items are children of <sst>


def _read_sheet(data: bytes, name: str, state: str, strings: list[str], budget: int,
                columns: frozenset[int] | None = None) -> tuple[Sheet, int]:
    """Parse one worksheet; returns the sheet and the number of cells it used from the budget.

    The cell count is checked on the raw bytes first, which bounds the size of the parsed tree
    (the part itself is already within ``max_part_bytes``). Sheets written the way Excel,
    LibreOffice, WPS, openpyxl and xlsxwriter write them are read by a scanner (after expat has
    checked the XML is well formed); anything else goes through the full ElementTree parse.
    Both give the same cells (a test compares them).
    """
    used = data.count(b"<c")
    if used > budget + 10_000:
        raise XlsxError(f"trang '{name}' có quá nhiều ô: có thể là tệp độc hại")
    try:
        return _scan_sheet(data, name, state, strings, columns), used
    except _NotCanonical:
        pass
    return _parse_sheet(data, name, state, strings, columns), used


class _NotCanonical(Exception):
    """A cell the scanner does not fully understand: parse the sheet as XML instead."""


_ATTRIBUTE_LIST = rb'(?:\s+[A-Za-z_:][\w:.-]*\s*=\s*(?:"[^"]*"|\'[^\']*\'))*'  # quoted values, one by one
_ATTRIBUTES = rb"(" + _ATTRIBUTE_LIST + rb")\s*"  # captured
_QUOTED_ATTRIBUTES = _ATTRIBUTE_LIST + rb"\s*"
_ATTRIBUTE = re.compile(rb'\s+([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
# After '<c r="A12"' either a cell the scanner reads (self-closing, a bare <v>, or another body),
# or an odd cell (marked by the last group, one byte of lookahead) that sends the sheet to the parser.
_CELL_TAIL = (rb'"(?:' + _ATTRIBUTES + rb'(?:(/)>|><v>([^<]*)</v>(</c>)|>(.*?)</c>)|(?=(.)))')
_SCAN_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})' + _CELL_TAIL, re.S)
_SCAN_VALUE = re.compile(rb"<v>([^<]*)</v>")
# <f> and <t> hold text, which could swallow the rest of an attribute value holding '>' (see
# _TAG_REST), so their attributes are read one by one, quoted.
_TEXT_ATTRIBUTES = _QUOTED_ATTRIBUTES
_SCAN_FORMULA = re.compile(rb"<f" + _TEXT_ATTRIBUTES + rb"(?:/>|>([^<]*)</f>)")
_SCAN_INLINE = re.compile(rb"<is>(.*?)</is>", re.S)
_SCAN_TEXT = re.compile(rb"<t" + _TEXT_ATTRIBUTES + rb"(?:>([^<]*)</t>|/>)")
_SCAN_PROTECTION = re.compile(rb"<sheetProtection" + _ATTRIBUTES + rb"/?>")
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_KINDS: dict[bytes, str] = {}  # a cell's attribute text -> its type ('t'), cached: the texts repeat


@functools.lru_cache(maxsize=64)
def _cell_pattern(columns: frozenset[int] | None) -> re.Pattern[bytes]:
    """The cell scanner, limited to the wanted single-letter columns so the regex engine skips the rest."""
    if columns is None or not all(1 <= c <= 26 for c in columns):
        return _SCAN_CELL
    letters = b"|".join(bytes([64 + c]) for c in sorted(columns))
    return re.compile(rb'<c r="(' + letters + rb')([0-9]{1,7})' + _CELL_TAIL, re.S)


_STRING_ITEM = r'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>|<si><t/></si>'
_SIMPLE_STRINGS = re.compile(_STRING_ITEM)


# The grammar of <sheetData> as the common writers produce it: rows of unprefixed '<c r="A1"'
# cells whose bodies are an optional formula, an optional value and an optional inline string
# (plain text runs). Anything else (other elements, prefixes, whitespace inside a cell, a second
# value ...) sends the sheet to the full parse.
# In the grammar the attributes of a tag followed by elements only are '[^<>]*': if an attribute
# value held '>', the tag would seem to end early and the rest ('..."') could not continue the
# grammar (which expects '<' there), so the match fails.
_TAG_REST = rb"(?:\s[^<>]*)?"
_TEXT_RUN = rb"<t" + _TEXT_ATTRIBUTES + rb"(?:/>|>[^<]*</t>)"
_RUN_PROPERTIES = rb"<rPr>(?:<[A-Za-z]+" + _TAG_REST + rb"/>)*</rPr>"
_INLINE = rb"<is>(?:" + _TEXT_RUN + rb"|<r>(?:" + _RUN_PROPERTIES + rb")?" + _TEXT_RUN + rb"</r>)*</is>"
_CELL_BODY = rb"(?:<f" + _TEXT_ATTRIBUTES + rb"(?:/>|>[^<]*</f>))?(?:<v>[^<]*</v>|<v\s*/>)?(?:" + _INLINE + rb")?"
_ROW = (rb"(?><row" + _TAG_REST + rb'(?:/>|>(?>\s*<c r="[A-Z]{1,3}[0-9]{1,7}"[^<>]*>(?:(?<=/>)|<v>[^<]*</v></c>|'
        + _CELL_BODY + rb"</c>))*+\s*</row>))")
# Atomic groups and possessive repeats: a sheet that does not fit fails in linear time.
_SHEET_DATA = re.compile(rb"<sheetData" + _TAG_REST + rb"(?:/>|>(?:\s*" + _ROW + rb")*+\s*</sheetData>)")
_STRINGS_PART = re.compile(r"\ufeff?(?:<\?xml[^>]*\?>)?\s*<sst" + _QUOTED_ATTRIBUTES.decode("ascii")
                           + r">(?:" + _STRING_ITEM + r")*</sst>\s*")


def _sheet_data_span(data: bytes) -> tuple[int, int] | None:
    """Where the one <sheetData> is, when it follows the common writers' grammar (else None).

    Cells are read only there, by both readers, as by Excel. Comments, processing instructions
    and CDATA are found by expat while the scanner checks the sheet is well formed (see
    ``_scan_sheet``); a DTD was refused before.
    """
    start = data.find(b"<sheetData")
    found = _SHEET_DATA.match(data, start) if start >= 0 else None
    if found is None or data.find(b"<sheetData", found.end()) >= 0:
        return None
    if data.find(b"xmlns", start, found.end()) >= 0:
        return None  # no namespace may be redefined inside the cells
    return start, found.end()


def _well_formed(data: bytes, strict: bool = False) -> None:
    """Raise ET.ParseError unless the XML is namespace well formed (expat, no content handlers: fast).

    With ``strict``, a comment, processing instruction or CDATA section raises _NotCanonical.
    """
    parser = expat.ParserCreate(namespace_separator=" ")  # an unbound prefix is an error, as in the parser
    if strict:
        parser.CommentHandler = parser.ProcessingInstructionHandler = _odd_markup
        parser.StartCdataSectionHandler = _odd_markup
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise ET.ParseError(str(exc)) from None


def _odd_markup(*_: object) -> None:
    raise _NotCanonical


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8")
    if "\r" in text:  # line ends are normalised by XML parsers (before references are replaced)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" not in text:
        return text
    return _unescape_text(text)


def _unescape_text(text: str) -> str:
    return _ENTITY.sub(lambda m: _NAMED.get(m[1]) or chr(int(m[1][2:], 16) if m[1][1] == "x" else int(m[1][1:])),
                       text)


def _attributes(text: bytes) -> dict[bytes, bytes]:
    """Attribute names and raw values from an attribute text matched by _ATTRIBUTES."""
    return {m[1]: m[2] if m[2] is not None else m[3] for m in _ATTRIBUTE.finditer(text)}


def _kind(attrs: bytes) -> str:
    """A cell's type attribute ('n' when absent), from its attribute text."""
    kind = _KINDS.get(attrs)
    if kind is None:
        raw = _attributes(attrs).get(b"t", b"n")
        if not raw.isalpha():
            raise _NotCanonical
        kind = raw.decode("ascii")
        if len(_KINDS) < 4096:
            _KINDS[attrs] = kind
    return kind


def _protected(data: bytes, after: int) -> bool:
    """The sheet="1" flag of the <sheetProtection> that follows <sheetData> (never one in <extLst>)."""
    end = data.find(b"<extLst", after)
    found = _SCAN_PROTECTION.search(data, after, len(data) if end < 0 else end)
    if found is None:
        if data.find(b"sheetProtection", after) >= 0:
            raise _NotCanonical  # a prefixed or odd element, or one in <extLst>: the parser decides
        return False
    attributes = _attributes(found[1])
    if any(b"&" in v or b"xmlns" in k for k, v in attributes.items()):
        raise _NotCanonical
    return attributes.get(b"sheet") in (b"1", b"true")


def _scan_sheet(data: bytes, name: str, state: str, strings: list[str],
                columns: frozenset[int] | None) -> Sheet:
    span = _sheet_data_span(data)
    if span is None:
        raise _NotCanonical
    _well_formed(data, strict=True)
    sheet = Sheet(name=name, state=state, protected=_protected(data, span[1]))
    cells = sheet.cells
    make = tuple.__new__
    for letters, digits, attrs, slash, value, simple, body, odd in _cell_pattern(columns).findall(data, *span):
        if odd:
            raise _NotCanonical
        col = letters[0] - 64 if len(letters) == 1 else _col_index(letters.decode("ascii"))
        if columns is not None and col not in columns:
            continue
        kind = _KINDS.get(attrs) or _kind(attrs)
        row = int(digits)
        if slash:
            if kind == "inlineStr":
                cells[(row, col)] = make(Cell, (row, col, "", None, "s"))
            continue
        if simple and kind != "inlineStr":
            if kind == "n" and (value.isdigit() or value.replace(b".", b"", 1).isdigit()):
                cells[(row, col)] = make(Cell, (row, col, float(value), None, "n"))
                continue
            if kind == "s" and value.isdigit():
                index = int(value)
                cells[(row, col)] = make(Cell, (row, col, strings[index] if index < len(strings) else "",
                                                None, "s"))
                continue
            body = b"<v>" + value + b"</v>"
        cell = _general_cell(row, col, kind, body, strings)
        if cell.kind != "" or cell.formula is not None:
            cells[(row, col)] = cell
    return sheet


def _general_cell(row: int, col: int, kind: str, body: bytes, strings: list[str]) -> Cell:
    """A cell whose body is more than a bare value: a formula, an inline string, an empty <v/>.

    The body already fits the <sheetData> grammar (``_CELL_BODY``).
    """
    formula = None
    if b"<f" in body:
        formula_match = _SCAN_FORMULA.search(body)
        formula = _unescape(formula_match[1] or b"") if formula_match else None
    if kind == "inlineStr":
        inline = _SCAN_INLINE.search(body)
        runs = _SCAN_TEXT.findall(inline[1]) if inline else []
        return Cell(row, col, "".join(_unescape(run) for run in runs), formula, "s")
    value = _SCAN_VALUE.search(body)
    raw = value[1] if value else b""
    return _typed(row, col, kind, _unescape(raw) if raw else None, formula, strings)


def _typed(row: int, col: int, kind: str, text: str | None, formula: str | None, strings: list[str]) -> Cell:
    """A cell from its type attribute and the text of its <v> element."""
    if text is None:
        return Cell(row, col, None, formula, "")
    if kind == "s":
        index = int(text)
        return Cell(row, col, strings[index] if 0 <= index < len(strings) else "", formula, "s")
    if kind in ("str", "d"):
        return Cell(row, col, text, formula, "s")
    if kind == "b":
        return Cell(row, col, text.strip() == "1", formula, "b")
    if kind == "e":
        return Cell(row, col, text, formula, "e")
    if not NUMBER.match(text):  # float() would accept '0_5', '５', 'nan', 'inf'
        return Cell(row, col, text, formula, "e")
    return Cell(row, col, float(text), formula, "n")


def _parse_sheet(data: bytes, name: str, state: str, strings: list[str],
                 columns: frozenset[int] | None) -> Sheet:
    root = ET.fromstring(data)
    ns = _namespace(root)
    tag_c, tag_f, tag_v, tag_is = ns + "c", ns + "f", ns + "v", ns + "is"
    protection = root.find(ns + "sheetProtection")
    sheet = Sheet(name=name, state=state,
                  protected=protection is not None and protection.get("sheet") in ("1", "true"))
    cells = sheet.cells
    row = 0
    sheet_data = root.find(ns + "sheetData")
    for row_node in sheet_data.iterfind(ns + "row") if sheet_data is not None else ():
        row = int(row_node.get("r") or row + 1)
        col = 0
        for node in row_node:
            if node.tag != tag_c:
                continue
            ref, cell_row = node.get("r"), row
            if ref is None:
                col += 1
            else:
                match = CELL_REF.match(ref)
                if not match:
                    raise ValueError(f"bad cell reference {ref[:20]!r}")
                cell_row, col = int(match[2]), _col_index(match[1])
            if columns is not None and col not in columns:
                continue  # a column we were not asked for: not read at all (as by the scanner)
            if len(node) == 0 and node.get("t") != "inlineStr":
                continue  # an empty (styled) cell: nothing to read
            cell = _read_cell(node, strings, cell_row, col, tag_f, tag_v, tag_is)
            if cell.kind != "" or cell.formula is not None:
                cells[(cell.row, cell.col)] = cell
    return sheet


def _read_cell(node: ET.Element, strings: list[str], row: int, col: int,
               tag_f: str, tag_v: str, tag_is: str) -> Cell:
    kind = node.get("t", "n")
    formula, text, inline = None, None, None
    for child in node:
        if child.tag == tag_v:
            text = child.text
        elif child.tag == tag_f:
            formula = child.text or ""
        elif child.tag == tag_is:
            inline = child
    if kind == "inlineStr":
        return Cell(row, col, _text_of(inline) if inline is not None else "", formula, "s")
    return _typed(row, col, kind, text, formula, strings)


def _col_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def _custom_properties(archive: zipfile.ZipFile) -> dict[str, str]:
    root = _xml(archive, "docProps/custom.xml")
    props = {}
    for prop in root:
        if _local(prop.tag) != "property":
            continue
        value = next(iter(prop), None)
        props[prop.get("name", "")] = (value.text or "") if value is not None else ""
    return props


def _modified(archive: zipfile.ZipFile) -> dt.datetime | None:
    """The last-saved time the saving application wrote (UTC unless it says otherwise)."""
    node = next((n for n in _xml(archive, "docProps/core.xml") if _local(n.tag) == "modified"), None)
    text = (node.text or "").strip() if node is not None else ""
    try:
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)
    return stamp if EARLIEST <= stamp < LATEST else None  # absurd times are treated as absent
