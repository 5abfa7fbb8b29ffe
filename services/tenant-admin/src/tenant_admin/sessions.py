"""What the server-side sessions of both sites share (the portal's users, the admin app's
operators): the id is 32 random bytes, shown once (the site's cookie) and stored only as its
SHA-256; a new one at every login (no session fixation); an idle limit and an absolute one."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SessionLimits:
    idle_s: int  # ended after this long without a request
    max_s: int  # ended this long after login, however busy


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def hash_session_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()
