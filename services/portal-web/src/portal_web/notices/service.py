"""Reading the notices as people write them: one invoice per line, as in seed 001's WhatsApp
message ("VAT SERIESNUMBER"): ``A 124``, ``A124``, ``094420307 A 124`` or ``094420307 A124``;
commas and semicolons work as spaces. Every line that cannot be read is named, nothing is sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from contracts.notices import MAX_NOTICES, NoticeBatch, NoticedInvoice, NoticeReceipt
from portal_web.clients.notices import NoticeRefused, NoticesClient
from webkit.i18n import N_, Message

_SEPARATORS = re.compile(r"[\s,;]+")
_GLUED = re.compile(r"^(?P<series>.*?[^\d])(?P<number>\d+)$")
_VAT = re.compile(r"^\d{9}$")


@dataclass(frozen=True, slots=True)
class NoticesView:
    text: str = ""
    receipts: list[NoticeReceipt] = field(default_factory=list)
    problems: list[Message] = field(default_factory=list)


def read_lines(text: str) -> tuple[list[NoticedInvoice], list[Message]]:
    notices, problems = [], []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        notice = _notice(line)
        if notice is None:
            text_ = N_("Line %(line)s (%(text)s): write the series and the number, e.g. A 124.")
            problems.append(Message(text_, {"line": number, "text": line[:60]}, "error"))
        else:
            notices.append(notice)
    if not lines:
        problems.append(
            Message(N_("Write at least one invoice: its series and number."), level="error")
        )
    if len(notices) > MAX_NOTICES:
        problems.append(
            Message(N_("At most %(num)s invoices at a time."), {"num": MAX_NOTICES}, "error")
        )
    return notices, problems


def _notice(line: str) -> NoticedInvoice | None:
    tokens = [t for t in _SEPARATORS.split(line) if t]
    vat = tokens.pop(0) if len(tokens) > 1 and _VAT.match(tokens[0]) else None
    if len(tokens) == 2:
        series, number = tokens
    elif len(tokens) == 1 and (glued := _GLUED.match(tokens[0])):
        series, number = glued["series"], glued["number"]
    else:
        return None
    if len(series) > 50 or len(number) > 50:
        return None
    return NoticedInvoice(vat=vat, series=series, number=number)


async def send(client: NoticesClient, tenant_id: str, text: str) -> NoticesView:
    notices, problems = read_lines(text)
    if problems:
        return NoticesView(text, problems=problems)
    try:
        answer = await client.record(tenant_id, NoticeBatch(notices=notices, channel="portal"))
    except NoticeRefused as refused:
        said = [
            Message(N_("Not recorded: %(problem)s"), {"problem": p}, "error")
            for p in refused.problems
        ]
        return NoticesView(text, problems=said)
    return NoticesView(receipts=answer.receipts)
