"""The stand-ins: the SMTP server keeps what it accepts (Greek subjects, Message-IDs), the SMS
API speaks Infobip's dialect with its fault switches, the page lists both, escaped."""

from __future__ import annotations

from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

import aiosmtplib
import pytest

if TYPE_CHECKING:  # conftest is not importable at run time under --import-mode=importlib
    from conftest import Running


def _email(subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"] = "no-reply@einv.example", "it@acme.example.gr"
    message["Subject"], message["Message-ID"] = subject, "<n-1@einv.example>"
    message.set_content(body)
    return message


def _sms(to: str = "306900000000", sender: str = "EINVOICING") -> dict[str, Any]:
    destination = {"to": to, "messageId": "m-1"}
    message = {"from": sender, "destinations": [destination], "text": "Κωδικός: <b>1</b>"}
    return {"messages": [message]}


async def test_the_smtp_server_keeps_greek_mail_and_the_page_lists_it_escaped(
    devmail: Running,
) -> None:
    await aiosmtplib.send(
        _email("Στοιχεία σύνδεσης", "<script>x</script>"), hostname="127.0.0.1",
        port=devmail.smtp_port,
    )  # fmt: skip
    (kept,) = (await devmail.http.get("/_admin/messages")).json()["emails"]
    page = (await devmail.http.get("/")).text
    assert kept["subject"] == "Στοιχεία σύνδεσης" and kept["message_id"] == "<n-1@einv.example>"
    assert "Στοιχεία σύνδεσης" in page
    assert "<script>" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("mode", "error"),
    [("temporary_error", "451"), ("permanent_error", "550")],
)
async def test_smtp_refusals_keep_nothing(devmail: Running, mode: str, error: str) -> None:
    await devmail.http.post("/_admin/faults/smtp", json={"mode": mode, "count": 1})
    with pytest.raises(aiosmtplib.SMTPDataError, match=error):
        await aiosmtplib.send(_email("s", "b"), hostname="127.0.0.1", port=devmail.smtp_port)
    assert (await devmail.http.get("/_admin/messages")).json()["emails"] == []


async def test_drop_after_data_keeps_the_message_and_never_answers(devmail: Running) -> None:
    await devmail.http.post("/_admin/faults/smtp", json={"mode": "drop_after_data", "count": 1})
    with pytest.raises(aiosmtplib.SMTPServerDisconnected):
        await aiosmtplib.send(_email("s", "b"), hostname="127.0.0.1", port=devmail.smtp_port)
    assert len((await devmail.http.get("/_admin/messages")).json()["emails"]) == 1


async def test_the_sms_api_needs_its_key(devmail: Running) -> None:
    response = await devmail.http.post("/sms/2/text/advanced", json=_sms())
    assert response.status_code == 401
    assert response.json()["requestError"]["serviceException"]["messageId"] == "UNAUTHORIZED"


async def test_an_accepted_sms_is_listed_logged_and_shaped(
    devmail: Running, api_key: dict[str, str]
) -> None:
    answer = await devmail.http.post("/sms/2/text/advanced", json=_sms(), headers=api_key)
    logs = await devmail.http.get("/sms/1/logs?messageId=m-1", headers=api_key)
    unknown = await devmail.http.get("/sms/1/logs?messageId=m-2", headers=api_key)
    page = (await devmail.http.get("/")).text
    (status,) = [m["status"] for m in answer.json()["messages"]]
    assert status["groupName"] == "PENDING"
    (entry,) = logs.json()["results"]
    assert entry["messageId"] == "m-1" and entry["smsCount"] == 1
    assert unknown.json() == {"results": []}
    (sms,) = (await devmail.http.get("/_admin/messages")).json()["sms"]
    assert (sms["encoding"], sms["parts"]) == ("UCS-2", 1)
    assert "&lt;b&gt;1&lt;/b&gt;" in page


@pytest.mark.parametrize(
    ("changes", "status"),
    [({"to": "12"}, "REJECTED_DESTINATION"), ({"sender": "OTHER"}, "REJECTED_SOURCE")],
)
async def test_bad_numbers_and_unapproved_senders_are_rejected(
    devmail: Running, api_key: dict[str, str], changes: dict[str, str], status: str
) -> None:
    answer = await devmail.http.post("/sms/2/text/advanced", json=_sms(**changes), headers=api_key)
    (message,) = answer.json()["messages"]
    assert (message["status"]["groupName"], message["status"]["name"]) == ("REJECTED", status)
    assert (await devmail.http.get("/_admin/messages")).json()["sms"] == []


@pytest.mark.parametrize(("mode", "code"), [("server_error", 503), ("rate_limited", 429)])
async def test_whole_request_faults_accept_nothing(
    devmail: Running, api_key: dict[str, str], mode: str, code: int
) -> None:
    await devmail.http.post("/_admin/faults/sms", json={"mode": mode, "count": 1})
    answer = await devmail.http.post("/sms/2/text/advanced", json=_sms(), headers=api_key)
    assert answer.status_code == code
    assert (await devmail.http.get("/_admin/messages")).json()["sms"] == []
