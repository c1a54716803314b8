"""Output files written safely: atomically, and CSV in UTF-8 with a BOM for Excel."""

from __future__ import annotations

import contextlib
import csv
import operator
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, Mapping

# Text starting with one of these is taken as a formula by spreadsheet applications.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success move it into place atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        yield tmp
        _normal_permissions(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write bytes to path through a temporary file (see ``atomic_path``)."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def _normal_permissions(path: Path) -> None:
    """mkstemp makes files private (0600); outputs get the usual permissions (umask applied)."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(0o666 & ~umask)


_FORMULA_FIRST = frozenset(start[0] for start in FORMULA_STARTS)


def inert(value: object) -> object:
    """Text that a spreadsheet will show as text, never run as a formula (numbers pass as they are)."""
    if type(value) is str:
        return "'" + value if value[:1] in _FORMULA_FIRST else value
    if value is None:
        return ""
    if type(value) is int:
        return value
    text = str(value)
    return "'" + text if text[:1] in _FORMULA_FIRST else text


def write_csv(path: Path, columns: Iterable[str], rows: Iterable[Mapping[str, object]]) -> None:
    """Write a UTF-8 (BOM) CSV atomically, every text cell made inert."""
    with atomic_path(path) as tmp:
        write_csv_to(tmp, columns, rows)


class StagedOutputs:
    """Write several outputs to temporary files, then move them all into place at the end.

    Until ``commit`` nothing under the final names changes, so a run that fails or is killed
    while writing leaves the previous outputs intact.
    """

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.staged: list[tuple[Path, Path]] = []
        self.owned: list[tuple[Path, str]] = []

    def path(self, name: str) -> Path:
        """A temporary path to write the output ``name`` to (stale ones of a killed run go first)."""
        final = self.out_dir / name
        final.parent.mkdir(parents=True, exist_ok=True)
        for stale in final.parent.glob(f".{final.name}.*.tmp"):
            stale.unlink(missing_ok=True)
        handle, tmp_name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
        os.close(handle)
        self.staged.append((Path(tmp_name), final))
        return Path(tmp_name)

    def own(self, folder: str, pattern: str) -> None:
        """Declare a subfolder as written whole by this run: at commit, files matching ``pattern``
        that an earlier run wrote there and this run did not (a message to a unit that has since
        sent a valid file) go."""
        self.owned.append((self.out_dir / folder, pattern))

    def commit(self) -> list[Path]:
        """Move every staged file to its final name; return the final paths."""
        for tmp, final in self.staged:
            _normal_permissions(tmp)
            os.replace(tmp, final)
        done = [final for _, final in self.staged]
        for folder, pattern in self.owned:
            for stale in folder.glob(pattern) if folder.is_dir() else ():
                if stale.is_file() and stale not in done:
                    stale.unlink()
        self.staged, self.owned = [], []
        return done

    def discard(self) -> None:
        """Remove temporary files left by a failed run."""
        for tmp, _ in self.staged:
            tmp.unlink(missing_ok=True)
        self.staged = []


def write_csv_to(tmp: Path, columns: Iterable[str], rows: Iterable[Mapping[str, object]]) -> None:
    """Write a UTF-8 (BOM) CSV to an already chosen path, every text cell made inert."""
    columns = list(columns)
    pick = operator.itemgetter(*columns)
    write_inert_rows_to(tmp, columns, (map(inert, pick(row)) for row in rows))


def write_inert_rows_to(tmp: Path, columns: Iterable[str], rows: Iterable[Iterable[object]]) -> None:
    """Write a UTF-8 (BOM) CSV of rows already in column order and already made inert (``inert``).

    For the large tables, whose rows are built from a few values made inert once each.
    """
    with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(columns))
        writer.writerows(rows)
