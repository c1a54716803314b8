"""The officer's register ("sổ theo dõi"): what the officer knows better than the files do.

One CSV beside the campaign (``register:`` in campaign.yaml, ``so-theo-doi.csv`` by default),
created empty with its header by ``generate``, one row per unit the officer has something to say
about: when the unit's file was really received, a later deadline granted to the unit, which of
two files counts when the files themselves cannot tell, and a note. Read at every ``collect``;
each problem names the line and the fix, like every other input.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from workbook_tools.problems import Problem, WorkbookToolsError, make_problem, nfc
from workbook_tools.spec.campaign import Campaign
from workbook_tools.spec.yamlio import read_text

REGISTER_COLUMNS = ("unit_code", "received", "deadline", "chosen_file", "note")
DATE_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d")


@dataclass(frozen=True)
class RegisterRow:
    """What the officer wrote about one unit."""

    unit_code: str
    line: int
    received: dt.datetime | None  # when the unit's file was received, if the officer knows better
    deadline: dt.date | None      # the unit's own deadline (late from 00:00 of that day)
    chosen_file: str              # the file that counts, as submissions.csv names it
    note: str


@dataclass(frozen=True)
class Register:
    """Every row of the register, by unit code (empty when the file does not exist yet)."""

    path: Path
    rows: dict[str, RegisterRow]

    def row(self, unit_code: str) -> RegisterRow | None:
        """The officer's row for a unit, if any."""
        return self.rows.get(unit_code)

    def deadline_at(self, campaign: Campaign, unit_code: str) -> dt.datetime:
        """The moment the unit's submission becomes late, extension included."""
        row = self.rows.get(unit_code)
        day = row.deadline if row and row.deadline else campaign.deadline
        return dt.datetime.combine(day, dt.time(0, 0), tzinfo=campaign.timezone)


def register_path(campaign: Campaign) -> Path:
    """Where the campaign keeps its register."""
    return Path(campaign.register_file)


def empty_register_text() -> str:
    """The header line a new register starts with."""
    return ",".join(REGISTER_COLUMNS) + "\n"


def load_register(campaign: Campaign) -> Register:
    """Read the register (none yet: an empty one); raise with every problem found."""
    path = register_path(campaign)
    if not path.is_file():
        return Register(path, {})
    reader = csv.DictReader(io.StringIO(read_text(path)))
    header = [nfc(h or "").strip() for h in reader.fieldnames or []]
    missing = [c for c in REGISTER_COLUMNS if c not in header]
    if missing:
        raise WorkbookToolsError([make_problem("REGISTER_HEADER", file=str(path), line=1, column=c,
                                               columns=", ".join(REGISTER_COLUMNS)) for c in missing])
    rows: dict[str, RegisterRow] = {}
    problems: list[Problem] = []
    for raw in reader:
        row = _read_row(campaign, str(path), reader.line_num, raw, rows, problems)
        if row is not None:
            rows[row.unit_code] = row
    if problems:
        raise WorkbookToolsError(problems)
    return Register(path, rows)


def _read_row(campaign: Campaign, file: str, line: int, raw: dict, rows: dict[str, RegisterRow],
              problems: list[Problem]) -> RegisterRow | None:
    clean = {nfc(k or "").strip(): nfc(v or "").strip() for k, v in raw.items() if k}
    if not any(clean.values()):
        return None
    code = clean.get("unit_code", "")
    before = len(problems)
    if code not in campaign.units_by_code:
        problems.append(make_problem("REGISTER_UNIT_UNKNOWN", file=file, line=line, unit_code=code))
    elif code in rows:
        problems.append(make_problem("REGISTER_DUPLICATE_UNIT", file=file, line=line, unit_code=code,
                                     first_line=rows[code].line))
    received = _moment(clean.get("received", ""), campaign.timezone, file, line, "received", problems)
    deadline = _moment(clean.get("deadline", ""), campaign.timezone, file, line, "deadline", problems)
    if len(problems) > before:
        return None
    return RegisterRow(code, line, received, deadline.date() if deadline else None,
                       clean.get("chosen_file", ""), clean.get("note", ""))


def _moment(text: str, zone: dt.tzinfo, file: str, line: int, column: str,
            problems: list[Problem]) -> dt.datetime | None:
    """A date or date and time typed by the officer, in the campaign's time zone; None when blank."""
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).replace(tzinfo=zone)
        except ValueError:
            continue
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        problems.append(make_problem("REGISTER_BAD_DATE", file=file, line=line, column=column, value=text))
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)
