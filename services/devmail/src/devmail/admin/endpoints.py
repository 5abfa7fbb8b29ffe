"""``/_admin`` for tests and dev tools (mounted only when ``EINV_DEVMAIL_ADMIN`` is on)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from devmail.deps import FaultSwitch, Inbox, Sms
from devmail.faults import ReportPlan, SmsFault, SmtpFault
from kit.errors import NotFound

router = APIRouter(prefix="/_admin", tags=["admin (tests/dev only)"])


class ReportRequest(BaseModel):
    """One delivery report to send now, for a test's own sequence of reports."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["PENDING_ENROUTE", "DELIVERED_TO_HANDSET", "UNDELIVERABLE_NOT_DELIVERED"]
    part: int | None = Field(default=None, ge=1, le=255)


@router.get("/messages", summary="Every e-mail and SMS received, oldest first")
async def messages(inbox: Inbox) -> dict[str, list[dict[str, Any]]]:
    return {
        "emails": [m.as_dict() for m in inbox.emails.values()],
        "sms": [s.as_dict() for s in inbox.sms.values()],
    }


@router.get(
    "/messages/{seq}/attachments/{index}",
    summary="One e-mail's attachment, as received (index from 0)",
    response_class=Response,
)
async def attachment(seq: int, index: int, inbox: Inbox) -> Response:
    mail = inbox.emails.get(seq)
    if mail is None or not 0 <= index < len(mail.attachments):
        raise NotFound(f"no attachment {index} of e-mail {seq}")
    found = mail.attachments[index]
    return Response(found.content, media_type=found.content_type)


@router.get("/faults", summary="The fault switches now")
async def get_faults(faults: FaultSwitch) -> dict[str, object]:
    return faults.status()


@router.post("/faults/smtp", summary="Set the SMTP server's fault switch")
async def set_smtp(config: SmtpFault, faults: FaultSwitch) -> dict[str, object]:
    faults.smtp.set(config)
    return faults.status()


@router.post("/faults/sms", summary="Set the SMS API's fault switch")
async def set_sms(config: SmsFault, faults: FaultSwitch) -> dict[str, object]:
    faults.sms.set(config)
    return faults.status()


@router.post("/faults/reports", summary="Set the delivery reports' plan")
async def set_reports(config: ReportPlan, faults: FaultSwitch) -> dict[str, object]:
    faults.reports.set(config)
    return faults.status()


@router.post("/sms/{message_id}/report", summary="Send one delivery report now")
async def report_now(message_id: str, body: ReportRequest, provider: Sms) -> dict[str, str]:
    sms = provider.received.sms_by_id.get(message_id)
    if sms is None:
        raise NotFound(f"no SMS with message id {message_id}")
    await provider.reports.send_now(sms, body.status, body.part)
    return {"status": "sent"}


@router.post("/reset", summary="Forget everything received and switch faults off")
async def reset(inbox: Inbox, faults: FaultSwitch) -> dict[str, str]:
    inbox.reset()
    faults.reset()
    return {"status": "reset"}
