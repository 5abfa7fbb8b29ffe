"""mydata-sync's resend API (SPEC ADMIN-8), as the admin app of tenant-admin calls it: the
deferred transmissions of every customer, resending one, resending all.

``GET RESEND_PATH?limit&offset`` → ``ResendPage``; ``POST RESEND_PATH/{transmission_id}`` →
``ResendResult`` (404 for an unknown id); ``POST RESEND_ALL_PATH`` → ``ResendReport``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

RESEND_PATH = "/internal/resend"
RESEND_ALL_PATH = "/internal/resend-all"

# What outsiders see of a transmission: in flight or pending reads as deferred (no MARK yet).
VisibleState = Literal["transmitted", "deferred", "rejected"]


def resend_one_path(transmission_id: int) -> str:
    return f"{RESEND_PATH}/{transmission_id}"


class ResendError(BaseModel):
    """One business error myDATA answered with."""

    code: str
    message: str


class ResendItem(BaseModel):
    transmission_id: int
    tenant_id: str
    customer_username: str
    uid: str
    temporary_code: str
    last_attempt_at: datetime | None
    attempts: int
    last_error: str | None


class ResendPage(BaseModel):
    items: list[ResendItem]
    total: int
    limit: int
    offset: int


class ResendResult(BaseModel):
    transmission_id: int
    tenant_id: str
    uid: str
    state: VisibleState
    ok: bool  # True: left the list (transmitted) — or was already final
    message: str
    mark: str | None = None
    authentication_code: str | None = None
    errors: list[ResendError] = []


class ResendReport(BaseModel):
    total: int
    transmitted: int
    rejected: int
    deferred: int
    results: list[ResendResult]
