"""The district's draft report (.docx) and the year-over-year comparison."""

from __future__ import annotations

import csv
import re
import shutil
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLE
from tests.papers import check_printed, pdf_pages
from workbook_tools.cli import main
from workbook_tools.demo.run import SAMPLE_PREVIOUS, run_demo
from workbook_tools.report.document import build_report
from workbook_tools.spec.yamlio import load_yaml


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("demo") / "demo")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def dotted(number: int) -> str:
    """A count as printed: thousands with a dot."""
    return f"{number:,}".replace(",", ".")


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def table_rows(path: Path) -> list[list[str]]:
    return [[c.text for c in row.cells] for t in docx.Document(str(path)).tables for row in t.rows]


def test_every_figure_matches_the_csvs(campaign, demo):
    results = demo.collected.out_dir
    units = {r["unit_code"]: r for r in read(results / "units.csv") if r["form_id"] == "so-lieu-2023"}
    valid = {code for code, r in units.items() if r["status"] == "valid"}
    values: dict[str, dict[str, str]] = {}
    for row in read(results / "indicators.csv"):
        if row["unit_code"] in valid:
            values.setdefault(row["indicator_id"], {})[row["unit_code"]] = row["value"]
    text = paragraphs(demo.report)
    indicators = {i.id: i for i in campaign.form("so-lieu-2023").indicators()}
    outline = load_yaml(Path(campaign.report_file))
    checked = 0
    for part in outline["parts"]:
        for section in part["sections"]:
            for item in section.get("items", []):
                for indicator_id in item.get("figures", []):
                    indicator, reported = indicators[indicator_id], values.get(indicator_id, {})
                    line = next(p for p in text if p.startswith(indicator.label + ":"))
                    if indicator.type == "int":
                        total = sum(int(v) for v in reported.values())
                        assert f"toàn huyện Phong Thổ {dotted(total)}" in line, line
                        for group in campaign.groups:
                            part_sum = sum(int(v) for c, v in reported.items() if units[c]["group"] == group.id)
                            assert f"{group.label}: {dotted(part_sum)}" in line, line
                        assert f"theo số liệu của {len(reported)} đơn vị" in line
                    elif indicator.type == "bool":
                        yes = sum(v == "true" for v in reported.values())
                        assert f"{yes}/{len(reported)} đơn vị báo cáo có" in line, line
                    checked += 1
    assert checked >= 80
    all_rows = read(results / "units.csv")
    received = {r["unit_code"] for r in all_rows if r["status"] != "missing"}
    intro = next(p for p in text if p.startswith("Thực hiện "))
    assert f"{len(received)}/{len({r['unit_code'] for r in all_rows})} cơ quan, đơn vị" in intro
    for form in ("qcdc-hd22", "dvcq-qd248"):
        spec = campaign.form(form)
        for group in campaign.groups:
            members = sorted((r for r in all_rows if r["form_id"] == form and r["group"] == group.id
                              and r["status"] == "valid"), key=lambda r: -Decimal(r["total"]))
            line = next(p for p in text
                        if p.startswith(f"{spec.short_name}, {group.label}: {len(members)} đơn vị, điểm bình quân"))
            average = sum(Decimal(m["total"]) for m in members) / len(members)
            assert f"điểm bình quân {str(average.quantize(Decimal('0.01')).normalize()).replace('.', ',')}" in line
            assert f"{members[0]['unit_name']} ({str(Decimal(members[0]['total']).normalize()).replace('.', ',')} điểm)" in line
        rows = [r for r in read(results / "units.csv") if r["form_id"] == form]
        line = next(p for p in text if p.startswith(f"Kết quả đánh giá, xếp loại {spec.short_name}"))
        valid_rows = [r for r in rows if r["status"] == "valid"]
        assert f"{len(valid_rows)}/{len(rows)} đơn vị có kết quả hợp lệ" in line
        for band in spec.bands.items:
            assert f"{band.label}: {sum(r['classification'] == band.label for r in valid_rows)}" in line


def test_placeholders_mark_what_the_officer_writes(campaign, demo):
    text = paragraphs(demo.report)
    assert sum(p.startswith("[CẦN VIẾT:") for p in text) >= 10
    assert "BÁO CÁO" in text
    assert any(p.startswith("Phần thứ nhất. Việc thực hiện QCDC") for p in text)
    assert any(p.startswith("Phần thứ hai. Kết quả triển khai, thực hiện công tác dân vận chính quyền") for p in text)
    rows = table_rows(demo.report)
    assert ["ỦY BAN NHÂN DÂN\nHUYỆN PHONG THỔ\n\nSố: ....../BC-UBND",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
            "Phong Thổ, ngày ..... tháng ..... năm 2023"] in rows
    signer = next(r for r in rows if r[0].startswith("Nơi nhận:"))
    assert signer[1].startswith("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Ký, ghi rõ họ tên, đóng dấu)")
    assert sum(p.startswith("(Kèm theo Báo cáo số ....../BC-UBND ngày ..... của UBND huyện Phong Thổ)")
               for p in text) == len(campaign.scored_forms) + 1


def test_missing_figure_is_a_marked_placeholder(demo, tmp_path):
    results = tmp_path / "results"
    shutil.copytree(demo.collected.out_dir, results)
    rows = [r for r in read(results / "indicators.csv") if r["indicator_id"] != "hs_tiep_nhan"]
    with (results / "indicators.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["unit_code", "indicator_id", "value"])
        writer.writeheader()
        writer.writerows(rows)
    path = build_report(SAMPLE, results, None, tmp_path / "r.docx").path
    text = paragraphs(path)
    assert any(p.startswith("[CHƯA CÓ SỐ LIỆU: không đơn vị nào báo cáo 'Số hồ sơ") for p in text)
    assert not any(p.startswith("Số hồ sơ, thủ tục hành chính tiếp nhận:") for p in text)


def test_year_over_year(demo):
    now = {(r["unit_code"], r["form_id"]): r for r in read(demo.collected.out_dir / "units.csv")}
    before = {(r["unit_code"], r["form_id"]): r for r in read(SAMPLE_PREVIOUS / "units.csv")}
    rows = table_rows(demo.report)
    header = next(r for r in rows if r[:2] == ["STT", "Đơn vị"] and "Tăng/giảm" in r)
    assert header[-4:] == ["Năm 2022", "Tăng/giảm", "Xếp loại năm trước", "Hạng năm trước"]
    checked = 0
    for row in rows:
        if len(row) == len(header) and row[0].isdigit():
            code = next(c for (c, f), r in now.items() if r["unit_name"] == row[1] and f == "qcdc-hd22")
            old, new = before.get((code, "qcdc-hd22")), now[(code, "qcdc-hd22")]
            if old and old["total"] and new["total"] and new["status"] == "valid":
                delta = Decimal(new["total"]) - Decimal(old["total"])
                assert Decimal(row[-3].replace(",", ".").lstrip("+")) == delta
                assert row[-2] == (old["classification"] or "—") and row[-1] == (old["rank_overall"] or "—")
                checked += 1
            break
    assert checked == 1
    flat = [cell for row in rows for cell in row]
    assert "Phòng Y tế - Dân số (đã sáp nhập)" in flat and "Xã Sin Suối Hồ" in flat
    assert "Phòng Kinh tế - Hạ tầng → Phòng Kinh tế và Hạ tầng" in flat
    assert any(p.startswith("So với năm 2022, điểm bình quân QCDC") for p in paragraphs(demo.report))


def test_report_cli(demo, tmp_path):
    out = tmp_path / "bc.docx"
    result = CliRunner().invoke(main, ["report", str(SAMPLE), "--results", str(demo.collected.out_dir),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Đã soạn dự thảo báo cáo: {out}" in result.output and out.is_file()
    missing = CliRunner().invoke(main, ["report", str(SAMPLE), "--results", str(tmp_path / "khong-co")])
    assert missing.exit_code == 1 and "Không tìm thấy tệp" in missing.output and "Traceback" not in missing.output


def test_report_prints_per_decree_30(office, demo, tmp_path):
    """Printed by LibreOffice: the header block whole, page numbers from page 2, no word cut, the
    appendix headers repeated on every page a table runs onto, decimal commas; the demo's page count."""
    pages = pdf_pages(office, demo.report, tmp_path)
    check_printed(demo.report, pages, ("ỦY BAN NHÂN DÂN", "HUYỆN PHONG THỔ"), ("BÁO CÁO",))
    assert 12 <= len(pages) <= 20, len(pages)  # README: 18 pages for the demo (11 of text, 7 of appendices)
    text = "\n".join(pages)
    for phrase in ("Phần thứ nhất", "ĐÁNH GIÁ CHUNG", "Phụ lục 1", "Kết quả đánh giá, xếp loại", "CẦN VIẾT"):
        assert phrase in text, phrase
    appendix = next(i for i, page in enumerate(pages) if "Phụ lục 1" in page)
    with_rows = [page for page in pages[appendix:] if "UBND các xã, thị trấn" in page]
    for page in with_rows:  # a table's header row repeats on every page the table runs onto
        assert re.search(r"STT\s+Đơn vị\s+Nhóm", page) or re.search(r"Nhóm\s+Tốt\s+Khá", page), page[:600]
    assert sum(bool(re.search(r"STT\s+Đơn vị\s+Nhóm", page)) for page in pages) >= 4  # over 2+ pages each


def test_ranking_tables_print_on_few_pages(office, campaign, demo, tmp_path):
    """The ranking table of each scored form beside the summary, ready to sign: 35 units on two A4
    pages, every unit listed (one without a result with why), the bands and the signer."""
    for spec in campaign.scored_forms:
        path = demo.collected.out_dir / f"bang-xep-loai-{spec.id}.docx"
        pages = pdf_pages(office, path, tmp_path)
        title = f"BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI {spec.short_name} NĂM 2023"
        check_printed(path, pages, ("ỦY BAN NHÂN DÂN", "HUYỆN PHONG THỔ"), (title,))
        assert len(pages) <= 2, len(pages)  # README: 2 pages per form for the demo's 35 units
        text = "\n".join(pages)
        assert "Xã Mù Sang" in text and "Chưa nộp" in text and "chờ đối chiếu văn bản gốc" in text
        assert "PHÓ CHỦ TỊCH" in pages[-1] and "(Ký, ghi rõ họ tên, đóng dấu)" in pages[-1]
        lines = [line for page in pages for line in page.splitlines()]
        for number, unit in enumerate(campaign.units, start=1):  # a row per unit (a long name may wrap)
            assert any(re.match(rf"\s*{number}\s+\S", line) for line in lines), number
            if len(unit.name) <= 30:
                assert any(unit.name in line for line in lines), unit.name


def test_summary_compares_with_last_year(demo, tmp_path):
    import openpyxl

    book = openpyxl.load_workbook(demo.collected.out_dir / "tong-hop.xlsx")
    sheet = book["So với năm trước"]
    cells = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Phòng Y tế - Dân số (đã sáp nhập)" in cells and "Đổi tên" in cells and "Đơn vị mới năm nay" in cells
    result = CliRunner().invoke(main, ["collect", str(SAMPLE), "--inbox", str(demo.inbox), "--out", str(tmp_path),
                                       "--previous", str(tmp_path / "khong-co")])
    assert result.exit_code == 1 and "Không tìm thấy tệp" in result.output


def test_results_read_back_compactly(tmp_path):
    """Rows of a unit need not be next to each other; the team's score counts over the unit's own;
    blanks and short rows are no value; a figure is kept as written."""
    from workbook_tools.results.years import read_results

    (tmp_path / "units.csv").write_text(
        "unit_code,unit_name,group,form_id,status,total,classification,rank_in_group,rank_overall,late,file\n"
        "A,Xã A,xa,q,valid,3,Tốt,1,1,no,a.xlsx\n\n", encoding="utf-8-sig")
    (tmp_path / "scores.csv").write_text(
        "unit_code,form_id,criterion_id,stt,max_points,self_score,team_score\n"
        "A,q,c1,1,2,2,\nA,q,c2,2,2,1.5,0.5\nB,q,c1,1,2,1,\n\nA,q,c3,3,2,,\nA,q,c4,4,2,'2\nB,q,c9,9,2\n"
        "A,q,c5,5,2,1.50,\nA,q,c5,5,2,,\nA,q,c6,6,2,-0,\n", encoding="utf-8-sig")
    (tmp_path / "indicators.csv").write_text(
        "unit_code,indicator_id,value\nA,n,12\nA,ok,true\nB,n,12\nA,d,2023-03-01\nB,ok,\nA,n,\n",
        encoding="utf-8-sig")
    results = read_results(tmp_path)
    assert results.score("A", "q", "c1") == Decimal(2) and results.score("A", "q", "c2") == Decimal("0.5")
    assert results.score("A", "q", "c3") is None and results.score("A", "q", "c4") == Decimal(2)
    assert results.score("B", "q", "c1") == Decimal(1) and results.score("B", "q", "c9") is None
    assert results.score("Z", "q", "c1") is None
    assert dict(results.scores[("A", "q")]) == {"c1": 2, "c2": Decimal("0.5"), "c4": 2, "c5": Decimal("1.5"),
                                               "c6": 0}
    assert str(results.score("A", "q", "c5")) == "1.50" and str(results.score("A", "q", "c6")) == "-0"
    assert [u.code for u in results.units] == ["A"]  # the blank line is no unit
    assert [results.figure("A", k) for k in ("n", "ok", "d")] == ["12", "true", "2023-03-01"]
    assert results.figure("B", "n") == "12" and results.figure("B", "ok") is None
    assert results.units[0].total == 3 and results.units[0].rank_overall == 1
