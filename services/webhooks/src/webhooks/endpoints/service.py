"""A customer's endpoints: register, list, enable/disable, change events, delete, and the signing
secrets (generated here, shown once, kept sealed; rotation keeps the previous one valid for
``EINV_WEBHOOKS_ROTATION_OVERLAP_S`` or until the customer finishes the rotation).

Units of work: the caller owns the transaction and passes the connection; nothing commits here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.webhooks import (
    SUBSCRIBABLE_EVENTS,
    EndpointChange,
    EndpointProblem,
    EndpointView,
    NewEndpoint,
    SecretInfo,
    SecretIssued,
)
from kit.errors import AppError, NotFound
from kit.secrets import Keyring
from webhooks.endpoints import repository as repo
from webhooks.settings import WebhooksSettings
from webhooks.signing import new_secret
from webhooks.targets import UrlRules

SECRET_PURPOSE = "webhooks.endpoint-secret"
HINT_CHARS = 4


class EndpointRefused(AppError):
    """The endpoint cannot be saved; ``data.problems`` names each reason
    (``contracts.webhooks.EndpointProblem``), which the portal words in its language."""

    status_code = 422
    code = "endpoint_refused"
    title = "Endpoint refused"

    def __init__(self, problems: list[EndpointProblem]) -> None:
        super().__init__(", ".join(problems), data={"problems": list(problems)})


class EndpointService:
    def __init__(self, settings: WebhooksSettings, keyring: Keyring) -> None:
        self.settings = settings
        self.keyring = keyring
        self.rules = UrlRules(settings.http_allowed, settings.private_targets_allowed)

    async def register(
        self, conn: AsyncConnection, tenant_id: str, new: NewEndpoint
    ) -> SecretIssued:
        url = new.url.strip()
        problems = self.rules.problems(url)
        if not new.events:
            problems.append("events_empty")
        if await repo.count(conn, tenant_id) >= self.settings.max_endpoints:
            problems.append("too_many_endpoints")
        if problems:
            raise EndpointRefused(problems)
        row = await repo.insert(
            conn, {"tenant_id": tenant_id, "url": url, "description": new.description.strip(),
                   "events": _ordered(new.events)},
        )  # fmt: skip
        _, secret = await self._add_secret(conn, row.id)
        return SecretIssued(endpoint=await self._view(conn, row), secret=secret)

    async def list_for(self, conn: AsyncConnection, tenant_id: str) -> list[EndpointView]:
        rows = await repo.for_tenant(conn, tenant_id)
        return await self._views(conn, rows)

    async def view(self, conn: AsyncConnection, tenant_id: str, endpoint_id: int) -> EndpointView:
        return await self._view(conn, await self._row(conn, tenant_id, endpoint_id))

    async def change(
        self, conn: AsyncConnection, tenant_id: str, endpoint_id: int, change: EndpointChange
    ) -> EndpointView:
        values: dict[str, Any] = {}
        if change.active is not None:
            values.update(active=change.active, disabled_reason=None)
        if change.events is not None:
            if not change.events:
                raise EndpointRefused(["events_empty"])
            values["events"] = _ordered(change.events)
        row = await repo.update_endpoint(conn, tenant_id, endpoint_id, values)
        if row is None:
            raise NotFound(f"no endpoint {endpoint_id}")
        return await self._view(conn, row)

    async def delete(self, conn: AsyncConnection, tenant_id: str, endpoint_id: int) -> None:
        """The endpoint goes with its secrets and its delivery log (nothing more is sent)."""
        if not await repo.remove(conn, tenant_id, endpoint_id):
            raise NotFound(f"no endpoint {endpoint_id}")

    # --- secrets --------------------------------------------------------------------------

    async def rotate(self, conn: AsyncConnection, tenant_id: str, endpoint_id: int) -> SecretIssued:
        """A new secret signs from now on; the previous one stays valid for the overlap (the
        two signatures travel side by side), an older one still valid ends at once."""
        row = await self._row(conn, tenant_id, endpoint_id, lock=True)
        secret_id, secret = await self._add_secret(conn, row.id)
        await repo.expire_secrets(conn, row.id, secret_id, self.settings.rotation_overlap_s)
        await repo.expire_all_but_newest(conn, row.id, keep=2)
        return SecretIssued(endpoint=await self._view(conn, row), secret=secret)

    async def finish_rotation(
        self, conn: AsyncConnection, tenant_id: str, endpoint_id: int
    ) -> EndpointView:
        """Only the newest secret stays valid (the receiver holds it now)."""
        row = await self._row(conn, tenant_id, endpoint_id, lock=True)
        await repo.expire_all_but_newest(conn, row.id, keep=1)
        return await self._view(conn, row)

    async def signing_secrets(self, conn: AsyncConnection, endpoint_id: int) -> list[str]:
        """The endpoint's valid secrets in clear, newest first (only to sign, in memory)."""
        rows = await repo.valid_secrets(conn, [endpoint_id])
        return [self.keyring.open(r.sealed, SECRET_PURPOSE) for r in rows]

    async def _add_secret(self, conn: AsyncConnection, endpoint_id: int) -> tuple[int, str]:
        secret = new_secret()
        sealed = self.keyring.seal(secret, SECRET_PURPOSE)
        hint = "…" + secret[-HINT_CHARS:]
        return await repo.add_secret(conn, endpoint_id, sealed, hint), secret

    # --- views ------------------------------------------------------------------------------

    async def _row(
        self, conn: AsyncConnection, tenant_id: str, endpoint_id: int, *, lock: bool = False
    ) -> Row[Any]:
        row = await repo.get(conn, tenant_id, endpoint_id, lock=lock)
        if row is None:
            raise NotFound(f"no endpoint {endpoint_id}")
        return row

    async def _view(self, conn: AsyncConnection, row: Row[Any]) -> EndpointView:
        return (await self._views(conn, [row]))[0]

    async def _views(self, conn: AsyncConnection, rows: list[Row[Any]]) -> list[EndpointView]:
        ids = [r.id for r in rows]
        if not ids:
            return []
        secrets: dict[int, list[SecretInfo]] = defaultdict(list)
        for s in await repo.valid_secrets(conn, ids):
            secrets[s.endpoint_id].append(
                SecretInfo(id=s.id, hint=s.hint, created_at=s.created_at, expires_at=s.expires_at)
            )
        counts = await repo.delivery_counts(conn, ids)
        return [_view_of(r, secrets[r.id], counts) for r in rows]


def _ordered(events: Sequence[str]) -> list[str]:
    chosen = set(events)
    return [e for e in SUBSCRIBABLE_EVENTS if e in chosen]


def _view_of(
    row: Row[Any], secrets: list[SecretInfo], counts: dict[tuple[int, str], int]
) -> EndpointView:
    pending = counts.get((row.id, "pending"), 0) + counts.get((row.id, "sending"), 0)
    return EndpointView(
        id=row.id, url=row.url, description=row.description, events=row.events,
        active=row.active, disabled_reason=row.disabled_reason, created_at=row.created_at,
        secrets=secrets, pending=pending, failed=counts.get((row.id, "failed"), 0),
    )  # fmt: skip
