"""All console text: what the commands print, built from what the library returns.

The library returns data (results, problems, counts); these functions turn it into the
Vietnamese lines, tables and JSON a user reads in the terminal. The web app formats the same
data its own way.
"""

from __future__ import annotations

from decimal import Decimal

from workbook_tools.problems import Severity
from workbook_tools.read.check import Submission
from workbook_tools.results.contracts import Status, Verdict
from workbook_tools.results.model import Collection
from workbook_tools.spec.base import FormKind, format_points
from workbook_tools.spec.campaign import Campaign
from workbook_tools.spec.criteria import CriteriaSpec, Node, Section
from workbook_tools.spec.indicators import IndicatorSpec

TYPE_LABELS = {"int": "số nguyên ≥ 0", "bool": "Có/Không", "date": "ngày"}


# ---------------------------------------------------------------- check


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
    return form.bands.describe() if form.kind == FormKind.CRITERIA else None


def summary_lines(campaign: Campaign, submission: Submission) -> list[str]:
    """Human lines for one checked file: who, the totals, every problem, the verdict."""
    unit = campaign.units_by_code.get(submission.unit_code or "")
    who = f"{unit.name} ({unit.code})" if unit else "không xác định được đơn vị"
    lines = [f"== {submission.path.name}: {who}"]
    for form in submission.forms:
        spec = campaign.form(form.form_id)
        if spec.kind == FormKind.CRITERIA:
            result = (f"{format_points(form.total)} điểm, xếp loại {form.classification}"
                      if form.complete else "chưa tính được tổng (còn lỗi ở các ô điểm)")
        else:
            result = "đủ số liệu" if form.complete else "chưa đủ số liệu"
        lines.append(f"{spec.short_name}: {result}")
    rows = {spec.sheet_name: len(spec.row_ids) for spec in campaign.forms}
    lines.extend(_problem_lines(submission.problems, rows))
    errors = sum(p.severity == Severity.ERROR for p in submission.problems)
    warnings = len(submission.problems) - errors
    verdict = "HỢP LỆ" if submission.ok else "CÓ LỖI"
    lines.append(f"Kết quả: {verdict} ({errors} lỗi, {warnings} cảnh báo)")
    return lines


BLANK_CODES = {"SCORE_BLANK": "chưa chấm", "FIG_BLANK": "chưa nhập"}
BLANK_FIX = {"SCORE_BLANK": "Nhập điểm vào mọi ô điểm còn trống, từ 0 đến điểm chuẩn của dòng; tiêu chí không đạt "
                            "thì nhập 0.",
             "FIG_BLANK": "Nhập số liệu vào mọi ô còn trống; không có thì nhập 0."}
LISTED_BLANKS = 3  # more blanks than this on one sheet become one line


def _problem_lines(problems, rows: dict[str, int]) -> list[str]:
    """Every problem, but a sheet left blank is one line ('chưa chấm 50/50 tiêu chí'), not fifty."""
    blanks: dict[tuple[str, str], list] = {}
    for problem in problems:
        if problem.code in BLANK_CODES:
            blanks.setdefault((problem.code, problem.sheet), []).append(problem)
    lines, said = [], set()
    for problem in problems:
        group = blanks.get((problem.code, problem.sheet), [])
        if len(group) <= LISTED_BLANKS:
            lines.append(problem.render())
        elif (problem.code, problem.sheet) not in said:
            said.add((problem.code, problem.sheet))
            cells = ", ".join(p.cell for p in group[:6]) + (", ..." if len(group) > 6 else "")
            what = "tiêu chí" if problem.code == "SCORE_BLANK" else "chỉ tiêu"
            count = f"{len(group)}/{rows[problem.sheet]}" if problem.sheet in rows else str(len(group))
            lines.append(f"{'LỖI' if problem.severity == Severity.ERROR else 'CẢNH BÁO'} [{problem.code}] "
                         f"{problem.file}, trang '{problem.sheet}': {BLANK_CODES[problem.code]} {count} {what} "
                         f"(ô {cells}). Cách sửa: {BLANK_FIX[problem.code]}")
    return lines


def check_table(campaign: Campaign, submissions: list[Submission]) -> list[str]:
    """One line per checked file: file, unit, each table's total (or why none), errors, warnings."""
    scored = campaign.scored_forms
    header = ["Tệp", "Đơn vị"] + [f.short_name for f in scored] + ["Lỗi", "Cảnh báo"]
    rows = [header]
    for sub in submissions:
        results = {f.form_id: f for f in sub.forms}
        cells = [sub.path.name, sub.unit_code or "?"]
        for form in scored:
            result = results.get(form.id)
            cells.append(f"{format_points(result.total)} {result.classification}"
                         if result and result.complete else "-")
        errors = sum(p.severity == Severity.ERROR for p in sub.problems)
        cells += [str(errors), str(len(sub.problems) - errors)]
        rows.append(cells)
    widths = [min(40, max(len(r[i]) for r in rows)) for i in range(len(header))]
    return ["  ".join(cell[:w].ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]


# ---------------------------------------------------------------- collect


def summary_text(collection: Collection) -> list[str]:
    """The short Vietnamese summary printed after a run."""
    units = collection.units
    received = sum(u.status != Status.MISSING for u in units)
    choosing = collection.units_with(Status.NEEDS_CHOICE)
    lines = [
        f"Đã nhận {received}/{len(units)} đơn vị: {collection.units_with(Status.VALID)} hợp lệ, "
        f"{collection.units_with(Status.INVALID)} có lỗi, " + (f"{choosing} cần chọn tệp, " if choosing else "")
        + f"{collection.units_with(Status.MISSING)} chưa nộp, {collection.late} nộp muộn.",
        f"Tệp trong thư mục nhận: {len(collection.files)} (dùng {collection.count(Verdict.USED)}, "
        f"thay thế {collection.count(Verdict.SUPERSEDED)}, loại {collection.count(Verdict.REJECTED)}, "
        f"tài liệu kèm {collection.count(Verdict.ATTACHED)}, tệp nén/thư đã mở {collection.count(Verdict.OPENED)}, "
        f"bỏ qua {collection.count(Verdict.IGNORED)}).",
        f"Nộp muộn là tệp nhận từ 00:00 ngày {collection.campaign.deadline:%d/%m/%Y} trở đi (hoặc hạn riêng trong sổ "
        "theo dõi), theo sổ theo dõi, ngày gửi thư hoặc thời gian sửa đổi của tệp trong thư mục nhận.",
    ]
    lines += [row.problem.render() for row in collection.issues if row.problem.code == "INBOX_EMPTY"]
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


# ---------------------------------------------------------------- spec check


def describe_spec(spec: CriteriaSpec | IndicatorSpec) -> list[str]:
    """A spec as lines: the criteria tree with its sums, or the figures with their rules."""
    return describe_criteria(spec) if spec.kind == FormKind.CRITERIA else describe_indicators(spec)


def describe_criteria(spec: CriteriaSpec) -> list[str]:
    """The table as an indented tree: STT, text, maximum, and each section's sum check."""
    criteria = spec.criteria()
    lines = [f"{spec.id} (phiên bản {spec.version}): {spec.short_name}, {len(criteria)} tiêu chí, "
             f"tổng {format_points(spec.total)} điểm, mã nội dung {spec.content_hash[:12]}",
             f"Căn cứ: {spec.legal_basis}"]
    for section in spec.sections:
        lines.extend(_describe_node(section, 1))
    total = sum((c.max for c in criteria), Decimal(0))
    lines.append(f"Tổng: {format_points(total)} / {format_points(spec.total)} điểm - khớp")
    lines.append(f"Thang xếp loại: {spec.bands.describe()}")
    if spec.bands.placeholder:
        lines.append("Lưu ý: thang xếp loại là giá trị tạm thời (placeholder: true), cần xác nhận.")
    lines.extend(f"Ghi chú: {note}" for note in spec.notes)
    return lines


def _describe_node(node: Node, depth: int) -> list[str]:
    indent = "  " * depth
    stt = node.stt or "-"
    text = node.text if len(node.text) <= 70 else node.text[:69] + "…"
    if not isinstance(node, Section):
        note = " [có ghi chú]" if node.notes else ""
        return [f"{indent}{stt} {text} [{node.id}]: {format_points(node.max)}{note}"]
    total = sum((item.max for item in node.items), Decimal(0))
    lines = [f"{indent}{stt} {text} [{node.id}]: {format_points(node.max)} "
             f"(các dòng con cộng {format_points(total)} - khớp)"]
    for item in node.items:
        lines.extend(_describe_node(item, depth + 1))
    return lines


def describe_indicators(spec: IndicatorSpec) -> list[str]:
    """Groups, fields with their types, and the consistency rules."""
    lines = [f"{spec.id} (phiên bản {spec.version}): {spec.short_name}, "
             f"{len(spec.indicators())} chỉ tiêu, {len(spec.rules)} quy tắc kiểm tra, "
             f"mã nội dung {spec.content_hash[:12]}"]
    for group in spec.groups:
        lines.append(f"  {group.stt} {group.title} [{group.id}] ({group.source})")
        for field in group.items:
            unit = f", {field.unit}" if field.unit else ""
            lines.append(f"    {field.stt} {field.label} [{field.id}]: {TYPE_LABELS[field.type]}{unit}")
    lines.extend(f"  Quy tắc {rule.id}: {rule.expression()}" for rule in spec.rules)
    return lines
