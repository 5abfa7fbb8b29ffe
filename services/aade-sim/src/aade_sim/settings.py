"""aade-sim settings (``EINV_`` environment, see ``kit.settings``).

Its own fields have their own environment names (``EINV_AADE_SIM_*``, ``EnvName``) so that one
shell can run all services. The XSD location is shared with the other services:
``EINV_MYDATA_XSD_DIR``, else ``EINV_SHARED_DIR`` + ``/mydata-xsd``; relative paths are taken
from the working directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
from pydantic import Field, model_validator

from kit.settings import CommonSettings, EnvName

# Development credentials (documented in the service README); refused in prod.
DEV_CREDENTIALS = "dev-provider:dev-only-subscription-key"
# GSIS special access codes the RgWsPublic2 stand-in accepts: a customer's and the provider's.
DEV_REGISTRY_USERS = "DEVCODES01:dev-only-codes-password,PROVIDER01:dev-only-provider-codes"
# A small seeded GSIS-like directory for RequestReceiverInfo: VAT → providers and e-mails.
DEFAULT_RECEIVERS = (
    '{"888888888": {"providers": ["800000000"], "emails": ["invoices@recipient.example.gr"]},'
    ' "090000045": {"providers": ["800000000"], "emails": ["e-invoices@demo-client.example.gr"]}}'
)


class AadeSimSettings(CommonSettings):
    bind_host: str = "127.0.0.1"
    port: Annotated[int, EnvName("EINV_AADE_SIM_PORT")] = 8090
    # ``user1:key1,user2:key2``: the aade-user-id / ocp-apim-subscription-key pairs accepted.
    credentials: Annotated[str, EnvName("EINV_AADE_SIM_CREDENTIALS")] = DEV_CREDENTIALS
    # None = on in dev/test, off in prod (tests and dev tools only).
    admin: Annotated[bool | None, EnvName("EINV_AADE_SIM_ADMIN")] = None
    mark_base: Annotated[int, EnvName("EINV_AADE_SIM_MARK_BASE")] = 400_000_000_000_000
    # EINV_MYDATA_XSD_DIR and EINV_SHARED_DIR, shared with the services that validate XML.
    mydata_xsd_dir: str | None = None
    shared_dir: str = "../shared"
    # Base of the qrUrl handed out; the simulator serves /TimologioQR/QRInfo itself.
    public_url: Annotated[str, EnvName("EINV_AADE_SIM_PUBLIC_URL")] = "http://127.0.0.1:8090"
    # Optional SQLite file that keeps registrations across restarts; None = memory only.
    db_path: Annotated[str | None, EnvName("EINV_AADE_SIM_DB_PATH")] = None
    # ``username:password,…``: the special access codes RgWsPublic2 accepts.
    registry_users: Annotated[str, EnvName("EINV_AADE_SIM_REGISTRY_USERS")] = DEV_REGISTRY_USERS
    receivers_json: Annotated[str, EnvName("EINV_AADE_SIM_RECEIVERS")] = DEFAULT_RECEIVERS
    page_size: Annotated[int, EnvName("EINV_AADE_SIM_PAGE_SIZE")] = Field(default=100, ge=1)
    # Not EINV_MAX_BODY_BYTES: that one is invoice-service's, and one shell runs both.
    max_body_bytes: Annotated[int, EnvName("EINV_AADE_SIM_MAX_BODY_BYTES")] = 50_000_000
    # Bodies above this are parsed and validated in a worker thread. Measured on 2 cores: one
    # ~3 KB invoice takes ~1 ms inline and the thread hand-off costs about as much, so only
    # messages of more than a couple of invoices are worth moving off the event loop.
    inline_validation_max_bytes: Annotated[int, EnvName("EINV_AADE_SIM_INLINE_MAX")] = 6_000
    # Benchmark mode: the XSD check of SendInvoices is skipped (the platform validated the same
    # XML before sending); parsing, the business rules and the answers stay myDATA's. In
    # production this CPU is AADE's, so a benchmark of the platform should not pay for it.
    bench_mode: Annotated[bool, EnvName("EINV_AADE_SIM_BENCH")] = False
    # A hanging fault (blackhole, register_then_timeout) gives up after this and answers 504.
    hang_max_s: Annotated[float, EnvName("EINV_AADE_SIM_HANG_MAX_S")] = 300.0

    @model_validator(mode="after")
    def _refuse_dev_credentials(self) -> AadeSimSettings:
        if self.environment == "prod" and self.credentials == DEV_CREDENTIALS:
            raise ValueError(
                "default credentials are refused in prod: set EINV_AADE_SIM_CREDENTIALS"
            )
        if self.environment == "prod" and self.registry_users == DEV_REGISTRY_USERS:
            raise ValueError("default codes are refused in prod: set EINV_AADE_SIM_REGISTRY_USERS")
        self.credential_map()  # fail at start-up, not on the first request
        self.registry_user_map()
        self.receivers()
        return self

    @property
    def admin_enabled(self) -> bool:
        return self.admin if self.admin is not None else self.environment in ("dev", "test")

    def xsd_dir(self) -> Path:
        if self.mydata_xsd_dir:
            return Path(self.mydata_xsd_dir)
        return Path(self.shared_dir) / "mydata-xsd"

    def credential_map(self) -> dict[str, str]:
        return _pairs(self.credentials, "EINV_AADE_SIM_CREDENTIALS")

    def registry_user_map(self) -> dict[str, str]:
        return _pairs(self.registry_users, "EINV_AADE_SIM_REGISTRY_USERS")

    def receivers(self) -> dict[str, dict[str, list[str]]]:
        raw = orjson.loads(self.receivers_json)
        if not isinstance(raw, dict):
            raise ValueError("EINV_AADE_SIM_RECEIVERS must be a JSON object keyed by VAT number")
        return {
            str(vat): {
                "providers": [str(v) for v in entry.get("providers", [])],
                "emails": [str(e) for e in entry.get("emails", [])],
            }
            for vat, entry in raw.items()
        }


def _pairs(raw: str, name: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in (p.strip() for p in raw.split(",") if p.strip()):
        user, sep, secret = pair.partition(":")
        if not sep or not user or not secret:
            raise ValueError(f"{name} must look like user1:secret1,user2:secret2")
        out[user] = secret
    return out
