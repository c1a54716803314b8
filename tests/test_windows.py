"""What Windows asks of us: file names it accepts, paths it can open, work spread under ``spawn``."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from tests.conftest import SAMPLE
from tests.helpers import campaign_copy
from workbook_tools.collect.pipeline import collect
from workbook_tools.demo.fill import fast_fill, sample_figures, sample_scores
from workbook_tools.form.names import unit_file_name
from workbook_tools.outputs.messages import message_name
from workbook_tools.problems import WorkbookToolsError
from workbook_tools.spec.campaign import load_campaign

RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)} | {f"LPT{i}" for i in range(1, 10)}
DOCUMENTS = "C:\\Users\\Nguyễn Văn Thành\\Documents\\Đánh giá QCDC và DVCQ năm 2023\\output\\phong-tho-2023\\"


def test_generated_names_are_valid_on_windows(campaign):
    names = [unit_file_name(u) for u in campaign.units] + [message_name(u) for u in campaign.units]
    for name in names:
        base = name.rsplit("/", 1)[-1]
        assert not re.search(r'[<>:"/\\|?*\x00-\x1f]', base), base
        assert not base.endswith((".", " ")) and base.split(".")[0].upper() not in RESERVED, base
        assert len(DOCUMENTS + "phat-hanh\\" + base) < 260, base
    assert len({n.lower() for n in names}) == len(names)  # no two equal ignoring case
    long = campaign.units[0].__class__(code="CON", name="Trung tâm " * 30, group="xa", line=0)
    assert unit_file_name(long).startswith("CON_") and len(unit_file_name(long)) <= 70


def test_roster_codes_equal_but_for_case_are_refused(tmp_path):
    folder = campaign_copy(tmp_path / "dot")
    (folder / "roster.csv").write_text("code,name,group\nCQ01,Phòng A,co_quan\ncq01,Phòng B,co_quan\n",
                                       encoding="utf-8")
    with pytest.raises(WorkbookToolsError) as info:
        load_campaign(folder / "campaign.yaml")
    assert [(p.code, p.line) for p in info.value.problems] == [("ROSTER_DUPLICATE_CODE", 3)]


def test_parallel_collection_under_spawn(campaign, generated, tmp_path, monkeypatch):
    """Windows has no fork: the workers start fresh and get what they need through the initializer."""
    blank = next(f.path for f in generated.files if f.unit.code == "03550").read_bytes()
    inbox = tmp_path / "in"
    inbox.mkdir()
    for index in range(40):  # enough for two workers
        rng = random.Random(index)
        saved = dt.datetime(2023, 11, 1, tzinfo=campaign.timezone) + dt.timedelta(hours=index)
        (inbox / f"{index:02d}.xlsx").write_bytes(fast_fill(campaign, blank, sample_scores(campaign, rng, 0.8),
                                                             sample_figures(campaign, rng), saved))
    monkeypatch.setenv("WORKBOOK_TOOLS_WORKERS", "2")
    monkeypatch.setenv("WORKBOOK_TOOLS_START_METHOD", "spawn")
    spawned = collect(load_campaign(SAMPLE), inbox)
    monkeypatch.setenv("WORKBOOK_TOOLS_WORKERS", "1")
    serial = collect(load_campaign(SAMPLE), inbox)

    def outcome(collection):
        return [(o.found.rel, o.verdict, o.reason, o.submission.problems if o.submission else ())
                for o in collection.files]
    assert outcome(spawned) == outcome(serial)
    assert [o.verdict for o in spawned.files].count("used") == 1
