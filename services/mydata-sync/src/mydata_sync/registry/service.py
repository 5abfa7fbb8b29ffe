"""Look-ups with a customer's stored codes or the provider's, cached, one call per question.

Each look-up notifies the looked-up taxpayer and counts against the codes' daily and monthly
limits (INTEGRATIONS.md §1), so: the check digit is checked first, answers (also "not found")
are cached per codes owner, concurrent identical questions share one call, and codes GSIS
refused are not tried again until new ones are stored (repeated failures lock them out).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.registry import Registration, RegistryAnswer, RegistryCodes, RegistryCodesStatus
from gsis.client import RegistryClient
from gsis.errors import Outcome, Refused, RegistryError
from kit.cache import TtlCache
from kit.db import workflow_step
from kit.errors import InvalidRequest
from kit.secrets import Keyring
from mydata.vat import vat_problem
from mydata_sync.registry import repository
from mydata_sync.registry.errors import codes_missing, codes_refused_before, registry_error

log = logging.getLogger("mydata_sync.registry")
PROVIDER = ""  # the cache owner of look-ups made with the provider's own codes
Known = Registration | Refused


class VatRegistry:
    def __init__(
        self,
        engine: AsyncEngine,
        client: RegistryClient,
        keyring: Keyring,
        provider_codes: RegistryCodes | None,
        *,
        ttl_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._client = client
        self._keyring = keyring
        self._provider_codes = provider_codes
        self._ttl_s = ttl_s
        self._cache: TtlCache[tuple[str, str], Known] = TtlCache(clock=clock)
        self._asking: dict[tuple[str, str], asyncio.Future[Known]] = {}

    async def look_up(self, vat: str, tenant_id: str | None) -> RegistryAnswer:
        """With the customer's stored codes, or the provider's when ``tenant_id`` is None."""
        _check(vat)
        owner = tenant_id or PROVIDER
        known = self._cache.get((owner, vat))
        if known is None:
            codes, sealed = await self._codes(tenant_id)
            known = await self._once((owner, vat), codes)
            if isinstance(known, Refused) and known.outcome is Outcome.CODES_REFUSED and sealed:
                async with workflow_step(self._engine) as conn:
                    await repository.mark_refused(conn, owner, sealed, known.code)
            return _answer(known, cached=False)
        return _answer(known, cached=True)

    async def try_codes(self, tenant_id: str, vat: str, codes: RegistryCodes) -> RegistryAnswer:
        """A look-up with new codes; they are stored (sealed) only when GSIS accepted them."""
        _check(vat)
        known = await self._ask(codes, vat)
        if isinstance(known, Refused) and known.outcome is not Outcome.NOT_FOUND:
            raise registry_error(known)  # only an answer about the VAT proves the codes work
        async with workflow_step(self._engine) as conn:
            await repository.save(
                conn,
                tenant_id,
                self._seal(codes.username, tenant_id, "user"),
                self._seal(codes.password, tenant_id, "password"),
            )
        self._cache.put((tenant_id, vat), known, self._ttl_for(known))
        return _answer(known, cached=False)

    async def status(self, tenant_id: str) -> RegistryCodesStatus:
        async with self._engine.connect() as conn:
            row = await repository.codes_of(conn, tenant_id)
        if row is None:
            return RegistryCodesStatus(stored=False)
        return RegistryCodesStatus(stored=True, saved_at=row.saved_at, refused_at=row.refused_at)

    async def forget(self, tenant_id: str) -> None:
        async with workflow_step(self._engine) as conn:
            await repository.forget(conn, tenant_id)

    async def _codes(self, tenant_id: str | None) -> tuple[RegistryCodes, str | None]:
        if tenant_id is None:
            if self._provider_codes is None:
                raise codes_missing(provider=True)
            return self._provider_codes, None
        async with self._engine.connect() as conn:
            row = await repository.codes_of(conn, tenant_id)
        if row is None:
            raise codes_missing(provider=False)
        if row.refused_at is not None:
            raise codes_refused_before(row.refusal or "")
        codes = RegistryCodes(
            username=self._keyring.open(row.sealed_username, _purpose(tenant_id, "user")),
            password=self._keyring.open(row.sealed_password, _purpose(tenant_id, "password")),
        )
        return codes, row.sealed_password

    async def _once(self, key: tuple[str, str], codes: RegistryCodes) -> Known:
        """One call per (owner, VAT) at a time: the others wait for its answer."""
        pending = self._asking.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Known] = asyncio.get_running_loop().create_future()
        self._asking[key] = future
        try:
            known = await self._ask(codes, key[1])
            future.set_result(known)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning when nobody waited
            raise
        finally:
            del self._asking[key]
        self._cache.put(key, known, self._ttl_for(known))
        return known

    async def _ask(self, codes: RegistryCodes, vat: str) -> Known:
        try:
            return await self._client.look_up(codes.username, codes.password, vat)
        except Refused as refused:
            log.info("registry refused", extra={"vat": vat, "code": refused.code})
            return refused
        except RegistryError as exc:
            log.warning("registry unavailable", extra={"vat": vat, "error": str(exc)})
            raise registry_error(exc) from exc

    def _ttl_for(self, known: Known) -> float:
        if isinstance(known, Registration):
            return self._ttl_s
        # "Not found" is an answer worth keeping too (a while: a new company may register).
        return self._ttl_s / 24 if known.outcome is Outcome.NOT_FOUND else 0.0

    def _seal(self, secret: str, tenant_id: str, part: str) -> str:
        return self._keyring.seal(secret, _purpose(tenant_id, part))


async def reseal_all(engine: AsyncEngine, keyring: Keyring) -> int:
    """Key rotation: every customer's codes sealed under the keyring's current key (the first
    of ``EINV_SEAL_KEYS``), so that the old key can then be dropped; how many changed."""
    async with engine.connect() as conn:
        rows = await repository.all_sealed(conn)
    changed = 0
    current = keyring.current + "."
    for row in rows:
        if row.sealed_username.startswith(current) and row.sealed_password.startswith(current):
            continue
        tenant = row.tenant_id
        username = keyring.reseal(row.sealed_username, _purpose(tenant, "user"))
        password = keyring.reseal(row.sealed_password, _purpose(tenant, "password"))
        async with workflow_step(engine) as conn:
            args = (tenant, row.sealed_password, username, password)
            changed += await repository.replace_sealed(conn, *args)
    return changed


def _purpose(tenant_id: str, part: str) -> str:
    # Bound to the customer: a sealed value copied to another customer's row does not open.
    return f"registry-codes:{part}:{tenant_id}"


def _check(vat: str) -> None:
    if problem := vat_problem(vat):
        raise InvalidRequest([f"vat: {problem}"], message="Ο ΑΦΜ δεν είναι έγκυρος")


def _answer(known: Known, *, cached: bool) -> RegistryAnswer:
    if isinstance(known, Refused):
        raise registry_error(known)
    return RegistryAnswer(registration=known, cached=cached)
