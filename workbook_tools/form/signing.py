"""A keyed digest over each workbook's embedded identity, so a forged identity is detected.

At generation every workbook's identity (campaign, unit, file id, forms and their content
hashes ...) is signed with HMAC-SHA256 under a district secret key. The key lives in a file
beside the campaign (``secret_key_file``, by default ``khoa-bi-mat.key``), is created by the
first ``generate`` and is never written into any workbook. At collection the signature is
recomputed: a unit that edits its unit code, campaign or file id (in the hidden sheet, the
document properties or both) cannot produce a valid signature without the key.

What it does not prove: who filled a file. A unit that fills another unit's genuine blank
file submits as that unit; the collector flags it when both files arrive (same file id,
different content) or when the file name names another unit.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from workbook_tools.problems import Problem, WorkbookToolsError, make_problem

SIGNATURE_KEY = "signature"


def payload(meta: dict[str, str]) -> bytes:
    """The canonical bytes signed: every key=value except the signature, sorted by key."""
    lines = [f"{key}={meta[key]}" for key in sorted(meta) if key != SIGNATURE_KEY]
    return "\n".join(lines).encode("utf-8")


def sign(meta: dict[str, str], key: bytes) -> str:
    """Hex HMAC-SHA256 of the identity."""
    return hmac.new(key, payload(meta), hashlib.sha256).hexdigest()


def verify(meta: dict[str, str], key: bytes) -> bool:
    """Whether the embedded signature matches the identity (constant-time compare)."""
    return hmac.compare_digest(meta.get(SIGNATURE_KEY, ""), sign(meta, key))


def load_key(path: Path) -> bytes | None:
    """The secret key from its file (hex text), or None when the file does not exist."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    return bytes.fromhex(text)


def load_or_create_key(path: Path) -> tuple[bytes, bool]:
    """The key, creating the file (readable by its owner only) if missing; flag says created."""
    key = load_key(path)
    if key is not None:
        return key, False
    key = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return key, True


def campaign_key(key_file: Path) -> tuple[bytes | None, list[Problem]]:
    """The key for checking signatures, with a warning when it is missing; bad file raises."""
    try:
        key = load_key(key_file)
    except (ValueError, UnicodeDecodeError, OSError):
        raise WorkbookToolsError([make_problem("SECRET_KEY_BAD", path=str(key_file))]) from None
    if key is None:
        return None, [make_problem("SECRET_KEY_MISSING", path=str(key_file))]
    return key, []
