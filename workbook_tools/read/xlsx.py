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
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from workbook_tools.read import parser, scanner
from workbook_tools.read.cells import Cell, Sheet, local_name  # noqa: F401 - Cell: the reader's model, for its users

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
    check_zip_directory(archive, limits)
    if "xl/workbook.xml" not in archive.namelist():
        raise XlsxError("không có phần xl/workbook.xml: không phải bảng tính .xlsx "
                        "(có thể là tài liệu Word, PowerPoint hoặc tệp nén khác bị đổi đuôi)")


def check_zip_directory(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse, before inflating anything, a zip whose directory declares too many parts,
    duplicate names, parts too large or compressed too well (a zip bomb); raises XlsxError.

    Shared by every reader of an Office zip (workbooks, Word reports)."""
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


def check_xml(data: bytes, name: str) -> bytes:
    """Refuse XML we will not parse: non-UTF-8 encodings and any DTD or entity declaration
    (raises XlsxError); the bytes back when they pass. Shared with the Word report reader."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4].count(b"\x00"):
        raise XlsxError(f"phần '{name}' dùng bảng mã không hỗ trợ (chỉ nhận UTF-8)")
    declared = _ENCODING.match(data)
    if declared and declared[1].lower() not in _UTF8_NAMES:
        raise XlsxError(f"phần '{name}' dùng bảng mã không hỗ trợ ({declared[1].decode('ascii')})")
    if _MARKUP_DECLARATION.search(data):
        raise XlsxError(f"phần '{name}' chứa khai báo DTD hoặc thực thể XML: có thể là tệp độc hại "
                        "(tấn công XML), không đọc")
    return data


def read_zip_part(archive: zipfile.ZipFile, name: str | zipfile.ZipInfo) -> bytes:
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
    return ET.fromstring(check_xml(read_zip_part(archive, name), name))


def _read_book(archive: zipfile.ZipFile, limits: Limits) -> Book:
    names = set(archive.namelist())
    workbook = _xml(archive, "xl/workbook.xml")
    rels_name = "xl/_rels/workbook.xml.rels"
    targets = _relationships(archive, rels_name) if rels_name in names else {}
    order, states, sheet_xml = [], {}, {}
    for node in workbook.iter():
        if local_name(node.tag) != "sheet":
            continue
        name = node.get("name", "")
        rel_id = next((v for k, v in node.attrib.items() if k.endswith("}id")), "")
        part = _resolve("xl", targets.get(rel_id, ""))
        if part not in names or name in sheet_xml:
            continue
        sheet_xml[name] = check_xml(read_zip_part(archive, part), part)
        states[name] = node.get("state", "visible")
        order.append(name)
    strings = check_xml(read_zip_part(archive, "xl/sharedStrings.xml"), "xl/sharedStrings.xml") \
        if "xl/sharedStrings.xml" in names else None
    props = custom_properties(archive) if "docProps/custom.xml" in names else {}
    modified = modified_time(archive) if "docProps/core.xml" in names else None
    return Book(tuple(order), states, sheet_xml, strings, props, modified, limits)


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def _relationships(archive: zipfile.ZipFile, name: str) -> dict[str, str]:
    root = _xml(archive, name)
    return {rel.get("Id", ""): rel.get("Target", "") for rel in root.iter() if local_name(rel.tag) == "Relationship"}


def _shared_strings(data: bytes, limits: Limits) -> list[str]:
    count = data.count(b"<si")
    if count > limits.max_strings:
        raise XlsxError("bảng chuỗi dùng chung quá lớn: có thể là tệp độc hại")
    text = data.decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    simple = scanner.simple_strings(text)
    return simple if simple is not None else parser.parse_strings(data)


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
        return scanner.scan_sheet(data, name, state, strings, columns), used
    except scanner.NotCanonical:
        pass
    return parser.parse_sheet(data, name, state, strings, columns), used


def custom_properties(archive: zipfile.ZipFile) -> dict[str, str]:
    """docProps/custom.xml as name: text value (guarded; shared with the Word report reader)."""
    root = _xml(archive, "docProps/custom.xml")
    props = {}
    for prop in root:
        if local_name(prop.tag) != "property":
            continue
        value = next(iter(prop), None)
        props[prop.get("name", "")] = (value.text or "") if value is not None else ""
    return props


def modified_time(archive: zipfile.ZipFile) -> dt.datetime | None:
    """The last-saved time the saving application wrote (UTC unless it says otherwise)."""
    node = next((n for n in _xml(archive, "docProps/core.xml") if local_name(n.tag) == "modified"), None)
    text = (node.text or "").strip() if node is not None else ""
    try:
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)
    return stamp if EARLIEST <= stamp < LATEST else None  # absurd times are treated as absent
