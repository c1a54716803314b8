"""What the pages ask of the library: the campaign, the last collection, receiving files.

One ``Desk`` per running app: it knows the campaign and its folders, keeps the last collection
for the pages, and serialises collections (two drops at once, or a drop during a collection,
each wait their turn and lose nothing: every file is written to the inbox under a name of its
own before any collection starts).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

from workbook_tools.collect.pipeline import CollectResult, collect_campaign, default_out_dir
from workbook_tools.generate.run import GenerateResult, generate_campaign
from workbook_tools.generate.run import default_out_dir as default_issue_dir
from workbook_tools.results.model import Collection
from workbook_tools.spec.campaign import Campaign, load_campaign

MAX_UPLOAD_BYTES = 60_000_000  # one dropped file (an e-mail with attachments may be large)


@dataclass(frozen=True)
class Received:
    """One dropped file as stored in the inbox (or why not)."""

    name: str
    stored_as: str
    reason: str = ""


class Desk:
    """The officer's campaign, its folders, and the last collection."""

    def __init__(self, campaign_path: Path):
        self.campaign_path = campaign_path
        self.campaign: Campaign = load_campaign(campaign_path)
        self.inbox = Path(self.campaign.inbox_dir) if self.campaign.inbox_dir else (
            Path("output") / self.campaign.id / "hop-thu")
        self.out = default_out_dir(self.campaign)
        self.issued = default_issue_dir(self.campaign)
        self.last: CollectResult | None = None
        self._lock = threading.Lock()

    @property
    def collection(self) -> Collection | None:
        """The last collection, if any."""
        return self.last.collection if self.last else None

    def days_left(self, today: dt.date | None = None) -> int:
        """Days until the deadline (negative once it has passed)."""
        today = today or dt.datetime.now(self.campaign.timezone).date()
        return (self.campaign.deadline - today).days

    def refresh(self) -> CollectResult | None:
        """Collect the inbox into the results folder (nothing to do without an inbox yet)."""
        if not self.inbox.is_dir():
            return None
        with self._lock:
            self.last = collect_campaign(self.campaign_path, self.inbox, self.out)
            return self.last

    def receive(self, files: list[tuple[str, bytes]]) -> list[Received]:
        """Store dropped files in the inbox under names of their own (never over a file), then collect."""
        self.inbox.mkdir(parents=True, exist_ok=True)
        received = [self._store(name, data) for name, data in files]
        self.refresh()
        return received

    def _store(self, name: str, data: bytes) -> Received:
        stem, dot, suffix = name.rpartition(".")
        base, ext = (stem, f".{suffix}") if dot and stem else (name, "")
        for number in range(1, 1000):
            candidate = self.inbox / (name if number == 1 else f"{base} ({number}){ext}")
            try:
                handle = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
            except FileExistsError:
                continue
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            return Received(name, candidate.name)
        return Received(name, "", "quá nhiều tệp trùng tên trong thư mục nhận")

    def issue(self) -> GenerateResult:
        """Generate every unit's workbook (refused when they were issued already)."""
        return generate_campaign(self.campaign_path, self.issued)

    def issued_zip(self) -> bytes | None:
        """Every issued workbook and the manifest as one zip, or None before generation."""
        files = sorted(self.issued.glob("*.xlsx")) + sorted(self.issued.glob("manifest.csv"))
        if not files:
            return None
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, path.name)
        return buffer.getvalue()
