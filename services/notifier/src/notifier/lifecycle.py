"""The message state machine's rules, in one place (docs/adr/0008-notifier.md):

    pending → sending → sent | failed | unknown        (our own attempts)
    sending → pending                                  (a retry; or a crashed worker's attempt
                                                        that never reached its point of no return)
    sending → unknown                                  (a crashed worker's attempt that had)
    any open state or sent → delivered | failed        (what the provider reports or answers)
    pending | sending | unknown → sent                 (the provider has it, still pending)
    unknown → pending                                  (the SMS provider says, repeatedly, it never
                                                        got it: the one automatic resend)
    failed | unknown → pending                         (on-call's deliberate resend)

``delivered`` and ``failed`` are final: no report, look-up or late answer moves them back. The
provider's word also ends an attempt still in flight (its report can overtake our own record
of the answer): the attempt's outcome then finds its lease gone and changes nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func

from notifier.channels.sms import ProviderState
from notifier.db.tables import FINAL_STATES, messages

PROVIDER_MAY_MOVE = ("pending", "sending", "unknown", "sent")


def after_provider_state(current: str, provider: ProviderState) -> str | None:
    """The state a message moves to when the provider tells ``provider``; None: unchanged."""
    if current not in PROVIDER_MAY_MOVE:
        return None
    if provider in ("delivered", "failed"):
        return provider
    return "sent" if current != "sent" else None


def is_final(state: str) -> bool:
    return state in FINAL_STATES


def keeps_secrets(state: str) -> bool:
    """Sealed parameters are needed only while the message may still be sent: once it is sent,
    delivered or failed they are wiped (an unknown one keeps them, still sealed, for on-call's
    forced resend)."""
    return state in ("pending", "sending", "unknown")


def provider_update(new_state: str) -> dict[str, Any]:
    """The columns a move to ``new_state`` by the provider's word sets: timestamps, no lease
    (an attempt still in flight is over), and no secrets once they are useless."""
    values: dict[str, Any] = {
        "state": new_state, "next_attempt_at": None, "lease_token": None, "lease_until": None,
        "sent_at": func.coalesce(messages.c.sent_at, func.now()),
    }  # fmt: skip
    if new_state == "delivered":
        values["delivered_at"] = func.now()
        values["last_error"] = None
    if new_state == "sent":
        values["last_error"] = None
    if not keeps_secrets(new_state):
        values["sealed_params"] = None
    return values
