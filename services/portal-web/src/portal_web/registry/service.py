"""What the registry page shows: the entry, or why there is none, and whether to ask for the
customer's special codes (the first look-up, or after GSIS refused the stored ones)."""

from __future__ import annotations

from dataclasses import dataclass

from contracts import registry as codes
from contracts.registry import Registration, RegistryCodes, RegistryCodesStatus
from mydata.vat import vat_problem
from portal_web.clients.registry import RegistryRefusal, VatRegistryClient
from portal_web.receivers.service import VAT_PROBLEMS, normalised_vat
from webkit.i18n import N_, Locale, Message

ASK_FOR_CODES = frozenset({codes.REGISTRY_CODES_MISSING, codes.REGISTRY_CODES_REFUSED})
HEADLINES = {
    codes.REGISTRY_CODES_MISSING: N_(
        "Enter your GSIS special access codes once; they are kept only if the look-up works."
    ),
    codes.REGISTRY_CODES_REFUSED: N_("GSIS refused your special access codes: enter them again."),
    codes.REGISTRY_BLOCKED: N_("GSIS has blocked look-ups with your codes."),
    codes.REGISTRY_LIMITED: N_("Your codes reached a GSIS look-up limit: try again later."),
    codes.REGISTRY_NOT_FOUND: N_("No taxpayer with VAT number %(vat)s was found."),
}
UNAVAILABLE = N_("AADE's VAT registry is not answering right now; try again in a few minutes.")


@dataclass(frozen=True, slots=True)
class RegistryView:
    vat: str = ""
    registration: Registration | None = None
    cached: bool = False
    problem: Message | None = None
    detail: str = ""  # GSIS's reason, as mydata-sync words it in the page's language
    ask_codes: bool = False
    codes_saved: bool = False
    invalid: bool = False  # the VAT number typed is not one (nothing was asked of GSIS)


async def look_up(
    client: VatRegistryClient, tenant_id: str, typed: str, locale: Locale
) -> RegistryView:
    vat = normalised_vat(typed)
    if problem := _vat_problem(vat):
        return RegistryView(vat, problem=problem, invalid=True)
    try:
        answer = await client.look_up(tenant_id, vat, locale)
    except RegistryRefusal as refusal:
        return _refused(vat, refusal)
    return RegistryView(vat, answer.registration, cached=answer.cached)


async def try_codes(
    client: VatRegistryClient, tenant_id: str, typed: str, entered: RegistryCodes, locale: Locale
) -> RegistryView:
    vat = normalised_vat(typed)
    if problem := _vat_problem(vat):
        return RegistryView(vat, problem=problem, ask_codes=True, invalid=True)
    try:
        answer = await client.try_codes(tenant_id, vat, entered, locale)
    except RegistryRefusal as refusal:
        return _refused(vat, refusal)
    return RegistryView(vat, answer.registration, codes_saved=True)


async def codes_status(client: VatRegistryClient, tenant_id: str) -> RegistryCodesStatus:
    return await client.status(tenant_id)


async def forget_codes(client: VatRegistryClient, tenant_id: str) -> None:
    await client.forget(tenant_id)


def _vat_problem(vat: str) -> Message | None:
    problem = vat_problem(vat)
    if problem is None:
        return None
    return Message(
        VAT_PROBLEMS.get(problem, VAT_PROBLEMS["check digit does not match"]), level="error"
    )


def _refused(vat: str, refusal: RegistryRefusal) -> RegistryView:
    headline = HEADLINES.get(refusal.code, UNAVAILABLE)
    missing = refusal.code == codes.REGISTRY_CODES_MISSING
    problem = Message(headline, {"vat": vat}, level="info" if missing else "error")
    # GSIS's own reason adds something only where our headline is not the whole story.
    plain = missing or refusal.code == codes.REGISTRY_NOT_FOUND
    return RegistryView(
        vat,
        problem=problem,
        detail="" if plain else refusal.detail,
        ask_codes=refusal.code in ASK_FOR_CODES,
    )
