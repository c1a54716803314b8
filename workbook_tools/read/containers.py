"""Containers found in an inbox: zip archives and saved e-mails, opened in memory, never on disk.

A container's members are read under bounds (``ContainerLimits``): how many members, how large
each may be when unpacked, how much a whole container may unpack to, how deep containers may
nest, and the compression ratio of large members (a zip bomb is refused before it is inflated).
Each member comes back with its bytes or with the reason it was not read, so the inbox walk can
account for every one of them.

Names inside zips made by Windows' own "compressed folder" carry no UTF-8 flag and are in the
system's OEM code page (cp1258 on a Vietnamese Windows); 7-Zip and WinRAR write UTF-8, sometimes
without the flag. Names are decoded as UTF-8 when they are valid UTF-8, else as cp1258.
"""

from __future__ import annotations

import datetime as dt
import email
import importlib
import io
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass

from workbook_tools.problems import nfc
from workbook_tools.read.xlsx import read_zip_part

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
RAR_MAGIC = b"Rar!\x1a\x07"
SEVEN_ZIP_MAGIC = b"7z\xbc\xaf\x27\x1c"
MAIL_BROKEN = ("thư điện tử lưu lại (.eml) bị hỏng, không đọc được: lưu lại thư rồi chép vào thư mục nhận, hoặc "
               "lưu riêng các tệp đính kèm")
OEM_CODE_PAGE = "cp1258"  # Vietnamese Windows: the code page of names its own zip writer stores


@dataclass(frozen=True)
class ContainerLimits:
    """Bounds a container is opened within (members are also held to the file size limit)."""

    max_container_bytes: int = 60_000_000  # an e-mail of 25 MB attachments, base64: about 34 MB
    max_member_bytes: int = 20_000_000
    max_total_bytes: int = 200_000_000     # unpacked, over a container and everything nested in it
    max_members: int = 1_000
    max_depth: int = 3                     # a.zip::b.zip::c.zip::d.xlsx is three containers deep
    max_ratio: int = 200


@dataclass(frozen=True)
class Member:
    """One file inside a container: its bytes, or why it was not read."""

    name: str                     # its path inside the container, '/'-separated, NFC, unique in it
    data: bytes | None
    reason: str                   # why not read ('' when read)
    sent_at: dt.datetime | None   # for an e-mail attachment: when the e-mail was sent (Date header)
    ignored: bool = False         # not a file anyone sent (the '__MACOSX' folder macOS adds to zips)


class ContainerError(Exception):
    """The container itself cannot be opened; ``reason`` says what the officer should do."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Budget:
    """What is left of the allowance of one outermost container, shared by everything nested in it:
    bytes unpacked and entries listed (a zip of zips may not multiply either)."""

    def __init__(self, limits: ContainerLimits):
        self.limits = limits
        self.left = limits.max_total_bytes
        self.entries_left = limits.max_members

    def take(self, size: int) -> bool:
        """Use ``size`` bytes of the allowance; False (and nothing used) when it does not fit."""
        if size > self.left:
            return False
        self.left -= size
        return True

    def list(self, count: int) -> bool:
        """Use ``count`` entries of the allowance; False (and nothing used) when they do not fit."""
        if count > self.entries_left:
            return False
        self.entries_left -= count
        return True


def container_kind(name: str, head: bytes) -> str | None:
    """'zip', 'eml', 'rar', '7z' or None, from a file's name and first bytes."""
    suffix = posixpath.splitext(name.lower())[1]
    if head.startswith(RAR_MAGIC) or suffix == ".rar":
        return "rar"
    if head.startswith(SEVEN_ZIP_MAGIC) or suffix == ".7z":
        return "7z"
    if suffix in (".eml", ".mht") and not head.startswith(ZIP_MAGIC):
        return "eml"
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)) and suffix in (".zip", ""):
        return "zip"
    return None


def open_container(kind: str, data: bytes, budget: Budget) -> list[Member]:
    """Every member of a container; raises ContainerError when the container cannot be opened."""
    if kind in ("rar", "7z"):
        raise ContainerError(f"tệp nén {kind.upper()} không mở được ở đây: giải nén bằng 7-Zip hoặc WinRAR rồi "
                             "chép các tệp bên trong vào thư mục nhận")
    if len(data) > budget.limits.max_container_bytes:
        raise ContainerError(f"tệp quá lớn để mở ({len(data) / 1e6:.1f} MB, giới hạn "
                             f"{budget.limits.max_container_bytes / 1e6:.0f} MB): giải nén rồi chép các tệp cần "
                             "thiết vào thư mục nhận")
    return _zip_members(data, budget) if kind == "zip" else _mail_members(data, budget)


def member_bytes(kind: str, data: bytes, name: str, limits: ContainerLimits) -> bytes | None:
    """The bytes of one member (found by the name ``open_container`` gave it), or None; a zip
    member is unpacked alone, never the whole archive again."""
    if kind == "zip":
        return _zip_member_bytes(data, name, limits)
    found = next((m for m in open_container(kind, data, Budget(limits)) if m.name == name), None)
    return found.data if found is not None else None


# ----- zip ------------------------------------------------------------------------------------


MAC_JUNK = ("__MACOSX/",)


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, UnicodeDecodeError, struct.error,
            OverflowError, OSError):
        raise ContainerError("tệp nén bị hỏng, không mở được: đề nghị đơn vị gửi lại") from None


def _entries(archive: zipfile.ZipFile) -> list[tuple[str, zipfile.ZipInfo, bool]]:
    """(unique name, entry, is a repeat of an earlier name) for every file entry, in order."""
    entries, seen = [], set()
    for info in archive.infolist():
        if info.is_dir():
            continue
        name, number = _member_name(info), 2
        unique = name
        while unique in seen:
            unique, number = f"{name} [{number}]", number + 1
        seen.add(unique)
        entries.append((unique, info, unique != name))
    return entries


def _zip_members(data: bytes, budget: Budget) -> list[Member]:
    with _open_zip(data) as archive:
        entries = _entries(archive)
        if len(entries) > budget.limits.max_members or not budget.list(len(entries)):
            raise ContainerError(f"tệp nén có quá nhiều tệp ({len(entries)}, kể cả các tệp nén bên trong): có thể là "
                                 "tệp độc hại; giải nén rồi chép các tệp cần thiết vào thư mục nhận")
        members = []
        for name, info, repeated in entries:
            if name.startswith(MAC_JUNK) or posixpath.basename(name).startswith("._"):
                members.append(Member(name, None, "tệp phụ do máy Mac thêm vào tệp nén, không phải tệp được gửi",
                                      None, ignored=True))
            elif repeated:
                members.append(Member(name, None, "tệp nén có hai tệp trùng tên: tệp bị hỏng hoặc bị sửa", None))
            else:
                found = _zip_member(archive, info, name, budget)
                members.append(Member(name, found, "", None) if isinstance(found, bytes)
                               else Member(name, None, found, None))
    return members


def _zip_member_bytes(data: bytes, name: str, limits: ContainerLimits) -> bytes | None:
    with _open_zip(data) as archive:
        for unique, info, repeated in _entries(archive):
            if unique == name and not repeated:
                found = _zip_member(archive, info, name, Budget(limits))
                return found if isinstance(found, bytes) else None
    return None


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its writer meant it (see the module docstring), NFC, '/'-separated."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437")
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            name = raw.decode(OEM_CODE_PAGE, errors="replace")
    return nfc(name.replace("\\", "/"))


def _zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: Budget) -> bytes | str:
    """The member's bytes, or why it is not read."""
    if _escapes(name):
        return ("tên tệp trong tệp nén trỏ ra ngoài thư mục (có '..' hoặc đường dẫn tuyệt đối): tệp nén có thể "
                "độc hại, không đọc tệp này")
    if info.flag_bits & 0x1:
        return "tệp trong tệp nén có mật khẩu: đề nghị đơn vị gửi tệp nén không đặt mật khẩu (hoặc gửi riêng tệp)"
    limits = budget.limits
    if info.file_size > limits.max_member_bytes:
        return f"tệp quá lớn khi giải nén ({info.file_size / 1e6:.1f} MB): có thể là tệp độc hại (zip bomb)"
    if info.file_size > 1_000_000 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        return "tỉ lệ nén bất thường: có thể là tệp độc hại (zip bomb)"
    if not budget.take(info.file_size):
        return "tổng dung lượng giải nén của tệp nén quá lớn: có thể là tệp độc hại (zip bomb)"
    try:
        return read_zip_part(archive, info)
    except (zipfile.BadZipFile, EOFError, zlib.error, ValueError, OSError):
        return "tệp trong tệp nén bị hỏng (không giải nén được): đề nghị đơn vị gửi lại"
    except NotImplementedError:
        return "tệp trong tệp nén dùng kiểu nén không hỗ trợ: giải nén bằng 7-Zip rồi chép tệp vào thư mục nhận"
    except RuntimeError:
        return "tệp trong tệp nén có mật khẩu: đề nghị đơn vị gửi tệp nén không đặt mật khẩu (hoặc gửi riêng tệp)"


def _escapes(name: str) -> bool:
    """Whether a member's path would leave the folder it is unpacked in."""
    return (name.startswith("/") or (len(name) > 1 and name[1] == ":")
            or ".." in name.split("/"))


# ----- e-mail ---------------------------------------------------------------------------------


def _mail_members(data: bytes, budget: Budget) -> list[Member]:
    # the parts of ``email`` that read a message cost more to import than a collection takes to start,
    # and few inboxes hold saved e-mails: loaded on the first one (benchmarks/startup.py)
    policy, message_type = importlib.import_module("email.policy"), importlib.import_module("email.message")
    try:
        message = email.message_from_bytes(data, policy=policy.default)
    except Exception:  # noqa: BLE001 - the parser of a hostile e-mail may fail in any way
        raise ContainerError(MAIL_BROKEN) from None
    sent_at = _sent_at(message)
    try:
        parts = list(_attachments(message))
    except Exception:  # noqa: BLE001 - a hostile e-mail's structure may fail in any way
        raise ContainerError(MAIL_BROKEN) from None
    if not budget.list(len(parts)):
        raise ContainerError("thư có quá nhiều tệp đính kèm: có thể là tệp độc hại")
    members, used = [], set()
    for index, part in enumerate(parts, start=1):
        try:
            name = _attachment_name(part, index, used)
        except Exception:  # noqa: BLE001 - a broken file name: the attachment keeps a made-up one
            name = _attachment_name(message_type.EmailMessage(), index, used)
        try:
            body = part.get_payload(decode=True) or b""  # the attachment's bytes, whatever its declared type
        except Exception:  # noqa: BLE001 - a broken attachment is one member's problem, not the run's
            members.append(Member(name, None, "tệp đính kèm bị hỏng, không đọc được: đề nghị đơn vị gửi lại", sent_at))
            continue
        if len(body) > budget.limits.max_member_bytes or not budget.take(len(body)):
            members.append(Member(name, None, "tệp đính kèm quá lớn", sent_at))
            continue
        members.append(Member(name, bytes(body), "", sent_at))
    return members


def _attachments(message: email.message.EmailMessage):
    """Every part that is a file (an attachment, or an inline part with a file name), in order;
    the attachments of a forwarded e-mail inside are taken as this e-mail's own."""
    for part in message.walk():
        if part.is_multipart():
            continue
        if part.get_filename() or part.get_content_disposition() == "attachment":
            yield part


def _attachment_name(part: email.message.EmailMessage, index: int, used: set[str]) -> str:
    name = nfc((part.get_filename() or f"tep-dinh-kem-{index}").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    name = name or f"tep-dinh-kem-{index}"
    unique, number = name, 2
    while unique in used:
        stem, dot, suffix = name.rpartition(".")
        unique = f"{stem} ({number}).{suffix}" if dot else f"{name} ({number})"
        number += 1
    used.add(unique)
    return unique


def _sent_at(message: email.message.EmailMessage) -> dt.datetime | None:
    """The e-mail's Date header, or None when absent or unreadable; naive when it names no zone
    (the reader of the campaign puts it in the campaign's time zone, never in UTC)."""
    try:
        value = message["Date"]
        moment = importlib.import_module("email.utils").parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    return moment
