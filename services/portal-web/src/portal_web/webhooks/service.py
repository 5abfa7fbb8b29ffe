"""What the webhook pages need besides the webhooks service's answers: the form read into a
``NewEndpoint``, and every event, state and refusal worded for the page (translated where it is
shown)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from pydantic import ValidationError

from contracts.events import (
    InvoiceDeferred,
    InvoiceRecipientEmailed,
    InvoiceRejected,
    InvoiceTransmitted,
)
from contracts.webhooks import (
    MAX_URL_LENGTH,
    SUBSCRIBABLE_EVENTS,
    TEST_EVENT,
    EndpointProblem,
    EventType,
    NewEndpoint,
)
from webkit.i18n import N_, Message

EVENT_LABELS = {
    InvoiceTransmitted.TYPE: N_("Invoice transmitted (MARK received)"),
    InvoiceDeferred.TYPE: N_("Invoice deferred (temporary authentication string)"),
    InvoiceRejected.TYPE: N_("Invoice rejected by myDATA"),
    InvoiceRecipientEmailed.TYPE: N_("Invoice e-mailed to its recipient"),
    TEST_EVENT: N_("Test event"),
}
STATE_LABELS = {
    "pending": N_("Waiting to retry"),
    "sending": N_("Sending"),
    "delivered": N_("Delivered"),
    "failed": N_("Failed"),
}
TRIGGER_LABELS = {
    "first": N_("First attempt"),
    "retry": N_("Retry"),
    "resend": N_("Resend"),
    "recovered": N_("Interrupted"),
}
PROBLEMS: dict[EndpointProblem, str] = {
    "url_invalid": N_("Enter a full address, e.g. https://erp.example.gr/webhooks."),
    "url_scheme": N_("The address must start with https://."),
    "url_userinfo": N_("The address must not contain a user name or password."),
    "url_private": N_("The address must be public, not a private or local one."),
    "url_too_long": N_("The address is too long."),
    "events_empty": N_("Choose at least one event."),
    "too_many_endpoints": N_("You have reached the maximum number of endpoints."),
}
DONE = {
    "deleted": N_("The endpoint was deleted."),
    "enabled": N_("The endpoint was enabled: waiting deliveries are sent again."),
    "disabled": N_("The endpoint was disabled: nothing is sent to it until you enable it."),
    "events": N_("The events were saved."),
    "finished": N_("The rotation was finished: only the newest secret signs now."),
    "test": N_("A test event was sent; it appears in the delivery log."),
    "resent": N_("The event is being sent again, with the same id."),
    "busy": N_("An attempt is in progress right now; try again in a few seconds."),
    "inactive": N_("Enable the endpoint first."),
    "no-events": N_("Choose at least one event."),
}


def chosen_events(values: Sequence[str]) -> list[EventType]:
    """The known event types among the form's checkboxes, in the portal's order."""
    return [cast(EventType, e) for e in SUBSCRIBABLE_EVENTS if e in set(values)]


def read_new_endpoint(
    url: str, events: Sequence[str], description: str
) -> NewEndpoint | list[Message]:
    """The form as a ``NewEndpoint``, or the messages to show beside it."""
    chosen = chosen_events(events)
    problems: list[EndpointProblem] = []
    if not url.strip() or len(url) > MAX_URL_LENGTH:
        problems.append("url_invalid" if not url.strip() else "url_too_long")
    if not chosen:
        problems.append("events_empty")
    if problems:
        return problem_messages(problems)
    try:
        return NewEndpoint(url=url.strip(), events=chosen, description=description.strip())
    except ValidationError:
        return problem_messages(["url_invalid"])


def problem_messages(problems: Sequence[EndpointProblem]) -> list[Message]:
    return [Message(PROBLEMS.get(p, PROBLEMS["url_invalid"]), level="error") for p in problems]


def done_message(done: str) -> list[Message]:
    if done not in DONE:
        return []
    if done in ("busy", "inactive", "no-events"):
        return [Message(DONE[done], level="info")]
    return [Message(DONE[done], level="success")]
