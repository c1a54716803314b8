"""The collector (``collect``): verdicts, newest file, late, ranking, CSV contracts, summary, CLI."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import random
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLE
from workbook_tools.cli import main
from workbook_tools.collect.cache import CACHE_FOLDER
from workbook_tools.collect.pipeline import collect, collect_campaign
from workbook_tools.demo.fill import fill_workbook, sample_figures, sample_scores
from workbook_tools.form.identity import META_SHEET, property_name
from workbook_tools.form.layout import plan_criteria
from workbook_tools.generate.run import generate_campaign
from workbook_tools.read.check import check_file
from workbook_tools.read.inbox import scan_inbox
from workbook_tools.results.choose import judge_files
from workbook_tools.results.contracts import (
    INDICATORS_COLUMNS,
    ISSUES_COLUMNS,
    SCORES_COLUMNS,
    SUBMISSIONS_COLUMNS,
    UNITS_COLUMNS,
)
from workbook_tools.results.rank import competition_ranks
from workbook_tools.spec.campaign import Unit
from workbook_tools.spec.register import load_register

UNITS = ("03549", "03391", "03490", "03550", "03553", "03559", "CQ01", "CQ02")
ZONE = dt.timezone(dt.timedelta(hours=7))
ON_TIME = dt.datetime(2023, 11, 5, 10, 0, tzinfo=ZONE)


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    return generate_campaign(SAMPLE, tmp_path_factory.mktemp("issued"), units=UNITS)


def source(issued, code: str) -> Path:
    return next(f.path for f in issued.files if f.unit.code == code)


def scores_for(campaign, seed: int, level: float = 0.8):
    return sample_scores(campaign, random.Random(seed), level)


def figures_for(campaign, seed: int = 1):
    return sample_figures(campaign, random.Random(seed))


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def tree_hash(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def set_identity(book, key: str, value: str) -> None:
    """Change one embedded identity value consistently in both copies (a deliberate forgery)."""
    sheet = book[META_SHEET]
    for row in sheet.iter_rows(min_col=1, max_col=2):
        if row[0].value == key:
            row[1].value = value
    for prop in book.custom_doc_props.props:
        if prop.name == property_name(key):
            prop.value = value


@pytest.fixture(scope="module")
def inbox(campaign, issued, tmp_path_factory) -> Path:
    """A mixed inbox: valid, tie, blank, resubmission, late, junk, rejected files; 03559 never sends."""
    root = tmp_path_factory.mktemp("inbox")
    (root / "email").mkdir()
    (root / "usb" / "gui-lai").mkdir(parents=True)
    tie = scores_for(campaign, 1)
    fill_workbook(campaign, source(issued, "03549"), root / "email" / "tt.xlsx", tie, figures_for(campaign), ON_TIME)
    fill_workbook(campaign, source(issued, "03391"), root / "usb" / "03391.xlsx", tie, figures_for(campaign), ON_TIME)
    blank = scores_for(campaign, 2)
    del blank["qcdc-hd22"]["b.2"]
    fill_workbook(campaign, source(issued, "03490"), root / "email" / "03490.xlsx", blank, figures_for(campaign), ON_TIME)
    # 03550: a faulty file saved first, a corrected one two days later (listed first by name)
    bad = scores_for(campaign, 3)
    bad["dvcq-qd248"]["i.1"] = 9.0
    fill_workbook(campaign, source(issued, "03550"), root / "usb" / "z_03550_lan1.xlsx", bad,
                  figures_for(campaign), ON_TIME - dt.timedelta(days=2))
    fill_workbook(campaign, source(issued, "03550"), root / "usb" / "gui-lai" / "a_03550_lan2.xlsx",
                  scores_for(campaign, 4, 0.95), figures_for(campaign), ON_TIME)
    shutil.copy(root / "usb" / "gui-lai" / "a_03550_lan2.xlsx", root / "email" / "03550 (copy).xlsx")
    # 03553 late; named after another unit
    fill_workbook(campaign, source(issued, "03553"), root / "email" / "CQ01_nham_ten.xlsx", scores_for(campaign, 5),
                  figures_for(campaign), dt.datetime(2023, 11, 9, 0, 0, tzinfo=ZONE))
    fill_workbook(campaign, source(issued, "CQ01"), root / "email" / "cq01.xlsx", scores_for(campaign, 6, 0.9),
                  figures_for(campaign), ON_TIME)
    fill_workbook(campaign, source(issued, "CQ02"), root / "email" / "cq02.xlsx", scores_for(campaign, 7, 0.6),
                  figures_for(campaign), ON_TIME)
    # files that must be rejected or ignored
    fill_workbook(campaign, source(issued, "CQ02"), root / "email" / "nam-truoc.xlsx", {}, {}, ON_TIME,
                  edit=lambda b: set_identity(b, "campaign_id", "phong-tho-2022"))
    fill_workbook(campaign, source(issued, "CQ02"), root / "email" / "la.xlsx", {}, {}, ON_TIME,
                  edit=lambda b: set_identity(b, "unit_code", "99999"))
    (root / "email" / "bao-cao.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (root / "usb" / "~$cq01.xlsx").write_bytes(b"\x00" * 162)
    (root / "usb" / "cu.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (root / "usb" / "mat-khau.xlsx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 900 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64)
    (root / "usb" / "ban.ods").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (root / "usb" / "hong.xlsx").write_bytes(b"PK\x03\x04 truncated")
    (root / "=HYPERLINK(1).xlsx").write_bytes(b"")
    return root


@pytest.fixture(scope="module")
def collected(campaign, inbox, tmp_path_factory):
    before = tree_hash(inbox)
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["collect", str(SAMPLE), "--inbox", str(inbox), "--out", str(out)])
    assert tree_hash(inbox) == before, "the inbox must never change"
    return result, out


def test_collect_summary_and_exit_code(collected):
    result, out = collected
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Đã nhận 7/35 đơn vị: 6 hợp lệ, 1 có lỗi, 28 chưa nộp, 1 nộp muộn." in lines
    assert f"Bảng tổng hợp kết quả xếp loại QCDC để ký: {out / 'bang-xep-loai-qcdc-hd22.docx'}" in lines
    assert (out / "bang-xep-loai-qcdc-hd22.docx").is_file() and (out / "bang-xep-loai-dvcq-qd248.docx").is_file()
    assert ("Tệp trong thư mục nhận: 18 (dùng 7, thay thế 2, loại 7, tài liệu kèm 1, tệp nén/thư đã mở 0, "
            "bỏ qua 1).") in lines
    assert any("00:00 ngày 09/11/2023" in line for line in lines)
    assert "Traceback" not in result.output


def test_csv_contracts(collected):
    _, out = collected
    expected = {"units.csv": UNITS_COLUMNS, "scores.csv": SCORES_COLUMNS,
                "indicators.csv": INDICATORS_COLUMNS, "issues.csv": ISSUES_COLUMNS,
                "submissions.csv": SUBMISSIONS_COLUMNS}
    for name, columns in expected.items():
        raw = (out / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), f"{name} must start with a UTF-8 BOM"
        header, _ = read_csv(out / name)
        assert tuple(header) == columns
    assert UNITS_COLUMNS == ("unit_code", "unit_name", "group", "form_id", "status", "total",
                             "classification", "rank_in_group", "rank_overall", "late", "file")
    assert ISSUES_COLUMNS == ("severity", "code", "unit_code", "file", "sheet", "cell", "value", "message")
    assert SUBMISSIONS_COLUMNS == ("file", "sha256", "unit_code", "verdict", "reason", "received_at", "time_source")
    import pandas as pd
    units = pd.read_csv(out / "units.csv", encoding="utf-8-sig", dtype=str)
    assert len(units) == 35 * 3 and set(units["status"]) == {"valid", "invalid", "missing"}


def test_every_file_has_a_verdict(collected, inbox):
    _, out = collected
    _, rows = read_csv(out / "submissions.csv")
    verdicts = {r["file"]: (r["verdict"], r["unit_code"], r["reason"]) for r in rows}
    assert len(rows) == sum(1 for p in inbox.rglob("*") if p.is_file())
    assert sorted(r["verdict"] for r in rows).count("used") == 7
    assert verdicts["usb/gui-lai/a_03550_lan2.xlsx"][0] == "used"
    assert verdicts["usb/z_03550_lan1.xlsx"][0] == "superseded"
    assert "có tệp mới hơn 'usb/gui-lai/a_03550_lan2.xlsx'" in verdicts["usb/z_03550_lan1.xlsx"][2]
    assert "nhận lúc" in verdicts["usb/z_03550_lan1.xlsx"][2]
    assert "theo thời gian sửa đổi của tệp" in verdicts["usb/z_03550_lan1.xlsx"][2]
    assert verdicts["email/03550 (copy).xlsx"][0] == "superseded"
    assert "bản sao giống hệt" in verdicts["email/03550 (copy).xlsx"][2]
    assert verdicts["email/nam-truoc.xlsx"][:2] == ("rejected", "CQ02")
    assert "phong-tho-2022" in verdicts["email/nam-truoc.xlsx"][2]
    assert verdicts["email/la.xlsx"][:2] == ("rejected", "99999")
    assert verdicts["email/bao-cao.pdf"][:2] == ("attached", "")  # a report, of no unit that can be told
    assert verdicts["usb/~$cq01.xlsx"][0] == "ignored"
    assert verdicts["usb/cu.xls"][0] == "rejected" and ".xls" in verdicts["usb/cu.xls"][2]
    assert verdicts["usb/mat-khau.xlsx"][0] == "rejected" and "mật khẩu" in verdicts["usb/mat-khau.xlsx"][2]
    assert verdicts["usb/ban.ods"][0] == "rejected" and ".ods" in verdicts["usb/ban.ods"][2]
    assert verdicts["usb/hong.xlsx"][0] == "rejected"
    assert verdicts["'=HYPERLINK(1).xlsx"][0] == "rejected"  # written inert: never a formula
    assert "tệp rỗng" in verdicts["'=HYPERLINK(1).xlsx"][2]


def test_units_status_late_and_ranks(collected):
    _, out = collected
    _, rows = read_csv(out / "units.csv")
    by = {(r["unit_code"], r["form_id"]): r for r in rows}
    tt, lnt = by[("03549", "qcdc-hd22")], by[("03391", "qcdc-hd22")]
    assert tt["status"] == lnt["status"] == "valid" and tt["total"] == lnt["total"]
    assert tt["rank_in_group"] == lnt["rank_in_group"]  # a tie shares the rank
    assert by[("03490", "qcdc-hd22")]["status"] == "invalid"
    assert by[("03490", "qcdc-hd22")]["rank_in_group"] == "" and by[("03490", "qcdc-hd22")]["total"] == ""
    assert by[("03490", "dvcq-qd248")]["status"] == "valid"  # its other table is fine
    assert by[("03559", "qcdc-hd22")]["status"] == "missing" and by[("03559", "qcdc-hd22")]["late"] == ""
    assert by[("03553", "qcdc-hd22")]["late"] == "yes" and by[("03549", "qcdc-hd22")]["late"] == "no"
    assert by[("03550", "dvcq-qd248")]["file"] == "usb/gui-lai/a_03550_lan2.xlsx"
    assert by[("03550", "dvcq-qd248")]["status"] == "valid"
    ranked = sorted((int(r["rank_overall"]), Decimal(r["total"])) for r in rows
                    if r["form_id"] == "qcdc-hd22" and r["rank_overall"])
    assert [t for _, t in ranked] == sorted((t for _, t in ranked), reverse=True)
    assert all(by[(c, "qcdc-hd22")]["rank_in_group"] for c in ("CQ01", "CQ02"))
    assert {by[(c, "qcdc-hd22")]["rank_in_group"] for c in ("CQ01", "CQ02")} == {"1", "2"}


def test_issues_name_code_and_cell(collected, campaign):
    _, out = collected
    _, rows = read_csv(out / "issues.csv")
    layout = plan_criteria(campaign.form("qcdc-hd22"), campaign.year)
    blank = next(r for r in rows if r["code"] == "SCORE_BLANK")
    assert (blank["severity"], blank["unit_code"], blank["sheet"], blank["cell"]) == (
        "error", "03490", "QCDC", layout.score_cell("b.2"))
    assert "Cách sửa:" in blank["message"] and blank["file"] == "email/03490.xlsx"
    codes = {r["code"] for r in rows}
    assert {"WB_OTHER_CAMPAIGN", "WB_SIGNATURE_BAD", "FILE_REJECTED", "UNIT_MISSING", "SUB_LATE",
            "WB_FILENAME_OTHER_UNIT"} <= codes
    assert "SCORE_OUT_OF_RANGE" not in codes  # only in the superseded file
    assert sum(r["code"] == "UNIT_MISSING" for r in rows) == 28


def test_scores_and_indicators_csv(collected, campaign):
    _, out = collected
    _, scores = read_csv(out / "scores.csv")
    expected = scores_for(campaign, 1)
    mine = {r["criterion_id"]: r for r in scores if r["unit_code"] == "03549" and r["form_id"] == "qcdc-hd22"}
    assert len(mine) == len(campaign.form("qcdc-hd22").criteria())
    assert all(Decimal(mine[k]["self_score"]) == v for k, v in expected["qcdc-hd22"].items())
    assert mine["d.i.4.1"]["max_points"] == "2" and mine["d.i.4.1"]["team_score"] == ""
    blank = [r for r in scores if r["unit_code"] == "03490" and r["criterion_id"] == "b.2"]
    assert blank[0]["self_score"] == ""  # blank is never a silent 0
    _, figures = read_csv(out / "indicators.csv")
    values = {r["indicator_id"]: r["value"] for r in figures if r["unit_code"] == "03549"}
    sample = figures_for(campaign)
    assert values["hs_tiep_nhan"] == str(sample["hs_tiep_nhan"])
    assert values["bcd_kien_toan"] in ("true", "false")
    assert values["hoi_nghi_cbccvc_ngay"] == sample["hoi_nghi_cbccvc_ngay"].isoformat()


def test_summary_workbook(collected, campaign, inbox):
    _, out = collected
    book = openpyxl.load_workbook(out / "tong-hop.xlsx")
    assert book.sheetnames == ["Tổng hợp", "Chi tiết QCDC", "Chi tiết DVCQ", "Số liệu", "Biểu đồ",
                               "Tình hình nộp", "Tệp đã nhận", "Báo cáo đơn vị", "Lỗi cần xử lý"]
    overview = book["Tổng hợp"]
    texts = [c.value for row in overview.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("Thang xếp loại QCDC: Tốt: từ 90 điểm trở lên") for t in texts)
    assert sum(t == "Chưa nộp" for t in texts) >= 28
    assert "Xã Huổi Luông" in texts and "Chưa xếp loại (có lỗi)" in texts
    assert any("tổng hợp lúc" in t for t in texts)
    assert book["Tổng hợp"].page_setup.orientation == "landscape"
    assert book["Tổng hợp"].page_setup.paperSize == 9
    header = next(c.row for row in overview.iter_rows() for c in row if c.value == "STT")
    merged = {str(r) for r in overview.merged_cells.ranges}
    top = {c.value: c.column_letter for c in overview[header] if c.value}
    assert list(top) == ["STT", "Mã", "Đơn vị", "Tình trạng", "QCDC", "DVCQ", "Nộp muộn", "Cần sửa"]
    for label in ("STT", "Mã", "Đơn vị", "Tình trạng", "Nộp muộn", "Cần sửa"):
        assert f"{top[label]}{header}:{top[label]}{header + 1}" in merged
    assert any(r.startswith(f"{top['QCDC']}{header}:") and r.endswith(str(header)) for r in merged)
    assert overview.cell(header + 1, overview[f"{top['QCDC']}1"].column).value == "Tổng điểm"
    assert overview.row_dimensions[header + 1].height == 45
    with zipfile.ZipFile(out / "tong-hop.xlsx") as archive:  # rows streamed to disk: inline strings
        assert "xl/sharedStrings.xml" not in archive.namelist()
    assert len(book["Biểu đồ"]._charts) == 2
    issues = book["Lỗi cần xử lý"]
    all_values = [c.value for row in issues.iter_rows() for c in row]
    assert "SCORE_BLANK" in all_values and "Cách sửa" in all_values
    cells = [c for row in book["Tệp đã nhận"].iter_rows() for c in row if c.value == "=HYPERLINK(1).xlsx"]
    assert cells and all(c.data_type == "s" for c in cells)  # text, never a formula
    files = [[c.value for c in row] for row in book["Tệp đã nhận"].iter_rows()]
    header = files.index(["STT", "Kết quả", "Mã đơn vị", "Tệp", "Lý do", "SHA-256 (đầu mã)"])
    assert all(len(row[5]) == 12 for row in files[header + 1:])  # shortened on paper, whole in the CSVs
    assert len(files) - header - 1 == len(scan_inbox(inbox))  # one row per file found
    assert book["Tệp đã nhận"].auto_filter.ref == f"A{header + 1}:F{len(files)}"
    detail = book["Chi tiết QCDC"]
    labels = [c.value for row in detail.iter_rows(max_col=7) for c in row]
    assert "Trung bình" in labels and "Tỷ lệ đạt" in labels


def test_rerun_gives_same_results(collected, inbox, tmp_path):
    _, out = collected
    result = CliRunner().invoke(main, ["collect", str(SAMPLE), "--inbox", str(inbox), "--out", str(tmp_path)])
    assert result.exit_code == 0
    for name in ("units.csv", "scores.csv", "indicators.csv", "issues.csv", "submissions.csv"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_summary_without_unit_columns_when_too_many_units(campaign, inbox, tmp_path, monkeypatch):
    """Beyond MATRIX_MAX_UNITS the detail sheets keep the district statistics only (and point to
    scores.csv); every sheet still streams in row order (see conftest)."""
    from workbook_tools.outputs.summary import base as summary

    monkeypatch.setattr(summary, "MATRIX_MAX_UNITS", 2)
    result = CliRunner().invoke(main, ["collect", str(SAMPLE), "--inbox", str(inbox), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "tong-hop.xlsx")
    detail = book["Chi tiết QCDC"]
    texts = [c.value for row in detail.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("Quá 2 đơn vị nên không in từng cột đơn vị" in t for t in texts)
    header = next(row for row in detail.iter_rows(values_only=True) if row[0] == "STT")
    assert header[6] == "Tỷ lệ đạt" and not any(header[7:])  # no unit columns
    averages = [row for row in detail.iter_rows(values_only=True) if row[0] == "1"]
    assert averages and isinstance(averages[0][3], float)


def test_collection_pickles(campaign, inbox):
    """Outcomes stay plain data: they can be sent to worker processes."""
    import pickle

    collection = collect(campaign, inbox)
    units = pickle.loads(pickle.dumps(collection.units))
    assert [(u.unit.code, u.status, [(f.total, dict(f.final)) for f in u.forms]) for u in units] == \
        [(u.unit.code, u.status, [(f.total, dict(f.final)) for f in u.forms]) for u in collection.units]


def test_verdicts_do_not_depend_on_listing_order(campaign, inbox):
    found = scan_inbox(inbox)
    checked = {f.rel: check_file(campaign, f.path, f.rel) for f in found if f.kind == "candidate"}
    reference = [(o.found.rel, o.verdict) for o in judge_files(campaign, found, checked, load_register(campaign))]
    for seed in range(3):
        shuffled = list(found)
        random.Random(seed).shuffle(shuffled)
        outcome = judge_files(campaign, shuffled, checked, load_register(campaign))
        assert sorted((o.found.rel, o.verdict) for o in outcome) == sorted(reference)


def test_strict_exit_code(inbox, tmp_path):
    result = CliRunner().invoke(main, ["collect", str(SAMPLE), "--inbox", str(inbox), "--out",
                                       str(tmp_path), "--strict"])
    assert result.exit_code == 1
    assert "Đã nhận 7/35 đơn vị" in result.output


def test_competition_ranking_ties_by_name():
    units = [Unit(code, name, "xa", 0) for code, name in
             (("a", "Xã Bản Lang"), ("b", "Xã Ma Ly Pho"), ("c", "Xã Dào San"), ("d", "Thị trấn Phong Thổ"),
              ("e", "Xã Đào San"))]
    totals = [Decimal(90), Decimal("85.5"), Decimal("85.5"), Decimal(70), Decimal("85.5")]
    ranks = competition_ranks(list(zip(units, totals)))
    assert ranks == {"a": 1, "b": 2, "c": 2, "e": 2, "d": 5}


def test_newest_by_file_time_when_no_embedded_time(campaign, issued, tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    older = fill_workbook(campaign, source(issued, "CQ01"), inbox / "a.xlsx", scores_for(campaign, 1), {})
    newer = fill_workbook(campaign, source(issued, "CQ01"), inbox / "b.xlsx", scores_for(campaign, 2), {})
    for path, stamp in ((older, 1_700_000_000), (newer, 1_600_000_000)):
        _drop_core_modified(path)
        os.utime(path, (stamp, stamp))
    collection = collect(campaign, inbox)
    verdicts = {o.found.rel: (o.verdict, o.time_source) for o in collection.files}
    assert verdicts == {"a.xlsx": ("used", "file"), "b.xlsx": ("superseded", "file")}
    late = next(u for u in collection.units if u.unit.code == "CQ01").late
    assert late is True  # 2023-11-14 by file time, after the deadline


def _drop_core_modified(path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re
                data = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", b"", data)
            dst.writestr(info, data)
    tmp.replace(path)


def test_cli_errors_are_messages_not_tracebacks(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["collect", str(SAMPLE), "--inbox", str(tmp_path / "khong-co")])
    assert result.exit_code == 1 and "Không tìm thấy thư mục nhận tệp" in result.output
    bad = tmp_path / "campaign.yaml"
    bad.write_text("id: [\n", encoding="utf-8")
    result = runner.invoke(main, ["collect", str(bad), "--inbox", str(tmp_path)])
    assert result.exit_code == 1 and "YAML_SYNTAX" in result.output
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    result = runner.invoke(main, ["collect", str(SAMPLE), "--inbox", str(tmp_path), "--out", str(blocker / "sub")])
    assert result.exit_code == 1 and "Không ghi được kết quả" in result.output
    assert "Traceback" not in result.output


def test_interrupted_run_keeps_previous_outputs(campaign, inbox, tmp_path, monkeypatch):
    first = collect_campaign(SAMPLE, inbox, tmp_path)
    before = tree_hash(tmp_path)

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("workbook_tools.outputs.write.write_summary", boom)
    with pytest.raises(KeyboardInterrupt):
        collect_campaign(SAMPLE, inbox, tmp_path)
    assert tree_hash(tmp_path) == before
    outputs = {p.relative_to(tmp_path).parts[0] for p in first.outputs} | {CACHE_FOLDER}  # and the checks kept
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(outputs)


def test_demo_command(tmp_path):
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert "Đã nhận 34/35 đơn vị: 31 hợp lệ, 3 có lỗi, 1 chưa nộp, 1 nộp muộn." in result.output
    assert ("Tệp trong thư mục nhận: 52 (dùng 34, thay thế 1, loại 0, tài liệu kèm 14, tệp nén/thư đã mở 2, "
            "bỏ qua 1).") in result.output  # 14 attached: 11 reports written in the templates, 1 foreign, 2 PDFs
    _, issues = read_csv(tmp_path / "demo" / "tong-hop" / "issues.csv")
    assert {r["code"] for r in issues} == {"SCORE_BLANK", "SCORE_TEXT_REFUSED", "SCORE_OUT_OF_RANGE",
                                           "UNIT_MISSING", "SUB_LATE",  # a resubmission is no warning
                                           "REPORT_SECTIONS_EMPTY", "REPORT_NOT_READ"}  # the reports planted
    again = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "demo")])
    assert again.exit_code == 0 and "Đã nhận 34/35 đơn vị" in again.output
    other = tmp_path / "khac"
    other.mkdir()
    (other / "du-lieu.txt").write_text("x")
    refused = CliRunner().invoke(main, ["demo", "--out", str(other)])
    assert refused.exit_code == 1 and (other / "du-lieu.txt").exists()


def test_libreoffice_round_trip_collects(office, campaign, issued, tmp_path):
    """A file filled and saved by LibreOffice (typed entries too) is collected correctly."""
    spec = campaign.form("qcdc-hd22")
    layout = plan_criteria(spec, campaign.year)
    scores = scores_for(campaign, 21)
    values = {campaign.form(f).sheet_name: {plan_criteria(campaign.form(f), campaign.year).score_cell(c): float(v)
                                            for c, v in s.items()} for f, s in scores.items()}
    values["QCDC"][layout.score_cell("a.2")] = 9.0  # the API, like a paste, bypasses validation
    filled = tmp_path / "filled.xlsx"
    office.fill_recalc_save(source(issued, "03549"), filled, values)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    changed = office.enter_strings(filled, inbox / "tt.xlsx", {"QCDC": {layout.score_cell("a.1"): "2.5"}})
    assert changed["QCDC"][layout.score_cell("a.1")] is True
    collection = collect(campaign, inbox)
    unit = next(u for u in collection.units if u.unit.code == "03549")
    assert unit.file is not None and unit.file.saved_at is not None  # LibreOffice wrote its save time
    assert unit.file.time_source == "file" and unit.late is True  # received now, long after the deadline
    qcdc = unit.form("qcdc-hd22")
    assert qcdc.status == "invalid" and qcdc.result.scores["a.1"] == Decimal("2.5")
    assert "a.2" not in qcdc.result.scores
    expected = dict(scores["qcdc-hd22"], **{"a.1": Decimal("2.5")})
    del expected["a.2"]
    assert qcdc.result.scores == expected
    problem = next(r.problem for r in collection.issues if r.problem.code == "SCORE_OUT_OF_RANGE")
    assert (problem.sheet, problem.cell, problem.value) == ("QCDC", layout.score_cell("a.2"), "9")
    assert unit.form("dvcq-qd248").status == "valid"
