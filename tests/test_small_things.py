"""Small things a new user trips on: each says what happened and what to do, never a traceback."""

from __future__ import annotations

import random

from click.testing import CliRunner

from tests.conftest import SAMPLE
from workbook_tools.cli import main
from workbook_tools.demo.fill import fill_workbook, sample_figures, sample_scores
from workbook_tools.read.check import check_file


def invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_generate_refuses_a_folder_of_issued_workbooks_unless_forced(tmp_path):
    out = tmp_path / "phat-hanh"
    assert invoke("generate", SAMPLE, "--out", out, "--unit", "CQ01").exit_code == 0
    refused = invoke("generate", SAMPLE, "--out", out, "--unit", "CQ01")
    assert refused.exit_code == 1
    assert f"[GENERATE_FOLDER_ISSUED]: Thư mục {out} đã có biểu mẫu phát hành" in refused.output
    assert "--force" in refused.output
    first = (out / "manifest.csv").read_text(encoding="utf-8-sig")
    forced = invoke("generate", SAMPLE, "--out", out, "--unit", "CQ01", "--force")
    assert forced.exit_code == 0, forced.output
    kept = list(out.glob("manifest-*.csv"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8-sig") == first
    assert (out / "manifest.csv").read_text(encoding="utf-8-sig") != first  # a new file id


def test_unwritable_outputs_end_with_a_clear_message(tmp_path):
    blocker = tmp_path / "la-tep"
    blocker.write_text("x")
    generated = invoke("generate", SAMPLE, "--out", blocker / "con", "--unit", "CQ01")
    assert generated.exit_code == 1 and "[CLI_OUTPUT_UNWRITABLE]" in generated.output
    assert "Traceback" not in generated.output
    (tmp_path / "trong").mkdir()
    collected = invoke("collect", SAMPLE, "--inbox", tmp_path / "trong", "--out", tmp_path / "kq")
    inside = invoke("collect", SAMPLE, "--inbox", tmp_path / "trong", "--out", tmp_path / "trong" / "kq")
    assert inside.exit_code == 1 and "không được nằm trong thư mục nhận" in inside.output
    assert collected.exit_code == 0
    reported = invoke("report", SAMPLE, "--results", tmp_path / "kq", "--out", blocker / "bc.docx")
    assert reported.exit_code == 1 and "[CLI_OUTPUT_UNWRITABLE]" in reported.output


def test_check_on_a_missing_file_or_a_folder(tmp_path):
    result = invoke("check", "--campaign", SAMPLE, tmp_path / "khong-co.xlsx", tmp_path)
    assert result.exit_code == 1
    assert f"[CHECK_NOT_A_FILE] {tmp_path / 'khong-co.xlsx'}: {tmp_path / 'khong-co.xlsx'} không tồn tại." in result.output
    assert f"{tmp_path} là một thư mục, không phải tệp. Cách sửa:" in result.output and "collect --inbox" in result.output


def test_a_form_left_blank_is_one_line_per_sheet_and_minus_one_is_minus_one(campaign, generated, tmp_path):
    blank = next(f.path for f in generated.files if f.unit.code == "CQ02")
    empty = fill_workbook(campaign, blank, tmp_path / "CQ02.xlsx", {}, {})
    result = invoke("check", "--campaign", SAMPLE, empty)
    lines = [line for line in result.output.splitlines() if "BLANK" in line]
    assert [line.split(":")[0] for line in lines] == [
        "LỖI [SCORE_BLANK] CQ02.xlsx, trang 'QCDC'", "LỖI [SCORE_BLANK] CQ02.xlsx, trang 'DVCQ'",
        "CẢNH BÁO [FIG_BLANK] CQ02.xlsx, trang 'Số liệu'"]
    assert "chưa chấm 50/50 tiêu chí" in lines[0] and "chưa chấm 24/24 tiêu chí" in lines[1]
    rng = random.Random(1)
    figures = sample_figures(campaign, rng) | {"hs_tiep_nhan": -1}
    typed = fill_workbook(campaign, blank, tmp_path / "am.xlsx", sample_scores(campaign, rng, 0.8), figures)
    bad = next(p for p in check_file(campaign, typed).problems if p.code == "FIG_BAD_VALUE")
    assert bad.value == "-1" and "giá trị '-1' không hợp lệ" in bad.message
