"""The fast way to read a worksheet: a scanner for the XML the common writers produce.

Excel, LibreOffice, WPS, openpyxl and xlsxwriter write ``<sheetData>`` in one plain shape. When a
sheet fits that grammar exactly (checked in linear time, and well-formedness checked by expat),
its cells are read with regular expressions; anything else raises ``NotCanonical`` and the sheet
goes to ``read.parser``. Property tests check that the two never give different cells.
"""

from __future__ import annotations

import functools
import re
from xml.etree import ElementTree as ET
from xml.parsers import expat

from workbook_tools.read.cells import Cell, Sheet, col_index, typed


class NotCanonical(Exception):
    """A cell the scanner does not fully understand: parse the sheet as XML instead."""


_ATTRIBUTE_LIST = rb'(?:\s+[A-Za-z_:][\w:.-]*\s*=\s*(?:"[^"]*"|\'[^\']*\'))*'  # quoted values, one by one
_ATTRIBUTES = rb"(" + _ATTRIBUTE_LIST + rb")\s*"  # captured
_QUOTED_ATTRIBUTES = _ATTRIBUTE_LIST + rb"\s*"
_ATTRIBUTE = re.compile(rb'\s+([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
# After '<c r="A12"' either a cell the scanner reads (self-closing, a bare <v>, or another body),
# or an odd cell (marked by the last group, one byte of lookahead) that sends the sheet to the parser.
_WS = rb"[ \t\r\n]*+"  # XML white space between elements (Gnumeric indents its cells)
_CELL_TAIL = (rb'"(?:' + _ATTRIBUTES + rb'(?:(/)>|>' + _WS + rb'<v>([^<]*)</v>' + _WS + rb'(</c>)|>(.*?)</c>)|(?=(.)))')
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


_WS_TEXT = _WS.decode("ascii")  # the same, for the shared strings (read as text)
_STRING_ITEM = (f'<si>{_WS_TEXT}<t(?: xml:space="preserve")?>([^<]*)</t>{_WS_TEXT}</si>'
                f'|<si>{_WS_TEXT}<t/>{_WS_TEXT}</si>')
_SIMPLE_STRINGS = re.compile(_STRING_ITEM)


# The grammar of <sheetData> as the common writers produce it: rows of unprefixed '<c r="A1"'
# cells whose bodies are an optional formula, an optional value and an optional inline string
# (plain text runs), with XML white space allowed between elements (ignored by the parser too).
# Anything else (other elements, prefixes, text beside elements, a second value ...) sends the
# sheet to the full parse.
# In the grammar the attributes of a tag followed by elements only are '[^<>]*': if an attribute
# value held '>', the tag would seem to end early and the rest ('..."') could not continue the
# grammar (which expects '<' there), so the match fails.
_TAG_REST = rb"(?:\s[^<>]*)?"
_TEXT_RUN = rb"<t" + _TEXT_ATTRIBUTES + rb"(?:/>|>[^<]*</t>)"
_RUN_PROPERTIES = rb"<rPr>(?:" + _WS + rb"<[A-Za-z]+" + _TAG_REST + rb"/>)*" + _WS + rb"</rPr>"
_INLINE = (rb"<is>(?:" + _WS + rb"(?:" + _TEXT_RUN + rb"|<r>(?:" + _WS + _RUN_PROPERTIES + rb")?" + _WS + _TEXT_RUN
           + _WS + rb"</r>))*" + _WS + rb"</is>")
_CELL_BODY = (rb"(?:" + _WS + rb"<f" + _TEXT_ATTRIBUTES + rb"(?:/>|>[^<]*</f>))?(?:" + _WS + rb"(?:<v>[^<]*</v>|<v\s*/>))?"
              + rb"(?:" + _WS + _INLINE + rb")?" + _WS)
_ROW = (rb"(?><row" + _TAG_REST + rb'(?:/>|>(?>\s*<c r="[A-Z]{1,3}[0-9]{1,7}"[^<>]*>(?:(?<=/>)|<v>[^<]*</v></c>|'
        + _CELL_BODY + rb"</c>))*+\s*</row>))")
# Atomic groups and possessive repeats: a sheet that does not fit fails in linear time.
_SHEET_DATA = re.compile(rb"<sheetData" + _TAG_REST + rb"(?:/>|>(?:\s*" + _ROW + rb")*+\s*</sheetData>)")
_STRINGS_PART = re.compile(r"\ufeff?(?:<\?xml[^>]*\?>)?\s*<sst" + _QUOTED_ATTRIBUTES.decode("ascii")
                           + r">(?:" + _WS_TEXT + r"(?:" + _STRING_ITEM + r"))*" + _WS_TEXT + r"</sst>\s*")


def sheet_data_span(data: bytes) -> tuple[int, int] | None:
    """Where the one <sheetData> is, when it follows the common writers' grammar (else None).

    Cells are read only there, by both readers, as by Excel. Comments, processing instructions
    and CDATA are found by expat while the scanner checks the sheet is well formed (see
    ``scan_sheet``); a DTD was refused before.
    """
    start = data.find(b"<sheetData")
    found = _SHEET_DATA.match(data, start) if start >= 0 else None
    if found is None or data.find(b"<sheetData", found.end()) >= 0:
        return None
    if data.find(b"xmlns", start, found.end()) >= 0:
        return None  # no namespace may be redefined inside the cells
    return start, found.end()


def well_formed(data: bytes, strict: bool = False) -> None:
    """Raise ET.ParseError unless the XML is namespace well formed (expat, no content handlers: fast).

    With ``strict``, a comment, processing instruction or CDATA section raises NotCanonical.
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
    raise NotCanonical


def sheet_well_formed(data: bytes, span: tuple[int, int]) -> None:
    """``well_formed(data, strict=True)`` of a sheet whose <sheetData> at ``span`` fits the grammar, in
    two parts: the cells with what comes before them and the sheet's last end tag, and the rest of
    the sheet around an empty <sheetData/>. The rest (columns, merged cells, validations, page setup:
    half a sheet's bytes) is the same in every file one program saved from one form, so its check is
    kept for the next file. Together the two say what the whole says: <sheetData> is one balanced
    element declaring no namespace, so the rest is parsed in the same state either way. Any failure
    is decided by the check of the whole sheet."""
    start, end = span
    last = data.rfind(b"</", end)
    try:
        if last < 0:
            raise NotCanonical
        well_formed(data[:end] + data[last:], strict=True)
        _rest_well_formed(data[:start] + b"<sheetData/>" + data[end:])
    except (ET.ParseError, NotCanonical):
        well_formed(data, strict=True)


@functools.lru_cache(maxsize=32)
def _rest_well_formed(rest: bytes) -> None:
    """A sheet's markup around its cells, strictly well formed (raises otherwise; only a pass is kept)."""
    well_formed(rest, strict=True)


@functools.lru_cache(maxsize=16384)
def _unescape(raw: bytes) -> str:
    """A text node's text. Cached: the forms' texts come back in every file a worker reads, and
    openpyxl writes each Vietnamese letter of them as a reference ('&#7879;') to replace one by one."""
    text = raw.decode("utf-8")
    if "\r" in text:  # line ends are normalised by XML parsers (before references are replaced)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" not in text:
        return text
    return unescape_text(text)


def unescape_text(text: str) -> str:
    return _ENTITY.sub(lambda m: _NAMED.get(m[1]) or chr(int(m[1][2:], 16) if m[1][1] == "x" else int(m[1][1:])),
                       text)


# A shared-strings part that fits _STRINGS_PART is well formed (what expat would say) when its
# declaration and <sst> tag are the plain ones the common writers produce, its attributes distinct and
# unprefixed (but for namespace declarations), and no text holds what XML forbids: a character
# outside XML's range, ']]>', or an undefined entity. A character reference (openpyxl's '&#273;') or
# anything else is left to expat. A test holds this against expat on every shape it builds. Each check
# is one scan in C (a single character class, a substring): one alternation over the whole part cost
# more than expat itself.
_XML_SPACE = "[ \t\r\n]"
_PLAIN_NAME = r"[A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z_][A-Za-z0-9_.-]*)?"  # ASCII: \w would take '²'
_PLAIN_DECLARATION = r'<\?xml version="1\.0"(?: encoding="(?:UTF|utf)-8")?(?: standalone="(?:yes|no)")?\?>'
_PLAIN_HEAD = re.compile(r"\ufeff?(?:" + _PLAIN_DECLARATION + ")?" + _XML_SPACE + "*<sst((?:" + _XML_SPACE + "+"
                         + _PLAIN_NAME + '="[^"<&]*")*)' + _XML_SPACE + "*>")
_PLAIN_ATTRIBUTE = re.compile("(" + _PLAIN_NAME + ')="([^"]*)"')
_PLAIN_TAIL = re.compile("</sst>" + _XML_SPACE + r"*\Z")
_NOT_XML_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_PLAIN_REFERENCE = re.compile(r"&(?!(?:lt|gt|amp|quot|apos);)")
_XML_SPACE_CHARACTER = re.compile(_XML_SPACE)
_RESERVED_NAMESPACES = ("www.w3.org/XML/1998/namespace", "www.w3.org/2000/xmlns")


def plainly_well_formed(text: str) -> bool:
    """Whether a shared-strings part that fits _STRINGS_PART is surely well formed without expat
    (False: expat decides)."""
    head = _PLAIN_HEAD.match(text)
    if (head is None or _PLAIN_TAIL.search(text, head.end()) is None or "]]>" in text
            or _NOT_XML_CHARACTER.search(text) or ("&" in text and _NOT_PLAIN_REFERENCE.search(text))):
        return False
    attributes = _PLAIN_ATTRIBUTE.findall(head[1])
    names = [name for name, _ in attributes]
    return all(_plain_attribute(name, value) for name, value in attributes) and len(set(names)) == len(names)


def _plain_attribute(name: str, value: str) -> bool:
    """Whether an attribute of <sst> is surely fine for expat: unprefixed, or a namespace declaration of a
    non-empty, non-reserved prefix; no reserved namespace; no white space in a namespace (expat's
    separator is " ")."""
    prefix, _, local = name.rpartition(":")
    if prefix and (prefix != "xmlns" or not value or local.lower().startswith("xml")):
        return False
    if any(reserved in value for reserved in _RESERVED_NAMESPACES):
        return False
    return "xmlns" not in (name, prefix) or _XML_SPACE_CHARACTER.search(value) is None


def _attributes(text: bytes) -> dict[bytes, bytes]:
    """Attribute names and raw values from an attribute text matched by _ATTRIBUTES."""
    return {m[1]: m[2] if m[2] is not None else m[3] for m in _ATTRIBUTE.finditer(text)}


def _kind(attrs: bytes) -> str:
    """A cell's type attribute ('n' when absent), from its attribute text."""
    kind = _KINDS.get(attrs)
    if kind is None:
        raw = _attributes(attrs).get(b"t", b"n")
        if not raw.isalpha():
            raise NotCanonical
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
            raise NotCanonical  # a prefixed or odd element, or one in <extLst>: the parser decides
        return False
    attributes = _attributes(found[1])
    if any(b"&" in v or b"xmlns" in k for k, v in attributes.items()):
        raise NotCanonical
    return attributes.get(b"sheet") in (b"1", b"true")


def scan_sheet(data: bytes, name: str, state: str, strings: list[str],
                columns: frozenset[int] | None) -> Sheet:
    span = sheet_data_span(data)
    if span is None:
        raise NotCanonical
    sheet_well_formed(data, span)
    sheet = Sheet(name=name, state=state, protected=_protected(data, span[1]))
    cells = sheet.cells
    make = tuple.__new__
    for letters, digits, attrs, slash, value, simple, body, odd in _cell_pattern(columns).findall(data, *span):
        if odd:
            raise NotCanonical
        col = letters[0] - 64 if len(letters) == 1 else col_index(letters.decode("ascii"))
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
    return typed(row, col, kind, _unescape(raw) if raw else None, formula, strings)


def simple_strings(text: str) -> list[str] | None:
    """The items of a shared-strings part whose every item is a plain ``<si><t>text</t></si>``
    (checked well formed), or None when it has any other shape."""
    if not _STRINGS_PART.fullmatch(text):
        return None
    if not plainly_well_formed(text):
        well_formed(text.encode("utf-8"))
    simple = _SIMPLE_STRINGS.findall(text)
    return [unescape_text(item) if "&" in item else item for item in simple] if "&" in text else simple
