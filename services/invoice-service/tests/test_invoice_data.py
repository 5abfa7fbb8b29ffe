"""``/invoice-data``: internal auth and the seed-002 checks answered before anything is stored."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kit.auth import API_AUDIENCE, TokenCodec
from testkit.invoices import sample_invoice

UNAUTHORIZED = {"ok": 0, "code": 401, "error": {"title": "Unauthorized"}}
TITLE = "Πρόβλημα στη δημιουργία του παραστατικού"
VALID = {"transmission_failure": 0, "is_vat": "094420307", "series": "A", "aa": "1"}


def rejected(code: str, message: str, problem: str) -> dict[str, Any]:
    error = {"title": TITLE, "message": message}
    return {"ok": 0, "code": code, "error": error, "data": {"validation_errors": [problem]}}


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
        "customer_api_009",
        "Η τιμή του πεδίου transmission_failure μπορεί να είναι μόνο 0 ή 1",
        'transmission_failure: must be the number 0 or 1 (absent, null or "" mean 0)',
    )


@pytest.mark.parametrize("value", [None, "", "   "])
async def test_empty_issuer_vat_is_014(
    client: httpx.AsyncClient, gateway_headers: dict[str, str], value: object
) -> None:
    body = {**VALID, "is_vat": value}
    response = await client.post("/invoice-data", json=body, headers=gateway_headers)
    assert response.status_code == 400
    assert response.json() == rejected(
        "customer_api_014",
        "Το ΑΦΜ Εκδότη δεν μπορεί να είναι κενό",
        "is_vat: required and not blank",
    )


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


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{not json", "body: not valid JSON: "),
        (b"", "body: not valid JSON: "),
        (b"[1, 2]", "body: must be a JSON object"),
        (b'"text"', "body: must be a JSON object"),
    ],
)
async def test_body_not_a_json_object_is_007_with_the_reason(
    client: httpx.AsyncClient, gateway_headers: dict[str, str], raw: bytes, reason: str
) -> None:
    headers = {**gateway_headers, "Content-Type": "application/json"}
    response = await client.post("/invoice-data", content=raw, headers=headers)
    assert response.status_code == 400
    answer = response.json()
    (problem,) = answer["data"]["validation_errors"]
    assert problem.startswith(reason)
    assert answer == rejected(
        "customer_api_007", "Δεν μπόρεσε να καταχωρηθεί το παραστατικό Γενικό Λάθος", problem
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
    headers = {**gateway_headers, "Content-Type": "application/json"}
    response = await client.post("/invoice-data", content=raw, headers=headers)
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


@pytest.mark.parametrize(
    ("content_type", "named"),
    [(None, "missing"), ("text/plain", "'text/plain'"), ("application/json; charset=latin-1", "")],
)
async def test_body_not_declared_as_utf8_json_is_415(
    client: httpx.AsyncClient, gateway_headers: dict[str, str], content_type: str | None, named: str
) -> None:
    headers = dict(gateway_headers) | ({"Content-Type": content_type} if content_type else {})
    headers["Accept-Language"] = "en"  # English wording; Greek is the default
    response = await client.post("/invoice-data", content=b"{}", headers=headers)
    assert response.status_code == 415
    answer = response.json()
    assert answer["code"] == "unsupported_media_type"
    assert (
        answer["error"]["message"].startswith("Content-Type:")
        and named in answer["error"]["message"]
    )
    (problem,) = answer["data"]["validation_errors"]
    assert problem.startswith("Content-Type:") and named in problem


async def test_internal_token_not_bound_to_a_tenant_opens_nothing(
    client: httpx.AsyncClient, internal_codec: TokenCodec
) -> None:
    # The token one service uses to call another (no ``tid``) must not read any tenant.
    token, _ = internal_codec.issue("mydata-sync", 60)
    headers = {"Authorization": f"Bearer {token}", "X-Tenant-Id": "t-0001"}
    response = await client.get("/invoice-data", params={"auth_code": "x"}, headers=headers)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


async def test_issuer_vat_not_the_customers_is_refused(
    client: httpx.AsyncClient, internal_codec: TokenCodec
) -> None:
    token, _ = internal_codec.issue("api-gateway", 60, tid="t-0001", vats=["090000045"])
    headers = {"Authorization": f"Bearer {token}", "X-Tenant-Id": "t-0001"}
    response = await client.post("/invoice-data", json=sample_invoice(), headers=headers)
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "issuer_vat_not_authorised"
    assert answer["error"]["message"].startswith("is_vat: το ΑΦΜ εκδότη 094420307")
    english = await client.post("/invoice-data", json=sample_invoice(lang="en"), headers=headers)
    assert english.json()["code"] == "issuer_vat_not_authorised"
    assert english.json()["error"] == {
        "title": "The invoice could not be created",
        "message": "is_vat: 094420307 is not this customer's VAT number nor one authorised for it",
    }
    assert english.json()["data"]["validation_errors"] == [
        "is_vat: 094420307 is neither the customer's nor authorised"
    ]


@pytest.mark.parametrize("param", ["auth_code", "pnr01"])
async def test_control_characters_in_look_up_parameters_are_refused(
    client: httpx.AsyncClient, gateway_headers: dict[str, str], param: str
) -> None:
    response = await client.get("/invoice-data", params={param: "A\x00B"}, headers=gateway_headers)
    assert response.status_code == 400
    problems = response.json()["data"]["validation_errors"]
    assert problems == [f"{param}: must not contain control characters (U+0000)"]
