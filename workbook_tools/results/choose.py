"""Which file counts for each unit, and the verdict on every file found.

- A file counts for the unit named in its embedded data, never by its file name.
- Receipt time, best first: the officer's register, the Date of the e-mail that carried the file,
  the file's modification time in the inbox. Save times written inside files are not trusted to
  say which file is newer on their own: LibreOffice's export and other tools copy them unchanged.
- Several different files of one unit: the newest by receipt time (within a minute counts as the
  same time), then by embedded save time. When the two disagree, or nothing orders the files,
  nothing is picked: the files wait for the officer's choice in the register (``needs_choice``).
  Identical copies of the file that counts are superseded.
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
from workbook_tools.spec.register import Register

SAME_TIME = dt.timedelta(minutes=1)


def judge_files(campaign: Campaign, found: list[FoundFile], checked: dict[str, Submission],
                register: Register) -> list[FileOutcome]:
    """Verdict per file: rejected/ignored from the scan or the identity check; then which counts."""
    outcomes: list[FileOutcome] = []
    by_unit: dict[str, list[FileOutcome]] = {}
    for item in found:
        received, source = _received(item, campaign.timezone)
        sub = checked.get(item.rel)
        if sub is None:
            outcomes.append(FileOutcome(item, Verdict(item.kind), item.reason, "", None, None, received, source))
            continue
        identity = [p for p in sub.problems if p.code in REJECTING_CODES]
        code = sub.unit_code or ""
        outcome = FileOutcome(item, Verdict.USED, "", code, sub, sub.saved_at, received, source)
        if identity or code not in campaign.units_by_code:
            reason = identity[0].message if identity else "không xác định được đơn vị"
            outcomes.append(replace(outcome, verdict=Verdict.REJECTED, reason=reason))
            continue
        by_unit.setdefault(code, []).append(outcome)
    for code, candidates in by_unit.items():
        outcomes.extend(_choose(candidates, register.row(code), campaign.timezone))
    order = {item.rel: i for i, item in enumerate(found)}
    return sorted(outcomes, key=lambda o: order[o.found.rel])


def _received(item: FoundFile, zone: dt.tzinfo) -> tuple[dt.datetime | None, TimeSource]:
    if item.sent_at is not None:  # an e-mail's Date that names no zone is the campaign's time
        return (item.sent_at if item.sent_at.tzinfo else item.sent_at.replace(tzinfo=zone)), TimeSource.EMAIL
    if item.mtime is not None:
        return item.mtime, TimeSource.FILE
    return None, TimeSource.UNKNOWN


def _choose(candidates: list[FileOutcome], row, zone: dt.tzinfo) -> list[FileOutcome]:
    """The unit's files with their verdicts: one used (or all waiting for a choice), the rest superseded."""
    distinct = _originals(candidates)
    chosen = next((o for o in candidates if row and row.chosen_file and o.found.rel == row.chosen_file), None)
    if chosen is not None:
        reason = f"cán bộ chọn tệp này trong sổ theo dõi (dòng {row.line})"
    elif len(distinct) == 1:
        chosen, reason = next(iter(distinct.values())), ""
    else:
        chosen, reason = _newest(list(distinct.values()), zone)
        if chosen is None:  # the different files wait for a choice; copies of them are only copies
            originals = {o.found.rel for o in distinct.values()}
            return [replace(o, verdict=Verdict.NEEDS_CHOICE, reason=reason) if o.found.rel in originals
                    else replace(o, verdict=Verdict.SUPERSEDED, reason=f"bản sao giống hệt tệp "
                                 f"'{distinct[o.found.sha256].found.rel}'") for o in candidates]
    if len(distinct) == 1 or (row and row.chosen_file == chosen.found.rel):
        chosen = _with_register_time(chosen, row)  # the officer's date can only mean this file
    result = [replace(chosen, reason=", ".join(filter(None, (reason, _received_reason(chosen, zone)))))]
    for other in candidates:
        if other is chosen or other.found.rel == chosen.found.rel:
            continue
        if other.found.sha256 == chosen.found.sha256:
            why = f"bản sao giống hệt tệp được dùng '{chosen.found.rel}'"
        elif row and row.chosen_file == chosen.found.rel:
            why = f"cán bộ chọn tệp khác trong sổ theo dõi: '{chosen.found.rel}'"
        else:
            why = f"có tệp mới hơn '{chosen.found.rel}' ({_received_reason(chosen, zone)})"
        result.append(replace(other, verdict=Verdict.SUPERSEDED, reason=why))
    return result


def _originals(candidates: list[FileOutcome]) -> dict[str, FileOutcome]:
    """One file per distinct content: the copy received first (a later copy is a duplicate of it)."""
    first: dict[str, FileOutcome] = {}
    for outcome in sorted(candidates, key=lambda o: o.found.rel, reverse=True):
        known = first.get(outcome.found.sha256)
        if known is None or (outcome.received_at and known.received_at
                             and known.received_at - outcome.received_at >= SAME_TIME):
            first[outcome.found.sha256] = outcome
    return first


def _newest(files: list[FileOutcome], zone: dt.tzinfo) -> tuple[FileOutcome | None, str]:
    """The newest of different files by receipt time, then save time; None (and why) when the
    evidence cannot order them."""
    latest = max(o.received_at for o in files if o.received_at) if any(o.received_at for o in files) else None
    top = [o for o in files if latest is None or (o.received_at and latest - o.received_at < SAME_TIME)]
    if len(top) > 1:
        saved = sorted(top, key=lambda o: o.saved_at or dt.datetime.min.replace(tzinfo=dt.timezone.utc))
        if saved[-1].saved_at is None or (saved[-2].saved_at and saved[-1].saved_at - saved[-2].saved_at < SAME_TIME):
            return None, ("các tệp được nhận cùng lúc và lưu cùng lúc: không biết tệp nào là tệp cuối cùng; "
                          "chọn tệp trong sổ theo dõi")
        top = [saved[-1]]
    winner = top[0]
    for other in files:
        if (other is not winner and other.saved_at and winner.saved_at
                and other.saved_at - winner.saved_at >= SAME_TIME):
            return None, (f"tệp nhận sau ('{winner.found.rel}') lại được lưu trước tệp '{other.found.rel}': "
                          "không biết tệp nào là tệp cuối cùng; chọn tệp trong sổ theo dõi")
    return winner, f"tệp nhận sau cùng trong {len(files)} tệp khác nhau của đơn vị"


def _with_register_time(outcome: FileOutcome, row) -> FileOutcome:
    """The counted file with the receipt time the officer wrote in the register, if any."""
    if row is None or row.received is None:
        return outcome
    return replace(outcome, received_at=row.received, time_source=TimeSource.REGISTER)


def _received_reason(outcome: FileOutcome, zone: dt.tzinfo) -> str:
    return (f"nhận lúc {local_text(outcome.received_at, zone)} (theo {TIME_SOURCE_TEXT[outcome.time_source]}), "
            f"lưu lúc {local_text(outcome.saved_at, zone)} (ghi trong tệp)")
