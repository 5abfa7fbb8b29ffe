"""Resend one or all deferred transmissions now (operator actions), through the transmission
service like every other caller."""

from __future__ import annotations

from mydata_sync.resend.schemas import (
    ResendError,
    ResendItem,
    ResendPage,
    ResendReport,
    ResendResult,
)
from mydata_sync.sweeper import retry_many
from mydata_sync.transmissions.repository import ClaimMode
from mydata_sync.transmissions.schemas import visible_state
from mydata_sync.transmissions.service import TransmissionService, TransmitResult

RESEND_ALL_BATCH = 500


async def list_deferred(service: TransmissionService, limit: int, offset: int) -> ResendPage:
    rows, total = await service.resend_page(limit, offset)
    items = [ResendItem.model_validate({**r._mapping, "transmission_id": r.id}) for r in rows]
    return ResendPage(items=items, total=total, limit=limit, offset=offset)


async def resend_one(service: TransmissionService, transmission_id: int) -> ResendResult | None:
    """Try now, even with the breaker open (an operator asked); None if unknown."""
    result = await service.retry(transmission_id, ClaimMode.FORCE, bypass_breaker=True)
    return None if result is None else _result(result)


async def resend_all(service: TransmissionService) -> ResendReport:
    """Every deferred one, each reported; a failure never stops the rest."""
    results: list[ResendResult] = []
    after = 0
    while ids := await service.deferred_ids(after, RESEND_ALL_BATCH):
        after = ids[-1]
        done = await retry_many(
            service,
            ids,
            mode=ClaimMode.FORCE,
            concurrency=service.settings.sweep_concurrency,
            operator=True,
        )
        results += [_result(r) for i in ids if (r := done.get(i)) is not None]
    return _report(results)


def _result(result: TransmitResult) -> ResendResult:
    row = result.row
    state = visible_state(row.state)
    return ResendResult(
        transmission_id=row.id,
        tenant_id=row.tenant_id,
        uid=row.uid,
        state=state,
        ok=state != "deferred",
        message=_message(result),
        mark=row.mark,
        authentication_code=row.authentication_code,
        errors=[ResendError(**e) for e in row.errors or []],
    )


def _message(result: TransmitResult) -> str:
    row, outcome = result.row, result.outcome
    state = visible_state(row.state)
    if outcome is None:
        if state == "deferred":
            return "being transmitted by another worker right now"
        return f"already {state}"
    if state == "transmitted":
        return f"transmitted, MARK {row.mark}"
    if state == "rejected":
        errors = "; ".join(f"{e['code']} {e['message']}" for e in row.errors or [])
        return "rejected by myDATA: " + errors
    return f"still deferred: {outcome.error or outcome.kind}"


def _report(results: list[ResendResult]) -> ResendReport:
    def count(state: str) -> int:
        return sum(1 for r in results if r.state == state)

    return ResendReport(
        total=len(results),
        transmitted=count("transmitted"),
        rejected=count("rejected"),
        deferred=count("deferred"),
        results=results,
    )
