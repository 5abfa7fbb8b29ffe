"""Connection-loss notices (A.1035/2020 art. 3 §3.4; seed 001's "VAT SERIESNUMBER" message):
when an ERP cannot reach the provider, the customer tells it of each invoice issued meanwhile,
and gets a receipt. tenant-admin keeps them in the catalog and matches each to its invoice when
the invoice arrives (mydata-sync's outcome events name it: issuer VAT, series, number).

- ``POST NOTICES_PATH`` (tenant-bound internal token + X-Tenant-Id; the gateway forwards the
  ERP's body as it came, portal-web sends :class:`NoticeBatch`) → :class:`NoticeReceipts`.
- ``GET NOTICES_PATH`` (tenant-bound) → the customer's notices, newest first.
- ``GET UNMATCHED_NOTICES_PATH?older_than_h=`` (any internal caller) → every customer's notices
  still without their invoice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

NOTICES_PATH = "/internal/connection-loss-notices"
UNMATCHED_NOTICES_PATH = "/internal/connection-loss-notices/unmatched"
MAX_NOTICES = 500  # per request: a day's invoices of a busy shop, in one message

Channel = Literal["api", "portal"]


class NoticedInvoice(BaseModel):
    """One invoice issued while the ERP could not reach us, named as the ERP names it."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    # The issuer's VAT number; when absent, the customer's own.
    vat: str | None = Field(
        default=None, max_length=20, validation_alias=AliasChoices("vat", "is_vat")
    )
    series: str = Field(min_length=1, max_length=50)
    number: str = Field(min_length=1, max_length=50, validation_alias=AliasChoices("number", "aa"))


class NoticeBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    notices: list[NoticedInvoice] = Field(min_length=1, max_length=MAX_NOTICES)
    channel: Channel = "api"


class NoticeReceipt(BaseModel):
    receipt: str  # what the customer quotes ("N00000042")
    vat: str
    series: str
    number: str
    received_at: datetime
    matched_at: datetime | None = None  # the invoice arrived
    matched_uid: str | None = None
    repeated: bool = False  # this invoice had been notified before: its first receipt


class NoticeReceipts(BaseModel):
    """The answer: one receipt per invoice, in the order given (``Επιβεβαίωση Λήψης``)."""

    ok: int = 1
    received_at: datetime
    receipts: list[NoticeReceipt]


class UnmatchedNotice(NoticeReceipt):
    tenant_id: str
    company_name: str
    channel: Channel
