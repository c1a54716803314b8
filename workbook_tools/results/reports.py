"""Which narrative report counts for each unit and outline, decided from what each .docx yielded.

The unit is the signed identity of our template when there is one, else the unit the inbox tells
(``results.attach``: file name, folder, the e-mail or archive it came with). Several different
reports of one unit for one outline: the one received last counts when the receipt times tell; when
they do not, none counts and the officer is asked (REPORT_SEVERAL), as for workbooks. A document
that is not a .docx (.doc, PDF, a scan) is accounted for and not read (REPORT_NOT_READ).
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, replace

from workbook_tools.problems import make_problem
from workbook_tools.read.report import ReportRead
from workbook_tools.results.contracts import Verdict
from workbook_tools.results.model import FileOutcome, IssueRow, UnitReport
from workbook_tools.spec.campaign import Campaign

READ_SUFFIXES = (".docx",)
KIND_NAMES = {".doc": "Word 97-2003 (.doc)", ".pdf": "PDF", ".odt": "OpenDocument (.odt)", ".rtf": "RTF"}
NOT_READ_REASON = "chỉ đọc được báo cáo dạng Word (.docx); tệp này được lưu lại để xem"


@dataclass(frozen=True)
class ReportsDecided:
    """The reports that count, the issues raised, and the attached outcomes with their reasons."""

    reports: tuple[UnitReport, ...]
    issues: tuple[IssueRow, ...]
    files: tuple[FileOutcome, ...]


def readable(outcome: FileOutcome) -> bool:
    """Whether an attached document is read as a report (a .docx)."""
    return outcome.verdict == Verdict.ATTACHED and _suffix(outcome) in READ_SUFFIXES


def outline_hint(campaign: Campaign, name: str) -> str:
    """The outline a file name points to ('Bao cao QCDC.docx' -> the outline short-named '... QCDC'),
    '' when none or several do."""
    words = set(re.findall(r"[a-z0-9]+", name.lower()))
    named = [o.id for o in campaign.outlines if o.short_name.split()[-1].lower() in words]
    return named[0] if len(named) == 1 else ""


def decide_reports(campaign: Campaign, files: list[FileOutcome],
                   reads: dict[str, ReportRead]) -> ReportsDecided:
    """Reports per unit and outline from the reads (by file rel); every attached document accounted for."""
    issues: list[IssueRow] = []
    candidates: dict[tuple[str, str], list[tuple[FileOutcome, ReportRead]]] = defaultdict(list)
    outcomes = []
    for outcome in files:
        read = reads.get(outcome.found.rel)
        if outcome.verdict != Verdict.ATTACHED:
            outcomes.append(outcome)
        elif read is None:
            outcomes.append(_not_read(outcome, issues))
        else:
            unit = read.unit_code or outcome.unit_code
            outcome = replace(outcome, unit_code=unit, reason=_reason(campaign, read))
            outcomes.append(outcome)
            issues.extend(IssueRow(unit, replace(p, file=p.file or outcome.found.rel)) for p in read.problems)
            if unit in campaign.units_by_code and read.outline_id:
                candidates[(unit, read.outline_id)].append((outcome, read))
            elif read.outline_id and not unit:
                issues.append(IssueRow("", make_problem("REPORT_UNIT_UNKNOWN", file=outcome.found.rel)))
    chosen = _choose(campaign, candidates, issues)
    return ReportsDecided(chosen, tuple(issues), tuple(outcomes))


def _choose(campaign: Campaign, candidates: dict[tuple[str, str], list[tuple[FileOutcome, ReportRead]]],
            issues: list[IssueRow]) -> tuple[UnitReport, ...]:
    chosen = []
    for unit in campaign.units:
        for outline in campaign.outlines:
            found = candidates.get((unit.code, outline.id), [])
            pick = _latest(found)
            if pick is None and found:
                files = ", ".join(o.found.rel for o, _ in found)
                issues.append(IssueRow(unit.code, make_problem("REPORT_SEVERAL", count=len(found),
                                                               report=outline.short_name, files=files)))
            elif pick is not None:
                outcome, read = pick
                chosen.append(UnitReport(unit.code, outline.id, outcome.found.rel, read.sections))
    return tuple(chosen)


def _latest(found: list[tuple[FileOutcome, ReportRead]]) -> tuple[FileOutcome, ReportRead] | None:
    """The one report, the same text sent more than once, or the one received last; None when unclear."""
    if not found:
        return None
    if len({read.sections for _, read in found}) == 1:
        return found[0]
    times = [outcome.received_at for outcome, _ in found]
    if any(t is None for t in times):
        return None
    ordered = sorted(found, key=lambda pair: pair[0].received_at)
    last, before = ordered[-1], ordered[-2]
    return last if last[0].received_at > before[0].received_at else None


def _reason(campaign: Campaign, read: ReportRead) -> str:
    if not read.outline_id:
        return "tài liệu Word gửi kèm: không nhận ra là báo cáo theo đề cương nào của đợt"
    outline = campaign.outline(read.outline_id)
    written = {s.section_id for s in read.sections if s.section_id and s.text}
    return f"{outline.short_name}: có nội dung ở {len(written)}/{len(outline.sections)} mục"


def _not_read(outcome: FileOutcome, issues: list[IssueRow]) -> FileOutcome:
    suffix = _suffix(outcome)
    if suffix in READ_SUFFIXES:  # a .docx whose bytes changed or vanished while collecting
        issues.append(IssueRow(outcome.unit_code, make_problem("REPORT_UNREADABLE", file=outcome.found.rel,
                                                               detail="tệp bị thay đổi trong lúc đang đọc")))
        return outcome
    kind = KIND_NAMES.get(suffix, f"ảnh hoặc tệp {suffix or 'không có đuôi'}")
    issues.append(IssueRow(outcome.unit_code, make_problem("REPORT_NOT_READ", file=outcome.found.rel, kind=kind,
                                                           reason=NOT_READ_REASON)))
    return replace(outcome, reason=f"{outcome.reason}; {NOT_READ_REASON}")


def _suffix(outcome: FileOutcome) -> str:
    return posixpath.splitext(outcome.found.name.lower())[1]
