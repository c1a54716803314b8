"""The command line as a user sees it (click's CliRunner)."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, SAMPLE, SPECS
from workbook_tools.cli import main


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def all_commands(group=main, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if hasattr(command, "commands"):
            yield from all_commands(command, prefix + (name,))


@pytest.mark.parametrize("path", [p for p, _ in all_commands()], ids=lambda p: " ".join(p))
def test_every_command_has_vietnamese_help(path):
    result = run(*path, "--help")
    assert result.exit_code == 0
    command = dict(all_commands())[path]
    assert command.help and any(ch in command.help for ch in "ạảãáàâăđêôơư")


def test_top_level_help():
    result = run("--help")
    assert result.exit_code == 0
    assert "Công cụ biểu mẫu chấm điểm QCDC, DVCQ" in result.output
    assert "generate" in result.output and "spec" in result.output


def test_generate_sample(tmp_path):
    result = run("generate", SAMPLE, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()  # the progress bar goes to stderr
    assert lines[:3] == [
        "Đã tạo 35 biểu mẫu cho đợt 'Đánh giá, xếp loại việc thực hiện QCDC và công tác dân vận "
        "chính quyền năm 2023' và 70 mẫu báo cáo Word (.docx).",
        f"Thư mục: {tmp_path}",
        f"Danh sách tệp và mã SHA-256: {tmp_path / 'manifest.csv'}",
    ]
    assert all(line.startswith("Đã tạo khóa bí mật ") for line in lines[3:])  # only on the first run
    rows = list(csv.DictReader((tmp_path / "manifest.csv").open(encoding="utf-8-sig")))
    assert len(rows) == 35 and len(list(tmp_path.glob("*.xlsx"))) == 35


def test_generate_creates_the_secret_key_once(tmp_path):
    campaign_dir = tmp_path / "dot"
    shutil.copytree(SAMPLE.parent, campaign_dir)
    (campaign_dir / "campaign.yaml").write_text((SAMPLE.read_text(encoding="utf-8")).replace(
        "../../criteria_specs/", str(SAMPLE.parent.parent.parent / "criteria_specs") + "/"), encoding="utf-8")
    (campaign_dir / "khoa-bi-mat.key").unlink(missing_ok=True)
    first = run("generate", campaign_dir / "campaign.yaml", "--out", tmp_path / "a", "--unit", "03550")
    key_file = campaign_dir / "khoa-bi-mat.key"
    assert f"Đã tạo khóa bí mật {key_file}" in first.output
    assert key_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    key = key_file.read_text()
    second = run("generate", campaign_dir / "campaign.yaml", "--out", tmp_path / "b", "--unit", "03550")
    assert "khóa bí mật" not in second.output and key_file.read_text() == key


def test_generate_one_unit(tmp_path):
    result = run("generate", SAMPLE, "--out", tmp_path, "--unit", "03550")
    assert result.exit_code == 0
    assert [p.name for p in tmp_path.glob("*.xlsx")] == ["03550_Xa_Si_Lo_Lau.xlsx"]


def test_generate_unknown_unit(tmp_path):
    result = run("generate", SAMPLE, "--out", tmp_path, "--unit", "99999")
    assert result.exit_code == 1
    assert "Không có đơn vị nào có mã: 99999." in result.output


def test_generate_missing_campaign(tmp_path):
    result = run("generate", tmp_path / "khong-co.yaml")
    assert result.exit_code == 1
    assert "LỖI [FILE_NOT_FOUND]" in result.output and "khong-co.yaml" in result.output


def test_spec_check_good_files():
    result = run("spec", "check", SPECS / "qcdc-hd22.yaml", SPECS / "so-lieu-2023.yaml")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "qcdc-hd22 (phiên bản 2022.1): QCDC, 50 tiêu chí, tổng 100 điểm" in out
    assert "    4 Những việc cán bộ, công chức, viên chức được giám sát, kiểm tra [d.i.4]: 10 " \
           "(các dòng con cộng 10 - khớp)" in out
    assert "Thang xếp loại: Tốt: từ 90 điểm trở lên" in out
    assert "so-lieu-2023 (phiên bản 2023.1): Số liệu, 80 chỉ tiêu, 11 quy tắc kiểm tra" in out
    assert "Quy tắc r.hs_giai_quyet: hs_da_giai_quyet <= hs_tiep_nhan" in out
    assert out.count("Hợp lệ.") == 2


def test_spec_check_bad_file(tmp_path):
    bad = tmp_path / "sai.yaml"
    bad.write_text((SPECS / "qcdc-hd22.yaml").read_text(encoding="utf-8").replace(
        "max: 2\n                text: 'Thực hiện chủ trương", "max: 1\n                text: 'Thực hiện chủ trương"),
        encoding="utf-8")
    result = run("spec", "check", bad, SPECS / "dvcq-qd248.yaml")
    assert result.exit_code == 1
    assert f"LỖI [SPEC_SECTION_SUM] {bad}, dòng 140: Mục 'd.i.4' ghi 10 điểm nhưng các tiêu chí " \
           "con cộng lại được 9 điểm." in result.output
    assert "KHÔNG hợp lệ: sửa các lỗi trên rồi chạy lại." in result.output
    assert "Hợp lệ." in result.output  # the second file is still checked


def test_python_dash_m_entry_point():
    result = subprocess.run([sys.executable, "-m", "workbook_tools", "--help"], cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0 and "Công cụ biểu mẫu" in result.stdout
