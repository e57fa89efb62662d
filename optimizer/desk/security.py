"""Who may use the desk: a random token as Jupyter does, a password off the loopback, CSRF.

The token (printed once, on the terminal that started the desk) opens a
browser session: the page's link carries it once, the server answers with an
``HttpOnly``, ``SameSite=Strict`` session cookie and sends the browser on to
the same page without it, so the token stays out of the history. Scripts send
``Authorization: Bearer TOKEN`` and need nothing else. A request from the
page that changes something (a POST with the cookie) must also carry the
session's own cross-site token (``X-Desk-CSRF`` header or ``csrf`` field),
and an ``Origin`` that is this server. The password (for a non-loopback
address) is kept only as a salted scrypt hash.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

SESSION_COOKIE = "desk_session"
CSRF_HEADER = "x-desk-csrf"


class DeskRefused(ValueError):
    """The desk will not start as asked (a public address without a password)."""


def is_loopback(host: str) -> bool:
    """``127.0.0.1``, ``::1``, ``localhost``: reachable from this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class PasswordHash:
    """A salted scrypt hash; the password itself is never kept."""

    salt: bytes
    digest: bytes

    @classmethod
    def of(cls, password: str) -> PasswordHash:
        salt = secrets.token_bytes(16)
        return cls(salt, _scrypt(password, salt))

    def matches(self, password: str) -> bool:
        return hmac.compare_digest(_scrypt(password, self.salt), self.digest)


def _scrypt(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**14, r=8, p=1, dklen=32)


def read_password_file(path: Path) -> PasswordHash:
    """The first line of ``path``, hashed at once.

    Raises
    ------
    DeskRefused
        The file cannot be read or its first line is empty.
    """
    try:
        first = path.read_text(encoding="utf-8").splitlines()[:1]
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.__class__.__name__
        raise DeskRefused(f"--password-file {path}: cannot be read ({why})") from None
    if not first or not first[0].strip():
        raise DeskRefused(f"--password-file {path}: its first line is empty")
    return PasswordHash.of(first[0].strip())


def check_host(host: str, password: PasswordHash | None) -> None:
    """Refuse a non-loopback address without a password: patient data on the network."""
    if not is_loopback(host) and password is None:
        raise DeskRefused(
            f"--host {host} is reachable from other machines: give --password-file FILE "
            "(or keep the default 127.0.0.1)"
        )


class Gate:
    """The token, the password hash and the browser sessions (in memory: a restart asks again)."""

    def __init__(self, token: str | None = None, password: PasswordHash | None = None) -> None:
        self.token = token or secrets.token_urlsafe(32)
        self.password = password
        self._sessions: dict[str, str] = {}  # session id -> its cross-site token
        self._lock = threading.Lock()

    def token_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def bearer_ok(self, authorization: str | None) -> bool:
        if not authorization or not authorization.lower().startswith("bearer "):
            return False
        return self.token_ok(authorization[7:].strip())

    def new_session(self) -> str:
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[sid] = secrets.token_urlsafe(32)
        return sid

    def csrf_of(self, sid: str | None) -> str | None:
        if sid is None:
            return None
        with self._lock:
            return self._sessions.get(sid)

    def csrf_ok(self, sid: str | None, given: str | None) -> bool:
        expected = self.csrf_of(sid)
        return (
            expected is not None
            and given is not None
            and hmac.compare_digest(expected.encode(), given.encode())
        )


def same_origin(origin: str | None, host_header: str | None) -> bool:
    """True when the request's ``Origin`` (if the browser sent one) is this server."""
    if origin is None:
        return True  # same-origin GET-like navigations; the CSRF token still decides
    if origin == "null" or host_header is None:
        return False
    return urlsplit(origin).netloc.lower() == host_header.lower()
