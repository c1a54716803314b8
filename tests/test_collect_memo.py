"""Collecting the same inbox again (as the app does after each drop) reads only what is new or changed."""

from __future__ import annotations

import datetime as dt
import random

import workbook_tools.collect.pipeline as pipeline
from tests.conftest import SAMPLE
from workbook_tools.collect.pipeline import collect
from workbook_tools.demo.fill import fast_fill, sample_figures, sample_scores
from workbook_tools.spec.campaign import load_campaign


def filled(generated, code: str, seed: int) -> bytes:
    campaign = load_campaign(SAMPLE)
    rng = random.Random(seed)
    blank = next(f.path for f in generated.files if f.unit.code == code).read_bytes()
    return fast_fill(campaign, blank, sample_scores(campaign, rng, 0.8), sample_figures(campaign, rng),
                     dt.datetime(2023, 11, 5, 9, 0, tzinfo=campaign.timezone))


def summary(collection) -> list[tuple]:
    return [(u.unit.code, u.status, tuple(str(f.total) for f in u.forms)) for u in collection.units]


def test_only_new_or_changed_files_are_read_again(generated, tmp_path, monkeypatch):
    campaign = load_campaign(SAMPLE)
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.xlsx").write_bytes(filled(generated, "03550", 1))
    (inbox / "b.xlsx").write_bytes(filled(generated, "CQ02", 2))
    (inbox / "hong.xlsx").write_bytes(b"PK\x03\x04 hong")
    read = []
    real = pipeline.ordered_map
    monkeypatch.setattr(pipeline, "ordered_map", lambda job, context, items, progress=None: (
        read.append(sorted(i.rel for i in items)), real(job, context, items, progress))[1])
    memo = {}
    first = collect(campaign, inbox, memo=memo)
    assert read[-1] == ["a.xlsx", "b.xlsx", "hong.xlsx"]
    assert sorted(rel for rel, _sha, _ctx in memo) == ["a.xlsx", "b.xlsx", "hong.xlsx"]
    again = collect(campaign, inbox, memo=memo)
    assert read[-1] == [] and summary(again) == summary(first)
    (inbox / "b.xlsx").write_bytes(filled(generated, "CQ02", 3))  # a corrected resubmission over the file
    (inbox / "a.xlsx").rename(inbox / "c.xlsx")                   # the same bytes elsewhere: read again
    changed = collect(campaign, inbox, memo=memo)
    assert read[-1] == ["b.xlsx", "c.xlsx"]
    assert summary(changed) == summary(collect(campaign, inbox))   # the same as a collection from nothing
    assert sorted(rel for rel, _sha, _ctx in memo) == ["b.xlsx", "c.xlsx", "hong.xlsx"]
