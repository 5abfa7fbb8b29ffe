"""Small builders shared by the tests."""

from __future__ import annotations

import uuid
from typing import Any

from tenant_admin.tenants.schemas import CreateTenantRequest


def unique_username(prefix: str = "u") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def tenant_request(**overrides: Any) -> CreateTenantRequest:
    values: dict[str, Any] = {
        "company_name": "Acme SA", "vat": "123456789", "username": unique_username(),
        "email": "owner@example.gr", "mobile": "6900000000", "calls": 100,
        "password": "correct-horse-battery",
    }  # fmt: skip
    return CreateTenantRequest(**(values | overrides))
