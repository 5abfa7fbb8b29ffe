"""Authorising a customer to issue under another VAT number (a group company, a branch with
its own number). Never commits: the caller owns the transaction.

The gateway reads the list with each token's status (cached for ``EINV_TOKEN_CACHE_TTL_S``) and
binds it into the internal token, so a change reaches every gateway within that time.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from mydata.vat import vat_problem
from tenant_admin.errors import InvalidInput, UnknownTenant
from tenant_admin.issuers import repository


async def issuer_vats(conn: AsyncConnection, customer_id: str) -> list[str]:
    """The customer's own VAT number first, then the authorised ones."""
    own = await repository.own_vat(conn, customer_id)
    if own is None:
        raise UnknownTenant(f"no customer {customer_id}")
    return [own, *(v for v in await repository.authorised(conn, customer_id) if v != own)]


async def authorise(conn: AsyncConnection, customer_id: str, vat: str, note: str | None) -> bool:
    """True when newly authorised, False when it already was (or is the customer's own)."""
    problem = vat_problem(vat)
    if problem:
        raise InvalidInput(f"vat: {vat!r} {problem}")
    if vat in await issuer_vats(conn, customer_id):
        return False
    return await repository.add(conn, customer_id, vat, note)


async def revoke(conn: AsyncConnection, customer_id: str, vat: str) -> bool:
    return await repository.remove(conn, customer_id, vat)
