"""The reader's fast scanner gives exactly the cells of the full XML parse, for real writers."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_tools.demo.fill import fast_fill, fill_workbook, sample_figures, sample_scores
from workbook_tools.read import parser, scanner
from workbook_tools.read import xlsx as X


def assert_scanner_agrees(data: bytes) -> int:
    book = X.read_xlsx(data)
    strings = X._shared_strings(book._strings_xml, X.Limits()) if book._strings_xml else []
    scanned = 0
    for name in book.order:
        xml = book._xml[name]
        if scanner.sheet_data_span(xml) is None:
            continue
        fast = scanner.scan_sheet(xml, name, "", strings, None)
        full = parser.parse_sheet(xml, name, "", strings, None)
        assert fast.cells == full.cells and fast.protected == full.protected, name
        scanned += 1
    return scanned


@pytest.fixture(scope="module")
def sources(campaign, generated, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reader")
    src = next(f.path for f in generated.files if f.unit.code == "03550")
    rng = random.Random(5)
    scores, figures = sample_scores(campaign, rng, 0.8), sample_figures(campaign, rng)
    scores["qcdc-hd22"]["a.1"] = "4,5 & <b>"
    return {
        "xlsxwriter": src.read_bytes(),
        "fast_fill": fast_fill(campaign, src.read_bytes(), scores, figures),
        "openpyxl": fill_workbook(campaign, src, tmp / "o.xlsx", scores, figures).read_bytes(),
    }


@pytest.mark.parametrize("writer", ["xlsxwriter", "fast_fill", "openpyxl"])
def test_scanner_equals_parser(sources, writer):
    assert assert_scanner_agrees(sources[writer]) >= 4  # every sheet took the fast path


def test_scanner_equals_parser_after_libreoffice(office, sources, tmp_path):
    src = tmp_path / "in.xlsx"
    src.write_bytes(sources["openpyxl"])
    office.recalc_save(src, tmp_path / "lo.xlsx")
    assert assert_scanner_agrees((tmp_path / "lo.xlsx").read_bytes()) >= 4


def test_scanner_reads_gnumeric_saves(campaign, sources, tmp_path):
    """Gnumeric indents its XML (white space between the elements of a cell and of a string item):
    every sheet and the shared strings still take the fast path, read as the parser reads them, and
    the file checks as the same valid return."""
    import subprocess

    from tests.office import require_gnumeric
    from workbook_tools.read.check import check_file

    src, saved = tmp_path / "in.xlsx", tmp_path / "gnumeric.xlsx"
    src.write_bytes(sources["openpyxl"])
    subprocess.run([require_gnumeric(), str(src), str(saved)], check=True, capture_output=True, timeout=120)
    data = saved.read_bytes()
    assert b"\n      <c r=" in X.read_xlsx(data)._xml["QCDC"]  # indented, as Gnumeric writes
    assert assert_scanner_agrees(data) >= 4
    assert scanner.simple_strings(X.read_xlsx(data)._strings_xml.decode("utf-8")) is not None
    before, after = check_file(campaign, src), check_file(campaign, saved)
    assert [(f.form_id, f.scores, f.total) for f in after.forms] == [(f.form_id, f.scores, f.total) for f in before.forms]
    assert [p.code for p in after.problems] == [p.code for p in before.problems]


UNUSUAL_CELLS = (
    b'<c r="A1" x="a>b" t="s"><v>0</v></c>', b'<c r="A1"\nt="b"><v>1</v></c>',
    b'<c r="A1"><v>1</v></c><!-- <c r="A2"><v>9</v></c> -->', b'<c r="A1"><v>1</v><extra/></c>',
    b'<c r="A1" t = "s"><v>0</v></c>', b'<c r="A1" x="a>b" t="b"><v>1</v></c>',
    b'<c r="A1"\n\tt="str"><v>7</v></c>', b'<c r="A1" s="1" t="e"><v>#REF!</v></c>',
)


@pytest.mark.parametrize("cell", UNUSUAL_CELLS)
def test_unusual_cells_are_read_like_the_parser(cell):
    data = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<sheetData><row r="1">' + cell + b"</row></sheetData></worksheet>")
    sheet, _ = X._read_sheet(data, "S", "visible", ["x"], 1000)
    assert sheet.cells == parser.parse_sheet(data, "S", "visible", ["x"], None).cells


ODD_CELLS = (
    b'<c r="A1" s=\'1\' t="s"><v>0</v></c>',  # single-quoted attribute: read by the scanner
    b'<c r="A1" t=\'b\'><v>1</v></c>',
    b'<c r="&#65;1" t="s"><v>0</v></c>',  # an entity in the reference: must not be skipped
    b'<c r="A1" \xc3\xb1="1"><v>7</v></c>',  # a non-ASCII attribute name
    b'<c r="A1" t="inlineStr"><is><t xml:space=\'preserve\'>a&gt;b</t></is></c>',
    b'<c r="A1" t="inlineStr"><is><t x="a>b">shown</t></is></c>',
    b'<c r="A1" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c>',
    b'<c r="A1" t="inlineStr"/>', b'<c r="A1" t="inlineStr"><v></v></c>', b'<c r="A1"><v></v></c>',
    b'<c r="A1"><f x="a>b">SUM(1)</f><v>1</v></c>', b'<c r="A1"><![CDATA[x]]><v>2</v></c>',
    b'<c r="A1"><v>1</v></c><?pi <c r="A2"><v>9</v></c>?>', b'<c r="A1"><v>5.</v></c>',
    b'<c r="A1"><v>.5</v></c>', b'<c r="A1"><v>1e3</v></c>', b'<c r="A1"><v>1_0</v></c>',
)


@pytest.mark.parametrize("cell", ODD_CELLS)
def test_odd_cells_are_read_like_the_parser(cell):
    data = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<sheetData><row r="1">' + cell + b"</row></sheetData></worksheet>")
    for columns in (None, frozenset({1}), frozenset({1, 28})):
        sheet, _ = X._read_sheet(data, "S", "visible", ["x"], 1000, columns)
        assert sheet.cells == parser.parse_sheet(data, "S", "visible", ["x"], columns).cells


@pytest.mark.parametrize("protection, protected", [
    (b'<sheetProtection sheet="1"/>', True), (b"<sheetProtection sheet='1'/>", True),
    (b'<sheetProtection password="a>b" sheet="true"/>', True),
    (b'<sheetProtection algorithmName=\'x sheet="1"\'/>', False), (b'<sheetProtection sheet="0"/>', False),
])
def test_protection_is_read_like_the_parser(protection, protected):
    data = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="1"><c r="A1"><v>1</v></c></row></sheetData>' + protection + b"</worksheet>")
    sheet, _ = X._read_sheet(data, "S", "visible", [], 1000)
    assert sheet.protected is protected
    assert parser.parse_sheet(data, "S", "visible", [], None).protected is protected


@pytest.mark.parametrize("items", [
    b"<si><t>a</t></si><!-- <si><t>fake</t></si> --><si><t>b</t></si>",
    b"<si><t><![CDATA[</t></si><si><t>fake]]></t></si><si><t>b</t></si>",
    b'<si><t>a &amp; b</t></si><si><t xml:space="preserve"> c </t></si><si><t/></si>',
])
def test_shared_strings_are_read_like_the_parser(items):
    data = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + items + b"</sst>"
    root = X.ET.fromstring(data)
    expected = [parser.text_of(si) for si in root.iterfind(parser.namespace(root) + "si")]
    assert X._shared_strings(data, X.Limits()) == expected


# Pieces of cell markup, tricky ones included: a sheet built from them is either refused by both
# readers or read to the same cells (the scanner may only ever defer to the parser, never differ).
REFS = [b'r="A1"', b'r="B2"', b'r="AB3"', b"r='A4'", b'r="&#65;5"', b'r="a6"', b'r="$A$7"', b'r="A8 "',
        b'r="A0009"', b'r="AAAA1"', b'r="A"', b'']
ATTRS = [b'', b' s="1"', b" s='2'", b' t="s"', b" t='s'", b' t="n"', b' t="b"', b' t="str"', b' t="e"',
         b' t="inlineStr"', b' t=""', b' t="x y"', b' x="a>b"', b" x='a\"b'", b'\n t="s"', b' \xc3\xb1="1"',
         b' x:t="s"', b' t = "s"', b' cm="1"', b' s="1" s="2"', b' q:t="s"']
BODIES = [b'', b'<v>0</v>', b'<v>1</v>', b'<v>2.5</v>', b'<v>-3</v>', b'<v>1e2</v>', b'<v>.5</v>',
          b'<v>5.</v>', b'<v>1_0</v>', b'<v>nan</v>', b'<v></v>', b'<v/>', b'<v> 7 </v>', b'<v>&#49;</v>',
          b'<f>SUM(A1)</f><v>3</v>', b'<f t="shared" si="0"/><v>4</v>', b'<f x="a>b">A1</f>', b"<f x='q'>A1</f>",
          b'<is><t>x</t></is>', b'<is><t xml:space="preserve"> y </t></is>', b"<is><t a='b'>z</t></is>",
          b'<is><r><t>a</t></r><r><rPr><b/></rPr><t>b</t></r></is>', b'<is><t>a</t><rPh sb="0" eb="1"><t>p</t></rPh></is>',
          b'<is><t x="c>d">w</t></is>', b'<is><t/></is>', b'<!-- c --><v>1</v>', b'<v><![CDATA[8]]></v>',
          b'<?pi x?><v>1</v>', b'<v>1</v><extra/>', b'<v>1</v><v>2</v>', b'<c r="Z9"><v>1</v></c>',
          # white space between elements, as Gnumeric indents; text beside elements; characters
          # that are white space to a regex but not allowed in XML
          b'\n  <v>1</v>\n', b'\r\n\t<v>2.5</v> ', b' <f>SUM(A1)</f>\n <v>3</v>\n', b'\n<f t="shared" si="0"/>\n',
          b'\n <is>\n  <t>x</t>\n </is>\n', b'<is> <r> <rPr> <b/> <sz val="1"/> </rPr> <t>b</t> </r>\n<t> c </t> </is>',
          b'<is>\n<r><t>a</t></r>\n</is>', b'\n', b' x <v>1</v>', b'<v>1</v> y ', b'\x0c<v>1</v>', b'<v>1</v>\x0b',
          b' <v/> ', b'\n<v>1</v>\n<is><t>i</t></is>\n', b'<is>\n<t>a</t> z </is>',
          # text the grammar lets through that is not XML: undefined entity, control character, bad UTF-8
          b'<v>&bad;</v>', b'<v>\x01</v>', b'<v>\xff</v>', b'<is><t>&nope;</t></is>']


def _cell_markup(ref: bytes, attrs: bytes, body: bytes | None) -> bytes:
    head = b"<c " + ref + attrs if ref else b"<c" + attrs
    return head + (b"/>" if body is None else b">" + body + b"</c>")


ROW_OPENINGS = [b'<row r="1">', b'<row r="1" spans="1:3">', b'<row r="1" xmlns="urn:x">', b"<row>",
                b'<row r="1" xmlns:y="urn:y">']
EXTRAS = [b"", b'<sheetProtection sheet="1"/>', b"<sheetProtection sheet='true' x='a>b'/>",
          b'<extLst><ext uri="{x}"><c r="A1"><v>99</v></c><sheetProtection sheet="1"/></ext></extLst>',
          b'<sheetProtection xmlns="urn:x" sheet="1"/>', b'<x:sheetProtection sheet="1"/>',
          b'<sheetData><row r="9"><c r="A9"><v>9</v></c></row></sheetData>', b"<!-- -->",
          # the markup around the cells is checked apart (and kept): broken there is broken
          b'<mergeCells><mergeCell ref="A1:B1"></mergeCells>', b'<q:pageSetup/>', b'<pageMargins left="1" left="2"/>',
          b'<headerFooter><oddHeader>&bad;</oddHeader></headerFooter>', b"<?pi x?>", b"<![CDATA[x]]>",
          b'<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>', b"</worksheet><worksheet>", b"\x01"]
HEADS = [b"", b'<dimension ref="A1"/>', b'<cols><col min="1" max="1"/>', b"<sheetViews></sheetView>",
         b'<sheetFormatPr x="1" x="2"/>', b"<!-- h -->", b'<sheetPr filterMode="false"><pageSetUpPr fitToPage="true"/></sheetPr>']
TRAILERS = [b"", b"\n", b"<?pi </x>?>", b"<!-- </y> -->", b"junk", b"<extra/>", b"</worksheet>"]


@given(st.lists(st.tuples(st.sampled_from(REFS), st.sampled_from(ATTRS),
                          st.one_of(st.none(), st.sampled_from(BODIES))), min_size=1, max_size=4),
       st.sampled_from([None, frozenset({1}), frozenset({1, 2}), frozenset({28})]),
       st.sampled_from(ROW_OPENINGS), st.sampled_from(EXTRAS), st.sampled_from(HEADS), st.sampled_from(TRAILERS))
@settings(max_examples=600, deadline=None, derandomize=True, database=None)
def test_scanner_never_differs_from_the_parser(cells, columns, row, extra, head, trailer):
    data = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
            b' xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + head + b"<sheetData>" + row
            + b"".join(_cell_markup(*c) for c in cells) + b"</row></sheetData>" + extra + b"</worksheet>" + trailer)
    strings = ["s0", "s1", "s2"]
    try:
        expected = parser.parse_sheet(data, "S", "visible", strings, columns)
    except (X.ET.ParseError, ValueError, IndexError):
        with pytest.raises((X.ET.ParseError, ValueError, IndexError)):
            X._read_sheet(data, "S", "visible", strings, 1000, columns)
        return
    sheet, _ = X._read_sheet(data, "S", "visible", strings, 1000, columns)
    assert (sheet.cells, sheet.protected) == (expected.cells, expected.protected)


ITEMS = [b"<si><t>a</t></si>", b'<si><t xml:space="preserve"> b </t></si>', b"<si><t/></si>",
         b"<si><t>c &amp; &#273;</t></si>", b"<si><r><t>d</t></r><r><t>e</t></r></si>",
         b'<si><t>f</t><rPh sb="0" eb="1"><t>g</t></rPh></si>', b"<!-- <si><t>fake</t></si> -->",
         b"<si><t><![CDATA[h]]></t></si>", b"<?pi <si><t>fake</t></si>?>", b"<si ><t>i</t></si>",
         b"<si><t x='1'>j</t></si>", b"<x:si><x:t>k</x:t></x:si>", b"<si><t>l</t></si >",
         b"\n  ", b"<si>\n    <t>m</t>\n  </si>", b"<si> <t/> </si>", b"<si>\r\n<t xml:space=\"preserve\"> n </t>\t</si>",
         b"<si>\n<r>\n<t>o</t>\n</r>\n</si>", b"<si> p <t>q</t></si>", b"<si>\x0c<t>r</t></si>"]


@given(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=5), st.booleans())
@settings(max_examples=300, deadline=None, derandomize=True, database=None)
def test_shared_strings_never_differ_from_the_parser(items, prefixed):
    ns = b' xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"' if prefixed else b""
    data = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"' + ns + b">"
            + b"".join(items) + b"</sst>")
    try:
        root = X.ET.fromstring(data)
    except X.ET.ParseError:
        with pytest.raises(X.ET.ParseError):
            X._shared_strings(data, X.Limits())
        return
    expected = [parser.text_of(si) for si in root.iterfind(parser.namespace(root) + "si")]
    assert X._shared_strings(data, X.Limits()) == expected


# Pieces of shared-strings parts, odd ones included: whenever the scanner calls one well formed
# without asking expat (``plainly_well_formed``), expat agrees.
SST_HEADS = ["", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n', '<?xml version="1.0"?>',
             "\ufeff", '\ufeff<?xml version="1.0" encoding="utf-8"?>', '<?xml version="1.1"?>', ' <?xml version="1.0"?>',
             '<?xml version="1.0" encoding="latin-1"?>', "<?xml version='1.0'?>", "\xa0", "\x0c", "<!-- c -->"]
SST_ATTRIBUTES = ['', ' count="1"', ' count="1" count="2"', ' xmlns:x="urn:x"', ' xmlns:x=""', ' xmlns:xml="urn:x"',
                  ' xmlns:xmlns="urn:x"', ' xmlns:p="http://www.w3.org/XML/1998/namespace"', ' x:a="1"', ' xml:lang="vi"',
                  ' a\u00b2="1"', " a='1'", ' a="1"b="2"', '\xa0a="1"', ' a="<"', ' a="&amp;"', ' a="\x01"', ' a="]]>"',
                  ' xmlns:x="a b"', ' xmlns:x="\t"', ' xmlns:x="urn:x\r\n"', ' count="a b"']
SST_TEXTS = ["a", "", "đ &amp; &lt; &gt; &quot; &apos;", "&#273;&#x1EC7;", "&bad;", "&#0;", "&#x1F;", "&#xD800;",
             "&#xFFFE;", "&#65536;", "&#1114112;", "&#99999999;", "&#13;", "&#x9;", "a]]>b", "a]]b>", "\x01", "\x0b",
             "\ufffe", "\x85\u2028", "&#38;", "& b", "&#x;", "&#;", ">", '"']
SST_TAILS = ["", "\n", "\r\n  ", "\xa0", "\x0c", "x", "<!-- c -->", "\u2028"]


@given(st.sampled_from(SST_HEADS), st.lists(st.sampled_from(SST_ATTRIBUTES), max_size=3),
       st.lists(st.sampled_from(SST_TEXTS), min_size=1, max_size=4), st.sampled_from(SST_TAILS))
@settings(max_examples=1500, deadline=None, derandomize=True, database=None)
def test_shared_strings_called_plain_are_well_formed(head, attributes, texts, tail):
    text = (head + '<sst xmlns="' + M.decode() + '"' + "".join(attributes) + ">"
            + "".join(f"<si><t>{t}</t></si>" for t in texts) + "</sst>" + tail)
    if not (scanner._STRINGS_PART.fullmatch(text) and scanner.plainly_well_formed(text)):
        return
    scanner.well_formed(text.encode("utf-8"))  # raises if the scanner was wrong


def test_the_usual_shared_strings_need_no_expat():
    items = "".join(f"<si><t>{t}</t></si>" for t in ("Tiêu chí", "a &amp; b", "x]]y"))
    for head in ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n', '<?xml version="1.0" encoding="UTF-8"?>\n'):
        text = head + '<sst xmlns="' + M.decode() + '" count="3" uniqueCount="3">' + items + "</sst>"
        assert scanner.plainly_well_formed(text)
    assert not scanner.plainly_well_formed(text.replace("x]]y", "x]]>y"))
    assert not scanner.plainly_well_formed(text.replace("x]]y", "&#273;"))  # a character reference: expat decides
    for odd in (M.decode() + " ", "a b", "a\tb"):  # a namespace with white space: expat refuses it (found by a review)
        assert not scanner.plainly_well_formed(text.replace(M.decode(), odd))


M = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Found by a review: each was read differently by the scanner and the parser before the scanner
# checked the grammar of <sheetData> (root attributes, rows, extra parts after sheetData).
TRICKY_SHEETS = [
    (b"", b'<row r="1"><c r="A1"><v>1</v></c></row>',
     b'<extLst><ext uri="{00000000-0000-0000-0000-000000000001}"><c r="A1"><v>99</v></c></ext></extLst>'),
    (b"", b'<row r="1"><c r="A1"><v>1</v><is></is><v>2</v><is></is></c></row>', b""),
    (b"", b'<row r="1"><c r="A1"><v/><is><v>7</v></is></c></row>', b""),
    (b"", b'<row r="1"><c r="A1"><v>5</v><is><f>SUM(B1)</f></is></c></row>', b""),
    (b"", b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is><is><t>b</t></is></c></row>', b""),
    (b"", b'<row r="1"><c r="A1"><v>1</v></c></row>', b'<extLst><ext uri="{x}"><sheetProtection sheet="1"/></ext></extLst>'),
    (b"", b'<row r="1"><c r="A1"><v>1</v></c></row>', b'<sheetProtection xmlns="urn:x" sheet="1"/>'),
    (b"", b'<row r="1"><c r="A1"><v>1</v></c></row>', b'<sheetProtection sheet="&#49;"/>'),
    (b' xmlns:x="' + M + b'"', b'<row r="1"><c r="A1"><v>1</v></c></row>', b'<x:sheetProtection sheet="1"/>'),
    (b"", b'<row r="1"><c r="A1" xmlns=""><v>5</v></c></row>', b""),
    (b"", b'<row r="1" xmlns="urn:x"><c r="A1"><v>5</v></c></row>', b""),
    (b"", b'<c r="A1"><v>1</v></c>', b""),
    (b' xmlns:x="' + M + b'"', b'<row r="1"><c r="A1"><v>1</v></c><x:c\tr="B1"><x:v>9</x:v></x:c></row>', b""),
    (b' xmlns:x="' + M + b'"', b'<row r="1"><c r="A1" t="inlineStr"><is><x:t>fake</x:t><t>a</t></is></c></row>', b""),
    (b"", b'<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><t>fake</t></rPr><t>a</t></r></is></c></row>', b""),
    (b"", b'<row r="1"><c r="A1" t="str"><v>a\r\nb</v></c><c r="B1"><f>A1&amp;"\r"</f><v>1</v></c></row>', b""),
]


@pytest.mark.parametrize("root, rows, extra", TRICKY_SHEETS)
def test_tricky_sheets_are_read_like_the_parser(root, rows, extra):
    data = (b'<worksheet xmlns="' + M + b'"' + root + b"><sheetData>" + rows + b"</sheetData>" + extra
            + b"</worksheet>")
    for columns in (None, frozenset({1}), frozenset({1, 28})):
        sheet, _ = X._read_sheet(data, "S", "visible", ["x"], 1000, columns)
        parsed = parser.parse_sheet(data, "S", "visible", ["x"], columns)
        assert (sheet.cells, sheet.protected) == (parsed.cells, parsed.protected)


@pytest.mark.parametrize("data", [
    b'<sst xmlns="' + M + b'" xmlns:x="' + M + b'"><x:si ><x:t>fake</x:t></x:si ><si><t>a</t></si><si><t>b</t></si></sst>',
    b'<sst xmlns="' + M + b'"><foo xmlns="urn:x"><si><t>fake</t></si></foo><si><t>a</t></si></sst>',
    b'<sst xmlns="' + M + b'"><si><t>a\r\nb</t></si><si><t>c&#13;d</t></si></sst>',
    b'<sst xmlns="' + M + b'"><si><t>a</t></si><extLst><ext uri="{x}"><si><t>fake</t></si></ext></extLst></sst>',
])
def test_tricky_shared_strings_are_read_like_the_parser(data):
    root = X.ET.fromstring(data)
    assert X._shared_strings(data, X.Limits()) == [parser.text_of(si) for si in root.iterfind(parser.namespace(root) + "si")]
