"""Walk an inbox folder: every file found, what kind it is, its hash and its times.

Nothing in the inbox is ever written, moved or followed out of: files are opened read-only,
symbolic links are reported and never followed. Zip archives and saved e-mails are opened in
memory (``read.containers``) and each of their members becomes an entry of its own, located as
``CONTAINER::MEMBER`` (nested: ``a.zip::b/c.zip::d.xlsx``). The walk order is sorted, so the
result does not depend on the order the file system lists entries in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from workbook_tools.problems import nfc
from workbook_tools.read.containers import (
    Budget,
    ContainerError,
    ContainerLimits,
    container_kind,
    member_bytes,
    open_container,
)
from workbook_tools.read.kinds import (
    CONTAINER_SUFFIXES,
    OLE_MAGIC,
    WORKBOOK_SUFFIXES,
    FileKind,
    file_kind,
    ignorable,
    is_encrypted_ole,
)

SEPARATOR = "::"


@dataclass(frozen=True, slots=True)
class FoundFile:
    """One entry of the inbox (a file, or a member of a container), before its content is checked."""

    location: str       # the path of the file on disk, or of the outermost container holding it
    rel: str            # its place in the inbox, '/'-separated, NFC; members: 'a.zip::b/c.xlsx'
    kind: FileKind
    reason: str         # why ignored, rejected, attached or opened (Vietnamese)
    sha256: str         # empty when the file could not be read
    size: int
    mtime: dt.datetime | None  # the file's (or its outermost container's) modification time
    inner: tuple[str, ...] = ()  # member names from the file on disk down to this entry
    sent_at: dt.datetime | None = None  # when the e-mail that carried it was sent (Date header)

    @property
    def path(self) -> Path:
        """Where the file (or its outermost container) is on disk."""
        return Path(self.location)

    @property
    def name(self) -> str:
        """The entry's own file name (a member's name inside its container)."""
        return posixpath.basename(self.rel.rsplit(SEPARATOR, 1)[-1].rstrip("/"))

    @property
    def container(self) -> str:
        """The rel of the container holding this entry, or '' for a file on disk."""
        return self.rel.rsplit(SEPARATOR, 1)[0] if self.inner else ""


def scan_inbox(inbox: Path, max_bytes: int = 20_000_000) -> list[FoundFile]:
    """Every file under the inbox (subfolders too) and every member of its containers, sorted.

    Folders are walked, not listed, except an unreadable folder and a folder named like a
    workbook ('x.xlsx'), which get a verdict of their own. Files larger than max_bytes (and
    containers larger than their own bound) are rejected without being read.
    """
    limits = ContainerLimits(max_member_bytes=max_bytes)
    found = []
    for path, is_dir in _walk(inbox, inbox):
        found.extend(_classify(inbox, path, limits) if not is_dir else [_folder(inbox, path)])
    return sorted(found, key=lambda f: f.rel)


def _walk(root: Path, inbox: Path):
    """(path, is_folder) for files, links and noteworthy folders under root; links never followed."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        if root != inbox:
            yield root, True
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            if Path(entry.name).suffix.lower() in WORKBOOK_SUFFIXES:
                yield path, True
            yield from _walk(path, inbox)
        else:
            yield path, False


def _folder(inbox: Path, path: Path) -> FoundFile:
    rel = nfc(path.relative_to(inbox).as_posix())
    readable = os.access(path, os.R_OK | os.X_OK)
    reason = ("là thư mục (có tên giống tệp bảng tính), không phải tệp; các tệp bên trong vẫn được đọc"
              if readable else "thư mục không mở được (không có quyền đọc)")
    return FoundFile(os.fspath(path), rel + "/", FileKind.REJECTED, reason, "", 0, None)


def _classify(inbox: Path, path: Path, limits: ContainerLimits) -> list[FoundFile]:
    """The entry of a file on disk, followed by its members' entries when it is a container."""
    rel = nfc(path.relative_to(inbox).as_posix())
    try:
        info = path.lstat()
    except OSError as exc:
        return [FoundFile(os.fspath(path), rel, FileKind.REJECTED, f"không đọc được tệp ({exc.strerror})", "", 0,
                          None)]
    mtime = dt.datetime.fromtimestamp(info.st_mtime, tz=dt.timezone.utc)
    base = FoundFile(os.fspath(path), rel, FileKind.REJECTED, "", "", info.st_size, mtime)
    if stat.S_ISLNK(info.st_mode):
        return [replace(base, reason="là liên kết tắt (symlink), không phải tệp thật: không mở theo liên kết")]
    if stat.S_ISDIR(info.st_mode):
        return [replace(base, reason="không mở được thư mục này")]
    if not stat.S_ISREG(info.st_mode):
        return [replace(base, kind=FileKind.IGNORED, reason="không phải tệp thông thường")]
    ignored = ignorable(nfc(path.name))
    if ignored:
        return [replace(base, kind=FileKind.IGNORED, reason=ignored, sha256=_hash_or_empty(path))]
    bound = limits.max_container_bytes if path.suffix.lower() in CONTAINER_SUFFIXES else limits.max_member_bytes
    if info.st_size > bound:
        return [replace(base, reason=f"tệp quá lớn ({info.st_size / 1e6:.1f} MB, giới hạn {bound / 1e6:.0f} MB); "
                                     "biểu mẫu đã điền chỉ khoảng 0,1 MB: có thể gửi nhầm tệp")]
    try:
        head, digest, encrypted = _read(path)
    except OSError as exc:
        return [replace(base, reason=f"không đọc được tệp ({exc.strerror or exc})")]
    kind, reason, container = file_kind(nfc(path.name), head, encrypted)
    entry = replace(base, kind=kind, reason=reason, sha256=digest)
    if container is None:
        return [entry]
    try:
        with open_no_follow(path) as handle:
            data = handle.read(bound + 1)
    except OSError as exc:
        return [replace(entry, kind=FileKind.REJECTED, reason=f"không đọc được tệp ({exc.strerror or exc})")]
    return _open(entry, data, container, Budget(limits))


def _open(entry: FoundFile, data: bytes, container: str, budget: Budget) -> list[FoundFile]:
    """A container's entry (opened, or rejected with why) and the entries of its members."""
    try:
        members = open_container(container, data, budget)
    except ContainerError as exc:
        return [replace(entry, kind=FileKind.REJECTED, reason=exc.reason)]
    found = [replace(entry, kind=FileKind.OPENED,
                     reason=f"đã mở: {len(members)} tệp bên trong, mỗi tệp có một dòng riêng '{entry.rel}::...'")]
    for member in members:
        found.extend(_member(entry, member, budget))
    return found


def _member(parent: FoundFile, member, budget: Budget) -> list[FoundFile]:
    """The entries of one member of a container (more than one when it is a container itself)."""
    sent_at = member.sent_at or parent.sent_at
    entry = FoundFile(parent.location, f"{parent.rel}{SEPARATOR}{member.name}", FileKind.REJECTED, member.reason,
                      "", 0, parent.mtime, parent.inner + (member.name,), sent_at)
    if member.ignored:
        return [replace(entry, kind=FileKind.IGNORED)]
    if member.data is None:
        return [entry]
    data = member.data
    entry = replace(entry, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    ignored = ignorable(posixpath.basename(member.name))
    if ignored:
        return [replace(entry, kind=FileKind.IGNORED, reason=ignored)]
    kind, reason, container = file_kind(posixpath.basename(member.name), data[:1 << 16], is_encrypted_ole(data))
    entry = replace(entry, kind=kind, reason=reason)
    if container is None:
        return [entry]
    if len(entry.inner) >= budget.limits.max_depth:
        return [replace(entry, kind=FileKind.REJECTED, reason="tệp nén lồng nhau quá nhiều lớp: giải nén rồi chép "
                                                              "các tệp cần thiết vào thư mục nhận")]
    return _open(entry, data, container, budget)


def _read(path: Path) -> tuple[bytes, str, bool]:
    """The first bytes, the SHA-256, and whether an OLE file holds an encrypted package.

    A password-to-open .xlsx is an OLE container with an 'EncryptionInfo' stream; its name
    (UTF-16) is in the container's directory, wherever that lies in the file.
    """
    digest = hashlib.sha256()
    with open_no_follow(path) as handle:
        head = handle.read(1 << 16)
        digest.update(head)
        ole = head.startswith(OLE_MAGIC)
        encrypted = is_encrypted_ole(head)
        tail = head[-64:]
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            if ole and not encrypted:
                encrypted = is_encrypted_ole(head, tail + block)
                tail = block[-64:]
    return head, digest.hexdigest(), encrypted


def _hash_or_empty(path: Path) -> str:
    try:
        return _read(path)[1]
    except OSError:
        return ""


def open_no_follow(path: Path | str):
    """Open a file for reading without following a symbolic link (where the OS allows)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    return os.fdopen(os.open(path, flags), "rb")


def read_candidate(found: FoundFile, limits: ContainerLimits = ContainerLimits()) -> bytes | None:
    """The entry's bytes if they still hash to what the scan saw, else None (changed meanwhile).

    A member is read again from its outermost container, down the chain of members."""
    with open_no_follow(found.location) as handle:
        data = handle.read((limits.max_container_bytes if found.inner else found.size) + 1)
    name = Path(found.location).name
    for member in found.inner:
        kind = container_kind(name, data[:8])
        try:
            data = member_bytes(kind, data, member, limits) if kind else None
        except ContainerError:
            data = None
        if data is None:
            return None
        name = posixpath.basename(member)
    return data if hashlib.sha256(data).hexdigest() == found.sha256 else None
