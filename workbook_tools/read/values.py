"""Values typed into a returned workbook, read as a person meant them and checked.

A score may arrive as a number or as text ("4,5", "4.5"); a figure as a whole number, a yes/no
or a date in any of the forms spreadsheets store. Nothing here trusts the cell's own validation.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from workbook_tools.problems import ProblemSink, nfc
from workbook_tools.spec.base import format_points

EXCEL_EPOCH = dt.date(1899, 12, 30)
YES, NO = "có", "không"
FIGURE_EXPECTED = {"int": "số nguyên từ 0 trở lên", "bool": "Có hoặc Không", "date": "ngày/tháng/năm"}
_NUMBER_TEXT = re.compile(r"-?\d+(\.\d+)?(E[+-]?\d{1,3})?", flags=re.IGNORECASE | re.ASCII)
_FLOAT_DECIMALS: dict[float, Decimal] = {}  # scores repeat (0.5, 1, 2.5 ...): convert each once


def is_blank(value: object) -> bool:
    """An empty cell, or one holding only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def parse_score(value: object, maximum: Decimal, stt: str, sheet: str, row: int, col: int,
                sink: ProblemSink, accept_text: bool) -> Decimal | None:
    """A valid score, or None after recording why not (row and col 1-based).

    A number stored as text ('4,5') is read, and reported: as an error the unit must fix, since
    the sheet's own total leaves such a cell out (the paper it signs would not show the score the
    district counts), or, with ``accept_text``, as a warning."""
    def where() -> dict:
        return dict(sheet=sheet, row=row, col=col, stt=stt, max=format_points(maximum))
    if is_blank(value):
        sink.add("SCORE_BLANK", **where())
        return None
    number = to_number(value)
    if number is None:
        sink.add("SCORE_NOT_NUMBER", value=value, **where())
        return None
    if isinstance(value, str):
        sink.add("SCORE_TEXT" if accept_text else "SCORE_TEXT_REFUSED", value=value, number=format_points(number),
                 **where())
    if number < 0 or number > maximum:
        sink.add("SCORE_OUT_OF_RANGE", value=format_points(number), **where())
        return None
    return number


def to_number(value: object) -> Decimal | None:
    """A number from a cell value: numbers, or text like '4,5' / '4.5'; None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        return _float_number(value)
    text = str(value).strip().replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not _NUMBER_TEXT.fullmatch(text):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _float_number(value: float) -> Decimal | None:
    cached = _FLOAT_DECIMALS.get(value)
    if cached is not None:
        return cached
    if value != value or value in (float("inf"), float("-inf")):
        return None
    number = Decimal(int(value)) if value.is_integer() and abs(value) < 1e15 else to_number(repr(value))
    if number is not None and len(_FLOAT_DECIMALS) < 10_000:
        _FLOAT_DECIMALS[value] = number
    return number


def parse_figure(value: object, kind: str) -> object:
    """A figure of the given type (int, bool, date) from a non-blank cell value, or None."""
    if kind == "int":
        number = to_number(value) if not isinstance(value, str) else None
        return int(number) if number is not None and number >= 0 and number == int(number) else None
    if kind == "bool":
        text = nfc(str(value)).strip().lower()
        return {YES: True, NO: False}.get(text)
    if isinstance(value, float) and 1 <= value < 2_958_466:
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"):
        try:
            return dt.datetime.strptime(str(value).strip(), pattern).date()
        except ValueError:
            continue
    return None
