"""The units' narrative reports as written out (``outputs.unit_reports``): ``bao-cao-don-vi.csv``
(columns, order, inert text, the unplaced row) and the officer's compilation
``tong-hop-bao-cao-don-vi.docx`` read back (headings, each unit's text under its name in roster
order, who wrote nothing, who sent nothing) and as printed."""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from pathlib import Path

import docx
import pytest

from tests.papers import check_printed, pdf_pages
from workbook_tools.fileio import StagedOutputs
from workbook_tools.outputs.unit_reports import (
    DOCUMENT_NAME,
    NOT_SENT,
    NOT_WRITTEN,
    TITLE,
    UNPLACED_HEADING,
    write_unit_reports,
)
from workbook_tools.read.report import UNPLACED, SectionText
from workbook_tools.results.contracts import UNIT_REPORTS_COLUMNS
from workbook_tools.results.contracts import UNIT_REPORTS_NAME as CSV_NAME
from workbook_tools.results.model import Collection, UnitReport

QCDC, DVCQ = "de-cuong-qcdc", "de-cuong-dvcq"
TOWN, SI_LO_LAU, HOME_AFFAIRS = "03549", "03550", "CQ02"  # first on the roster, fourth, an agency
BORDER_VILLAGE = unicodedata.normalize("NFD", "Xã biên giới, có 12 bản.")
TABLE_LINES = "Hội nghị | Ngày | Số người\nHội nghị CBCC | 15/01/2023 | 25"


def _report(unit: str, outline: str, *sections: tuple[str, str, str]) -> UnitReport:
    return UnitReport(unit, outline, f"{unit}/bao-cao-{outline}.docx",
                      tuple(SectionText(*s) for s in sections))


REPORTS = (  # not in roster order: the outputs put them in order
    _report(HOME_AFFAIRS, QCDC,
            ("iii.1", "1. Trách nhiệm thủ trưởng", "Tỷ lệ hồ sơ giải quyết đúng hạn đạt 71,5%."),
            ("vi", "VI. Kiến nghị", "=1+1 là công thức\nDòng 2")),
    _report(SI_LO_LAU, DVCQ, ("i.1", "1. Chức năng", "Xã thực hiện công tác dân vận chính quyền.")),
    _report(TOWN, QCDC,
            (UNPLACED, "", "Lời mở đầu của thị trấn."),
            ("i.1", "1. Chức năng, nhiệm vụ", "Thị trấn có 9 tổ dân phố."),
            ("iii.1", "1. Trách nhiệm", "Tổ chức 1 hội nghị.\n" + TABLE_LINES),
            ("v", "5. Phương hướng 2024", "Tiếp tục thực hiện tốt QCDC."),
            ("vi", "6. Kiến nghị", "Đề nghị bố trí kinh phí."),
            (UNPLACED, "7. Ý kiến khác", "Đề nghị tăng kinh phí.")),
    _report(SI_LO_LAU, QCDC,
            ("i.1", "1. Chức năng", BORDER_VILLAGE),
            ("i.2", "2. Thuận lợi", "+ Thuận lợi: được huyện quan tâm."),
            ("iii.1", "1. Trách nhiệm", "")),
)


def _collection(campaign, reports=REPORTS) -> Collection:
    run_at = dt.datetime(2023, 11, 10, 8, 30, tzinfo=campaign.timezone)
    return Collection(campaign, Path("hop-thu"), run_at, (), (), (), reports=reports)


@pytest.fixture(scope="module")
def written(campaign, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bao-cao")
    staged = StagedOutputs(out)
    write_unit_reports(_collection(campaign), staged)
    assert sorted(p.name for p in staged.commit()) == sorted([CSV_NAME, DOCUMENT_NAME])
    return out


def _csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(data.decode("utf-8-sig").splitlines(keepends=True)))


def test_csv_rows_in_order_inert_with_the_unplaced_last(written, campaign):
    header, *rows = _csv(written / CSV_NAME)
    assert tuple(header) == UNIT_REPORTS_COLUMNS
    assert [tuple(r[:3]) for r in rows] == [
        (TOWN, QCDC, "i.1"), (TOWN, QCDC, "iii.1"), (TOWN, QCDC, "v"), (TOWN, QCDC, "vi"), (TOWN, QCDC, UNPLACED),
        (SI_LO_LAU, QCDC, "i.1"), (SI_LO_LAU, QCDC, "i.2"), (SI_LO_LAU, DVCQ, "i.1"),
        (HOME_AFFAIRS, QCDC, "iii.1"), (HOME_AFFAIRS, QCDC, "vi")]
    by_key = {tuple(r[:3]): dict(zip(header, r)) for r in rows}
    assert by_key[(TOWN, QCDC, "v")]["heading"] == "V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024"  # the outline's words
    assert by_key[(TOWN, QCDC, "iii.1")]["text"] == "Tổ chức 1 hội nghị.\n" + TABLE_LINES  # newlines kept
    assert by_key[(TOWN, QCDC, "iii.1")]["file"] == f"{TOWN}/bao-cao-{QCDC}.docx"
    unplaced = by_key[(TOWN, QCDC, UNPLACED)]
    assert unplaced["heading"] == UNPLACED_HEADING
    assert unplaced["text"] == "Lời mở đầu của thị trấn.\n7. Ý kiến khác\nĐề nghị tăng kinh phí."
    assert by_key[(HOME_AFFAIRS, QCDC, "vi")]["text"] == "'=1+1 là công thức\nDòng 2"
    assert by_key[(SI_LO_LAU, QCDC, "i.2")]["text"].startswith("'+ Thuận lợi")
    assert by_key[(SI_LO_LAU, QCDC, "i.1")]["text"] == unicodedata.normalize("NFC", BORDER_VILLAGE)


def _parts(path: Path) -> list[list[tuple[str, list[str]]]]:
    """Per part (a Heading 1), its blocks: (heading, the paragraphs' texts up to the next heading)."""
    parts: list[list[tuple[str, list[str]]]] = []
    for para in docx.Document(str(path)).paragraphs:
        style = para.style.name
        if style == "Heading 1":
            parts.append([(para.text, [])])
        elif style.startswith("Heading"):
            parts[-1].append((para.text, []))
        elif parts and para.text:
            parts[-1][-1][1].append(para.text)
    return parts


def _names(campaign, codes) -> str:
    return ", ".join(campaign.units_by_code[c].name for c in codes) + "."


def test_compilation_headings_texts_and_who_is_missing(written, campaign):
    qcdc, dvcq = (campaign.outline(o) for o in (QCDC, DVCQ))
    parts = _parts(written / DOCUMENT_NAME)
    assert [h for h, _ in parts[0]] == [
        "PHẦN 1. VIỆC THỰC HIỆN QCDC TẠI CƠ QUAN, ĐƠN VỊ NĂM 2023; PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024",
        *(s.text(2023) for s in qcdc.sections), UNPLACED_HEADING]
    assert [h for h, _ in parts[1]][1:] == [s.text(2023) for s in dvcq.sections]
    assert len(parts) == 2
    blocks = dict(parts[0][1:])
    senders = (TOWN, SI_LO_LAU, HOME_AFFAIRS)
    assert blocks["I. ĐẶC ĐIỂM TÌNH HÌNH"] == []  # a heading with sub-headings: nobody is told off there
    assert blocks[qcdc.section("i.1").text(2023)] == [
        "Thị trấn Phong Thổ:", "Thị trấn có 9 tổ dân phố.",
        "Xã Sì Lở Lầu:", unicodedata.normalize("NFC", BORDER_VILLAGE),
        NOT_WRITTEN + _names(campaign, [HOME_AFFAIRS])]
    assert blocks[qcdc.section("iii.1").text(2023)] == [
        "Thị trấn Phong Thổ:", "Tổ chức 1 hội nghị.", *TABLE_LINES.split("\n"),
        "Phòng Nội vụ:", "Tỷ lệ hồ sơ giải quyết đúng hạn đạt 71,5%.",
        NOT_WRITTEN + _names(campaign, [SI_LO_LAU])]
    assert blocks[qcdc.section("ii.1").text(2023)] == [NOT_WRITTEN + _names(campaign, senders)]
    assert blocks[qcdc.section("vi").text(2023)] == [
        "Thị trấn Phong Thổ:", "Đề nghị bố trí kinh phí.", "Phòng Nội vụ:", "=1+1 là công thức", "Dòng 2",
        NOT_WRITTEN + _names(campaign, [SI_LO_LAU])]
    assert blocks[UNPLACED_HEADING] == ["Thị trấn Phong Thổ:", "Lời mở đầu của thị trấn.", "7. Ý kiến khác",
                                        "Đề nghị tăng kinh phí."]
    opening = parts[0][0][1]
    assert opening[0] == f"Báo cáo QCDC: đã nhận của 3/{len(campaign.units)} đơn vị phải gửi."
    assert opening[1] == NOT_SENT + _names(campaign, [u.code for u in campaign.units if u.code not in senders])
    assert parts[1][0][1][1] == NOT_SENT + _names(campaign, [u.code for u in campaign.units
                                                              if u.code != SI_LO_LAU])
    assert blocks[qcdc.section("iv.1").text(2023)] == [NOT_WRITTEN + _names(campaign, senders)]


def test_compilation_looks(written):
    document = docx.Document(str(written / DOCUMENT_NAME))
    paras = document.paragraphs
    names = [p for p in paras if p.text == "Phòng Nội vụ:"]
    assert names and all(r.bold for p in names for r in p.runs)
    missing = [p for p in paras if p.text.startswith((NOT_WRITTEN, NOT_SENT))]
    assert missing and all(r.italic for p in missing for r in p.runs)
    parts = [p for p in paras if p.style.name == "Heading 1"]
    assert [bool(p.paragraph_format.page_break_before) for p in parts] == [False, True]
    for level in (1, 2, 3):
        font = document.styles[f"Heading {level}"].font
        assert font.name == "Times New Roman" and str(font.color.rgb) == "000000"
    assert any(p.text == TITLE for p in paras)
    assert all(unicodedata.is_normalized("NFC", p.text) for p in paras)


def test_nothing_received_still_writes_both(campaign, tmp_path):
    staged = StagedOutputs(tmp_path)
    write_unit_reports(_collection(campaign, ()), staged)
    staged.commit()
    assert _csv(tmp_path / CSV_NAME) == [list(UNIT_REPORTS_COLUMNS)]
    document = docx.Document(str(tmp_path / DOCUMENT_NAME))
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("Chưa nhận được báo cáo nào của các đơn vị") for t in texts)
    everyone = NOT_SENT + _names(campaign, [u.code for u in campaign.units])
    assert texts.count(everyone) == 2  # once per outline
    assert [p.text.split(".")[0] for p in document.paragraphs if p.style.name.startswith("Heading")] == \
        ["PHẦN 1", "PHẦN 2"]
    assert not any(p.paragraph_format.page_break_before for p in document.paragraphs)  # one short document


def test_compilation_printed(office, written, campaign, tmp_path):
    path = written / DOCUMENT_NAME
    pages = pdf_pages(office, path, tmp_path)
    assert len(pages) >= 2
    check_printed(path, pages, campaign.issuer_lines, (TITLE,))
    text = "\n".join(" ".join(line.split()) for page in pages for line in page.splitlines())
    assert "Hội nghị CBCC | 15/01/2023 | 25" in text
