"""Campaign and roster loading, with the problems a district officer could make."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, SPECS
from workbook_tools.problems import WorkbookToolsError
from workbook_tools.spec.campaign import load_campaign
from workbook_tools.spec.outline import load_outline


def test_sample_campaign(campaign):
    assert campaign.id == "phong-tho-2023" and campaign.year == 2023
    assert campaign.deadline.isoformat() == "2023-11-09"
    assert campaign.district == "huyện Phong Thổ" and campaign.province == "tỉnh Lai Châu"
    xa = [u for u in campaign.units if u.group == "xa"]
    assert len(xa) == 17
    assert sum(u.name.startswith("Thị trấn") for u in xa) == 1
    assert {u.group for u in campaign.units} == {"xa", "co_quan"}
    assert len({u.code for u in campaign.units}) == len(campaign.units)
    for unit in campaign.units:
        assert unit.name == unicodedata.normalize("NFC", unit.name)
    assert [f.id for f in campaign.forms] == ["qcdc-hd22", "dvcq-qd248", "so-lieu-2023"]


def copy_sample(tmp_path: Path, roster: str | None = None, campaign_edit=None) -> Path:
    folder = tmp_path / "camp"
    folder.mkdir()
    text = SAMPLE.read_text(encoding="utf-8").replace("../../criteria_specs", str(SPECS))
    if campaign_edit:
        text = campaign_edit(text)
    (folder / "campaign.yaml").write_text(text, encoding="utf-8")
    if roster is None:
        shutil.copy(SAMPLE.parent / "roster.csv", folder / "roster.csv")
    else:
        (folder / "roster.csv").write_text(roster, encoding="utf-8")
    return folder / "campaign.yaml"


def codes(path: Path) -> list[tuple[str, int | None]]:
    with pytest.raises(WorkbookToolsError) as info:
        load_campaign(path)
    return [(p.code, p.line) for p in info.value.problems]


def test_roster_duplicate_code_and_unknown_group(tmp_path):
    roster = "code,name,group\nX1,Xã A,xa\nX1,Xã B,xa\nX2,Xã C,phuong\nbad code,Xã D,xa\n"
    assert codes(copy_sample(tmp_path, roster)) == [
        ("ROSTER_DUPLICATE_CODE", 3), ("CAMPAIGN_GROUP_UNKNOWN", 4), ("ROSTER_BAD_CODE", 5)]


def test_roster_missing_column(tmp_path):
    assert codes(copy_sample(tmp_path, "ma,ten\nX1,Xã A\n")) == [
        ("ROSTER_HEADER", 1), ("ROSTER_HEADER", 1), ("ROSTER_HEADER", 1)]


def test_roster_with_bom_and_nfd_names(tmp_path):
    nfd = unicodedata.normalize("NFD", "Xã Sì Lở Lầu")
    path = copy_sample(tmp_path, "\ufeffcode,name,group\nX1," + nfd + ",xa\n")
    campaign = load_campaign(path)
    assert campaign.units[0].name == "Xã Sì Lở Lầu"


def test_group_with_unknown_form(tmp_path):
    path = copy_sample(tmp_path, campaign_edit=lambda t: t.replace(
        "forms: [qcdc-hd22, dvcq-qd248, so-lieu-2023]\n    reports: [de-cuong-qcdc, de-cuong-dvcq]\n  co_quan",
        "forms: [qcdc-xa, dvcq-qd248]\n    reports: [de-cuong-qcdc, de-cuong-dvcq]\n  co_quan"))
    assert [c for c, _ in codes(path)] == ["CAMPAIGN_FORM_UNKNOWN"]


def test_group_can_have_its_own_forms(tmp_path):
    path = copy_sample(tmp_path, campaign_edit=lambda t: t.replace(
        "forms: [qcdc-hd22, dvcq-qd248, so-lieu-2023]\n    reports: [de-cuong-qcdc, de-cuong-dvcq]\n  co_quan",
        "forms: [dvcq-qd248]\n  co_quan"))
    campaign = load_campaign(path)
    commune = next(u for u in campaign.units if u.group == "xa")
    agency = next(u for u in campaign.units if u.group == "co_quan")
    assert [f.id for f in campaign.forms_for(commune)] == ["dvcq-qd248"]
    assert len(campaign.forms_for(agency)) == 3


def test_group_reports_name_declared_outlines(tmp_path):
    path = copy_sample(tmp_path, campaign_edit=lambda t: t.replace(
        "reports: [de-cuong-qcdc, de-cuong-dvcq]\n  co_quan", "reports: [de-cuong-xa]\n  co_quan"))
    assert [c for c, _ in codes(path)] == ["CAMPAIGN_OUTLINE_UNKNOWN"]
    campaign = load_campaign(SAMPLE)
    commune = next(u for u in campaign.units if u.group == "xa")
    assert [o.id for o in campaign.outlines_for(commune)] == ["de-cuong-qcdc", "de-cuong-dvcq"]


def test_outline_has_two_levels_only(tmp_path):
    source = Path(load_campaign(SAMPLE).outline("de-cuong-qcdc").source_file).read_text(encoding="utf-8")
    deep = source.replace("        prompt: 'Viết ngắn gọn chức năng, nhiệm vụ chính của đơn vị.'\n",
                          "        sections:\n          - {id: i.1.a, heading: 'a) Chức năng'}\n", 1)
    assert deep != source
    (tmp_path / "de-cuong.yaml").write_text(deep, encoding="utf-8")
    with pytest.raises(WorkbookToolsError) as raised:
        load_outline(tmp_path / "de-cuong.yaml")
    assert [p.code for p in raised.value.problems] == ["OUTLINE_TOO_DEEP"]


def test_bad_deadline_and_unknown_key(tmp_path):
    path = copy_sample(tmp_path, campaign_edit=lambda t: t.replace(
        "deadline: 2023-11-09", "deadline: 09/11/2023\ndeadlin: 2023-11-09"))
    found = codes(path)
    assert found == [("VALUE_TYPE", 12), ("KEY_UNKNOWN", 13)]


def test_bad_spec_reported_through_campaign(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((SPECS / "dvcq-qd248.yaml").read_text(encoding="utf-8").replace(
        "total: 100", "total: 90"), encoding="utf-8")
    path = copy_sample(tmp_path, campaign_edit=lambda t: t.replace(
        f"{SPECS}/dvcq-qd248.yaml", str(bad)))
    assert codes(path) == [("SPEC_TOTAL", 18)]


def test_roster_without_units(tmp_path):
    assert codes(copy_sample(tmp_path, "code,name,group\n\n")) == [("ROSTER_EMPTY", None)]


def test_two_forms_on_one_sheet_name(tmp_path):
    copy = tmp_path / "dvcq-copy.yaml"
    copy.write_text((SPECS / "dvcq-qd248.yaml").read_text(encoding="utf-8").replace(
        "id: dvcq-qd248", "id: dvcq-copy"), encoding="utf-8")
    path = copy_sample(tmp_path, campaign_edit=lambda t: t.replace(
        f"  - {SPECS}/so-lieu-2023.yaml", f"  - {SPECS}/so-lieu-2023.yaml\n  - {copy}"))
    with pytest.raises(WorkbookToolsError) as info:
        load_campaign(path)
    assert [(p.code, p.sheet) for p in info.value.problems] == [("CAMPAIGN_DUPLICATE_SHEET", "DVCQ")]
