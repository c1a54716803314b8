"""Back to the units: a message per unit that must act, the officer's list with contacts, check FILE."""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLE
from tests.helpers import campaign_copy
from workbook_tools.cli import main
from workbook_tools.demo.fill import fast_fill, sample_figures, sample_scores
from workbook_tools.form.layout import plan_criteria
from workbook_tools.generate.run import generate_campaign
from workbook_tools.spec.base import format_points
from workbook_tools.spec.campaign import load_campaign

ZONE = dt.timezone(dt.timedelta(hours=7))
RECEIVED = dt.datetime(2023, 11, 6, 8, 30, tzinfo=ZONE)


@pytest.fixture()
def campaign_dir(tmp_path) -> Path:
    """The sample campaign with contacts for two units in its roster."""
    folder = campaign_copy(tmp_path / "dot")
    roster = (SAMPLE.parent / "roster.csv").read_text(encoding="utf-8").splitlines()
    lines = [roster[0] + ",contact,phone,email"]
    contacts = {"03391": ",Ông Lò Văn A,0912 345 678,vanthu.lanhithang@example.vn",
                "CQ01": ",Bà Nguyễn Thị B,0203 3789 001,"}
    lines += [line + contacts.get(line.split(",")[0], ",,,") for line in roster[1:]]
    (folder / "roster.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def blanks(tmp_path_factory) -> dict[str, Path]:
    issued = generate_campaign(SAMPLE, tmp_path_factory.mktemp("issued"), units=("03391", "CQ01"))
    return {f.unit.code: f.path for f in issued.files}


def filled(blank: Path, path: Path, seed: int, blank_rows: tuple[str, ...] = ()) -> Path:
    campaign = load_campaign(SAMPLE)
    rng = random.Random(seed)
    scores = sample_scores(campaign, rng, 0.8)
    for criterion in blank_rows:
        del scores["qcdc-hd22"][criterion]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(fast_fill(campaign, blank.read_bytes(), scores, sample_figures(campaign, rng), RECEIVED))
    os.utime(path, (RECEIVED.timestamp(), RECEIVED.timestamp()))
    return path


def collect(campaign_dir: Path, inbox: Path, out: Path):
    result = CliRunner().invoke(main, ["collect", str(campaign_dir / "campaign.yaml"), "--inbox", str(inbox),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    return result


def test_messages_to_units_and_the_officers_list(campaign_dir, blanks, tmp_path):
    inbox, out = tmp_path / "in", tmp_path / "out"
    (campaign_dir / "so-theo-doi.csv").write_text("unit_code,received,deadline,chosen_file,note\n"
                                                  "03391,,15/11/2099,,gia hạn\n", encoding="utf-8")
    filled(blanks["03391"], inbox / "Xa La Nhi Thang.xlsx", 1, blank_rows=("a.1", "b.2"))
    filled(blanks["CQ01"], inbox / "cq01.xlsx", 2)
    collect(campaign_dir, inbox, out)
    campaign = load_campaign(campaign_dir / "campaign.yaml")
    rows = {r.node.id: r.row + 1 for r in plan_criteria(campaign.form("qcdc-hd22"), 2023).rows}
    maxima = {c.id: format_points(c.max) for c in campaign.form("qcdc-hd22").criteria()}
    raw = (out / "tin-nhan" / "03391_Xa_La_Nhi_Thang.txt").read_bytes()
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    assert raw.decode("utf-8-sig").replace("\r\n", "\n") == (
        "Kính gửi: UBND XÃ LẢ NHÌ THÀNG\n"
        "\n"
        "Phòng Nội vụ huyện Phong Thổ thông báo về biểu mẫu \"Đánh giá, xếp loại việc thực hiện QCDC và công "
        "tác dân vận chính quyền năm 2023\":\n"
        "- Đã nhận tệp \"Xa La Nhi Thang.xlsx\" lúc 06/11/2023 08:30; tệp còn 2 lỗi cần sửa:\n"
        f"  1. trang QCDC, ô E{rows['a.1']}: Tiêu chí STT 1 chưa chấm (ô trống). Cách sửa: Nhập điểm từ 0 đến "
        f"{maxima['a.1']}; "
        "tiêu chí không đạt thì nhập 0.\n"
        f"  2. trang QCDC, ô E{rows['b.2']}: Tiêu chí STT 2 chưa chấm (ô trống). Cách sửa: Nhập điểm từ 0 đến "
        f"{maxima['b.2']}; "
        "tiêu chí không đạt thì nhập 0.\n"
        "- Đề nghị đơn vị sửa ngay trên tệp đó, lưu lại (.xlsx) và gửi lại trước ngày 15/11/2099.\n"
        "\n"
        "Trân trọng. Phòng Nội vụ huyện Phong Thổ.\n")
    missing = (out / "tin-nhan" / "03549_Thi_tran_Phong_Tho.txt").read_text(encoding="utf-8-sig")
    assert "Kính gửi: UBND THỊ TRẤN PHONG THỔ" in missing
    assert "- Đến nay chưa nhận được biểu mẫu chấm điểm của Thị trấn Phong Thổ." in missing
    assert "gửi về ngay (hạn nộp trước ngày 09/11/2023 đã qua)." in missing
    assert not (out / "tin-nhan" / "CQ01_Van_phong_HDND_va_UBND_huyen.txt").exists()  # valid: nothing to say
    assert len(list((out / "tin-nhan").iterdir())) == 34
    sheet = openpyxl.load_workbook(out / "nhac-viec.xlsx")["Nhắc việc"]
    table = [r for r in sheet.iter_rows(values_only=True) if r[0] and str(r[0]).isdigit()]
    assert len(table) == 34
    first = next(r for r in table if r[1] == "03391")
    assert first[2:7] == ("Xã Lả Nhì Thàng", "Có lỗi", "Ông Lò Văn A", "0912 345 678",
                          "vanthu.lanhithang@example.vn")
    assert first[7].startswith("Kính gửi: UBND XÃ LẢ NHÌ THÀNG") and first[8] == "tin-nhan/03391_Xa_La_Nhi_Thang.txt"

    # the unit sends a corrected file: its message goes at the next run
    filled(blanks["03391"], inbox / "gui-lai" / "Xa La Nhi Thang.xlsx", 3)
    os.utime(inbox / "gui-lai" / "Xa La Nhi Thang.xlsx", (RECEIVED.timestamp() + 86400,) * 2)
    collect(campaign_dir, inbox, out)
    assert not (out / "tin-nhan" / "03391_Xa_La_Nhi_Thang.txt").exists()
    assert len(list((out / "tin-nhan").iterdir())) == 33


def test_check_prints_the_message_for_the_file(campaign_dir, blanks, tmp_path):
    path = filled(blanks["03391"], tmp_path / "03391.xlsx", 1, blank_rows=("a.1",))
    result = CliRunner().invoke(main, ["check", "--campaign", str(campaign_dir / "campaign.yaml"), str(path)])
    assert result.exit_code == 1
    assert "Tin nhắn gửi đơn vị (chép để gửi qua Zalo, thư điện tử):\nKính gửi: UBND XÃ LẢ NHÌ THÀNG" in result.output
    assert "- Đã nhận tệp \"03391.xlsx\" lúc 06/11/2023 08:30; tệp còn 1 lỗi cần sửa:" in result.output


def test_messages_for_a_choice_and_for_a_file_that_could_not_be_used(campaign_dir, blanks, tmp_path):
    inbox, out = tmp_path / "in", tmp_path / "out"
    first = filled(blanks["03391"], inbox / "zalo" / "03391.xlsx", 1)
    filled(blanks["03391"], inbox / "email" / "03391.xlsx", 2)
    (inbox / "usb").mkdir()
    (inbox / "usb" / "03391.xlsx").write_bytes(first.read_bytes())  # a copy: not a third choice
    os.utime(inbox / "usb" / "03391.xlsx", (RECEIVED.timestamp(),) * 2)
    (inbox / "CQ01_bieu mau.xlsx").write_bytes(b"PK\x03\x04 hong")
    os.utime(inbox / "CQ01_bieu mau.xlsx", (RECEIVED.timestamp(),) * 2)
    collect(campaign_dir, inbox, out)
    choice = (out / "tin-nhan" / "03391_Xa_La_Nhi_Thang.txt").read_text(encoding="utf-8-sig")
    assert "- Đã nhận 2 tệp khác nhau của đơn vị, không biết tệp nào là bản cuối cùng:" in choice
    assert choice.count("  + 03391.xlsx (nhận lúc 06/11/2023 08:30, lưu lúc 06/11/2023 08:30)") == 2
    missing = (out / "tin-nhan" / "CQ01_Van_phong_HDND_va_UBND_huyen.txt").read_text(encoding="utf-8-sig")
    assert "- Đã nhận tệp \"CQ01_bieu mau.xlsx\" lúc 06/11/2023 08:30 nhưng không dùng được:" in missing
    assert "Đến nay chưa nhận được" not in missing
