"""The SMS provider as the notifier needs it, whatever the provider: send one message under an id
we chose, look a message up by that id, read and authenticate its delivery reports.

The one implementation is ``channels.infobip`` (docs/adr/0008-notifier.md says why Infobip's
dialect). Another provider fits behind the same four calls; one that cannot take a client-chosen
id must answer ``status`` through the id it returned, which an ambiguous timeout never gave us.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from notifier.channels.outcome import HandOver, SendOutcome

# What the provider says about a message, in three words: it has it, it arrived, it never will.
ProviderState = Literal["pending", "delivered", "failed"]


class SmsProviderUnavailable(Exception):
    """A status look-up got no usable answer (try again later)."""


@dataclass(frozen=True, slots=True)
class OutgoingSms:
    provider_message_id: str  # chosen by us: the SMS provider's id for this message
    to: str  # E.164, "+306900000000"
    text: str
    callback_data: str  # echoed in every report: our notification id


@dataclass(frozen=True, slots=True)
class ProviderStatus:
    state: ProviderState
    status: str  # the provider's own status group, kept for on-call


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    provider_message_id: str
    status: str  # the provider's status group (the de-duplication key, with the id and part)
    state: ProviderState
    part: int  # 0: the whole message; n: part n, for SMS providers that report parts
    raw: dict[str, Any]


class SmsProvider(Protocol):
    async def send(self, sms: OutgoingSms, hand_over: HandOver) -> SendOutcome: ...

    async def status(self, provider_message_id: str) -> ProviderStatus | None:
        """None: the SMS provider has no such message. ``SmsProviderUnavailable``: no answer."""
        ...

    def parse_reports(self, body: bytes) -> list[DeliveryReport]:
        """The reports in one callback body; ``ValueError`` for a body that is not one."""
        ...

    def callback_authorised(self, authorization: str | None) -> bool: ...

    async def close(self) -> None: ...
