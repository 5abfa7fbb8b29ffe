"""Request dependencies as ``Annotated`` aliases (DESIGN.md §7)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from devmail.faults import Faults
from devmail.settings import DevmailSettings
from devmail.sms.service import SmsProvider
from devmail.state import Received


def get_settings(request: Request) -> DevmailSettings:
    settings: DevmailSettings = request.app.state.settings
    return settings


def get_sms(request: Request) -> SmsProvider:
    sms: SmsProvider = request.app.state.sms
    return sms


def get_received(request: Request) -> Received:
    received: Received = request.app.state.received
    return received


def get_faults(request: Request) -> Faults:
    faults: Faults = request.app.state.faults
    return faults


Settings = Annotated[DevmailSettings, Depends(get_settings)]
Sms = Annotated[SmsProvider, Depends(get_sms)]
Inbox = Annotated[Received, Depends(get_received)]
FaultSwitch = Annotated[Faults, Depends(get_faults)]
