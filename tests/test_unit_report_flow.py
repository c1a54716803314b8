"""The units' narrative reports end to end, through the CLI: templates issued by ``generate``, filled
as a unit would (paragraphs and a table under several headings), one re-saved by LibreOffice Writer,
a report a unit wrote itself, a .doc, a hostile .docx and two different versions of one report
dropped into the inbox; ``collect`` places every text in its section of the CSV and of the compiled
document, accounts for every file and says what the officer must do."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from tests.helpers import campaign_copy
from workbook_tools.cli import main
from workbook_tools.demo.reports import fill_template
from workbook_tools.generate.run import generate_campaign
from workbook_tools.results.contracts import UNIT_REPORTS_NAME

UNITS = ("03550", "03553", "03549", "03391", "CQ02")
QCDC, DVCQ = "de-cuong-qcdc", "de-cuong-dvcq"
TEXTS = {"i.1": "Xã có 9 thôn, bản; UBND xã có 20 cán bộ, công chức.",
         "iii.1": "Hội nghị cán bộ, công chức tổ chức ngày 15/01/2023.\nCông khai tài chính hằng quý.",
         "iv.2": "Tuyên truyền ở vùng sâu chưa thường xuyên.",
         "vi": "Đề nghị huyện tập huấn cho Ban Thanh tra nhân dân."}
TABLE = {"iii.1": [["Nội dung", "Số lượng"], ["Nâng lương", "5"]]}
FOREIGN = [("h", "Phần I - Đặc điểm tình hình"), ("p", "Xã vùng cao biên giới, 7 bản."),
           ("h", "III) Ket qua thuc hien nam 2023"), ("p", "Tổ chức hội nghị đầu năm."),
           ("h", "IV - ĐÁNH GIÁ CHUNG"), ("h", "2) Tồn tại, hạn chế và nguyên nhân"),
           ("p", "Cán bộ chưa nắm chắc Luật."), ("h", "VI - Kiến nghị, đề xuất"),
           ("p", "Đề nghị cấp tài liệu song ngữ.")]


def _foreign(lines) -> bytes:
    document = docx.Document()
    for kind, text in lines:
        run = document.add_paragraph().add_run(text)
        run.bold = kind == "h"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * 60_000_000 + b"</w:document>")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def collected(tmp_path_factory, office):
    """The inbox described above, collected by the CLI; returns the results folder."""
    root = tmp_path_factory.mktemp("reports")
    folder = campaign_copy(root / "dot")
    generated = generate_campaign(folder / "campaign.yaml", root / "phat-hanh", units=UNITS)
    inbox = root / "hop-thu"
    (inbox / "zalo").mkdir(parents=True)
    reports = {(r.unit.code, r.outline_id): r for r in generated.reports}
    filled = root / "filled.docx"
    filled.write_bytes(fill_template(reports[("03550", QCDC)], TEXTS, TABLE))
    office.resave_docx(filled, inbox / "zalo" / "bao cao gui huyen.docx")  # any name: the identity tells
    (inbox / "zalo" / "dvcq.docx").write_bytes(fill_template(reports[("03550", DVCQ)], {"v": "Phương hướng."}, {}))
    (inbox / "03553 Bao cao QCDC.docx").write_bytes(_foreign(FOREIGN))
    (inbox / "Bao cao QCDC.docx").write_bytes(_foreign(FOREIGN))  # nothing tells whose
    (inbox / "03549 bao cao.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (inbox / "03391 bao cao.docx").write_bytes(_bomb())
    for name, text in (("CQ02 bao cao QCDC.docx", "Bản thứ nhất."), ("CQ02 bao cao QCDC (1).docx", "Bản thứ hai.")):
        path = inbox / name
        path.write_bytes(_foreign(FOREIGN[:4] + [("h", "V. PHƯƠNG HƯỚNG"), ("p", text)]))
        os.utime(path, (1_700_000_000, 1_700_000_000))  # the same receipt time: no telling which is last
    out = root / "tong-hop"
    result = CliRunner().invoke(main, ["collect", str(folder / "campaign.yaml"), "--inbox", str(inbox),
                                       "--out", str(out)])
    assert result.exit_code in (0, 1), result.output
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def _texts(out: Path, unit: str, report: str) -> dict[str, str]:
    return {row["section_id"]: row["text"] for row in _rows(out / UNIT_REPORTS_NAME)
            if row["unit_code"] == unit and row["report_id"] == report}


def test_template_resaved_by_writer_lands_in_its_sections(collected):
    texts = _texts(collected, "03550", QCDC)
    assert texts["i.1"] == TEXTS["i.1"] and texts["iv.2"] == TEXTS["iv.2"] and texts["vi"] == TEXTS["vi"]
    assert texts["iii.1"].startswith(TEXTS["iii.1"]) and "Nâng lương | 5" in texts["iii.1"]
    assert not any("Phòng Nội vụ" in t or "Số liệu" in t for t in texts.values())  # prompts not read
    assert _texts(collected, "03550", DVCQ) == {"v": "Phương hướng."}


def test_foreign_report_placed_by_its_headings(collected):
    texts = _texts(collected, "03553", QCDC)
    assert texts["i"] == "Xã vùng cao biên giới, 7 bản." or texts.get("i.1") == "Xã vùng cao biên giới, 7 bản."
    assert "Tổ chức hội nghị đầu năm." in (texts.get("iii", "") + texts.get("iii.1", ""))
    assert texts["iv.2"] == "Cán bộ chưa nắm chắc Luật." and texts["vi"] == "Đề nghị cấp tài liệu song ngữ."


def test_every_file_accounted_and_the_officer_told(collected):
    issues = _rows(collected / "issues.csv")
    codes = {(row["code"], row["unit_code"]) for row in issues}
    assert ("REPORT_NOT_READ", "03549") in codes
    assert ("REPORT_UNREADABLE", "03391") in codes
    assert ("REPORT_SEVERAL", "CQ02") in codes
    assert ("REPORT_UNIT_UNKNOWN", "") in codes
    assert ("REPORT_SECTIONS_EMPTY", "03550") in codes
    assert not _texts(collected, "CQ02", QCDC)  # none picked silently
    files = {row["file"]: row for row in _rows(collected / "submissions.csv")}
    assert all(name in " ".join(files) for name in ("bao cao gui huyen.docx", "03549 bao cao.doc", "03391 bao cao.docx"))


def test_compiled_document_and_summary_sheet(collected):
    document = docx.Document(str(collected / "tong-hop-bao-cao-don-vi.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert TEXTS["vi"] in text and "Đề nghị cấp tài liệu song ngữ." in text
    assert text.index("Xã Sì Lở Lầu") < text.index(TEXTS["vi"])
    sheet = openpyxl.load_workbook(collected / "tong-hop.xlsx")["Báo cáo đơn vị"]
    rows = {row[1]: row for row in sheet.iter_rows(values_only=True) if row and row[1] in UNITS}
    assert rows["03550"][3].startswith("Đã gửi") and rows["03549"][3] == "Chưa gửi"
    assert "III.2" in rows["03550"][4]
