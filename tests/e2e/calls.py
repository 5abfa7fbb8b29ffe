"""The ERP's calls through the gateway, and the checks several tests share."""

from __future__ import annotations

import re
from typing import Any

import httpx

from harness.platform import Customer, Platform

from .invoices import Body

MARK = re.compile(r"^\d{15}$")


async def post(
    platform: Platform, customer: Customer, body: Body, key: str | None = None
) -> httpx.Response:
    headers = customer.headers | ({"Idempotency-Key": key} if key else {})
    return await platform.gateway.post("/invoice-data", json=body, headers=headers)


async def issue(platform: Platform, customer: Customer, body: Body) -> dict[str, Any]:
    """Issue ``body``; assert 200 and return ``data``."""
    response = await post(platform, customer, body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def look_up(platform: Platform, customer: Customer, **query: str) -> dict[str, Any]:
    """GET /invoice-data by ``auth_code`` or ``pnr01``; assert 200 and return ``data``."""
    response = await platform.gateway.get("/invoice-data", params=query, headers=customer.headers)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def assert_transmitted(data: dict[str, Any]) -> None:
    assert MARK.match(data["mark"]), data["mark"]
    assert data["einv03"]["ok"] == 1, data["einv03"]
    assert data["uid"] and data["authcode"]
