"""``/invoice-data``: internal auth and the seed-002 checks answered before anything is stored."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kit.auth import API_AUDIENCE, TokenCodec

UNAUTHORIZED = {"ok": 0, "code": 401, "error": {"title": "Unauthorized"}}
TITLE = "Πρόβλημα στη δημιουργία του παραστατικού"
VALID = {"transmission_failure": 0, "is_vat": "094420307", "series": "A", "aa": "1"}


def rejected(code: str, message: str) -> dict[str, Any]:
    return {"ok": 0, "code": code, "error": {"title": TITLE, "message": message}}


async def test_missing_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.post("/invoice-data", json=VALID, headers={"X-Tenant-Id": "t-0001"})
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


async def test_wrong_audience_is_401(client: httpx.AsyncClient, internal_codec: TokenCodec) -> None:
    # A customer's API token must not open the internal door.
    api_codec = TokenCodec(internal_codec.secret, internal_codec.issuer, API_AUDIENCE)
    token, _ = api_codec.issue("demo", 60)
    headers = {"Authorization": f"Bearer {token}", "X-Tenant-Id": "t-0001"}
    response = await client.post("/invoice-data", json=VALID, headers=headers)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


async def test_missing_tenant_is_401(
    client: httpx.AsyncClient, gateway_headers: dict[str, str]
) -> None:
    headers = {"Authorization": gateway_headers["Authorization"]}
    response = await client.post("/invoice-data", json=VALID, headers=headers)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


async def test_tenant_other_than_the_tokens_is_401(
    client: httpx.AsyncClient, gateway_headers: dict[str, str]
) -> None:
    headers = {**gateway_headers, "X-Tenant-Id": "t-other"}
    response = await client.post("/invoice-data", json=VALID, headers=headers)
    assert response.status_code == 401


async def test_get_requires_auth(client: httpx.AsyncClient) -> None:
    response = await client.get("/invoice-data", params={"auth_code": "x"})
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


# "" is "not given" (mydata.erp: ERPs send blanks for absent fields), so it is not here.
@pytest.mark.parametrize("value", [2, -1, "2", "yes", True, 0.5, [0]])
async def test_transmission_failure_not_0_or_1_is_009(
    client: httpx.AsyncClient, gateway_headers: dict[str, str], value: object
) -> None:
    body = {**VALID, "transmission_failure": value}
    response = await client.post("/invoice-data", json=body, headers=gateway_headers)
    assert response.status_code == 400
    assert response.json() == rejected(
        "customer_api_009", "Η τιμή του πεδίου transmission_failure μπορεί να είναι μόνο 0 ή 1"
    )


@pytest.mark.parametrize("value", [None, "", "   "])
async def test_empty_issuer_vat_is_014(
    client: httpx.AsyncClient, gateway_headers: dict[str, str], value: object
) -> None:
    body = {**VALID, "is_vat": value}
    response = await client.post("/invoice-data", json=body, headers=gateway_headers)
    assert response.status_code == 400
    assert response.json() == rejected("customer_api_014", "Το ΑΦΜ Εκδότη δεν μπορεί να είναι κενό")


async def test_missing_issuer_vat_is_014(
    client: httpx.AsyncClient, gateway_headers: dict[str, str]
) -> None:
    body = {"transmission_failure": 1}
    response = await client.post("/invoice-data", json=body, headers=gateway_headers)
    assert response.json()["code"] == "customer_api_014"


async def test_009_is_checked_before_014(
    client: httpx.AsyncClient, gateway_headers: dict[str, str]
) -> None:
    body = {"transmission_failure": 7}
    response = await client.post("/invoice-data", json=body, headers=gateway_headers)
    assert response.json()["code"] == "customer_api_009"


@pytest.mark.parametrize("raw", [b"{not json", b"", b"[1, 2]", b'"text"'])
async def test_body_not_a_json_object_is_007(
    client: httpx.AsyncClient, gateway_headers: dict[str, str], raw: bytes
) -> None:
    headers = {**gateway_headers, "Content-Type": "application/json"}
    response = await client.post("/invoice-data", content=raw, headers=headers)
    assert response.status_code == 400
    assert response.json() == rejected(
        "customer_api_007", "Δεν μπόρεσε να καταχωρηθεί το παραστατικό Γενικό Λάθος"
    )


async def test_field_longer_than_the_seed_allows_is_003_with_details(
    client: httpx.AsyncClient, gateway_headers: dict[str, str]
) -> None:
    body = {**VALID, "series": "S" * 21}
    response = await client.post("/invoice-data", json=body, headers=gateway_headers)
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "mydata_sync_003"
    assert answer["error"]["message"] == "Η αποστολή στο myDATA απέτυχε (XML Validation)"
    assert any(p.startswith("series:") for p in answer["data"]["validation_errors"])


async def test_oversized_body_is_413(
    client: httpx.AsyncClient, gateway_headers: dict[str, str]
) -> None:
    raw = b'{"is_vat": "' + b"9" * 1_000_001 + b'"}'
    response = await client.post("/invoice-data", content=raw, headers=gateway_headers)
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
