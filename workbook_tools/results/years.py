"""Read what ``collect`` wrote (the CSV contracts, never the xlsx) and compare two years.

Used by ``report`` (the district's .docx) and by ``collect --previous`` (the summary sheet
"So với năm trước"). Units of two years are matched by code; roster changes (units new this
year, gone since last year, renamed) are listed, never dropped. The units' narrative reports
(``bao-cao-don-vi.csv``) are read when the folder has them (an older folder has none: no reports).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import groupby
from pathlib import Path

from workbook_tools.fileio import FORMULA_STARTS
from workbook_tools.problems import WorkbookToolsError, make_problem
from workbook_tools.results.compact import EMPTY, CompactMap, share
from workbook_tools.results.contracts import Status
from workbook_tools.spec.criteria import CriteriaSpec, Section
from workbook_tools.spec.scoring import round2

RESULT_FILES = ("units.csv", "scores.csv", "indicators.csv")
REPORT_TEXTS_FILE = "bao-cao-don-vi.csv"  # optional: the units' narrative reports, by section


@dataclass(frozen=True)
class UnitRow:
    """One line of units.csv."""

    code: str
    name: str
    group: str
    form_id: str
    status: str
    total: Decimal | None
    classification: str
    rank_in_group: int | None
    rank_overall: int | None
    late: str
    file: str


@dataclass(frozen=True)
class ReportText:
    """One line of bao-cao-don-vi.csv: what a unit wrote under one section of one of its reports
    (``section_id`` '' for text that fits no heading)."""

    unit_code: str
    report_id: str   # the outline's id
    section_id: str
    heading: str
    text: str
    file: str


@dataclass
class Results:
    """One year's collected results (per-unit scores and figures kept compact: 10,000 units fit)."""

    folder: Path
    units: list[UnitRow] = field(default_factory=list)
    scores: dict[tuple[str, str], Mapping[str, Decimal]] = field(default_factory=dict)  # (unit, form) -> row
    figures: dict[str, Mapping[str, str]] = field(default_factory=dict)  # unit -> indicator -> text
    # (unit, report id, section id) -> what the unit wrote there; empty when no report came in
    report_texts: dict[tuple[str, str, str], ReportText] = field(default_factory=dict)
    reports_read: bool = False  # whether the folder had bao-cao-don-vi.csv (else: reports unknown)

    def rows(self, form_id: str) -> list[UnitRow]:
        """units.csv rows of one form, in file (roster) order."""
        return [u for u in self.units if u.form_id == form_id]

    def names(self) -> dict[str, str]:
        """Unit code -> name."""
        return {u.code: u.name for u in self.units}

    def score(self, unit_code: str, form_id: str, criterion_id: str) -> Decimal | None:
        """The score that counted (the team's, else the unit's own), or None."""
        return self.scores.get((unit_code, form_id), EMPTY).get(criterion_id)

    def figure(self, unit_code: str, indicator_id: str) -> str | None:
        """A figure as written in indicators.csv, or None when blank."""
        return self.figures.get(unit_code, EMPTY).get(indicator_id)

    def report_text(self, unit_code: str, report_id: str, section_id: str) -> str:
        """What a unit wrote under a section of one of its reports ('' when nothing)."""
        found = self.report_texts.get((unit_code, report_id, section_id))
        return found.text if found else ""


def read_results(folder: Path | str) -> Results:
    """Load units.csv, scores.csv and indicators.csv from a collect output folder, and the units'
    report texts (bao-cao-don-vi.csv) when it is there."""
    folder = Path(folder)
    missing = [name for name in RESULT_FILES if not (folder / name).is_file()]
    if missing:
        raise WorkbookToolsError([make_problem("FILE_NOT_FOUND", path=str(folder / name)) for name in missing])
    results = results_from_rows(folder, _rows(folder / "units.csv"), _rows(folder / "scores.csv"),
                                _rows(folder / "indicators.csv"))
    if (folder / REPORT_TEXTS_FILE).is_file():
        results.report_texts.update(report_texts(_rows(folder / REPORT_TEXTS_FILE)))
        results.reports_read = True
    return results


def report_texts(rows) -> dict[tuple[str, str, str], ReportText]:
    """bao-cao-don-vi.csv rows by (unit, report, section); a text made inert is read back as written;
    two rows of one key (a hand-edited file) are joined, nothing is dropped."""
    found: dict[tuple[str, str, str], ReportText] = {}
    for row in map(_texts, rows):
        item = ReportText(unit_code=row.get("unit_code", "").strip(), report_id=row.get("report_id", "").strip(),
                          section_id=row.get("section_id", "").strip(), heading=_revived(row.get("heading", "")),
                          text=_revived(row.get("text", "")), file=row.get("file", ""))
        if not item.unit_code or not item.text.strip():
            continue
        key = (item.unit_code, item.report_id, item.section_id)
        if key in found:
            item = replace(found[key], text=found[key].text + "\n" + item.text)
        found[key] = item
    return found


def _revived(text: str) -> str:
    """A CSV text as the unit wrote it: the quote that made it inert ('- ý kiến' written "'- ý kiến") removed."""
    return text[1:] if text[:1] == "'" and text[1:2] and text[1:2] in _FORMULA_FIRST else text


def results_from_rows(folder: Path, units, scores, indicators) -> Results:
    """Results from rows shaped like the CSV contracts (read back, or just computed)."""
    results = Results(folder)
    for row in map(_texts, units):
        results.units.append(UnitRow(
            code=row["unit_code"], name=row["unit_name"], group=row["group"], form_id=row["form_id"],
            status=row["status"], total=_decimal(row["total"]), classification=row["classification"],
            rank_in_group=_int(row["rank_in_group"]), rank_overall=_int(row["rank_overall"]),
            late=row["late"], file=row["file"]))
    scores_store, figures_store = _CompactStore(), _CompactStore()
    for (code, form_id), rows in groupby(scores, lambda r: (r["unit_code"], r["form_id"])):
        scores_store.put((code, form_id), form_id,
                         ((r["criterion_id"], _decimal(r["team_score"] or r["self_score"])) for r in rows))
    for code, rows in groupby(indicators, lambda r: r["unit_code"]):
        figures_store.put(code, "", ((r["indicator_id"], r["value"]) for r in rows))
    results.scores.update(scores_store.finish())
    results.figures.update(figures_store.finish())
    return results


_FORMULA_FIRST = frozenset(start[0] for start in FORMULA_STARTS)


def _texts(row) -> dict[str, str]:
    return {k: "" if v is None else str(v) for k, v in row.items()}


class _CompactStore:
    """Each unit's row id -> value mapping as a CompactMap over the ids seen so far (per form).

    Our CSVs keep a unit's rows together; rows of one unit found apart (a hand-sorted file) are
    gathered in plain dicts and compacted at the end, so any order costs linear time."""

    def __init__(self) -> None:
        self._keys: dict[str, tuple[tuple[str, ...], set[str]]] = {}
        self._done: dict = {}
        self._apart: dict = {}  # key -> (kind, plain dict) for rows found apart

    def put(self, key, kind: str, items) -> None:
        """Store one run of rows (row id, value) of one unit; a blank value is no value."""
        values = {k: sys.intern(v) if isinstance(v, str) else share(v) for k, v in items
                  if v is not None and v != ""}
        if key in self._apart:
            self._apart[key][1].update(values)
        elif key in self._done:
            self._apart[key] = (kind, dict(self._done.pop(key)) | values)
        else:
            self._done[key] = self._compact(kind, values)

    def finish(self) -> dict:
        """Every unit's mapping."""
        done = dict(self._done)
        done.update((key, self._compact(kind, values)) for key, (kind, values) in self._apart.items())
        return done

    def _compact(self, kind: str, values: dict) -> Mapping:
        keys, seen = self._keys.get(kind, ((), set()))
        extra = [k for k in values if k not in seen]
        if extra:
            keys, seen = self._keys[kind] = (keys + tuple(extra), seen | set(extra))
        return CompactMap(keys, values) if values else EMPTY


def _rows(path: Path):
    """The rows of a CSV as mappings (short rows padded with '', as for a blank cell)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        pad = [""] * len(header)
        for row in reader:
            if row:  # a blank line is no row (as csv.DictReader reads it)
                yield dict(zip(header, row + pad if len(row) < len(header) else row))


def _decimal(text: str | None) -> Decimal | None:
    text = (text or "").strip().lstrip("'")
    return Decimal(text) if text else None


def _int(text: str) -> int | None:
    text = (text or "").strip()
    return int(text) if text else None


@dataclass(frozen=True)
class UnitChange:
    """One unit's change from last year, for one form."""

    code: str
    name: str
    total: Decimal | None
    previous_total: Decimal | None
    classification: str
    previous_classification: str
    rank: int | None
    previous_rank: int | None

    @property
    def delta(self) -> Decimal | None:
        """Change in total (None when either year has no valid total)."""
        if self.total is None or self.previous_total is None:
            return None
        return self.total - self.previous_total


@dataclass(frozen=True)
class RosterChanges:
    """Units new this year, gone since last year, and renamed (same code, other name)."""

    new: tuple[tuple[str, str], ...]
    gone: tuple[tuple[str, str], ...]
    renamed: tuple[tuple[str, str, str], ...]  # code, last year's name, this year's name


def unit_changes(current: Results, previous: Results, form_id: str) -> list[UnitChange]:
    """Every unit of this year with last year's figures of the same code (if any)."""
    before = {u.code: u for u in previous.rows(form_id)}
    changes = []
    for row in current.rows(form_id):
        old = before.get(row.code)
        changes.append(UnitChange(row.code, row.name, row.total, old.total if old else None,
                                  row.classification, old.classification if old else "",
                                  row.rank_overall, old.rank_overall if old else None))
    return changes


def roster_changes(current: Results, previous: Results) -> RosterChanges:
    """Compare the two rosters by unit code."""
    now, then = current.names(), previous.names()
    return RosterChanges(
        new=tuple((c, n) for c, n in now.items() if c not in then),
        gone=tuple((c, n) for c, n in then.items() if c not in now),
        renamed=tuple((c, then[c], n) for c, n in now.items() if c in then and then[c] != n))


def section_averages(results: Results, spec: CriteriaSpec) -> list[tuple[Section, Decimal | None]]:
    """District average of each top-level section, over units with a valid total."""
    valid = [u.code for u in results.rows(spec.id) if u.status == Status.VALID and u.total is not None]
    averages = []
    for section in spec.sections:
        totals = [sum((results.score(code, spec.id, c.id) or Decimal(0) for c in section.criteria()),
                      Decimal(0)) for code in valid]
        averages.append((section, round2(sum(totals, Decimal(0)) / len(totals)) if totals else None))
    return averages
