"""Seed 002's ``einv00``: where an invoice's e-mail goes and in which language (pure rules).

- ``p01`` 1 "service only": the address the counterpart declared to AADE (RequestReceiverInfo),
  or nothing; 2 "service or p010": the declared address, else ``p010``; absent: as 1.
- ``p02`` 1: English; 2: the language ``p020`` names; absent: Greek. The notifier writes Greek
  and English only: a ``p020`` it has no template for gets English, which a recipient abroad is
  likelier to read than Greek; ``p02`` 2 without a ``p020`` stays Greek.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from contracts.notifications import AddressSource, Language, SkipReason

SERVICE_ONLY, SERVICE_OR_ALTERNATIVE = 1, 2
ENGLISH, CHOSEN = 1, 2
# AADE's registry answers for Greek VAT numbers only.
GREEK = ("GR", "EL")


@dataclass(frozen=True, slots=True)
class Delivery:
    """What the stored ERP body says about the e-mail."""

    counterpart_vat: str | None  # only when AADE could have an address for it
    has_counterpart: bool
    p01: int | None = None
    p02: int | None = None
    p010: str | None = None
    p020: str | None = None


@dataclass(frozen=True, slots=True)
class Address:
    """Where to send, or why nothing is sent (``to`` None, ``reason`` set)."""

    to: str | None
    source: AddressSource | None = None
    reason: SkipReason | None = None


def delivery_of(body: Mapping[str, Any]) -> Delivery:
    """The e-mail options of an ERP body as invoice-service stored it (already validated)."""
    options = body.get("einv00") or {}
    if not isinstance(options, Mapping):
        options = {}
    vat = _text(body.get("cp_vat"))
    country = (_text(body.get("cp_country")) or "GR").upper()
    return Delivery(
        counterpart_vat=vat if vat and country in GREEK else None,
        has_counterpart=vat is not None,
        p01=_number(options.get("p01")),
        p02=_number(options.get("p02")),
        p010=_text(options.get("p010")),
        p020=_text(options.get("p020")),
    )


def choose_address(delivery: Delivery, declared: Sequence[str]) -> Address:
    """The first declared address (mydata-sync answers them lower-cased, sorted, unique); else
    ``p010`` when ``p01`` is 2; else nothing, and why."""
    if declared:
        return Address(declared[0], "declared")
    if delivery.p01 == SERVICE_OR_ALTERNATIVE and delivery.p010:
        return Address(delivery.p010.strip(), "alternative")
    reason: SkipReason = "no_declared_address" if delivery.has_counterpart else "no_counterpart"
    return Address(None, reason=reason)


def choose_language(delivery: Delivery) -> Language:
    if delivery.p02 == ENGLISH:
        return "en"
    if delivery.p02 == CHOSEN and delivery.p020:
        return "el" if delivery.p020.lower() == "el" else "en"
    return "el"


def _text(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _number(value: object) -> int | None:
    try:
        return int(str(value)) if value is not None and str(value).strip() else None
    except ValueError:
        return None
