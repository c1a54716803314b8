"""The inspection team's round: review workbook, merging team scores, final ranking, notices."""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLE
from tests.test_collect import set_identity
from workbook_tools.cli import main
from workbook_tools.collect.pipeline import collect
from workbook_tools.demo.fill import fast_fill, sample_figures, sample_scores
from workbook_tools.form.layout import cell_ref
from workbook_tools.form.review_layout import C_REASON, C_SELF, C_TEAM, plan_review_sheet
from workbook_tools.generate.run import generate_campaign
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
    notice = openpyxl.load_workbook(out / "thong-bao" / "03549_Thi_tran_Phong_Tho.xlsx")["Thông báo"]
    texts = [c.value for row in notice.iter_rows() for c in row if isinstance(c.value, str)]
    assert "THÔNG BÁO KẾT QUẢ CHẤM ĐIỂM" in texts and "Kính gửi: UBND THỊ TRẤN PHONG THỔ" in texts
    assert any(t.startswith(f"Các tiêu chí Tổ kiểm tra điều chỉnh ({len(cuts)})") for t in texts)
    assert any("xếp thứ 2/3 trong UBND các xã, thị trấn" in t for t in texts)
    assert sorted(p.name for p in (out / "thong-bao").iterdir()) == sorted(
        f.name for f in inbox.iterdir())


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
