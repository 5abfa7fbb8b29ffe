"""Issuing an invoice (DESIGN.md §2 steps 2–4) and looking one up (SPEC API-4).

1. validate the seed-002 body and build the ``InvoicesDoc`` (nothing stored when either fails);
2. commit the invoice as ``pending`` together with an ``invoice.submitted`` command in the tenant
   outbox, so that mydata-sync gets it even if everything after this line crashes;
3. ask mydata-sync to transmit, with a deadline; its answer (or, failing one, ``deferred``) is
   applied and the command settled when mydata-sync owns the invoice.

Services never commit on their own: each ``engine.begin()`` block is one unit of work.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from contracts.envelope import Envelope
from contracts.events import InvoiceSubmitted
from invoice_service.invoices import repository as repo
from invoice_service.invoices.errors import (
    InvoiceNotFound,
    InvoiceRejected,
    already_sent,
    general_failure,
    idempotency_key_reused,
    mydata_rejected,
    xml_invalid,
)
from invoice_service.invoices.presenter import present
from invoice_service.invoices.records import new_invoice
from invoice_service.invoices.transmission import TransmitClient, TransmitOutcome
from kit.db import TenantEngines
from kit.outbox import add_to_outbox, settle
from mydata.erp import ErpInvoice, parse_erp_invoice, validate_invoice
from mydata.errors import InvoiceInputError
from mydata.invoices_doc import build_invoices_doc
from mydata.xsd import SchemaValidator
from tenant_schema.tables import outbox


@dataclass(frozen=True, slots=True)
class Caller:
    tenant_id: str
    username: str
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class Issued:
    data: dict[str, Any]
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class Pending:
    """A committed invoice waiting for mydata-sync's answer."""

    invoice_id: int
    lines: list[repo.StoredLine]
    command: InvoiceSubmitted
    message_id: str


@dataclass(frozen=True, slots=True)
class Issuance:
    engines: TenantEngines
    transmitter: TransmitClient
    validator: SchemaValidator
    portal_url: str

    async def issue(self, caller: Caller, raw: bytes) -> Issued:
        erp = parse_invoice(raw)
        xml = await self._xml(erp)
        engine = await self.engines.get(caller.tenant_id)
        stored = await self._store(engine, caller, erp, xml)
        if isinstance(stored, Issued):
            return stored
        outcome = await self.transmitter.transmit(stored.command)
        return await self._finish(engine, stored, outcome)

    async def _xml(self, erp: ErpInvoice) -> str:
        xml = build_invoices_doc([erp])
        # Validation of a large document would stall the loop (DESIGN.md §5).
        problems = await asyncio.to_thread(self.validator.validate, xml)
        if problems:
            raise xml_invalid(problems, xml.decode())
        return xml.decode()

    async def _store(
        self, engine: AsyncEngine, caller: Caller, erp: ErpInvoice, xml: str
    ) -> Issued | Pending:
        new = new_invoice(erp, xml, caller.idempotency_key)
        for _ in range(2):  # a concurrent twin may win the insert race once
            try:
                async with engine.begin() as conn:
                    return await self._insert_unless_known(conn, caller, erp, new)
            except IntegrityError:
                continue
        raise general_failure()

    async def _insert_unless_known(
        self, conn: AsyncConnection, caller: Caller, erp: ErpInvoice, new: repo.NewInvoice
    ) -> Issued | Pending:
        known = await self._known(conn, new.columns["uid"], caller.idempotency_key)
        if known is not None:
            return await self._replay(conn, known)
        invoice_id, lines = await repo.insert_invoice(conn, new)
        command = InvoiceSubmitted(
            tenant_id=caller.tenant_id,
            invoice_id=invoice_id,
            uid=new.columns["uid"],
            customer_username=caller.username,
            temporary_code=new.columns["temporary_code"],
            invoice=new.columns["request"],
            xml=new.columns["request_xml"],
        )
        envelope = Envelope(
            type="invoice.submitted", tenant_id=caller.tenant_id, payload=command.model_dump()
        )
        await add_to_outbox(conn, outbox, envelope)
        return Pending(invoice_id, lines, command, envelope.message_id)

    async def _known(self, conn: AsyncConnection, uid: str, key: str | None) -> Row[Any] | None:
        """The invoice this request repeats (same Idempotency-Key), else refuse a re-issue."""
        if key:
            by_key = await repo.find_by_idempotency_key(conn, key)
            if by_key is not None:
                if by_key.uid != uid:
                    raise idempotency_key_reused()
                return by_key
        existing = await repo.find_by_uid(conn, uid, lock=True)
        if existing is None:
            return None
        if existing.state == "rejected":
            # myDATA refused it, so it was never issued: a corrected invoice may take its place.
            await repo.delete_invoice(conn, existing.id)
            return None
        raise already_sent()

    async def _replay(self, conn: AsyncConnection, invoice: Row[Any]) -> Issued:
        lines = await repo.lines_of(conn, invoice.id)
        return Issued(self._answer(invoice, lines), replayed=True)

    async def _finish(
        self, engine: AsyncEngine, pending: Pending, outcome: TransmitOutcome | None
    ) -> Issued:
        async with engine.begin() as conn:
            invoice = await apply_outcome(conn, pending.invoice_id, outcome)
            if outcome is not None:  # mydata-sync owns the invoice now
                await settle(conn, outbox, pending.message_id)
            if invoice is None:  # the outcome event got there first: read what it wrote
                invoice = await repo.find_by_id(conn, pending.invoice_id)
            assert invoice is not None
        return Issued(self._answer(invoice, pending.lines))

    def _answer(self, invoice: Row[Any], lines: Sequence[Any]) -> dict[str, Any]:
        data = present(invoice, lines, self.portal_url)
        if invoice.state == "rejected":
            raise mydata_rejected(rejection_data(invoice))
        return data

    async def find(self, tenant_id: str, auth_code: str | None, pnr01: str | None) -> Issued:
        engine = await self.engines.get(tenant_id)
        async with engine.connect() as conn:
            invoice = await _lookup(conn, auth_code, pnr01)
            if invoice is None:
                raise InvoiceNotFound("Δεν βρέθηκε παραστατικό (no invoice matches)")
            lines = await repo.lines_of(conn, invoice.id)
        return Issued(present(invoice, lines, self.portal_url))


async def _lookup(
    conn: AsyncConnection, auth_code: str | None, pnr01: str | None
) -> Row[Any] | None:
    # Seed 002: when both are given, auth_code wins.
    if auth_code:
        return await repo.find_by_auth_code(conn, auth_code.strip())
    if pnr01:
        return await repo.find_by_pnr01(conn, pnr01.strip())
    raise InvoiceRejected(
        "Δώστε auth_code ή pnr01 (auth_code or pnr01 is required)", code="customer_api_007"
    )


def parse_invoice(raw: bytes) -> ErpInvoice:
    """The checked ERP invoice, or the seed-002 error for what is wrong with it."""
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise general_failure() from None
    if not isinstance(body, dict):
        raise general_failure()
    try:
        erp = parse_erp_invoice(body)
        validate_invoice(erp)
    except InvoiceInputError as exc:
        raise input_error(exc) from None
    return erp


def input_error(exc: InvoiceInputError) -> InvoiceRejected:
    fields = exc.error_fields()
    if fields["code"] == "invalid_request":
        # Seed 002 returns details only with mydata_sync_003/004: a field that breaks the
        # seed's table cannot become a valid InvoicesDoc, so it is reported as 003.
        return xml_invalid(exc.problems)
    return InvoiceRejected(fields["message"], code=fields["code"], data=fields["data"])


async def apply_outcome(
    conn: AsyncConnection, invoice_id: int, outcome: TransmitOutcome | None
) -> Row[Any] | None:
    """The invoice after applying ``outcome``, or None if its state had already moved on."""
    if outcome is None or outcome.state == "deferred":
        return await repo.apply_deferred(conn, invoice_id, outcome.attempts if outcome else 0)
    if outcome.state == "transmitted" and outcome.mark:
        return await repo.apply_transmitted(
            conn,
            invoice_id,
            mark=outcome.mark,
            authentication_code=outcome.authentication_code,
            qr_url=outcome.qr_url,
            request_xml=outcome.request_xml,
            response_xml=outcome.response_xml,
        )
    if outcome.state == "rejected":
        return await repo.apply_rejected(
            conn,
            invoice_id,
            errors=outcome.errors,
            request_xml=outcome.request_xml,
            response_xml=outcome.response_xml,
        )
    return None


def rejection_data(invoice: Row[Any]) -> dict[str, object]:
    return {
        "errors": list(invoice.errors or []),
        "validation_errors": [],
        "request_xml": invoice.request_xml,
        "response_xml": invoice.response_xml,
    }
