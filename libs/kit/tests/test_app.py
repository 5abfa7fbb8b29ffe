"""kit.app: health, readiness, metrics, the request id, and the one error shape."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from kit.app import create_service_app
from kit.errors import Conflict, language_named, preferred_language
from kit.http import body_language


async def _ok() -> None:
    return None


async def _broken() -> None:
    raise ConnectionRefusedError("nobody listens")


def _app(*, broken: bool = False) -> FastAPI:
    app = create_service_app(
        "probe", readiness=lambda _: {"db": _ok, "broker": _broken if broken else _ok}
    )

    @app.get("/conflict")
    async def conflict() -> None:
        raise Conflict("already there", data={"id": 7})

    @app.get("/boom")
    async def boom() -> None:
        raise ValueError("a bug")

    @app.get("/items/{n}")
    async def item(n: int) -> dict[str, int]:
        return {"n": n}

    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as http:
        yield http


async def test_healthz_and_readyz(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok", "service": "probe"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"db": "ok", "broker": "ok"}


async def test_readyz_is_503_with_the_reason_when_a_check_fails() -> None:
    transport = httpx.ASGITransport(app=_app(broken=True))
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as http:
        ready = await http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["broker"].startswith("error: ConnectionRefusedError")


async def test_request_id_is_kept_or_made_and_metrics_count_requests(
    client: httpx.AsyncClient,
) -> None:
    kept = await client.get("/items/1", headers={"X-Request-Id": "rid-123"})
    assert kept.headers["X-Request-Id"] == "rid-123"
    made = await client.get("/items/2")
    assert len(made.headers["X-Request-Id"]) == 32
    metrics = (await client.get("/metrics")).text
    assert 'http_requests_total{method="GET",route="/items/{n}",service="probe",status="200"}' in (
        metrics
    )


async def test_errors_leave_in_one_shape(client: httpx.AsyncClient) -> None:
    conflict = await client.get("/conflict")
    assert conflict.status_code == 409
    assert conflict.json() == {
        "ok": 0,
        "code": "conflict",
        "error": {"title": "Σύγκρουση", "message": "already there"},
        "data": {"id": 7},
    }
    english = await client.get("/conflict", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert english.json()["error"] == {"title": "Conflict", "message": "already there"}
    assert english.json()["code"] == "conflict"  # codes never change with the language
    invalid = await client.get("/items/not-a-number")
    assert invalid.status_code == 400 and invalid.json()["code"] == "invalid_request"
    missing = await client.get("/nowhere")
    assert missing.status_code == 404 and missing.json()["ok"] == 0
    boom = await client.get("/boom")
    assert boom.status_code == 500
    assert boom.json()["code"] == "internal_error"  # never an HTML page or a traceback


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "el"),
        ("", "el"),
        ("en", "en"),
        ("en-US,en;q=0.9,el;q=0.8", "en"),
        ("el-GR,el;q=0.9,en;q=0.8", "el"),
        ("de-DE,de;q=0.9,en;q=0.5", "en"),
        ("fr", "el"),
        ("en;q=garbage", "el"),
    ],
)
def test_accept_language_prefers_what_the_caller_ranks_first(
    header: str | None, expected: str
) -> None:
    assert preferred_language(header) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("eng", "en"),
        ("en-US", "en"),
        ("el", "el"),
        ("ell", "el"),
        ("GRE", "el"),
        ("gr", "el"),
        ("de", None),
        ("", None),
        (1, None),
        (None, None),
    ],
)
def test_seed_lang_values_as_erps_fill_them(value: object, expected: str | None) -> None:
    assert language_named(value) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'{"is_vat": "1", "lang": "EN"}', "en"),
        (b'{"lang" : "ell"}', "el"),
        (b'{"is_vat": "1"}', None),
        (b'{"lang": 5}', None),
        (b'not json, "lang": "en"', "en"),
    ],
)
def test_body_language_is_found_without_parsing(raw: bytes, expected: str | None) -> None:
    assert body_language(raw) == expected
