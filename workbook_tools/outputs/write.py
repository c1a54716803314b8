"""Writing a collection's outputs: the CSV contracts, ``tong-hop.xlsx``, the ranking table of each
scored form ready to sign, the units' narrative reports compiled (``bao-cao-don-vi.csv``,
``tong-hop-bao-cao-don-vi.docx``) and, after a review round, one notice per unit; all staged and
moved into place together (all or nothing)."""

from __future__ import annotations

from pathlib import Path

from workbook_tools.fileio import StagedOutputs, write_csv_to, write_inert_rows_to
from workbook_tools.outputs.csv import indicator_tuples, issue_rows, score_tuples, submission_rows, units_rows
from workbook_tools.outputs.messages import FOLDER as MESSAGES_FOLDER
from workbook_tools.outputs.messages import collection_message, message_name, units_to_remind, write_message
from workbook_tools.outputs.notices import FOLDER as NOTICES_FOLDER
from workbook_tools.outputs.notices import notice_name, write_notice
from workbook_tools.outputs.ranking import ranking_name, write_ranking
from workbook_tools.outputs.reminders import REMINDERS_NAME, write_reminders
from workbook_tools.outputs.summary.workbook import write_summary
from workbook_tools.outputs.unit_reports import write_unit_reports
from workbook_tools.parallel import Apart
from workbook_tools.problems import WorkbookToolsError, make_problem
from workbook_tools.results.contracts import (
    INDICATORS_COLUMNS,
    ISSUES_COLUMNS,
    SCORES_COLUMNS,
    SUBMISSIONS_COLUMNS,
    SUMMARY_NAME,
    UNITS_COLUMNS,
)
from workbook_tools.results.model import Collection


def write_outputs(collection: Collection, out: Path, apart: bool = False) -> list[Path]:
    """Write tong-hop.xlsx, the CSVs, the ranking tables and the notices, all or nothing.

    With ``apart``, a large collection's summary workbook (most of the writing) is written by a second
    process while this one writes the rest (``parallel.Apart``; not from a thread of a server)."""
    staged = StagedOutputs(out)
    try:
        with Apart(write_summary, (collection, staged.path(SUMMARY_NAME)), len(collection.units) if apart else 0):
            _write_rest(collection, staged)
        return staged.commit()
    except OSError as exc:
        staged.discard()
        raise WorkbookToolsError([make_problem("CLI_OUTPUT_UNWRITABLE", path=str(out),
                                               detail=exc.strerror or str(exc))]) from exc
    except BaseException:
        staged.discard()
        raise


def _write_rest(collection: Collection, staged: StagedOutputs) -> None:
    """Every output but the summary workbook."""
    write_csv_to(staged.path("units.csv"), UNITS_COLUMNS, units_rows(collection))
    write_inert_rows_to(staged.path("scores.csv"), SCORES_COLUMNS, score_tuples(collection))
    write_inert_rows_to(staged.path("indicators.csv"), INDICATORS_COLUMNS, indicator_tuples(collection))
    write_csv_to(staged.path("issues.csv"), ISSUES_COLUMNS, issue_rows(collection))
    write_csv_to(staged.path("submissions.csv"), SUBMISSIONS_COLUMNS, submission_rows(collection))
    for spec in collection.campaign.scored_forms:
        write_ranking(collection, spec, staged.path(ranking_name(spec)))
    for outcome in units_to_remind(collection):
        write_message(collection_message(collection, outcome), staged.path(message_name(outcome.unit)))
    write_reminders(collection, staged.path(REMINDERS_NAME))
    if collection.campaign.outlines:
        write_unit_reports(collection, staged)
    staged.own(MESSAGES_FOLDER, "*_*.txt")
    if collection.review is not None:
        for outcome in collection.units:
            if outcome.file is not None:
                write_notice(collection, outcome, staged.path(notice_name(outcome)))
        staged.own(NOTICES_FOLDER, "*_*.docx")
        staged.own(NOTICES_FOLDER, "*_*.xlsx")  # the notices of before 2024 were workbooks
