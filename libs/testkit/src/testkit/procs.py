"""The whole platform as real subprocesses, for fault tests and benchmarks.

``Platform`` starts every service with ``python -m <package>`` on free ports, against throwaway
databases (catalog, sync, notify, webhooks; tenant databases are created by ``tenant-admin``) and a
throwaway RabbitMQ vhost, writes each service's output to ``<log_dir>/<service>.log`` and waits
for every ``/readyz``. Everything it created is removed by ``stop()``, also after a failed start::

    async with Platform(PlatformOptions(env={"mydata-sync": {"EINV_SWEEP_INTERVAL_S": "1"}})) as p:
        customer = await p.create_customer()
        p.kill("mydata-sync")                 # SIGKILL to the service's process group
        await p.restart("mydata-sync")        # same port, same environment, waits for /readyz
        counts = await p.aade_registrations()

Options: ``pg_dsn`` (admin DSN of the PostgreSQL server for every database), ``amqp_url`` (used
as given instead of a new vhost), ``gateway_workers``, per-service ``env`` overrides,
``common_env`` for all of them and ``services`` (a subset to start). Each service runs in its
own process group (a multi-worker gateway's children die with it). The notifier sends through
devmail (its SMTP server on one more free port, its SMS gateway), whose ``/_admin`` API
``devmail()`` calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from testkit import postgres
from testkit.pg_instance import free_port
from testkit.rabbit import TestVhost, create_test_vhost

SERVICES = (
    "aade-sim", "tenant-admin", "mydata-sync", "invoice-service", "api-gateway", "portal-web",
    "devmail", "notifier", "webhooks",
)  # fmt: skip
_MODULES = {s: s.replace("-", "_") for s in SERVICES}
_PORT_VARS = {
    "aade-sim": "EINV_AADE_SIM_PORT",
    "tenant-admin": "EINV_TENANT_ADMIN_PORT",
    "mydata-sync": "EINV_MYDATA_SYNC_PORT",
    "invoice-service": "EINV_INVOICE_SERVICE_PORT",
    "api-gateway": "EINV_GATEWAY_PORT",
    "portal-web": "EINV_PORTAL_PORT",
    "devmail": "EINV_DEVMAIL_PORT",
    "notifier": "EINV_NOTIFIER_PORT",
    "webhooks": "EINV_WEBHOOKS_PORT",
}
_URL_VARS = {
    "tenant-admin": "EINV_TENANT_ADMIN_URL",
    "invoice-service": "EINV_INVOICE_SERVICE_URL",
    "mydata-sync": "EINV_MYDATA_SYNC_URL",
    "notifier": "EINV_NOTIFIER_URL",  # the admin app lists a user's messages
    "webhooks": "EINV_WEBHOOKS_URL",  # the portal's webhook pages
    "portal-web": "EINV_PORTAL_URL",  # the notifier asks it for an invoice's PDF
    "api-gateway": "EINV_API_GATEWAY_URL",  # portal-web serves its OpenAPI and Postman files
}
REPO_ROOT = Path(__file__).resolve().parents[4]
# Greek VAT numbers with a valid check digit, for customers' issuer VATs.
DEFAULT_VAT = "094420307"
_STOP_GRACE_S = 5.0


class PlatformError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class Customer:
    tenant_id: str
    username: str
    database: str
    api_token: str
    vat: str


@dataclass(slots=True)
class PlatformOptions:
    """How to run the platform; every field has a working default."""

    pg_dsn: str | None = None  # libpq admin DSN; default testkit.postgres.admin_dsn()
    amqp_url: str | None = None  # used as is; default: a new vhost on the test broker
    gateway_workers: int = 1
    env: dict[str, dict[str, str]] = field(default_factory=dict)  # per service
    common_env: dict[str, str] = field(default_factory=dict)
    log_dir: Path | None = None  # default: a new temporary directory (kept for reading)
    ready_timeout_s: float = 60.0
    python: str = sys.executable
    # Which services to start (default: all). Every one still gets a port and its address in
    # the others' environment; a scenario that needs a few starts only those (F10: devmail and
    # the notifier), and does not depend on the others starting.
    services: tuple[str, ...] = SERVICES


@dataclass(slots=True)
class _Service:
    name: str
    port: int
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None


class Platform:
    """Every service as a subprocess; see the module docstring."""

    def __init__(self, options: PlatformOptions | None = None) -> None:
        self.options = options or PlatformOptions()
        self.pg_dsn = self.options.pg_dsn or postgres.admin_dsn()
        self.log_dir = self.options.log_dir or Path(tempfile.mkdtemp(prefix="einv-platform-"))
        self.catalog_db = postgres.unique_name("catalog")
        self.sync_db = postgres.unique_name("sync")
        self.notify_db = postgres.unique_name("notify")
        self.webhooks_db = postgres.unique_name("webhooks")
        self.amqp_url = self.options.amqp_url or ""
        self._vhost: TestVhost | None = None
        self._services: dict[str, _Service] = {}
        self._created_dbs: list[str] = []

    # -- life cycle --------------------------------------------------------------------------
    async def __aenter__(self) -> Platform:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    async def start(self) -> None:
        """Databases, vhost, every service up and ready; on failure everything is undone."""
        try:
            await self._prepare_infrastructure()
            self._plan_services()
            for name in self.options.services:
                self._spawn(self._services[name])
            await asyncio.gather(*(self.wait_ready(name) for name in self.options.services))
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        """Stop every process, drop every database (tenants included) and the vhost."""
        # All at once: each may take its grace period to finish in-flight requests.
        services = list(self._services.values())
        await asyncio.gather(*(asyncio.to_thread(self._terminate, svc) for svc in services))
        with contextlib.suppress(Exception):
            for database in await self._tenant_databases():
                await postgres.drop_database(database, self.pg_dsn)
        for database in reversed(self._created_dbs):
            with contextlib.suppress(Exception):
                await postgres.drop_database(database, self.pg_dsn)
        self._created_dbs.clear()
        if self._vhost is not None:
            with contextlib.suppress(Exception):
                await asyncio.to_thread(self._vhost.drop)
            self._vhost = None

    def kill(self, service: str, sig: signal.Signals = signal.SIGKILL) -> None:
        """Send ``sig`` to the service's process group and reap it (SIGKILL: a crash)."""
        svc = self._service(service)
        if svc.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(svc.proc.pid, sig)
        if sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(subprocess.TimeoutExpired):
                svc.proc.wait(timeout=_STOP_GRACE_S * 2)

    async def restart(self, service: str, *, wait: bool = True) -> None:
        """Start the service again (killing it first if it still runs), same port and env."""
        svc = self._service(service)
        await asyncio.to_thread(self._terminate, svc)
        self._spawn(svc)
        if wait:
            await self.wait_ready(service)

    def running(self, service: str) -> bool:
        proc = self._service(service).proc
        return proc is not None and proc.poll() is None

    async def wait_ready(self, service: str, timeout_s: float | None = None) -> None:
        """Poll ``/readyz`` until 200; ``PlatformError`` with the log's tail otherwise."""
        limit = timeout_s or self.options.ready_timeout_s
        deadline = time.monotonic() + limit
        async with httpx.AsyncClient(timeout=2.0) as client:
            while time.monotonic() < deadline:
                if not self.running(service):
                    raise PlatformError(f"{service} exited\n{self.log_tail(service)}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(self.url(service) + "/readyz")).status_code == 200:
                        return
                await asyncio.sleep(0.2)
        raise PlatformError(f"{service} not ready within {limit}s\n{self.log_tail(service)}")

    # -- addresses and logs --------------------------------------------------------------
    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self._service(service).port}"

    @property
    def gateway_url(self) -> str:
        return self.url("api-gateway")

    @property
    def portal_url(self) -> str:
        return self.url("portal-web")

    def log_path(self, service: str) -> Path:
        return self._service(service).log

    def log_tail(self, service: str, lines: int = 40) -> str:
        try:
            text = self.log_path(service).read_text(errors="replace")
        except OSError:
            return f"(no log for {service})"
        return "\n".join(text.splitlines()[-lines:])

    def dsn(self, database: str) -> str:
        """libpq DSN of a database on the platform's server (for asyncpg)."""
        return postgres.asyncpg_dsn(postgres.sqlalchemy_dsn(self.pg_dsn, database))

    # -- customers and state ------------------------------------------------------------
    async def create_customer(
        self, *, calls: int = 1_000_000, vat: str = DEFAULT_VAT, username: str | None = None
    ) -> Customer:
        """A new customer (database, package, API token) through ``tenant-admin``'s CLI."""
        username = username or f"fault{uuid.uuid4().hex[:10]}"
        args = ["create-tenant", "--vat", vat, "--name", f"Test {username}"]
        args += ["--username", username, "--email", f"{username}@example.com"]
        args += ["--mobile", "6900000000", "--calls", str(calls), "--days", "30", "--json"]
        out = await self.tenant_admin_cli(*args)
        body = json.loads(out)
        return Customer(
            body["tenant_id"], body["username"], body["database"], body["api_token"], vat
        )

    async def tenant_admin_cli(self, *args: str) -> str:
        """Run ``tenant-admin`` against this platform's catalog; its stdout."""
        command = [self.options.python, "-m", "tenant_admin.cli", *args]
        result = await asyncio.to_thread(
            subprocess.run,
            command,
            env=self._cli_env(),
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise PlatformError(f"tenant-admin {args[0]} failed: {result.stderr[-2000:]}")
        return result.stdout

    async def query(self, database: str, sql: str, *args: Any) -> list[asyncpg.Record]:
        """Rows of one statement in a database of this platform (a tenant's, the sync DB …)."""
        conn = await asyncpg.connect(self.dsn(database), timeout=10)
        try:
            return list(await conn.fetch(sql, *args, timeout=30))
        finally:
            await conn.close()

    async def sync_query(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        return await self.query(self.sync_db, sql, *args)

    async def tenant_query(self, customer: Customer, sql: str, *args: Any) -> list[asyncpg.Record]:
        return await self.query(customer.database, sql, *args)

    async def notify_query(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        """Rows of one statement in the notifier's database."""
        return await self.query(self.notify_db, sql, *args)

    async def webhooks_query(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        """Rows of one statement in the webhooks service's database."""
        return await self.query(self.webhooks_db, sql, *args)

    async def devmail(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Call devmail's ``/_admin`` API (faults, every e-mail and SMS received, reset)."""
        async with httpx.AsyncClient(base_url=self.url("devmail"), timeout=10) as client:
            response = await client.request(method, "/_admin" + path, json=body)
            response.raise_for_status()
            return response.json()

    async def aade(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Call aade-sim's ``/_admin`` API (faults, registrations, reset)."""
        async with httpx.AsyncClient(base_url=self.url("aade-sim"), timeout=10) as client:
            response = await client.request(method, "/_admin" + path, json=body)
            response.raise_for_status()
            return response.json()

    async def aade_fault(self, mode: str, latency_ms: int = 1000, count: int | None = None) -> Any:
        return await self.aade(
            "POST", "/faults", {"mode": mode, "latency_ms": latency_ms, "count": count}
        )

    async def aade_registrations(self) -> dict[str, Any]:
        registrations: dict[str, Any] = await self.aade("GET", "/registrations")
        return registrations

    # -- internals ---------------------------------------------------------------------------
    async def _prepare_infrastructure(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for name in (self.catalog_db, self.sync_db):
            await postgres.create_database(name, self.pg_dsn)
            self._created_dbs.append(name)
        # The notifier and the webhooks service create their databases when missing; made here
        # so that stop() drops them.
        for name in (self.notify_db, self.webhooks_db):
            await postgres.create_database(name, self.pg_dsn)
            self._created_dbs.append(name)
        if not self.amqp_url:
            self._vhost = await asyncio.to_thread(create_test_vhost)
            self.amqp_url = self._vhost.url
        await self.tenant_admin_cli("migrate-catalog")

    def _common_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("EINV_")}
        env["EINV_SHARED_DIR"] = os.environ.get("EINV_SHARED_DIR", str(REPO_ROOT.parent / "shared"))
        env |= {
            "EINV_ENVIRONMENT": "test",
            "EINV_AMQP_URL": self.amqp_url,
            "EINV_CATALOG_DSN": postgres.sqlalchemy_dsn(self.pg_dsn, self.catalog_db),
            "EINV_SYNC_DSN": postgres.sqlalchemy_dsn(self.pg_dsn, self.sync_db),
            "EINV_NOTIFY_DSN": postgres.sqlalchemy_dsn(self.pg_dsn, self.notify_db),
            "EINV_WEBHOOKS_DSN": postgres.sqlalchemy_dsn(self.pg_dsn, self.webhooks_db),
            "EINV_TENANT_DB_SERVER_DSN": postgres.sqlalchemy_dsn(self.pg_dsn, "postgres"),
            "EINV_GATEWAY_WORKERS": str(self.options.gateway_workers),
        }
        return env | self.options.common_env

    def _cli_env(self) -> dict[str, str]:
        return self._common_env()

    def _plan_services(self) -> None:
        ports = {name: free_port() for name in SERVICES}
        common = self._common_env()
        for name, var in _URL_VARS.items():
            common[var] = f"http://127.0.0.1:{ports[name]}"
        aade = f"http://127.0.0.1:{ports['aade-sim']}"
        common["EINV_API_PUBLIC_URL"] = common["EINV_API_GATEWAY_URL"]
        common["EINV_MYDATA_BASE_URL"] = aade + "/myDataProvider"
        common["EINV_GSIS_URL"] = aade + "/wsaade/RgWsPublic2/RgWsPublic2"
        common["EINV_AADE_SIM_PUBLIC_URL"] = aade
        # Printed in every invoice's QR code by invoice-service; portal-web's own address.
        common["EINV_PORTAL_PUBLIC_URL"] = f"http://127.0.0.1:{ports['portal-web']}"
        # The notifier's SMTP server and SMS gateway are devmail's; devmail's delivery reports
        # go to the notifier.
        smtp_port = str(free_port())
        common["EINV_DEVMAIL_SMTP_PORT"] = common["EINV_SMTP_PORT"] = smtp_port
        common["EINV_SMS_BASE_URL"] = f"http://127.0.0.1:{ports['devmail']}"
        notifier = f"http://127.0.0.1:{ports['notifier']}"
        common["EINV_SMS_CALLBACK_URL"] = notifier + "/sms/delivery-reports"
        for name in SERVICES:
            env = common | {_PORT_VARS[name]: str(ports[name])} | self.options.env.get(name, {})
            log = self.log_dir / f"{name}.log"
            self._services[name] = _Service(name, ports[name], env, log)

    def _spawn(self, svc: _Service) -> None:
        with svc.log.open("ab") as log:
            log.write(f"\n=== start {time.strftime('%H:%M:%S')} ===\n".encode())
            log.flush()
            # Own session: kill() reaches the whole group (uvicorn's worker children too).
            svc.proc = subprocess.Popen(
                [self.options.python, "-m", _MODULES[svc.name]],
                env=svc.env,
                cwd=REPO_ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _terminate(self, svc: _Service) -> None:
        proc = svc.proc
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=_STOP_GRACE_S)
        # Children (gateway workers) may outlive a dead parent: always sweep the group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=_STOP_GRACE_S)
        svc.proc = None

    def process_groups(self) -> dict[str, int]:
        """Each running service's process group id (its own session: workers included)."""
        return {
            name: svc.proc.pid
            for name, svc in self._services.items()
            if svc.proc is not None and svc.proc.poll() is None
        }

    def _service(self, service: str) -> _Service:
        try:
            return self._services[service]
        except KeyError:
            raise PlatformError(f"unknown or not planned service {service!r}") from None

    async def _tenant_databases(self) -> list[str]:
        if self.catalog_db not in self._created_dbs:
            return []
        rows = await self.query(self.catalog_db, "SELECT database FROM tenant_databases")
        return [row["database"] for row in rows]
