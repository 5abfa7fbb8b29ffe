"""The CLI's commands: each builds the runtime, owns its transactions and returns an exit code."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel
from sqlalchemy.engine import make_url

from catalog import migrate as catalog_migrations
from kit.db import transaction
from tenant_admin.errors import InvalidInput
from tenant_admin.fleet.service import migrate_tenants
from tenant_admin.issuers import service as issuers
from tenant_admin.operators.service import create_operator
from tenant_admin.packages.service import add_package
from tenant_admin.provisioning.service import recreate, resume_provisioning
from tenant_admin.runtime import AdminRuntime
from tenant_admin.servers import repository as server_ddl
from tenant_admin.servers.service import add_server, ensure_default_server
from tenant_admin.settings import get_settings
from tenant_admin.tenants.onboarding import create_tenant
from tenant_admin.tenants.schemas import CreateTenantRequest
from tenant_admin.tenants.service import (
    find_user,
    get_tenant,
    require_user,
    reset_password,
    search_tenants,
)
from tenant_admin.tokens.service import issue_token, revoke_tokens, token_works

CATALOG_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
Command = Callable[[AdminRuntime, argparse.Namespace], Awaitable[int]]


def _emit(args: argparse.Namespace, data: BaseModel | dict[str, Any], text: str) -> None:
    if getattr(args, "json", False):
        body = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
        print(json.dumps(body, ensure_ascii=False))
    else:
        print(text)


async def _create_tenant(runtime: AdminRuntime, args: argparse.Namespace) -> int:
    if args.if_absent:
        async with transaction(runtime.engine) as conn:
            existing = await find_user(conn, args.username)
        if existing:
            await _report_existing(runtime, args, existing.customer_id, existing.username)
            return 0
    request = CreateTenantRequest(
        company_name=args.name, vat=args.vat, username=args.username, email=args.email,
        mobile=args.mobile, surname=args.surname, name=args.first_name, language=args.language,
        contract_serial=args.contract_serial, password=args.password, calls=args.calls,
        days=args.days,
    )  # fmt: skip
    created = await create_tenant(runtime, request)
    lines = [f"tenant {created.tenant_id} ({created.username}) on {created.server}: "
             f"{created.database}", f"api token: {created.api_token}"]  # fmt: skip
    if created.initial_password:
        lines.append(f"first password (shown once): {created.initial_password}")
    _emit(args, created, "\n".join(lines))
    return 0


async def _report_existing(
    runtime: AdminRuntime, args: argparse.Namespace, customer_id: str, username: str
) -> None:
    async with transaction(runtime.engine) as conn:
        detail = await get_tenant(conn, customer_id)
    body = {"tenant_id": customer_id, "username": username, "database": detail.database,
            "exists": True}  # fmt: skip
    _emit(args, body, f"{username} exists: tenant {customer_id}, nothing to do")


async def _issue_token(runtime: AdminRuntime, args: argparse.Namespace) -> int:
    async with transaction(runtime.engine) as conn:
        user = await require_user(conn, args.username)
        issued = await issue_token(
            conn, runtime.api_codec, user.customer_id, user.username,
            runtime.settings.api_token_ttl_seconds, keep_previous=args.keep_previous,
        )  # fmt: skip
    revoked = f" (revoked {len(issued.revoked)})" if issued.revoked else ""
    _emit(args, issued, f"api token for {user.username}{revoked}: {issued.api_token}")
    return 0


async def _check_token(runtime: AdminRuntime, args: argparse.Namespace) -> int:
    token = sys.stdin.read().strip()
    async with transaction(runtime.engine) as conn:
        user = await require_user(conn, args.username)
        works = await token_works(conn, runtime.api_codec, user.customer_id, token)
    print(f"token of {user.username}: {'works' if works else 'does not work'}")
    return 0 if works else 1


async def _revoke_token(runtime: AdminRuntime, args: argparse.Namespace) -> int:
    async with transaction(runtime.engine) as conn:
        user = await require_user(conn, args.username)
        revoked = await revoke_tokens(conn, user.customer_id)
    print(f"revoked {len(revoked)} token(s) of {user.username}")
    return 0


async def _add_package(runtime: AdminRuntime, args: argparse.Namespace) -> int:
    async with transaction(runtime.engine) as conn:
        user = await require_user(conn, args.username)
        package = await add_package(conn, user.customer_id, args.calls, args.days, by="cli")
    text = f"package {package.id}: {package.call_limit} calls until {package.ends_at:%Y-%m-%d}"
    _emit(args, package, text)
    return 0


async def _migrate_tenants(runtime: AdminRuntime, args: argparse.Namespace) -> int:
    concurrency = args.concurrency or runtime.settings.migrate_concurrency
    report = await migrate_tenants(
        runtime.engine, concurrency=concurrency, progress=lambda line: print(line, flush=True)
    )
    print(f"{report.upgraded}/{report.total} tenant databases upgraded in {report.seconds}s, "
          f"{len(report.failures)} failed")  # fmt: skip
    for tenant_id, error in report.failures.items():
        print(f"FAILED {tenant_id}: {error}", file=sys.stderr)
    return 0 if report.ok else 1


async def _migrate_catalog(runtime: AdminRuntime, args: argparse.Namespace) -> int:
    settings = runtime.settings
    url = make_url(settings.catalog_dsn)
    server = url.set(database="postgres").render_as_string(hide_password=False)
    if await server_ddl.create_database(server, _catalog_name(url.database)):
        print(f"created catalog database {url.database}")
    await catalog_migrations.upgrade(settings.catalog_dsn)
    print(f"catalog at revision {catalog_migrations.head_revision()}")
    async with transaction(runtime.engine) as conn:
        added = await ensure_default_server(
            conn, settings.default_db_server_name, settings.default_server_dsn,
            settings.default_db_server_max_tenants,
        )  # fmt: skip
    if added:
        print(f"registered database server {settings.default_db_server_name!r}")
    return 0


def _catalog_name(name: str | None) -> str:
    if not name or not CATALOG_NAME.match(name):
        raise InvalidInput(f"refusing to create a catalog database named {name!r}")
    return name


async def _resume(runtime: AdminRuntime, args: argparse.Namespace) -> int:
    outcomes = await resume_provisioning(runtime.engine)
    for outcome in outcomes:
        detail = f": {outcome.error}" if outcome.error else ""
        print(f"{outcome.customer_id} {outcome.database}: {outcome.status}{detail}")
    failed = sum(1 for o in outcomes if o.status != "active")
    print(f"{len(outcomes) - failed}/{len(outcomes)} resumed")
    return 1 if failed else 0


async def _recreate(runtime: AdminRuntime, args: argparse.Namespace) -> int:
    async with transaction(runtime.engine) as conn:
        user = await require_user(conn, args.username)
    database = await recreate(runtime.engine, user.customer_id, user.username, args.confirm)
    print(f"recreated {database} for {user.username}")
    return 0


async def _add_db_server(runtime: AdminRuntime, args: argparse.Namespace) -> int:
    async with transaction(runtime.engine) as conn:
        server_id = await add_server(conn, args.name, args.dsn, args.max_tenants)
    print(f"database server {args.name!r} registered with id {server_id}")
    return 0


async def _list_tenants(runtime: AdminRuntime, args: argparse.Namespace) -> int:
    async with transaction(runtime.engine) as conn:
        page = await search_tenants(conn, args.query, limit=args.limit, offset=0)
    lines = [f"{t.tenant_id}  {t.username:20} {t.vat:12} {t.status or '-':12} "
             f"{t.server or '-'}  {t.company_name}" for t in page.items]  # fmt: skip
    _emit(args, page, "\n".join(lines) or "no tenants")
    return 0


async def _reset_password(runtime: AdminRuntime, args: argparse.Namespace) -> int:
    async with transaction(runtime.engine) as conn:
        user = await require_user(conn, args.username)
        password = await reset_password(conn, user.customer_id, user.username)
    body = {"username": user.username, "initial_password": password}
    _emit(args, body, f"new password for {user.username} (shown once, change at login): {password}")
    return 0


async def _authorise_issuer(runtime: AdminRuntime, args: argparse.Namespace) -> int:
    async with transaction(runtime.engine) as conn:
        user = await require_user(conn, args.username)
        added = await issuers.authorise(conn, user.customer_id, args.vat, args.note)
    print(f"{user.username} may issue under {args.vat}" + ("" if added else " (already)"))
    return 0


async def _revoke_issuer(runtime: AdminRuntime, args: argparse.Namespace) -> int:
    async with transaction(runtime.engine) as conn:
        user = await require_user(conn, args.username)
        removed = await issuers.revoke(conn, user.customer_id, args.vat)
    print(f"{user.username} no longer issues under {args.vat}" if removed else "nothing to do")
    return 0


async def _list_issuers(runtime: AdminRuntime, args: argparse.Namespace) -> int:
    async with transaction(runtime.engine) as conn:
        user = await require_user(conn, args.username)
        vats = await issuers.issuer_vats(conn, user.customer_id)
    _emit(args, {"username": user.username, "issuer_vats": vats}, " ".join(vats))
    return 0


def _operator_password(args: argparse.Namespace) -> str:
    if args.password:
        return str(args.password)
    from_env = os.environ.get("EINV_OPERATOR_PASSWORD")
    if from_env:
        return from_env
    if sys.stdin.isatty():
        return getpass.getpass("operator password: ")
    return sys.stdin.readline().rstrip("\n")


async def _create_operator(runtime: AdminRuntime, args: argparse.Namespace) -> int:
    password = _operator_password(args)
    async with transaction(runtime.engine) as conn:
        created = await create_operator(conn, args.username, password, or_update=args.or_update)
    print(f"operator {args.username!r} " + ("created" if created else "updated"))
    return 0


COMMANDS: dict[str, Command] = {
    "create-tenant": _create_tenant,
    "issue-token": _issue_token,
    "check-token": _check_token,
    "revoke-token": _revoke_token,
    "add-package": _add_package,
    "migrate-tenants": _migrate_tenants,
    "migrate-catalog": _migrate_catalog,
    "resume-provisioning": _resume,
    "recreate-tenant": _recreate,
    "add-db-server": _add_db_server,
    "list-tenants": _list_tenants,
    "create-operator": _create_operator,
    "reset-password": _reset_password,
    "authorise-issuer": _authorise_issuer,
    "revoke-issuer": _revoke_issuer,
    "list-issuers": _list_issuers,
}


async def run(args: argparse.Namespace) -> int:
    runtime = AdminRuntime.build(get_settings())
    try:
        return await COMMANDS[args.command](runtime, args)
    finally:
        await runtime.close()
