"""The inspection team's review workbook ("Phiếu chấm của Tổ kiểm tra, đánh giá").

One sheet per unit, holding every scored form of that unit one below the other, because the
team inspects one unit at a time and each sheet then prints as that unit's record; an index
sheet lists every unit with live totals. On each row: the unit's self-score and evidence note
(locked), the team's score (unlocked, validated 0..maximum), the reason for a change
(unlocked) and the final score (formula, following the campaign's ``review_rule``). Subtotals,
totals, counts and the classification are live formulas with correct cached values.

Like the unit workbooks it is protected, carries hidden row ids in column A and a signed
identity (hidden sheet ``_wt`` and document properties), so ``collect --review`` can read it
back as untrusted input.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from xlsxwriter.worksheet import Worksheet

from workbook_tools import TEMPLATE_VERSION
from workbook_tools.collect.pipeline import collect
from workbook_tools.fileio import atomic_path
from workbook_tools.form.identity import REVIEW_FORMAT
from workbook_tools.form.layout import cell_ref, runs
from workbook_tools.form.review_layout import (
    C_FINAL,
    C_ID,
    C_MAX,
    C_NOTE,
    C_REASON,
    C_SELF,
    C_STT,
    C_TEAM,
    C_TEXT,
    HEADERS,
    MARK_CLASS,
    MARK_COUNT,
    MARK_HEADER,
    MARK_TOTAL,
    WIDTHS,
    FormBlock,
    mark,
    plan_review_sheet,
    row_id,
)
from workbook_tools.form.signing import SIGNATURE_KEY, load_or_create_key, sign
from workbook_tools.generate.common import write_identity
from workbook_tools.paper.page import PROTECT_OPTIONS, page_footer, print_setup, text_height
from workbook_tools.paper.styles import FONT, INPUT_FILL, SECTION_FILL, WORKBOOK_OPTIONS, Styles, make_styles
from workbook_tools.paper.xlsx_compat import TextWorkbook
from workbook_tools.results.model import Collection, UnitOutcome, local_text
from workbook_tools.spec.base import format_points
from workbook_tools.spec.campaign import Campaign, ReviewRule, Unit, load_campaign
from workbook_tools.spec.criteria import CriteriaSpec, Section
from workbook_tools.spec.scoring import INCOMPLETE, round2, section_total

INDEX_SHEET = "Danh sách"
RULE_TEXT = {
    ReviewRule.SELF_IF_BLANK: "Điểm sau kiểm tra = điểm Tổ KT chấm; dòng Tổ KT để trống thì giữ điểm đơn vị tự chấm.",
    ReviewRule.TEAM_REQUIRED: "Điểm sau kiểm tra chỉ lấy điểm Tổ KT chấm: phải chấm đủ mọi dòng mới xếp hạng được.",
}


def sheet_name_for(unit: Unit, used: set[str]) -> str:
    """A valid, unique sheet name: the unit code then its name, at most 31 characters."""
    base = re.sub(r"[\[\]:*?/\\']", "", f"{unit.code} {unit.name}")[:31].strip()
    name, index = base, 2
    while name.lower() in used:
        suffix = f" ({index})"
        name, index = base[:31 - len(suffix)] + suffix, index + 1
    used.add(name.lower())
    return name


@dataclass(frozen=True)
class ReviewResult:
    """What ``review`` wrote."""

    path: Path
    units: tuple[Unit, ...]
    skipped: tuple[Unit, ...]  # roster units with no counted file


def default_review_path(campaign: Campaign) -> Path:
    """output/<campaign id>/to-kiem-tra/phieu-cham-to-kiem-tra.xlsx"""
    return Path("output") / campaign.id / "to-kiem-tra" / "phieu-cham-to-kiem-tra.xlsx"


def build_review(campaign_path: Path | str, inbox: Path | str, out: Path | str | None = None,
                 progress=None) -> ReviewResult:
    """Collect the inbox and write the review workbook for every unit whose file counts."""
    campaign = load_campaign(campaign_path)
    collection = collect(campaign, Path(inbox), progress)
    path = Path(out) if out else default_review_path(campaign)
    key, _ = load_or_create_key(Path(campaign.secret_key_file))
    units = [u for u in collection.units if u.file is not None]
    with atomic_path(path) as tmp:
        write_review(collection, units, tmp, key)
    skipped = tuple(u.unit for u in collection.units if u.file is None)
    return ReviewResult(path, tuple(u.unit for u in units), skipped)


def write_review(collection: Collection, units: list[UnitOutcome], path: Path, key: bytes) -> None:
    """Write the review workbook for these units to path."""
    campaign = collection.campaign
    wb = TextWorkbook(str(path), WORKBOOK_OPTIONS)
    st = make_styles(wb)
    fm = _extra_formats(wb)
    index = wb.add_worksheet(INDEX_SHEET)
    used: set[str] = {INDEX_SHEET.lower(), "_wt"}
    names = {u.unit.code: sheet_name_for(u.unit, used) for u in units}
    totals = {}
    for outcome in units:
        totals[outcome.unit.code] = _unit_sheet(wb, st, fm, campaign, outcome, names[outcome.unit.code])
    _index_sheet(index, st, fm, collection, units, names, totals)
    meta = review_metadata(collection, units, names)
    meta[SIGNATURE_KEY] = sign(meta, key)
    wb.set_properties({"title": f"Phiếu chấm của Tổ kiểm tra - {campaign.name}",
                       "author": campaign.receiving_office, "company": campaign.issuer})
    write_identity(wb, st, meta, campaign.sheet_password)
    wb.close()


def review_metadata(collection: Collection, units: list[UnitOutcome], names: dict[str, str]) -> dict[str, str]:
    """Identity of a review workbook: campaign, forms, units, their sheets and source files."""
    campaign = collection.campaign
    forms = campaign.scored_forms
    meta = {
        "format": REVIEW_FORMAT, "template_version": TEMPLATE_VERSION, "campaign_id": campaign.id,
        "campaign_year": str(campaign.year), "file_id": str(uuid.uuid4()),
        "generated_at": collection.run_at.isoformat(timespec="seconds"),
        "review_rule": campaign.review_rule,
        "forms": ",".join(f.id for f in forms),
        "units": ",".join(u.unit.code for u in units),
    }
    for form in forms:
        meta[f"form.{form.id}.sha256"] = form.content_hash
    for outcome in units:
        meta[f"unit.{outcome.unit.code}.sheet"] = names[outcome.unit.code]
        meta[f"unit.{outcome.unit.code}.source_sha256"] = outcome.file.found.sha256
    return meta


def _extra_formats(wb):
    base = {"font_name": FONT, "font_size": 11, "valign": "vcenter", "border": 1}
    return {
        "team": wb.add_format({**base, "align": "center", "locked": False, "bg_color": INPUT_FILL}),
        "reason": wb.add_format({**base, "text_wrap": True, "locked": False, "bg_color": INPUT_FILL}),
        "note": wb.add_format({**base, "text_wrap": True, "font_size": 10}),
        "final": wb.add_format({**base, "align": "center", "bold": True}),
        "final_section": wb.add_format({**base, "align": "center", "bold": True, "bg_color": SECTION_FILL}),
    }


def _unit_sheet(wb, st: Styles, fm: dict, campaign: Campaign, outcome: UnitOutcome, name: str) -> dict:
    """One unit's sheet; returns {form id: 0-based total row} for the index sheet."""
    ws = wb.add_worksheet(name)
    for col, width in WIDTHS.items():
        ws.set_column(col, col, width, None, {"hidden": col == C_ID})
    unit = outcome.unit
    ws.merge_range(0, C_STT, 0, C_FINAL, "PHIẾU CHẤM ĐIỂM CỦA TỔ KIỂM TRA, ĐÁNH GIÁ", st.title)
    ws.merge_range(1, C_STT, 1, C_FINAL, f"Đơn vị: {unit.name} (mã {unit.code})", st.bold_center)
    file = outcome.file
    source = (f"Điểm tự chấm lấy từ tệp '{file.found.rel}', lưu lúc "
              f"{local_text(file.saved_at, campaign.timezone)}. {RULE_TEXT[campaign.review_rule]}")
    ws.merge_range(2, C_STT, 2, C_FINAL, source, st.note)
    ws.set_row(2, text_height(source, 130, 11))
    blocks = plan_review_sheet(list(campaign.scored_forms_for(unit)))
    totals = {}
    for block in blocks:
        form = outcome.form(block.spec.id)
        result = form.result if form else None
        _form_block(ws, st, fm, campaign, block, result)
        totals[block.spec.id] = block
    last = blocks[-1].classification_row + 2 if blocks else 4
    ws.merge_range(last, C_TEAM, last, C_FINAL, "ĐẠI DIỆN TỔ KIỂM TRA, ĐÁNH GIÁ", st.bold_center)
    ws.merge_range(last + 4, C_TEAM, last + 4, C_FINAL, "", fm["reason"])
    ws.protect(campaign.sheet_password, PROTECT_OPTIONS)
    print_setup(ws, landscape=True, area=(0, C_STT, last + 4, C_FINAL), footer=page_footer(), gridlines=False)
    if blocks:
        first = blocks[0].criterion_rows()[0].row
        ws.freeze_panes(blocks[0].header_row + 1, 0)
        ws.set_selection(first, C_TEAM, first, C_TEAM)
    return totals


def _form_block(ws: Worksheet, st: Styles, fm: dict, campaign: Campaign, block: FormBlock, result) -> None:
    spec = block.spec
    scores = result.scores if result else {}
    notes = result.notes if result else {}
    ws.merge_range(block.title_row, C_STT, block.title_row, C_FINAL,
                   f"{spec.short_name}: {spec.titles(campaign.year)[0]}", st.para_bold)
    ws.set_row(block.title_row, text_height(spec.titles(campaign.year)[0], 120, 12, bold=True))
    ws.write_string(block.header_row, C_ID, mark(MARK_HEADER, spec.id))
    for col, label in {**HEADERS, C_TEXT: spec.content_label}.items():
        ws.write_string(block.header_row, col, label, st.table_header)
    ws.set_row(block.header_row, 45)
    for item in block.rows:
        node, row = item.node, item.row
        ws.write_string(row, C_ID, row_id(spec.id, node.id))
        text = ("   " * item.depth) + node.text
        if isinstance(node, Section):
            ws.write_string(row, C_STT, node.stt, st.section_stt)
            ws.write_string(row, C_TEXT, text, st.section)
            ws.write_number(row, C_MAX, float(node.max), st.section_number)
            refs = [block.row_of(c.id) for c in node.criteria()]
            self_value = section_total(node, scores)
            for col, cached in ((C_SELF, self_value), (C_TEAM, 0), (C_FINAL, self_value)):
                ws.write_formula(row, col, f"=ROUND(SUM({','.join(runs(refs, col))}),2)",
                                 st.section_number, float(cached))
            ws.write_blank(row, C_NOTE, None, st.section)
            ws.write_blank(row, C_REASON, None, st.section)
            ws.set_row(row, text_height(text, WIDTHS[C_TEXT], 12, bold=True))
            continue
        ws.write_string(row, C_STT, node.stt, st.criterion_stt)
        ws.write_string(row, C_TEXT, text, st.criterion)
        ws.write_number(row, C_MAX, float(node.max), st.number)
        if node.id in scores:
            ws.write_number(row, C_SELF, float(scores[node.id]), st.number)
        else:
            ws.write_blank(row, C_SELF, None, st.number)
        ws.write_string(row, C_NOTE, notes.get(node.id, ""), fm["note"])
        ws.write_blank(row, C_TEAM, None, fm["team"])
        ws.data_validation(row, C_TEAM, row, C_TEAM, _team_validation(node.max))
        ws.write_blank(row, C_REASON, None, fm["reason"])
        final_cached = float(scores[node.id]) if node.id in scores and campaign.review_rule == ReviewRule.SELF_IF_BLANK else ""
        ws.write_formula(row, C_FINAL, _final_formula(campaign.review_rule, row), fm["final"], final_cached)
        height = max(text_height(text, WIDTHS[C_TEXT], 12), text_height(notes.get(node.id, ""), WIDTHS[C_NOTE], 10))
        ws.set_row(row, height)
    _totals(ws, st, fm, campaign, block, scores)


def _final_formula(rule: str, row: int) -> str:
    team, own = cell_ref(row, C_TEAM), cell_ref(row, C_SELF)
    if rule == ReviewRule.TEAM_REQUIRED:
        return f'=IF({team}<>"",{team},"")'
    return f'=IF({team}<>"",{team},IF({own}<>"",{own},""))'


def _team_validation(maximum: Decimal) -> dict:
    text = format_points(maximum)
    return {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": float(maximum),
            "input_title": f"Điểm chuẩn: {text}",
            "input_message": f"Tổ KT nhập điểm từ 0 đến {text}; để trống nếu giữ điểm đơn vị tự chấm.",
            "error_title": "Điểm không hợp lệ",
            "error_message": f"Điểm phải là một số từ 0 đến {text}. Bấm Thử lại (Retry) và nhập lại.",
            "error_type": "stop", "ignore_blank": True}


def _totals(ws: Worksheet, st: Styles, fm: dict, campaign: Campaign, block: FormBlock, scores: dict) -> None:
    spec = block.spec
    rows = [r.row for r in block.criterion_rows()]
    self_total = round2(sum(scores.values(), Decimal(0)))
    final_cached = float(self_total) if campaign.review_rule == ReviewRule.SELF_IF_BLANK else 0.0
    ws.write_string(block.total_row, C_ID, mark(MARK_TOTAL, spec.id))
    ws.merge_range(block.total_row, C_STT, block.total_row, C_TEXT, spec.total_label, st.total_label)
    ws.write_number(block.total_row, C_MAX, float(spec.total), st.total_number)
    for col, cached in ((C_SELF, float(self_total)), (C_TEAM, 0.0), (C_FINAL, final_cached)):
        ws.write_formula(block.total_row, col, f"=ROUND(SUM({','.join(runs(rows, col))}),2)",
                         st.total_number, cached)
    for col in (C_NOTE, C_REASON):
        ws.write_blank(block.total_row, col, None, st.total_number)
    ws.write_string(block.count_row, C_ID, mark(MARK_COUNT, spec.id))
    ws.merge_range(block.count_row, C_STT, block.count_row, C_NOTE, "Số tiêu chí Tổ KT đã chấm / số tiêu chí",
                   st.total_label)
    ws.write_formula(block.count_row, C_TEAM, f"=COUNT({','.join(runs(rows, C_TEAM))})", st.total_number, 0)
    ws.write_number(block.count_row, C_REASON, len(rows), st.total_number)
    ws.write_blank(block.count_row, C_FINAL, None, st.total_number)
    total_ref = cell_ref(block.total_row, C_FINAL)
    label = f'"{spec.bands.items[-1].label}"'
    for band in reversed(spec.bands.items[:-1]):
        label = f'IF({total_ref}>={format(band.min.normalize(), "f")},"{band.label}",{label})'
    formula = f'=IF(COUNT({",".join(runs(rows, C_FINAL))})<{len(rows)},"{INCOMPLETE}",{label})'
    cached = cached_class(campaign, spec, scores)
    ws.write_string(block.classification_row, C_ID, mark(MARK_CLASS, spec.id))
    ws.merge_range(block.classification_row, C_STT, block.classification_row, C_TEAM,
                   f"{spec.classification_label} (theo điểm sau kiểm tra)", st.total_label)
    ws.merge_range(block.classification_row, C_REASON, block.classification_row, C_FINAL, "", st.classification)
    ws.write_formula(block.classification_row, C_REASON, formula, st.classification, cached)


def cached_class(campaign: Campaign, spec: CriteriaSpec, scores: dict) -> str:
    """The classification a fresh review sheet shows before the team enters anything."""
    complete = all(c.id in scores for c in spec.criteria())
    if campaign.review_rule != ReviewRule.SELF_IF_BLANK or not complete:
        return INCOMPLETE
    return spec.bands.classify(round2(sum(scores.values(), Decimal(0))))


def _index_sheet(ws: Worksheet, st: Styles, fm: dict, collection: Collection, units: list[UnitOutcome],
                 names: dict[str, str], blocks: dict[str, dict]) -> None:
    """Every unit with live links to its totals (self, team count, final, classification)."""
    campaign = collection.campaign
    forms = campaign.scored_forms
    last_col = 2 + 3 * len(forms)
    ws.merge_range(0, 0, 0, last_col, "PHIẾU CHẤM CỦA TỔ KIỂM TRA, ĐÁNH GIÁ - DANH SÁCH ĐƠN VỊ", st.title)
    ws.merge_range(1, 0, 1, last_col, campaign.name, st.subtitle)
    guide = ("Mỗi đơn vị một trang (tên trang bắt đầu bằng mã đơn vị). Tổ KT chỉ nhập vào các ô nền vàng: "
             "cột 'Tổ KT, đánh giá chấm' (từ 0 đến điểm chuẩn) và 'Lý do điều chỉnh'. "
             + RULE_TEXT[campaign.review_rule] + " Chấm xong, gửi lại tệp này cho Phòng Nội vụ để tổng hợp "
             "(lệnh collect --review).")
    ws.merge_range(2, 0, 2, last_col, guide, st.note)
    ws.set_row(2, text_height(guide, 100, 11))
    header = 4
    ws.write_string(header, 0, "STT", st.table_header)
    ws.write_string(header, 1, "Đơn vị", st.table_header)
    ws.write_string(header, 2, "Trang", st.table_header)
    for index, spec in enumerate(forms):
        col = 3 + 3 * index
        for offset, label in enumerate(("tự chấm", "sau kiểm tra", "xếp loại")):
            ws.write_string(header, col + offset, f"{spec.short_name} {label}", st.table_header)
    ws.set_row(header, 45)
    for number, outcome in enumerate(units, start=1):
        row = header + number
        code = outcome.unit.code
        ws.write_number(row, 0, number, st.number)
        ws.write_string(row, 1, outcome.unit.name, st.criterion)
        ws.write_url(row, 2, f"internal:'{names[code]}'!A1", string=names[code])
        ws.set_row(row, text_height(outcome.unit.name, 34, 12))
        for index, spec in enumerate(forms):
            col = 3 + 3 * index
            block = blocks[code].get(spec.id)
            if block is None:
                for offset in range(3):
                    ws.write_blank(row, col + offset, None, st.number)
                continue
            form = outcome.form(spec.id)
            self_total = float(round2(sum(form.result.scores.values(), Decimal(0)))) if form and form.result else 0.0
            ref = f"'{names[code]}'!"
            final = self_total if campaign.review_rule == ReviewRule.SELF_IF_BLANK else 0.0
            ws.write_formula(row, col, f"={ref}{cell_ref(block.total_row, C_SELF)}", st.number, self_total)
            ws.write_formula(row, col + 1, f"={ref}{cell_ref(block.total_row, C_FINAL)}", st.number, final)
            ws.write_formula(row, col + 2, f"={ref}{cell_ref(block.classification_row, C_REASON)}", st.number,
                             cached_class(campaign, spec, form.result.scores if form and form.result else {}))
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 36)
    ws.set_column(2, 2, 32)
    ws.set_column(3, last_col, 11)
    ws.protect(campaign.sheet_password, PROTECT_OPTIONS)
    print_setup(ws, landscape=True, margins=None, repeat_row=header)
