"""A small, strict .xlsx reader: values, formulas and cached results of every cell.

Returned workbooks are untrusted, so this reader checks the zip directory before parsing
(declared sizes, part count, compression ratio), parses XML with defusedxml (no entities, no
DTDs), and reads only the parts it needs: workbook, relationships, shared strings, the
worksheets and the custom document properties. It returns both a cell's formula and its
cached value, which openpyxl can only give in two separate loads.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree as SafeET

NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
NS_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
NS_VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
NS_DCTERMS = "{http://purl.org/dc/terms/}"
CELL_REF = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")


@dataclass(frozen=True)
class Limits:
    """Bounds a returned workbook must stay within before anything is parsed."""

    max_file_bytes: int = 20_000_000
    max_part_bytes: int = 50_000_000
    max_total_bytes: int = 200_000_000
    max_parts: int = 2_000
    max_ratio: int = 200


class XlsxError(Exception):
    """The file cannot be read as a workbook; ``reason`` is a short Vietnamese explanation."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Cell:
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


@dataclass(frozen=True)
class Book:
    """What the collector needs from a workbook."""

    sheets: dict[str, Sheet]
    order: tuple[str, ...]
    custom_properties: dict[str, str]
    modified: dt.datetime | None = None  # docProps/core.xml dcterms:modified, timezone-aware


def read_xlsx(path: Path, limits: Limits = Limits()) -> Book:
    """Read a workbook or raise XlsxError with a reason a user can act on."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise XlsxError(f"tệp quá lớn ({size // 1_000_000} MB, giới hạn "
                        f"{limits.max_file_bytes // 1_000_000} MB)")
    try:
        with zipfile.ZipFile(path) as archive:
            _check_directory(archive, limits)
            return _read_book(archive)
    except zipfile.BadZipFile:
        raise XlsxError("không phải tệp .xlsx hoặc tệp bị hỏng (không mở được dạng nén)")
    except (KeyError, SafeET.ParseError, ValueError, EOFError, zipfile.LargeZipFile) as exc:
        raise XlsxError(f"cấu trúc tệp .xlsx bị hỏng ({type(exc).__name__})")
    except NotImplementedError:
        raise XlsxError("tệp dùng kiểu nén không hỗ trợ hoặc đã đặt mật khẩu mở tệp")
    except RuntimeError as exc:  # encrypted zip members
        raise XlsxError(f"không đọc được nội dung nén ({exc})")


def _check_directory(archive: zipfile.ZipFile, limits: Limits) -> None:
    infos = archive.infolist()
    if len(infos) > limits.max_parts:
        raise XlsxError(f"tệp có quá nhiều thành phần ({len(infos)})")
    total = 0
    for info in infos:
        if info.file_size > limits.max_part_bytes:
            raise XlsxError(f"thành phần '{info.filename}' quá lớn ({info.file_size} byte): "
                            "có thể là tệp độc hại (zip bomb)")
        if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
            raise XlsxError(f"thành phần '{info.filename}' có tỉ lệ nén bất thường: "
                            "có thể là tệp độc hại (zip bomb)")
        total += info.file_size
    if total > limits.max_total_bytes:
        raise XlsxError("tổng dung lượng giải nén quá lớn: có thể là tệp độc hại (zip bomb)")
    if "xl/workbook.xml" not in archive.namelist():
        if "EncryptionInfo" in archive.namelist():
            raise XlsxError("tệp đã đặt mật khẩu mở tệp")
        raise XlsxError("không có phần xl/workbook.xml: không phải bảng tính .xlsx")


def _xml(archive: zipfile.ZipFile, name: str):
    return SafeET.fromstring(archive.read(name), forbid_dtd=True)


def _read_book(archive: zipfile.ZipFile) -> Book:
    names = set(archive.namelist())
    workbook = _xml(archive, "xl/workbook.xml")
    targets = _relationships(archive, "xl/_rels/workbook.xml.rels")
    strings = _shared_strings(archive) if "xl/sharedStrings.xml" in names else []
    sheets, order = {}, []
    for node in workbook.iter(f"{NS_MAIN}sheet"):
        name = node.get("name", "")
        target = targets.get(node.get(f"{NS_REL}id", ""), "")
        part = _resolve("xl", target)
        if part not in names:
            continue
        sheet = _read_sheet(_xml(archive, part), name, node.get("state", "visible"), strings)
        sheets[name] = sheet
        order.append(name)
    props = _custom_properties(archive) if "docProps/custom.xml" in names else {}
    modified = _modified(archive) if "docProps/core.xml" in names else None
    return Book(sheets=sheets, order=tuple(order), custom_properties=props, modified=modified)


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def _relationships(archive: zipfile.ZipFile, name: str) -> dict[str, str]:
    root = _xml(archive, name)
    return {rel.get("Id", ""): rel.get("Target", "") for rel in root.iter(f"{NS_PKG_REL}Relationship")}


def _text_of(node) -> str:
    """Concatenated <t> text of a string item, skipping phonetic runs."""
    parts = []
    for child in node:
        if child.tag == f"{NS_MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{NS_MAIN}r":
            parts.extend(t.text or "" for t in child.iter(f"{NS_MAIN}t"))
    return "".join(parts)


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    root = _xml(archive, "xl/sharedStrings.xml")
    return [_text_of(si) for si in root.iter(f"{NS_MAIN}si")]


def _read_sheet(root, name: str, state: str, strings: list[str]) -> Sheet:
    protection = root.find(f"{NS_MAIN}sheetProtection")
    protected = protection is not None and protection.get("sheet") in ("1", "true")
    sheet = Sheet(name=name, state=state, protected=protected)
    for node in root.iter(f"{NS_MAIN}c"):
        cell = _read_cell(node, strings)
        if cell is not None:
            sheet.cells[(cell.row, cell.col)] = cell
    return sheet


def _read_cell(node, strings: list[str]) -> Cell | None:
    match = CELL_REF.match(node.get("r", ""))
    if not match:
        return None
    row, col = int(match[2]), _col_index(match[1])
    kind = node.get("t", "n")
    formula_node = node.find(f"{NS_MAIN}f")
    formula = None
    if formula_node is not None:
        formula = formula_node.text or ("" if formula_node.get("t") == "shared" else "")
    raw = node.find(f"{NS_MAIN}v")
    text = raw.text if raw is not None else None
    if kind == "inlineStr":
        inline = node.find(f"{NS_MAIN}is")
        return Cell(row, col, _text_of(inline) if inline is not None else "", formula, "s")
    if text is None:
        return Cell(row, col, None, formula, "") if formula is not None else None
    if kind == "s":
        index = int(text)
        return Cell(row, col, strings[index] if 0 <= index < len(strings) else "", formula, "s")
    if kind in ("str", "d"):
        return Cell(row, col, text, formula, "s")
    if kind == "b":
        return Cell(row, col, text == "1", formula, "b")
    if kind == "e":
        return Cell(row, col, text, formula, "e")
    return Cell(row, col, float(text), formula, "n")


def _col_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def _custom_properties(archive: zipfile.ZipFile) -> dict[str, str]:
    root = _xml(archive, "docProps/custom.xml")
    props = {}
    for prop in root.iter(f"{NS_CUSTOM}property"):
        value = next(iter(prop), None)
        props[prop.get("name", "")] = (value.text or "") if value is not None else ""
    return props


def _modified(archive: zipfile.ZipFile) -> dt.datetime | None:
    """The last-saved time the saving application wrote (UTC unless it says otherwise)."""
    node = _xml(archive, "docProps/core.xml").find(f"{NS_DCTERMS}modified")
    text = (node.text or "").strip() if node is not None else ""
    try:
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)
