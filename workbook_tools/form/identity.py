"""Data embedded in every generated workbook so the collector can identify it.

The same key/value pairs are written twice: as custom document properties (kept by Excel and
by a LibreOffice re-save) and on a hidden, protected sheet ``_wt`` (plain hidden, not
veryHidden: LibreOffice turns veryHidden into hidden anyway). Row ids live in hidden column A
of each form sheet (see ``layout``). Nothing here is a security measure: the collector
re-checks everything against the spec.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workbook_tools import TEMPLATE_VERSION
from workbook_tools.spec.campaign import Campaign, Unit

META_SHEET = "_wt"
FORMAT_NAME = "workbook_tools"            # the ``format`` of a unit workbook
REVIEW_FORMAT = "workbook_tools_review"    # ... of the inspection team's review workbook
INSTRUCTIONS_SHEET = "Hướng dẫn"          # the first sheet of a unit workbook
PROPERTY_PREFIX = "wt_"
# A unit's report template (Word): its identity's format, the bookmark on each heading, the style of
# the grey prompts (the reader drops paragraphs in it).
REPORT_FORMAT = "workbook_tools_report"
BOOKMARK_PREFIX = "wt_s_"
PROMPT_STYLE, PROMPT_STYLE_ID = "Gợi ý", "Goiy"


@dataclass(frozen=True)
class FileIdentity:
    """Who a generated file is for and what it was generated from."""

    file_id: str
    generated_at: dt.datetime


def unit_metadata(file_format: str, campaign: Campaign, unit: Unit) -> dict[str, str]:
    """The first identity pairs of every generated file (workbook or report template): format, campaign, unit."""
    return {
        "format": file_format,
        "template_version": TEMPLATE_VERSION,
        "campaign_id": campaign.id,
        "campaign_year": str(campaign.year),
        "unit_code": unit.code,
        "unit_name": unit.name,
        "unit_group": unit.group,
    }


def issue_metadata(identity: FileIdentity) -> dict[str, str]:
    """The identity pairs of one issue of a file: its id and when it was generated."""
    return {"file_id": identity.file_id, "generated_at": identity.generated_at.isoformat(timespec="seconds")}


def build_metadata(campaign: Campaign, unit: Unit, identity: FileIdentity) -> dict[str, str]:
    """Ordered key/value pairs describing one generated workbook."""
    meta = unit_metadata(FORMAT_NAME, campaign, unit) | issue_metadata(identity)
    forms = campaign.forms_for(unit)
    meta["forms"] = ",".join(f.id for f in forms)
    for form in forms:
        meta[f"form.{form.id}.version"] = form.version
        meta[f"form.{form.id}.sha256"] = form.content_hash
        meta[f"form.{form.id}.sheet"] = form.sheet_name
    return meta


def bookmark_name(section_id: str) -> str:
    """The bookmark on a report heading: 'wt_s_iii_2' for section 'iii.2'."""
    return BOOKMARK_PREFIX + section_id.replace(".", "_")


def property_name(key: str) -> str:
    """Custom document property name for a metadata key."""
    return PROPERTY_PREFIX + key.replace(".", "_").replace("-", "_")
