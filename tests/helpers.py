"""Helpers only the tests use."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from workbook_tools.form.identity import FileIdentity, build_metadata
from workbook_tools.form.signing import sign
from workbook_tools.generate.workbook import build_to
from workbook_tools.spec.campaign import Campaign, Unit


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_workbook(campaign: Campaign, unit: Unit, identity: FileIdentity, path: Path, key: bytes) -> None:
    """Write one unit's workbook to path directly (the reference the templates are tested against)."""
    build_to(campaign, unit, identity, path, sign(build_metadata(campaign, unit, identity), key))


def campaign_copy(folder: Path, edit=None) -> Path:
    """The sample campaign in a folder of its own (roster and register there, ``edit`` applied to
    campaign.yaml's text), with the sample's key and specs; returns the folder."""
    from tests.conftest import SAMPLE
    from workbook_tools.spec.campaign import load_campaign

    folder.mkdir(parents=True, exist_ok=True)
    key = load_campaign(SAMPLE).secret_key_file
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "../../criteria_specs/", str(SAMPLE.parents[2] / "criteria_specs") + "/")
    text = (edit(text) if edit else text) + f"secret_key_file: {key}\n"
    (folder / "campaign.yaml").write_text(text, encoding="utf-8")
    shutil.copy(SAMPLE.parent / "roster.csv", folder / "roster.csv")
    shutil.copy(SAMPLE.parent / "so-theo-doi.csv", folder / "so-theo-doi.csv")
    return folder
