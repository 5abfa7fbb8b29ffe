"""mydata-sync's VAT registry look-ups with the customer's stored GSIS codes (SPEC VAT-1)."""

from __future__ import annotations

from contracts.registry import (
    REGISTRY_CODES_PATH,
    REGISTRY_PATH,
    RegistryAnswer,
    RegistryCodes,
    RegistryCodesLookup,
    RegistryCodesStatus,
)
from portal_web.clients.http import Reply, Upstream, UpstreamUnavailable, expect_ok, parse


class RegistryRefusal(Exception):
    """A look-up answered with one of ``contracts.registry``'s codes; ``detail`` is
    mydata-sync's own wording, in the language asked for."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


class VatRegistryClient:
    def __init__(self, upstream: Upstream, base_url: str) -> None:
        self._upstream = upstream
        self._base = base_url.rstrip("/")

    async def look_up(self, tenant_id: str, vat: str, language: str) -> RegistryAnswer:
        reply = await self._upstream.call(
            "GET", f"{self._base}{REGISTRY_PATH}/{vat}", tenant_id=tenant_id, language=language
        )
        return _answer(reply)

    async def try_codes(
        self, tenant_id: str, vat: str, codes: RegistryCodes, language: str
    ) -> RegistryAnswer:
        reply = await self._upstream.call(
            "POST",
            self._base + REGISTRY_CODES_PATH,
            tenant_id=tenant_id,
            json=RegistryCodesLookup(vat=vat, codes=codes),
            language=language,
        )
        return _answer(reply)

    async def status(self, tenant_id: str) -> RegistryCodesStatus:
        reply = await self._upstream.call(
            "GET", self._base + REGISTRY_CODES_PATH, tenant_id=tenant_id
        )
        return parse(reply, RegistryCodesStatus)

    async def forget(self, tenant_id: str) -> None:
        reply = await self._upstream.call(
            "DELETE", self._base + REGISTRY_CODES_PATH, tenant_id=tenant_id
        )
        expect_ok(reply)


def _answer(reply: Reply) -> RegistryAnswer:
    if reply.status == 200:
        return parse(reply, RegistryAnswer)
    code, detail = _error_of(reply)
    if code is None:
        raise UpstreamUnavailable(f"registry look-up answered {reply.status}")
    raise RegistryRefusal(code, detail)


def _error_of(reply: Reply) -> tuple[str | None, str]:
    """The code and message of the platform's error shape; (None, "") for anything else."""
    try:
        body = reply.json()
    except ValueError:
        return None, ""
    if not isinstance(body, dict) or not isinstance(body.get("code"), str):
        return None, ""
    error = body.get("error")
    message = error.get("message", "") if isinstance(error, dict) else ""
    return body["code"], str(message)
