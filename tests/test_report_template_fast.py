"""Report templates made fast: each group's document for an outline built once for a marker unit, then
patched per unit (header name and the rule under it, core and custom properties). A patched template is
the one ``build_report`` gives, for units whose names hold '&', '<' and quotes too; the reader finds its
identity and every heading by its bookmark; ``generate`` writes them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from tests.helpers import campaign_copy
from workbook_tools.form.identity import BOOKMARK_PREFIX, FileIdentity, bookmark_name
from workbook_tools.form.signing import load_key, verify
from workbook_tools.generate.report_template import (
    CORE,
    CUSTOM,
    DOCUMENT,
    build_report,
    build_report_template,
    instantiate_report,
    member,
    zip_members,
)
from workbook_tools.generate.run import generate_campaign
from workbook_tools.read.report import SectionText, read_report
from workbook_tools.spec.campaign import Unit

CODES = ("03550", "CQ02", "CQ08")
ODD_NAME = 'Phòng Lao động - Thương binh & Xã hội <thử> "mới"'  # CQ08's name in the roster copy
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    """The three units generated from a campaign copy whose roster names CQ08 with '&', '<' and quotes."""
    folder = campaign_copy(tmp_path_factory.mktemp("fast") / "campaign")
    roster = folder / "roster.csv"
    rows = list(csv.reader(io.StringIO(roster.read_text(encoding="utf-8-sig"))))
    rows = [[code, ODD_NAME if code == "CQ08" else name, group] for code, name, group in rows]
    with roster.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return generate_campaign(folder / "campaign.yaml", folder / "out", units=CODES)


@pytest.fixture(scope="module")
def key(result) -> bytes:
    return load_key(Path(result.campaign.secret_key_file))


@pytest.fixture(scope="module")
def templates(result):
    """Every (group, outline) template, made for a time other than the units' identities."""
    campaign = result.campaign
    when = dt.datetime(2023, 9, 30, 23, 59, 59, tzinfo=campaign.timezone)
    return {(g.id, o.id): build_report_template(campaign, g.id, o, when)
            for g in campaign.groups for o in campaign.outlines}


def _identity(number: int) -> FileIdentity:
    return FileIdentity(f"file-{number}", dt.datetime(2023, 10, 2, 9, 0, 7, tzinfo=dt.timezone.utc))


def _cases(result):
    campaign = result.campaign
    for number, code in enumerate(CODES):
        unit = campaign.units_by_code[code]
        for outline in campaign.outlines_for(unit):
            yield unit, outline, _identity(number)


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _paragraphs(xml: bytes) -> list[tuple[str, str, tuple[str, ...]]]:
    """(style id, text, bookmark names) of every paragraph of document.xml, tables' included."""
    return [(next((s.get(f"{W}val") for s in p.iter(f"{W}pStyle")), ""),
             "".join(t.text or "" for t in p.iter(f"{W}t")),
             tuple(b.get(f"{W}name") for b in p.iter(f"{W}bookmarkStart")))
            for p in ElementTree.fromstring(xml).iter(f"{W}p")]


def _custom(xml: bytes) -> dict[str, str]:
    root = ElementTree.fromstring(xml)
    return {p.get("name").removeprefix("wt_"): "".join(p.itertext())
            for p in root.iter(f"{CUSTOM_NS}property")}


def test_the_roster_copy_names_a_unit_with_markup_characters(result):
    assert result.campaign.units_by_code["CQ08"].name == ODD_NAME
    assert [f.unit.code for f in result.files] == list(CODES)


def test_patched_equals_built_part_by_part(result, templates, key):
    campaign = result.campaign
    for unit, outline, identity in _cases(result):
        template = templates[unit.group, outline.id]
        patched = instantiate_report(template, campaign, unit, outline, identity, key)
        built = build_report(campaign, unit, outline, identity, key)
        mine, reference = _parts(patched), _parts(built)
        assert list(mine) == list(reference)
        for name in set(reference) - {DOCUMENT, CORE, CUSTOM}:
            assert mine[name] == reference[name], name
        paragraphs = _paragraphs(mine[DOCUMENT])
        assert paragraphs == _paragraphs(reference[DOCUMENT])
        header = unit.header_name(campaign.group(unit.group))
        assert sum(text == header for _style, text, _marks in paragraphs) == 1
        assert [marks for _style, _text, marks in paragraphs if marks] == \
            [(bookmark_name(s.id),) for s in outline.sections]
        meta = _custom(mine[CUSTOM])
        assert meta == _custom(reference[CUSTOM]) and verify(meta, key)
        assert [meta["unit_code"], meta["unit_name"], meta["file_id"]] == [unit.code, unit.name,
                                                                           identity.file_id]
        assert meta["generated_at"] == "2023-10-02T09:00:07+00:00"
        core = ElementTree.fromstring(mine[CORE])
        assert core.find(f"{DC}title").text.endswith(f" - {unit.name}")
        assert ElementTree.tostring(core) == ElementTree.tostring(ElementTree.fromstring(reference[CORE]))
        for name in (DOCUMENT, CORE, CUSTOM):
            assert unicodedata.is_normalized("NFC", mine[name].decode("utf-8")), name
        assert patched == built  # the very bytes, zip headers included


def test_markup_characters_are_escaped(result, templates, key):
    campaign = result.campaign
    unit = campaign.units_by_code["CQ08"]
    outline = campaign.outlines_for(unit)[0]
    data = instantiate_report(templates[unit.group, outline.id], campaign, unit, outline, _identity(7), key)
    parts = _parts(data)
    assert "THƯƠNG BINH &amp; XÃ HỘI &lt;THỬ&gt; \"MỚI\"" in parts[DOCUMENT].decode()
    for name in (CORE, CUSTOM):
        assert "&amp; Xã hội &lt;thử&gt;" in parts[name].decode()
    document = docx.Document(io.BytesIO(data))
    header = unit.header_name(campaign.group(unit.group))
    assert document.tables[0].rows[0].cells[0].paragraphs[1].text == header
    assert document.core_properties.title.endswith(ODD_NAME)


def test_same_bytes_for_the_same_identity_and_slow_way_for_odd_texts(result, templates, key):
    campaign = result.campaign
    unit = campaign.units_by_code["03550"]
    outline = campaign.outlines_for(unit)[1]
    template = templates[unit.group, outline.id]
    once = instantiate_report(template, campaign, unit, outline, _identity(1), key)
    assert once == instantiate_report(template, campaign, unit, outline, _identity(1), key)
    assert once != instantiate_report(template, campaign, unit, outline, _identity(2), key)
    for name in ("Xã\tSì Lở Lầu", "Xã Sì Lở\nLầu", unicodedata.normalize("NFD", "Xã Sì Lở Lầu")):
        odd = Unit(code="03550", name=name, group=unit.group, line=1)
        assert instantiate_report(template, campaign, odd, outline, _identity(1), key) == \
            build_report(campaign, odd, outline, _identity(1), key)
    with pytest.raises(ValueError):
        instantiate_report(templates["co_quan", outline.id], campaign, unit, outline, _identity(1), key)
    with pytest.raises(ValueError):
        instantiate_report(templates[unit.group, campaign.outlines_for(unit)[0].id], campaign, unit, outline,
                           _identity(1), key)


def test_zip_members_writes_what_zipfile_writes():
    parts = {"[Content_Types].xml": b"<Types/>", "word/document.xml": "Xã Sì Lở Lầu ".encode() * 2000,
             "media/đồ thị.bin": bytes(range(256)) * 9, "empty.xml": b""}
    when = dt.datetime(2023, 10, 2, 9, 0, 7)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=when.timetuple()[:6]), data,
                             compress_type=zipfile.ZIP_DEFLATED)
    mine = zip_members([member(n, d) for n, d in parts.items()], when)
    assert mine == out.getvalue()
    with zipfile.ZipFile(io.BytesIO(mine)) as archive:
        assert archive.testzip() is None and {n: archive.read(n) for n in archive.namelist()} == parts


def test_the_reader_finds_the_identity_and_every_heading_by_its_bookmark(result, key):
    campaign = result.campaign
    for report in result.reports:
        data = report.path.read_bytes()
        read = read_report(campaign, None, data, key)
        assert (read.outline_id, read.unit_code, read.file_id) == (report.outline_id, report.unit.code,
                                                                   report.file_id)
        assert read.sections == () and [p.code for p in read.problems] == ["REPORT_SECTIONS_EMPTY"]
        outline = campaign.outline(report.outline_id)
        renamed = _renamed_and_written(data)
        read = read_report(campaign, None, renamed, key)
        assert read.unit_code == report.unit.code and read.problems == ()
        assert read.sections == tuple(SectionText(s.id, f"Phần số {n}", f"Nội dung của phần {s.id}")
                                      for n, s in enumerate(outline.sections, start=1))


def _renamed_and_written(data: bytes) -> bytes:
    """The template with every heading reworded past recognition (its bookmark kept) and a line written
    under it, saved by python-docx."""
    document = docx.Document(io.BytesIO(data))
    headings = [p for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    for number, para in enumerate(headings, start=1):
        para.runs[0].text = f"Phần số {number}"
        mark = para._p.find(qn("w:bookmarkStart")).get(qn("w:name"))
        section_id = mark.removeprefix(BOOKMARK_PREFIX).replace("_", ".")
        line = OxmlElement("w:p")
        para._p.addnext(line)
        Paragraph(line, para._parent).add_run(f"Nội dung của phần {section_id}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_generate_writes_the_bytes_build_report_gives(result, key):
    campaign = result.campaign
    assert len(result.reports) == 2 * len(CODES)
    for report in result.reports:
        meta = _custom(_parts(report.path.read_bytes())[CUSTOM])
        identity = FileIdentity(report.file_id, dt.datetime.fromisoformat(meta["generated_at"]))
        outline = campaign.outline(report.outline_id)
        assert report.path.read_bytes() == build_report(campaign, report.unit, outline, identity, key)
