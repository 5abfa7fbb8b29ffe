"""``tenant-admin``: the operators' command line (create tenants, tokens, packages, fleet).

Expected failures (bad input, unknown user, taken username, unreachable database) print one
line on stderr and exit 1; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError

from kit.errors import AppError
from tenant_admin import commands


def _tenant_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("create-tenant", help="customer + database + package + API token")
    p.add_argument("--vat", required=True)
    p.add_argument("--name", required=True, help="company name")
    p.add_argument("--username", required=True)
    p.add_argument("--email", required=True)
    p.add_argument("--mobile", required=True)
    p.add_argument("--calls", type=int, required=True)
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--surname", default="")
    p.add_argument("--first-name", default="")
    p.add_argument("--language", choices=("el", "en"), default="el")
    p.add_argument("--contract-serial")
    p.add_argument("--password", help="default: generated and printed once")
    p.add_argument("--if-absent", action="store_true", help="exit 0 if the username exists")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("recreate-tenant", help="drop and recreate a tenant database")
    p.add_argument("--username", required=True)
    p.add_argument("--confirm", required=True, help="the username again")
    p = sub.add_parser("list-tenants")
    p.add_argument("--query", "-q")
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--json", action="store_true")


def _account_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("issue-token", help="new API token; revokes the previous ones")
    p.add_argument("--username", required=True)
    p.add_argument("--keep-previous", action="store_true")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser(
        "check-token", help="exit 0 when the token read from stdin works for the user, else 1"
    )
    p.add_argument("--username", required=True)
    p = sub.add_parser("revoke-token", help="revoke every active API token of a user")
    p.add_argument("--username", required=True)
    p = sub.add_parser("add-package", help="sell a package of calls")
    p.add_argument("--username", required=True)
    p.add_argument("--calls", type=int, required=True)
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("reset-password", help="a new first password (must change at login)")
    p.add_argument("--username", required=True)
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("authorise-issuer", help="let a customer issue under another VAT number")
    p.add_argument("--username", required=True)
    p.add_argument("--vat", required=True)
    p.add_argument("--note", help="why (e.g. the group company's name)")
    p = sub.add_parser("revoke-issuer", help="withdraw an authorise-issuer")
    p.add_argument("--username", required=True)
    p.add_argument("--vat", required=True)
    p = sub.add_parser("list-issuers", help="the VAT numbers a customer may issue under")
    p.add_argument("--username", required=True)
    p.add_argument("--json", action="store_true")
    p = sub.add_parser(
        "create-operator", help="password: --password, EINV_OPERATOR_PASSWORD or stdin"
    )
    p.add_argument("--username", required=True)
    p.add_argument("--password")
    p.add_argument(
        "--or-update", action="store_true", help="set this password when the operator exists"
    )


def _fleet_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("migrate-tenants", help="upgrade every active tenant database")
    p.add_argument("--concurrency", type=int)
    sub.add_parser("migrate-catalog", help="upgrade the catalog; register the default server")
    sub.add_parser("resume-provisioning", help="finish interrupted or failed provisioning")
    p = sub.add_parser("add-db-server", help="register a PostgreSQL server for tenants")
    p.add_argument("--name", required=True)
    p.add_argument("--dsn", required=True)
    p.add_argument("--max-tenants", type=int, default=500)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tenant-admin", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _tenant_parsers(sub)
    _account_parsers(sub)
    _fleet_parsers(sub)
    return parser


def _fail(message: str) -> int:
    print(f"tenant-admin: error: {message}", file=sys.stderr)
    return 1


def _validation_message(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    return f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg"))


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return asyncio.run(commands.run(args))
    except AppError as exc:
        return _fail(exc.message or exc.title)
    except ValidationError as exc:
        return _fail(_validation_message(exc))
    except (DBAPIError, OSError) as exc:
        return _fail(f"database unreachable or refused the operation: {exc}".splitlines()[0])
    except KeyboardInterrupt:
        return _fail("interrupted")


if __name__ == "__main__":
    sys.exit(main())
