"""Keeping the directory from mydata-sync's outcome events, and answering look-ups.

Every outcome carries the invoice's temporary string and temporary-QR key; a transmitted one
also its real authentication string. Strings are stored as printed (authentication strings
upper-case hex, the temporary-QR key lower-case hex, seed 001) and looked up as given.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.events import InvoiceTransmitted, TransmissionOutcome
from contracts.portal import PublicString
from kit.errors import NotFound
from tenant_admin.directory import repository

Kind = Literal["authentication", "temporary", "temp_qr"]


def entries_of(outcome: TransmissionOutcome) -> list[PublicString]:
    found: list[tuple[Kind, str | None]] = [
        ("temporary", outcome.temporary_code),
        ("temp_qr", outcome.temp_qr_code),
    ]
    if isinstance(outcome, InvoiceTransmitted):
        found.append(("authentication", outcome.authentication_code))
    return [
        PublicString(code=code, kind=kind, tenant_id=outcome.tenant_id, uid=outcome.uid)
        for kind, code in found
        if code
    ]


async def record(conn: AsyncConnection, outcome: TransmissionOutcome) -> None:
    await repository.add(conn, entries_of(outcome))


async def look_up(conn: AsyncConnection, code: str) -> PublicString:
    found = await repository.find(conn, code.strip())
    if found is None:
        raise NotFound("no invoice with this string (yet)")
    return found
