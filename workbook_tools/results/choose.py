"""Which file counts for each unit, and the verdict on every file found.

- A file counts for the unit named in its embedded data, never by its file name.
- Several files for one unit: the newest by its embedded save time (docProps/core.xml, written
  by Excel/LibreOffice/WPS on save), or by the file's modification time when the file carries
  none; ties by SHA-256. The others are superseded. Identical copies are superseded too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from workbook_tools.read.check import Submission
from workbook_tools.read.identify import REJECTING_CODES
from workbook_tools.read.inbox import FoundFile
from workbook_tools.results.contracts import Verdict
from workbook_tools.results.model import TIME_SOURCE_TEXT, FileOutcome, TimeSource, local_text
from workbook_tools.spec.campaign import Campaign


def judge_files(campaign: Campaign, found: list[FoundFile],
                checked: dict[str, Submission]) -> list[FileOutcome]:
    """Verdict per file: rejected/ignored from the scan or the identity check; then newest wins."""
    roster = {u.code for u in campaign.units}
    outcomes: list[FileOutcome] = []
    by_unit: dict[str, list[FileOutcome]] = {}
    for item in found:
        sub = checked.get(item.rel)
        if sub is None:
            outcomes.append(FileOutcome(item, Verdict(item.kind), item.reason, "", None, None, TimeSource.UNKNOWN))
            continue
        saved, source = (sub.saved_at, TimeSource.EMBEDDED) if sub.saved_at else (item.mtime, TimeSource.FILE_TIME)
        identity = [p for p in sub.problems if p.code in REJECTING_CODES]
        code = sub.unit_code or ""
        if identity or code not in roster:
            reason = identity[0].message if identity else "không xác định được đơn vị"
            outcomes.append(FileOutcome(item, Verdict.REJECTED, reason, code, sub, saved, source))
            continue
        by_unit.setdefault(code, []).append(FileOutcome(item, Verdict.USED, "", code, sub, saved, source))
    for candidates in by_unit.values():
        outcomes.extend(_newest_wins(candidates, campaign.timezone))
    order = {item.rel: i for i, item in enumerate(found)}
    return sorted(outcomes, key=lambda o: order[o.found.rel])


def _newest_wins(candidates: list[FileOutcome], zone: dt.tzinfo) -> list[FileOutcome]:
    ranked = sorted(candidates, key=lambda o: (o.saved_at or dt.datetime.min.replace(tzinfo=dt.timezone.utc),
                                               o.found.sha256, o.found.rel), reverse=True)
    winner = ranked[0]
    result = [replace(winner, reason=_used_reason(winner, len(ranked), zone))]
    for other in ranked[1:]:
        if other.found.sha256 == winner.found.sha256:
            reason = f"bản sao giống hệt tệp được dùng '{winner.found.rel}'"
        else:
            reason = (f"có tệp mới hơn '{winner.found.rel}' (lưu lúc {local_text(winner.saved_at, zone)}, "
                      f"theo {TIME_SOURCE_TEXT[winner.time_source]})")
        result.append(replace(other, verdict=Verdict.SUPERSEDED, reason=reason))
    return result


def _used_reason(outcome: FileOutcome, count: int, zone: dt.tzinfo) -> str:
    when = f"lưu lúc {local_text(outcome.saved_at, zone)} (theo {TIME_SOURCE_TEXT[outcome.time_source]})"
    return f"tệp mới nhất trong {count} tệp của đơn vị, {when}" if count > 1 else when
