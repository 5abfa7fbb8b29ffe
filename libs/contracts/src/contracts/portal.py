"""What portal-web asks of the services that own the data (it has no database of its own).

Every call carries an internal token (``kit.auth.ServiceTokens``, subject ``portal-web``); calls
that read one customer's invoices carry one bound to that tenant (``tid``) and ``X-Tenant-Id``.

- tenant-admin (catalog): portal users, their server-side sessions, first login, password,
  API token, packages, the auditors' grants and audit trail, and the directory of public strings.
- invoice-service (tenant databases): the invoice list with totals, one invoice, its XML, the
  customer's branding.
- mydata-sync: the e-mail addresses a VAT number declared to AADE (RequestReceiverInfo).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from contracts.text import TextModel

Role = Literal["customer", "aade_user"]
Language = Literal["el", "en"]


class _Model(TextModel):
    pass


# --- tenant-admin: portal users and sessions ------------------------------------------------

PORTAL_LOGIN_PATH = "/internal/portal/login"
PORTAL_SESSIONS_PATH = "/internal/portal/sessions"  # + /{session_id}[/…]
PUBLIC_STRINGS_PATH = "/internal/public-strings"  # + /{code}


# What follows ``/{session_id}`` for each action on a session.
PASSWORD_TAIL = "/password"  # POST PasswordChange → 204; a broken rule: 400 ``password_rules``
ACCEPTANCE_TAIL = "/acceptance"  # POST Acceptance → PortalSession
TOKEN_TAIL = "/token"  # POST → NewApiToken
PACKAGES_TAIL = "/packages"  # GET → list[PortalPackage]
ACTING_FOR_TAIL = "/acting-for"  # PUT ActingFor → PortalSession (403 when not granted)
AUDIT_TAIL = "/audit"  # POST AuditView → 204


def session_path(session_id: str, tail: str = "") -> str:
    return f"{PORTAL_SESSIONS_PATH}/{session_id}{tail}"


class PortalLogin(_Model):
    username: str = Field(min_length=1, max_length=50)
    password: str = Field(min_length=1, max_length=200)
    client_ip: str = Field(max_length=64)


class SeenCustomer(_Model):
    """A customer an auditor (AADE user) was granted to see."""

    customer_id: str
    username: str
    company_name: str
    vat: str


class PortalUser(_Model):
    customer_id: str
    username: str
    role: Role
    company_name: str
    vat: str
    surname: str
    name: str
    email: str
    mobile: str
    language: Language
    contract_serial: str | None
    must_change_password: bool
    contract_accepted_at: datetime | None
    usage_accepted_at: datetime | None
    sees: list[SeenCustomer] = Field(default_factory=list)

    @property
    def accepted_terms(self) -> bool:
        return self.contract_accepted_at is not None and self.usage_accepted_at is not None


class PortalSession(_Model):
    """A server-side session; ``session_id`` is the opaque cookie value, shown only at login
    (tenant-admin keeps its hash). ``acting_for``: the customer an auditor is looking at."""

    session_id: str
    csrf_token: str
    user: PortalUser
    acting_for: SeenCustomer | None = None
    created_at: datetime
    expires_at: datetime  # absolute limit; each use also moves an idle limit forward


class PasswordChange(_Model):
    """Refused with 400 ``invalid_request`` (wrong current password) or 400 ``password_rules``
    with ``data.rules``: the keys of every broken PORTAL-9 rule (min_length, upper, lower,
    digit, symbol), and ``data.validation_errors`` naming each."""

    current_password: str = Field(max_length=200)
    new_password: str = Field(max_length=200)


class Acceptance(_Model):
    """First login: both the contract terms and the terms of use, with the address used."""

    contract: bool
    usage: bool
    client_ip: str = Field(max_length=64)


class ActingFor(_Model):
    customer_id: str = Field(min_length=1, max_length=64)
    client_ip: str = Field(max_length=64)


class AuditView(_Model):
    """An auditor viewed something of a granted customer (who, which customer, what, when)."""

    what: str = Field(min_length=1, max_length=200)
    client_ip: str = Field(max_length=64)


class NewApiToken(_Model):
    api_token: str
    revoked: int


class PortalPackage(_Model):
    id: int
    starts_at: datetime
    ends_at: datetime
    call_limit: int
    calls_used: int
    active: bool


class PublicString(_Model):
    """The directory of public strings: which tenant's invoice a printed string names, and the
    customer's company name (printed as the issuer when the ERP sent no ``is_name``)."""

    code: str
    kind: Literal["authentication", "temporary", "temp_qr"]
    tenant_id: str
    uid: str
    company_name: str | None = None


# --- invoice-service: one customer's invoices (tenant-bound token) ---------------------------

INVOICES_PATH = "/internal/invoices"  # GET list (InvoicePage); + TOTALS_TAIL; /{uid}; /{uid}/xml
TOTALS_TAIL = "/totals"  # GET InvoiceTotals of the same filters
XML_TAIL = "/xml"  # after /{uid}: the InvoicesDoc, a download named series-number.xml
# After /{uid}: the ERP body as accepted (seed 002's request fields, exact decimals as strings,
# absent fields left out): what the invoice's e-mail options (``einv00``) and counterpart say.
REQUEST_TAIL = "/request"
BRANDING_PATH = "/internal/branding"  # GET/PUT Branding; + LOGO_TAIL
LOGO_TAIL = "/logo"  # GET the image; PUT its bytes (PNG/JPEG by content, ≤ 2 MB)

Loss = Literal["any", "erp", "mydata"]  # seed 001: none, ERP↔provider, provider↔myDATA


class InvoiceQuery(_Model):
    date_from: date
    date_to: date
    cp_vat: str | None = Field(default=None, max_length=20)
    series: str | None = Field(default=None, max_length=20)
    aa: str | None = Field(default=None, max_length=20)
    loss: Loss = "any"


class InvoiceRow(_Model):
    uid: str
    issue_date: date
    series: str
    aa: str
    invoice_type: str
    counterpart_vat: str | None
    counterpart_name: str | None
    state: Literal["pending", "transmitted", "deferred", "rejected"]
    transmission_failure: int
    mark: str | None
    code: str  # the authentication string shown (real once myDATA gave one)
    total_net: Decimal
    total_vat: Decimal
    total_gross: Decimal


class InvoicePage(_Model):
    items: list[InvoiceRow]
    next_cursor: str | None  # keyset: pass as ``after`` for the next page


class InvoiceTotals(_Model):
    count: int
    net: Decimal
    vat: Decimal
    withheld: Decimal
    other_taxes: Decimal
    stamp_duty: Decimal
    fees: Decimal
    deductions: Decimal
    gross: Decimal


class InvoiceView(_Model):
    """One invoice for display: seed 002's ``data`` (as ``GET /invoice-data`` answers it) plus
    what a printed invoice needs that ``data`` does not say plainly."""

    data: dict[str, Any]
    state: Literal["pending", "transmitted", "deferred", "rejected"]
    temporary: bool  # no real authentication string yet (transmissionFailure 2 pending)
    temporary_code: str
    errors: list[dict[str, str]]
    issued_at: datetime


class Branding(_Model):
    """Business details shown on the invoice view and PDF (PORTAL-10), in both languages."""

    details_el: str = Field(default="", max_length=2000)
    details_en: str = Field(default="", max_length=2000)
    header_el: str = Field(default="", max_length=500)
    header_en: str = Field(default="", max_length=500)
    footer_el: str = Field(default="", max_length=1000)
    footer_en: str = Field(default="", max_length=1000)
    has_logo: bool = False


# --- portal-web: one invoice as the portal prints it, for its e-mail (tenant-bound token) -------

# GET ?lang=el|en → InvoicePdf. Called by the notifier, which attaches the PDF to the e-mail it
# sends the invoice's recipient (SPEC API-10): the same layout as the portal's own PDF.
INVOICE_PDF_PATH = "/internal/invoice-documents"  # + /{uid}


class InvoicePdf(_Model):
    """The invoice's PDF and what its e-mail says of it, each as the PDF prints it in
    ``language`` (dates DD/MM/YYYY, money as the language writes it)."""

    uid: str
    language: Language
    filename: str  # {series}-{number}.pdf, as the portal's own download is named
    issuer_name: str  # the ERP's is_name, else the customer's company name
    series: str
    number: str
    issue_date: str
    total: str  # the gross total with its currency ("1.234,50 €" / "€1,234.50")
    mark: str  # "" while myDATA has not registered it
    authentication_code: str
    pdf_base64: str


# --- mydata-sync: RequestReceiverInfo ---------------------------------------------------------

RECEIVERS_PATH = "/internal/receivers"  # + /{vat}


class ReceiverInfo(_Model):
    vat: str
    emails: list[str]
    providers: list[str]
