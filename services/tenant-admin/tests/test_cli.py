"""The real ``tenant-admin`` executable against a throwaway catalog."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from testkit.postgres import admin_dsn

from .helpers import unique_username

CLI = str(Path(sys.executable).parent / "tenant-admin")


async def _cli(catalog: str, *args: str) -> tuple[int, str, str]:
    env = os.environ | {"EINV_CATALOG_DSN": catalog, "EINV_TENANT_DB_SERVER_DSN": admin_dsn()}
    process = await asyncio.create_subprocess_exec(
        CLI, *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    return process.returncode or 0, out.decode(), err.decode()


def _create_args(username: str, *extra: str) -> list[str]:
    fields = {"--vat": "099999999", "--name": "Demo IKE", "--username": username,
              "--email": "demo@example.gr", "--mobile": "69000001", "--calls": "1000"}  # fmt: skip
    return ["create-tenant", *(part for pair in fields.items() for part in pair), *extra]


async def test_create_tenant_json_and_if_absent(catalog: str) -> None:
    assert (await _cli(catalog, "migrate-catalog"))[0] == 0
    username = unique_username("demo")
    code, out, _ = await _cli(catalog, *_create_args(username, "--json"))
    assert code == 0
    created = json.loads(out)
    assert {"tenant_id", "username", "database", "api_token", "server", "package"} <= set(created)
    assert created["database"] == f"tenant_{created['tenant_id']}"

    code, out, _ = await _cli(catalog, *_create_args(username.upper(), "--if-absent", "--json"))
    assert code == 0
    assert json.loads(out) == {"tenant_id": created["tenant_id"], "username": username,
                               "database": created["database"], "exists": True}  # fmt: skip


async def test_expected_errors_are_one_line_without_traceback(catalog: str) -> None:
    code, _, err = await _cli(catalog, *_create_args("9-bad-name"))
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err and "9-bad-name" in err
    code, _, err = await _cli(catalog, "issue-token", "--username", "nobody_here")
    assert (code, "Traceback" in err) == (1, False)
