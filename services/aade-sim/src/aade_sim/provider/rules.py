"""Per-invoice business rules of the provider channel (MYDATA.md §9, §10).

Like the real service, every rule runs and all errors of an invoice are reported together.
Messages are the published English texts (ERP doc v1.0.10 §7.2) with placeholders filled in.
The duplicate check (228) needs the store and lives in ``service.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from aade_sim.provider.document import ZERO, Invoice, Line

# Invoice types the provider channel may transmit (PROV201 §8.1).
PROVIDER_TYPES = frozenset(
    {
        *("1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2"),
        *("5.1", "5.2", "6.1", "6.2", "7.1", "8.1", "8.2", "8.4", "8.5", "8.6", "9.3"),
        *("11.1", "11.2", "11.3", "11.4", "11.5"),
    }
)
# Counterparted sales, services and credit notes: a B2B document needs its buyer.
_COUNTERPART_REQUIRED = ("1.", "2.", "5.")
_GREECE = "GR"
_MAX_AA = 18_446_744_073_709_551_615
_TAX_NAMES = {
    "fees": "fees",
    "stampDuty": "stamp duty",
    "otherTaxes": "other taxes",
    "deductions": "deductions",
}
_TAX_TYPE = {"withheld": 1, "fees": 2, "otherTaxes": 3, "stampDuty": 4, "deductions": 5}


@dataclass(frozen=True, slots=True)
class RuleError:
    code: int
    message: str


Rule = Callable[[Invoice, date], list[RuleError]]


def check_invoice(inv: Invoice, today: date) -> list[RuleError]:
    """All business errors of one invoice; ``today`` is the current date in Athens."""
    return [error for rule in RULES for error in rule(inv, today)]


def invoice_type_rule(inv: Invoice, _today: date) -> list[RuleError]:
    errors = []
    if inv.invoice_type not in PROVIDER_TYPES:
        errors.append(RuleError(223, "Unsupported invoice type"))
    if inv.variation_type is not None:
        errors.append(RuleError(205, "InvoiceVariationType is forbidden for this invoice type"))
    return errors


def parties_rule(inv: Invoice, _today: date) -> list[RuleError]:
    errors = []
    if inv.issuer is None:
        errors.append(RuleError(204, "Issuer is mandatory for this invoice type"))
    if inv.invoice_type.startswith("11.") and inv.counterpart is not None:
        errors.append(RuleError(205, "Counterpart is forbidden for this invoice type"))
    if inv.invoice_type.startswith(_COUNTERPART_REQUIRED) and inv.counterpart is None:
        errors.append(RuleError(204, "Counterpart is mandatory for this invoice type"))
    return errors


def same_party_rule(inv: Invoice, _today: date) -> list[RuleError]:
    # 9.3 is left out: a delivery note between one's own installations names the same VAT (286).
    if not (inv.issuer and inv.counterpart) or inv.invoice_type == "9.3":
        return []
    if inv.issuer.vat == inv.counterpart.vat:
        return [RuleError(235, "Issuer must be different from counterpart")]
    return []


def greek_names_rule(inv: Invoice, _today: date) -> list[RuleError]:
    errors = []
    if inv.issuer and inv.issuer.country == _GREECE and inv.issuer.name is not None:
        errors.append(RuleError(219, "Issuer Name is forbidden for Issuer from Greece"))
    if inv.counterpart and inv.counterpart.country == _GREECE and inv.counterpart.name is not None:
        errors.append(RuleError(220, "Counterpart Name is forbidden for Counterpart from Greece"))
    return errors


def aa_rule(inv: Invoice, _today: date) -> list[RuleError]:
    if inv.issuer is None or inv.issuer.country != _GREECE:
        return []
    if inv.aa.isascii() and inv.aa.isdigit() and int(inv.aa) <= _MAX_AA:
        return []
    return [
        RuleError(
            212,
            "AA element must be number with value between 0 and 18446744073709551615 "
            "for issuer from Greece",
        )
    ]


def issue_date_rule(inv: Invoice, today: date) -> list[RuleError]:
    """238: same-day transmission, unless the invoice is flagged as sent after an outage.

    transmissionFailure 1/2 (entity↔provider / provider↔myDATA outage) excuse a past date;
    4 (utilities) allows up to two days back (288); 3 is ERP-only and excuses nothing here.
    A future date is never accepted.
    """
    issued, flag = inv.issue_date, inv.transmission_failure
    if flag == 4:
        if today - timedelta(days=2) <= issued <= today:
            return []
        return [
            RuleError(
                288,
                "Invoice submission is allowed within two days from the issue date "
                "when TransmissionFlag = 4",
            )
        ]
    if issued == today or (flag in (1, 2) and issued < today):
        return []
    return [RuleError(238, "IssueDate is invalid, it must be equal with current date")]


def lines_rule(inv: Invoice, _today: date) -> list[RuleError]:
    errors = []
    numbers = [line.number for line in inv.lines]
    if len(set(numbers)) != len(numbers):
        errors.append(RuleError(261, "Each Invoice row must have unique line number"))
    for line in inv.lines:
        errors.extend(_vat_exemption_errors(line))
        if any(total != line.net for total in line.classified):
            errors.append(
                RuleError(
                    306,
                    f"Invoice line: {line.number}. "
                    "Sum of classifications is not equal to the line's net value",
                )
            )
    if inv.invoice_type == "1.5" and not {1, 2} <= {line.detail_type for line in inv.lines}:
        errors.append(
            RuleError(
                246,
                "Invoice of type 1.5 must have at least one line with detailtype = 1 "
                "and one with detail type=2",
            )
        )
    return errors


def _vat_exemption_errors(line: Line) -> list[RuleError]:
    if line.vat_category == 7 and line.exemption is None:
        return [
            RuleError(
                217, "When vatCategory has value 7, element vatExemptionCategory is mandatory"
            )
        ]
    if line.vat_category != 7 and line.exemption is not None:
        return [
            RuleError(
                271,
                f"Invoice Line Number: {line.number}. "
                "VatExemptionCategory field is used only in case of vatCategory = 7",
            )
        ]
    return []


def _line_taxes(line: Line, field: str) -> Decimal:
    return line.taxes[field] or ZERO


def _invoice_taxes(inv: Invoice, field: str) -> Decimal:
    """One tax kind over the invoice: from the lines or from taxesTotals (never both, 224)."""
    by_line = sum((_line_taxes(line, field) for line in inv.lines), ZERO)
    by_totals = sum((a for t, a in inv.tax_totals if t == _TAX_TYPE[field]), ZERO)
    return by_line + by_totals


def _net_taxes(taxes: dict[str, Decimal]) -> Decimal:
    # Withheld amounts and deductions are taken off the gross value; the others are added (§9).
    added = taxes["fees"] + taxes["stampDuty"] + taxes["otherTaxes"]
    return added - taxes["withheld"] - taxes["deductions"]


def totals_rule(inv: Invoice, _today: date) -> list[RuleError]:
    errors: list[RuleError] = []
    s = inv.summary
    if s.gross != s.net + s.vat + _net_taxes(s.taxes):
        errors.append(RuleError(203, "Gross Value doesn't match with sum of net value plus taxes"))
    errors.extend(_line_sum_errors(inv))
    errors.extend(_tax_sum_errors(inv))
    return errors


def _line_sum_errors(inv: Invoice) -> list[RuleError]:
    s = inv.summary
    net = sum((line.net for line in inv.lines), ZERO)
    vat = sum((line.vat for line in inv.lines), ZERO)
    taxes = {field: _invoice_taxes(inv, field) for field in _TAX_TYPE}
    checks = [
        (207, "net values", "net value", net, s.net),
        (208, "gross values", "gross value", net + vat + _net_taxes(taxes), s.gross),
        (209, "vat amount", "vat amount", vat, s.vat),
    ]
    return [
        RuleError(
            code,
            f"The sum of {what} of the invoice lines doesn't match "
            f"with total {total} of the invoice",
        )
        for code, what, total, actual, expected in checks
        if actual != expected
    ]


def _tax_sum_errors(inv: Invoice) -> list[RuleError]:
    s = inv.summary
    per_line = any(v is not None for line in inv.lines for v in line.taxes.values())
    errors = []
    if per_line and inv.tax_totals:
        errors.append(
            RuleError(224, "Taxes are allowed either per invoice line or per invoice (not in both)")
        )
    section = "lines" if per_line or not inv.tax_totals else "taxes totals"
    if _invoice_taxes(inv, "withheld") != s.taxes["withheld"]:
        errors.append(_withheld_error(section))
    for field, name in _TAX_NAMES.items():
        if _invoice_taxes(inv, field) != s.taxes[field]:
            errors.append(
                RuleError(
                    226,
                    f"The sum of {name} amount of the invoice {section} doesn't match "
                    f"with total {name} amount of the invoice",
                )
            )
    return errors


def _withheld_error(section: str) -> RuleError:
    if section == "lines":
        return RuleError(
            210,
            "The sum of withheld amount of the invoice lines doesn't match "
            "with total withheld amount of the invoice",
        )
    return RuleError(
        226,
        "The sum of withheld amount of the invoice taxes totals doesn't match "
        "with total withheld amount of the invoice",
    )


RULES: tuple[Rule, ...] = (
    invoice_type_rule,
    parties_rule,
    same_party_rule,
    greek_names_rule,
    aa_rule,
    issue_date_rule,
    lines_rule,
    totals_rule,
)
