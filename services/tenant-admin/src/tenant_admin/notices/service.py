"""Recording notices, and matching them to their invoices.

An invoice is matched on (issuer VAT, series, number) as the ERP names it, normalised the way
people type: spaces dropped, upper case, Greek capitals that look Latin read as Latin (``Α``
and ``A`` are one series on paper), and leading zeros dropped from a numeric number.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from pydantic import ValidationError
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.events import NotificationRequested, TransmissionOutcome, envelope_of
from contracts.notices import (
    MAX_NOTICES,
    Channel,
    NoticeBatch,
    NoticedInvoice,
    NoticeReceipt,
    NoticeReceipts,
    UnmatchedNotice,
)
from kit.errors import InvalidRequest
from notifications import new_notification_id
from tenant_admin.events.repository import add_event
from tenant_admin.notices import repository
from tenant_admin.notices.repository import Key

ATHENS = ZoneInfo("Europe/Athens")
SHOWN_AS = "%d/%m/%Y %H:%M:%S"  # the time of receipt as the e-mail shows it (Athens)
_LOOKALIKES = str.maketrans("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX")


def notice_key(vat: str, series: str, number: str) -> Key:
    series_key = "".join(series.split()).upper().translate(_LOOKALIKES)
    number_key = "".join(number.split()).upper().translate(_LOOKALIKES)
    if number_key.isdigit():
        number_key = number_key.lstrip("0") or "0"
    return vat.strip(), series_key, number_key


def read_batch(raw: bytes, channel: Channel) -> NoticeBatch:
    """The notices in an ERP's body: ``{"notices": [...]}``, a bare list, or one notice;
    every refusal names the notice and the field."""
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidRequest([f"body: not valid JSON ({exc})"]) from None
    items = _items_of(body)
    if not 1 <= len(items) <= MAX_NOTICES:
        raise InvalidRequest([f"notices: between 1 and {MAX_NOTICES} notices, {len(items)} given"])
    parsed, problems = [], []
    for index, item in enumerate(items):
        try:
            parsed.append(NoticedInvoice.model_validate(item))
        except ValidationError as exc:
            problems += [f"notices[{index}].{_where(e)}: {e['msg']}" for e in exc.errors()]
    if problems:
        raise InvalidRequest(problems)
    return NoticeBatch(notices=parsed, channel=channel)


def _items_of(body: Any) -> list[Any]:
    if isinstance(body, list):
        return body
    if isinstance(body, dict) and isinstance(body.get("notices"), list):
        # ``channel`` (portal-web's NoticeBatch) is decided by who calls, not by the body.
        return list(body["notices"])
    if isinstance(body, dict) and "notices" not in body:
        return [body]
    raise InvalidRequest(['body: {"notices": [{"vat", "series", "number"}, ...]} expected'])


def _where(error: Any) -> str:
    return ".".join(str(part) for part in error.get("loc", ())) or "notice"


async def record(conn: AsyncConnection, tenant_id: str, batch: NoticeBatch) -> NoticeReceipts:
    """A receipt per notice (the first one for a repeat); an e-mail lists the new ones."""
    vats = await repository.issuer_vats_of(conn, tenant_id)
    keys, rows = _rows(tenant_id, batch, vats)
    await repository.insert_new(conn, rows)
    now = await repository.transaction_time(conn)
    found = {_key_of(r): r for r in await repository.by_keys(conn, tenant_id, keys)}
    receipts = [_receipt(found[key], repeated=found[key].received_at < now) for key in keys]
    new = [r for r in receipts if not r.repeated]
    if new:
        await _confirm_by_email(conn, tenant_id, new)
    return NoticeReceipts(received_at=now, receipts=receipts)


def _rows(
    tenant_id: str, batch: NoticeBatch, vats: list[str]
) -> tuple[list[Key], list[dict[str, Any]]]:
    problems, keys, rows = [], [], []
    for index, notice in enumerate(batch.notices):
        vat = (notice.vat or (vats[0] if vats else "")).strip()
        if vat not in vats:
            problems.append(f"notices[{index}].vat: {vat} is not one of this customer's VATs")
            continue
        key = notice_key(vat, notice.series, notice.number)
        keys.append(key)
        rows.append(
            {
                "tenant_id": tenant_id,
                "issuer_vat": vat,
                "series": notice.series.strip(),
                "number": notice.number.strip(),
                "series_key": key[1],
                "number_key": key[2],
                "channel": batch.channel,
            }
        )
    if problems:
        raise InvalidRequest(problems)
    return keys, rows


async def match(conn: AsyncConnection, outcome: TransmissionOutcome) -> None:
    """The invoice arrived (whatever myDATA then said): its notice, if any, is matched."""
    if not (outcome.issuer_vat and outcome.series and outcome.number):
        return
    key = notice_key(outcome.issuer_vat, outcome.series, outcome.number)
    await repository.match(conn, outcome.tenant_id, key, outcome.uid, outcome.erp_outage)


async def of_tenant(conn: AsyncConnection, tenant_id: str, limit: int) -> list[NoticeReceipt]:
    return [_receipt(r) for r in await repository.of_tenant(conn, tenant_id, limit)]


async def unmatched(
    conn: AsyncConnection, older_than_h: float, limit: int
) -> list[UnmatchedNotice]:
    cutoff = datetime.now(UTC) - timedelta(hours=older_than_h)
    rows = await repository.unmatched(conn, cutoff, limit)
    return [
        UnmatchedNotice(
            **_receipt(r).model_dump(),
            tenant_id=r.tenant_id,
            company_name=r.company_name,
            channel=r.channel,
        )
        for r in rows
    ]


async def _confirm_by_email(
    conn: AsyncConnection, tenant_id: str, receipts: list[NoticeReceipt]
) -> None:
    email, language = await repository.contact_of(conn, tenant_id)
    lines = "\n".join(f"{r.receipt}  {r.vat}  {r.series} {r.number}" for r in receipts)
    command = NotificationRequested(
        notification_id=new_notification_id(),
        customer_id=tenant_id,
        channel="email",
        template="notice.receipt",
        language="en" if language == "en" else "el",
        to=email,
        params={
            "received_at": receipts[0].received_at.astimezone(ATHENS).strftime(SHOWN_AS),
            "receipts": lines,
            "count": str(len(receipts)),
        },
    )
    await add_event(conn, envelope_of(command, tenant_id=tenant_id))


def _key_of(row: Row[Any]) -> Key:
    return row.issuer_vat, row.series_key, row.number_key


def _receipt(row: Row[Any], *, repeated: bool = False) -> NoticeReceipt:
    return NoticeReceipt(
        receipt=row.receipt,
        vat=row.issuer_vat,
        series=row.series,
        number=row.number,
        received_at=row.received_at,
        matched_at=row.matched_at,
        matched_uid=row.matched_uid,
        repeated=repeated,
    )
