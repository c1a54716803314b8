"""The general way to read a worksheet: ElementTree over the whole part.

Used for every sheet the scanner (``read.scanner``) does not fully understand, and for
shared-strings parts of unusual shape. Cells are read only under ``sheetData/row/c`` and shared
strings only from the ``<si>`` children of ``<sst>``, as Excel reads them.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from workbook_tools.read.cells import CELL_REF, Cell, Sheet, col_index, local_name, typed


def parse_sheet(data: bytes, name: str, state: str, strings: list[str],
                 columns: frozenset[int] | None) -> Sheet:
    root = ET.fromstring(data)
    ns = namespace(root)
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
                cell_row, col = int(match[2]), col_index(match[1])
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
        return Cell(row, col, text_of(inline) if inline is not None else "", formula, "s")
    return typed(row, col, kind, text, formula, strings)


def text_of(node: ET.Element) -> str:
    """Concatenated <t> text of a string item, skipping phonetic runs (<rPh>)."""
    parts = []
    for child in node:
        tag = local_name(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(t.text or "" for t in child if local_name(t.tag) == "t")
    return "".join(parts)


def namespace(root: ET.Element) -> str:
    """'{uri}' of the root element (transitional or strict SpreadsheetML), or ''."""
    return root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""


def parse_strings(data: bytes) -> list[str]:
    """Every shared string, by a full parse."""
    root = ET.fromstring(data)
    return [text_of(si) for si in root.iterfind(namespace(root) + "si")]  # items are children of <sst>
