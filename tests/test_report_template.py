"""The units' report templates written by ``generate``: one Word document per unit and outline, the
headings verbatim from the request (the seed) in order with their bookmarks and heading styles, grey
prompts in style "Gợi ý", the identity signed as the workbooks', NFC text, and the layout as printed
by LibreOffice."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import docx
import pytest
from docx.oxml.ns import qn

from tests.conftest import SEED
from tests.papers import _lines, document_words, pdf_pages
from workbook_tools.form.identity import (
    BOOKMARK_PREFIX,
    PROMPT_STYLE,
    PROMPT_STYLE_ID,
    REPORT_FORMAT,
    FileIdentity,
)
from workbook_tools.form.signing import load_key, verify
from workbook_tools.generate.report_template import GREY, HOW_TO, build_report
from workbook_tools.paper.page import MOTTO, MOTTO_SUB

KEYS = {"format", "template_version", "campaign_id", "campaign_year", "unit_code", "unit_name", "unit_group",
        "outline_id", "outline_sha256", "file_id", "generated_at", "signature"}
CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


@pytest.fixture(scope="module")
def reports(generated):
    """(report, outline, document) of every template written for 03550 and CQ02."""
    campaign = generated.campaign
    return [(r, campaign.outline(r.outline_id), docx.Document(str(r.path))) for r in generated.reports]


def _custom(path: Path) -> dict[str, str]:
    """The custom document properties, keys without the 'wt_' prefix."""
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("docProps/custom.xml"))
    return {p.get("name").removeprefix("wt_"): "".join(p.itertext())
            for p in root.iter(f"{CUSTOM_NS}property")}


def _headings(document) -> list:
    return [p for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")]


def _seed_part(seed: str, outline, year: int) -> str:
    """The outline's part of the seed (from its subtitle to its 'Nơi nhận'), markdown and the seed's
    known typos ('V..', ' ./.', '/.') taken out, lines joined."""
    text = re.sub(r"(?m)^#+\s*", "", seed.replace("**", "")).replace("V.. ", "V. ")
    text = text.replace(" ./.", "").replace("/.\n", "\n")
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    start = text.index(outline.subtitles(year)[0])
    return text[start:text.index("Nơi nhận", start)]


def test_two_templates_per_unit_named_like_the_workbook(generated):
    by_unit = {}
    for report in generated.reports:
        by_unit.setdefault(report.unit.code, []).append(report)
    assert sorted(by_unit) == ["03550", "CQ02"]
    for code, written in by_unit.items():
        workbook = next(f for f in generated.files if f.unit.code == code)
        assert [r.outline_id for r in written] == ["de-cuong-qcdc", "de-cuong-dvcq"]
        for report in written:
            outline = generated.campaign.outline(report.outline_id)
            assert report.path.parent == workbook.path.parent
            assert report.path.name == f"{workbook.path.stem}_{outline.file_name}.docx"
            assert report.path.is_file()
    assert {r.path.name for r in generated.reports} >= {"03550_Xa_Si_Lo_Lau_bao-cao-qcdc.docx",
                                                       "CQ02_Phong_Noi_vu_bao-cao-dvcq.docx"}
    manifest = generated.manifest.read_text(encoding="utf-8-sig")
    assert ".docx" not in manifest and manifest.splitlines()[0].startswith("unit_code,unit_name,group,file")


def test_headings_verbatim_in_order_with_bookmarks_and_styles(reports, generated):
    year = generated.campaign.year
    for _report, outline, document in reports:
        headings = _headings(document)
        assert [p.text for p in headings] == [s.text(year) for s in outline.sections]
        ids = []
        for para, section in zip(headings, outline.sections):
            assert para.style.name == ("Heading 1" if section.level == 1 else "Heading 2")
            starts = para._p.findall(qn("w:bookmarkStart"))
            assert [b.get(qn("w:name")) for b in starts] == [BOOKMARK_PREFIX + section.id.replace(".", "_")]
            ids.append(starts[0].get(qn("w:id")))
            assert [e.get(qn("w:id")) for e in para._p.findall(qn("w:bookmarkEnd"))] == ids[-1:]
        assert len(set(ids)) == len(ids)


def test_every_heading_is_the_seed_s_in_the_seed_s_order(campaign):
    seed = unicodedata.normalize("NFC", SEED.read_text(encoding="utf-8"))
    for outline in campaign.outlines:
        part, at = _seed_part(seed, outline, campaign.year), 0
        for section in outline.sections:
            found = part.find(section.text(campaign.year), at)
            assert found >= 0, (outline.id, section.text(campaign.year))
            at = found + len(section.text(campaign.year))


def test_title_letterhead_and_no_scope_line(reports, generated):
    campaign = generated.campaign
    for report, outline, document in reports:
        texts = [p.text for p in document.paragraphs]
        head = [p.text for p in document.tables[0].rows[0].cells[0].paragraphs]
        name = report.unit.header_name(campaign.group(report.unit.group))
        assert head[:2] == [campaign.issuer, name] and "Số: ....../BC-......" in head
        assert texts[:3] == [outline.title, *outline.subtitles(campaign.year)]
        assert outline.scope not in "\n".join(texts)
        assert HOW_TO in texts
        props = document.core_properties
        assert props.title == f"{' '.join(outline.subtitles(campaign.year))} - {report.unit.name}"
        assert props.author == campaign.receiving_office
    assert [p.text for p in reports[2][2].tables[0].rows[0].cells[0].paragraphs][:2] == \
        ["UBND HUYỆN PHONG THỔ", "PHÒNG NỘI VỤ"]
    assert [p.text for p in reports[0][2].tables[0].rows[0].cells[0].paragraphs][1] == "UBND XÃ SÌ LỞ LẦU"


def test_prompts_grey_italic_in_their_style_and_room_to_write(reports, generated):
    year = generated.campaign.year
    labels = {i.id: i.label for f in generated.campaign.figure_forms for i in f.indicators()}
    for _report, outline, document in reports:
        style = document.styles[PROMPT_STYLE]
        assert style.style_id == PROMPT_STYLE_ID and style.font.italic and str(style.font.color.rgb) == GREY
        paras = document.paragraphs
        for section in outline.sections:
            at = next(i for i, p in enumerate(paras) if p.text == section.text(year)
                      and p.style.name.startswith("Heading"))
            following = []
            for para in paras[at + 1:]:
                if para.style.name != PROMPT_STYLE:
                    break
                assert all(r.italic and str(r.font.color.rgb) == GREY for r in para.runs), para.text
                following.append(para.text)
            expected = ([section.prompt] if section.prompt else []) + [f"- {g}" for g in section.guidance]
            assert following[:len(expected)] == expected
            if section.figures:
                assert "'Số liệu'" in following[-1]
                for figure in section.figures:
                    assert labels[figure][1:] in following[-1]
            leaf = not outline.children(section.id)
            after = paras[at + 1 + len(following)]
            assert (after.style.name == "Normal" and after.text == "") is leaf


def test_headings_look_like_an_administrative_report(reports):
    document = reports[0][2]
    for name in ("Heading 1", "Heading 2"):
        style = document.styles[name]
        assert style.font.name == "Times New Roman" and style.font.bold and 13 <= style.font.size.pt <= 14
        assert str(style.font.color.rgb) == "000000"
        xml = style.element.xml
        assert "Theme" not in xml and "themeColor" not in xml and "themeShade" not in xml


def test_closing_blocks(reports, generated):
    for _report, outline, document in reports:
        left, right = document.tables[-1].rows[0].cells
        assert left.paragraphs[0].text == "Nơi nhận:" and left.paragraphs[0].runs[0].italic
        assert [p.text for p in left.paragraphs[1:]] == ["- UBND huyện Phong Thổ (qua Phòng Nội vụ);",
                                                         "- Lưu: VT."]
        signer = [p.text for p in right.paragraphs]
        assert signer[:2] == [outline.signature_title, outline.signature_hint]


def test_identity_signed_with_the_campaign_key(reports, generated):
    campaign = generated.campaign
    key = load_key(Path(campaign.secret_key_file))
    file_ids = {f.file_id for f in generated.files}
    for report, outline, _document in reports:
        meta = _custom(report.path)
        assert set(meta) == KEYS
        assert meta["format"] == REPORT_FORMAT and meta["unit_code"] == report.unit.code
        assert meta["outline_id"] == outline.id and meta["outline_sha256"] == outline.content_hash
        assert meta["campaign_id"] == campaign.id and meta["file_id"] == report.file_id
        assert verify(meta, key)
        assert not verify({**meta, "unit_code": "03549"}, key)
        file_ids.add(meta["file_id"])
    assert len(file_ids) == len(generated.files) + len(reports)  # fresh per file


def test_package_declares_the_custom_part_and_is_nfc(reports):
    for report, _outline, _document in reports:
        with zipfile.ZipFile(report.path) as archive:
            assert "docProps/custom.xml" in archive.read("[Content_Types].xml").decode()
            assert "relationships/custom-properties" in archive.read("_rels/.rels").decode()
            for name in ("word/document.xml", "word/styles.xml", "docProps/core.xml", "docProps/custom.xml"):
                text = archive.read(name).decode("utf-8")
                assert unicodedata.is_normalized("NFC", text), name


def test_same_identity_same_bytes(generated):
    campaign, unit = generated.campaign, generated.files[0].unit
    identity = FileIdentity("f" * 8, dt.datetime(2023, 10, 2, 9, 0, tzinfo=campaign.timezone))
    outline = campaign.outlines_for(unit)[0]
    assert build_report(campaign, unit, outline, identity, b"k" * 32) == \
        build_report(campaign, unit, outline, identity, b"k" * 32)


def test_printed_whole(office, reports, generated, tmp_path):
    """Printed by LibreOffice: the header block and title lines whole on page 1, page numbers from
    page 2, no word broken; pages 1 and last as PNG for a look."""
    campaign = generated.campaign
    for report, outline, _document in reports:
        pages = pdf_pages(office, report.path, tmp_path)
        first = _lines(pages[0])
        for whole in (MOTTO, MOTTO_SUB, outline.title, *outline.subtitles(campaign.year)):
            assert any(whole in line for line in first), (whole, first[:12])
        name = report.unit.header_name(campaign.group(report.unit.group))
        assert campaign.issuer in first[0] and name.split()[0] in first[1]
        assert first[0] != "1"
        for number, page in enumerate(pages[1:], start=2):
            assert _lines(page)[0] == str(number)
        shown = {w for page in pages for line in _lines(page) for w in line.split()}
        broken = shown - document_words(report.path) - {str(n) for n in range(1, len(pages) + 1)}
        assert not broken, sorted(broken)[:20]
        assert any(outline.signature_title in line for line in _lines(pages[-1]))
    pdf = tmp_path / (reports[0][0].path.stem + ".pdf")
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=120)
    assert len(list(tmp_path.glob("page-*.png"))) >= 2
