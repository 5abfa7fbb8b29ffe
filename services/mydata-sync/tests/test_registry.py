"""VAT registry look-ups through mydata-sync against aade-sim's RgWsPublic2 stand-in: stored
codes sealed, the cache, the provider's codes, and every refusal as a clear 4xx/503."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import pytest
from sqlalchemy import text

from contracts.registry import REGISTRY_CODES_PATH, REGISTRY_PATH
from kit.auth import TokenCodec, internal_audience
from kit.secrets import Keyring
from kit.settings import DEV_INTERNAL_TOKEN_SECRET
from mydata_sync.registry.service import reseal_all

from .conftest import SettingsFactory, Sim, SyncRunner

CODES = {"username": "DEVCODES01", "password": "dev-only-codes-password"}
DEMO, CLIENT = "094420307", "090000045"


def _headers(subject: str, tenant: str | None, **extra: str) -> dict[str, str]:
    codec = TokenCodec(DEV_INTERNAL_TOKEN_SECRET, "einvoicing", internal_audience("mydata-sync"))
    claims = {"tid": tenant, "vats": []} if tenant else {}
    token = codec.issue(subject, 300, **claims)[0]
    headers = {"Authorization": f"Bearer {token}", **extra}
    return headers | ({"X-Tenant-Id": tenant} if tenant else {})


def admin() -> dict[str, str]:
    return _headers("tenant-admin", None)


def portal(tenant: str = "t-reg", **extra: str) -> dict[str, str]:
    return _headers("portal-web", tenant, **extra)


async def _calls(sim: Sim) -> dict[str, Any]:
    body: dict[str, Any] = (await sim.http.get("/_admin/registry")).json()
    return body


@pytest.fixture
async def registry_settings(sync_settings: SettingsFactory, sim: Sim) -> Any:
    return await sync_settings(
        gsis_url=f"{sim.url}/wsaade/RgWsPublic2/RgWsPublic2", gsis_timeout_s=1.0
    )


async def test_codes_are_asked_for_then_stored_sealed_and_used(
    running: SyncRunner, registry_settings: Any, sim: Sim
) -> None:
    async with running(registry_settings) as sync:
        http = sync.http
        missing = await http.get(f"{REGISTRY_PATH}/{DEMO}", headers=portal())
        assert missing.status_code == 409
        assert missing.json()["code"] == "vat_registry_codes_missing"
        assert (await http.get(REGISTRY_CODES_PATH, headers=portal())).json()["stored"] is False

        tried = await http.post(
            REGISTRY_CODES_PATH, json={"vat": DEMO, "codes": CODES}, headers=portal()
        )
        assert tried.status_code == 200, tried.text
        assert tried.json()["registration"]["legal_name"] == "DEMO ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ ΛΟΓΙΣΜΙΚΟΥ"
        assert (await http.get(REGISTRY_CODES_PATH, headers=portal())).json()["stored"] is True

        async with sync.runtime.engine.connect() as conn:
            row = (await conn.execute(text("SELECT * FROM registry_codes"))).one()
        assert CODES["password"] not in str(tuple(row)) and CODES["username"] not in str(tuple(row))

        found = await http.get(f"{REGISTRY_PATH}/{CLIENT}", headers=portal())
        assert found.status_code == 200 and found.json()["cached"] is False
        again = await http.get(f"{REGISTRY_PATH}/{CLIENT}", headers=portal())
        assert again.json()["cached"] is True
        assert (await _calls(sim))["by_vat"] == {DEMO: 1, CLIENT: 1}


async def test_codes_that_fail_are_not_stored(running: SyncRunner, registry_settings: Any) -> None:
    async with running(registry_settings) as sync:
        wrong = {"username": "DEVCODES01", "password": "not-it"}
        r = await sync.http.post(
            REGISTRY_CODES_PATH,
            json={"vat": DEMO, "codes": wrong},
            headers=portal(**{"Accept-Language": "en"}),
        )
        assert r.status_code == 409
        body = r.json()
        assert body["code"] == "vat_registry_codes_refused"
        assert body["error"]["message"] == "Wrong special-codes username or password"
        assert body["data"]["registry_code"] == "RG_WS_PUBLIC_TOKEN_USERNAME_NOT_AUTHENTICATED"
        status = await sync.http.get(REGISTRY_CODES_PATH, headers=portal())
        assert status.json()["stored"] is False


async def test_codes_refused_later_are_not_tried_again(
    running: SyncRunner, registry_settings: Any, sim: Sim
) -> None:
    async with running(registry_settings) as sync:
        await sync.http.post(
            REGISTRY_CODES_PATH, json={"vat": DEMO, "codes": CODES}, headers=portal()
        )
        switch = {"error_code": "RG_WS_PUBLIC_TOKEN_USERNAME_NOT_ACTIVE"}
        await sim.http.post("/_admin/registry", json=switch)
        first = await sync.http.get(f"{REGISTRY_PATH}/{CLIENT}", headers=portal())
        second = await sync.http.get(f"{REGISTRY_PATH}/801000000", headers=portal())
        assert first.status_code == second.status_code == 409
        assert second.json()["code"] == "vat_registry_codes_refused"
        assert (await _calls(sim))["by_vat"].get("801000000") is None  # no second call
        status = (await sync.http.get(REGISTRY_CODES_PATH, headers=portal())).json()
        assert status["refused_at"] is not None


@pytest.mark.parametrize(
    ("vat", "switch", "status", "code"),
    [
        ("804000005", None, 404, "vat_not_registered"),
        ("803000007", None, 404, "vat_not_registered"),
        (
            DEMO,
            {"error_code": "RG_WS_PUBLIC_MONTHLY_LIMIT_EXCEEDED"},
            429,
            "vat_registry_limit_reached",
        ),
        (DEMO, {"error_code": "RG_WS_PUBLIC_TOKEN_AFM_BLOCKED"}, 403, "vat_registry_blocked"),
        (DEMO, {"error_code": "RG_WS_PUBLIC_SERVICE_NOT_ACTIVE"}, 503, "vat_registry_unavailable"),
        (DEMO, {"failure": "soap_fault"}, 503, "vat_registry_unavailable"),
        (DEMO, {"failure": "http_500"}, 503, "vat_registry_unavailable"),
        (DEMO, {"failure": "hang"}, 503, "vat_registry_unavailable"),
    ],
)
async def test_each_answer_reaches_the_caller_as_a_clear_error(
    running: SyncRunner,
    registry_settings: Any,
    sim: Sim,
    vat: str,
    switch: dict[str, str] | None,
    status: int,
    code: str,
) -> None:
    async with running(registry_settings) as sync:
        if switch:
            await sim.http.post("/_admin/registry", json=switch)
        r = await sync.http.get(f"{REGISTRY_PATH}/{vat}", headers=admin())
        assert r.status_code == status, r.text
        body = r.json()
        assert body["code"] == code and body["error"]["message"]
        if status in (429, 503):
            assert int(r.headers["Retry-After"]) > 0


async def test_a_wrong_check_digit_costs_no_call(
    running: SyncRunner, registry_settings: Any, sim: Sim
) -> None:
    async with running(registry_settings) as sync:
        r = await sync.http.get(f"{REGISTRY_PATH}/094420308", headers=admin())
        assert r.status_code == 400
        assert r.json()["data"]["validation_errors"] == ["vat: check digit does not match"]
        assert (await _calls(sim))["total"] == 0


async def test_only_tenant_admin_uses_the_providers_codes_and_tokens_bind_tenants(
    running: SyncRunner, registry_settings: Any
) -> None:
    async with running(registry_settings) as sync:
        get = sync.http.get
        provider = await get(f"{REGISTRY_PATH}/{DEMO}", headers=admin())
        assert provider.status_code == 200
        unbound = await get(f"{REGISTRY_PATH}/{DEMO}", headers=_headers("api-gateway", None))
        assert unbound.status_code == 401
        other = portal("t-one") | {"X-Tenant-Id": "t-two"}
        assert (await get(f"{REGISTRY_PATH}/{DEMO}", headers=other)).status_code == 401
        no_token = await get(f"{REGISTRY_PATH}/{DEMO}")
        assert no_token.status_code == 401


async def test_identical_questions_at_once_share_one_call(
    running: SyncRunner, registry_settings: Any, sim: Sim
) -> None:
    async with running(registry_settings) as sync:
        answers = await asyncio.gather(
            *(sync.http.get(f"{REGISTRY_PATH}/{CLIENT}", headers=admin()) for _ in range(5))
        )
        assert all(a.status_code == 200 for a in answers)
        assert (await _calls(sim))["by_vat"] == {CLIENT: 1}


async def test_greek_is_the_default_language(running: SyncRunner, registry_settings: Any) -> None:
    async with running(registry_settings) as sync:
        r = await sync.http.get(f"{REGISTRY_PATH}/804000005", headers=admin())
        assert r.json()["error"]["message"] == "Δεν βρέθηκε φορολογούμενος με αυτόν τον ΑΦΜ"


async def test_a_seal_key_rotation_reseals_stored_codes_and_they_still_work(
    running: SyncRunner, registry_settings: Any
) -> None:
    """``python -m mydata_sync reseal-codes``: with a new key first and the old one listed,
    every stored code is sealed anew; with the old key then dropped, look-ups still work."""
    old = registry_settings.keyring()
    new_key = base64.b64encode(bytes(range(1, 33))).decode()
    rotated = f"k2:{new_key},{registry_settings.seal_keys}"
    async with running(registry_settings) as sync:
        stored = await sync.http.post(
            REGISTRY_CODES_PATH, json={"vat": DEMO, "codes": CODES}, headers=portal("t-rot")
        )
        assert stored.status_code == 200, stored.text
        engine = sync.runtime.engine
        assert await reseal_all(engine, Keyring.parse(rotated)) == 1
        assert await reseal_all(engine, Keyring.parse(rotated)) == 0  # nothing left to do
        async with engine.connect() as conn:
            row = (await conn.execute(text("SELECT * FROM registry_codes"))).one()
        assert row.sealed_password.startswith("k2.") and row.sealed_username.startswith("k2.")
        assert old.current != "k2"
    only_new = registry_settings.model_copy(update={"seal_keys": f"k2:{new_key}"})
    async with running(only_new) as sync:
        found = await sync.http.get(f"{REGISTRY_PATH}/{CLIENT}", headers=portal("t-rot"))
        assert found.status_code == 200, found.text
