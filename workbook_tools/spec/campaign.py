"""Campaign and roster: who is asked for which forms, by when.

``campaign.yaml`` names the district, year, deadline, receiving office, sheet password, the
spec files, the roster file and the roster groups (each with its own list of forms).
``roster.csv`` lists the units: ``code,name,group``, and optionally ``contact,phone,email``. Both
are validated on load and every problem names the file and line.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from workbook_tools.problems import Problem, Severity, WorkbookToolsError, make_problem, nfc
from workbook_tools.spec.base import ID_PATTERN, Form, FormKind
from workbook_tools.spec.criteria import CriteriaSpec
from workbook_tools.spec.indicators import IndicatorSpec
from workbook_tools.spec.load import load_spec
from workbook_tools.spec.outline import OutlineSpec, load_outline
from workbook_tools.spec.yamlio import Fields, load_yaml, read_text

UNIT_CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
ROSTER_COLUMNS = ("code", "name", "group")
CONTACT_COLUMNS = ("contact", "phone", "email")  # optional roster columns
# The signer's title on the district's papers when campaign.yaml has no 'signer' (files of before 2024).
DEFAULT_SIGNER = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
DEFAULT_ISSUER_CODE = "UBND"


class TextScores(StrEnum):
    """What a score stored as text ('4,5' pasted) is: the sheet the unit signs leaves it out of its total."""

    REFUSE = "refuse"  # an error the unit fixes: the district never counts what the unit's paper does not show
    ACCEPT = "accept"  # read, with a warning; the summary marks the unit's total as differing from its sheet


class ReviewRule(StrEnum):
    """How the final score of a row is decided once the inspection team has scored."""

    SELF_IF_BLANK = "self_if_blank"  # the team's score where given, else the unit's own
    TEAM_REQUIRED = "team_required"  # the team's score only: every row must be scored


@dataclass(frozen=True, slots=True)
class Group:
    """A roster group (e.g. communes, district agencies) and the forms it fills."""

    id: str
    label: str
    header_prefix: str
    forms: tuple[str, ...]
    reports: tuple[str, ...] = ()  # the outlines of the narrative reports it writes


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit on the roster."""

    code: str
    name: str
    group: str
    line: int
    contact: str = ""  # the person to call about the unit's submission
    phone: str = ""
    email: str = ""

    def header_name(self, group: Group) -> str:
        """The unit's name as printed in the document header block, e.g. 'UBND XÃ SÌ LỞ LẦU'."""
        name = f"{group.header_prefix} {self.name}".strip()
        return name.upper()


@dataclass(frozen=True)
class Campaign:
    """One yearly collection campaign."""

    id: str
    name: str
    year: int
    district: str
    province: str
    place: str
    issuer: str
    receiving_office: str
    deadline: dt.date
    timezone: dt.timezone
    request: str
    submit_instructions: str
    sheet_password: str
    max_file_mb: float
    secret_key_file: str
    register_file: str
    inbox_dir: str  # where returned files are put ('inbox'; '' means output/<id>/hop-thu/)
    review_rule: ReviewRule
    text_scores: TextScores
    report_file: str
    groups: tuple[Group, ...]
    forms: tuple[Form, ...]
    units: tuple[Unit, ...]
    source_file: str
    # On the district's papers (Nghị định 30/2020): the issuing body as printed, one line each
    # ('issuer' when absent), the signer's title lines, and the code in "Số: .../TB-UBND".
    issuer_lines: tuple[str, ...] = ()
    signer: tuple[str, ...] = DEFAULT_SIGNER
    issuer_code: str = DEFAULT_ISSUER_CODE
    outlines: tuple[OutlineSpec, ...] = ()  # the narrative reports' outlines ('outlines')

    @property
    def max_file_bytes(self) -> int:
        """The largest returned file that is read (``max_file_mb``)."""
        return int(self.max_file_mb * 1_000_000)

    @property
    def deadline_at(self) -> dt.datetime:
        """The moment a submission becomes late: 00:00 of the deadline day ("trước ngày ...")."""
        return dt.datetime.combine(self.deadline, dt.time(0, 0), tzinfo=self.timezone)

    @functools.cached_property
    def units_by_code(self) -> dict[str, Unit]:
        """Roster units by code."""
        return {u.code: u for u in self.units}

    def group(self, group_id: str) -> Group:
        """The group with this id."""
        return next(g for g in self.groups if g.id == group_id)

    def form(self, form_id: str) -> Form:
        """The spec with this id."""
        return next(f for f in self.forms if f.id == form_id)

    def forms_for(self, unit: Unit) -> tuple[Form, ...]:
        """The forms this unit fills, in campaign order."""
        wanted = self.group(unit.group).forms
        return tuple(f for f in self.forms if f.id in wanted)

    def outline(self, outline_id: str) -> OutlineSpec:
        """An outline by id."""
        return next(o for o in self.outlines if o.id == outline_id)

    def outlines_for(self, unit: Unit) -> tuple[OutlineSpec, ...]:
        """The outlines of the reports a unit writes, in the group's order."""
        return tuple(self.outline(o) for o in self.group(unit.group).reports)

    def unit_code_named_in(self, file_name: str) -> str | None:
        """The roster code a file name starts with (followed by a non-alphanumeric), if any."""
        ends = [i for i, ch in enumerate(file_name) if not ch.isascii() or not ch.isalnum()] + [len(file_name)]
        for end in sorted(ends, reverse=True):
            if file_name[:end] in self.units_by_code:
                return file_name[:end]
        return None

    @functools.cached_property
    def scored_forms(self) -> tuple[CriteriaSpec, ...]:
        """The scoring tables, in campaign order."""
        return tuple(f for f in self.forms if f.kind == FormKind.CRITERIA)

    @functools.cached_property
    def figure_forms(self) -> tuple[IndicatorSpec, ...]:
        """The figures sheets, in campaign order."""
        return tuple(f for f in self.forms if f.kind == FormKind.INDICATORS)

    def scored_forms_for(self, unit: Unit) -> tuple[CriteriaSpec, ...]:
        """The scoring tables this unit fills."""
        wanted = self.group(unit.group).forms
        return tuple(f for f in self.scored_forms if f.id in wanted)


def load_campaign(path: Path | str) -> Campaign:
    """Load and validate a campaign with its specs and roster; raise with every problem."""
    path = Path(path)
    data = load_yaml(path)
    problems: list[Problem] = []
    top = Fields(data, str(path), "campaign.yaml", problems, line=1)
    forms, all_loaded = _load_forms(top, path, problems)
    outlines, outlines_loaded = _load_outlines(top, path, problems)
    groups = _read_groups(top, {f.id for f in forms}, problems, check_forms=all_loaded)
    _check_reports(top, groups, {o.id for o in outlines} if outlines_loaded else None, problems)
    roster_path = path.parent / top.text("roster")
    values = dict(
        id=top.text("id"), name=top.text("name"), year=int(top.number("year")),
        district=top.text("district"), province=top.text("province"), place=top.text("place"),
        issuer=top.text("issuer"), receiving_office=top.text("receiving_office"),
        deadline=_read_date(top, "deadline"), timezone=_read_offset(top, "utc_offset"),
        request=top.text("request"),
        submit_instructions=top.text("submit_instructions"),
        sheet_password=top.text("sheet_password"),
        max_file_mb=_read_size(top, "max_file_mb"),
        secret_key_file=str((path.parent / top.text("secret_key_file", "khoa-bi-mat.key")).resolve()),
        register_file=str((path.parent / top.text("register", "so-theo-doi.csv")).resolve()),
        inbox_dir=str((path.parent / top.text("inbox")).resolve()) if top.has("inbox") else "",
        review_rule=ReviewRule(_read_choice(top, "review_rule", tuple(ReviewRule))),
        text_scores=TextScores(_read_choice(top, "text_scores", tuple(TextScores))),
        report_file=str((path.parent / top.text("report")).resolve()) if top.has("report") else "",
    )
    values.update(issuer_lines=top.texts("issuer_lines") or (values["issuer"],),
                  signer=top.texts("signer") or DEFAULT_SIGNER,
                  issuer_code=top.text("issuer_code", DEFAULT_ISSUER_CODE) or DEFAULT_ISSUER_CODE)
    top.finish()
    if values["id"] and not ID_PATTERN.match(values["id"]):
        problems.append(make_problem("SPEC_BAD_ID", file=str(path), line=top.line_of("id"),
                                     id=values["id"]))
    _check_sheet_names(forms, str(path), problems)
    units = load_roster(roster_path, {g.id for g in groups}, problems) if top.has("roster") else ()
    if any(p.severity == Severity.ERROR for p in problems):
        raise WorkbookToolsError(problems)
    return Campaign(**values, groups=groups, forms=forms, units=units, source_file=str(path), outlines=outlines)


def _load_forms(top: Fields, path: Path,
                problems: list[Problem]) -> tuple[tuple[CriteriaSpec | IndicatorSpec, ...], bool]:
    """Load every spec file; the flag says whether all of them loaded."""
    forms, all_loaded = [], True
    for entry in top.items("specs"):
        try:
            forms.append(load_spec(path.parent / str(entry)))
        except WorkbookToolsError as exc:
            problems.extend(exc.problems)
            all_loaded = False
    return tuple(forms), all_loaded


def _load_outlines(top: Fields, path: Path, problems: list[Problem]) -> tuple[tuple[OutlineSpec, ...], bool]:
    """Load every outline file ('outlines', optional); the flag says whether all of them loaded."""
    outlines, all_loaded = [], True
    for entry in top.items("outlines", required=False):
        try:
            outlines.append(load_outline(path.parent / str(entry)))
        except WorkbookToolsError as exc:
            problems.extend(exc.problems)
            all_loaded = False
    return tuple(outlines), all_loaded


def _check_reports(top: Fields, groups: tuple[Group, ...], known: set[str] | None,
                   problems: list[Problem]) -> None:
    """Every report a group writes names a declared outline (checked when they all loaded)."""
    for group in groups if known is not None else ():
        for outline in group.reports:
            if outline not in known:
                problems.append(make_problem("CAMPAIGN_OUTLINE_UNKNOWN", file=top.file, line=top.line_of("groups"),
                                             outline=outline))


def _read_groups(top: Fields, form_ids: set[str], problems: list[Problem],
                 check_forms: bool) -> tuple[Group, ...]:
    """Read the groups; unknown forms are reported only when every spec loaded."""
    raw = top.sub("groups", "mục 'groups'")
    groups = []
    for group_id in list(raw.mapping):
        f = raw.sub(group_id, f"nhóm '{group_id}'")
        forms = tuple(str(x) for x in f.items("forms"))
        for form in forms:
            if check_forms and form not in form_ids:
                problems.append(make_problem("CAMPAIGN_FORM_UNKNOWN", file=top.file,
                                             line=f.line_of("forms"), form=form))
        groups.append(Group(id=group_id, label=f.text("label"), header_prefix=f.text("header_prefix", ""),
                            forms=forms, reports=tuple(str(x) for x in f.items("reports", required=False))))
        f.finish()
    return tuple(groups)


def _read_date(top: Fields, key: str) -> dt.date:
    top.seen.add(key)
    value = top.mapping.get(key)
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        top.problems.append(make_problem("VALUE_TYPE", file=top.file, line=top.line_of(key),
                                         key=key, expected="một ngày dạng 2023-11-09",
                                         value=value))
        return dt.date(1970, 1, 1)


def _read_choice(top: Fields, key: str, allowed: tuple[str, ...]) -> str:
    """An optional choice; the first allowed value is the default."""
    value = top.text(key, allowed[0]) or allowed[0]
    if value not in allowed:
        top.problems.append(make_problem("VALUE_CHOICE", file=top.file, line=top.line_of(key), key=key,
                                         value=value, allowed=", ".join(allowed)))
        return allowed[0]
    return value


def _read_size(top: Fields, key: str) -> float:
    """The per-file size cap in MB (optional, 20 by default; between 1 and 200)."""
    value = top.number(key, 20.0)
    if not 1 <= value <= 200:
        top.problems.append(make_problem("VALUE_TYPE", file=top.file, line=top.line_of(key), key=key,
                                         expected="một số từ 1 đến 200 (MB)", value=value))
        return 20.0
    return value


def _read_offset(top: Fields, key: str) -> dt.timezone:
    """A UTC offset like '+07:00' (optional; Vietnam time when absent)."""
    text = top.text(key, "+07:00")
    match = re.fullmatch(r"([+-])(\d{2}):(\d{2})", text)
    if not match or int(match[2]) > 14 or int(match[3]) > 59:
        top.problems.append(make_problem("VALUE_TYPE", file=top.file, line=top.line_of(key), key=key,
                                         expected="độ lệch múi giờ dạng +07:00", value=text))
        return dt.timezone(dt.timedelta(hours=7))
    sign = -1 if match[1] == "-" else 1
    return dt.timezone(sign * dt.timedelta(hours=int(match[2]), minutes=int(match[3])))


def _check_sheet_names(forms: tuple[Form, ...], file: str, problems: list[Problem]) -> None:
    seen: set[str] = set()
    for form in forms:
        if form.sheet_name in seen:
            problems.append(make_problem("CAMPAIGN_DUPLICATE_SHEET", file=file, sheet=form.sheet_name))
        seen.add(form.sheet_name)


def load_roster(path: Path, group_ids: set[str], problems: list[Problem]) -> tuple[Unit, ...]:
    """Read roster.csv (UTF-8, BOM allowed); problems are appended, bad rows skipped."""
    try:
        text = read_text(path)
    except WorkbookToolsError as exc:
        problems.extend(exc.problems)
        return ()
    reader = csv.DictReader(io.StringIO(text))
    header = [nfc(h or "").strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ROSTER_COLUMNS if c not in header]
    if missing:
        problems.extend(make_problem("ROSTER_HEADER", file=str(path), line=1, column=c,
                                     columns=", ".join(ROSTER_COLUMNS)) for c in missing)
        return ()
    units: list[Unit] = []
    first_line: dict[str, int] = {}
    for row in reader:
        unit = _read_unit(row, reader.line_num, str(path), group_ids, first_line, problems)
        if unit:
            units.append(unit)
    if not units and not problems:
        problems.append(make_problem("ROSTER_EMPTY", file=str(path)))
    return tuple(units)


def _read_unit(row: dict, line: int, file: str, group_ids: set[str],
               first_line: dict[str, int], problems: list[Problem]) -> Unit | None:
    clean = {nfc(k or "").strip(): nfc(v or "").strip() for k, v in row.items() if k}
    code, name, group = clean.get("code", ""), clean.get("name", ""), clean.get("group", "")
    if not any(clean.values()):
        return None
    before = len(problems)
    if not UNIT_CODE_PATTERN.match(code):
        problems.append(make_problem("ROSTER_BAD_CODE", file=file, line=line, unit_code=code))
    elif code.upper() in first_line:  # codes equal but for case would name the same file on Windows
        problems.append(make_problem("ROSTER_DUPLICATE_CODE", file=file, line=line, unit_code=code,
                                     first_line=first_line[code.upper()]))
    if not name:
        problems.append(make_problem("TEXT_EMPTY", file=file, line=line, key="name"))
    if group not in group_ids:
        problems.append(make_problem("CAMPAIGN_GROUP_UNKNOWN", file=file, line=line, group=group))
    if len(problems) > before:
        return None
    first_line[code.upper()] = line
    return Unit(code=code, name=name, group=group, line=line,
                **{column: clean.get(column, "") for column in CONTACT_COLUMNS})
