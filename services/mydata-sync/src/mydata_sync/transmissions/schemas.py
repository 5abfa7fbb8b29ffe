"""Request and answer of ``POST /internal/transmissions`` (the contract with invoice-service)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

AnswerState = Literal["transmitted", "deferred", "rejected"]


class TransmitRequest(BaseModel):
    """Same JSON as the ``invoice.submitted`` command's payload."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tenant_id: str = Field(min_length=1, max_length=64)
    invoice_id: int
    uid: str = Field(min_length=1, max_length=64)
    customer_username: str = Field(max_length=200)
    temporary_code: str = Field(max_length=200)
    invoice: dict[str, Any]
    # The InvoicesDoc for the first attempt; later attempts are rebuilt with transmissionFailure 2.
    xml: str = Field(min_length=1, max_length=20_000_000)


class ErrorOut(BaseModel):
    code: str
    message: str


class TransmitAnswer(BaseModel):
    transmission_id: int
    state: AnswerState
    mark: str | None = None
    uid: str
    authentication_code: str | None = None
    qr_url: str | None = None
    errors: list[ErrorOut] = Field(default_factory=list)
    request_xml: str | None = None
    response_xml: str | None = None
    attempts: int = 0
