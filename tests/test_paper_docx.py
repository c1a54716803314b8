"""The Word documents' shared Nghị định 30/2020 block (``paper.docx``), the section paths of the
notices, the optional campaign keys of the district's papers, and the print check itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from tests.conftest import SAMPLE
from tests.papers import check_printed, pdf_pages
from workbook_tools.outputs.notices import section_paths
from workbook_tools.paper.docx import TEXT_MM, Grid, Letterhead, add_letterhead, add_signature, new_document
from workbook_tools.paper.docx_long import LongGrid, save_document
from workbook_tools.paper.docx_widths import CELL_PAD_MM, fit_widths, longest_word_mm, text_mm, wrap_mm
from workbook_tools.paper.page import MOTTO_SUB
from workbook_tools.spec.campaign import DEFAULT_SIGNER, load_campaign

HEAD = Letterhead(("ỦY BAN NHÂN DÂN", "HUYỆN PHONG THỔ"), "Số: ....../TB-UBND",
                  "Phong Thổ, ngày ..... tháng ..... năm 2023")
HEADERS = ["STT", "Đơn vị", "Tổng điểm", "Xếp loại", "Hạng trong nhóm", "Hạng chung"]
ROWS = [[str(i), "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên", "71,5", "Trung bình", "1", "12"]
        for i in range(1, 41)]


def test_widths_hold_every_word():
    widths = fit_widths(list(zip(*ROWS)), HEADERS, 12, TEXT_MM)
    assert sum(widths) <= TEXT_MM + 0.01
    for index, width in enumerate(widths):
        words = [HEADERS[index]] + [row[index] for row in ROWS]
        assert width >= max(longest_word_mm(w, 12, bold=True) for w in words) + 2 * CELL_PAD_MM
    assert widths[1] > 3 * widths[0]  # the long names take what the short columns leave
    assert widths[4] >= wrap_mm("Hạng trong nhóm", 3, 12, bold=True) + 2 * CELL_PAD_MM
    short = fit_widths([["Chưa nộp"], ["Xã Mù Sang"]], ["Tình trạng", "Đơn vị"], 12, TEXT_MM)
    assert short[0] >= text_mm("Tình trạng", 12, bold=True) + 2 * CELL_PAD_MM  # room: headers on one line


def test_page_header_and_tables(tmp_path):
    document = new_document()
    add_letterhead(document, HEAD)
    grid = Grid(document, HEADERS, fit_widths(list(zip(*ROWS)), HEADERS, 12, TEXT_MM))
    for row in ROWS[:3]:
        grid.row(row)
    grid.row(["4", "Xã Mù Sang", "Chưa nộp"], span_from=2)
    add_signature(document, ("- Như trên;", "- Lưu: VT."), DEFAULT_SIGNER)
    path = tmp_path / "a.docx"
    document.save(str(path))
    document = docx.Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [20, 20, 30, 15]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml and not section.first_page_header.paragraphs[0].text
    head = document.tables[0]
    left, right = head.rows[0].cells
    assert [p.text for p in left.paragraphs] == ["ỦY BAN NHÂN DÂN", "HUYỆN PHONG THỔ", "", "Số: ....../TB-UBND"]
    assert all(r.bold for p in left.paragraphs[:2] for r in p.runs)
    rule = right.paragraphs[2]
    assert rule._p.pPr.find(qn("w:pBdr")) is not None
    drawn = right.width - rule.paragraph_format.left_indent - rule.paragraph_format.right_indent
    assert abs(drawn - Mm(text_mm(MOTTO_SUB, 14, bold=True) + 2 * CELL_PAD_MM)) < Mm(0.5)  # as long as the line
    table = document.tables[1]
    header = table.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None and header.find(qn("w:cantSplit")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows[1:])
    assert table.rows[-1].cells[2].text == "Chưa nộp" and table.rows[-1].cells[5].text == "Chưa nộp"  # merged
    assert "TM. ỦY BAN NHÂN DÂN" in document.tables[2].rows[0].cells[1].text


def _table_document(kind, rows) -> docx.document.Document:
    document = new_document()
    add_letterhead(document, HEAD)
    widths = fit_widths(list(zip(*ROWS)), HEADERS, 12, TEXT_MM)
    for _ in range(2):  # two tables: each long grid's rows go to its own place
        grid = kind(document, HEADERS, widths)
        for row in rows:
            grid.row(row)
        grid.row(["", "UBND các xã & thị trấn <nhóm 1>"], bold=True, span_from=1)
        grid.row(["4", "Xã Mù Sang", "Chưa nộp"], span_from=2)
        document.add_paragraph("Tổng số: 3")
    add_signature(document, ("- Như trên;",), DEFAULT_SIGNER)
    return document


def test_long_grid_writes_the_same_document(tmp_path):
    """A long grid's rows kept out of python-docx's tree and copied in at save give the same document
    part, byte for byte, as the rows built in the tree; its tables read back whole."""
    import zipfile

    for rows in (ROWS, ROWS[:0]):
        plain, long = tmp_path / "grid.docx", tmp_path / "long.docx"
        _table_document(Grid, rows).save(str(plain))
        save_document(_table_document(LongGrid, rows), long)
        parts = [zipfile.ZipFile(p).read("word/document.xml") for p in (plain, long)]
        assert parts[0] == parts[1] and b"workbook-tools-long-rows" not in parts[1]
        assert zipfile.ZipFile(plain).namelist() == zipfile.ZipFile(long).namelist()
        tables = docx.Document(str(long)).tables
        assert [len(t.rows) for t in tables[1:3]] == [len(rows) + 3] * 2
        assert tables[2].rows[-2].cells[1].text == "UBND các xã & thị trấn <nhóm 1>"
    document = _table_document(LongGrid, ROWS)
    with pytest.raises(ValueError, match="missing"):  # a marker lost from the tree is an error, never rows lost
        document.tables[1]._tbl.remove(next(c for c in document.tables[1]._tbl if "Comment" in type(c).__name__))
        save_document(document, tmp_path / "lost.docx")


def test_section_paths(campaign):
    qcdc = section_paths(campaign.form("qcdc-hd22"))
    assert qcdc["a"] == "A" and qcdc["a.1"] == "A.1" and qcdc["d.i"] == "D.I" and qcdc["d.i.1"] == "D.I.1"
    assert qcdc["d.i.1.3"] == "D.I.1.3" and qcdc["d.i.1.3b"] == "D.I.1.3 (thứ 2)"
    assert qcdc["d.i.1.2b"] == "D.I.1, dòng 3" and qcdc["d.i.1.4.b"] == "D.I.1.4, dòng 2"
    assert qcdc["d.i.3.6"] == "D.I.3.2 (thứ 2)"
    assert len(set(qcdc.values())) == len(qcdc)
    dvcq = section_paths(campaign.form("dvcq-qd248"))
    assert dvcq["ii.1"] == "II.1" and dvcq["viii"] == "VIII"


def test_old_campaign_files_print_their_issuer(tmp_path):
    """A campaign file without the paper keys stays valid: its 'issuer' on one line, the default signer."""
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "../../criteria_specs/", str(SAMPLE.parents[2] / "criteria_specs") + "/")
    keys = ("issuer_lines:", "signer:", "issuer_code:")
    kept = [line for line in text.splitlines() if not line.startswith(keys)]
    (tmp_path / "campaign.yaml").write_text("\n".join(kept) + "\n", encoding="utf-8")
    shutil.copy(SAMPLE.parent / "roster.csv", tmp_path / "roster.csv")
    old = load_campaign(tmp_path / "campaign.yaml")
    assert old.issuer_lines == ("UBND HUYỆN PHONG THỔ",) and old.signer == DEFAULT_SIGNER
    assert old.issuer_code == "UBND"
    new = load_campaign(SAMPLE)
    assert new.issuer_lines == ("ỦY BAN NHÂN DÂN", "HUYỆN PHONG THỔ")
    assert new.signer == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")


@pytest.mark.parametrize("narrow", [False, True])
def test_print_check_finds_a_word_cut_in_two(office, tmp_path, narrow):
    """The print check passes a good table and fails one whose column is too narrow for 'chung'."""
    document = new_document()
    add_letterhead(document, HEAD)
    document.add_paragraph("THÔNG BÁO")
    widths = [40.0, 9.0 if narrow else 30.0]
    grid = Grid(document, ["Đơn vị", "Hạng chung"], widths)
    for index in range(60):  # two pages
        grid.row([f"Xã số {index}", "4,5"])
    path = tmp_path / f"t{int(narrow)}.docx"
    document.save(str(path))
    pages = pdf_pages(office, path, tmp_path)
    assert len(pages) >= 2
    if narrow:
        with pytest.raises(AssertionError, match="cut in two|not printed whole"):
            check_printed(path, pages, HEAD.issuer, ("THÔNG BÁO",))
    else:
        check_printed(path, pages, HEAD.issuer, ("THÔNG BÁO",))


def test_print_check_finds_a_decimal_point(office, tmp_path):
    document = new_document()
    add_letterhead(document, HEAD)
    document.add_paragraph("THÔNG BÁO")
    document.add_paragraph("Tổng điểm 71,5; dòng 2: 4.5 điểm")
    path = Path(tmp_path / "d.docx")
    document.save(str(path))
    with pytest.raises(AssertionError, match="4.5"):
        check_printed(path, pdf_pages(office, path, tmp_path), HEAD.issuer, ("THÔNG BÁO",))
