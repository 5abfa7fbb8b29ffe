"""Generated InvoicesDoc XML for the main invoice types validates against the v2.0.1 XSD."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from lxml import etree

from mydata.erp import ErpInvoice, check_invoice, parse_erp_invoice
from mydata.invoices_doc import INV, build_invoices_doc
from mydata.xsd import SchemaValidator

NS = {"i": INV, "icls": "https://www.aade.gr/myDATA/incomeClassificaton/v1.0"}
NS["ecls"] = "https://www.aade.gr/myDATA/expensesClassificaton/v1.0"
Make = Callable[..., dict[str, Any]]


def _build(body: dict[str, Any], validator: SchemaValidator, **kw: Any) -> etree._Element:
    invoice = parse_erp_invoice(body)
    assert check_invoice(invoice) == []
    xml = build_invoices_doc([invoice], **kw)
    assert validator.validate(xml) == []
    return etree.fromstring(xml)


def _texts(root: etree._Element, path: str) -> list[str]:
    return [e.text for e in root.iterfind(path, NS)]


def test_1_1_sale(body: Make, validator: SchemaValidator) -> None:
    root = _build(body(), validator)
    invoice = root.find("i:invoice", NS)
    order = [etree.QName(c).localname for c in invoice]
    assert order == [
        "issuer",
        "counterpart",
        "invoiceHeader",
        "paymentMethods",
        "invoiceDetails",
        "invoiceDetails",
        "invoiceSummary",
    ]
    assert _texts(root, ".//i:counterpart/i:name") == []  # error 220: no name for GR counterpart
    assert _texts(root, ".//i:invoiceSummary/i:totalGrossValue") == ["1860.00"]
    assert _texts(root, ".//i:paymentMethodDetails/i:amount") == ["1860.00"]
    summary = _texts(root, ".//i:invoiceSummary/i:incomeClassification/icls:classificationCategory")
    assert summary == ["category1_1", "category1_3"]
    assert root.find(".//i:transmissionFailure", NS) is None


def test_2_1_services_with_foreign_counterpart_in_dollars(
    body: Make, validator: SchemaValidator
) -> None:
    lines = [
        {
            "netvalue": "200",
            "vatcat": "7",
            "vatexcat": "14",
            "fpavalue": "0",
            "mydt57_p00": "1_3",
            "mydt61_p00": "E3_561_006",
        }
    ]
    changes: dict[str, Any] = {"invtype": "2.1", "cp_country": "US", "currency": "USD"}
    changes |= {"exchrate": "1.08"}
    changes |= {"tnetvalue": "200", "tvat_am": "0", "tgross_val": "200", "einv02": lines}
    root = _build(body(**changes), validator)
    assert _texts(root, ".//i:counterpart/i:name") == ["ΛΗΠΤΗΣ ΕΠΕ"]
    assert _texts(root, ".//i:exchangeRate") == ["1.08000"]
    assert _texts(root, ".//i:vatExemptionCategory") == ["14"]
    assert _texts(root, ".//icls:classificationCategory")[0] == "category1_3"


def test_5_1_credit_note_with_correlated_invoices(body: Make, validator: SchemaValidator) -> None:
    root = _build(body(invtype="5.1", correlinv="400000017716190, 400000017716191"), validator)
    assert _texts(root, ".//i:correlatedInvoices") == ["400000017716190", "400000017716191"]


def test_11_1_retail_receipt_has_no_counterpart(body: Make, validator: SchemaValidator) -> None:
    root = _build(body(invtype="11.1"), validator)
    assert root.find(".//i:counterpart", NS) is None


def test_1_1_with_withheld_stamp_fees_and_other_taxes(
    body: Make, validator: SchemaValidator
) -> None:
    line = {
        "netvalue": "1000",
        "vatcat": "1",
        "fpavalue": "240",
        "wthhldpcat": "3",
        "wthhld_am": "200",
        "stamppcat": "1",
        "stampvalue": "12",
        "feestype": "8",
        "fees_am": "5",
        "otaxpcat": "6",
        "otax_am": "7",
        "deducvalue": "10",
        "discoption": 1,
        "mydt57_p00": "category1_1",
        "mydt61_p00": "E3_561_001",
    }
    totals = {"tnetvalue": "1000", "tvat_am": "240", "twthhld_am": "200", "tstamp_am": "12"}
    totals |= {"tfees_am": "5", "ttax_am": "7", "tdeduction": "10", "tgross_val": "1054"}
    root = _build(body(einv02=[line], **totals), validator)
    row = root.find(".//i:invoiceDetails", NS)
    names = [etree.QName(c).localname for c in row]
    assert names[names.index("withheldAmount") :] == [
        "withheldAmount",
        "withheldPercentCategory",
        "stampDutyAmount",
        "stampDutyPercentCategory",
        "feesAmount",
        "feesPercentCategory",
        "otherTaxesPercentCategory",
        "otherTaxesAmount",
        "deductionsAmount",
        "incomeClassification",
    ]
    assert _texts(root, ".//i:totalGrossValue") == ["1054.00"]


def test_taxes_per_invoice_go_to_taxes_totals(body: Make, validator: SchemaValidator) -> None:
    rows = body()["einv02"] + [
        {"taxtype": "1", "taxcat": "2", "taxunder": "500", "taxamount": "100"}
    ]
    root = _build(body(einv02=rows, twthhld_am="100", tgross_val="1760"), validator)
    assert _texts(root, ".//i:taxesTotals/i:taxes/i:taxAmount") == ["100.00"]
    assert len(root.findall(".//i:invoiceDetails", NS)) == 2


def test_transmission_failure_values(body: Make, validator: SchemaValidator) -> None:
    root = _build(body(transmission_failure=1), validator)
    assert _texts(root, ".//i:transmissionFailure") == ["1"]
    root = _build(body(transmission_failure=1), validator, provider_outage=True)
    assert _texts(root, ".//i:transmissionFailure") == ["2"]
    root = _build(body(), validator, provider_outage=True)
    first = root.find("i:invoice", NS)[0]  # XSD: transmissionFailure precedes issuer
    assert (etree.QName(first).localname, first.text) == ("transmissionFailure", "2")


def test_dispatch_fields_and_flags(body: Make, validator: SchemaValidator) -> None:
    changes: dict[str, Any] = {"dispdate": "2023-03-09", "disptime": "11:00:00"}
    changes |= {"vehiclenum": "ΙΚΑ1234"}
    changes |= {"mvpurpose": "1", "slfpricing": 1, "vatpaysusp": "false", "fuelinvoice": False}
    root = _build(body(**changes), validator)
    header = [etree.QName(c).localname for c in root.find(".//i:invoiceHeader", NS)]
    assert header[-5:] == [
        "selfPricing",
        "dispatchDate",
        "dispatchTime",
        "vehicleNumber",
        "movePurpose",
    ]
    assert "vatPaymentSuspension" not in header  # error 214: booleans only when true


def test_expense_classifications(body: Make, validator: SchemaValidator) -> None:
    line = {"netvalue": "100", "vatcat": "1", "fpavalue": "24", "p104": 2}
    line |= {"mydt58_p00": "category2_1", "mydt62_p00": "E3_102_001", "mydt62_p01": "VAT_361"}
    totals = {"tnetvalue": "100", "tvat_am": "24", "tgross_val": "124"}
    root = _build(body(invtype="3.1", einv02=[line], **totals), validator)
    assert _texts(root, ".//i:invoiceSummary/i:expensesClassification/ecls:classificationType") == [
        "E3_102_001",
        "VAT_361",
    ]


def test_several_invoices_and_download_url(body: Make, validator: SchemaValidator) -> None:
    invoices = [parse_erp_invoice(body()), parse_erp_invoice(body(aa="27"))]
    xml = build_invoices_doc(invoices, downloading_urls=["https://p.example/d/1", None])
    assert validator.validate(xml) == []
    root = etree.fromstring(xml)
    assert len(root) == 2
    assert _texts(root, ".//i:downloadingInvoiceUrl") == ["https://p.example/d/1"]


def test_amounts_are_rounded_to_cents(body: Make, validator: SchemaValidator) -> None:
    line = {
        "netvalue": "10.12345",
        "vatcat": "1",
        "fpavalue": "2.42963",
        "mydt57_p00": "category1_1",
    }
    totals = {"tnetvalue": "10.12345", "tvat_am": "2.42963", "tgross_val": "12.55308"}
    root = _build(body(einv02=[line], **totals), validator)
    assert _texts(root, ".//i:invoiceDetails/i:netValue") == ["10.12"]
    assert _texts(root, ".//i:totalGrossValue") == ["12.55"]
    assert isinstance(parse_erp_invoice(body(einv02=[line], **totals)), ErpInvoice)
    assert Decimal(_texts(root, ".//i:vatAmount")[0]) == Decimal("2.43")
