"""Pieces without a server: identifiers, settings, persistence, admin switch."""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from pathlib import Path
from secrets import token_urlsafe
from typing import Any

import httpx
import pytest

from aade_sim.main import create_app
from aade_sim.provider.front import canonical_path
from aade_sim.provider.identifiers import parse_qr_token, qr_url, uid_source
from aade_sim.settings import AadeSimSettings


def test_uid_source_matches_the_faq_format() -> None:
    # MYDATA.md §4 / synthetic sample: "999999999-2026-03-16-0-2.1-TPY-57" → 3ACEDDA4…
    source = uid_source("999999999", date(2026, 3, 16), 0, "2.1", "TPY", "57")
    assert source == "999999999-2026-03-16-0-2.1-TPY-57"
    digest = hashlib.sha1(source.encode("iso-8859-7")).hexdigest().upper()
    assert digest == "3ACEDDA426DD1E5C2B5AEFDFAF81FDBFA8C67E95"


def test_qr_token_round_trip() -> None:
    url = qr_url("http://sim/", 400000000000123, "AB" * 20)
    token = httpx.URL(url).params["q"]
    assert (
        url.startswith("http://sim/TimologioQR/QRInfo?q=")
        and parse_qr_token(token) == 400000000000123
    )
    assert parse_qr_token("%%%") is None


@pytest.mark.parametrize(
    "path,expected",
    [
        ("/mydataprovider/requesttransmitteddocs", "/myDataProvider/RequestTransmittedDocs"),
        ("/myDATAProvider/RequestReceiverInfo/", "/myDataProvider/RequestReceiverInfo"),
        ("/myDataProvider/Unknown", "/myDataProvider/Unknown"),
        ("/healthz", None),
    ],
)
def test_canonical_path(path: str, expected: str | None) -> None:
    assert canonical_path(path) == expected


def test_xsd_dir_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EINV_MYDATA_XSD_DIR", raising=False)
    monkeypatch.setenv("EINV_SHARED_DIR", "/somewhere/shared")
    assert AadeSimSettings().xsd_dir() == Path("/somewhere/shared/mydata-xsd")
    monkeypatch.setenv("EINV_MYDATA_XSD_DIR", "xsds")
    assert AadeSimSettings().xsd_dir() == Path("xsds")


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EINV_AADE_SIM_CREDENTIALS", "u1:k1, u2:k2")
    monkeypatch.setenv("EINV_AADE_SIM_PORT", "9999")
    settings = AadeSimSettings()
    assert settings.credential_map() == {"u1": "k1", "u2": "k2"} and settings.port == 9999
    monkeypatch.setenv("EINV_AADE_SIM_CREDENTIALS", "no-key")
    with pytest.raises(ValueError):
        AadeSimSettings()


def test_prod_refuses_dev_credentials_and_hides_admin() -> None:
    secrets = {
        f: token_urlsafe(32)
        for f in ("api_token_secret", "internal_token_secret", "operator_token_secret")
    } | {"seal_keys": "k1:" + base64.b64encode(bytes(range(32))).decode()}
    with pytest.raises(ValueError, match="EINV_AADE_SIM_CREDENTIALS"):
        AadeSimSettings(environment="prod", **secrets)
    with pytest.raises(ValueError, match="EINV_AADE_SIM_REGISTRY_USERS"):
        AadeSimSettings(environment="prod", credentials="a:b", **secrets)
    prod = AadeSimSettings(environment="prod", credentials="a:b", registry_users="c:d", **secrets)
    assert not prod.admin_enabled
    assert AadeSimSettings(environment="dev").admin_enabled


async def test_admin_can_be_switched_off(sim_app: Any) -> None:
    app = sim_app(admin=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as c:
        assert (await c.get("/_admin/registrations")).status_code == 404
        assert (await c.get("/healthz")).status_code == 200


async def test_sqlite_keeps_registrations_across_restarts(
    sim_app: Any, tmp_path: Path, invoice: Any, auth: dict[str, str]
) -> None:
    db = str(tmp_path / "sim.db")
    doc = invoice()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(sim_app(db_path=db)), base_url="http://t"
    ) as c:
        first = await c.post("/myDataProvider/SendInvoices", content=doc.body(), headers=auth)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(sim_app(db_path=db)), base_url="http://t"
    ) as c:
        again = await c.post("/myDataProvider/SendInvoices", content=doc.body(), headers=auth)
        other = await c.post("/myDataProvider/SendInvoices", content=invoice().body(), headers=auth)
    mark = first.text.split("<invoiceMark>")[1][:15]
    assert f"mark: {mark}" in again.text
    assert int(other.text.split("<invoiceMark>")[1][:15]) > int(mark)  # never reused


def test_create_app_without_xsd_fails_early(sim_app: Any, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        create_app(AadeSimSettings(mydata_xsd_dir=str(tmp_path)))
