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
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from tests.conftest import SAMPLE
from tests.papers import check_printed, pdf_pages
from workbook_tools.cli import main
from workbook_tools.demo.run import SAMPLE_PREVIOUS, run_demo
from workbook_tools.fileio import inert
from workbook_tools.problems import WorkbookToolsError
from workbook_tools.report.document import build_report
from workbook_tools.report.plan import load_plan

UNITS_HEADER = ("unit_code,unit_name,group,form_id,status,total,classification,rank_in_group,rank_overall,late,"
                "file\n")


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


def blocks(path: Path) -> list[tuple[str, object]]:
    """The body in document order: ('p', text) for a paragraph, ('t', rows of cell texts) for a table."""
    document = docx.Document(str(path))
    found = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            found.append(("p", Paragraph(child, document).text))
        elif child.tag == qn("w:tbl"):
            found.append(("t", [[c.text for c in row.cells] for row in Table(child, document).rows]))
    return found


def whole_text(number: int) -> str:
    return dotted(number)


def points(value: Decimal) -> str:
    return str(value.normalize()).replace(".", ",")


def figure_label(indicator) -> str:
    unit = indicator.unit if indicator.type == "int" else "đơn vị" if indicator.type == "bool" else "đơn vị có"
    return f"{indicator.label} ({unit})"


def test_every_figure_matches_the_csvs(campaign, demo):
    """Each section's figures are one table (its figures in the outline's order); every cell equals
    the sum over the units in the CSVs whose figures count, for the district and for each group."""
    results = demo.collected.out_dir
    units = {r["unit_code"]: r for r in read(results / "units.csv") if r["form_id"] == "so-lieu-2023"}
    valid = {code for code, r in units.items() if r["status"] == "valid"}
    values: dict[str, dict[str, str]] = {}
    for row in read(results / "indicators.csv"):
        if row["unit_code"] in valid and row["value"]:
            values.setdefault(row["indicator_id"], {})[row["unit_code"]] = row["value"]
    indicators = {i.id: i for i in campaign.form("so-lieu-2023").indicators()}
    plan = load_plan(campaign.report_file, campaign)
    header = ["Chỉ tiêu (đơn vị tính)", "Toàn huyện"] + [g.label for g in campaign.groups]
    tables = [rows for kind, rows in blocks(demo.report) if kind == "t" and rows[0] == header]
    sections = [s for part in plan.parts for s in part.sections if s.figures]
    assert len(tables) == len(sections)
    checked = set()
    for section, table in zip(sections, tables):
        assert [row[0] for row in table[1:]] == [figure_label(indicators[i]) for i in section.figures]
        for indicator_id, row in zip(section.figures, table[1:]):
            indicator, reported = indicators[indicator_id], values.get(indicator_id, {})
            parts = [reported] + [{c: v for c, v in reported.items() if units[c]["group"] == g.id}
                                  for g in campaign.groups]
            if indicator.type == "int":
                expected = [whole_text(sum(int(v) for v in part.values())) for part in parts]
            else:
                expected = [f"{sum(v == 'true' for v in part.values())}/{len(part)}" for part in parts]
            assert row[1:] == expected, (indicator_id, row)
            checked.add(indicator_id)
    assert len(checked) >= 78  # every figure of the sheet but the date of the staff conference
    text = paragraphs(demo.report)
    assert not any("theo số liệu của" in p for p in text)  # no more one sentence per indicator
    all_rows = read(results / "units.csv")
    received = {r["unit_code"] for r in all_rows if r["status"] != "missing"}
    intro = next(p for p in text if p.startswith("Thực hiện "))
    assert f"{len(received)}/{len({r['unit_code'] for r in all_rows})} cơ quan, đơn vị" in intro
    assert f"tổng hợp số liệu của {len(valid)}/{len(units)} đơn vị có biểu số liệu hợp lệ" in "\n".join(text)


def test_units_reporting_most_and_least(campaign, demo):
    """The section's main figure: per group, the units with the highest and the lowest value."""
    results = demo.collected.out_dir
    units = {r["unit_code"]: r for r in read(results / "units.csv") if r["form_id"] == "so-lieu-2023"}
    found = {r["unit_code"]: int(r["value"]) for r in read(results / "indicators.csv")
             if r["indicator_id"] == "qcdc_tt_so_buoi" and r["value"]
             and units[r["unit_code"]]["status"] == "valid"}
    label = next(i.label for i in campaign.form("so-lieu-2023").indicators() if i.id == "qcdc_tt_so_buoi")
    line = next(p for p in paragraphs(demo.report) if p.startswith(label + ":"))
    for group in campaign.groups:
        mine = {c: v for c, v in found.items() if units[c]["group"] == group.id}
        most = [units[c]["unit_name"] for c, v in mine.items() if v == max(mine.values())]
        least = [units[c]["unit_name"] for c, v in mine.items() if v == min(mine.values())]
        assert f"{group.label} nhiều nhất là {most[0]} ({dotted(max(mine.values()))} buổi)" in line, line
        assert f"ít nhất là {least[0]} ({dotted(min(mine.values()))} buổi)" in line or len(least) > 3, line


def test_classification_statistics_under_the_assessment(campaign, demo):
    """Per scoring table, under 'IV. ĐÁNH GIÁ CHUNG / 1. Kết quả đánh giá, xếp loại' (never under the
    shortcomings): units, per band, not classified, average, per group and for the district."""
    rows = read(demo.collected.out_dir / "units.csv")
    body = blocks(demo.report)
    for form in ("qcdc-hd22", "dvcq-qd248"):
        spec = campaign.form(form)
        header = ["Nhóm đơn vị", "Số đơn vị"] + [b.label for b in spec.bands.items] + ["Chưa xếp loại",
                                                                                       "Điểm bình quân"]
        where = next(i for i, (kind, item) in enumerate(body) if kind == "t" and item[0] == header
                     and f"{spec.short_name} hợp lệ" in body[i - 1][1])
        heading = max(i for i, (kind, text) in enumerate(body[:where]) if kind == "p" and text.startswith("1. "))
        assert body[heading][1] == "1. Kết quả đánh giá, xếp loại"
        part = next(t for k, t in reversed(body[:heading]) if k == "p" and t.startswith("IV."))
        assert part == "IV. ĐÁNH GIÁ CHUNG"
        table = body[where][1]
        for group, line in zip(list(campaign.groups) + [None], table[1:]):
            mine = [r for r in rows if r["form_id"] == form and (group is None or r["group"] == group.id)]
            ok = [r for r in mine if r["status"] == "valid"]
            average = (sum(Decimal(r["total"]) for r in ok) / len(ok)).quantize(Decimal("0.01"))
            assert line == [group.label if group else "Toàn huyện", str(len(mine))] + [
                str(sum(r["classification"] == b.label for r in ok)) for b in spec.bands.items] + [
                str(len(mine) - len(ok)), points(average)], line
        sentence = body[where - 1][1]
        assert f"{len([r for r in rows if r['form_id'] == form and r['status'] == 'valid'])}/" in sentence
        best = max((r for r in rows if r["form_id"] == form and r["status"] == "valid" and r["group"] == "xa"),
                   key=lambda r: Decimal(r["total"]))
        ends = next(t for k, t in body[where:] if k == "p" and t.startswith("Điểm cao nhất, thấp nhất:"))
        top = f"{best['unit_name']} ({points(Decimal(best['total']))} điểm)"
        assert f"UBND các xã, thị trấn cao nhất là {top}" in ends
    shortcomings = [i for i, (kind, text) in enumerate(body) if kind == "p" and text.startswith("3. Tồn tại")]
    for start in shortcomings:
        following = body[start + 1:start + 6]
        assert not any(kind == "t" for kind, _ in following)


def test_placeholders_mark_what_the_officer_writes(campaign, demo):
    text = paragraphs(demo.report)
    assert sum(p.startswith("[CẦN VIẾT:") for p in text) >= 20
    assert "BÁO CÁO" in text
    assert "Phần thứ nhất" in text and "KẾT QUẢ THỰC HIỆN QUY CHẾ DÂN CHỦ Ở CƠ SỞ NĂM 2023" in text
    assert "Phần thứ hai" in text and "KẾT QUẢ CÔNG TÁC DÂN VẬN CHÍNH QUYỀN NĂM 2023" in text
    assert "1. Khái quát chung" in text and "2. Thuận lợi, khó khăn" in text
    assert not any(p.startswith("1. Nêu khái quát") for p in text)  # the units' instructions are not ours
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
    assert "[CHƯA CÓ SỐ LIỆU: không đơn vị nào báo cáo: Số hồ sơ thủ tục hành chính tiếp nhận]" in text
    assert not any(row[0].startswith("Số hồ sơ thủ tục hành chính tiếp nhận") for row in table_rows(path))
    assert any(row[0].startswith("Số hồ sơ đã giải quyết") for row in table_rows(path))


def write_unit_reports(folder: Path, rows: list[tuple[str, str, str, str]]) -> None:
    """bao-cao-don-vi.csv as collect writes it (text made inert)."""
    with (folder / "bao-cao-don-vi.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit_code", "report_id", "section_id", "heading", "text", "file"])
        for code, report, section, text in rows:
            writer.writerow([code, report, section, section, inert(text), f"hop-thu/{code}.docx"])


def test_units_texts_quoted_where_they_go_upward(campaign, demo, tmp_path):
    """'Tồn tại, hạn chế' and 'Kiến nghị, đề xuất': each unit's own text under its name, in roster
    order, then who wrote nothing there and who sent no report; elsewhere only how many units wrote,
    pointing to the compilation; the units without a report listed in the appendix."""
    results = tmp_path / "results"
    shutil.copytree(demo.collected.out_dir, results)
    a, b, c = campaign.units[0], campaign.units[1], campaign.units[-1]
    write_unit_reports(results, [
        (c.code, "de-cuong-qcdc", "iv.2", "Kinh phí còn hạn hẹp."),
        (a.code, "de-cuong-qcdc", "iv.2", "- Tuyên truyền còn hình thức.\n- Nguyên nhân: địa bàn rộng."),
        (a.code, "de-cuong-qcdc", "iii.1", "Đã tổ chức hội nghị cán bộ, công chức ngày 15/01."),
        (b.code, "de-cuong-qcdc", "ii.1", "Ban hành 5 văn bản."),
        (b.code, "de-cuong-qcdc", "vi", "=Đề nghị tập huấn nghiệp vụ."),
        (a.code, "de-cuong-dvcq", "vi", "Không."),
    ])
    path = build_report(SAMPLE, results, None, tmp_path / "r.docx").path
    body = [text for kind, text in blocks(path) if kind == "p"]
    start = body.index("3. Tồn tại, hạn chế và nguyên nhân")
    section = body[start:body.index("V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024", start)]
    assert section[1].startswith("[CẦN VIẾT: tồn tại, hạn chế chung")
    assert section[2] == "Ý kiến của các cơ quan, đơn vị, địa phương (trích nguyên văn):"
    assert section[3:6] == [f"{a.name}: “- Tuyên truyền còn hình thức.", "- Nguyên nhân: địa bàn rộng.”",
                            f"{c.name}: “Kinh phí còn hạn hẹp.”"]
    assert section[6] == f"Không nêu ý kiến: {b.name}."
    assert section[7] == f"Chưa gửi Báo cáo QCDC: {len(campaign.units) - 3} đơn vị (danh sách tại Phụ lục 3)."
    recommendations = body[body.index("VI. KIẾN NGHỊ, ĐỀ XUẤT"):]
    assert f"{b.name}: “=Đề nghị tập huấn nghiệp vụ.”" in recommendations  # as written, not a formula
    assert f"Không nêu ý kiến: {a.name}, {c.name}." in recommendations
    part_two = body[body.index("Phần thứ hai"):]
    assert f"Ghi “Không”: {a.name}." in part_two[part_two.index("VI. KIẾN NGHỊ, ĐỀ XUẤT"):]  # listed, not quoted
    responsibility = next(p for p in body if p.startswith("[CẦN VIẾT: vai trò người đứng đầu"))
    assert responsibility.endswith(f"— 1/{len(campaign.units)} đơn vị có viết, xem tong-hop-bao-cao-don-vi.docx]")
    assert not any("hội nghị cán bộ, công chức ngày 15/01" in p for p in body)  # not pasted into the body
    missing = {row[0]: row[1] for row in table_rows(path) if len(row) == 2}
    assert missing[b.name] == "Chưa gửi Báo cáo DVCQ"
    assert "Chưa gửi" in missing[campaign.units[5].name] and a.name not in missing


def test_no_unit_reports_file_means_no_reports(demo, tmp_path):
    from workbook_tools.results.years import read_results

    results = tmp_path / "results"
    shutil.copytree(demo.collected.out_dir, results)
    (results / "bao-cao-don-vi.csv").unlink(missing_ok=True)
    assert not read_results(results).reports_read
    path = build_report(SAMPLE, results, None, tmp_path / "r.docx").path
    text = paragraphs(path)
    assert sum(p == "[CHƯA CÓ SỐ LIỆU: ý kiến của các đơn vị (chưa nhận được báo cáo nào)]" for p in text) == 4
    assert not any("đơn vị có viết" in p for p in text)
    assert not any("Chưa gửi" in cell for row in table_rows(path) for cell in row)


def test_report_texts_read_back(tmp_path):
    from workbook_tools.results.years import read_results

    for name, text in (("units.csv", UNITS_HEADER), ("scores.csv", "unit_code,form_id,criterion_id\n"),
                       ("indicators.csv", "unit_code,indicator_id,value\n")):
        (tmp_path / name).write_text(text, encoding="utf-8-sig")
    write_unit_reports(tmp_path, [("A", "q", "iv.2", "- một\n+ hai"), ("A", "q", "iv.2", "ba"),
                                  ("B", "q", "vi", "'chữ"), ("B", "q", "", "   ")])
    results = read_results(tmp_path)
    assert results.reports_read
    assert results.report_text("A", "q", "iv.2") == "- một\n+ hai\nba"
    assert results.report_text("B", "q", "vi") == "'chữ" and results.report_text("B", "q", "") == ""
    assert results.report_text("Z", "q", "vi") == "" and len(results.report_texts) == 2


def test_district_outline_is_checked(campaign, tmp_path):
    """Unknown figures, scoring tables, outline sections and template names are refused with where."""
    text = Path(campaign.report_file).read_text(encoding="utf-8")
    text = text.replace("main_figure: qcdc_tt_so_buoi", "main_figure: khong_co", 1)
    text = text.replace("scores: qcdc-hd22", "scores: khong-co", 1)
    text = text.replace("'de-cuong-qcdc:iv.2'", "'de-cuong-qcdc:ix'", 1)
    text = text.replace("{group} nhiều nhất là {most}", "{nhom} nhiều nhất là {most}", 1)
    text = text.replace("  signer_name: 'họ và tên người ký'\n", "")
    bad = tmp_path / "bao-cao.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(WorkbookToolsError) as caught:
        load_plan(bad, campaign)
    problems = caught.value.problems
    for code, shown in (("VALUE_CHOICE", "'khong_co'"), ("VALUE_CHOICE", "'khong-co'"),
                        ("VALUE_CHOICE", "'de-cuong-qcdc:ix'"), ("VALUE_CHOICE", "'{nhom}'"),
                        ("KEY_MISSING", "'signer_name'")):
        assert any(p.code == code and shown in p.message for p in problems), (code, shown, problems)
    assert len(problems) == 5 and all(p.line for p in problems)


def test_year_over_year(campaign, demo):
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
    text = paragraphs(demo.report)
    spec = campaign.form("qcdc-hd22")
    averages = [(r["unit_code"], Decimal(r["total"])) for r in now.values() if r["form_id"] == spec.id
                and r["status"] == "valid"]
    mean = (sum(t for _, t in averages) / len(averages)).quantize(Decimal("0.01"))
    line = next(p for p in text if p.startswith("Điểm bình quân QCDC toàn huyện năm 2023 là"))
    assert f"năm 2023 là {str(mean.normalize()).replace('.', ',')} điểm, năm 2022 là" in line, line
    assert "từng mục so với năm trước tại Phụ lục 1" in line
    sections = next(r for r in rows if r[:3] == ["Mục", "Nội dung", "Điểm chuẩn"])
    assert sections[3:] == ["Năm 2023", "Năm 2022", "Tăng/giảm"]
    first = next(r for r in rows if r[0] == spec.sections[0].stt and r[1] == spec.sections[0].text)
    assert Decimal(first[3].replace(",", ".")) - Decimal(first[4].replace(",", ".")) == Decimal(
        first[5].replace(",", ".").lstrip("+"))


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
    appendix = next(i for i, page in enumerate(pages) if re.search(r"^\s*Phụ lục 1\s*$", page, re.M))
    assert appendix <= 9, appendix  # the main body in about 8 pages (README), the tables of units after it
    assert 12 <= len(pages) <= 20, len(pages)
    text = "\n".join(pages)
    for phrase in ("Phần thứ nhất", "ĐÁNH GIÁ CHUNG", "Phụ lục 1", "Kết quả đánh giá, xếp loại", "CẦN VIẾT"):
        assert phrase in text, phrase
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
