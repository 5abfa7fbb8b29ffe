"""What a page says after a form sent the operator back to it (post, redirect, get): the
outcome's key travels in the query (``done`` or ``refused``) and is shown in the operator's
language; an unknown key shows nothing."""

from __future__ import annotations

from collections.abc import Mapping

from webkit.i18n import N_, Message

DONE = {
    "created": N_("The user was saved and the SMS with the password was queued."),
    "saved": N_("The changes were saved."),
    "sms": N_("The changes were saved and the SMS with the new password was queued."),
    "email": N_("The e-mail with the username and the serial number was queued."),
    "package_sold": N_("The package was sold."),
    "package_extended": N_("The package's end was moved."),
    "package_limit": N_("The package's call limit was changed."),
    "call_log_on": N_(
        "The API call log is on: the gateways record this user's calls within a minute."
    ),
    "call_log_off": N_("The API call log is off."),
    "database": N_("The database is being created."),
    "recreate": N_("The database is being recreated: its data was dropped."),
    "resent": N_("The invoice was sent to myDATA and left the list."),
}
REFUSED = {
    "no_calls": N_("A package needs at least one call."),
    "bad_number": N_("Enter a whole number of calls."),
    "bad_date": N_("Enter dates as DD/MM/YYYY."),
    "end_before_start": N_("The end must come after the start."),
    "start_out_of_range": N_("The start must be within a year before and three years after today."),
    "limit_below_used": N_("The limit cannot be below the calls already used."),
    "unknown_package": N_("There is no such package."),
    "busy": N_("The database is being created right now."),
    "confirmation": N_("Type the user's username exactly to recreate the database."),
    "resend_failed": N_("The invoice could not be sent to myDATA; it stays in the list."),
    "resend_gone": N_("That invoice is no longer in the list."),
}


def notices(query: Mapping[str, str]) -> list[Message]:
    found: list[Message] = []
    if (done := query.get("done")) in DONE:
        found.append(Message(DONE[str(done)], level="success"))
    if (refused := query.get("refused")) in REFUSED:
        found.append(Message(REFUSED[str(refused)], level="error"))
    return found
