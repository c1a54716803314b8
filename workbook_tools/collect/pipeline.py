"""The collector: from an inbox of returned files to the district summary and its CSVs.

``collect_campaign`` is the library entry point behind ``workbook-tools collect``. It reads the
inbox (never writing to it), checks every candidate file (in parallel), decides one result per
roster unit (``results``) and writes ``tong-hop.xlsx`` plus the CSV contracts described in the
README (``outputs``). All outputs are staged and moved into place together at the end.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from workbook_tools.collect.cache import Memo, cache_path, check_context, load_cache, save_cache
from workbook_tools.form.signing import campaign_key
from workbook_tools.parallel import ordered_map
from workbook_tools.problems import WorkbookToolsError, make_problem
from workbook_tools.read.check import Submission, check_file
from workbook_tools.read.containers import ContainerLimits
from workbook_tools.read.inbox import FoundFile, read_candidate, scan_inbox
from workbook_tools.read.kinds import FileKind
from workbook_tools.read.report import ReportRead, read_report
from workbook_tools.read.review import read_review
from workbook_tools.results.attach import attribute_documents
from workbook_tools.results.choose import judge_files
from workbook_tools.results.compact import EMPTY, CompactMap, share
from workbook_tools.results.contracts import Verdict
from workbook_tools.results.merge import collect_issues, merge_units
from workbook_tools.results.model import Collection, FileOutcome, IssueRow
from workbook_tools.results.reports import decide_reports, outline_hint, readable
from workbook_tools.results.review import review_issues
from workbook_tools.results.years import read_results
from workbook_tools.spec.campaign import Campaign, load_campaign
from workbook_tools.spec.register import load_register

Progress = Callable[[int, int], None]


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
                     previous: Path | str | None = None, memo: ReadMemo | None = None) -> CollectResult:
    """Collect an inbox (and the team's review workbook, if given); write the summary and CSVs.

    With ``previous`` (last year's collect output folder) the summary compares the two years;
    ``memo``: see ``collect``.
    """
    collection, out = read_campaign(campaign_path, inbox, out_dir, progress, review, previous, memo)
    return CollectResult(collection, out, tuple(write_collection(collection, out, apart=True)))


def read_campaign(campaign_path: Path | str, inbox: Path | str, out_dir: Path | str | None = None,
                  progress: Progress | None = None, review: Path | str | None = None,
                  previous: Path | str | None = None, memo: ReadMemo | None = None) -> tuple[Collection, Path]:
    """The first half of ``collect_campaign``: the collection and the folder its outputs go to (the
    check cache is written there; nothing else is)."""
    campaign = load_campaign(campaign_path)
    out = Path(out_dir) if out_dir else default_out_dir(campaign)
    _apart(Path(inbox), out)
    last_year = read_results(previous) if previous else None
    collection = collect(campaign, Path(inbox), progress, Path(review) if review else None, memo,
                         cache=cache_path(out))
    return replace(collection, previous=last_year), out


def write_collection(collection: Collection, out: Path, apart: bool = False) -> list[Path]:
    """The second half of ``collect_campaign``: every output of the collection, all or nothing
    (``apart``: see ``outputs.write.write_outputs``)."""
    # the writers (python-docx, xlsxwriter) take longer to import than the command takes to start:
    # loaded once the inbox is read, never before (benchmarks/startup.py)
    return importlib.import_module("workbook_tools.outputs.write").write_outputs(collection, out, apart)


def _apart(inbox: Path, out: Path) -> None:
    """The results are never written inside the inbox (nor the inbox inside the results): the inbox
    is only ever read, and a run replaces its own outputs."""
    inside = inbox.resolve(), out.resolve()
    if inside[1] == inside[0] or inside[0] in inside[1].parents or inside[1] in inside[0].parents:
        raise WorkbookToolsError([make_problem("CLI_OUTPUT_UNWRITABLE", path=str(out),
                                               detail="thư mục kết quả không được nằm trong thư mục nhận (hay "
                                                      "ngược lại); chọn thư mục khác bằng --out")])


def collect(campaign: Campaign, inbox: Path, progress: Progress | None = None,
            review_path: Path | None = None, memo: ReadMemo | None = None,
            cache: Path | None = None) -> Collection:
    """Read and judge every file in the inbox, and the review workbook if given (no output written).

    ``memo`` (kept by a caller that collects the same inbox again and again, like the app) holds the
    checks of earlier runs by place and content: only new or changed files are read again. ``cache``:
    where the checks are kept on disk between runs (``collect.cache``; filled from there when the memo is
    empty, written back after reading)."""
    if not inbox.is_dir():
        raise WorkbookToolsError([make_problem("CLI_INBOX_MISSING", path=str(inbox))])
    if review_path is not None and not review_path.is_file():
        raise WorkbookToolsError([make_problem("FILE_NOT_FOUND", path=str(review_path))])
    run_at = dt.datetime.now(campaign.timezone).replace(microsecond=0)
    key, notes = campaign_key(Path(campaign.secret_key_file))
    found = scan_inbox(inbox, campaign.max_file_bytes)
    candidates = [f for f in found if f.kind == FileKind.CANDIDATE]
    memo = {} if memo is None else memo
    context = check_context(campaign, key)
    if cache is not None and not memo:
        loaded = load_cache(cache, context, key)
        memo.update({k: compact_submission(campaign, v) for k, v in loaded.memo.items()})
        notes += [loaded.notice] if loaded.notice else []
    checked = _check_all(campaign, context, key, candidates, progress, memo)
    if cache is not None:
        save_cache(cache, context, key, memo)
    register = load_register(campaign)
    outcomes = attribute_documents(campaign, judge_files(campaign, found, checked, register))
    decided = decide_reports(campaign, outcomes, _read_reports(campaign, key, outcomes))
    outcomes = list(decided.files)
    review = read_review(campaign, review_path, key) if review_path else None
    units = merge_units(campaign, outcomes, register, review)
    issues = tuple(IssueRow("", note) for note in notes) + collect_issues(campaign, outcomes, units, register)
    if not any(o.verdict in (Verdict.USED, Verdict.NEEDS_CHOICE) for o in outcomes):
        issues += (IssueRow("", make_problem("INBOX_EMPTY", path=str(inbox), count=len(found))),)
    if review is not None:
        issues += review_issues(campaign, review, units)
    return Collection(campaign, inbox, run_at, tuple(outcomes), units, issues + decided.issues, review,
                      register=register, reports=decided.reports)


def _read_reports(campaign: Campaign, key: bytes | None, outcomes: list[FileOutcome]) -> dict[str, ReportRead]:
    """What each attached Word report yields, by its place in the inbox (one whose bytes changed
    meanwhile is left out, and reported unreadable)."""
    reads = {}
    for outcome in outcomes:
        if readable(outcome):
            data = read_candidate(outcome.found, ContainerLimits(max_member_bytes=campaign.max_file_bytes))
            if data is not None:
                reads[outcome.found.rel] = read_report(campaign, None, data, key,
                                                       outline_hint(campaign, outcome.found.name))
    return reads


ReadMemo = Memo  # (place in inbox, content sha256, context) -> check; kept on disk by ``collect.cache``


def _check_all(campaign: Campaign, context: str, key: bytes | None, candidates: list[FoundFile],
               progress: Progress | None, memo: ReadMemo) -> dict[str, Submission]:
    """Every candidate's check: from the memo when the same bytes were checked at the same place under
    the same campaign and key, else read now (in parallel); the memo keeps only this inbox's checks."""
    keys = {item.rel: (item.rel, item.sha256, context) for item in candidates}
    fresh = [item for item in candidates if not item.sha256 or keys[item.rel] not in memo]
    for item, result in zip(fresh, ordered_map(_check_job, (campaign, key), fresh, progress)):
        memo[keys[item.rel]] = compact_submission(campaign, result)
    checked = {item.rel: memo[keys[item.rel]] for item in candidates}
    for stale in set(memo) - {keys[item.rel] for item in candidates if item.sha256}:
        del memo[stale]  # gone, changed, or unreadable (no digest: never remembered)
    return checked


def compact_submission(campaign: Campaign, submission: Submission) -> Submission:
    """The same submission in less memory: values coded against shared tables, repeated texts
    shared with the campaign's, identity cut to what merging uses (unit code and file id), no
    path (the inbox entry has it)."""
    forms = []
    for form in submission.forms:
        spec = campaign.form(form.form_id)
        keys = spec.row_ids
        forms.append(replace(form, form_id=spec.id, sheet=sys.intern(form.sheet),
                             classification=form.classification and sys.intern(form.classification),
                             total=share(form.total),
                             scores=CompactMap(keys, form.scores) if form.scores else EMPTY,
                             figures=CompactMap(keys, form.figures) if form.figures else EMPTY,
                             notes=CompactMap(keys, form.notes) if form.notes else EMPTY))
    unit = campaign.units_by_code.get(submission.unit_code or "")
    return replace(submission, path=None, forms=tuple(forms), identity=EMPTY,
                   unit_code=unit.code if unit else submission.unit_code)


def _check_job(context: tuple[Campaign, bytes | None], item: FoundFile) -> Submission:
    """One file, in a worker process (see ``parallel``)."""
    return _check_candidate(context[0], item, context[1])


def _check_candidate(campaign: Campaign, item: FoundFile, key: bytes | None) -> Submission:
    """Check the exact bytes that were hashed; a file changed or vanished meanwhile is unreadable."""
    try:
        data = read_candidate(item, ContainerLimits(max_member_bytes=campaign.max_file_bytes))
    except OSError as exc:
        data, detail = None, f"không đọc được tệp ({exc.strerror or exc})"
    else:
        detail = "tệp bị thay đổi trong lúc đang đọc; chạy lại lệnh"
    if data is None:
        return Submission(item.path, None, None, {}, (),
                          (make_problem("WB_UNREADABLE", file=item.rel, detail=detail),))
    return check_file(campaign, item.path, item.rel, data, key)
