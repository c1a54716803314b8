"""A draft of the district's report (.docx) from the collected results.

``build_report`` reads only what ``collect`` wrote (the CSV contracts, see ``results``, and the
units' report texts when there are any) and follows the district's own outline, the campaign's
``report:`` file (``report.plan``): its headings speak for the district, and each section holds
what its entry names (``report.sections``): the figures as one table (district, per group), the
units reporting the most and the least, the classification statistics under the assessment of
results (``report.assessment``), the units' own texts quoted where they go upward as they are, and a
marked place "[CẦN VIẾT: ...]" (yellow) where the officer writes. Nothing is invented: a figure no
unit reported becomes a marked "[CHƯA CÓ SỐ LIỆU: ...]". The tables of units are in the appendices
(``report.appendix``): ranking and classification per form, counts per classification and group,
units that did not submit or were late, and (with last year's results) the change per unit and the
roster changes.

Layout per Nghị định 30/2020 (``paper.docx``): A4, Times New Roman 14, margins 20/20/30/15 mm,
the header block (issuing body and motto with their rules, number, place and date), page numbers
from page 2, the signature block.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbook_tools.fileio import atomic_path
from workbook_tools.outputs.ranking import letterhead
from workbook_tools.paper.docx import CENTER, TEXT_MM, add_letterhead, add_signature, new_document, rule
from workbook_tools.paper.docx_widths import text_mm
from workbook_tools.problems import WorkbookToolsError, make_problem
from workbook_tools.report.appendix import Appendices
from workbook_tools.report.draft import PLACEHOLDER, Draft, single_spaced, whole
from workbook_tools.report.figures import counted_units
from workbook_tools.report.plan import load_plan
from workbook_tools.report.sections import write_section
from workbook_tools.results.contracts import Status
from workbook_tools.results.years import Results, read_results
from workbook_tools.spec.campaign import Campaign, load_campaign

__all__ = ["PLACEHOLDER", "ReportResult", "build_report", "default_report_path", "whole"]


@dataclass(frozen=True)
class ReportResult:
    """Where the draft was written and every paragraph with figures it contains (for checking)."""

    path: Path
    sentences: tuple[str, ...]


def default_report_path(campaign: Campaign) -> Path:
    """output/<campaign id>/bao-cao/bao-cao-<year>.docx"""
    return Path("output") / campaign.id / "bao-cao" / f"bao-cao-{campaign.year}.docx"


def build_report(campaign_path: Path | str, results_dir: Path | str, previous_dir: Path | str | None = None,
                 out: Path | str | None = None) -> ReportResult:
    """Read the results (and last year's) and write the draft report."""
    campaign = load_campaign(campaign_path)
    if not campaign.report_file:
        raise WorkbookToolsError([make_problem("KEY_MISSING", file=campaign.source_file, key="report",
                                               context="campaign.yaml")])
    draft = Draft(single_spaced(new_document()), campaign, load_plan(campaign.report_file, campaign))
    current = read_results(results_dir)
    previous = read_results(previous_dir) if previous_dir else None
    write_draft(draft, current, previous)
    path = Path(out) if out else default_report_path(campaign)
    try:
        with atomic_path(path) as tmp:
            draft.document.save(str(tmp))
    except OSError as exc:
        raise WorkbookToolsError([make_problem("CLI_OUTPUT_UNWRITABLE", path=str(path),
                                               detail=exc.strerror or str(exc))]) from exc
    return ReportResult(path, tuple(draft.sentences))


def write_draft(draft: Draft, current: Results, previous: Results | None) -> None:
    """The header, the body part by part, the signature, the appendices."""
    _header(draft)
    _intro(draft, current)
    for part in draft.plan.parts:
        for index, line in enumerate(part.title):
            draft.paragraph(draft.fill(line), bold=True, align=CENTER, before=0 if index else 12, indent=False,
                            keep_next=True)
        for section in part.sections:
            write_section(draft, current, previous, section)
    add_signature(draft.document, draft.plan.recipients, draft.campaign.signer,
                  name=PLACEHOLDER.format(text=draft.say("signer_name")))
    Appendices(draft.document, draft.campaign, current, previous, draft.sentences).write()


def _header(draft: Draft) -> None:
    campaign = draft.campaign
    add_letterhead(draft.document, letterhead(campaign, f"BC-{campaign.issuer_code}"))
    draft.paragraph(draft.plan.title, bold=True, align=CENTER, before=12, indent=False, keep_next=True)
    subtitle = draft.fill(draft.plan.subtitle)
    draft.paragraph(subtitle, bold=True, align=CENTER, after=0, indent=False, keep_next=True)
    rule(draft.document, min(TEXT_MM, text_mm(subtitle, 14, bold=True)) / 3, TEXT_MM, after=6)


def _intro(draft: Draft, current: Results) -> None:
    """Whom the district heard from, and whose figures the tables add up."""
    campaign = draft.campaign
    units = {u.code for u in current.units}
    received = {u.code for u in current.units if u.status != Status.MISSING}
    draft.figure(draft.say("intro", request=campaign.request, office=campaign.receiving_office,
                           received=whole(len(received)), units=whole(len(units)), district=campaign.district))
    if campaign.figure_forms:
        form = campaign.figure_forms[0]
        draft.figure(draft.say("figures_basis", count=whole(len(counted_units(current, form.id))),
                               units=whole(len(current.rows(form.id)))))
