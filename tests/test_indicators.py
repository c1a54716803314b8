"""The indicators spec: every number the two report outlines ask for, typed, with rules."""

from __future__ import annotations

import textwrap

import pytest

from tests.conftest import SPECS
from workbook_tools.problems import WorkbookToolsError
from workbook_tools.spec.indicators import IndicatorSpec, parse_rule
from workbook_tools.spec.load import load_spec

# Figures named in the outlines of the seed document, each must have a field.
OUTLINE_FIGURES = [
    "qcdc_tt_so_buoi", "qcdc_tt_luot_nguoi", "dvcq_tt_so_buoi", "dvcq_tt_luot_nguoi",
    "tthc_sua_doi_bo_sung", "tthc_thay_the", "hs_tiep_nhan", "hs_da_giai_quyet", "hs_qua_han",
    "td_luot_tiep", "kn_tiep_nhan", "kn_da_giai_quyet", "tc_tiep_nhan", "tc_da_giai_quyet",
    "doi_thoai_cap_xa", "doi_thoai_cap_huyen", "doi_thoai_cap_tinh", "hoa_giai_tiep_nhan",
    "ttnd_so_cuoc", "dvk_mo_hinh", "tinh_gian_bien_che", "cb_de_bat_bo_nhiem", "cb_khen_thuong",
    "cb_ky_luat", "hoi_nghi_cbccvc", "dong_nguoi_so_vu", "bcd_kiem_tra_so_cuoc",
]


@pytest.fixture(scope="module")
def spec() -> IndicatorSpec:
    loaded = load_spec(SPECS / "so-lieu-2023.yaml")
    assert isinstance(loaded, IndicatorSpec)
    return loaded


def test_outline_figures_present(spec):
    ids = {i.id for i in spec.indicators()}
    assert set(OUTLINE_FIGURES) <= ids
    assert {i.type for i in spec.indicators()} == {"int", "bool", "date"}
    assert all(g.source for g in spec.groups)


def test_rules(spec):
    rule = next(r for r in spec.rules if r.id == "r.hs_giai_quyet")
    assert rule.holds({"hs_da_giai_quyet": 5, "hs_tiep_nhan": 5}) is True
    assert rule.holds({"hs_da_giai_quyet": 6, "hs_tiep_nhan": 5}) is False
    assert rule.holds({"hs_da_giai_quyet": 6, "hs_tiep_nhan": None}) is None
    total = next(r for r in spec.rules if r.id == "r.xl_tong")
    assert total.left == ("xl_xuat_sac", "xl_tot", "xl_hoan_thanh", "xl_khong_hoan_thanh")


@pytest.mark.parametrize("check, detail", [
    ("a <= zz", "không có chỉ tiêu 'zz'"),
    ("a <= flag", "chỉ tiêu 'flag' không phải kiểu số nguyên"),
    ("a less b", "không đúng dạng 'a + b <= c'"),
])
def test_bad_rules(check, detail):
    assert parse_rule(check, {"a": "int", "b": "int", "flag": "bool"})[3] == detail


def test_bad_indicator_spec(tmp_path):
    path = tmp_path / "so-lieu.yaml"
    path.write_text(textwrap.dedent("""\
        kind: indicators
        id: demo
        version: '1'
        short_name: Demo
        sheet_name: Demo
        groups:
          - id: g
            title: Nhóm
            items:
              - {id: a, label: Số a, type: int}
              - {id: a, label: Số b, type: float}
        rules:
          - {id: r1, check: 'a <= c', message: Sai}
        """), encoding="utf-8")
    with pytest.raises(WorkbookToolsError) as info:
        load_spec(path)
    assert [(p.code, p.line) for p in info.value.problems] == [
        ("SPEC_DUPLICATE_ID", 11), ("VALUE_CHOICE", 11), ("SPEC_RULE", 13)]
