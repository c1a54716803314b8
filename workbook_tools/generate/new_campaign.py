"""A new year's campaign from last year's, without editing YAML by hand (``new-campaign``).

The new folder holds the campaign file (last year's, with its comments, the new id, year and
deadline, years in its name and request moved on, every path pointing where it should from the
new folder), a copy of the roster, an empty register and a new secret key. Specs and the report
outline are referenced, not copied: they are the district's shared data.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from workbook_tools.fileio import write_csv
from workbook_tools.form.signing import load_or_create_key
from workbook_tools.problems import WorkbookToolsError, make_problem
from workbook_tools.spec.campaign import Campaign, load_campaign
from workbook_tools.spec.register import REGISTER_COLUMNS
from workbook_tools.spec.yamlio import load_yaml

CAMPAIGN_NAME, ROSTER_NAME, REGISTER_NAME, KEY_NAME = "campaign.yaml", "roster.csv", "so-theo-doi.csv", "khoa-bi-mat.key"
_TOP_KEY = re.compile(r"^(?P<key>[a-z_]+):(?P<rest>.*)$")
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


@dataclass(frozen=True)
class NewCampaign:
    """What ``new-campaign`` wrote."""

    campaign: Campaign
    folder: Path
    files: tuple[Path, ...]


def new_campaign(source: Path | str, year: int, deadline: dt.date, out: Path | str) -> NewCampaign:
    """Write next year's campaign folder from a campaign file; the result loads as it is."""
    source, out = Path(source), Path(out)
    old = load_campaign(source)
    if out.exists() and any(out.iterdir()):
        raise WorkbookToolsError([make_problem("CLI_OUTPUT_UNWRITABLE", path=str(out),
                                               detail="thư mục đã có dữ liệu; chọn một thư mục mới")])
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:  # written aside, then moved into place whole: a failure leaves no half-made campaign
        _write(source, old, staging, out.resolve(), year, deadline)
        campaign = load_campaign(staging / CAMPAIGN_NAME)
        if out.exists():
            out.rmdir()
        staging.replace(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    campaign = load_campaign(out / CAMPAIGN_NAME)
    return NewCampaign(campaign, out, tuple(out / n for n in (CAMPAIGN_NAME, ROSTER_NAME, REGISTER_NAME, KEY_NAME)))


def _write(source: Path, old: Campaign, folder: Path, final: Path, year: int, deadline: dt.date) -> None:
    text = _moved(source.read_text(encoding="utf-8-sig"), source.parent.resolve(), final, old, year, deadline)
    (folder / CAMPAIGN_NAME).write_text(text, encoding="utf-8")
    roster = source.parent / str(load_yaml(source)["roster"])
    shutil.copyfile(roster, folder / ROSTER_NAME)
    write_csv(folder / REGISTER_NAME, REGISTER_COLUMNS, [])
    load_or_create_key(folder / KEY_NAME)


def _moved(text: str, old_dir: Path, new_dir: Path, old: Campaign, year: int, deadline: dt.date) -> str:
    """The campaign file's text for the new year and folder, line by line (comments kept)."""
    lists = {"specs": [f.source_file for f in old.forms], "outlines": [o.source_file for o in old.outlines]}
    lines, in_list, seen = [], False, set()
    for line in text.splitlines():
        top = _TOP_KEY.match(line)
        if top:
            in_list = top["key"] in lists
            seen.add(top["key"])
            if in_list:  # the list written anew from the loaded files (whatever its YAML style was)
                lines.append(f"{top['key']}:")
                lines += [f"  - {_relative(Path(file), new_dir)}" for file in lists[top["key"]]]
                continue
            line = _top_line(top["key"], top["rest"], old_dir, new_dir, old, year, deadline) or line
        elif in_list and (not line.strip() or line[:1].isspace() or line.startswith("-")):
            continue
        else:
            in_list = False
        lines.append(line)
    extra = {"register": REGISTER_NAME, "secret_key_file": KEY_NAME}
    lines += [f"{key}: {value}" for key, value in extra.items() if key not in seen]
    return "\n".join(lines) + "\n"


def _top_line(key: str, rest: str, old_dir: Path, new_dir: Path, old: Campaign, year: int,
              deadline: dt.date) -> str | None:
    value = rest.strip()
    if key == "id":
        new_id = _YEAR.sub(str(year), old.id) if _YEAR.search(old.id) else f"{old.id}-{year}"
        return f"id: {new_id}"
    if key == "year":
        return f"year: {year}"
    if key == "deadline":
        return f"deadline: {deadline.isoformat()}"
    if key in ("name", "request"):
        shift = year - old.year
        return f"{key}: " + _YEAR.sub(lambda m: str(int(m[0]) + shift) if int(m[0]) in (old.year, old.year + 1)
                                      else m[0], value)
    if key == "roster":
        return f"roster: {ROSTER_NAME}"
    if key == "register":
        return f"register: {REGISTER_NAME}"
    if key == "secret_key_file":
        return f"secret_key_file: {KEY_NAME}"
    if key == "report" and old.report_file:
        return "report: " + _relative(Path(old.report_file), new_dir)
    return None


def _relative(target: Path, folder: Path) -> str:
    """A path from ``folder`` to ``target``, relative when they share a drive, with '/'."""
    try:
        return Path(os.path.relpath(target.resolve(), folder)).as_posix()
    except ValueError:  # another drive on Windows
        return target.resolve().as_posix()
