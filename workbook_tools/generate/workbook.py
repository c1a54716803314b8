"""One unit's workbook, built directly with XlsxWriter: instructions, one sheet per form, the
hidden identity. ``generate.template`` builds each group's template through ``build_to``."""

from __future__ import annotations

from workbook_tools.form.identity import FileIdentity, build_metadata
from workbook_tools.form.layout import plan_criteria
from workbook_tools.form.signing import SIGNATURE_KEY
from workbook_tools.generate.common import write_identity
from workbook_tools.generate.sheet_criteria import write_criteria_sheet
from workbook_tools.generate.sheet_indicators import write_indicator_sheet
from workbook_tools.generate.sheet_instructions import write_instructions
from workbook_tools.paper.pager import MeasuredWorkbook
from workbook_tools.paper.styles import WORKBOOK_OPTIONS, make_form_styles, make_styles
from workbook_tools.spec.base import FormKind
from workbook_tools.spec.campaign import Campaign, Unit


def build_to(campaign: Campaign, unit: Unit, identity: FileIdentity, target, signature: str) -> None:
    """Write one unit's workbook to a path or a binary buffer, with the given signature."""
    wb = MeasuredWorkbook(target if hasattr(target, "write") else str(target), WORKBOOK_OPTIONS)
    styles, form_styles = make_styles(wb), make_form_styles(wb)
    forms = campaign.forms_for(unit)
    meta = build_metadata(campaign, unit, identity)
    meta[SIGNATURE_KEY] = signature
    layouts = {f.id: plan_criteria(f, campaign.year) for f in campaign.scored_forms_for(unit)}
    write_instructions(wb, styles, campaign, unit, identity.file_id)
    for form in forms:
        if form.kind == FormKind.CRITERIA:
            write_criteria_sheet(wb, styles, form_styles, campaign, unit, layouts[form.id])
        else:
            write_indicator_sheet(wb, styles, form_styles, campaign, unit, form)
    _set_properties(wb, campaign, unit, identity)
    write_identity(wb, styles, meta, campaign.sheet_password)
    wb.close()


def _set_properties(wb: MeasuredWorkbook, campaign: Campaign, unit: Unit, identity: FileIdentity) -> None:
    wb.set_properties({
        "title": f"{campaign.name} - {unit.name}",
        "subject": campaign.name,
        "author": campaign.receiving_office,
        "company": campaign.issuer,
        "comments": f"Biểu mẫu cho {unit.name} ({unit.code}); mã tệp {identity.file_id}",
        "created": identity.generated_at.replace(tzinfo=None),
    })
