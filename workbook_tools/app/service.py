"""What the pages ask of the library: the campaign, the last collection, receiving files.

One ``Desk`` per running app: it knows the campaign and its folders, keeps the last collection
for the pages, and serialises collections (two drops at once, or a drop during a collection,
each wait their turn and lose nothing: every file is written to the inbox under a name of its
own before any collection starts).

A collection's outputs (the summary, the CSVs, the ranking tables, the notices) are written after
the board has it, on a thread of their own, in the order the collections were made (one that a
newer collection has overtaken before its turn is not written). Whatever reads the outputs waits
for the newest collection's first (``outputs``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import threading
import traceback
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from workbook_tools.collect.pipeline import ReadMemo, default_out_dir, read_campaign, write_collection
from workbook_tools.generate.new_campaign import new_campaign
from workbook_tools.generate.run import GenerateResult, generate_campaign
from workbook_tools.generate.run import default_out_dir as default_issue_dir
from workbook_tools.problems import Problem, WorkbookToolsError, make_problem
from workbook_tools.report.document import build_report, default_report_path
from workbook_tools.results.model import Collection
from workbook_tools.review.workbook import ReviewResult, build_review, default_review_path
from workbook_tools.spec.campaign import Campaign, load_campaign

MAX_UPLOAD_BYTES = 60_000_000  # one dropped file (an e-mail with attachments may be large)


@dataclass(frozen=True)
class Received:
    """One dropped file as stored in the inbox (or why not)."""

    name: str
    stored_as: str
    reason: str = ""


class Desk:
    """The officer's campaign, its folders, and the last collection."""

    def __init__(self, campaign_path: Path):
        self.campaign_path = campaign_path
        self.campaign: Campaign = load_campaign(campaign_path)
        self.inbox = Path(self.campaign.inbox_dir) if self.campaign.inbox_dir else (
            Path("output") / self.campaign.id / "hop-thu")
        self.out = default_out_dir(self.campaign)
        self.issued = default_issue_dir(self.campaign)
        self.report_path = default_report_path(self.campaign)
        self.review_path = default_review_path(self.campaign)
        self.reviews = self.review_path.parent / "da-cham"  # the team's filled workbooks, as received
        self.review: Path | None = _latest(self.reviews)
        self.collection: Collection | None = None  # the last collection
        self._memo: ReadMemo = {}  # the checks of files already read, by place and content
        self._lock = threading.Lock()  # one collection at a time
        self._writer = threading.Lock()  # one writing of outputs at a time
        self._written = threading.Condition()
        self._wanted = self._done = 0  # the last collection made / whose outputs are written (or skipped)
        self._problems: tuple[Problem, ...] = ()  # why the last outputs could not be written

    @property
    def inbox_label(self) -> str:
        """Where the inbox is, said without the machine's path: from the campaign's folder (or the
        working folder), else its name alone."""
        inbox = self.inbox.resolve()
        for base in (self.campaign_path.resolve().parent, Path.cwd().resolve()):
            if inbox.is_relative_to(base):
                return str(inbox.relative_to(base))
        return inbox.name

    def days_left(self, today: dt.date | None = None) -> int:
        """Days until the deadline (negative once it has passed)."""
        today = today or dt.datetime.now(self.campaign.timezone).date()
        return (self.campaign.deadline - today).days

    def refresh(self) -> Collection | None:
        """Collect the inbox (nothing to do without an inbox yet); its outputs are written after."""
        if not self.inbox.is_dir():
            return None
        with self._lock:
            collection, _out = read_campaign(self.campaign_path, self.inbox, self.out, review=self.review,
                                             memo=self._memo)
            self.collection = collection
            self._write_later(collection)
        return collection

    def write_again(self) -> None:
        """Write the last collection's outputs once more (after a writing that failed)."""
        with self._lock:
            if self.collection is not None:
                self._write_later(self.collection)

    def _write_later(self, collection: Collection) -> None:
        """Queue the writing of a collection's outputs (called holding the collection lock)."""
        with self._written:
            self._wanted += 1
            turn = self._wanted
        threading.Thread(target=self._write, args=(collection, turn), name=f"outputs-{turn}").start()

    def _write(self, collection: Collection, turn: int) -> None:
        """Write one collection's outputs, unless a newer collection came before its turn."""
        with self._writer:
            if turn < self._wanted:
                return
            problems: tuple[Problem, ...] = ()
            try:
                write_collection(collection, self.out)
            except WorkbookToolsError as exc:
                problems = tuple(_in_the_app(p) for p in exc.problems)
            except Exception as exc:  # never a page left waiting for a writer that died
                traceback.print_exc()
                problems = (make_problem("APP_OUTPUT_UNWRITABLE", path=str(self.out), detail=type(exc).__name__),)
            with self._written:
                self._done, self._problems = max(self._done, turn), problems
                self._written.notify_all()

    def outputs(self) -> tuple[Problem, ...]:
        """Wait until the last collection's outputs are written; why they could not be, if so."""
        with self._written:
            self._written.wait_for(lambda: self._done >= self._wanted)
            return self._problems

    def receive(self, files: list[tuple[str, bytes]]) -> list[Received]:
        """Store dropped files in the inbox under names of their own (never over a file), then collect."""
        self.inbox.mkdir(parents=True, exist_ok=True)
        received = [_store(self.inbox, name, data) for name, data in files]
        self.refresh()
        return received

    def report(self) -> Path:
        """Write the district's draft report from the last collection's results."""
        if problems := self.outputs():
            raise WorkbookToolsError(list(problems))
        return build_report(self.campaign_path, self.out, None, self.report_path).path

    def review_workbook(self) -> ReviewResult:
        """Write the inspection team's review workbook from the files that count."""
        return build_review(self.campaign_path, self.inbox, self.review_path)

    def receive_review(self, name: str, data: bytes) -> Received:
        """Keep the team's filled workbook and collect with it. A workbook that is not a usable review
        of this campaign is not kept: its problems are raised and the previous one stays in force."""
        self.reviews.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(self.campaign.timezone).strftime("%Y%m%d-%H%M%S")
        stored = _store(self.reviews, f"{stamp} {name}", data)
        if not stored.stored_as:
            return stored
        previous, self.review = self.review, self.reviews / stored.stored_as
        problems = ()
        try:
            read = self.refresh()
            review = read.review if read else None
            problems = () if review is None or review.usable else tuple(p for _code, p in review.problems)
        except WorkbookToolsError as exc:
            problems = tuple(exc.problems)
        if problems:
            (self.reviews / stored.stored_as).unlink()
            self.review = previous
            self.refresh()
            raise WorkbookToolsError(list(problems))
        return stored

    def issue(self) -> GenerateResult:
        """Generate every unit's workbook (refused when they were issued already)."""
        return generate_campaign(self.campaign_path, self.issued)

    def issued_file(self, code: str) -> Path | None:
        """One unit's issued workbook, found through the manifest (None before generation)."""
        manifest = self.issued / "manifest.csv"
        if not manifest.is_file():
            return None
        with manifest.open(encoding="utf-8-sig", newline="") as stream:
            names = [row.get("file", "") for row in csv.DictReader(stream) if row.get("unit_code") == code]
        path = self.issued / Path(names[0]).name if names else None
        return path if path is not None and path.is_file() else None

    def issued_files(self) -> list[Path]:
        """The issued workbooks (none before generation)."""
        return sorted(self.issued.glob("*.xlsx"))

    def issued_zip(self) -> bytes | None:
        """Every issued workbook, the report templates and the manifest as one zip, or None before
        generation."""
        files = self.issued_files()
        if not files:
            return None
        files += sorted(self.issued.glob("*.docx")) + sorted(self.issued.glob("manifest.csv"))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, path.name)
        return buffer.getvalue()


def _in_the_app(problem: Problem) -> Problem:
    """A problem of writing the outputs as the app's user can fix it (no command-line option)."""
    if problem.code != "CLI_OUTPUT_UNWRITABLE":
        return problem
    said = make_problem("APP_OUTPUT_UNWRITABLE", path="", detail="")
    return replace(problem, code=said.code, fix=said.fix)


def sibling_campaigns(campaign_path: Path) -> dict[str, Path]:
    """The campaigns in folders beside this campaign's folder (name of folder -> campaign file)."""
    folder = campaign_path.resolve().parent
    found = {path.parent.name: path for path in sorted(folder.parent.glob("*/campaign.yaml"))}
    found.setdefault(folder.name, campaign_path.resolve())
    return found


def campaign_file(typed: str) -> Path | None:
    """The campaign file the officer pointed at (the file, or the folder holding campaign.yaml;
    quotes from Windows' "Copy as path" removed), or None when there is none."""
    path = Path(typed.strip().strip('"').strip())
    path = path / "campaign.yaml" if path.is_dir() else path
    return path.resolve() if path.is_file() and path.suffix.lower() in (".yaml", ".yml") else None


def next_folder_name(campaign_path: Path, old_year: int, year: int) -> str:
    """Next year's folder: this folder's name with the year changed (or the year added)."""
    name = campaign_path.resolve().parent.name
    return name.replace(str(old_year), str(year)) if str(old_year) in name else f"{name}-{year}"


def start_next_year(campaign_path: Path, year: int, deadline: dt.date) -> Path:
    """Next year's campaign beside this one (what 'new-campaign' does); its campaign file."""
    old = load_campaign(campaign_path)
    folder = campaign_path.resolve().parent.parent / next_folder_name(campaign_path, old.year, year)
    return new_campaign(campaign_path, year, deadline, folder).folder / "campaign.yaml"


def _store(folder: Path, name: str, data: bytes) -> Received:
    """Write data under name in folder, or under "name (2)" ... when taken: never over a file."""
    stem, dot, suffix = name.rpartition(".")
    base, ext = (stem, f".{suffix}") if dot and stem else (name, "")
    for number in range(1, 1000):
        candidate = folder / (name if number == 1 else f"{base} ({number}){ext}")
        try:
            handle = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
        except FileExistsError:
            continue
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        return Received(name, candidate.name)
    return Received(name, "", "quá nhiều tệp trùng tên trong thư mục nhận")


def _latest(folder: Path) -> Path | None:
    """The team's last received workbook (their names start with the time received)."""
    files = sorted(folder.glob("*.xlsx")) if folder.is_dir() else []
    return files[-1] if files else None
