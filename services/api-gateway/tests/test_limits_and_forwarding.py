"""Rate limit, body cap, what is forwarded to invoice-service and what comes back."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kit.auth import TokenCodec, internal_audience
from kit.postman import postman_collection


async def token_for(catalog: Any, calls: int = 100) -> tuple[str, str]:
    customer = await catalog.customer((calls, 0, -1, 30))
    token, _ = await catalog.token(customer)
    return customer, token


async def test_rate_limit_429_with_retry_after(
    http: httpx.AsyncClient, gateway_factory: Any, catalog: Any
) -> None:
    url = await gateway_factory(rate_limit_per_s=0.5, rate_limit_burst=3)
    customer, token = await token_for(catalog)
    headers = {"Authorization": f"Bearer {token}"}
    statuses = [
        (await http.get(f"{url}/invoice-data?pnr01=x", headers=headers)).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 200]
    for method in ("GET", "POST"):
        resp = await http.request(method, f"{url}/invoice-data", headers=headers, content=b"{}")
        assert resp.status_code == 429
        assert resp.json()["code"] == "rate_limited"
        assert resp.json()["ok"] == 0
        assert int(resp.headers["Retry-After"]) >= 1
    assert await catalog.calls_used(customer) == [0]  # limited before the quota


async def test_body_cap_413(http: httpx.AsyncClient, gateway_factory: Any, catalog: Any) -> None:
    url = await gateway_factory(gateway_max_body_bytes=2048)
    customer, token = await token_for(catalog)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    resp = await http.post(f"{url}/invoice-data", headers=headers, content=b"x" * 4096)
    assert resp.status_code == 413
    assert resp.json()["code"] == "payload_too_large"
    assert resp.json()["data"]["validation_errors"] == ["body: larger than 2048 bytes"]

    async def chunked() -> Any:  # no Content-Length: only the streamed size can tell
        for _ in range(8):
            yield b"y" * 512

    resp = await http.post(f"{url}/invoice-data", headers=headers, content=chunked())
    assert resp.status_code == 413
    assert (await http.post(f"{url}/invoice-data", headers=headers, content=b"{}")).is_success
    assert await catalog.calls_used(customer) == [1]


async def test_forwarded_headers_and_pass_through(
    http: httpx.AsyncClient, gateway: str, catalog: Any
) -> None:
    customer, token = await token_for(catalog)
    headers = {
        "Authorization": f"Bearer {token}",
        "X-Request-Id": "req-12345",
        "Idempotency-Key": "idem-1",
        "Content-Type": "application/json",
    }
    resp = await http.post(
        f"{gateway}/invoice-data?answer=201&x=%CE%91", headers=headers, content=b'{"aa":"26"}'
    )
    assert resp.status_code == 201
    assert resp.headers["content-type"] == "application/json; charset=utf-8"
    assert resp.headers["x-request-id"] == "req-12345"
    seen = resp.json()
    assert seen["body"] == '{"aa":"26"}'
    assert seen["query"] == "answer=201&x=%CE%91"
    got = seen["headers"]
    assert got["x-tenant-id"] == customer
    assert got["x-request-id"] == "req-12345"
    assert got["x-customer-username"] == "erp_user"
    assert got["idempotency-key"] == "idem-1"
    internal = TokenCodec(
        "test-internal-token-secret-0123456789ab",
        "einvoicing-test",
        internal_audience("invoice-service"),
    )
    claims = internal.verify(got["authorization"].removeprefix("Bearer "))
    # Bound to the tenant and to the VAT numbers it may issue under (its own, from the catalog).
    assert claims["sub"] == "api-gateway" and claims["tid"] == customer
    assert claims["vats"] == [await catalog.vat_of(customer)]


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/json; charset=latin-1"])
async def test_body_not_declared_as_utf8_json_is_415_and_not_charged(
    http: httpx.AsyncClient, gateway: str, catalog: Any, content_type: str | None
) -> None:
    customer, token = await token_for(catalog)
    headers = {"Authorization": f"Bearer {token}"} | (
        {"Content-Type": content_type} if content_type else {}
    )
    resp = await http.post(f"{gateway}/invoice-data", headers=headers, content=b"{}")
    assert resp.status_code == 415
    assert resp.json()["code"] == "unsupported_media_type"
    assert resp.json()["error"]["message"].startswith("Content-Type:")
    assert await catalog.calls_used(customer) == [0]


async def test_request_id_made_when_missing_and_internal_token_reused(
    http: httpx.AsyncClient, gateway: str, catalog: Any
) -> None:
    _, token = await token_for(catalog)
    headers = {"Authorization": f"Bearer {token}"}
    first = await http.get(f"{gateway}/invoice-data?auth_code=a", headers=headers)
    second = await http.get(f"{gateway}/invoice-data?auth_code=a", headers=headers)
    rid = first.headers["x-request-id"]
    assert rid and first.json()["headers"]["x-request-id"] == rid
    assert second.headers["x-request-id"] != rid
    auth = [r.json()["headers"]["authorization"] for r in (first, second)]
    assert auth[0] == auth[1]  # signed once, reused


async def test_openapi_documents_the_public_routes(http: httpx.AsyncClient, gateway: str) -> None:
    doc = (await http.get(f"{gateway}/openapi.json")).json()
    post = doc["paths"]["/invoice-data"]["post"]
    get = doc["paths"]["/invoice-data"]["get"]
    assert post["summary"] and get["summary"]
    assert {"400", "401", "413", "429", "503", "504"} <= set(post["responses"])
    assert any(s.get("scheme") == "bearer" for s in doc["components"]["securitySchemes"].values())
    assert post["security"] and get["security"]
    registry = doc["paths"]["/vat-registry/{vat}"]["get"]
    assert {"200", "400", "401", "404", "409", "429", "503"} <= set(registry["responses"])
    assert doc["paths"]["/status"]["get"]["responses"]["200"]["content"]
    notices = doc["paths"]["/connection-loss-notices"]
    assert notices["post"]["requestBody"] and notices["get"]["summary"]


async def test_the_postman_collection_has_every_operation(
    http: httpx.AsyncClient, gateway: str
) -> None:
    doc = (await http.get(f"{gateway}/openapi.json")).json()
    collection = postman_collection(doc, "https://api.example.gr/")
    requests = [item["request"] for folder in collection["item"] for item in folder["item"]]
    operations = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    documented = {
        (r["method"], r["url"]["raw"].removeprefix("{{baseUrl}}").replace(":vat", "{vat}"))
        for r in requests
    }
    assert documented == operations
    assert {"key": "baseUrl", "value": "https://api.example.gr"} in collection["variable"]
    assert collection["auth"]["type"] == "bearer"
    issue = next(r for r in requests if r["method"] == "POST" and "invoice-data" in r["url"]["raw"])
    assert issue["body"]["mode"] == "raw"
    registry = next(r for r in requests if ":vat" in r["url"]["raw"])
    assert registry["url"]["variable"] == [{"key": "vat", "value": ""}]
