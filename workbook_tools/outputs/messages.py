"""The way back to the units: one short message per unit that must act, and the officer's list.

Each ``collect`` writes ``tin-nhan/<code>_<name>.txt`` for every unit whose file has an error,
whose files wait for a choice, or from which nothing came: plain text short enough to paste into
Zalo or an e-mail (UTF-8 with a BOM and Windows line ends, so Notepad on an old PC shows it
right). ``nhac-viec.xlsx`` lists those units with their contacts and message, for the officer to
work down. ``check FILE`` prints the same message for that file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from workbook_tools.form.names import unit_file_name
from workbook_tools.problems import Problem, Severity
from workbook_tools.read.check import Submission
from workbook_tools.results.contracts import Status, Verdict
from workbook_tools.results.model import Collection, UnitOutcome, local_text
from workbook_tools.spec.campaign import Campaign, Unit
from workbook_tools.spec.register import load_register

FOLDER = "tin-nhan"
MAX_LISTED = 8  # problems spelled out in a message; the rest are counted (the officer has them all)


def message_name(unit: Unit) -> str:
    """tin-nhan/<code>_<name>.txt"""
    return f"{FOLDER}/{unit_file_name(unit, '.txt')}"


def units_to_remind(collection: Collection) -> list[UnitOutcome]:
    """The units that must do something: errors, a choice to make, or nothing received."""
    return [u for u in collection.units if u.status in (Status.INVALID, Status.NEEDS_CHOICE, Status.MISSING)]


def collection_message(collection: Collection, outcome: UnitOutcome) -> str:
    """The message to send one unit after a collection."""
    campaign = collection.campaign
    deadline = collection.register.deadline_at(campaign, outcome.unit.code) if collection.register else None
    # what the unit must fix is in the file that counts; files that could not be used are said apart
    errors = error_problems(outcome.file.submission.problems) if outcome.file and outcome.file.submission else []
    files = [(f.found.name, f.received_at, f.saved_at) for f in ((outcome.file,) if outcome.file else outcome.choices)]
    rejected = [(f.found.name, f.received_at, f.reason) for f in collection.files
                if f.verdict == Verdict.REJECTED and _of_unit(campaign, f.unit_code, f.found.name, outcome.unit.code)]
    return unit_message(campaign, outcome.unit, outcome.status, files, errors,
                        (deadline or campaign.deadline_at).date(), collection.run_at, rejected)


def _of_unit(campaign: Campaign, file_code: str, file_name: str, code: str) -> bool:
    """Whether a rejected file is the unit's: by what was read in it, else (unreadable) by the code in its name."""
    return (file_code or campaign.unit_code_named_in(file_name) or "") == code


def unit_message(campaign: Campaign, unit: Unit, status: Status,
                 files: list[tuple[str, dt.datetime | None, dt.datetime | None]],
                 errors: list[Problem], deadline: dt.date, now: dt.datetime,
                 rejected: list[tuple[str, dt.datetime | None, str]] = ()) -> str:
    """The message itself: to whom, what was received (file names and when), what to fix, by when
    (``now`` tells whether the deadline has passed); files of the unit that could not be used, and why."""
    by_when = (f"ngay (hạn nộp trước ngày {deadline:%d/%m/%Y} đã qua)" if now.date() >= deadline
               else f"trước ngày {deadline:%d/%m/%Y}")
    header = unit.header_name(campaign.group(unit.group))
    lines = [f"Kính gửi: {header}", "", f"{campaign.receiving_office} thông báo về biểu mẫu \"{campaign.name}\":"]
    zone = campaign.timezone
    lines += [f"- Đã nhận tệp \"{name}\" lúc {local_text(received, zone)} nhưng không dùng được: {reason}."
              for name, received, reason in rejected]
    if status == Status.MISSING:
        if not rejected:
            lines.append(f"- Đến nay chưa nhận được biểu mẫu chấm điểm của {unit.name}.")
        lines.append(f"- Đề nghị đơn vị điền biểu mẫu đã nhận (tệp .xlsx) và gửi về {by_when}.")
    elif status == Status.NEEDS_CHOICE:
        lines.append(f"- Đã nhận {len(files)} tệp khác nhau của đơn vị, không biết tệp nào là bản cuối cùng:")
        lines += [f"  + {name} (nhận lúc {local_text(received, zone)}, lưu lúc {local_text(saved, zone)})"
                  for name, received, saved in files]
        lines.append("- Đề nghị đơn vị cho biết tệp nào là bản cuối cùng, hoặc gửi lại một tệp duy nhất đã hoàn "
                     f"chỉnh, {by_when}.")
    else:
        name, received, _saved = files[0] if files else ("", None, None)
        lines.append(f"- Đã nhận tệp \"{name}\" lúc {local_text(received, zone)}; tệp còn {len(errors)} lỗi cần sửa:")
        lines += [f"  {i}. {_problem_line(p)}" for i, p in enumerate(errors[:MAX_LISTED], start=1)]
        if len(errors) > MAX_LISTED:
            lines.append(f"  ... và {len(errors) - MAX_LISTED} lỗi khác ({campaign.receiving_office} có danh sách "
                         "đầy đủ).")
        lines.append(f"- Đề nghị đơn vị sửa ngay trên tệp đó, lưu lại (.xlsx) và gửi lại {by_when}.")
    lines += ["", f"Trân trọng. {campaign.receiving_office}."]
    return "\n".join(lines) + "\n"


def _problem_line(problem: Problem) -> str:
    where = []
    if problem.sheet:
        where.append(f"trang {problem.sheet}")
    if problem.cell:
        where.append(f"ô {problem.cell}")
    place = (", ".join(where) + ": ") if where else ""
    return f"{place}{problem.message} Cách sửa: {problem.fix}"


def write_message(text: str, path: Path) -> None:
    """A message file: UTF-8 with a BOM and Windows line ends."""
    path.write_text(text.replace("\n", "\r\n"), encoding="utf-8-sig", newline="")


def error_problems(problems: Iterable[Problem]) -> list[Problem]:
    """The errors among a file's problems (what the unit must fix)."""
    return [p for p in problems if p.severity == Severity.ERROR]


def check_message(campaign: Campaign, submission: Submission) -> str | None:
    """The message for one checked file (``check FILE``), when it has errors and its unit is known."""
    unit = campaign.units_by_code.get(submission.unit_code or "")
    errors = error_problems(submission.problems)
    if unit is None or not errors or submission.path is None:
        return None
    received = dt.datetime.fromtimestamp(submission.path.stat().st_mtime, tz=dt.timezone.utc)
    deadline = load_register(campaign).deadline_at(campaign, unit.code).date()
    return unit_message(campaign, unit, Status.INVALID, [(submission.path.name, received, submission.saved_at)],
                        errors, deadline,
                        dt.datetime.now(campaign.timezone))
