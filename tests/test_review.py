"""The inspection team's round: review workbook, merging team scores, final ranking, notices."""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLE
from tests.papers import DECIMAL_COMMA, DECIMAL_POINT, check_printed, pdf_pages
from tests.test_collect import set_identity
from workbook_tools.cli import main
from workbook_tools.collect.pipeline import collect
from workbook_tools.demo.fill import fast_fill, sample_figures, sample_scores
from workbook_tools.form.layout import cell_ref
from workbook_tools.form.review_layout import (
    C_FINAL,
    C_ID,
    C_REASON,
    C_SELF,
    C_TEAM,
    C_TEXT,
    HEADER_ROW,
    MARK_HEADER,
    WIDTHS,
    mark,
    plan_review_sheet,
)
from workbook_tools.generate.run import generate_campaign
from workbook_tools.outputs.notices import section_paths
from workbook_tools.paper.cellfit import columns_pt
from workbook_tools.paper.page import TABLE_MARGINS
from workbook_tools.paper.pager import body_height, page_starts
from workbook_tools.spec.campaign import load_campaign

UNITS = ("03549", "03391", "03490", "CQ01", "CQ02")
ON_TIME = dt.datetime(2023, 11, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
LEVELS = {"03549": 0.9, "03391": 0.8, "03490": 0.7, "CQ01": 0.85, "CQ02": 0.6}


def campaign_copy(folder: Path, rule: str) -> Path:
    """The sample campaign with another review rule (same key file, same roster)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = load_campaign(SAMPLE).secret_key_file
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "../../criteria_specs/", str(SAMPLE.parents[2] / "criteria_specs") + "/")
    text = text.replace("review_rule: self_if_blank", f"review_rule: {rule}\nsecret_key_file: {key}")
    shutil.copy(SAMPLE.parent / "roster.csv", folder / "roster.csv")
    (folder / "campaign.yaml").write_text(text, encoding="utf-8")
    return folder / "campaign.yaml"


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    issued = generate_campaign(SAMPLE, tmp_path_factory.mktemp("issued"), units=UNITS)
    campaign = issued.campaign
    root = tmp_path_factory.mktemp("inbox")
    for item in issued.files:
        rng = random.Random(item.unit.code)
        scores = sample_scores(campaign, rng, LEVELS[item.unit.code])
        (root / item.path.name).write_bytes(fast_fill(campaign, item.path.read_bytes(), scores,
                                                      sample_figures(campaign, rng), ON_TIME))
    return root


@pytest.fixture(scope="module")
def review_file(inbox, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("review") / "phieu.xlsx"
    result = CliRunner().invoke(main, ["review", str(SAMPLE), "--inbox", str(inbox), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Đã tạo phiếu chấm cho 5 đơn vị: {out}" in result.output
    assert "Chưa có tệp nên không có trong phiếu" in result.output
    return out


def unit_sheet(book, code: str):
    return next(book[n] for n in book.sheetnames if n.startswith(code + " "))


def blocks(campaign, code: str):
    unit = next(u for u in campaign.units if u.code == code)
    return {b.spec.id: b for b in plan_review_sheet(list(campaign.scored_forms_for(unit)))}


def team_fill(campaign, src: Path, dst: Path, entries: dict[str, dict[str, dict[str, object]]]) -> Path:
    """entries: unit code -> form id -> criterion id -> team score (or (score, reason))."""
    book = openpyxl.load_workbook(src)
    for code, forms in entries.items():
        ws = unit_sheet(book, code)
        planned = blocks(campaign, code)
        for form_id, rows in forms.items():
            for criterion_id, value in rows.items():
                score, reason = value if isinstance(value, tuple) else (value, "Thiếu minh chứng")
                row = planned[form_id].row_of(criterion_id) + 1
                ws.cell(row, C_TEAM + 1).value = score
                ws.cell(row, C_REASON + 1).value = reason
    book.save(dst)
    return dst


def units_csv(out: Path) -> dict[tuple[str, str], dict[str, str]]:
    with (out / "units.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {(r["unit_code"], r["form_id"]): r for r in csv.DictReader(handle)}


def test_review_workbook_is_locked_and_validated(campaign, review_file):
    book = openpyxl.load_workbook(review_file)
    assert book.sheetnames[0] == "Danh sách" and book.sheetnames[-1] == "_wt"
    assert len(book.sheetnames) == 2 + len(UNITS)
    ws = unit_sheet(book, "03549")
    assert ws.protection.sheet
    block = blocks(campaign, "03549")["qcdc-hd22"]
    row = block.row_of("a.1") + 1
    assert ws.cell(row, C_TEAM + 1).protection.locked is False
    assert ws.cell(row, C_REASON + 1).protection.locked is False
    assert ws.cell(row, C_SELF + 1).protection.locked is not False and ws.cell(row, C_SELF + 1).value is not None
    validated = {str(r) for dv in ws.data_validations.dataValidation for r in dv.sqref.ranges
                 if dv.type == "decimal" and float(dv.formula2) == 5}
    assert cell_ref(row - 1, C_TEAM) in validated
    meta = {r[0].value: r[1].value for r in book["_wt"].iter_rows(max_col=2)}
    assert meta["format"] == "workbook_tools_review" and meta["units"] == ",".join(UNITS)
    assert meta["signature"]


def test_review_sheet_prints_as_the_units_record(campaign, review_file):
    """Portrait A4 fitted to the page width at full size, the column header on every page, page
    numbers from 1 on each unit, texts trimmed (an unnumbered item indented by its format), rows as
    tall as their text, and the record on at most 7 pages."""
    book = openpyxl.load_workbook(review_file)
    for code in UNITS:
        ws = unit_sheet(book, code)
        setup = ws.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToHeight) == ("portrait", 9, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth or 1) == 1
        assert setup.useFirstPageNumber and not setup.firstPageNumber  # 'Trang 1' on each unit's first page
        assert ws.print_title_rows == f"${HEADER_ROW + 1}:${HEADER_ROW + 1}"
        assert ws.cell(HEADER_ROW + 1, C_ID + 1).value == MARK_HEADER
        heights = {r - 1: ws.row_dimensions[r].height for r in range(1, ws.max_row + 1)}
        assert all(heights.values()), "every row has a height computed from its text"
        breaks = [b.id for b in ws.row_breaks.brk]
        assert len(page_starts(heights, HEADER_ROW, breaks, body_height(TABLE_MARGINS))) <= 7
    page_width = 595.3 - (TABLE_MARGINS["left"] + TABLE_MARGINS["right"]) * 72
    assert columns_pt(*(w for col, w in WIDTHS.items() if col != C_ID)) <= page_width  # printed at 100 %
    ws = unit_sheet(book, "03549")
    block = blocks(campaign, "03549")["qcdc-hd22"]
    for row in block.rows:
        cell = ws.cell(row.row + 1, C_TEXT + 1)
        assert cell.value == row.node.text.strip() and not cell.value.startswith(" ")
        assert (cell.alignment.indent or 0) == row.indent
    assert sum(row.indent for row in block.rows) >= 10  # the items under 1.4 and the like


def test_index_links_to_every_unit_sheet(review_file):
    book = openpyxl.load_workbook(review_file)
    index = book["Danh sách"]
    links = {c.value: c.hyperlink.location for row in index.iter_rows() for c in row if c.hyperlink}
    assert links == {code: f"'{unit_sheet(book, code).title}'!A1" for code in UNITS}


def test_review_written_with_a_header_per_form_is_still_read(campaign, inbox, review_file, tmp_path):
    """Review workbooks written before the shared header row had a header row under each form's title
    (the rows below one row lower per form): still read, no row reported moved."""
    filled = team_fill(campaign, review_file, tmp_path / "old.xlsx", {"03549": {"dvcq-qd248": {"i.1": 1}}})
    book = openpyxl.load_workbook(filled)
    ws = unit_sheet(book, "03549")
    labels = [ws.cell(HEADER_ROW + 1, col).value for col in range(1, C_FINAL + 2)]
    ws.delete_rows(HEADER_ROW + 1)
    ws.insert_rows(HEADER_ROW + 1)  # the old sheet had an empty row there
    for block in sorted(blocks(campaign, "03549").values(), key=lambda b: -b.title_row):
        ws.insert_rows(block.title_row + 2)
        for col, label in enumerate(labels, start=1):
            ws.cell(block.title_row + 2, col).value = label
        ws.cell(block.title_row + 2, C_ID + 1).value = mark(MARK_HEADER, block.spec.id)
        ws.cell(block.title_row + 2, C_TEXT + 1).value = block.spec.content_label
    book.save(filled)
    collection = collect(campaign, inbox, review_path=filled)
    assert not [p for code, p in collection.review.problems if code == "03549"]
    assert collection.review.team("03549", "dvcq-qd248").scores == {"i.1": Decimal(1)}
    assert plan_review_sheet([campaign.form("qcdc-hd22")], header_per_form=True)[0].rows[0].row == 6


def test_review_printed_by_libreoffice(office, review_file, tmp_path):
    """As printed: the index on one page with decimal commas; each unit's record numbered from
    'Trang 1', named in the footer, with the column header on every page, on at most 7 pages."""
    pages = pdf_pages(office, review_file, tmp_path)
    footers = [[line for line in page.splitlines() if line.strip()][-1].split() for page in pages]
    assert "DANH SÁCH ĐƠN VỊ" in pages[0] and footers[0][-2:] == ["Trang", "1"]
    assert DECIMAL_COMMA.search(pages[0]) and not DECIMAL_POINT.search(pages[0])
    printed = 1
    for code in UNITS:
        record = [i for i, footer in enumerate(footers) if f"{code})" in footer]
        assert 1 <= len(record) <= 7 and record == list(range(record[0], record[0] + len(record)))
        assert [footers[i][-1] for i in record] == [str(n) for n in range(1, len(record) + 1)]
        assert all("NỘI DUNG ĐÁNH GIÁ" in pages[i] for i in record)
        printed += len(record)
    assert len(pages) == printed  # no page of anything else


def test_rows_without_team_score_keep_self_score(campaign, inbox, review_file, tmp_path):
    plain = collect(campaign, inbox)
    reviewed = collect(campaign, inbox, review_path=review_file)  # nothing entered yet
    for a, b in zip(plain.units, reviewed.units):
        for fa, fb in zip(a.forms, b.forms):
            assert (fa.total, fa.rank_overall, fa.status) == (fb.total, fb.rank_overall, fb.status)


def test_team_cuts_change_the_ranking(campaign, inbox, review_file, tmp_path):
    plain = collect(campaign, inbox)
    by = {u.unit.code: u.form("qcdc-hd22") for u in plain.units}
    assert by["03549"].rank_in_group == 1 and by["03391"].rank_in_group == 2
    gap = by["03549"].total - by["03391"].total
    own = by["03549"].result.scores
    cuts, taken = {}, Decimal(0)
    for criterion in campaign.form("qcdc-hd22").criteria():
        if taken > gap:
            break
        if own[criterion.id] > 0:
            cuts[criterion.id] = Decimal(0)
            taken += own[criterion.id]
    cuts[next(iter(cuts))] = (Decimal(0), "")  # one change without a reason
    filled = team_fill(campaign, review_file, tmp_path / "da-cham.xlsx", {"03549": {"qcdc-hd22": cuts}})
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["collect", str(SAMPLE), "--inbox", str(inbox), "--out", str(out),
                                       "--review", str(filled)])
    assert result.exit_code == 0, result.output
    assert "Đã áp điểm Tổ kiểm tra từ phiếu chấm 'da-cham.xlsx' cho 5 đơn vị" in result.output
    rows = units_csv(out)
    assert rows[("03391", "qcdc-hd22")]["rank_in_group"] == "1"
    assert rows[("03549", "qcdc-hd22")]["rank_in_group"] == "2"
    assert Decimal(rows[("03549", "qcdc-hd22")]["total"]) == by["03549"].total - taken
    with (out / "scores.csv").open(encoding="utf-8-sig", newline="") as handle:
        team = {r["criterion_id"]: r["team_score"] for r in csv.DictReader(handle)
                if r["unit_code"] == "03549" and r["form_id"] == "qcdc-hd22"}
    assert {k for k, v in team.items() if v} == set(cuts) and all(team[k] == "0" for k in cuts)
    with (out / "issues.csv").open(encoding="utf-8-sig", newline="") as handle:
        codes = [r["code"] for r in csv.DictReader(handle)]
    assert codes.count("REVIEW_REASON_MISSING") == 1
    book = openpyxl.load_workbook(out / "tong-hop.xlsx")
    assert "Kết quả kiểm tra" in book.sheetnames
    header = [c.value for row in book["Tổng hợp"].iter_rows(max_row=12) for c in row]
    assert {"Tự chấm", "Sau kiểm tra", "Chênh lệch"} <= set(header)
    notice = docx.Document(str(out / "thong-bao" / "03549_Thi_tran_Phong_Tho.docx"))
    texts = [p.text for p in notice.paragraphs]
    assert texts[:2] == ["THÔNG BÁO", "Kết quả kiểm tra, đánh giá, xếp loại việc thực hiện QCDC và công tác dân vận "
                                      "chính quyền năm 2023"]
    assert any(t.startswith(f"Các tiêu chí Tổ kiểm tra điều chỉnh ({len(cuts)})") for t in texts)
    assert any("xếp thứ 2/3 trong UBND các xã, thị trấn" in t for t in texts)
    changed = next([[c.text for c in row.cells] for row in t.rows] for t in notice.tables
                   if t.rows[0].cells[1].text == "Tiêu chí")  # the QCDC rows changed (DVCQ has none)
    paths = section_paths(campaign.form("qcdc-hd22"))
    assert [r[0] for r in changed[1:]] == [paths[c] for c in cuts]
    assert all(r[4] == "0" and r[5] in ("Thiếu minh chứng", "(không ghi lý do)") for r in changed[1:])
    assert sorted(p.name for p in (out / "thong-bao").iterdir()) == sorted(
        f.name.replace(".xlsx", ".docx") for f in inbox.iterdir())


def test_team_required_rule(inbox, tmp_path):
    path = campaign_copy(tmp_path / "dot", "team_required")
    campaign = load_campaign(path)
    review = tmp_path / "phieu.xlsx"
    result = CliRunner().invoke(main, ["review", str(path), "--inbox", str(inbox), "--out", str(review)])
    assert result.exit_code == 0, result.output
    spec = campaign.form("qcdc-hd22")
    everything = {c.id: Decimal(1) if c.max >= 1 else Decimal(0) for c in spec.criteria()}
    filled = team_fill(campaign, review, tmp_path / "da-cham.xlsx", {"CQ02": {"qcdc-hd22": everything}})
    collection = collect(campaign, inbox, review_path=filled)
    by = {u.unit.code: u for u in collection.units}
    cq02 = by["CQ02"].form("qcdc-hd22")
    assert cq02.status == "valid" and cq02.total == sum(everything.values()) and cq02.rank_overall == 1
    assert by["CQ02"].form("dvcq-qd248").status == "invalid"  # the team scored nothing there
    other = by["03549"].form("qcdc-hd22")
    assert other.status == "invalid" and other.rank_overall is None
    assert any(p.code == "REVIEW_INCOMPLETE" for p in other.errors)


def test_review_workbook_is_untrusted(campaign, inbox, review_file, tmp_path):
    block = blocks(campaign, "03391")["qcdc-hd22"]

    def edit(book):
        ws = unit_sheet(book, "03391")
        ws.cell(block.row_of("a.1") + 1, C_TEAM + 1).value = 9  # above its maximum 5, pasted
        ws.delete_rows(block.row_of("b.1") + 1)                 # a row deleted
        ws.protection.sheet = False
    bad = team_fill(campaign, review_file, tmp_path / "bad.xlsx", {"03391": {"qcdc-hd22": {"a.2": 3}}})
    book = openpyxl.load_workbook(bad)
    edit(book)
    book.save(bad)
    collection = collect(campaign, inbox, review_path=bad)
    problems = {p.code: p for code, p in collection.review.problems if code == "03391"}
    assert problems["SCORE_OUT_OF_RANGE"].file == "bad.xlsx"
    assert problems["SCORE_OUT_OF_RANGE"].cell == cell_ref(block.row_of("a.1"), C_TEAM)
    assert {"WB_ROW_MISSING", "WB_PROTECTION_REMOVED", "WB_ROWS_MOVED"} <= set(problems)
    unit = next(u for u in collection.units if u.unit.code == "03391")
    assert unit.form("qcdc-hd22").status == "invalid" and unit.form("qcdc-hd22").team.get("a.2") == 3
    assert unit.form("dvcq-qd248").status == "valid"

    forged = openpyxl.load_workbook(review_file)
    set_identity(forged, "units", "03549")
    forged.save(tmp_path / "forged.xlsx")
    collection = collect(campaign, inbox, review_path=tmp_path / "forged.xlsx")
    assert [p.code for _, p in collection.review.problems] == ["REVIEW_SIGNATURE_BAD"]
    assert not collection.review.usable
    assert any(r.problem.code == "REVIEW_SIGNATURE_BAD" for r in collection.issues)

    unit_file = next(inbox.iterdir())
    collection = collect(campaign, inbox, review_path=unit_file)
    assert [p.code for _, p in collection.review.problems] == ["REVIEW_NOT_REVIEW"]


def test_review_made_under_another_rule_or_missing_a_unit_sheet(inbox, review_file, tmp_path):
    """The review was made with self_if_blank; the campaign now says team_required: the current rule
    applies, with a warning. A unit's sheet deleted from the review: that unit was not reviewed."""
    campaign = load_campaign(campaign_copy(tmp_path / "dot", "team_required"))
    book = openpyxl.load_workbook(review_file)
    del book[unit_sheet(book, "03391").title]
    book.save(tmp_path / "thieu-trang.xlsx")
    collection = collect(campaign, inbox, review_path=tmp_path / "thieu-trang.xlsx")
    problems = [(code, p.code) for code, p in collection.review.problems]
    assert ("", "REVIEW_RULE_CHANGED") in problems and ("03391", "REVIEW_SHEET_MISSING") in problems
    assert collection.review.usable and collection.review.team("03391", "qcdc-hd22") is None
    assert collection.review.team("03549", "qcdc-hd22") is not None


def test_stale_review_is_flagged(campaign, inbox, review_file, tmp_path):
    newer = tmp_path / "inbox"
    shutil.copytree(inbox, newer)
    issued = generate_campaign(SAMPLE, tmp_path / "issued", units=("CQ01",))
    rng = random.Random(99)
    (newer / "CQ01_lan2.xlsx").write_bytes(fast_fill(
        campaign, issued.files[0].path.read_bytes(), sample_scores(campaign, rng, 0.5),
        sample_figures(campaign, rng), ON_TIME + dt.timedelta(days=1)))
    collection = collect(campaign, newer, review_path=review_file)
    stale = [r for r in collection.issues if r.problem.code == "REVIEW_STALE"]
    assert [r.unit_code for r in stale] == ["CQ01"]


def test_review_filled_in_libreoffice(office, campaign, inbox, review_file, tmp_path):
    """The team fills the review in LibreOffice: formulas follow, and collect reads the scores."""
    block = blocks(campaign, "CQ01")["dvcq-qd248"]
    values = {cell_ref(block.row_of("i.1"), C_TEAM): 1.5, cell_ref(block.row_of("i.1"), C_REASON): "Chưa có kế hoạch",
              cell_ref(block.row_of("ii.1"), C_TEAM): 2.0, cell_ref(block.row_of("ii.1"), C_REASON): "Số liệu chưa khớp"}
    sheet = next(n for n in openpyxl.load_workbook(review_file, read_only=True).sheetnames if n.startswith("CQ01 "))
    saved = tmp_path / "lo.xlsx"
    office.fill_recalc_save(review_file, saved, {sheet: values})
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["collect", str(SAMPLE), "--inbox", str(inbox), "--out", str(out),
                                       "--review", str(saved)])
    assert result.exit_code == 0, result.output
    with (out / "scores.csv").open(encoding="utf-8-sig", newline="") as handle:
        team = {r["criterion_id"]: r["team_score"] for r in csv.DictReader(handle)
                if r["unit_code"] == "CQ01" and r["form_id"] == "dvcq-qd248" and r["team_score"]}
    assert team == {"i.1": "1.5", "ii.1": "2"}
    collection = collect(campaign, inbox, review_path=saved)
    assert collection.review.usable and not [p for _, p in collection.review.problems if p.severity == "error"]
    form = next(u for u in collection.units if u.unit.code == "CQ01").form("dvcq-qd248")
    assert form.team == {"i.1": Decimal("1.5"), "ii.1": Decimal(2)}
    assert form.reasons == {"i.1": "Chưa có kế hoạch", "ii.1": "Số liệu chưa khớp"}
    expected = dict(form.result.scores, **form.team)
    assert form.final == expected and form.total == sum(expected.values())
    total_ref = cell_ref(block.total_row, 8)
    cached = office.read_cells(saved, {sheet: [total_ref]}, recalc=False)[sheet][total_ref]
    assert Decimal(str(cached)) == form.total  # the live formula in Calc agrees with the collector
    recalculated = openpyxl.load_workbook(saved)[sheet]
    for ref in (total_ref, cell_ref(block.row_of("i.1"), 8)):  # still printed 3,5 after Calc recalculated
        assert recalculated[ref].number_format.startswith("[$-42A]"), recalculated[ref].number_format


def test_notice_and_ranking_print_per_decree_30(office, campaign, inbox, review_file, tmp_path):
    """A notice after a review round, printed by LibreOffice: the header block whole, the title, page
    numbers from page 2, every changed row by its place in the table with both scores and the reason,
    no word cut, decimal commas; and the ranking table beside the summary."""
    own = {u.unit.code: u for u in collect(campaign, inbox).units}["03549"]
    rows = {"qcdc-hd22": ("a.1", "d.i.1.3b", "d.i.1.4.b"), "dvcq-qd248": ("ii.1",)}
    entries = {}
    for form_id, ids in rows.items():
        scores = own.form(form_id).result.scores
        entries[form_id] = {i: (scores[i] - Decimal("0.5") if scores[i] >= 1 else scores[i] + Decimal("0.5"),
                                "Biên bản chưa đủ chữ ký" if i != "d.i.1.4.b" else "") for i in ids}
    filled = team_fill(campaign, review_file, tmp_path / "da-cham.xlsx", {"03549": entries})
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["collect", str(SAMPLE), "--inbox", str(inbox), "--out", str(out),
                                       "--review", str(filled)])
    assert result.exit_code == 0, result.output
    issuer = ("ỦY BAN NHÂN DÂN", "HUYỆN PHONG THỔ")
    notice = out / "thong-bao" / "03549_Thi_tran_Phong_Tho.docx"
    pages = pdf_pages(office, notice, tmp_path)
    check_printed(notice, pages, issuer, ("THÔNG BÁO", "Số: ....../TB-UBND"))
    assert 2 <= len(pages) <= 3, len(pages)  # README: 2-3 pages for a unit with a few rows changed
    words = {w for page in pages for w in page.split()}
    assert {"A.1", "D.I.1.3", "(thứ", "D.I.1.4,", "dòng", "II.1", "(không", "ghi", "lý", "do)"} <= words
    text = "\n".join(pages)
    assert {"Biên", "bản", "chưa", "đủ", "chữ", "ký"} <= words and "Tổ kiểm tra giữ nguyên" not in text
    assert "PHÓ CHỦ TỊCH" in pages[-1] and "Nơi nhận:" in pages[-1]
    for spec in campaign.scored_forms:
        ranking = out / f"bang-xep-loai-{spec.id}.docx"
        pages = pdf_pages(office, ranking, tmp_path)
        title = f"BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI {spec.short_name} NĂM 2023"
        check_printed(ranking, pages, issuer, (title, "(Điểm sau kiểm tra, đánh giá của Tổ kiểm tra)"))
        assert len(pages) == 2  # the 30 units that sent nothing listed too
