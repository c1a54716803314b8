"""Receipt time, which file counts, and the officer's register (sổ theo dõi).

Receipt time decides lateness and which of a unit's files is newer: save times inside files are
copied unchanged by several tools, so they only break ties. Where the evidence cannot order two
files, nothing is picked until the officer chooses in the register.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import shutil
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLE
from tests.helpers import campaign_copy
from workbook_tools.cli import main
from workbook_tools.demo.fill import fast_fill, sample_figures, sample_scores
from workbook_tools.generate.run import generate_campaign
from workbook_tools.spec.campaign import load_campaign

ZONE = dt.timezone(dt.timedelta(hours=7))
BEFORE = dt.datetime(2023, 11, 5, 9, 0, tzinfo=ZONE)
AFTER = dt.datetime(2023, 11, 10, 9, 0, tzinfo=ZONE)  # the deadline is "before 09/11/2023"
HEADER = "unit_code,received,deadline,chosen_file,note\n"


@pytest.fixture()
def campaign_dir(tmp_path) -> Path:
    """The sample campaign in a folder of its own (its register there), same key and specs."""
    return campaign_copy(tmp_path / "dot")


@pytest.fixture(scope="module")
def blanks(tmp_path_factory) -> dict[str, bytes]:
    issued = generate_campaign(SAMPLE, tmp_path_factory.mktemp("issued"), units=("03391", "CQ01"))
    return {f.unit.code: f.path.read_bytes() for f in issued.files}


def put(inbox: Path, name: str, blank: bytes, seed: int, saved: dt.datetime, received: dt.datetime) -> Path:
    """A filled workbook saved at ``saved`` that reached the inbox at ``received``."""
    campaign = load_campaign(SAMPLE)
    rng = random.Random(seed)
    path = inbox / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(fast_fill(campaign, blank, sample_scores(campaign, rng, 0.8), sample_figures(campaign, rng),
                               saved))
    os.utime(path, (received.timestamp(), received.timestamp()))
    return path


def run(campaign_dir: Path, inbox: Path, out: Path):
    result = CliRunner().invoke(main, ["collect", str(campaign_dir / "campaign.yaml"), "--inbox", str(inbox),
                                       "--out", str(out)])
    tables = {}
    for name in ("submissions", "units", "issues"):
        path = out / f"{name}.csv"
        if path.exists():
            with path.open(encoding="utf-8-sig", newline="") as handle:
                tables[name] = list(csv.DictReader(handle))
    return result, tables


def verdicts(tables) -> dict[str, tuple[str, str]]:
    return {r["file"]: (r["verdict"], r["time_source"]) for r in tables["submissions"]}


def test_resubmission_with_a_copied_save_time_counts_by_receipt(campaign_dir, blanks, tmp_path):
    """LibreOffice's export copies the save time: the corrected file is the one received later."""
    inbox = tmp_path / "in"
    put(inbox, "03391_lan1.xlsx", blanks["03391"], 1, BEFORE, BEFORE)
    put(inbox, "03391_lan2.xlsx", blanks["03391"], 2, BEFORE, BEFORE + dt.timedelta(days=1))
    result, tables = run(campaign_dir, inbox, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert verdicts(tables) == {"03391_lan1.xlsx": ("superseded", "file"), "03391_lan2.xlsx": ("used", "file")}
    row = next(r for r in tables["submissions"] if r["file"] == "03391_lan2.xlsx")
    assert row["received_at"] == "2023-11-06T09:00:00+07:00"
    assert not [r for r in tables["issues"] if r["unit_code"] == "03391"]


def test_files_that_cannot_be_ordered_wait_for_the_officers_choice(campaign_dir, blanks, tmp_path):
    inbox = tmp_path / "in"
    put(inbox, "zalo/03391.xlsx", blanks["03391"], 1, BEFORE, BEFORE)
    put(inbox, "email/03391.xlsx", blanks["03391"], 2, BEFORE, BEFORE)        # same times, other scores
    put(inbox, "CQ01_moi.xlsx", blanks["CQ01"], 3, BEFORE - dt.timedelta(days=2), BEFORE)
    put(inbox, "CQ01_cu.xlsx", blanks["CQ01"], 4, BEFORE, BEFORE - dt.timedelta(days=1))  # received before,
    result, tables = run(campaign_dir, inbox, tmp_path / "out")                          # but saved after
    assert result.exit_code == 0, result.output
    assert "2 cần chọn tệp" in result.output
    assert {f: v for f, (v, _) in verdicts(tables).items()} == {
        "zalo/03391.xlsx": "needs_choice", "email/03391.xlsx": "needs_choice",
        "CQ01_moi.xlsx": "needs_choice", "CQ01_cu.xlsx": "needs_choice"}
    assert {r["status"] for r in tables["units"] if r["unit_code"] in ("03391", "CQ01")} == {"needs_choice"}
    choice = next(r for r in tables["issues"] if r["unit_code"] == "03391")
    assert choice["code"] == "UNIT_NEEDS_CHOICE" and "'email/03391.xlsx'" in choice["message"]
    assert "chosen_file" in choice["message"]

    (campaign_dir / "so-theo-doi.csv").write_text(HEADER + "03391,,,email/03391.xlsx,Xã xác nhận qua điện thoại\n"
                                                  "CQ01,,,CQ01_thieu.xlsx,\n", encoding="utf-8")
    result, tables = run(campaign_dir, inbox, tmp_path / "out")
    found = verdicts(tables)
    assert found["email/03391.xlsx"][0] == "used" and found["zalo/03391.xlsx"][0] == "superseded"
    reasons = {r["file"]: r["reason"] for r in tables["submissions"]}
    assert "cán bộ chọn tệp này trong sổ theo dõi (dòng 2)" in reasons["email/03391.xlsx"]
    assert "cán bộ chọn tệp khác trong sổ theo dõi" in reasons["zalo/03391.xlsx"]
    unknown = next(r for r in tables["issues"] if r["code"] == "REGISTER_FILE_UNKNOWN")
    assert unknown["unit_code"] == "CQ01" and "CQ01_thieu.xlsx" in unknown["message"]
    assert found["CQ01_moi.xlsx"][0] == "needs_choice"


def test_lateness_by_receipt_extension_and_register(campaign_dir, blanks, tmp_path):
    inbox = tmp_path / "in"
    put(inbox, "03391.xlsx", blanks["03391"], 1, BEFORE, AFTER)  # saved in time, received after the deadline
    mail = EmailMessage()
    mail["Date"] = format_datetime(AFTER + dt.timedelta(days=2))
    mail["Subject"] = "Biểu mẫu CQ01"
    mail.set_content("Gửi Phòng Nội vụ")
    body = put(tmp_path / "tmp", "cq01.xlsx", blanks["CQ01"], 2, BEFORE, BEFORE).read_bytes()
    mail.add_attachment(body, maintype="application", subtype="octet-stream", filename="cq01.xlsx")
    (inbox / "thu.eml").write_bytes(mail.as_bytes())
    os.utime(inbox / "thu.eml", (BEFORE.timestamp(), BEFORE.timestamp()))  # the e-mail's Date wins
    result, tables = run(campaign_dir, inbox, tmp_path / "out")
    late = {r["unit_code"]: r["late"] for r in tables["units"] if r["unit_code"] in ("03391", "CQ01")}
    assert late == {"03391": "yes", "CQ01": "yes"}
    assert verdicts(tables)["thu.eml::cq01.xlsx"] == ("used", "email")
    message = next(r["message"] for r in tables["issues"] if r["code"] == "SUB_LATE" and r["unit_code"] == "CQ01")
    assert "nhận lúc 12/11/2023 09:00 (theo ngày gửi thư)" in message

    (campaign_dir / "so-theo-doi.csv").write_text(
        HEADER + "03391,08/11/2023 16:00,,,nhận qua USB ngày 08/11\nCQ01,,15/11/2023,,gia hạn theo công văn\n",
        encoding="utf-8")
    result, tables = run(campaign_dir, inbox, tmp_path / "out")
    late = {r["unit_code"]: r["late"] for r in tables["units"] if r["unit_code"] in ("03391", "CQ01")}
    assert late == {"03391": "no", "CQ01": "no"}
    assert verdicts(tables)["03391.xlsx"] == ("used", "register")


@pytest.mark.parametrize("text, code, line", [
    ("unit_code,received,note\n", "REGISTER_HEADER", 1),
    (HEADER + "99999,,,,\n", "REGISTER_UNIT_UNKNOWN", 2),
    (HEADER + "03391,,,,\n\n03391,,,,\n", "REGISTER_DUPLICATE_UNIT", 4),
    (HEADER + "03391,ngày 8 tháng 11,,,\n", "REGISTER_BAD_DATE", 2),
])
def test_register_problems_name_the_line_and_the_fix(campaign_dir, tmp_path, text, code, line):
    (campaign_dir / "so-theo-doi.csv").write_text(text, encoding="utf-8")
    (tmp_path / "in").mkdir()
    result, _ = run(campaign_dir, tmp_path / "in", tmp_path / "out")
    assert result.exit_code == 1
    assert f"[{code}] {campaign_dir / 'so-theo-doi.csv'}, dòng {line}:" in result.output
    assert "Cách sửa:" in result.output


def test_generate_creates_the_register_once_and_empty_inbox_warns(campaign_dir, tmp_path):
    register = campaign_dir / "so-theo-doi.csv"
    register.unlink()  # a campaign that has no register yet
    first = CliRunner().invoke(main, ["generate", str(campaign_dir / "campaign.yaml"), "--out", str(tmp_path / "a"),
                                      "--unit", "03391"])
    assert first.exit_code == 0 and f"Đã tạo sổ theo dõi {register}" in first.output
    assert register.read_text(encoding="utf-8-sig") == HEADER
    register.write_text(HEADER + "03391,,,,ghi chú của cán bộ\n", encoding="utf-8")
    again = CliRunner().invoke(main, ["generate", str(campaign_dir / "campaign.yaml"), "--out", str(tmp_path / "b"),
                                      "--unit", "03391"])
    assert again.exit_code == 0 and "sổ theo dõi" not in again.output
    assert "ghi chú của cán bộ" in register.read_text(encoding="utf-8")
    (tmp_path / "trong").mkdir()
    (tmp_path / "trong" / "ghi-chu.txt").write_text("x")
    result, _ = run(campaign_dir, tmp_path / "trong", tmp_path / "out")
    assert result.exit_code == 0
    assert f"[INBOX_EMPTY]: Thư mục nhận {tmp_path / 'trong'} không có biểu mẫu nào của đợt này (1 tệp" in result.output


def test_resubmission_saved_by_libreoffice_and_gnumeric_keeps_the_old_save_time(office, campaign_dir, blanks,
                                                                                 tmp_path):
    """Files re-saved by LibreOffice (UNO store) and Gnumeric (ssconvert, where installed) one after the
    other carry save times that cannot order them: the receipt time decides."""
    import subprocess

    campaign = load_campaign(SAMPLE)
    start = put(tmp_path / "src", "03391.xlsx", blanks["03391"], 1, BEFORE - dt.timedelta(days=3), BEFORE)
    inbox = tmp_path / "in"
    inbox.mkdir()
    cell = __import__("workbook_tools.form.layout", fromlist=["plan_criteria"]).plan_criteria(
        campaign.form("qcdc-hd22"), 2023).score_cell("a.1")
    office.fill_recalc_save(start, inbox / "lan1.xlsx", {"QCDC": {cell: 0.0}})
    office.fill_recalc_save(start, inbox / "lan2.xlsx", {"QCDC": {cell: 1.0}})
    copies = [inbox / "lan1.xlsx", inbox / "lan2.xlsx"]
    if shutil.which("ssconvert"):
        subprocess.run(["ssconvert", str(inbox / "lan2.xlsx"), str(inbox / "lan3.xlsx")], check=True,
                       capture_output=True)
        copies.append(inbox / "lan3.xlsx")
    for day, path in enumerate(copies):
        moment = BEFORE + dt.timedelta(days=day)
        os.utime(path, (moment.timestamp(), moment.timestamp()))
    result, tables = run(campaign_dir, inbox, tmp_path / "out")
    assert result.exit_code == 0, result.output
    found = verdicts(tables)
    newest = copies[-1].name
    assert found[newest] == ("used", "file")
    assert all(found[p.name][0] == "superseded" for p in copies[:-1])
    from workbook_tools.read.xlsx import read_xlsx
    saved = [read_xlsx(p).modified for p in copies]
    # the re-saves carry the first save time (copied) or the moment of the re-save, a second apart:
    # either way the save times cannot tell the files apart, only the receipt time orders them
    assert max(saved) - min(saved) < dt.timedelta(minutes=1)


def test_register_date_is_used_only_where_it_can_only_mean_one_file(campaign_dir, blanks, tmp_path):
    inbox = tmp_path / "in"
    put(inbox, "a.xlsx", blanks["03391"], 1, BEFORE, BEFORE + dt.timedelta(days=2))
    put(inbox, "b.xlsx", blanks["03391"], 2, BEFORE, AFTER + dt.timedelta(days=3))
    (campaign_dir / "so-theo-doi.csv").write_text(HEADER + "03391,07/11/2023 08:00,,,\n", encoding="utf-8")
    result, tables = run(campaign_dir, inbox, tmp_path / "out")
    assert verdicts(tables)["b.xlsx"] == ("used", "file")  # two files: the officer's date says not which
    late = next(r["late"] for r in tables["units"] if r["unit_code"] == "03391")
    assert late == "yes"
