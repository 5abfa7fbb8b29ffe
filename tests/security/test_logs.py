"""No token, password, GSIS code, session id or SQL parameter in the logs (ASVS V7.1): every log
record of the whole platform is captured, at DEBUG and through the JSON formatter production
uses (so ``extra`` fields are in), during a run that uses each secret the way its owner does
(API calls with tokens, a token replaced, portal and operator logins right and wrong, GSIS
codes stored and used, a failed statement holding a customer's data); then the captured text
is searched for every value used."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from sqlalchemy import text

from contracts.registry import REGISTRY_CODES_PATH
from harness.platform import OPERATOR_PASSWORD, Platform
from kit.db import create_engine, transaction
from kit.logs import JsonFormatter, quiet_wire_loggers
from testkit.invoices import sample_invoice

from . import creds

GSIS_CODES = {"username": "DEVCODES01", "password": "dev-only-codes-password"}


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonFormatter("security-tests"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def _every_log_line() -> Iterator[_Keep]:
    root = logging.getLogger()
    keep, level = _Keep(), root.level
    root.addHandler(keep)
    root.setLevel(logging.DEBUG)
    quiet_wire_loggers()  # as configure_logging does in every service
    try:
        yield keep
    finally:
        root.setLevel(level)
        root.removeHandler(keep)


async def _portal_logins(platform: Platform, username: str, password: str) -> str:
    """A wrong then a right login through the portal's form; the session cookie."""
    async with httpx.AsyncClient(base_url=platform.portal_url, timeout=30) as http:
        for attempt in ("Wrong-" + password, password):
            page = await http.get("/login")
            found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert found
            form = {"username": username, "password": attempt, "csrf_token": found.group(1)}
            await http.post("/login", data=form, headers={"Origin": platform.portal_url})
        return str(http.cookies.get("einv_session"))


async def _operator_logins(platform: Platform) -> str:
    username = await platform.create_operator()
    url = platform.servers["tenant-admin"].url + "/admin/login"
    async with httpx.AsyncClient(timeout=30) as http:
        await http.post(url, json={"username": username, "password": "Wrong-1-password"})
        right = await http.post(url, json={"username": username, "password": OPERATOR_PASSWORD})
    assert right.status_code == 200, right.text
    return str(right.json()["access_token"])


async def _failed_statement(platform: Platform, marker: str) -> None:
    """A statement that fails with a customer's data among its parameters, logged as services
    log a failure."""
    engine = create_engine(platform.tenant_admin.settings.catalog_dsn, pool_size=1)
    try:
        async with transaction(engine) as conn:
            await conn.execute(text("SELECT 1 / (0 * length(:name))"), {"name": marker})
    except Exception:
        logging.getLogger("security-tests").exception("statement failed")
    finally:
        await engine.dispose()


async def test_no_secret_or_customer_data_reaches_the_logs(platform: Platform) -> None:
    pii = f"Πελάτης-{uuid.uuid4().hex}"
    with _every_log_line() as kept:
        customer = await platform.create_customer(calls=5)
        body = sample_invoice(pnr01=f"SEC-{uuid.uuid4().hex}")
        issued = await platform.gateway.post("/invoice-data", json=body, headers=customer.headers)
        assert issued.status_code == 200, issued.text
        headers = platform.internal_headers_for(customer, to="mydata-sync")
        codes = {"vat": "094420307", "codes": GSIS_CODES}
        assert (
            await platform.sync.post(REGISTRY_CODES_PATH, json=codes, headers=headers)
        ).is_success
        await platform.gateway.get("/vat-registry/801000000", headers=customer.headers)
        new_token = await platform.issue_token(customer.tenant_id, customer.username)
        await platform.gateway.get("/invoice-data", params={"pnr01": "x"}, headers=customer.headers)
        session = await _portal_logins(platform, customer.username, customer.password)
        operator = await _operator_logins(platform)
        internal = creds.internal_for(customer, "mydata-sync")["Authorization"].split()[1]
        await platform.sync.get("/internal/status", headers={"Authorization": f"Bearer {internal}"})
        await _failed_statement(platform, pii)
    log = "\n".join(kept.lines)
    secrets = {
        "api token": customer.token,
        "replacement api token": new_token,
        "portal password": customer.password,
        "wrong portal password": "Wrong-" + customer.password,
        "operator password": OPERATOR_PASSWORD,
        "operator token": operator,
        "portal session": session,
        "internal token": internal,
        "GSIS password": GSIS_CODES["password"],
        "customer data in a failed statement": pii,
    }
    found = [name for name, value in secrets.items() if value and value in log]
    print(f"\nlogs: {len(kept.lines)} lines scanned for {len(secrets)} secrets, {len(found)} found")
    assert len(kept.lines) > 10  # the capture saw the run
    assert "statement failed" in log and "hidden" in log  # the statement was logged, its values not
    assert found == []
