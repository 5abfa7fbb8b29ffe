"""«Συμπλήρωση από το μητρώο»: the new user's company name and address from AADE's VAT
registry (VAT-1), looked up with the provider's own GSIS codes through mydata-sync.

The check digit is checked here first: a wrong number costs no look-up (each one notifies the
looked-up taxpayer). What the registry says besides (tax office, whether the VAT number is
active) is shown to the operator, not stored.
"""

from __future__ import annotations

from mydata.vat import vat_problem
from tenant_admin.app.users.forms import Problems, UserFields
from tenant_admin.upstream.clients import RegistryClient, RegistryRefused
from tenant_admin.upstream.http import UpstreamUnavailable
from webkit.i18n import N_, Locale, Message


async def filled_from_registry(
    client: RegistryClient, fields: UserFields, locale: Locale
) -> tuple[UserFields, Problems, Message]:
    vat = "".join(fields.vat.split()).upper().removeprefix("EL")
    if problem := vat_problem(vat):
        text = N_("Not a valid VAT number (%(problem)s): nothing was looked up.")
        return fields, {"vat": Message(text, {"problem": problem}, "error")}, _nothing()
    try:
        answer = await client.look_up(vat, locale)
    except RegistryRefused as refused:
        text = N_("The registry did not fill the form: %(reason)s")
        return fields, {}, Message(text, {"reason": refused.message or refused.code}, "error")
    except UpstreamUnavailable:
        return fields, {}, Message(N_("The VAT registry cannot be reached now."), level="error")
    entry = answer.registration
    filled = fields.model_copy(
        update={"vat": vat, "company_name": entry.legal_name, "address": entry.address}
    )
    params = {"name": entry.legal_name, "office": entry.tax_office}
    if not entry.active:
        text = N_("Filled from the registry: %(name)s; this VAT number is deactivated.")
        return filled, {}, Message(text, params, "error")
    text = N_("Filled from the registry: %(name)s, tax office %(office)s.")
    return filled, {}, Message(text, params, "success")


def _nothing() -> Message:
    return Message(N_("Fix the VAT number and look it up again."), level="info")
