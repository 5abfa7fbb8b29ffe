"""ResponseDoc, RequestedProviderDoc and ReceiverInfoDoc parsing on the shared samples."""

from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from mydata.errors import MalformedResponse
from mydata.response import (
    Acknowledged,
    BusinessRejected,
    ErrorItem,
    Registered,
    TechnicalRejected,
    find_duplicate,
    parse_receiver_info,
    parse_response_doc,
    parse_transmitted_docs,
)

EXPECTED = {
    "firebed_cancel-delivery-note-response.xml": [Acknowledged],
    "firebed_cancel-invoice-response.xml": [Acknowledged],
    "firebed_response-doc-with-empty-reception-emails.xml": [Registered],
    "firebed_response-doc-with-errors.xml": [BusinessRejected, BusinessRejected],
    "firebed_response-doc-with-reception-emails.xml": [Registered],
    "firebed_send-invoices-multiple-responses.xml": [Registered, Registered],
    "firebed_send-invoices-single-response.xml": [Registered],
    "firebed_send-payment-methods-response.xml": [Acknowledged],
    "ppapapetrou76_cancel_error.xml": [BusinessRejected],
    "ppapapetrou76_cancel_success.xml": [Acknowledged],
    "ppapapetrou76_error_response.xml": [BusinessRejected],
    "ppapapetrou76_send_errors.xml": [BusinessRejected, BusinessRejected],
    "ppapapetrou76_send_success.xml": [Registered, Registered],
}
SERIALIZATION = "http://schemas.microsoft.com/2003/10/Serialization/"


def test_every_response_sample(samples: Path) -> None:
    found = {p.name: p for p in (samples / "responses").glob("*.xml")}
    assert set(found) == set(EXPECTED)
    for name, types in EXPECTED.items():
        entries = parse_response_doc(found[name].read_bytes())
        assert [type(e) for e in entries] == types, name
        assert [e.index for e in entries] == list(range(1, len(types) + 1)), name


def test_status_code_before_errors(samples: Path) -> None:
    data = (samples / "responses" / "ppapapetrou76_send_errors.xml").read_bytes()
    assert data.index(b"<statusCode>") < data.index(b"<errors>")
    first = parse_response_doc(data)[0]
    assert first == BusinessRejected(
        1,
        "ValidationError",
        (
            ErrorItem("204", "AA is mandatory for this invoice type"),
            ErrorItem("212", "AA element must be number (positive) for issuer from Greece"),
        ),
    )
    assert first.duplicate is None


def test_provider_success_carries_the_markings(samples: Path) -> None:
    path = samples / "synthetic" / "synthetic_provider_send_invoices_success_response.xml"
    (entry,) = parse_response_doc(path.read_bytes())
    assert entry == Registered(
        index=1,
        uid="3ACEDDA426DD1E5C2B5AEFDFAF81FDBFA8C67E95",
        mark=400001951234567,
        authentication_code="0A1B2C3D4E5F60718293A4B5C6D7E8F901234567",
        qr_url="https://mydataapidev.aade.gr/TimologioQR/QRInfo?q=PLACEHOLDER%3d",
        reception_emails=("invoices@recipient.example.gr",),
        reception_providers=("800000000",),
    )


def test_wrapped_in_a_serialization_string(samples: Path) -> None:
    inner = (samples / "responses" / "ppapapetrou76_send_success.xml").read_text("utf-8")
    wrapped = f'<string xmlns="{SERIALIZATION}">{escape(inner)}</string>'.encode()
    entries = parse_response_doc(wrapped)
    assert [e.mark for e in entries if isinstance(e, Registered)] == [
        400001868549304,
        400001868549305,
    ]


def test_technical_error_is_retryable() -> None:
    doc = b"""<ResponseDoc><response><statusCode>TechnicalError</statusCode>
    <errors><error><message>Unexpected condition error</message><code>-</code></error></errors>
    </response></ResponseDoc>"""
    (entry,) = parse_response_doc(doc)
    assert entry == TechnicalRejected(1, (ErrorItem("-", "Unexpected condition error"),))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   ",
        b"<html><body>502 Bad Gateway</body></html>",
        b"not xml at all",
        b"<ResponseDoc>",
        b"<ResponseDoc/>",
        b"<ResponseDoc><response><index>1</index></response></ResponseDoc>",
        b"<ResponseDoc><response><invoiceMark>x</invoiceMark><statusCode>Success</statusCode>"
        b"</response></ResponseDoc>",
        f'<string xmlns="{SERIALIZATION}">oops</string>'.encode(),
        b'<!DOCTYPE r [<!ENTITY a "aaaa">]><ResponseDoc><response>&a;</response></ResponseDoc>',
    ],
)
def test_unusable_answers_are_malformed(data: bytes) -> None:
    with pytest.raises(MalformedResponse):
        parse_response_doc(data)


def test_duplicate_228_with_mark_and_auth_code() -> None:
    message = (
        "UID 3ACEDDA426DD1E5C2B5AEFDFAF81FDBFA8C67E95, InvoiceType 1.1 is invalid: already sent "
        "for another invoice (MARK 400001951234567, authenticationCode "
        "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567)"
    )
    entry = BusinessRejected(1, "ValidationError", (ErrorItem("228", message),))
    duplicate = entry.duplicate
    assert duplicate is not None
    assert duplicate.mark == 400001951234567
    assert duplicate.uid == "3ACEDDA426DD1E5C2B5AEFDFAF81FDBFA8C67E95"
    assert duplicate.authentication_code == "0A1B2C3D4E5F60718293A4B5C6D7E8F901234567"


def test_duplicate_233_without_markings() -> None:
    error = ErrorItem("233", "UID: 3ACEDDA426DD1E5C2B5AEFDFAF81FDBFA8C67E95 has already been sent")
    duplicate = find_duplicate([ErrorItem("204", "AA is mandatory"), error])
    assert duplicate is not None
    assert (duplicate.code, duplicate.mark, duplicate.authentication_code) == ("233", None, None)
    assert duplicate.uid == "3ACEDDA426DD1E5C2B5AEFDFAF81FDBFA8C67E95"


def test_transmitted_docs_find_by_uid(samples: Path) -> None:
    data = (samples / "synthetic" / "synthetic_requested_provider_doc.xml").read_bytes()
    docs = parse_transmitted_docs(data)
    assert len(docs.invoices) == 2
    assert docs.continuation is not None and docs.continuation.next_row_key == "RK-000456"
    found = docs.find_by_uid("1d3f9c8a7b6e5d4c3b2a1918f7e6d5c4b3a29180")
    assert found is not None and found.mark == 400001951234568
    assert found.authentication_code == "1B2C3D4E5F60718293A4B5C6D7E8F90123456789"
    assert docs.find_by_uid("0" * 40) is None


def test_transmitted_docs_refuses_other_documents(samples: Path) -> None:
    data = (samples / "responses" / "ppapapetrou76_send_success.xml").read_bytes()
    with pytest.raises(MalformedResponse, match="expected RequestedProviderDoc"):
        parse_transmitted_docs(data)


def test_receiver_info_both_spellings(samples: Path) -> None:
    info = parse_receiver_info(
        (samples / "synthetic" / "synthetic_receiver_info_doc.xml").read_bytes()
    )
    assert info.provider_vats == ("800000000",)
    assert len(info.emails) == 2
    other = b"""<ReceiverInfoDoc><receptionsEmails><email>a@b.gr</email></receptionsEmails>
    <receptionsProviders><ProviderInfo><VATNumber>1</VATNumber></ProviderInfo></receptionsProviders>
    </ReceiverInfoDoc>"""
    assert parse_receiver_info(other).emails == ("a@b.gr",)
    assert parse_receiver_info(other).provider_vats == ("1",)


def test_duplicate_in_the_simulator_wording() -> None:
    message = (
        "UID is invalid: already sent for another invoice "
        "(mark: 400001951234567, authenticationCode: 0A1B2C3D4E5F60718293A4B5C6D7E8F901234567)"
    )
    duplicate = find_duplicate([ErrorItem("228", message)])
    assert duplicate is not None and duplicate.mark == 400001951234567
    assert duplicate.authentication_code == "0A1B2C3D4E5F60718293A4B5C6D7E8F901234567"
    assert duplicate.uid is None
