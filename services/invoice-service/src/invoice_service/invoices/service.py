"""Issuing an invoice (DESIGN.md §2 steps 2–4) and looking one up (SPEC API-4).

1. validate the seed-002 body, check the issuer is the customer's, build the ``InvoicesDoc``
   (nothing stored when any of it fails);
2. commit the invoice as ``pending`` together with an ``invoice.submitted`` command in the tenant
   outbox, so that mydata-sync gets it even if everything after this line crashes;
3. ask mydata-sync to transmit, with a deadline; its answer is the outcome event, applied once
   (``invoices.outcomes``), and the command withdrawn now that mydata-sync owns the invoice.

Units of work: issuance spans the transmit RPC, so it is one of the workflows ``kit.db`` names
as committing its own steps: step 2 before the call, step 3 after it. In the common case each
step is ONE statement in autocommit (``single_statements``: a new invoice; a transmitted
answer); otherwise a transaction (``workflow_step``) takes the careful path (ADR 0013).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from contracts.envelope import Envelope
from contracts.events import InvoiceSubmitted, InvoiceTransmitted, envelope_of
from contracts.http import NOT_CHARGED_HEADER
from invoice_service.invoices import repository as repo
from invoice_service.invoices.errors import (
    InvoiceNotFound,
    NotIssued,
    already_sent,
    general_failure,
    idempotency_key_reused,
    issuer_not_authorised,
    mydata_rejected,
    xml_invalid,
)
from invoice_service.invoices.outcomes import (
    AppliedHere,
    apply_outcome,
    apply_outcome_once,
    no_answer,
)
from invoice_service.invoices.presenter import present
from invoice_service.invoices.records import new_invoice
from invoice_service.invoices.transmission import TransmitClient
from invoice_service.invoices.unwithdrawn import Unwithdrawn
from invoice_service.tenants import TenantUnavailable
from kit.db import TenantEngines, is_database_unavailable, single_statements, workflow_step
from kit.outbox import add_to_outbox, outbox_row
from mydata.erp import ErpInvoice, loads_invoice_json, parse_erp_invoice, validate_invoice
from mydata.errors import InvoiceBodyNotJson, InvoiceInputError
from mydata.invoices_doc import build_invoices_doc
from mydata.xsd import SchemaValidator
from tenant_schema.tables import outbox


@dataclass(frozen=True, slots=True)
class IssueRequest:
    """One POST: whose it is, under which VAT numbers it may issue, its Idempotency-Key."""

    tenant_id: str
    username: str
    issuer_vats: tuple[str, ...]
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
    applied: AppliedHere = field(default_factory=AppliedHere)
    unwithdrawn: Unwithdrawn = field(default_factory=Unwithdrawn)

    async def issue(self, request: IssueRequest, raw: bytes) -> Issued:
        erp = parse_invoice(raw)
        if erp.is_vat not in request.issuer_vats:
            raise issuer_not_authorised(erp.is_vat)
        xml = await self._xml(erp)
        async with AsyncExitStack() as held:
            async with _nothing_stored_on_outage():
                engine = await held.enter_async_context(self.engines.using(request.tenant_id))
                stored = await self._store(engine, request, erp, xml)
            if isinstance(stored, Issued):
                return stored
            try:
                event = await self.transmitter.transmit(stored.command)
                async with stored_but_not_applied():
                    invoice = await self._apply_answer(engine, stored, event)
            except BaseException:  # the command may still be in the outbox: the sweep relays it
                self.unwithdrawn.mark(request.tenant_id)
                raise
        return Issued(self._answer(invoice, stored.lines))

    async def _xml(self, erp: ErpInvoice) -> str:
        xml = build_invoices_doc([erp])
        # Validation of a large document would stall the loop (DESIGN.md §5).
        problems = await asyncio.to_thread(self.validator.validate, xml)
        if problems:
            raise xml_invalid(problems, xml.decode())
        return xml.decode()

    async def _store(
        self, engine: AsyncEngine, request: IssueRequest, erp: ErpInvoice, xml: str
    ) -> Issued | Pending:
        new = new_invoice(erp, xml, request.idempotency_key)
        fresh = await self._store_new(engine, request, new)
        if fresh is not None:
            return fresh
        for _ in range(2):  # a concurrent twin may win the insert race once
            try:
                async with workflow_step(engine) as conn:
                    return await self._insert_unless_known(conn, request, new)
            except IntegrityError:
                continue
        raise general_failure("a concurrent request for the same invoice")

    async def _store_new(
        self, engine: AsyncEngine, request: IssueRequest, new: repo.NewInvoice
    ) -> Pending | None:
        """The common case in one statement: an invoice never seen. None when its uid or key
        is known; then ``_insert_unless_known`` decides, in a transaction."""
        async with single_statements(engine) as conn:
            invoice_id = await repo.next_invoice_id(conn)
            command = _command(request, new, invoice_id)
            envelope = envelope_of(command, tenant_id=request.tenant_id)
            lines = await repo.store_new(conn, invoice_id, new, outbox_row(envelope))
        if lines is None:
            return None
        return Pending(invoice_id, lines, command, envelope.message_id)

    async def _insert_unless_known(
        self, conn: AsyncConnection, request: IssueRequest, new: repo.NewInvoice
    ) -> Issued | Pending:
        known = await self._known(conn, new.columns["uid"], request.idempotency_key)
        if known is not None:
            return await self._replay(conn, known)
        invoice_id, lines = await repo.insert_invoice(conn, new)
        command = _command(request, new, invoice_id)
        envelope = envelope_of(command, tenant_id=request.tenant_id)
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

    async def _apply_answer(
        self, engine: AsyncEngine, pending: Pending, event: Envelope | None
    ) -> Row[Any]:
        """Apply mydata-sync's answer (or its absence) and withdraw the answered command."""
        if event is None:
            command = pending.command
            async with workflow_step(engine) as conn:
                outcome = no_answer(command.tenant_id, pending.invoice_id, command.uid)
                invoice = await apply_outcome(conn, outcome)
                self.unwithdrawn.mark(command.tenant_id)  # the command stays for the sweep
                return invoice or await self._read(conn, pending)
        # The common answer (transmitted) is one statement; the others take a transaction.
        one_statement = event.type == InvoiceTransmitted.TYPE
        step = single_statements if one_statement else workflow_step
        async with step(engine) as conn:
            applied = await apply_outcome_once(conn, event, answered=pending.message_id)
            invoice = applied or await self._read(conn, pending)
        self.applied.add(event.message_id)  # committed: the event's copy needs no transaction
        return invoice

    @staticmethod
    async def _read(conn: AsyncConnection, pending: Pending) -> Row[Any]:
        """The invoice as an earlier copy of the outcome (the event, first) left it."""
        invoice = await repo.find_by_id(conn, pending.invoice_id)
        assert invoice is not None
        return invoice

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
                raise InvoiceNotFound("Δεν βρέθηκε παραστατικό", message_en="No invoice matches")
            lines = await repo.lines_of(conn, invoice.id)
        return Issued(present(invoice, lines, self.portal_url))


def _command(request: IssueRequest, new: repo.NewInvoice, invoice_id: int) -> InvoiceSubmitted:
    return InvoiceSubmitted(
        tenant_id=request.tenant_id,
        invoice_id=invoice_id,
        uid=new.columns["uid"],
        customer_username=request.username,
        temporary_code=new.columns["temporary_code"],
        invoice=new.columns["request"],
        xml=new.columns["request_xml"],
    )


@asynccontextmanager
async def _nothing_stored_on_outage() -> AsyncIterator[None]:
    """A tenant database that cannot be reached before the invoice is stored: 503, and the
    gateway gives the call back (nothing was issued)."""
    not_charged = {NOT_CHARGED_HEADER: "1"}
    try:
        yield
    except TenantUnavailable as exc:
        exc.headers = {**exc.headers, **not_charged}
        raise
    except Exception as exc:
        if not is_database_unavailable(exc):
            raise
        raise TenantUnavailable(
            "the customer's database is not reachable; nothing was issued, try again",
            headers=not_charged,
        ) from exc


@asynccontextmanager
async def stored_but_not_applied() -> AsyncIterator[None]:
    """The tenant database went away between the two steps: the invoice is stored and went on
    to myDATA; its outcome event, queued, is applied once the database is back. 503, charged."""
    try:
        yield
    except Exception as exc:
        if not is_database_unavailable(exc):
            raise
        raise TenantUnavailable(
            "Το παραστατικό καταχωρήθηκε και στάλθηκε, αλλά η απάντηση δεν αποθηκεύτηκε ακόμη:"
            " αναζητήστε το σε λίγο (GET /invoice-data?pnr01=…) ή ξαναστείλτε το με το ίδιο"
            " Idempotency-Key",
            message_en="The invoice was stored and sent on, but its answer could not be recorded"
            " yet: look it up shortly (GET /invoice-data?pnr01=…) or repeat the request with the"
            " same Idempotency-Key",
        ) from exc


async def _lookup(
    conn: AsyncConnection, auth_code: str | None, pnr01: str | None
) -> Row[Any] | None:
    # Seed 002: when both are given, auth_code wins.
    if auth_code:
        return await repo.find_by_auth_code(conn, auth_code.strip())
    if pnr01:
        return await repo.find_by_pnr01(conn, pnr01.strip())
    raise NotIssued(
        "Δώστε auth_code ή pnr01",
        message_en="auth_code or pnr01 is required",
        code="customer_api_007",
    )


def parse_invoice(raw: bytes) -> ErpInvoice:
    """The checked ERP invoice, or the seed-002 error for what is wrong with it. The body is
    decoded exactly (``-0``, ``1e-400`` and 20-digit numbers reach the rules as written)."""
    try:
        erp = parse_erp_invoice(loads_invoice_json(raw))
        validate_invoice(erp)
    except InvoiceInputError as exc:
        raise input_error(exc) from None
    return erp


def input_error(exc: InvoiceInputError) -> NotIssued:
    if isinstance(exc, InvoiceBodyNotJson):
        # Seed 002's "general failure", with the reason (line and column) a developer needs.
        failure = general_failure()
        failure.data = {"validation_errors": exc.problems}
        return failure
    fields = exc.error_fields()
    if fields["code"] == "invalid_request":
        # Seed 002 returns details only with mydata_sync_003/004: a field that breaks the
        # seed's table cannot become a valid InvoicesDoc, so it is reported as 003.
        return xml_invalid(exc.problems)
    return NotIssued(
        fields["message"], message_en=fields["message_en"], code=fields["code"], data=fields["data"]
    )


def rejection_data(invoice: Row[Any]) -> dict[str, object]:
    return {
        "errors": list(invoice.errors or []),
        "validation_errors": [],
        "request_xml": invoice.request_xml,
        "response_xml": invoice.response_xml,
    }
