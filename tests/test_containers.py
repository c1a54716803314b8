"""The inbox as it really arrives: zip archives, saved e-mails, reports beside the workbooks.

Every file and every member of a container has its row in submissions.csv, with a verdict and a
reason; nothing is extracted to disk and the inbox is byte-identical after the run.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
import tempfile
import unicodedata
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLE
from workbook_tools.cli import main
from workbook_tools.demo.fill import fast_fill, sample_figures, sample_scores
from workbook_tools.generate.run import generate_campaign
from workbook_tools.read.containers import ContainerLimits
from workbook_tools.read.inbox import read_candidate, scan_inbox

ZONE = dt.timezone(dt.timedelta(hours=7))
ON_TIME = dt.datetime(2023, 11, 5, 9, 0, tzinfo=ZONE)
UNITS = ("03391", "03549", "03550", "CQ01", "CQ02", "CQ03")


@pytest.fixture(scope="module")
def workbooks(campaign, tmp_path_factory) -> dict[str, bytes]:
    issued = generate_campaign(SAMPLE, tmp_path_factory.mktemp("issued"), units=UNITS)
    filled = {}
    for item in issued.files:
        rng = random.Random(item.unit.code)
        filled[item.unit.code] = fast_fill(campaign, item.path.read_bytes(), sample_scores(campaign, rng, 0.8),
                                           sample_figures(campaign, rng), ON_TIME)
    return filled


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Text as Windows' own zip writer stores it on a Vietnamese system (tone marks combining)."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:  # a toned vowel: the vowel (with its own mark), then the tone, combining
            parts = unicodedata.normalize("NFD", char)
            tone = next(c for c in parts if c in TONES)
            base = unicodedata.normalize("NFC", parts.replace(tone, ""))
            out += base.encode("cp1258") + tone.encode("cp1258")
    return out


def windows_zip(members: dict[str, bytes]) -> bytes:
    """A zip whose names are in cp1258 without the UTF-8 flag, as Windows Explorer writes them."""
    raw_names = {name: cp1258(name) for name in members}
    placeholders = {name: (b"%03d" % i) + b"x" * (len(raw) - 3) for i, (name, raw) in enumerate(raw_names.items())}
    data = zip_of({placeholders[n].decode("ascii"): d for n, d in members.items()})
    for name, raw in raw_names.items():
        assert data.count(placeholders[name]) == 2
        data = data.replace(placeholders[name], raw)
    return data


def flag_encrypted(data: bytes, name: str) -> bytes:
    """Set the 'encrypted' bit of one member in both its local and its central header."""
    raw = bytearray(data)
    for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = 0
        while (at := raw.find(signature, start)) >= 0:
            if raw[at + name_at:at + name_at + len(name)] == name.encode():
                raw[at + flag_at] |= 0x01
            start = at + 4
    return bytes(raw)


def email_with(attachments: dict[str, bytes], sent: dt.datetime) -> bytes:
    message = EmailMessage()
    message["From"] = "vanthu.xa@example.vn"
    message["To"] = "phongnoivu@example.vn"
    message["Subject"] = "Gửi biểu chấm điểm và báo cáo QCDC năm 2023"
    message["Date"] = format_datetime(sent)
    message.set_content("Kính gửi Phòng Nội vụ, xã gửi kèm biểu mẫu và báo cáo.")
    for name, data in attachments.items():
        maintype, subtype = ("application", "octet-stream")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


DOCX = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"})
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(scope="module")
def inbox(workbooks, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("inbox")
    (root / "zalo").mkdir()
    # a unit's folder zipped with 7-Zip (UTF-8 names): its workbook and its report
    (root / "zalo" / "Xa La Nhi Thang.zip").write_bytes(zip_of({
        "03391 Xã Lả Nhì Thàng/bieu-cham-diem.xlsx": workbooks["03391"],
        "03391 Xã Lả Nhì Thàng/Báo cáo QCDC.docx": DOCX}))
    # Windows' own "compressed folder": names in cp1258, no UTF-8 flag
    (root / "thị trấn.zip").write_bytes(windows_zip({
        "Thị trấn Phong Thổ/Biểu chấm điểm.xlsx": workbooks["03549"],
        "Thị trấn Phong Thổ/Báo cáo dân vận.pdf": PDF}))
    # nested archives, an encrypted member, a member escaping its folder, a bomb inside
    inner = zip_of({"CQ01.xlsx": workbooks["CQ01"]})
    nested = zip_of({"lan-1/inner.zip": inner, "mat-khau.xlsx": workbooks["CQ02"], "../../thoat-ra.xlsx": b"x",
                     "bom.xlsx": b"\x00" * 30_000_000})
    (root / "nhieu-lop.zip").write_bytes(flag_encrypted(nested, "mat-khau.xlsx"))
    # an e-mail saved from webmail with the workbook and the report of one unit
    (root / "thu-cq03.eml").write_bytes(email_with({"bieu-mau.xlsx": workbooks["CQ03"], "bao-cao.docx": DOCX},
                                                   dt.datetime(2023, 11, 7, 16, 30, tzinfo=ZONE)))
    # reports beside the workbooks; archives and mail this tool cannot open
    (root / "03550_bieu.xlsx").write_bytes(workbooks["03550"])
    (root / "03550_Bao cao QCDC.docx").write_bytes(DOCX)
    (root / "Báo cáo gửi Phòng Nội vụ.docx").write_bytes(b"a text file renamed .docx")
    (root / "tong-hop.rar").write_bytes(b"Rar!\x1a\x07\x00" + b"\x00" * 64)
    (root / "tong-hop.7z").write_bytes(b"7z\xbc\xaf\x27\x1c" + b"\x00" * 64)
    (root / "thu-outlook.msg").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    return root


def tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def collected(inbox, tmp_path_factory):
    before = tree(inbox)
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["collect", str(SAMPLE), "--inbox", str(inbox), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert tree(inbox) == before, "the inbox must never change"
    assert {p.name for p in out.rglob("*.xlsx")} == {"tong-hop.xlsx", "nhac-viec.xlsx"}  # nothing unpacked
    with (out / "submissions.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["file"]: r for r in csv.DictReader(handle)}
    return out, rows


def test_every_file_and_member_has_a_row(inbox, collected):
    _, rows = collected
    on_disk = sum(1 for p in inbox.rglob("*") if p.is_file())
    members = [name for name in rows if "::" in name]
    assert len(rows) == on_disk + len(members)
    assert len(members) == 2 + 2 + 5 + 2  # two zips of two, the nested zip (4 + 1 inside), the e-mail
    assert all(r["verdict"] and (r["reason"] or r["verdict"] == "used") for r in rows.values())


def test_members_of_zips_and_mails_are_read_in_place(collected):
    _, rows = collected
    used = {r["unit_code"]: name for name, r in rows.items() if r["verdict"] == "used"}
    assert used == {
        "03391": "zalo/Xa La Nhi Thang.zip::03391 Xã Lả Nhì Thàng/bieu-cham-diem.xlsx",
        "03549": "thị trấn.zip::Thị trấn Phong Thổ/Biểu chấm điểm.xlsx",
        "CQ01": "nhieu-lop.zip::lan-1/inner.zip::CQ01.xlsx",
        "CQ03": "thu-cq03.eml::bieu-mau.xlsx",
        "03550": "03550_bieu.xlsx"}
    for name in ("zalo/Xa La Nhi Thang.zip", "thị trấn.zip", "nhieu-lop.zip", "nhieu-lop.zip::lan-1/inner.zip",
                 "thu-cq03.eml"):
        assert rows[name]["verdict"] == "opened" and "đã mở" in rows[name]["reason"], name


def test_what_cannot_be_opened_says_what_to_do(collected):
    _, rows = collected
    rejected = {name: r["reason"] for name, r in rows.items() if r["verdict"] == "rejected"}
    assert "mật khẩu" in rejected["nhieu-lop.zip::mat-khau.xlsx"]
    assert "ra ngoài thư mục" in rejected["nhieu-lop.zip::../../thoat-ra.xlsx"]
    assert "zip bomb" in rejected["nhieu-lop.zip::bom.xlsx"]
    assert "7-Zip hoặc WinRAR" in rejected["tong-hop.rar"] and "7-Zip hoặc WinRAR" in rejected["tong-hop.7z"]
    assert ".eml" in rejected["thu-outlook.msg"]
    assert len(rejected) == 6


def test_reports_are_attached_to_their_unit(collected):
    out, rows = collected
    attached = {name: r["unit_code"] for name, r in rows.items() if r["verdict"] == "attached"}
    assert attached == {
        "zalo/Xa La Nhi Thang.zip::03391 Xã Lả Nhì Thàng/Báo cáo QCDC.docx": "03391",  # sent with its workbook
        "thị trấn.zip::Thị trấn Phong Thổ/Báo cáo dân vận.pdf": "03549",
        "thu-cq03.eml::bao-cao.docx": "CQ03",          # the same e-mail carries CQ03's workbook
        "03550_Bao cao QCDC.docx": "03550",            # its name starts with the unit code
        "Báo cáo gửi Phòng Nội vụ.docx": ""}          # names the receiving office only: no unit
    sheet = openpyxl.load_workbook(out / "tong-hop.xlsx")["Tình hình nộp"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "STT")
    column = header.index("Tài liệu gửi kèm")
    by_code = {r[1]: r[column] for r in sheet.iter_rows(values_only=True) if r and r[1] in ("03391", "CQ03")}
    # printed with a space after '::' so a long name may break there (the CSVs keep the exact name)
    assert by_code == {"03391": "zalo/Xa La Nhi Thang.zip:: 03391 Xã Lả Nhì Thàng/Báo cáo QCDC.docx",
                       "CQ03": "thu-cq03.eml:: bao-cao.docx"}


def test_members_are_read_again_from_their_container(campaign, inbox, workbooks):
    found = {f.rel: f for f in scan_inbox(inbox, campaign.max_file_bytes)}
    member = found["nhieu-lop.zip::lan-1/inner.zip::CQ01.xlsx"]
    assert member.inner == ("lan-1/inner.zip", "CQ01.xlsx") and member.container == "nhieu-lop.zip::lan-1/inner.zip"
    assert read_candidate(member, ContainerLimits()) == workbooks["CQ01"]
    mail = found["thu-cq03.eml::bieu-mau.xlsx"]
    assert mail.sent_at == dt.datetime(2023, 11, 7, 16, 30, tzinfo=ZONE)
    assert read_candidate(mail, ContainerLimits()) == workbooks["CQ03"]


def test_nesting_and_unpacking_are_bounded(campaign, workbooks, tmp_path):
    """Four archives deep is refused at the fourth; a container is not unpacked past its total."""
    deep = workbooks["CQ01"]
    for level in range(4):
        deep = zip_of({f"lop-{level}.zip" if level else "CQ01.xlsx": deep})
    (tmp_path / "sau.zip").write_bytes(deep)
    found = {f.rel: f for f in scan_inbox(tmp_path, campaign.max_file_bytes)}
    deepest = max(found.values(), key=lambda f: len(f.inner))
    assert len(deepest.inner) == 3 and deepest.kind == "rejected" and "lồng nhau" in deepest.reason
    many = zip_of({f"{i}.xlsx": workbooks["CQ01"] for i in range(40)})
    (tmp_path / "sau.zip").unlink()
    (tmp_path / "nhieu.zip").write_bytes(many)
    small = ContainerLimits(max_total_bytes=len(workbooks["CQ01"]) * 10)
    from workbook_tools.read.containers import Budget, open_container
    members = open_container("zip", many, Budget(small))
    assert sum(m.data is not None for m in members) == 10
    assert all("tổng dung lượng" in m.reason for m in members if m.data is None)


# ----- hostile and fuzzed containers ---------------------------------------------------------------

def test_lying_and_oversized_members_are_refused(campaign, workbooks, tmp_path):
    from tests.test_hostile import lying_sizes

    big = zip_of({"ok.xlsx": workbooks["CQ01"], "lies.xlsx": b"A" * 2_000_000})
    (tmp_path / "noi-doi.zip").write_bytes(lying_sizes(big, "lies.xlsx"))
    many = zip_of({f"{i}.txt": b"x" for i in range(1_200)})
    (tmp_path / "nhieu.zip").write_bytes(many)
    (tmp_path / "to.eml").write_bytes(email_with({"a.xlsx": workbooks["CQ01"]}, dt.datetime(2023, 11, 1, tzinfo=ZONE))
                                      + b"\n" * 10)
    found = {f.rel: f for f in scan_inbox(tmp_path, campaign.max_file_bytes)}
    assert found["noi-doi.zip::lies.xlsx"].kind == "rejected" and "hỏng" in found["noi-doi.zip::lies.xlsx"].reason
    assert found["noi-doi.zip::ok.xlsx"].kind == "candidate"
    assert found["nhieu.zip"].kind == "rejected" and "quá nhiều tệp" in found["nhieu.zip"].reason
    assert found["to.eml::a.xlsx"].kind == "candidate"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_broken_containers_never_stop_the_walk(campaign, workbooks, tmp_path, data):
    """Random bytes, truncated and flipped archives and e-mails: every one gets rows and reasons."""
    good_zip = zip_of({"a/CQ01.xlsx": workbooks["CQ01"], "b.docx": DOCX})
    good_mail = email_with({"CQ01.xlsx": workbooks["CQ01"]}, dt.datetime(2023, 11, 1, tzinfo=ZONE))
    source = data.draw(st.sampled_from([good_zip, good_mail]))
    cut = data.draw(st.integers(0, len(source)))
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(source) - 1), st.integers(0, 255)), max_size=8))
    body = bytearray(source[:cut] + data.draw(st.binary(max_size=64)) + source[cut:] if data.draw(st.booleans())
                     else source[:cut])
    for at, byte in flips:
        if at < len(body):
            body[at] = byte
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    suffix = ".zip" if source is good_zip else ".eml"
    (folder / f"thu{suffix}").write_bytes(bytes(body))
    found = scan_inbox(folder, campaign.max_file_bytes)
    assert found and found[0].rel == f"thu{suffix}"
    assert all(f.kind in ("candidate", "attached", "opened", "ignored", "rejected") for f in found)
    assert all(f.reason or f.kind == "candidate" for f in found)
    for entry in found:
        if entry.kind == "candidate":
            assert read_candidate(entry, ContainerLimits(max_member_bytes=campaign.max_file_bytes)) is not None


# ----- found in review ------------------------------------------------------------------------------

def test_repeated_names_mac_extras_and_mislabelled_attachments(campaign, workbooks, tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xlsx", workbooks["CQ01"])
        with pytest.warns(UserWarning):
            archive.writestr("a.xlsx", b"\x00" * 30_000_000)  # the same name again, hiding a bomb
        archive.writestr("__MACOSX/._a.xlsx", b"\x00\x05\x16\x07")
    (tmp_path / "trung.zip").write_bytes(out.getvalue())
    (tmp_path / "._bao-cao.docx").write_bytes(b"\x00\x05\x16\x07")
    mail = EmailMessage()
    mail["Date"] = "Mon, 06 Nov 2023 20:00:00"  # no time zone: the campaign's time, not UTC
    mail.set_content("x")
    mail.add_attachment(workbooks["CQ03"], maintype="text", subtype="plain", filename="cq03.xlsx")
    (tmp_path / "thu.eml").write_bytes(mail.as_bytes())
    found = {f.rel: f for f in scan_inbox(tmp_path, campaign.max_file_bytes)}
    assert found["trung.zip::a.xlsx"].kind == "candidate"
    assert found["trung.zip::a.xlsx [2]"].kind == "rejected" and "trùng tên" in found["trung.zip::a.xlsx [2]"].reason
    assert read_candidate(found["trung.zip::a.xlsx"], ContainerLimits()) == workbooks["CQ01"]
    assert found["trung.zip::__MACOSX/._a.xlsx"].kind == "ignored" and found["._bao-cao.docx"].kind == "ignored"
    assert read_candidate(found["thu.eml::cq03.xlsx"], ContainerLimits()) == workbooks["CQ03"]
    assert found["thu.eml::cq03.xlsx"].sent_at.tzinfo is None
    from workbook_tools.collect.pipeline import collect
    received = next(o for o in collect(campaign, tmp_path).files if o.found.rel == "thu.eml::cq03.xlsx").received_at
    assert received == dt.datetime(2023, 11, 6, 20, 0, tzinfo=campaign.timezone)


def test_names_of_the_office_and_the_district_tell_no_unit(campaign, workbooks, tmp_path):
    for name in ("Bao cao gui Phong Noi vu huyen Phong Tho.pdf", "Báo cáo QCDC huyện Phong Thổ năm 2023.docx",
                 "Báo cáo thị trấn Phong Thổ.docx"):
        (tmp_path / name).write_bytes(PDF)
    (tmp_path / "thu.eml").write_bytes(email_with({"cq01.xlsx": workbooks["CQ01"], "Bao cao xa Lả Nhì Thàng.pdf": PDF},
                                                  dt.datetime(2023, 11, 1, tzinfo=ZONE)))
    from workbook_tools.collect.pipeline import collect
    units = {o.found.rel: o.unit_code for o in collect(campaign, tmp_path).files if o.verdict == "attached"}
    assert units == {"Bao cao gui Phong Noi vu huyen Phong Tho.pdf": "",
                     "Báo cáo QCDC huyện Phong Thổ năm 2023.docx": "",
                     "Báo cáo thị trấn Phong Thổ.docx": "03549",
                     "thu.eml::Bao cao xa Lả Nhì Thàng.pdf": "CQ01"}  # the e-mail is CQ01's
