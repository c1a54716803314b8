"""What a file found in the inbox is, judged from its name and first bytes (never its identity).

A workbook that may be ours is read; a container (zip, saved e-mail) is opened; a document (a
Word report, a PDF, a scan) is kept as attached to its unit; a file that should have been our
workbook and cannot be (an .xls or .ods of the form, a broken .xlsx) is rejected with what the
unit should do; anything else is ignored. Every one of them gets a row in ``submissions.csv``.
"""

from __future__ import annotations

import posixpath
from enum import StrEnum

from workbook_tools.read.containers import ZIP_MAGIC, container_kind


class FileKind(StrEnum):
    """What a file is (the values are verdicts of ``submissions.csv`` as they are)."""

    CANDIDATE = "candidate"  # may be one of our workbooks: read it
    ATTACHED = "attached"    # a document sent with the workbook (report, scan): kept, not read
    OPENED = "opened"        # a zip or saved e-mail: opened, its members have rows of their own
    IGNORED = "ignored"      # not a submission at all (lock file, system file, other files)
    REJECTED = "rejected"    # meant as a submission but cannot carry our data


LOCK_PREFIXES = ("~$", ".~lock.")
SYSTEM_FILES = {"thumbs.db", "desktop.ini", ".ds_store"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".csv"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
DOCUMENT_SUFFIXES = {".doc", ".docx", ".docm", ".odt", ".rtf", ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".tif",
                     ".tiff", ".bmp", ".heic", ".webp"}
CONTAINER_SUFFIXES = {".zip", ".eml", ".mht", ".rar", ".7z"}
ATTACHED_REASON = "tài liệu gửi kèm (báo cáo, văn bản, ảnh chụp): lưu lại, không dùng để tính điểm"


def ignorable(name: str) -> str:
    """Why a file is ignored by its name alone (lock and system files), or ''."""
    if name.startswith(LOCK_PREFIXES):
        return "tệp khóa tạm do Excel/LibreOffice tạo khi đang mở tệp"
    if name.lower() in SYSTEM_FILES:
        return "tệp hệ thống của Windows/macOS"
    if name.startswith("._"):
        return "tệp phụ do máy Mac tạo khi chép tệp (không phải tệp được gửi)"
    return ""


def file_kind(name: str, head: bytes, encrypted: bool) -> tuple[FileKind, str, str | None]:
    """(kind, reason, container kind) of a file from its name and first bytes."""
    suffix = posixpath.splitext(name.lower())[1]
    container = container_kind(name, head)
    if container:
        return FileKind.OPENED, "", container
    if head.startswith(ZIP_MAGIC):
        return (*_zip_kind(suffix), None)
    if head.startswith(OLE_MAGIC):
        return (*_ole_kind(suffix, encrypted), None)
    if suffix in WORKBOOK_SUFFIXES:
        if not head:
            return FileKind.REJECTED, "tệp rỗng (0 byte): đề nghị đơn vị gửi lại", None
        return (FileKind.REJECTED, "tên tệp là .xlsx nhưng nội dung không phải bảng tính Excel (tệp hỏng hoặc bị "
                "đổi đuôi)", None)
    if suffix in SPREADSHEET_SUFFIXES:
        return FileKind.REJECTED, f"định dạng {suffix} không giữ được dữ liệu nhận diện của biểu mẫu", None
    if suffix in DOCUMENT_SUFFIXES:
        return FileKind.ATTACHED, ATTACHED_REASON, None
    return FileKind.IGNORED, "không phải bảng tính, không phải tài liệu báo cáo: không dùng để tổng hợp", None


def _zip_kind(suffix: str) -> tuple[FileKind, str]:
    if suffix == ".ods":
        return FileKind.REJECTED, ("tệp .ods (LibreOffice) không giữ được dữ liệu nhận diện của biểu mẫu; "
                                   "mở tệp gốc .xlsx, điền và lưu dạng Excel 2007-365 (.xlsx)")
    if suffix in DOCUMENT_SUFFIXES:
        return FileKind.ATTACHED, ATTACHED_REASON
    return FileKind.CANDIDATE, ""


def _ole_kind(suffix: str, encrypted: bool) -> tuple[FileKind, str]:
    if encrypted:
        return FileKind.REJECTED, "tệp đã đặt mật khẩu mở tệp: đề nghị đơn vị bỏ mật khẩu rồi gửi lại"
    if suffix == ".msg":
        return FileKind.REJECTED, ("thư Outlook (.msg) không mở được ở đây: mở thư trong Outlook, lưu các tệp đính "
                                   "kèm vào thư mục nhận (hoặc lưu thư dạng .eml)")
    if suffix in SPREADSHEET_SUFFIXES:
        return FileKind.REJECTED, ("tệp Excel 97-2003 (.xls) không giữ được dữ liệu nhận diện của biểu mẫu; "
                                   "đề nghị đơn vị điền vào tệp .xlsx đã nhận và lưu dạng .xlsx")
    if suffix in DOCUMENT_SUFFIXES:
        return FileKind.ATTACHED, ATTACHED_REASON
    return FileKind.IGNORED, "không phải bảng tính (tài liệu Office cũ, ví dụ .ppt)"


def is_encrypted_ole(head: bytes, rest: bytes = b"") -> bool:
    """Whether an OLE file holds an encrypted package (a password-to-open .xlsx)."""
    return head.startswith(OLE_MAGIC) and ENCRYPTED_MARK in head + rest
