"""Guarding a local web server that every web page the officer opens can reach.

- Only the loopback address and our port are accepted as ``Host`` (no DNS rebinding).
- A random token made at start, carried in the printed address once and then in a cookie: without
  it no page shows data.
- Every request that changes something must come from our own pages: same ``Origin`` and a CSRF
  token derived from the session token.
- Uploaded file names never leave the inbox folder.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

COOKIE = "wt_token"
SAFE_METHODS = {"GET", "HEAD"}
RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)} | {f"LPT{i}" for i in range(1, 10)}
REFUSED = ("<!doctype html><meta charset='utf-8'><title>Không mở được</title>"
           "<p>Trang này chỉ mở được từ địa chỉ mà lệnh <b>workbook-tools app</b> in ra trên máy này. "
           "Hãy mở lại đúng địa chỉ đó (có cả phần <code>?token=...</code>).</p>")


def new_token() -> str:
    """A fresh random session token."""
    return secrets.token_urlsafe(24)


def csrf_token(token: str) -> str:
    """The form token of a session (derived, so nothing more is kept)."""
    return hmac.new(token.encode(), b"csrf", hashlib.sha256).hexdigest()[:32]


class Guard(BaseHTTPMiddleware):
    """Host, token and origin checks before any route runs."""

    def __init__(self, app, token: str, port: int):
        super().__init__(app)
        self.token, self.port = token, port
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}

    async def dispatch(self, request: Request, call_next) -> Response:
        if request.headers.get("host", "") not in self.hosts:
            return HTMLResponse(REFUSED, status_code=421)
        given = request.query_params.get("token")
        if given is not None:
            if not hmac.compare_digest(given, self.token):
                return HTMLResponse(REFUSED, status_code=403)
            response = RedirectResponse(request.url.path, status_code=303)
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict")
            return response
        if not hmac.compare_digest(request.cookies.get(COOKIE, ""), self.token):
            return HTMLResponse(REFUSED, status_code=403)
        if request.method not in SAFE_METHODS and not self._same_origin(request):
            return HTMLResponse(REFUSED, status_code=403)
        return await call_next(request)

    def _same_origin(self, request: Request) -> bool:
        origin = request.headers.get("origin")
        if origin is not None and origin not in {f"http://{host}" for host in self.hosts}:
            return False
        return hmac.compare_digest(request.headers.get("x-csrf-token", ""), csrf_token(self.token))


def safe_name(name: str) -> str | None:
    """An uploaded file's name as it may be stored in the inbox, or None when it cannot be."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r'[<>:"|?*\x00-\x1f]', "_", name).strip().rstrip(".")
    if not name or name in (".", "..") or name.split(".")[0].upper() in RESERVED:
        return None
    return name[:150]
