"""Request and response bodies of the tenants domain (also used by the CLI)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.tenants import DatabaseStatus

Language = Literal["el", "en"]
Role = Literal["customer", "aade_user"]
Status = DatabaseStatus


class NewCustomer(BaseModel):
    """ADMIN-3: a new customer and its user. Surname and first name may be filled in later."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    company_name: str = Field(min_length=1, max_length=200)
    vat: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9]+$")
    username: str = Field(min_length=1, max_length=50)
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    mobile: str = Field(min_length=1, max_length=30)
    surname: str = Field(default="", max_length=100)
    name: str = Field(default="", max_length=100)
    language: Language = "el"
    role: Role = "customer"
    sees_data_of: list[str] = Field(default_factory=list, max_length=500)
    contract_serial: str | None = Field(default=None, max_length=100)
    address: str | None = Field(default=None, max_length=300)
    must_change_password: bool = True
    api_call_log: bool = False
    password: str | None = Field(default=None, min_length=8, max_length=200)


class CustomerChanges(BaseModel):
    """ADMIN-7: what an operator may change of a user (not the username, not the role)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    company_name: str = Field(min_length=1, max_length=200)
    vat: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9]+$")
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    mobile: str = Field(min_length=1, max_length=30)
    surname: str = Field(max_length=100)
    name: str = Field(max_length=100)
    language: Language
    sees_data_of: list[str] = Field(max_length=500)
    contract_serial: str | None = Field(max_length=100)
    address: str | None = Field(default=None, max_length=300)
    must_change_password: bool


class CreateTenantRequest(NewCustomer):
    calls: int = Field(gt=0, le=100_000_000)
    days: int = Field(default=365, gt=0, le=3650)


class PackageInfo(BaseModel):
    id: int
    call_limit: int
    calls_used: int
    starts_at: datetime
    ends_at: datetime


class TenantCreated(BaseModel):
    tenant_id: str
    username: str
    database: str | None
    server: str | None
    status: Status | None
    api_token: str | None
    initial_password: str | None = Field(
        description="Generated first password (PORTAL-9 rules), shown once; changed at first login"
    )
    package: PackageInfo | None


class TenantSummary(BaseModel):
    tenant_id: str
    username: str
    company_name: str
    vat: str
    role: Role
    database: str | None
    server: str | None
    status: Status | None
    created_at: datetime


class TenantDetail(TenantSummary):
    surname: str
    name: str
    email: str
    mobile: str
    language: Language
    sees_data_of: list[str]
    contract_serial: str | None
    address: str | None = None
    must_change_password: bool
    api_call_log: bool
    schema_revision: str | None
    last_error: str | None
    attempts: int | None
    step: str | None = None  # while provisioning: the step under way (kept when it failed)
    # Set at the user's first portal login (PORTAL-2), read-only for operators (ADMIN-3).
    contract_accepted_ip: str | None = None
    contract_accepted_at: datetime | None = None
    usage_accepted_ip: str | None = None
    usage_accepted_at: datetime | None = None


class TenantPage(BaseModel):
    items: list[TenantSummary]
    limit: int
    offset: int
