"""The checks of earlier collections kept on disk: a collection after one new file reads only that
file; the cache is plain JSON (no code runs on load), signed, and a damaged, edited or foreign cache is
ignored with a notice, never trusted."""

from __future__ import annotations

import csv
import json

import pytest

import workbook_tools.collect.pipeline as pipeline
from tests.helpers import campaign_copy
from tests.test_collect_memo import filled
from workbook_tools.collect.cache import cache_path
from workbook_tools.collect.pipeline import collect_campaign
from workbook_tools.form.signing import load_or_create_key


@pytest.fixture
def read(monkeypatch) -> list[list[str]]:
    """The files each collection reads (checks), in order."""
    calls: list[list[str]] = []
    real = pipeline.ordered_map
    monkeypatch.setattr(pipeline, "ordered_map", lambda job, context, items, progress=None: (
        calls.append(sorted(i.rel for i in items)), real(job, context, items, progress))[1])
    return calls


def _rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def _codes(out) -> list[str]:
    return [row["code"] for row in _rows(out / "issues.csv")]


@pytest.fixture
def setup(tmp_path, generated):
    folder = campaign_copy(tmp_path / "dot")
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.xlsx").write_bytes(filled(generated, "03550", 1))
    (inbox / "b.xlsx").write_bytes(filled(generated, "CQ02", 2))
    return folder / "campaign.yaml", inbox, tmp_path / "out"


def test_a_collection_after_one_new_file_reads_only_that_file(setup, generated, read):
    campaign, inbox, out = setup
    collect_campaign(campaign, inbox, out)
    assert read[-1] == ["a.xlsx", "b.xlsx"]
    first = _rows(out / "units.csv")
    assert cache_path(out).read_bytes().startswith(b'{"format": "workbook_tools_check_cache"')  # JSON, not pickle
    (inbox / "c.xlsx").write_bytes(filled(generated, "03550", 3))  # a later file of the same unit
    collect_campaign(campaign, inbox, out)
    assert read[-1] == ["c.xlsx"]
    (inbox / "c.xlsx").unlink()
    collect_campaign(campaign, inbox, out)
    assert read[-1] == [] and _rows(out / "units.csv") == first
    assert "CACHE_IGNORED" not in _codes(out)


def test_an_edited_cache_is_ignored_with_a_notice(setup, read):
    campaign, inbox, out = setup
    collect_campaign(campaign, inbox, out)
    path = cache_path(out)
    text = path.read_text(encoding="utf-8")
    header, body = text.split("\n", 1)
    assert '"unit_code":"03550"' in body
    path.write_text(header + "\n" + body.replace('"unit_code":"03550"', '"unit_code":"03553"'), encoding="utf-8")
    collect_campaign(campaign, inbox, out)
    assert read[-1] == ["a.xlsx", "b.xlsx"] and "CACHE_IGNORED" in _codes(out)
    assert {row["unit_code"] for row in _rows(out / "units.csv") if row["status"] == "valid"} == {"03550", "CQ02"}
    collect_campaign(campaign, inbox, out)  # the cache written anew is used again, silently
    assert read[-1] == [] and "CACHE_IGNORED" not in _codes(out)


@pytest.mark.parametrize("damage", [b"\x00\xff garbage", b"", b'{"format": "workbook_tools_check_cache"}\n[1, 2'])
def test_a_damaged_cache_is_ignored_with_a_notice(setup, read, damage):
    campaign, inbox, out = setup
    collect_campaign(campaign, inbox, out)
    cache_path(out).write_bytes(damage)
    collect_campaign(campaign, inbox, out)
    assert read[-1] == ["a.xlsx", "b.xlsx"] and "CACHE_IGNORED" in _codes(out)


def test_a_cache_from_another_district_is_not_trusted(setup, tmp_path, read):
    campaign, inbox, out = setup
    collect_campaign(campaign, inbox, out)
    other = campaign_copy(tmp_path / "khac", edit=lambda t: t)  # the same campaign file ...
    text = (other / "campaign.yaml").read_text(encoding="utf-8")
    key_file = tmp_path / "khac" / "khoa-khac.key"
    load_or_create_key(key_file)  # ... under another district's key
    (other / "campaign.yaml").write_text(text.rsplit("secret_key_file:", 1)[0] + f"secret_key_file: {key_file}\n",
                                         encoding="utf-8")
    collect_campaign(other / "campaign.yaml", inbox, out)
    assert read[-1] == ["a.xlsx", "b.xlsx"] and "CACHE_IGNORED" in _codes(out)


def test_a_changed_campaign_reads_everything_again_without_a_notice(setup, read):
    campaign, inbox, out = setup
    collect_campaign(campaign, inbox, out)
    campaign.write_text(campaign.read_text(encoding="utf-8").replace("text_scores: refuse", "text_scores: accept"),
                        encoding="utf-8")
    collect_campaign(campaign, inbox, out)
    assert read[-1] == ["a.xlsx", "b.xlsx"] and "CACHE_IGNORED" not in _codes(out)
    header = json.loads(cache_path(out).read_text(encoding="utf-8").split("\n", 1)[0])
    assert set(header) == {"format", "version", "context", "mac"}
