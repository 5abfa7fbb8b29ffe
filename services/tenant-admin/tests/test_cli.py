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


async def _cli(catalog: str, *args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    env = os.environ | {"EINV_CATALOG_DSN": catalog, "EINV_TENANT_DB_SERVER_DSN": admin_dsn()}
    process = await asyncio.create_subprocess_exec(
        CLI, *args, env=env, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate(stdin)
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


async def test_create_operator_or_update_keeps_make_runs_saved_password(catalog: str) -> None:
    """``make run`` makes its demo operator's saved password the operator's own, every time."""
    assert (await _cli(catalog, "migrate-catalog"))[0] == 0
    name = unique_username("op")
    created = await _cli(
        catalog, "create-operator", "--username", name, "--password", "first-pw-01"
    )
    again = await _cli(catalog, "create-operator", "--username", name, "--password", "first-pw-01")
    updated = await _cli(
        catalog, "create-operator", "--username", name, "--password", "second-pw-2", "--or-update"
    )
    assert (created[0], again[0], updated[0]) == (0, 1, 0)
    assert "exists" in again[2] and "updated" in updated[1]


async def test_check_token_tells_whether_a_saved_token_still_works(catalog: str) -> None:
    """``make run`` keeps the demo token between runs and issues a new one when it stopped
    working (revoked by a token issued elsewhere, or expired)."""
    assert (await _cli(catalog, "migrate-catalog"))[0] == 0
    username = unique_username("tok")
    first = json.loads((await _cli(catalog, *_create_args(username, "--json")))[1])["api_token"]
    assert (await _cli(catalog, "check-token", "--username", username, stdin=first.encode()))[
        0
    ] == 0
    assert (await _cli(catalog, "issue-token", "--username", username))[0] == 0  # revokes it
    code, out, _ = await _cli(catalog, "check-token", "--username", username, stdin=first.encode())
    assert (code, out.strip()) == (1, f"token of {username}: does not work")
    forged = await _cli(catalog, "check-token", "--username", username, stdin=b"not.a.token")
    assert forged[0] == 1
