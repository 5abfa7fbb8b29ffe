"""The benchmark's customers, provisioned the way an operator does it: ``POST /admin/tenants`` on
tenant-admin (user, database copied from the migrated template, package, API token), several at
once, each timed. The total is the provisioning figure of the run (≤ 5 min for 500)."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field

import httpx

from kit.auth import OPERATOR_AUDIENCE, TokenCodec
from kit.settings import CommonSettings
from testkit.procs import DEFAULT_VAT as VAT
from testkit.procs import Customer, Platform

CONCURRENCY = 4


@dataclass
class Provisioning:
    count: int = 0
    total_s: float = 0.0
    each_s: list[float] = field(default_factory=list)


def operator_token() -> str:
    settings = CommonSettings()  # the dev secrets the platform under test runs with
    codec = TokenCodec(settings.operator_token_secret, settings.token_issuer, OPERATOR_AUDIENCE)
    return codec.issue("bench-operator", 3600)[0]


async def create_customers(platform: Platform, count: int) -> tuple[list[Customer], Provisioning]:
    slots = asyncio.Semaphore(CONCURRENCY)
    report = Provisioning(count=count)
    headers = {"Authorization": f"Bearer {operator_token()}"}
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=platform.url("tenant-admin"), headers=headers) as http:

        async def one() -> Customer:
            async with slots:
                began = time.monotonic()
                customer = await _create(http)
                report.each_s.append(time.monotonic() - began)
                return customer

        customers = list(await asyncio.gather(*(one() for _ in range(count))))
    report.total_s = time.monotonic() - started
    return customers, report


async def _create(http: httpx.AsyncClient) -> Customer:
    username = f"bench{uuid.uuid4().hex[:12]}"
    body = {
        "company_name": f"Bench {username}", "vat": VAT, "username": username,
        "email": f"{username}@example.com", "mobile": "6900000000", "calls": 10_000_000,
        "days": 30,
    }  # fmt: skip
    response = await http.post("/admin/tenants", json=body, timeout=120)
    response.raise_for_status()
    created = response.json()
    return Customer(
        created["tenant_id"], created["username"], created["database"], created["api_token"], VAT
    )
