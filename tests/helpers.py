"""Helpers only the tests use."""

from __future__ import annotations

import hashlib
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
