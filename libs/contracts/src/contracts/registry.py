"""The VAT registry (GSIS RgWsPublic2) as the platform's services see it (SPEC VAT-1).

mydata-sync is the one service that talks to GSIS. Callers:

- api-gateway: ``GET /vat-registry/{vat}`` for an ERP, with the customer's stored codes;
- portal-web: the customer's look-ups, and storing its codes (kept only after a look-up with them
  succeeded, sealed at rest in the customer's database);
- tenant-admin: the admin app's "new user" form, with the provider's own codes.

A refused look-up answers in the platform's error shape with one of the ``REGISTRY_*`` codes, so
every caller shows the same clear message and none of them sees a 5xx for a GSIS answer.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# GET {REGISTRY_PATH}/{vat}: the customer's codes (X-Tenant-Id, tenant-bound token); or the
# provider's codes when the caller is tenant-admin and no tenant is named.
REGISTRY_PATH = "/internal/vat-registry"
# The customer's stored codes (X-Tenant-Id): GET → RegistryCodesStatus; DELETE → forget them;
# POST RegistryCodesLookup → RegistryAnswer: a look-up with new codes, stored only on success.
REGISTRY_CODES_PATH = "/internal/vat-registry-codes"

# Error codes of a refused look-up (the ``code`` of the error body).
REGISTRY_CODES_MISSING = "vat_registry_codes_missing"  # 409: no codes stored yet
REGISTRY_CODES_REFUSED = "vat_registry_codes_refused"  # 409: GSIS refused the codes
REGISTRY_BLOCKED = "vat_registry_blocked"  # 403: GSIS blocked the codes' owner
REGISTRY_LIMITED = "vat_registry_limit_reached"  # 429: a GSIS or platform limit; Retry-After
REGISTRY_NOT_FOUND = "vat_not_registered"  # 404: no such taxpayer
REGISTRY_UNAVAILABLE = "vat_registry_unavailable"  # 503: GSIS down or answering garbage

ActivityKind = Literal["main", "secondary", "other", "auxiliary"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RegistryCodes(_Model):
    """A taxpayer's GSIS special access codes (not the TAXISnet password)."""

    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=100)


class RegistryCodesLookup(_Model):
    vat: str = Field(max_length=20)
    codes: RegistryCodes


class Activity(_Model):
    code: str  # 8-digit ΚΑΔ
    description: str
    kind: ActivityKind


class Registration(_Model):
    """One taxpayer's entry, cleaned of the live service's padding and double spaces."""

    vat: str
    legal_name: str  # onomasia
    trade_name: str = ""  # commer_title
    legal_status: str = ""  # legal_status_descr (Α.Ε., Ε.Π.Ε., ΑΤΟΜΙΚΗ ΕΠΙΧΕΙΡΗΣΗ, …)
    business_status: str = ""  # firm_flag_descr: ΕΠΙΤΗΔΕΥΜΑΤΙΑΣ, ΜΗ ΕΠΙΤΗΔΕΥΜΑΤΙΑΣ, …
    active: bool  # deactivation_flag 1
    street: str = ""
    street_number: str = ""
    postcode: str = ""
    city: str = ""  # postal_area_description
    tax_office_code: str = ""  # doy
    tax_office: str = ""  # doy_descr
    registered_on: date | None = None
    stopped_on: date | None = None
    activities: tuple[Activity, ...] = ()

    @property
    def address(self) -> str:
        """One line, as printed on an invoice: street number, postcode city."""
        street = " ".join(p for p in (self.street, self.street_number) if p)
        place = " ".join(p for p in (self.postcode, self.city) if p)
        return ", ".join(p for p in (street, place) if p)

    @property
    def main_activity(self) -> Activity | None:
        return next((a for a in self.activities if a.kind == "main"), None)


class RegistryAnswer(_Model):
    """A look-up's answer; ``cached`` when no call to GSIS was made for it."""

    registration: Registration
    cached: bool = False


class RegistryCodesStatus(_Model):
    stored: bool
    saved_at: datetime | None = None
    # GSIS refused them since: no look-up is tried with them until new ones are stored.
    refused_at: datetime | None = None
