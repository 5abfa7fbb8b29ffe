"""Answers of the resend API (the operators' resend list, SPEC ADMIN-8)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from mydata_sync.transmissions.schemas import ErrorOut, VisibleState


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
    ok: bool  # True: left the list (transmitted) — or was already settled
    message: str
    mark: str | None = None
    authentication_code: str | None = None
    errors: list[ErrorOut] = []


class ResendReport(BaseModel):
    total: int
    transmitted: int
    rejected: int
    deferred: int
    results: list[ResendResult]
