"""``GET /``: every e-mail and SMS received, newest first, as a plain HTML page (escaped by
Jinja2's autoescape: message texts come from outside)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from devmail.deps import Inbox, Settings

router = APIRouter(tags=["page"])
_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True),
)


@router.get("/", response_class=HTMLResponse, summary="Every e-mail and SMS received")
async def index(inbox: Inbox, settings: Settings) -> HTMLResponse:
    page = _TEMPLATES.get_template("index.html").render(
        emails=list(reversed(inbox.emails.values())),
        sms=list(reversed(inbox.sms.values())),
        smtp_port=settings.smtp_port,
    )
    return HTMLResponse(page)
