"""The RgWsPublic2 stand-in, driven by the platform's own client (libs/gsis) over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from gsis.client import RegistryClient
from gsis.errors import Outcome, Refused, SoapFault, Unreachable
from gsis.soap import CONTENT_TYPE, lookup_request

USER, PASSWORD = "DEVCODES01", "dev-only-codes-password"
PATH = "/wsaade/RgWsPublic2/RgWsPublic2"


@pytest.fixture
async def registry(base_url: str, client: httpx.AsyncClient) -> AsyncIterator[RegistryClient]:
    gsis = RegistryClient(base_url + PATH, timeout=2)
    yield gsis
    await gsis.close()


async def test_a_fixture_company_comes_back_cleaned(registry: RegistryClient) -> None:
    reg = await registry.look_up(USER, PASSWORD, "094420307")
    assert reg.legal_name == "DEMO ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ ΛΟΓΙΣΜΙΚΟΥ"
    assert reg.trade_name == "DEMO Α.Ε."
    assert reg.address == "ΛΕΩΦ ΣΥΓΓΡΟΥ 100, 11741 ΑΘΗΝΑ"
    assert [a.kind for a in reg.activities] == ["main", "secondary", "secondary"]
    assert reg.activities[1].description.startswith("ΥΠΗΡΕΣΙΕΣ")  # its leading code dropped


async def test_one_activity_and_a_deactivated_company(registry: RegistryClient) -> None:
    single = await registry.look_up(USER, PASSWORD, "090000045")
    assert len(single.activities) == 1 and single.trade_name == ""
    stopped = await registry.look_up(USER, PASSWORD, "801000000")
    assert not stopped.active and stopped.stopped_on is not None and stopped.activities == ()


@pytest.mark.parametrize(
    ("user", "password", "vat", "code", "outcome"),
    [
        (USER, "wrong", "094420307", "TOKEN_USERNAME_NOT_AUTHENTICATED", Outcome.CODES_REFUSED),
        ("", PASSWORD, "094420307", "TOKEN_USERNAME_NOT_DEFINED", Outcome.CODES_REFUSED),
        (USER, PASSWORD, "094420308", "WRONG_AFM", Outcome.NOT_FOUND),
        (USER, PASSWORD, "804000005", "TAXPAYER_NF", Outcome.NOT_FOUND),
        (USER, PASSWORD, "803000007", "EPIT_NF", Outcome.NOT_FOUND),
        (USER, PASSWORD, "", "NO_INPUT_PARAMETERS", Outcome.UNAVAILABLE),
    ],
)
async def test_each_refusal_arrives_as_its_code(
    registry: RegistryClient, user: str, password: str, vat: str, code: str, outcome: Outcome
) -> None:
    with pytest.raises(Refused) as caught:
        await registry.look_up(user, password, vat)
    assert caught.value.code == "RG_WS_PUBLIC_" + code
    assert caught.value.outcome is outcome


async def test_a_forced_code_answers_the_next_calls_then_stops(
    registry: RegistryClient, client: httpx.AsyncClient
) -> None:
    switch = {"error_code": "RG_WS_PUBLIC_MAX_DAILY_USERNAME_CALLS_EXCEEDED", "times": 1}
    (await client.post("/_admin/registry", json=switch)).raise_for_status()
    with pytest.raises(Refused) as caught:
        await registry.look_up(USER, PASSWORD, "094420307")
    assert caught.value.outcome is Outcome.LIMITED
    assert (await registry.look_up(USER, PASSWORD, "094420307")).vat == "094420307"
    calls = (await client.get("/_admin/registry")).json()
    assert calls["by_username"] == {USER: 2} and calls["switch"] is None


@pytest.mark.parametrize(
    ("failure", "error"),
    [("soap_fault", SoapFault), ("http_500", Unreachable), ("hang", Unreachable)],
)
async def test_transport_failures_are_typed(
    registry: RegistryClient, client: httpx.AsyncClient, failure: str, error: type[Exception]
) -> None:
    (await client.post("/_admin/registry", json={"failure": failure})).raise_for_status()
    with pytest.raises(error):
        await registry.look_up(USER, PASSWORD, "094420307")


async def test_an_empty_as_on_date_gets_the_live_fault(client: httpx.AsyncClient) -> None:
    body = lookup_request(USER, PASSWORD, "094420307").replace(
        b"</ns3:afm_called_for>", b"</ns3:afm_called_for><ns3:as_on_date/>"
    )
    r = await client.post(PATH, content=body, headers={"Content-Type": CONTENT_TYPE})
    assert r.status_code == 500
    assert b"NullPointerException" in r.content
