"""A new year's campaign from last year's: new-campaign, then generate, then collect, unedited."""

from __future__ import annotations

import random

from click.testing import CliRunner

from tests.conftest import SAMPLE
from tests.helpers import campaign_copy
from workbook_tools.cli import main
from workbook_tools.demo.fill import fast_fill, sample_figures, sample_scores
from workbook_tools.spec.campaign import load_campaign


def test_new_campaign_then_generate_then_collect(tmp_path):
    folder = tmp_path / "dot-2024"
    made = CliRunner().invoke(main, ["new-campaign", str(SAMPLE), "--year", "2024", "--deadline", "09/11/2024",
                                     "--out", str(folder)])
    assert made.exit_code == 0, made.output
    assert sorted(p.name for p in folder.iterdir()) == ["campaign.yaml", "khoa-bi-mat.key", "roster.csv",
                                                        "so-theo-doi.csv"]
    campaign = load_campaign(folder / "campaign.yaml")
    old = load_campaign(SAMPLE)
    assert (campaign.id, campaign.year, campaign.deadline.isoformat()) == ("phong-tho-2024", 2024, "2024-11-09")
    assert campaign.name.endswith("năm 2024") and "năm 2024; phương hướng, nhiệm vụ năm 2025" in campaign.request
    assert [f.content_hash for f in campaign.forms] == [f.content_hash for f in old.forms]  # same specs
    assert campaign.units == old.units and campaign.secret_key_file == str((folder / "khoa-bi-mat.key").resolve())
    assert (folder / "khoa-bi-mat.key").read_text() != (SAMPLE.parent / "khoa-bi-mat.key").read_text()
    assert "# Vòng chấm của Tổ kiểm tra" in (folder / "campaign.yaml").read_text(encoding="utf-8")  # comments kept

    issued = CliRunner().invoke(main, ["generate", str(folder / "campaign.yaml"), "--out", str(tmp_path / "ph"),
                                       "--unit", "CQ01"])
    assert issued.exit_code == 0, issued.output
    blank = next((tmp_path / "ph").glob("CQ01_*.xlsx"))
    rng = random.Random(1)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "cq01.xlsx").write_bytes(fast_fill(campaign, blank.read_bytes(), sample_scores(campaign, rng, 0.9),
                                                          sample_figures(campaign, rng)))
    (tmp_path / "in" / "nam-truoc.xlsx").write_bytes(b"")
    collected = CliRunner().invoke(main, ["collect", str(folder / "campaign.yaml"), "--inbox", str(tmp_path / "in"),
                                          "--out", str(tmp_path / "out")])
    assert collected.exit_code == 0, collected.output
    assert "Đã nhận 1/35 đơn vị: 1 hợp lệ" in collected.output

    again = CliRunner().invoke(main, ["new-campaign", str(SAMPLE), "--year", "2024", "--deadline", "2024-11-09",
                                      "--out", str(folder)])
    assert again.exit_code == 1 and "thư mục đã có dữ liệu" in again.output


def test_new_campaign_from_a_campaign_written_in_another_style(tmp_path):
    """Comments after values and specs as a one-line list are ordinary YAML: they must work too."""
    folder = campaign_copy(tmp_path / "cu")
    text = (folder / "campaign.yaml").read_text(encoding="utf-8")
    listed = [line.strip()[2:] for line in text.splitlines() if line.strip().startswith("- ") and ".yaml" in line]
    specs = [name for name in listed if "de-cuong" not in name]
    outlines = [name for name in listed if "de-cuong" in name]
    text = "\n".join(line for line in text.splitlines() if not (line.strip().startswith("- ") and ".yaml" in line))
    text = text.replace("specs:", "specs: [" + ", ".join(specs) + "]  # các bảng tiêu chí")
    text = text.replace("outlines:", "outlines: [" + ", ".join(outlines) + "]")
    text = text.replace("roster: roster.csv", "roster: roster.csv  # danh sách đơn vị")
    (folder / "campaign.yaml").write_text(text, encoding="utf-8")
    assert load_campaign(folder / "campaign.yaml").id == "phong-tho-2023"
    made = CliRunner().invoke(main, ["new-campaign", str(folder / "campaign.yaml"), "--year", "2024",
                                     "--deadline", "2024-11-09", "--out", str(tmp_path / "moi")])
    assert made.exit_code == 0, made.output
    made_campaign = load_campaign(tmp_path / "moi" / "campaign.yaml")
    assert len(made_campaign.forms) == 3 and len(made_campaign.outlines) == 2
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # nothing left aside
