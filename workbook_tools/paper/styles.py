"""Cell formats of the workbooks we write (one font, Nghị định 30/2020 look)."""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

FONT = "Times New Roman"  # every workbook and document we write; Liberation Serif stands in on Linux
INPUT_FILL = "#FFF2CC"   # yellow: cells the unit fills
TEAM_FILL = "#E7E6E6"    # grey: reserved for the inspection team
HEADER_FILL = "#D9E1F2"  # table header
CHECK_SIZE = 10          # points: the figures' consistency messages, in a narrow column
SECTION_FILL = "#F2F2F2"

WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_format_properties": {"font_name": FONT, "font_size": 12},
}


@dataclass(frozen=True)
class Styles:
    """Every format a generated workbook uses."""

    wrap: Format
    bold_center: Format
    center: Format
    italic_center: Format
    title: Format
    subtitle: Format
    table_header: Format
    section: Format
    section_stt: Format
    section_number: Format
    criterion: Format
    criterion_stt: Format
    number: Format
    score_input: Format
    team_locked: Format
    evidence_input: Format
    total_label: Format
    total_number: Format
    classification: Format
    note: Format
    signer_input: Format
    date_input: Format
    check: Format
    para: Format
    para_bold: Format
    heading: Format
    meta: Format


def make_styles(wb: Workbook) -> Styles:
    """Create the formats on a workbook."""
    def fmt(**props: object) -> Format:
        return wb.add_format({"font_name": FONT, "font_size": 12, "valign": "vcenter", **props})

    border = {"border": 1}
    unlocked = {"locked": False, "bg_color": INPUT_FILL}
    return Styles(
        wrap=fmt(text_wrap=True),
        bold_center=fmt(bold=True, align="center"),
        center=fmt(align="center"),
        italic_center=fmt(italic=True, align="center"),
        title=fmt(bold=True, font_size=13, align="center", text_wrap=True),
        subtitle=fmt(italic=True, align="center", text_wrap=True),
        table_header=fmt(bold=True, align="center", text_wrap=True, bg_color=HEADER_FILL, **border),
        section=fmt(bold=True, text_wrap=True, bg_color=SECTION_FILL, **border),
        section_stt=fmt(bold=True, align="center", bg_color=SECTION_FILL, **border),
        section_number=fmt(bold=True, align="center", bg_color=SECTION_FILL, **border),
        criterion=fmt(text_wrap=True, align="justify", **border),
        criterion_stt=fmt(align="center", **border),
        number=fmt(align="center", **border),
        score_input=fmt(align="center", **border, **unlocked),
        team_locked=fmt(align="center", bg_color=TEAM_FILL, **border),
        evidence_input=fmt(text_wrap=True, font_size=11, **border, **unlocked),
        total_label=fmt(bold=True, align="center", **border),
        total_number=fmt(bold=True, align="center", **border),
        classification=fmt(bold=True, align="center", text_wrap=True, **border),
        note=fmt(italic=True, font_size=11, text_wrap=True, valign="top"),
        signer_input=fmt(bold=True, align="center", **unlocked),
        date_input=fmt(align="center", num_format="dd/mm/yyyy", **border, **unlocked),
        check=fmt(font_color="#C00000", font_size=11, text_wrap=True, **border),
        para=fmt(text_wrap=True, valign="top"),
        para_bold=fmt(text_wrap=True, bold=True, valign="top"),
        heading=fmt(bold=True, font_size=13, align="center"),
        meta=fmt(font_size=10),
    )


@dataclass(frozen=True)
class FormStyles:
    """Formats of the unit workbook's own cells, beside ``Styles`` (which other writers share)."""

    header_name: Format       # the unit's name under the issuing body, wrapped when long
    header_top: Format        # the motto's second line, level with the unit's name
    unit_line: Format         # "Đơn vị: ..." above the table, wrapped when long
    place_date_input: Format  # "....., ngày ... tháng ... năm ...": the unit writes place and date
    reference_input: Format   # "(Kèm theo Báo cáo số ...)": the unit writes its report's number
    signature_label: Format   # the signer's title, wrapped when long
    total_label: Format       # a label of the totals spanning several columns
    check: Format             # a figure's consistency message: small, red, empty when the figures agree
    measure: Format           # a figure's unit of measure ("lượt người"), wrapped in its narrow column


def make_form_styles(wb: Workbook) -> FormStyles:
    """Create the unit workbook's own formats on a workbook."""
    def fmt(**props: object) -> Format:
        return wb.add_format({"font_name": FONT, "font_size": 12, "valign": "vcenter", **props})

    unlocked = {"locked": False, "bg_color": INPUT_FILL}
    return FormStyles(
        header_name=fmt(bold=True, align="center", text_wrap=True, valign="top"),
        header_top=fmt(bold=True, align="center", valign="top"),
        unit_line=fmt(bold=True, align="center", text_wrap=True),
        place_date_input=fmt(italic=True, align="center", **unlocked),
        reference_input=fmt(italic=True, align="center", text_wrap=True, **unlocked),
        signature_label=fmt(bold=True, align="center", text_wrap=True),
        total_label=fmt(bold=True, align="center", text_wrap=True, border=1),
        check=fmt(font_color="#C00000", font_size=CHECK_SIZE, text_wrap=True, border=1),
        measure=fmt(align="center", text_wrap=True, border=1),
    )


def count_format(wb: Workbook, total: int) -> Format:
    """A count of a total shown as 'n/total' (bold, centred, bordered like the totals)."""
    return wb.add_format({"font_name": FONT, "font_size": 12, "valign": "vcenter", "bold": True,
                          "align": "center", "border": 1, "num_format": f'0"/{total}"'})
