"""Re-check a returned workbook against the campaign and its specs, trusting nothing in it.

Every value is read by the row ids embedded at generation and checked against the spec:
blanks, text, out-of-range scores, edited text or maxima, moved rows, replaced formulas,
protection removed, figures of the wrong type and broken consistency rules. Totals and the
classification are recomputed here, never taken from the file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from workbook_tools.campaign import Campaign, Unit
from workbook_tools.embed import FORMAT_NAME, META_SHEET
from workbook_tools.identify import read_identity
from workbook_tools.indicators import IndicatorSpec
from workbook_tools.layout import (
    COL_MAX,
    COL_TEXT,
    IND_COL_VALUE,
    MARK_HEADER,
    MARK_TOTAL,
    cell_ref,
    plan_criteria,
    plan_indicators,
)
from workbook_tools.problems import ERROR, Problem, make_problem, nfc
from workbook_tools.scoring import classify, round2, table_total
from workbook_tools.sheet_instructions import SHEET_NAME as INSTRUCTIONS_SHEET
from workbook_tools.signing import SIGNATURE_KEY, campaign_key, verify
from workbook_tools.spec import CriteriaSpec, Section, format_points
from workbook_tools.xlsx_read import Book, Sheet, XlsxError, read_xlsx

EXCEL_EPOCH = dt.date(1899, 12, 30)
IDENTITY_ERRORS = {"WB_NOT_OURS", "WB_IDENTITY_MISMATCH", "WB_OTHER_CAMPAIGN", "WB_UNKNOWN_UNIT",
                   "WB_SIGNATURE_MISSING", "WB_SIGNATURE_BAD"}
YES, NO = "có", "không"


@dataclass(frozen=True, slots=True)
class FormResult:
    """What was read from one form of a submission."""

    form_id: str
    sheet: str
    scores: dict[str, Decimal] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # the unit's evidence note per criterion
    figures: dict[str, object] = field(default_factory=dict)
    complete: bool = False
    total: Decimal | None = None
    classification: str | None = None


@dataclass(frozen=True, slots=True)
class Submission:
    """One returned file, checked."""

    path: Path | None  # None once collected (see ``collect.compact_submission``)
    unit_code: str | None
    file_id: str | None
    identity: dict[str, str]
    forms: tuple[FormResult, ...]
    problems: tuple[Problem, ...]
    saved_at: dt.datetime | None = None  # last-saved time written by the saving application

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return not any(p.severity == ERROR for p in self.problems)


class _Sink:
    """Collects problems for one file."""

    def __init__(self, file: str):
        self.file, self.items = file, []

    def add(self, code: str, sheet: str = "", row: int | None = None, col: int | None = None,
            **params: object) -> None:
        cell = cell_ref(row - 1, col - 1) if row and col else ""
        self.items.append(make_problem(code, file=self.file, sheet=sheet, cell=cell, **params))


def check_file(campaign: Campaign, path: Path, name: str | None = None,
               data: bytes | None = None, key: bytes | None = None) -> Submission:
    """Read and check one returned file (from its bytes when given); never raises for a bad file."""
    sink = _Sink(name or path.name)
    meta: dict[str, str] = {}
    try:
        book = read_xlsx(path if data is None else data, campaign.limits)
        meta, conflicts = read_identity(book, tuple(f.id for f in campaign.forms))
        unit = _check_identity(campaign, meta, conflicts, path, sink, key)
        forms = () if unit is None else tuple(_check_forms(campaign, unit, book, meta, sink))
        if unit is not None:
            _check_sheet_list(campaign, unit, book, meta, sink)
    except (XlsxError, OSError) as exc:
        sink.items = [p for p in sink.items if p.severity == ERROR and p.code in IDENTITY_ERRORS]
        sink.add("WB_UNREADABLE", detail=getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc)
        return Submission(path, meta.get("unit_code"), meta.get("file_id"), meta, (), tuple(sink.items))
    return Submission(path, unit.code if unit else meta.get("unit_code"), meta.get("file_id"),
                      meta, forms, tuple(sink.items), book.modified)


def _check_identity(campaign: Campaign, meta: dict[str, str], conflicts: list, path: Path,
                    sink: _Sink, key: bytes | None) -> Unit | None:
    if meta.get("format") != FORMAT_NAME or not meta.get("unit_code"):
        sink.add("WB_NOT_OURS")
        return None
    for key, found, other in conflicts:
        sink.add("WB_IDENTITY_MISMATCH", key=key, found=found, other=other)
    if conflicts:
        return None
    if meta.get("campaign_id") != campaign.id:
        sink.add("WB_OTHER_CAMPAIGN", found=meta.get("campaign_id", ""), expected=campaign.id)
        return None
    if key is not None and SIGNATURE_KEY not in meta:
        sink.add("WB_SIGNATURE_MISSING")
        return None
    if key is not None and not verify(meta, key):
        sink.add("WB_SIGNATURE_BAD", unit_code=meta["unit_code"])
        return None
    unit = campaign.units_by_code.get(meta["unit_code"])
    if unit is None:
        sink.add("WB_UNKNOWN_UNIT", unit_code=meta["unit_code"])
        return None
    named = _named_unit(campaign, path.name)
    if named and named != unit.code:
        sink.add("WB_FILENAME_OTHER_UNIT", named=named, unit_code=unit.code)
    return unit


def _named_unit(campaign: Campaign, file_name: str) -> str | None:
    """The roster code a file name starts with (followed by a non-alphanumeric), if any."""
    ends = [i for i, ch in enumerate(file_name) if not ch.isascii() or not ch.isalnum()] + [len(file_name)]
    for end in sorted(ends, reverse=True):
        if file_name[:end] in campaign.units_by_code:
            return file_name[:end]
    return None


def _check_forms(campaign: Campaign, unit: Unit, book: Book, meta: dict[str, str], sink: _Sink):
    listed = meta.get("forms", "").split(",")
    for form in campaign.forms_for(unit):
        if form.id not in listed:
            sink.add("WB_FORM_MISSING", form=form.id)
            continue
        found = meta.get(f"form.{form.id}.sha256", "")
        if found != form.content_hash:
            sink.add("WB_SPEC_CHANGED", form=form.id, found=found[:12], expected=form.content_hash[:12])
            continue
        ids = [c.id for c in form.criteria()] if isinstance(form, CriteriaSpec) else [i.id for i in form.indicators()]
        sheet = _find_sheet(book, meta.get(f"form.{form.id}.sheet", form.sheet_name), ids, form.id, sink,
                            _columns(campaign, form))
        if sheet is None:
            yield FormResult(form.id, "")
        elif isinstance(form, CriteriaSpec):
            yield _check_criteria(campaign, form, sheet, sink)
        else:
            yield _check_figures(campaign, form, sheet, sink)


def _check_sheet_list(campaign: Campaign, unit: Unit, book: Book, meta: dict[str, str],
                      sink: _Sink) -> None:
    """Sheets added or copied, and sheets put in another order, are reported (never read)."""
    forms = campaign.forms_for(unit)
    expected = [INSTRUCTIONS_SHEET] + [meta.get(f"form.{f.id}.sheet", f.sheet_name) for f in forms] + [META_SHEET]
    extra = [name for name in book.order if name not in expected]
    for name in extra:
        sink.add("WB_SHEET_EXTRA", sheet_name=name)
    known = [name for name in book.order if name in expected]
    if known != [name for name in expected if name in known]:
        sink.add("WB_SHEETS_REORDERED", order=", ".join(known))


def _columns(campaign: Campaign, form) -> frozenset[int]:
    """1-based columns the checks read: row ids, text, maximum, scores, evidence (or the value)."""
    if isinstance(form, CriteriaSpec):
        layout = plan_criteria(form, campaign.year)
        return frozenset({1, COL_TEXT + 1, COL_MAX + 1, layout.evidence_col + 1}
                         | {c + 1 for c in layout.score_cols})
    return frozenset({1, IND_COL_VALUE + 1})


def _find_sheet(book: Book, expected: str, ids: list[str], form_id: str, sink: _Sink,
                columns: frozenset[int] | None = None) -> Sheet | None:
    found = book.sheet(expected, columns)
    if found is not None:
        return found
    wanted = set(ids)
    for name in book.order:
        sheet = book.sheet(name, columns)
        present = {c.value for (r, col), c in sheet.cells.items() if col == 1}
        if len(wanted & present) >= len(wanted) // 2:
            sink.add("WB_SHEET_RENAMED", sheet=sheet.name, expected=expected, sheet_name=sheet.name)
            return sheet
    sink.add("WB_SHEET_MISSING", form=form_id)
    return None


def id_rows(sheet: Sheet) -> dict[str, list[int]]:
    rows: dict[str, list[int]] = {}
    for (row, col), cell in sheet.cells.items():
        if col == 1 and isinstance(cell.value, str):
            rows.setdefault(cell.value, []).append(row)
    for found in rows.values():
        if len(found) > 1:
            found.sort()
    return rows


def _header_ok(sheet: Sheet, header_row: int | None, expected: dict[int, str], sink: _Sink) -> bool:
    for col, label in expected.items():
        value = sheet.value(header_row, col) if header_row else None
        if not isinstance(value, str) or nfc(value).strip() != label:
            sink.add("WB_COLUMNS_CHANGED", sheet=sheet.name, row=header_row or 1, col=col, expected=label)
            return False
    return True


def _check_criteria(campaign: Campaign, spec: CriteriaSpec, sheet: Sheet, sink: _Sink) -> FormResult:
    layout = plan_criteria(spec, campaign.year)
    if not sheet.protected:
        sink.add("WB_PROTECTION_REMOVED", sheet=sheet.name)
    rows = id_rows(sheet)
    header = (rows.get(MARK_HEADER) or [None])[0]
    columns = {COL_TEXT + 1: spec.content_label, COL_MAX + 1: spec.max_label,
               layout.unit_col + 1: spec.unit_column().label}
    if not _header_ok(sheet, header, columns, sink):
        return FormResult(spec.id, sheet.name)
    scores, notes, moved, complete = {}, {}, 0, True
    for form_row in layout.rows:
        found = rows.get(form_row.node.id, [])
        if len(found) != 1:
            if not isinstance(form_row.node, Section):
                code = "WB_ROW_MISSING" if not found else "WB_ROW_DUPLICATED"
                sink.add(code, sheet=sheet.name, stt=form_row.node.stt or "-", id=form_row.node.id)
                complete = False
            continue
        row = found[0]
        moved += row != form_row.row + 1
        if isinstance(form_row.node, Section):
            _check_formula(sheet, row, layout.unit_col + 1, sink)
            continue
        note = sheet.value(row, layout.evidence_col + 1)
        if isinstance(note, str) and note.strip():
            notes[form_row.node.id] = nfc(note).strip()
        score = _check_criterion_row(sheet, row, form_row.node, layout.unit_col + 1, sink)
        if score is None:
            complete = False
        else:
            scores[form_row.node.id] = score
    if moved:
        sink.add("WB_ROWS_MOVED", sheet=sheet.name, count=moved)
    _check_total(sheet, rows, layout.unit_col + 1, spec, scores, complete, sink)
    total = table_total(spec, scores) if complete else None
    return FormResult(spec.id, sheet.name, scores=scores, notes=notes, complete=complete, total=total,
                      classification=classify(spec, scores) if complete else None)


def _check_criterion_row(sheet: Sheet, row: int, criterion, score_col: int, sink: _Sink) -> Decimal | None:
    stt, maximum = criterion.stt or "-", format_points(criterion.max)
    text = sheet.value(row, COL_TEXT + 1)
    if text != criterion.text and (not isinstance(text, str) or nfc(text).strip() != criterion.text):
        sink.add("WB_TEXT_CHANGED", sheet=sheet.name, row=row, col=COL_TEXT + 1, stt=stt)
    printed = sheet.value(row, COL_MAX + 1)
    if _decimal(printed) != criterion.max:
        sink.add("WB_MAX_CHANGED", sheet=sheet.name, row=row, col=COL_MAX + 1, stt=stt,
                 value=printed, max=maximum)
    return parse_score(sheet.value(row, score_col), criterion.max, stt, sheet.name, row, score_col, sink)


def parse_score(value: object, maximum: Decimal, stt: str, sheet: str, row: int, col: int,
                sink: _Sink) -> Decimal | None:
    """A valid score, or None after recording why not."""
    where = dict(sheet=sheet, row=row, col=col, stt=stt, max=format_points(maximum))
    if value is None or (isinstance(value, str) and not value.strip()):
        sink.add("SCORE_BLANK", **where)
        return None
    number = _decimal(value)
    if number is None:
        sink.add("SCORE_NOT_NUMBER", value=value, **where)
        return None
    if isinstance(value, str):
        sink.add("SCORE_TEXT", value=value, number=format_points(number), **where)
    if number < 0 or number > maximum:
        sink.add("SCORE_OUT_OF_RANGE", value=format_points(number), **where)
        return None
    return number


_FLOAT_DECIMALS: dict[float, Decimal] = {}  # scores repeat (0.5, 1, 2.5 ...): convert each once


def _decimal(value: object) -> Decimal | None:
    """A number from a cell value: numbers, or text like '4,5' / '4.5'; None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        cached = _FLOAT_DECIMALS.get(value)
        if cached is not None:
            return cached
        if value != value or value in (float("inf"), float("-inf")):
            return None
        if value.is_integer() and abs(value) < 1e15:
            number = Decimal(int(value))
        else:
            number = _decimal(repr(value))
        if number is not None and len(_FLOAT_DECIMALS) < 10_000:
            _FLOAT_DECIMALS[value] = number
        return number
    else:
        text = str(value).strip().replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?(E[+-]?\d{1,3})?", text, flags=re.IGNORECASE | re.ASCII):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _check_formula(sheet: Sheet, row: int, col: int, sink: _Sink) -> None:
    cell = sheet.get(row, col)
    if cell is None or cell.formula is None:
        sink.add("WB_FORMULA_REPLACED", sheet=sheet.name, row=row, col=col,
                 value="" if cell is None else cell.value)


def _check_total(sheet: Sheet, rows: dict[str, list[int]], col: int, spec: CriteriaSpec,
                 scores: dict[str, Decimal], complete: bool, sink: _Sink) -> None:
    found = rows.get(MARK_TOTAL, [])
    if len(found) != 1:
        return
    cell = sheet.get(found[0], col)
    _check_formula(sheet, found[0], col, sink)
    cached = _decimal(cell.value) if cell is not None else None
    if not complete or cached is None:
        return
    actual = table_total(spec, scores)
    shown = format_points(round2(cached)) if abs(cached) < 10 ** 9 else str(cell.value)
    if abs(cached) >= 10 ** 9 or round2(cached) != actual:
        sink.add("WB_CACHED_TOTAL", sheet=sheet.name, row=found[0], col=col, value=shown,
                 actual=format_points(actual))


def _check_figures(campaign: Campaign, spec: IndicatorSpec, sheet: Sheet, sink: _Sink) -> FormResult:
    layout = plan_indicators(spec, campaign.year)
    if not sheet.protected:
        sink.add("WB_PROTECTION_REMOVED", sheet=sheet.name)
    rows = id_rows(sheet)
    values: dict[str, object] = {}
    where: dict[str, int] = {}
    complete = True
    for form_row in layout.field_rows():
        indicator = form_row.field
        found = rows.get(indicator.id, [])
        if len(found) != 1:
            code = "WB_ROW_MISSING" if not found else "WB_ROW_DUPLICATED"
            sink.add(code, sheet=sheet.name, stt=indicator.stt, id=indicator.id)
            complete = False
            continue
        where[indicator.id] = found[0]
        value = _figure(sheet, found[0], indicator, sink)
        complete &= value is not None
        values[indicator.id] = value
    numbers = {k: v for k, v in values.items() if isinstance(v, int) and not isinstance(v, bool)}
    for rule in spec.rules:
        if rule.holds(numbers) is False and rule.left[0] in where:
            sink.add("FIG_RULE", sheet=sheet.name, row=where[rule.left[0]], col=IND_COL_VALUE + 1,
                     message=rule.message, expression=rule.expression())
    return FormResult(spec.id, sheet.name, figures=values, complete=complete)


def _figure(sheet: Sheet, row: int, indicator, sink: _Sink) -> object:
    col = IND_COL_VALUE + 1
    value = sheet.value(row, col)
    at = dict(sheet=sheet.name, row=row, col=col, label=indicator.label)
    if value is None or (isinstance(value, str) and not value.strip()):
        sink.add("FIG_BLANK", **at)
        return None
    parsed = _parse_figure(value, indicator.type)
    if parsed is None:
        expected = {"int": "số nguyên từ 0 trở lên", "bool": "Có hoặc Không",
                    "date": "ngày/tháng/năm"}[indicator.type]
        sink.add("FIG_BAD_VALUE", value=value, expected=expected, **at)
    return parsed


def _parse_figure(value: object, kind: str) -> object:
    if kind == "int":
        number = _decimal(value) if not isinstance(value, str) else None
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


def check_files(campaign_path: Path | str,
                files: list[Path]) -> tuple[Campaign, list[Submission], list[Problem]]:
    """Load the campaign and check each file (the ``check`` command); also run-level notes."""
    from workbook_tools.campaign import load_campaign

    campaign = load_campaign(campaign_path)
    key, notes = campaign_key(Path(campaign.secret_key_file))
    return campaign, [check_file(campaign, Path(f), key=key) for f in files], notes


def submission_json(campaign: Campaign, submission: Submission) -> dict:
    """A JSON-ready description of a checked file."""
    return {
        "file": str(submission.path), "unit_code": submission.unit_code,
        "file_id": submission.file_id, "ok": submission.ok,
        "forms": [{"form_id": f.form_id, "complete": f.complete,
                   "total": None if f.total is None else float(f.total),
                   "classification": f.classification,
                   "bands": _bands_text(campaign, f.form_id)} for f in submission.forms],
        "problems": [{"severity": p.severity, "code": p.code, "file": p.file, "sheet": p.sheet,
                      "cell": p.cell, "value": p.value, "message": p.message, "fix": p.fix}
                     for p in submission.problems],
    }


def _bands_text(campaign: Campaign, form_id: str) -> str | None:
    form = campaign.form(form_id)
    return form.bands.describe() if isinstance(form, CriteriaSpec) else None


def summary_lines(campaign: Campaign, submission: Submission) -> list[str]:
    """Human lines for one checked file: who, the totals, every problem, the verdict."""
    unit = campaign.units_by_code.get(submission.unit_code or "")
    who = f"{unit.name} ({unit.code})" if unit else "không xác định được đơn vị"
    lines = [f"== {submission.path.name}: {who}"]
    for form in submission.forms:
        spec = campaign.form(form.form_id)
        if isinstance(spec, CriteriaSpec):
            result = (f"{format_points(form.total)} điểm, xếp loại {form.classification}"
                      if form.complete else "chưa tính được tổng (còn lỗi ở các ô điểm)")
        else:
            result = "đủ số liệu" if form.complete else "chưa đủ số liệu"
        lines.append(f"{spec.short_name}: {result}")
    lines.extend(p.render() for p in submission.problems)
    errors = sum(p.severity == ERROR for p in submission.problems)
    warnings = len(submission.problems) - errors
    verdict = "HỢP LỆ" if submission.ok else "CÓ LỖI"
    lines.append(f"Kết quả: {verdict} ({errors} lỗi, {warnings} cảnh báo)")
    return lines


def check_table(campaign: Campaign, submissions: list[Submission]) -> list[str]:
    """One line per checked file: file, unit, each table's total (or why none), errors, warnings."""
    scored = [f for f in campaign.forms if isinstance(f, CriteriaSpec)]
    header = ["Tệp", "Đơn vị"] + [f.short_name for f in scored] + ["Lỗi", "Cảnh báo"]
    rows = [header]
    for sub in submissions:
        results = {f.form_id: f for f in sub.forms}
        cells = [sub.path.name, sub.unit_code or "?"]
        for form in scored:
            result = results.get(form.id)
            cells.append(f"{format_points(result.total)} {result.classification}"
                         if result and result.complete else "-")
        errors = sum(p.severity == ERROR for p in sub.problems)
        cells += [str(errors), str(len(sub.problems) - errors)]
        rows.append(cells)
    widths = [min(40, max(len(r[i]) for r in rows)) for i in range(len(header))]
    return ["  ".join(cell[:w].ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
