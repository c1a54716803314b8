"""Walk an inbox folder: every file found, what kind it is, its hash and its times.

Nothing in the inbox is ever written, moved or followed out of: files are opened read-only,
symbolic links are reported and never followed. The walk order is sorted, so the result does
not depend on the order the file system lists entries in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from workbook_tools.problems import nfc


class FileKind(StrEnum):
    """What a file is, judged from its name and first bytes (never trusted for identity)."""

    CANDIDATE = "candidate"  # may be one of our workbooks: read it
    IGNORED = "ignored"      # not a submission at all (lock file, system file, other documents)
    REJECTED = "rejected"    # meant as a submission but cannot carry our data


LOCK_PREFIXES = ("~$", ".~lock.")
SYSTEM_FILES = {"thumbs.db", "desktop.ini", ".ds_store"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".csv"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}


@dataclass(frozen=True, slots=True)
class FoundFile:
    """One entry of the inbox, before its content is checked."""

    location: str       # the path as the system gives it (a string: 10,000 Path objects weigh 4 MB)
    rel: str            # path relative to the inbox, '/'-separated, NFC
    kind: FileKind
    reason: str         # why ignored or rejected (Vietnamese)
    sha256: str         # empty when the file could not be read
    size: int
    mtime: dt.datetime | None

    @property
    def path(self) -> Path:
        """Where the file is."""
        return Path(self.location)


def scan_inbox(inbox: Path, max_bytes: int = 20_000_000) -> list[FoundFile]:
    """Every file under the inbox (subfolders too), sorted by relative path.

    Folders are walked, not listed, except an unreadable folder and a folder named like a
    workbook ('x.xlsx'), which get a verdict of their own. Files larger than max_bytes are
    rejected without being read.
    """
    found = []
    for path, is_dir in _walk(inbox, inbox):
        found.append(_classify(inbox, path, max_bytes) if not is_dir else _folder(inbox, path))
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


def _classify(inbox: Path, path: Path, max_bytes: int) -> FoundFile:
    rel = nfc(path.relative_to(inbox).as_posix())
    name = nfc(path.name)
    try:
        info = path.lstat()
    except OSError as exc:
        return FoundFile(os.fspath(path), rel, FileKind.REJECTED, f"không đọc được tệp ({exc.strerror})", "", 0,
                         None)
    mtime = dt.datetime.fromtimestamp(info.st_mtime, tz=dt.timezone.utc)
    base = dict(location=os.fspath(path), rel=rel, size=info.st_size, mtime=mtime)
    if stat.S_ISLNK(info.st_mode):
        return FoundFile(**base, kind=FileKind.REJECTED, sha256="",
                         reason="là liên kết tắt (symlink), không phải tệp thật: không mở theo liên kết")
    if stat.S_ISDIR(info.st_mode):
        return FoundFile(**base, kind=FileKind.REJECTED, sha256="", reason="không mở được thư mục này")
    if not stat.S_ISREG(info.st_mode):
        return FoundFile(**base, kind=FileKind.IGNORED, sha256="", reason="không phải tệp thông thường")
    if name.startswith(LOCK_PREFIXES):
        return FoundFile(**base, kind=FileKind.IGNORED, sha256=_hash_or_empty(path),
                         reason="tệp khóa tạm do Excel/LibreOffice tạo khi đang mở tệp")
    if name.lower() in SYSTEM_FILES:
        return FoundFile(**base, kind=FileKind.IGNORED, sha256=_hash_or_empty(path),
                         reason="tệp hệ thống của Windows/macOS")
    if info.st_size > max_bytes:
        return FoundFile(**base, kind=FileKind.REJECTED, sha256="",
                         reason=f"tệp quá lớn ({info.st_size / 1e6:.1f} MB, giới hạn {max_bytes / 1e6:.0f} MB); "
                                "biểu mẫu đã điền chỉ khoảng 0,1 MB: có thể gửi nhầm tệp")
    try:
        head, digest, encrypted = _read(path)
    except OSError as exc:
        return FoundFile(**base, kind=FileKind.REJECTED, sha256="",
                         reason=f"không đọc được tệp ({exc.strerror or exc})")
    kind, reason = _kind(name, head, encrypted)
    return FoundFile(**base, kind=kind, reason=reason, sha256=digest)


def _kind(name: str, head: bytes, encrypted: bool) -> tuple[FileKind, str]:
    suffix = Path(name).suffix.lower()
    if head.startswith(ZIP_MAGIC):
        if suffix == ".ods":
            return FileKind.REJECTED, ("tệp .ods (LibreOffice) không giữ được dữ liệu nhận diện của biểu mẫu; "
                              "mở tệp gốc .xlsx, điền và lưu dạng Excel 2007-365 (.xlsx)")
        return FileKind.CANDIDATE, ""
    if head.startswith(OLE_MAGIC):
        if encrypted:
            return FileKind.REJECTED, "tệp đã đặt mật khẩu mở tệp: đề nghị đơn vị bỏ mật khẩu rồi gửi lại"
        if suffix in SPREADSHEET_SUFFIXES:
            return FileKind.REJECTED, ("tệp Excel 97-2003 (.xls) không giữ được dữ liệu nhận diện của biểu mẫu; "
                              "đề nghị đơn vị điền vào tệp .xlsx đã nhận và lưu dạng .xlsx")
        return FileKind.IGNORED, "không phải bảng tính (tài liệu Office cũ, ví dụ .doc)"
    if suffix in {".xlsx", ".xlsm"}:
        if not head:
            return FileKind.REJECTED, "tệp rỗng (0 byte): đề nghị đơn vị gửi lại"
        return FileKind.REJECTED, "tên tệp là .xlsx nhưng nội dung không phải bảng tính Excel (tệp hỏng hoặc bị đổi đuôi)"
    if suffix in SPREADSHEET_SUFFIXES:
        return FileKind.REJECTED, f"định dạng {suffix} không giữ được dữ liệu nhận diện của biểu mẫu"
    return FileKind.IGNORED, "không phải bảng tính (ví dụ văn bản, ảnh, PDF): không dùng để tổng hợp"


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
        encrypted = ole and ENCRYPTED_MARK in head
        tail = head[-64:]
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            if ole and not encrypted:
                encrypted = ENCRYPTED_MARK in tail + block
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


def read_candidate(found: FoundFile) -> bytes | None:
    """The file's bytes if they still hash to what the scan saw, else None (changed meanwhile)."""
    with open_no_follow(found.location) as handle:
        data = handle.read(found.size + 1)
    return data if hashlib.sha256(data).hexdigest() == found.sha256 else None
