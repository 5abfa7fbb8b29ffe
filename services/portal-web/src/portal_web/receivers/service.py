"""The VAT number is checked here first (its check digit): every look-up is a call to AADE."""

from __future__ import annotations

from dataclasses import dataclass, field

from mydata.vat import vat_problem
from portal_web.clients.receivers import ReceiverClient
from webkit.i18n import N_, Message

VAT_PROBLEMS = {
    "must be 9 digits": N_("A Greek VAT number has 9 digits."),
    "must not be all zeros": N_("A VAT number cannot be all zeros."),
    "check digit does not match": N_("This is not a valid VAT number (its check digit is wrong)."),
}


@dataclass(frozen=True, slots=True)
class Lookup:
    vat: str
    emails: list[str] = field(default_factory=list)
    problem: Message | None = None


def normalised_vat(typed: str) -> str:
    """A VAT number as people type it: spaces anywhere, the EL prefix of VIES."""
    return "".join(typed.split()).upper().removeprefix("EL")


async def look_up(receivers: ReceiverClient, typed: str) -> Lookup:
    vat = normalised_vat(typed)
    problem = vat_problem(vat)
    if problem is not None:
        text = VAT_PROBLEMS.get(problem, VAT_PROBLEMS["check digit does not match"])
        return Lookup(vat, problem=Message(text, level="error"))
    info = await receivers.receivers(vat)
    if not info.emails:
        none = Message(N_("No e-mail address for e-invoices is declared for VAT number %(vat)s."),
                       {"vat": vat})  # fmt: skip
        return Lookup(vat, problem=none)
    return Lookup(vat, emails=info.emails)
