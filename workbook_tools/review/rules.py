"""How the team's score becomes the final score (the campaign's ``review_rule``): the rule told in
words, the final-score formula, the team cell's validation and a fresh sheet's classification."""

from __future__ import annotations

from decimal import Decimal

from workbook_tools.form.layout import cell_ref
from workbook_tools.form.review_layout import C_SELF, C_TEAM
from workbook_tools.spec.base import format_points
from workbook_tools.spec.campaign import Campaign, ReviewRule
from workbook_tools.spec.criteria import CriteriaSpec
from workbook_tools.spec.scoring import INCOMPLETE, round2

RULE_TEXT = {
    ReviewRule.SELF_IF_BLANK: "Điểm sau kiểm tra = điểm Tổ KT chấm; dòng Tổ KT để trống thì giữ điểm đơn vị tự chấm.",
    ReviewRule.TEAM_REQUIRED: "Điểm sau kiểm tra chỉ lấy điểm Tổ KT chấm: phải chấm đủ mọi dòng mới xếp hạng được.",
}


def final_formula(rule: str, row: int) -> str:
    """The final score of a row: the team's, else (by the rule) the unit's own."""
    team, own = cell_ref(row, C_TEAM), cell_ref(row, C_SELF)
    if rule == ReviewRule.TEAM_REQUIRED:
        return f'=IF({team}<>"",{team},"")'
    return f'=IF({team}<>"",{team},IF({own}<>"",{own},""))'


def team_validation(maximum: Decimal) -> dict:
    """The team's score cell takes a number from 0 to the row's maximum."""
    text = format_points(maximum)
    return {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": float(maximum),
            "input_title": f"Điểm chuẩn: {text}",
            "input_message": f"Tổ KT nhập điểm từ 0 đến {text}; để trống nếu giữ điểm đơn vị tự chấm.",
            "error_title": "Điểm không hợp lệ",
            "error_message": f"Điểm phải là một số từ 0 đến {text}. Bấm Thử lại (Retry) và nhập lại.",
            "error_type": "stop", "ignore_blank": True}


def cached_class(campaign: Campaign, spec: CriteriaSpec, scores: dict) -> str:
    """The classification a fresh review sheet shows before the team enters anything."""
    complete = all(c.id in scores for c in spec.criteria())
    if campaign.review_rule != ReviewRule.SELF_IF_BLANK or not complete:
        return INCOMPLETE
    return spec.bands.classify(round2(sum(scores.values(), Decimal(0))))
