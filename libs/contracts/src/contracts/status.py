"""The platform's state as an ERP sees it (``GET /status`` through the gateway, no call spent):
what it shows its users during a myDATA outage.

mydata-sync answers ``GET STATUS_PATH`` with :class:`MydataStatus` (with ``X-Tenant-Id`` and a
tenant-bound token, also that customer's own backlog); the gateway adds its own view.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

STATUS_PATH = "/internal/status"

Circuit = Literal["closed", "half_open", "open"]
Overall = Literal["ok", "degraded", "unavailable"]


class MydataStatus(BaseModel):
    model_config = ConfigDict(extra="forbid")

    circuit: Circuit  # open: calls to myDATA are not even tried; invoices get temporary strings
    last_success_at: datetime | None  # the last answer from myDATA (None: none since start)
    last_failure_at: datetime | None
    backlog: int  # invoices of all customers waiting for myDATA (pending, deferred, in flight)
    oldest_waiting_since: datetime | None
    customer_backlog: int | None = None  # the asking customer's own, when one is named


class PlatformStatus(BaseModel):
    """The body of ``GET /status``."""

    model_config = ConfigDict(extra="forbid")

    status: Overall  # degraded: invoices are issued with temporary strings, sent later
    checked_at: datetime
    accepting_invoices: bool
    mydata: MydataStatus | None  # None when the platform cannot tell (mydata-sync unreachable)
    message: str  # one sentence for the ERP's user, in the language asked for
