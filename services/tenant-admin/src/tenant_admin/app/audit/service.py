"""The audit trail page: filters as typed, a keyset cursor for "More", and the words each action
is shown with in the operator's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncConnection

from tenant_admin.app.calls.service import parse_cursor
from tenant_admin.app.packages.service import first_moment
from tenant_admin.audit import service as audit
from tenant_admin.audit.service import Action, AuditFilters
from webkit.formats import parse_day
from webkit.i18n import N_

PAGE = 50
# Every action the admin app records, as the trail shows it.
ACTIONS = {
    "login": N_("Logged in"),
    "logout": N_("Logged out"),
    "user.created": N_("Created the user"),
    "user.updated": N_("Changed the user's data"),
    "password.sms": N_("Sent a password by SMS"),
    "username.email": N_("Sent the username by e-mail"),
    "database.create": N_("Started creating the database"),
    "database.recreate": N_("Started recreating the database"),
    "database.recreate_refused": N_("Recreation refused: the username typed did not match"),
    "package.sold": N_("Sold a package"),
    "package.extended": N_("Moved a package's end"),
    "package.limit": N_("Changed a package's call limit"),
    "call_log.on": N_("Switched the API call log on"),
    "call_log.off": N_("Switched the API call log off"),
    "call.viewed": N_("Looked at a logged API call"),
    "resend.one": N_("Resent an invoice to myDATA"),
    "resend.all": N_("Started resending every invoice"),
}


@dataclass(frozen=True, slots=True)
class AuditQuery:
    operator: str = ""
    action: str = ""
    username: str = ""
    since: str = ""
    until: str = ""

    def filters(self) -> AuditFilters:
        start, end = parse_day(self.since), parse_day(self.until)
        return AuditFilters(
            operator=self.operator.strip() or None,
            action=self.action if self.action in ACTIONS else None,
            username=self.username.strip() or None,
            since=first_moment(start) if start else None,
            until=first_moment(end + timedelta(days=1)) if end else None,
        )

    @property
    def params(self) -> str:
        values = {"operator": self.operator, "action": self.action, "username": self.username,
                  "since": self.since, "until": self.until}  # fmt: skip
        return urlencode({k: v for k, v in values.items() if v})


def cursor_of(action: Action) -> str:
    return f"{action.at.isoformat()}|{action.id}"


async def page(
    conn: AsyncConnection, query: AuditQuery, after: str
) -> tuple[list[Action], str | None]:
    before: tuple[datetime, int] | None = parse_cursor(after) if after else None
    found = await audit.trail(conn, query.filters(), before, PAGE + 1)
    shown = found[:PAGE]
    return shown, cursor_of(shown[-1]) if len(found) > PAGE else None
