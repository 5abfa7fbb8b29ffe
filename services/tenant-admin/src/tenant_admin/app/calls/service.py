"""The call log pages: filters as operators type them, a keyset cursor for "More", the switch
and every look at a call's bodies in the audit trail (they hold customers' invoices)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncConnection

from tenant_admin.app.packages.service import first_moment
from tenant_admin.audit import service as audit
from tenant_admin.audit.service import Actor, Subject
from tenant_admin.calllog import service as calllog
from tenant_admin.calllog.service import CallFilters, CallRecord, CallSummary
from tenant_admin.tenants.schemas import TenantDetail
from webkit.formats import parse_day

PAGE = 50
_STATUS = re.compile(r"^([1-5])(\d\d|xx)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class CallQuery:
    """The filters as typed (shown back in the form, carried by "More")."""

    since: str = ""
    until: str = ""
    status: str = ""
    path: str = ""

    def filters(self) -> CallFilters:
        start, end = parse_day(self.since), parse_day(self.until)
        return CallFilters(
            since=first_moment(start) if start else None,
            until=first_moment(end + timedelta(days=1)) if end else None,
            statuses=_statuses(self.status),
            path=self.path.strip() or None,
        )

    @property
    def params(self) -> str:
        values = {"since": self.since, "until": self.until, "status": self.status,
                  "path": self.path}  # fmt: skip
        return urlencode({k: v for k, v in values.items() if v})


def _statuses(text: str) -> tuple[int, int] | None:
    """``404`` → that one; ``4xx`` → 400–499; anything else: no filter."""
    found = _STATUS.match(text.strip())
    if not found:
        return None
    if found.group(2).lower() == "xx":
        low = int(found.group(1)) * 100
        return low, low + 99
    status = int(text.strip())
    return status, status


def cursor_of(call: CallSummary) -> str:
    return f"{call.at.isoformat()}|{call.id}"


def parse_cursor(text: str) -> tuple[datetime, int] | None:
    at, _, ident = text.partition("|")
    try:
        return datetime.fromisoformat(at), int(ident)
    except ValueError:
        return None


async def page(
    conn: AsyncConnection, user: TenantDetail, query: CallQuery, after: str
) -> tuple[list[CallSummary], str | None]:
    """One page of calls and the cursor of the next (None: no more)."""
    found = await calllog.calls(
        conn, user.tenant_id, query.filters(), parse_cursor(after), PAGE + 1
    )
    shown = found[:PAGE]
    return shown, cursor_of(shown[-1]) if len(found) > PAGE else None


async def one(
    conn: AsyncConnection, actor: Actor, user: TenantDetail, call_id: int
) -> CallRecord | None:
    found = await calllog.call(conn, user.tenant_id, call_id)
    if found is not None:
        subject = Subject(user.tenant_id, user.username)
        await audit.record(conn, actor, "call.viewed", subject, call_id=call_id)
    return found


async def switch(conn: AsyncConnection, actor: Actor, user: TenantDetail, on: bool) -> None:
    if await calllog.switch(conn, user.tenant_id, on):
        action = "call_log.on" if on else "call_log.off"
        await audit.record(conn, actor, action, Subject(user.tenant_id, user.username))
