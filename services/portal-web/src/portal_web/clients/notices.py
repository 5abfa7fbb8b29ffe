"""tenant-admin's connection-loss notices (contracts.notices), for the customer's own page."""

from __future__ import annotations

from pydantic import TypeAdapter

from contracts.notices import NOTICES_PATH, NoticeBatch, NoticeReceipt, NoticeReceipts
from portal_web.clients.http import Upstream, parse, parse_as

_RECEIPTS = TypeAdapter(list[NoticeReceipt])


class NoticeRefused(Exception):
    """tenant-admin refused the notices; ``problems`` name the notice and the field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class NoticesClient:
    def __init__(self, upstream: Upstream, base_url: str) -> None:
        self._upstream = upstream
        self._url = base_url.rstrip("/") + NOTICES_PATH

    async def record(self, tenant_id: str, batch: NoticeBatch) -> NoticeReceipts:
        reply = await self._upstream.call("POST", self._url, tenant_id=tenant_id, json=batch)
        if reply.status == 400:
            raise NoticeRefused([str(p) for p in reply.error_data().get("validation_errors", [])])
        return parse(reply, NoticeReceipts)

    async def recent(self, tenant_id: str, limit: int = 50) -> list[NoticeReceipt]:
        reply = await self._upstream.call(
            "GET", self._url, tenant_id=tenant_id, params={"limit": str(limit)}
        )
        return parse_as(reply, _RECEIPTS)
