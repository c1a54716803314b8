"""What earlier collections found in each file, kept on disk so that the next collection reads only
the files that are new or changed.

One JSON Lines file in the results folder (``.bo-nho-dem/kiem-tra-tep.jsonl``): a header line, then one
line per file checked: its place in the inbox, the SHA-256 of its bytes and what its check found
(unit, forms with their values, problems, save time), written as plain JSON: loading it runs no code,
unlike pickle. An entry counts only for the same bytes at the same place under the same context: the
program and template versions, the campaign as loaded (specs' content hashes, roster, settings) and
the district key. The header carries an HMAC of the whole file under a key derived from the district
key, so a cache that was edited, damaged, or copied from another district is ignored (with a notice)
and every file is read again. Without the district key no cache is kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import shutil
import tempfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterable

from workbook_tools import TEMPLATE_VERSION, __version__
from workbook_tools.fileio import atomic_path
from workbook_tools.problems import Problem, Severity, make_problem
from workbook_tools.read.check import Submission
from workbook_tools.read.sheets import FormResult
from workbook_tools.spec.campaign import Campaign

CACHE_FOLDER, CACHE_NAME = ".bo-nho-dem", "kiem-tra-tep.jsonl"
FORMAT, VERSION = "workbook_tools_check_cache", 1
MAC_LABEL = b"workbook_tools check cache"
MAX_CACHE_BYTES = 512 * 1024 * 1024
CHUNK = 1 << 20

Memo = dict[tuple[str, str, str], Submission]  # (place in inbox, content sha256, context) -> check


class CacheError(ValueError):
    """A cache file that cannot be trusted (reason in Vietnamese)."""


@dataclass(frozen=True)
class Loaded:
    """The checks read from the cache, and a notice when the file was there but not used."""

    memo: Memo
    notice: Problem | None


def check_context(campaign: Campaign, key: bytes | None) -> str:
    """What a file's check depends on besides its bytes."""
    text = f"{__version__}|{TEMPLATE_VERSION}|{campaign!r}".encode()
    return hashlib.sha256(text + (key or b"")).hexdigest()


def cache_path(out_dir: Path) -> Path:
    """Where the cache of a results folder lives."""
    return out_dir / CACHE_FOLDER / CACHE_NAME


def load_cache(path: Path, context: str, key: bytes | None) -> Loaded:
    """The checks kept for this context; nothing (with a notice) when the file is damaged or foreign."""
    if key is None or not path.is_file():
        return Loaded({}, None)
    try:
        if path.stat().st_size > MAX_CACHE_BYTES:
            raise CacheError("tệp quá lớn")
        with path.open("rb") as stream:  # read twice, never whole: the file grows with the inbox
            header = _header(stream.readline())
            mac = _mac(key)
            for chunk in iter(lambda: stream.read(CHUNK), b""):
                mac.update(chunk)
            if not hmac.compare_digest(str(header.get("mac", "")), mac.hexdigest()):
                raise CacheError("mã kiểm tra không khớp: tệp đã bị sửa, hỏng hoặc của nơi khác")
            if header.get("context") != context:
                return Loaded({}, None)  # the campaign, its specs, roster or the program changed: all read again
            stream.seek(0)
            stream.readline()
            return Loaded(_entries(stream, context), None)
    except (ValueError, OSError, RecursionError) as exc:  # CacheError, bad JSON, UTF-8, dates are ValueErrors
        return Loaded({}, make_problem("CACHE_IGNORED", path=str(path), detail=str(exc)))


def save_cache(path: Path, context: str, key: bytes | None, memo: Memo) -> None:
    """Write the checks of this context (nothing without the district key).

    Line by line into an unnamed temporary file while the MAC is computed, then the header (which
    carries the MAC) and that body into place atomically: the lines are never all in memory."""
    if key is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    mac = _mac(key)
    with tempfile.TemporaryFile(dir=path.parent) as body:
        for (rel, sha, ctx), check in sorted(memo.items(), key=lambda item: item[0]):
            if ctx == context:
                line = json.dumps({"rel": rel, "sha256": sha, "check": _submission_json(check)}, ensure_ascii=False,
                                  separators=(",", ":")).encode("utf-8") + b"\n"
                mac.update(line)
                body.write(line)
        header = json.dumps({"format": FORMAT, "version": VERSION, "context": context, "mac": mac.hexdigest()})
        body.seek(0)
        with atomic_path(path) as tmp, tmp.open("wb") as out:
            out.write(header.encode("utf-8") + b"\n")
            shutil.copyfileobj(body, out, CHUNK)


def _mac(key: bytes) -> hmac.HMAC:
    """The MAC of a cache body, keyed by a key derived from the district key (fed line by line)."""
    return hmac.new(hmac.new(key, MAC_LABEL, hashlib.sha256).digest(), digestmod=hashlib.sha256)


def _header(first: bytes) -> dict:
    header = json.loads(first.decode("utf-8"))
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("version") != VERSION:
        raise CacheError("không phải bộ nhớ đệm của phiên bản này")
    return header


def _entries(lines: Iterable[bytes], context: str) -> Memo:
    memo: Memo = {}
    for line in lines:  # split at b"\n" only (str.splitlines would also split at U+2028 inside a text)
        entry = _dict(json.loads(line.decode("utf-8")))
        rel, sha = _text(entry, "rel"), _text(entry, "sha256")
        memo[(rel, sha, context)] = _submission(_mapping(entry, "check"))
    return memo


def _submission_json(check: Submission) -> dict:
    return {"unit_code": check.unit_code, "file_id": check.file_id,
            "forms": [_form_json(form) for form in check.forms],
            "problems": [_problem_json(p) for p in check.problems],
            "saved_at": check.saved_at.isoformat() if check.saved_at else None}


def _form_json(form: FormResult) -> dict:
    return {"form_id": form.form_id, "sheet": form.sheet,
            "scores": {k: str(v) for k, v in form.scores.items()}, "notes": dict(form.notes.items()),
            "figures": {k: _figure_json(v) for k, v in form.figures.items()}, "complete": form.complete,
            "total": None if form.total is None else str(form.total), "classification": form.classification,
            "text_cells": list(form.text_cells)}


def _figure_json(value: object) -> list:
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, int):
        return ["i", value]
    if isinstance(value, dt.date):
        return ["d", value.isoformat()]
    if value is None:
        return ["n", None]
    return ["s", str(value)]


def _problem_json(problem: Problem) -> dict:
    return {"code": problem.code, "severity": problem.severity.value, "message": problem.message,
            "fix": problem.fix, "file": problem.file, "line": problem.line, "sheet": problem.sheet,
            "cell": problem.cell, "value": problem.value, "form": problem.form}


def _submission(data: dict) -> Submission:
    saved = data.get("saved_at")
    return Submission(path=None, unit_code=_optional(data, "unit_code"), file_id=_optional(data, "file_id"),
                      identity={}, forms=tuple(_form(_dict(f)) for f in _list(data, "forms")),
                      problems=tuple(_problem(_dict(p)) for p in _list(data, "problems")),
                      saved_at=_datetime(saved) if saved is not None else None)


def _form(data: dict) -> FormResult:
    total = _optional(data, "total")
    classification = _optional(data, "classification")
    return FormResult(form_id=_text(data, "form_id"), sheet=_text(data, "sheet"),
                      scores={k: _decimal(v) for k, v in _mapping(data, "scores").items()},
                      notes={k: _string(v) for k, v in _mapping(data, "notes").items()},
                      figures={k: _figure(v) for k, v in _mapping(data, "figures").items()},
                      complete=_flag(data, "complete"), total=None if total is None else _decimal(total),
                      classification=classification,
                      text_cells=tuple(_string(c) for c in _list(data, "text_cells")))


def _figure(value: object) -> object:
    if not isinstance(value, list) or len(value) != 2:
        raise CacheError("số liệu sai dạng")
    tag, item = value
    checks = {"b": bool, "i": int, "s": str}
    if tag == "n" and item is None:
        return None
    if tag == "d":
        return dt.date.fromisoformat(_string(item))
    if tag in checks and type(item) is checks[tag]:
        return item
    raise CacheError("số liệu sai dạng")


def _problem(data: dict) -> Problem:
    line = data.get("line")
    if line is not None and type(line) is not int:
        raise CacheError("dòng lỗi sai dạng")
    try:
        severity = Severity(_text(data, "severity"))
    except ValueError:
        raise CacheError("mức lỗi sai dạng") from None
    return Problem(code=_text(data, "code"), severity=severity, message=_text(data, "message"),
                   fix=_text(data, "fix"), file=_text(data, "file"), line=line, sheet=_text(data, "sheet"),
                   cell=_text(data, "cell"), value=_text(data, "value"), form=_text(data, "form"))


def _dict(value: object) -> dict:
    if not isinstance(value, dict):
        raise CacheError("mục sai dạng")
    return value


def _mapping(data: dict, key: str) -> dict:
    return _dict(data.get(key))


def _list(data: dict, key: str) -> list:
    value = data.get(key)
    if not isinstance(value, list):
        raise CacheError(f"'{key}' sai dạng")
    return value


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise CacheError("giá trị chữ sai dạng")
    return value


def _text(data: dict, key: str) -> str:
    return _string(data.get(key))


def _optional(data: dict, key: str) -> str | None:
    value = data.get(key)
    return None if value is None else _string(value)


def _flag(data: dict, key: str) -> bool:
    value = data.get(key)
    if type(value) is not bool:
        raise CacheError(f"'{key}' sai dạng")
    return value


def _decimal(value: object) -> Decimal:
    try:
        number = Decimal(_string(value))
    except InvalidOperation:
        raise CacheError("số sai dạng") from None
    if not number.is_finite():
        raise CacheError("số sai dạng")
    return number


def _datetime(value: object) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(_string(value))
    except ValueError:
        raise CacheError("thời gian sai dạng") from None
