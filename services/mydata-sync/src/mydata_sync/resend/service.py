"""Resend one or all deferred transmissions now (operator actions)."""

from __future__ import annotations

from mydata_sync.resend.schemas import ResendItem, ResendPage, ResendReport, ResendResult
from mydata_sync.sweeper import retry_many
from mydata_sync.transmissions import repository as repo
from mydata_sync.transmissions.repository import ClaimMode
from mydata_sync.transmissions.service import TransmissionService, TransmitResult

RESEND_ALL_BATCH = 500


async def list_deferred(service: TransmissionService, limit: int, offset: int) -> ResendPage:
    async with service.engine.connect() as conn:
        rows = await repo.resend_page(conn, limit, offset)
        total = await repo.resend_count(conn)
    items = [ResendItem.model_validate({**r._mapping, "transmission_id": r.id}) for r in rows]
    return ResendPage(items=items, total=total, limit=limit, offset=offset)


async def resend_one(service: TransmissionService, transmission_id: int) -> ResendResult | None:
    """Try now, even with the breaker open (an operator asked); None if unknown."""
    result = await service.retry(repo.by_id(transmission_id), ClaimMode.FORCE, bypass_breaker=True)
    return None if result is None else _result(result)


async def resend_all(service: TransmissionService) -> ResendReport:
    """Every deferred one, each reported; a failure never stops the rest."""
    results: list[ResendResult] = []
    after = 0
    while ids := await _next_ids(service, after):
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


async def _next_ids(service: TransmissionService, after: int) -> list[int]:
    async with service.engine.connect() as conn:
        return await repo.deferred_ids(conn, after, RESEND_ALL_BATCH)


def _result(result: TransmitResult) -> ResendResult:
    answer = result.answer
    return ResendResult(
        transmission_id=answer.transmission_id,
        tenant_id=result.tenant_id,
        uid=answer.uid,
        state=answer.state,
        ok=answer.state != "deferred",
        message=_message(result),
        mark=answer.mark,
        authentication_code=answer.authentication_code,
        errors=answer.errors,
    )


def _message(result: TransmitResult) -> str:
    answer, outcome = result.answer, result.outcome
    if outcome is None:
        if answer.state == "deferred":
            return "being transmitted by another worker right now"
        return f"already {answer.state}"
    if answer.state == "transmitted":
        return f"transmitted, MARK {answer.mark}"
    if answer.state == "rejected":
        return "rejected by myDATA: " + "; ".join(f"{e.code} {e.message}" for e in answer.errors)
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
