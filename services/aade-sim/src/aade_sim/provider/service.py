"""The provider methods: what SendInvoices, RequestTransmittedDocs and RequestReceiverInfo do.

Invoices of one message are judged one by one, like the real service: some may be registered
while others in the same message are refused.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from aade_sim.provider import identifiers
from aade_sim.provider.document import Invoice, InvoicesReader, ParsedDoc, SyntaxFailure
from aade_sim.provider.rules import RuleError, check_invoice
from aade_sim.provider.xml_out import (
    InvoiceResult,
    Reception,
    requested_provider_doc,
    response_doc,
    syntax_error_doc,
)
from aade_sim.state.store import Registration, Store

ATHENS = ZoneInfo("Europe/Athens")
MAX_INVOICES = 5000


def athens_today() -> date:
    # 238 is judged on the Greek calendar day, not the server's or UTC's.
    return datetime.now(ATHENS).date()


def duplicate_message(reg: Registration) -> str:
    """228 text. The live wording is not published verbatim (MYDATA.md §10 gives "{UID,
    InvoiceType} is invalid … already sent for another invoice (MARK)"); ours keeps that and
    adds the original MARK and authentication code in a form a client can pick out:
    ``mark: <15 digits>`` and ``authenticationCode: <40 hex>``."""
    return (
        f"UID is invalid: already sent for another invoice "
        f"(mark: {reg.mark}, authenticationCode: {reg.authentication_code})"
    )


class ProviderService:
    def __init__(
        self,
        reader: InvoicesReader,
        store: Store,
        *,
        public_url: str,
        receivers: Mapping[str, Mapping[str, list[str]]],
        inline_max_bytes: int,
        page_size: int,
        today: Callable[[], date] = athens_today,
    ) -> None:
        self.reader = reader
        self.store = store
        self._public_url = public_url
        self._receivers = receivers
        self._inline_max = inline_max_bytes
        self._page_size = page_size
        self._today = today

    async def read(self, body: bytes) -> ParsedDoc | SyntaxFailure:
        # Small documents validate faster inline than the thread hand-off costs; big ones
        # would stall every other request (and the blackhole-tested /healthz) if done inline.
        if len(body) <= self._inline_max:
            return self.reader.read(body)
        return await asyncio.to_thread(self.reader.read, body)

    async def send_invoices(self, body: bytes, provider_user: str) -> bytes:
        parsed = await self.read(body)
        if isinstance(parsed, SyntaxFailure):
            return syntax_error_doc(parsed.detail)
        if len(parsed.invoices) > MAX_INVOICES:
            error = RuleError(
                265, "The maximum allowed number of invoices contained in one message is 5000"
            )
            return response_doc([InvoiceResult(index=None, errors=[error])])
        today = self._today()
        results = [
            self._judge(i, inv, provider_user, today) for i, inv in enumerate(parsed.invoices, 1)
        ]
        return response_doc(results)

    def _judge(self, index: int, inv: Invoice, provider_user: str, today: date) -> InvoiceResult:
        # No await in here: checking for a duplicate and registering happen as one step.
        uid = identifiers.invoice_uid(inv)
        errors = check_invoice(inv, today)
        original = self.store.by_uid(uid)
        if original is not None:
            self.store.note_duplicate(uid)
            errors.append(RuleError(228, duplicate_message(original)))
        if errors:
            return InvoiceResult(index=index, errors=errors)
        reg = self._register(inv, uid, provider_user)
        return InvoiceResult(
            index=index, registration=reg, reception=self.reception(reg.counterpart_vat)
        )

    def _register(self, inv: Invoice, uid: str, provider_user: str) -> Registration:
        mark = self.store.allocate_mark()
        reg = Registration(
            mark=mark,
            uid=uid,
            authentication_code=identifiers.authentication_code(inv, mark),
            qr_url=identifiers.qr_url(self._public_url, mark, uid),
            provider_user=provider_user,
            issuer_vat=inv.issuer.vat if inv.issuer else "",
            counterpart_vat=inv.counterpart.vat if inv.counterpart else None,
            invoice_type=inv.invoice_type,
            series=inv.series,
            aa=inv.aa,
            issue_date=inv.issue_date.isoformat(),
            total_gross=str(inv.summary.gross),
            total_vat=str(inv.summary.vat),
            registered_at=datetime.now(UTC).isoformat(timespec="milliseconds"),
            xml=inv.xml,
        )
        self.store.register(reg)
        return reg

    def reception(self, vat: str | None) -> Reception:
        entry = self._receivers.get(vat or "")
        if entry is None:
            return Reception()
        return Reception(providers=entry.get("providers", []), emails=entry.get("emails", []))

    def transmitted_docs(
        self, provider_user: str, mark: int, issuer_vat: str | None, next_row_key: str | None
    ) -> bytes:
        """Own transmissions with MARK > mark, a page at a time (continuation = last MARK)."""
        after = max(mark, _as_int(next_row_key, mark))
        page: list[Registration] = []
        more = False
        for reg in self.store.after_mark(after):
            if reg.provider_user != provider_user or (issuer_vat and reg.issuer_vat != issuer_vat):
                continue
            if len(page) == self._page_size:
                more = True
                break
            page.append(reg)
        token = (issuer_vat or provider_user, str(page[-1].mark)) if more else None
        return requested_provider_doc(page, token)


def _as_int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default
