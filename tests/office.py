"""Drive a headless LibreOffice from tests, to check workbooks as Calc sees them.

This module runs under the project venv and never imports ``uno``: every job is
handed as JSON to ``tests/uno_worker.py``, run by Debian's ``/usr/bin/python3``
(package python3-uno), which talks to one long-lived soffice listener owned by
:class:`Office`.

No pytest fixture is defined here. The intended use, in ``conftest.py``::

    @pytest.fixture(scope="session")
    def office():
        require_office()
        with Office() as office:
            yield office

Every method that opens a file first copies it into a private temp dir:
LibreOffice leaves ``.~lock.NAME#`` files beside what it opens, and a stale one
breaks the next open. Sources are never modified; outputs are written in the
private dir and then copied to the requested destination.

Needs: ``soffice`` (libreoffice-calc-nogui), ``/usr/bin/python3`` with ``uno``
(python3-uno), ``pdftoppm`` and ``pdfinfo`` (poppler-utils).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"
WORKER = Path(__file__).with_name("uno_worker.py")

# Calc's input line (formula bar, child window id FID_INPUTLINE_STATUS = 26100)
# is built from modules/scalc/ui/*.ui files, which libreoffice-calc-nogui does
# not ship. Any .uno: dispatch makes the hidden frame create it from an idle
# timer about a second later, and the missing posbox.ui aborts soffice
# ("Unspecified Application Error", exit 134). Keeping that child window
# invisible in the profile avoids it.
PROFILE_ITEMS = (
    '<item oor:path="/org.openoffice.Office.Views/Windows">'
    '<node oor:name="26100" oor:op="replace">'
    '<prop oor:name="Visible" oor:op="fuse"><value>false</value></prop>'
    "</node></item>\n"
)

CellValue = float | str | None


class JobTimeout(RuntimeError):
    """A uno_worker job did not finish in time (soffice is presumed hung)."""


class WorkerCrashed(RuntimeError):
    """The uno_worker process was killed by a signal (not an error the job reported)."""


def soffice_path() -> str | None:
    """Return the path of the soffice executable, or None."""
    return shutil.which("soffice")


def _worker_env() -> dict[str, str]:
    """Environment for /usr/bin/python3: drop venv settings that would mislead it."""
    drop = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def _uno_available() -> bool:
    """True if /usr/bin/python3 can import uno."""
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return False
    try:
        done = subprocess.run(
            [SYSTEM_PYTHON, "-c", "import uno"],
            env=_worker_env(),
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def missing_office_reason() -> str | None:
    """Say what is missing to run LibreOffice checks, or None if all is there."""
    if soffice_path() is None:
        return "soffice not found on PATH (apt-get install libreoffice-calc-nogui)"
    if not _uno_available():
        return f"{SYSTEM_PYTHON} cannot 'import uno' (apt-get install python3-uno)"
    if shutil.which("pdftoppm") is None:
        return "pdftoppm not found on PATH (apt-get install poppler-utils)"
    return None


def require_office() -> None:
    """Fail (when CI == "true") or skip the test if LibreOffice tooling is missing."""
    reason = missing_office_reason()
    if reason is None:
        return
    reason = f"LibreOffice checks unavailable: {reason}"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def require_gnumeric() -> str:
    """The path of Gnumeric's ``ssconvert``; fail (when CI == "true") or skip the test if it is missing."""
    found = shutil.which("ssconvert")
    if found:
        return found
    reason = "Gnumeric checks unavailable: ssconvert not found on PATH (apt-get install gnumeric)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


class Office:
    """One headless soffice listener, shared by many jobs; a context manager.

    On enter, a private profile is created and initialised by a run of its own
    (a brand-new profile makes soffice restart itself once, which would break a
    connection made before the restart), then the listener is started in its
    own process group and awaited. On exit, the whole group is killed and the
    temp dir removed.

    Jobs run one at a time, each in a fresh ``/usr/bin/python3 uno_worker.py``.
    If a job crashes soffice, that job raises RuntimeError and the next job
    restarts the listener first (counted in ``restarts``). Not thread-safe.
    """

    def __init__(self, start_timeout: float = 60.0, job_timeout: float = 120.0) -> None:
        """Configure timeouts (seconds) for start-up and for each job."""
        self.start_timeout = start_timeout
        self.job_timeout = job_timeout
        self.pipe = f"wbt_office_{os.getpid()}_{uuid.uuid4().hex[:12]}"
        self.tmp: Path | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self.dispatches = 0  # .uno: dispatches sent in this session, see enter_strings
        self.restarts = 0  # listener restarts after a crash
        self.crash_retries = 0  # jobs retried after the worker process crashed

    # ----- life cycle -------------------------------------------------

    def __enter__(self) -> Office:
        """Start the listener; raise RuntimeError if it is not reachable in time."""
        self.tmp = Path(tempfile.mkdtemp(prefix="wbt-office-"))
        try:
            self._init_profile()
            self._patch_profile()
            self._start_listener()
            self._wait_ready()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the listener and remove the temp dir."""
        self.close()

    @property
    def _tmp(self) -> Path:
        """The temp dir; only valid inside the with block."""
        if self.tmp is None:
            raise RuntimeError("Office is not started: use 'with Office() as office:'")
        return self.tmp

    def _profile_arg(self) -> str:
        """The -env:UserInstallation argument for the private profile."""
        return f"-env:UserInstallation={(self._tmp / 'profile').as_uri()}"

    def _soffice(self) -> str:
        """Path of soffice, or a clear error."""
        path = soffice_path()
        if path is None:
            raise RuntimeError("soffice not found on PATH")
        return path

    def _init_profile(self) -> None:
        """Create the profile in a run of its own, so the listener never restarts."""
        cmd = [self._soffice(), self._profile_arg(), "--headless", "--terminate_after_init"]
        proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        try:
            proc.wait(timeout=self.start_timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise RuntimeError(
                f"soffice profile initialisation did not end within {self.start_timeout} s"
            ) from None

    def _patch_profile(self) -> None:
        """Add PROFILE_ITEMS to the initialised profile's registrymodifications.xcu."""
        xcu = self._tmp / "profile" / "user" / "registrymodifications.xcu"
        text = xcu.read_text(encoding="utf-8") if xcu.is_file() else ""
        if "</oor:items>" not in text:
            raise RuntimeError(f"soffice profile initialisation left no usable {xcu}")
        xcu.write_text(text.replace("</oor:items>", PROFILE_ITEMS + "</oor:items>"), "utf-8")

    def _start_listener(self) -> None:
        """Start the soffice listener in its own process group, logging to the temp dir."""
        cmd = [
            self._soffice(),
            self._profile_arg(),
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext",
        ]
        with open(self._tmp / "soffice.log", "ab") as log:
            self.proc = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def _log_tail(self) -> str:
        """Last lines of the listener's output, for error messages."""
        try:
            text = (self._tmp / "soffice.log").read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-20:])

    def _wait_ready(self) -> None:
        """Ping the listener until it answers or start_timeout passes."""
        assert self.proc is not None
        deadline = time.monotonic() + self.start_timeout
        last_error = ""
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"soffice exited with status {self.proc.returncode} before accepting "
                    f"connections:\n{self._log_tail()}"
                )
            try:
                self._run({"op": "ping"}, timeout=min(15.0, self.job_timeout))
                return
            except RuntimeError as err:
                last_error = str(err)
            time.sleep(0.3)
        raise RuntimeError(
            f"soffice did not accept a connection on pipe {self.pipe} within "
            f"{self.start_timeout} s; last error:\n{last_error}\nsoffice log:\n{self._log_tail()}"
        )

    def close(self) -> None:
        """Kill the listener's process group and remove the temp dir (idempotent)."""
        if self.proc is not None:
            _kill_group(self.proc)
            self.proc = None
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    # ----- job plumbing ----------------------------------------------

    def _ensure_listener(self) -> None:
        """Restart the listener if an earlier job crashed it (same profile and pipe)."""
        if self.proc is None or self.proc.poll() is None:
            return
        self.restarts += 1
        _kill_group(self.proc)
        self._start_listener()
        self._wait_ready()

    def _job(self, job: dict[str, Any]) -> dict[str, Any]:
        """Run a document job; say so in the error if it took soffice down.

        A worker killed by a signal (seen: an occasional SIGSEGV in the python3-uno client)
        is retried once on a fresh listener; an error the job reports is never retried.
        """
        self._ensure_listener()
        try:
            try:
                return self._run(job)
            except WorkerCrashed:
                self.crash_retries += 1
                if self.proc is not None:
                    _kill_group(self.proc)
                self._ensure_listener()
                return self._run(job)
        except JobTimeout:
            if self.proc is not None:
                _kill_group(self.proc)  # hung: the next job starts a fresh one
            raise
        except RuntimeError as err:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(
                    f"{err}\nsoffice died (exit {self.proc.returncode}); it will be restarted "
                    f"for the next job. soffice log:\n{self._log_tail()}"
                ) from None
            raise

    def _run(self, job: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
        """Run one job in uno_worker.py; raise RuntimeError with its stderr on failure."""
        payload = json.dumps({"pipe": self.pipe, **job})
        limit = self.job_timeout if timeout is None else timeout
        try:
            done = subprocess.run(
                [SYSTEM_PYTHON, str(WORKER)],
                input=payload,
                capture_output=True,
                text=True,
                timeout=limit,
                env=_worker_env(),
            )
        except subprocess.TimeoutExpired as err:
            raise JobTimeout(
                f"uno_worker op {job['op']!r} timed out after {limit} s; stderr:\n{err.stderr}"
            ) from None
        if done.returncode < 0:
            raise WorkerCrashed(
                f"uno_worker op {job['op']!r} was killed by signal {-done.returncode}:\n{done.stderr}"
            )
        if done.returncode != 0:
            raise RuntimeError(
                f"uno_worker op {job['op']!r} failed (exit {done.returncode}):\n{done.stderr}"
            )
        try:
            return json.loads(done.stdout)
        except json.JSONDecodeError:
            raise RuntimeError(
                f"uno_worker op {job['op']!r} printed no JSON:\n{done.stdout}\n{done.stderr}"
            ) from None

    @contextmanager
    def _job_dir(self) -> Iterator[Path]:
        """A private dir for one job, with in/ and out/ subdirs, removed afterwards."""
        job_dir = Path(tempfile.mkdtemp(prefix="job-", dir=self._tmp))
        (job_dir / "in").mkdir()
        (job_dir / "out").mkdir()
        try:
            yield job_dir
        finally:
            shutil.rmtree(job_dir, ignore_errors=True)

    @staticmethod
    def _copy_in(src: Path, job_dir: Path) -> Path:
        """Copy src into job_dir/in, keeping its name (and so its type)."""
        src = Path(src)
        if not src.is_file():
            raise FileNotFoundError(src)
        copy = job_dir / "in" / src.name
        shutil.copyfile(src, copy)
        return copy

    def _job_on_copy(self, job: dict[str, Any], src: Path) -> dict[str, Any]:
        """Run a read-only job on a private copy of src."""
        with self._job_dir() as job_dir:
            return self._job({**job, "src": str(self._copy_in(src, job_dir))})

    def _job_with_output(self, job: dict[str, Any], src: Path, dst: Path, key: str) -> dict:
        """Run a job on a private copy of src, writing a private output copied to dst."""
        with self._job_dir() as job_dir:
            out = job_dir / "out" / Path(dst).name
            result = self._job({**job, "src": str(self._copy_in(src, job_dir)), key: str(out)})
            if not out.is_file():
                raise RuntimeError(f"uno_worker op {job['op']!r} wrote no {out.name}")
            Path(dst).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(out, dst)
        return result

    # ----- public jobs ------------------------------------------------

    def fill_recalc_save(
        self, src: Path, dst: Path, values: dict[str, dict[str, float | str]]
    ) -> None:
        """Set cells through the API ({sheet: {"B3": 2.5}}), recalculate, save dst as xlsx.

        Numbers use ``cell.setValue``, strings ``cell.setString``. The API
        ignores sheet protection: use enter_strings to test what a user may edit.
        """
        self._job_with_output({"op": "fill_recalc_save", "values": values}, src, dst, "dst")

    def recalc_save(self, src: Path, dst: Path) -> None:
        """Open src, recalculate everything, save dst as xlsx."""
        self._job_with_output({"op": "recalc_save"}, src, dst, "dst")

    def read_cells(
        self, src: Path, cells: dict[str, list[str]], recalc: bool = True
    ) -> dict[str, dict[str, CellValue]]:
        """Read cells ({sheet: ["A1", "C4"]}) as Calc sees them.

        Returns {sheet: {ref: value}}: a float for numbers and numeric formula
        results, a str for text and string results (and for errors such as
        "#DIV/0!"), None for empty cells. With recalc=False, formulas keep the
        results cached in the file (LibreOffice still computes formulas cached
        as an empty string, e.g. xlsxwriter's ``write_formula(..., value="")``).
        """
        job = {"op": "read_cells", "cells": cells, "recalc": recalc}
        return self._job_on_copy(job, src)["values"]

    def enter_strings(
        self, src: Path, dst: Path, entries: dict[str, dict[str, str]]
    ) -> dict[str, dict[str, bool]]:
        """Type strings into cells like a person ({sheet: {"B3": "2.5"}}), save dst as xlsx.

        Each cell is selected through the controller and receives a
        ``.uno:EnterString`` dispatch, so sheet protection applies: a locked
        cell on a protected sheet refuses. Returns {sheet: {ref: changed}},
        where changed says whether the cell's content actually changed (typing
        the content it already has also gives False). Data validation is NOT
        enforced on this path (seen: 99 accepted against a "whole number
        1-10, stop" rule), so test validation rules by reading them instead.

        Each refusal costs a reopen of the document (about 0.2 s): in headless
        mode a refused entry leaves an unanswered message box in the view, and
        a second refusal in the same view aborts soffice.

        LIMIT: keep the number of dispatches small. LibreOffice was seen to
        crash after roughly 30-50 dispatches in one session. The causes found
        here are worked around (the formula bar, whose .ui files
        libreoffice-calc-nogui lacks, is disabled in the profile, see
        PROFILE_ITEMS; refusals reopen the document), after which several
        hundred dispatches in one session passed; but dispatches drive GUI code
        that headless soffice rarely exercises. ``self.dispatches`` counts
        those sent so far; if soffice dies anyway, the job raises RuntimeError
        and the next job restarts soffice.
        """
        self.dispatches += sum(len(cells) for cells in entries.values())
        result = self._job_with_output(
            {"op": "enter_strings", "entries": entries}, src, dst, "dst"
        )
        return result["changed"]

    def sheet_info(self, src: Path) -> dict[str, list[dict[str, Any]]]:
        """Return {"sheets": [{"name", "protected", "visible"}, ...]} in sheet order."""
        return self._job_on_copy({"op": "sheet_info"}, src)

    def resave_docx(self, src: Path, dst: Path) -> None:
        """Open a .docx in Writer and save it again as .docx (Word 2007-365)."""
        self._job_with_output({"op": "resave_docx"}, src, dst, "dst")

    def to_pdf(self, src: Path, pdf: Path) -> None:
        """Export src to pdf through the listener (filter calc_pdf_Export)."""
        self._job_with_output({"op": "to_pdf"}, src, pdf, "pdf")


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Terminate proc's whole process group, escalating to SIGKILL, and reap proc."""
    for sig, wait in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 15.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            # The group may outlive its leader (soffice.bin under oosplash).
            if not _group_alive(proc.pid):
                break
        except subprocess.TimeoutExpired:
            continue
    proc.poll()


def _group_alive(pgid: int) -> bool:
    """True if any process is left in process group pgid."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def pdf_page_count(pdf: Path) -> int:
    """Number of pages of pdf, from pdfinfo."""
    done = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60, check=False
    )
    match = re.search(r"^Pages:\s+(\d+)", done.stdout, re.MULTILINE)
    if done.returncode != 0 or match is None:
        raise RuntimeError(f"pdfinfo failed on {pdf}:\n{done.stderr}")
    return int(match.group(1))


def pdf_to_pngs(
    pdf: Path, out_prefix: Path, first: int = 1, last: int | None = None, dpi: int = 60
) -> list[Path]:
    """Render pages first..last of pdf to OUT_PREFIX-N.png; return them in page order."""
    out_prefix = Path(out_prefix)
    out_prefix.parent.mkdir(parents=True, exist_ok=True)
    last = pdf_page_count(pdf) if last is None else last
    cmd = ["pdftoppm", "-png", "-r", str(dpi), "-f", str(first), "-l", str(last)]
    done = subprocess.run(
        [*cmd, str(pdf), str(out_prefix)], capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise RuntimeError(f"pdftoppm failed on {pdf}:\n{done.stderr}")
    pattern = re.compile(re.escape(out_prefix.name) + r"-(\d+)\.png")
    pages: list[tuple[int, Path]] = []
    for path in out_prefix.parent.iterdir():
        match = pattern.fullmatch(path.name)
        if match and first <= int(match.group(1)) <= last:
            pages.append((int(match.group(1)), path))
    return [path for _, path in sorted(pages)]
