"""Names of myDATA's codes as an invoice prints them (MYDATA.md §6–7), translated where shown.
A code without a name here prints as the code itself."""

from __future__ import annotations

from webkit.i18n import N_

INVOICE_TYPES: dict[str, str] = {
    "1.1": N_("Sales invoice"),
    "1.2": N_("Sales invoice / intra-community supplies"),
    "1.3": N_("Sales invoice / third-country supplies"),
    "1.4": N_("Sales invoice / sale on behalf of third parties"),
    "1.5": N_("Sales invoice / clearance of third-party sales – fee"),
    "1.6": N_("Sales invoice / supplementary document"),
    "2.1": N_("Service invoice"),
    "2.2": N_("Service invoice / intra-community services"),
    "2.3": N_("Service invoice / services to a third-country recipient"),
    "2.4": N_("Service invoice / supplementary document"),
    "3.1": N_("Proof of acquisition (issuer not obliged)"),
    "3.2": N_("Proof of acquisition (issuer refused to issue)"),
    "5.1": N_("Credit invoice / correlated"),
    "5.2": N_("Credit invoice / not correlated"),
    "6.1": N_("Self-delivery record"),
    "6.2": N_("Self-use record"),
    "7.1": N_("Contract – income"),
    "8.1": N_("Rents – income"),
    "8.2": N_("Climate crisis resilience levy"),
    "8.4": N_("POS receipt"),
    "8.5": N_("POS refund receipt"),
    "8.6": N_("Restaurant order slip"),
    "9.3": N_("Delivery note"),
    "11.1": N_("Retail sales receipt"),
    "11.2": N_("Service receipt"),
    "11.3": N_("Simplified invoice"),
    "11.4": N_("Retail credit note"),
    "11.5": N_("Retail sales receipt on behalf of third parties"),
}

PAYMENT_METHODS: dict[str, str] = {
    "1": N_("Domestic payment account"),
    "2": N_("Foreign payment account"),
    "3": N_("Cash"),
    "4": N_("Cheque"),
    "5": N_("On credit"),
    "6": N_("Web banking"),
    "7": N_("POS / e-POS"),
    "8": N_("IRIS instant payment"),
}

UNITS: dict[str, str] = {
    "1": N_("pieces"),
    "2": N_("kg"),
    "3": N_("litres"),
    "4": N_("metres"),
    "5": N_("square metres"),
    "6": N_("cubic metres"),
    "7": N_("pieces (other)"),
}

MOVE_PURPOSES: dict[str, str] = {
    "1": N_("Sale"),
    "2": N_("Sale on behalf of third parties"),
    "3": N_("Sampling"),
    "4": N_("Exhibition"),
    "5": N_("Return"),
    "7": N_("Processing"),
    "8": N_("Between the entity's premises"),
    "9": N_("Purchase"),
    "10": N_("Supply of ships and aircraft"),
    "11": N_("Free disposal"),
    "12": N_("Guarantee"),
    "13": N_("Loan for use"),
    "14": N_("Storage with third parties"),
    "19": N_("Other movements"),
    "20": N_("Transport – courier services"),
}

# vatCategory → rate in percent; 7 (exempt) and 8 (no VAT) have a name instead.
VAT_RATES: dict[str, str] = {
    "1": "24",
    "2": "13",
    "3": "6",
    "4": "17",
    "5": "9",
    "6": "4",
    "9": "3",
    "10": "4",
}
VAT_NAMES: dict[str, str] = {"7": N_("VAT exempt"), "8": N_("Without VAT")}


def code_key(value: object) -> str:
    """``"01"``, ``1`` and ``"1"`` name the same code."""
    text = str(value).strip() if value is not None else ""
    return str(int(text)) if text.isdigit() else text
