"""The collector: from an inbox of returned files to the district summary and its CSVs.

``collect_campaign`` is the library entry point behind ``workbook-tools collect``. It reads the
inbox (never writing to it), checks every candidate file, merges one result per roster unit and
writes ``tong-hop.xlsx`` plus the CSV contracts described in the README. All outputs are staged
and moved into place together at the end.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from workbook_tools.campaign import Campaign, load_campaign
from workbook_tools.compact import EMPTY, CompactMap, aligned, share
from workbook_tools.fileio import StagedOutputs, inert, write_csv_to, write_inert_rows_to
from workbook_tools.inbox import CANDIDATE, FoundFile, read_candidate, scan_inbox
from workbook_tools.merge import (
    INVALID,
    MISSING,
    REJECTED,
    SUPERSEDED,
    USED,
    VALID,
    FileOutcome,
    IssueRow,
    UnitOutcome,
    collect_issues,
    judge_files,
    merge_units,
)
from workbook_tools.parallel import ordered_map
from workbook_tools.problems import ERROR, WorkbookToolsError, make_problem
from workbook_tools.review_read import Review, read_review
from workbook_tools.signing import campaign_key
from workbook_tools.spec import CriteriaSpec, format_points
from workbook_tools.validate import Submission, check_file

UNITS_COLUMNS = ("unit_code", "unit_name", "group", "form_id", "status", "total", "classification",
                 "rank_in_group", "rank_overall", "late", "file")
SCORES_COLUMNS = ("unit_code", "form_id", "criterion_id", "stt", "max_points", "self_score",
                  "team_score")
INDICATORS_COLUMNS = ("unit_code", "indicator_id", "value")
ISSUES_COLUMNS = ("severity", "code", "unit_code", "file", "sheet", "cell", "value", "message")
SUBMISSIONS_COLUMNS = ("file", "sha256", "unit_code", "verdict", "reason")
SUMMARY_NAME = "tong-hop.xlsx"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Collection:
    """Everything one collect run found and decided."""

    campaign: Campaign
    inbox: Path
    run_at: dt.datetime
    files: tuple[FileOutcome, ...]
    units: tuple[UnitOutcome, ...]
    issues: tuple[IssueRow, ...]
    review: Review | None = None
    previous: Any = None  # last year's Results (see ``results``), for the comparison sheet

    def count(self, verdict: str) -> int:
        """Files with this verdict."""
        return sum(f.verdict == verdict for f in self.files)

    def units_with(self, status: str) -> int:
        """Units with this overall status."""
        return sum(u.status == status for u in self.units)

    @property
    def late(self) -> int:
        """Units whose counted file was saved late."""
        return sum(bool(u.late) for u in self.units)

    @functools.cached_property
    def errors_by_unit(self) -> dict[str, list]:
        """Error problems per unit code."""
        errors: dict[str, list] = {}
        for row in self.issues:
            if row.problem.severity == ERROR:
                errors.setdefault(row.unit_code, []).append(row.problem)
        return errors

    @functools.cached_property
    def ranked(self) -> Counter[tuple[str, str]]:
        """Units ranked (valid, with a total) per (form id, group id), and per (form id, '') overall."""
        counts: Counter[tuple[str, str]] = Counter()
        for outcome in self.units:
            for form in outcome.forms:
                if form.total is not None:
                    counts[(form.form_id, outcome.unit.group)] += 1
                    counts[(form.form_id, "")] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        """Any counted or rejected file has an error."""
        return any(r.problem.severity == ERROR and r.problem.code != "UNIT_MISSING" for r in self.issues)


@dataclass(frozen=True)
class CollectResult:
    """A finished run: the collection and where its outputs were written."""

    collection: Collection
    out_dir: Path
    outputs: tuple[Path, ...]


def default_out_dir(campaign: Campaign) -> Path:
    """output/<campaign id>/tong-hop/"""
    return Path("output") / campaign.id / "tong-hop"


def collect_campaign(campaign_path: Path | str, inbox: Path | str, out_dir: Path | str | None = None,
                     progress: Progress | None = None, review: Path | str | None = None,
                     previous: Path | str | None = None) -> CollectResult:
    """Collect an inbox (and the team's review workbook, if given); write the summary and CSVs.

    With ``previous`` (last year's collect output folder) the summary compares the two years.
    """
    from dataclasses import replace

    from workbook_tools.results import read_results

    campaign = load_campaign(campaign_path)
    last_year = read_results(previous) if previous else None
    collection = collect(campaign, Path(inbox), progress, Path(review) if review else None)
    collection = replace(collection, previous=last_year)
    out = Path(out_dir) if out_dir else default_out_dir(campaign)
    outputs = write_outputs(collection, out)
    return CollectResult(collection, out, tuple(outputs))


def collect(campaign: Campaign, inbox: Path, progress: Progress | None = None,
            review_path: Path | None = None) -> Collection:
    """Read and judge every file in the inbox, and the review workbook if given (no output written)."""
    if not inbox.is_dir():
        raise WorkbookToolsError([make_problem("CLI_INBOX_MISSING", path=str(inbox))])
    if review_path is not None and not review_path.is_file():
        raise WorkbookToolsError([make_problem("FILE_NOT_FOUND", path=str(review_path))])
    run_at = dt.datetime.now(campaign.timezone).replace(microsecond=0)
    key, notes = campaign_key(Path(campaign.secret_key_file))
    found = scan_inbox(inbox, campaign.limits.max_file_bytes)
    candidates = [f for f in found if f.kind == CANDIDATE]
    results = ordered_map(_check_job, (campaign, key), candidates, progress)
    checked = {item.rel: compact_submission(campaign, result) for item, result in zip(candidates, results)}
    outcomes = judge_files(campaign, found, checked)
    review = read_review(campaign, review_path, key) if review_path else None
    units = merge_units(campaign, outcomes, review)
    issues = tuple(IssueRow("", note) for note in notes) + collect_issues(campaign, outcomes, units)
    if review is not None:
        issues += review_issues(campaign, review, units)
    return Collection(campaign, inbox, run_at, tuple(outcomes), units, issues, review)


def review_issues(campaign: Campaign, review: Review, units: tuple[UnitOutcome, ...]) -> tuple[IssueRow, ...]:
    """Problems of the review workbook, stale reviews, and changes made without a reason."""
    rows = [IssueRow(code, problem) for code, problem in review.problems]
    for outcome in units:
        code = outcome.unit.code
        if outcome.file and code in review.sources and review.sources[code] != outcome.file.found.sha256:
            rows.append(IssueRow(code, make_problem("REVIEW_STALE", file=review.file)))
        for form in outcome.forms:
            spec = campaign.form(form.form_id)
            own = form.result.scores if form.result else {}
            for criterion in spec.criteria() if isinstance(spec, CriteriaSpec) else ():
                team = form.team.get(criterion.id)
                if team is not None and team != own.get(criterion.id) and not form.reasons.get(criterion.id):
                    rows.append(IssueRow(code, make_problem(
                        "REVIEW_REASON_MISSING", file=review.file, stt=criterion.stt or "-",
                        team=format_points(team), own=format_points(own[criterion.id])
                        if criterion.id in own else "trống")))
    return tuple(rows)


def compact_submission(campaign: Campaign, submission: Submission) -> Submission:
    """The same submission in less memory: values coded against shared tables, repeated texts
    shared with the campaign's, identity cut to what merging uses (unit code and file id), no
    path (the inbox entry has it)."""
    from dataclasses import replace

    forms = []
    for form in submission.forms:
        spec = campaign.form(form.form_id)
        keys = _form_keys(spec)
        forms.append(replace(form, form_id=spec.id, sheet=sys.intern(form.sheet),
                             classification=form.classification and sys.intern(form.classification),
                             total=share(form.total),
                             scores=CompactMap(keys, form.scores) if form.scores else EMPTY,
                             figures=CompactMap(keys, form.figures) if form.figures else EMPTY,
                             notes=CompactMap(keys, form.notes) if form.notes else EMPTY))
    unit = campaign.units_by_code.get(submission.unit_code or "")
    return replace(submission, path=None, forms=tuple(forms), identity=EMPTY,
                   unit_code=unit.code if unit else submission.unit_code)


@functools.lru_cache(maxsize=32)
def _form_keys(spec) -> tuple[str, ...]:
    rows = spec.criteria() if isinstance(spec, CriteriaSpec) else spec.indicators()
    return tuple(row.id for row in rows)


def _check_job(context: tuple[Campaign, bytes | None], item: FoundFile) -> Submission:
    """One file, in a worker process (see ``parallel``)."""
    return _check_candidate(context[0], item, context[1])


def _check_candidate(campaign: Campaign, item: FoundFile, key: bytes | None) -> Submission:
    """Check the exact bytes that were hashed; a file changed or vanished meanwhile is unreadable."""
    try:
        data = read_candidate(item)
    except OSError as exc:
        data, detail = None, f"không đọc được tệp ({exc.strerror or exc})"
    else:
        detail = "tệp bị thay đổi trong lúc đang đọc; chạy lại lệnh"
    if data is None:
        return Submission(item.path, None, None, {}, (),
                          (make_problem("WB_UNREADABLE", file=item.rel, detail=detail),))
    return check_file(campaign, item.path, item.rel, data, key)


def write_outputs(collection: Collection, out: Path) -> list[Path]:
    """Write tong-hop.xlsx and the CSVs, all or nothing."""
    from workbook_tools.feedback import notice_name, write_notice
    from workbook_tools.summary import write_summary

    staged = StagedOutputs(out)
    try:
        write_csv_to(staged.path("units.csv"), UNITS_COLUMNS, units_rows(collection))
        write_inert_rows_to(staged.path("scores.csv"), SCORES_COLUMNS, score_tuples(collection))
        write_inert_rows_to(staged.path("indicators.csv"), INDICATORS_COLUMNS, indicator_tuples(collection))
        write_csv_to(staged.path("issues.csv"), ISSUES_COLUMNS, issue_rows(collection))
        write_csv_to(staged.path("submissions.csv"), SUBMISSIONS_COLUMNS, submission_rows(collection))
        write_summary(collection, staged.path(SUMMARY_NAME))
        if collection.review is not None:
            for outcome in collection.units:
                if outcome.file is not None:
                    write_notice(collection, outcome, staged.path(notice_name(outcome)))
        return staged.commit()
    except OSError as exc:
        staged.discard()
        raise WorkbookToolsError([make_problem("CLI_OUTPUT_UNWRITABLE", path=str(out),
                                               detail=exc.strerror or str(exc))]) from exc
    except BaseException:
        staged.discard()
        raise


@functools.lru_cache(maxsize=4096)
def number_text(value: Decimal | None) -> str:
    """A total or score for CSV: '85.5', '90', or '' (dot decimal, for scripts)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def units_rows(collection: Collection):
    """units.csv: one row per roster unit and form."""
    for outcome in collection.units:
        unit = outcome.unit
        for form in outcome.forms:
            yield {
                "unit_code": unit.code, "unit_name": unit.name, "group": unit.group,
                "form_id": form.form_id, "status": form.status,
                "total": number_text(form.total), "classification": form.classification or "",
                "rank_in_group": form.rank_in_group or "", "rank_overall": form.rank_overall or "",
                "late": "" if outcome.late is None else ("yes" if outcome.late else "no"),
                "file": outcome.file.found.rel if outcome.file else "",
            }


def current_results(collection: Collection):
    """This run as ``results.Results`` (units.csv rows, and the scores that counted), to compare
    with last year's."""
    from workbook_tools.results import results_from_rows

    current = results_from_rows(Path("."), units_rows(collection), (), ())
    for outcome in collection.units:
        for form in outcome.forms:
            if form.result is not None and form.final:
                current.scores[(outcome.unit.code, form.form_id)] = form.final
    return current


def score_tuples(collection: Collection):
    """scores.csv: one row per counted unit, scored form and criterion, in column order, inert."""
    campaign = collection.campaign
    for outcome in collection.units:
        code = inert(outcome.unit.code)
        for form in outcome.forms:
            spec = campaign.form(form.form_id)
            if form.result is None or not isinstance(spec, CriteriaSpec):
                continue
            keys = _form_keys(spec)
            own, team = aligned(form.result.scores, keys), aligned(form.team, keys)
            for fixed, self_score, team_score in zip(_criterion_cells(spec), own, team):
                yield (code, *fixed, number_text(self_score), number_text(team_score))


def indicator_tuples(collection: Collection):
    """indicators.csv: one row per counted unit and figure, in column order, inert."""
    campaign = collection.campaign
    for outcome in collection.units:
        code = inert(outcome.unit.code)
        for form in outcome.forms:
            spec = campaign.form(form.form_id)
            if form.result is None or isinstance(spec, CriteriaSpec):
                continue
            keys = _form_keys(spec)
            for key, value in zip(_inert_keys(keys), aligned(form.result.figures, keys)):
                yield code, key, figure_text(value)


@functools.lru_cache(maxsize=32)
def _criterion_cells(spec: CriteriaSpec) -> tuple[tuple[str, str, str, str], ...]:
    """Per criterion, the fixed scores.csv cells: form, criterion id, stt, maximum (inert)."""
    return tuple((inert(spec.id), inert(c.id), inert(c.stt), number_text(c.max)) for c in spec.criteria())


@functools.lru_cache(maxsize=32)
def _inert_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(inert(k) for k in keys)


def figure_text(value: object) -> str:
    """A figure for CSV: whole numbers as digits, Có/Không as true/false, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def issue_rows(collection: Collection):
    """issues.csv: every problem, the fix appended to the message."""
    for row in collection.issues:
        p = row.problem
        yield {"severity": p.severity, "code": p.code, "unit_code": row.unit_code, "file": p.file,
               "sheet": p.sheet, "cell": p.cell, "value": p.value,
               "message": f"{p.message} Cách sửa: {p.fix}"}


def submission_rows(collection: Collection):
    """submissions.csv: one row per file found."""
    for outcome in collection.files:
        yield {"file": outcome.found.rel, "sha256": outcome.found.sha256,
               "unit_code": outcome.unit_code, "verdict": outcome.verdict, "reason": outcome.reason}


def summary_text(collection: Collection) -> list[str]:
    """The short Vietnamese summary printed after a run."""
    units = collection.units
    received = sum(u.file is not None for u in units)
    lines = [
        f"Đã nhận {received}/{len(units)} đơn vị: {collection.units_with(VALID)} hợp lệ, "
        f"{collection.units_with(INVALID)} có lỗi, {collection.units_with(MISSING)} chưa nộp, "
        f"{collection.late} nộp muộn.",
        f"Tệp trong thư mục nhận: {len(collection.files)} (dùng {collection.count(USED)}, "
        f"thay thế {collection.count(SUPERSEDED)}, loại {collection.count(REJECTED)}, "
        f"bỏ qua {collection.count('ignored')}).",
        f"Nộp muộn là tệp lưu từ 00:00 ngày {collection.campaign.deadline:%d/%m/%Y} trở đi, theo thời gian "
        "lưu ghi trong tệp (nếu tệp không có thì theo thời gian sửa đổi của tệp).",
    ]
    review = collection.review
    if review is not None and review.usable:
        reviewed = sum(any(f.reviewed for f in u.forms) for u in units)
        lines.append(f"Đã áp điểm Tổ kiểm tra từ phiếu chấm '{review.file}' cho {reviewed} đơn vị; xếp loại, "
                     "xếp hạng theo điểm sau kiểm tra.")
    elif review is not None:
        lines.append(f"PHIẾU CHẤM '{review.file}' KHÔNG DÙNG ĐƯỢC (xem issues.csv); xếp loại theo điểm tự chấm.")
    if collection.previous is not None:
        lines.append(f"Có so sánh với kết quả năm trước: {collection.previous.folder}.")
    return lines
