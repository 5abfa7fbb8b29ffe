"""The envelope we send and the answers we read, including the live service's quirks."""

from __future__ import annotations

from datetime import date

import pytest
from lxml import etree

from gsis.errors import MalformedAnswer, Outcome, Refused, SoapFault
from gsis.soap import RECORD_NS, SERVICE_NS, SOAP_NS, WSSE_NS, lookup_request, read_lookup_answer

ANSWER = """<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
  xmlns:srvc="http://rgwspublic2/RgWsPublic2Service" xmlns="http://rgwspublic2/RgWsPublic2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><env:Header/><env:Body>
<srvc:rgWsPublic2AfmMethodResponse><srvc:result><rg_ws_public2_result_rtType>
<call_seq_id>7</call_seq_id>
<error_rec><error_code xsi:nil="true"/><error_descr xsi:nil="true"/></error_rec>
<basic_rec>
 <afm>094420307</afm><doy>1159 </doy><doy_descr>ΦΑΕ ΑΘΗΝΩΝ      </doy_descr>
 <deactivation_flag>1</deactivation_flag><firm_flag_descr>ΕΠΙΤΗΔΕΥΜΑΤΙΑΣ</firm_flag_descr>
 <onomasia>DEMO  ΑΝΩΝΥΜΗ   ΕΤΑΙΡΕΙΑ    </onomasia><commer_title xsi:nil="true"/>
 <legal_status_descr>ΑΕ</legal_status_descr><postal_address>ΛΕΩΦ ΣΥΓΓΡΟΥ   </postal_address>
 <postal_address_no>100 </postal_address_no><postal_zip_code>11741</postal_zip_code>
 <postal_area_description>ΑΘΗΝΑ  </postal_area_description>
 <regist_date>2015-03-02</regist_date><stop_date xsi:nil="true"/>
</basic_rec>
<firm_act_tab>{items}</firm_act_tab>
</rg_ws_public2_result_rtType></srvc:result></srvc:rgWsPublic2AfmMethodResponse>
</env:Body></env:Envelope>"""
MAIN = (
    "<item><firm_act_code>62010000</firm_act_code>"
    "<firm_act_descr>62010000 ΥΠΗΡΕΣΙΕΣ  ΠΡΟΓΡΑΜΜΑΤΙΣΜΟΥ</firm_act_descr>"
    "<firm_act_kind>1</firm_act_kind><firm_act_kind_descr>ΚΥΡΙΑ</firm_act_kind_descr></item>"
)
SECOND = (
    "<item><firm_act_code>63110000</firm_act_code>"
    "<firm_act_descr>ΕΠΕΞΕΡΓΑΣΙΑ ΔΕΔΟΜΕΝΩΝ</firm_act_descr>"
    "<firm_act_kind>2</firm_act_kind></item>"
)


def _answer(items: str) -> bytes:
    return ANSWER.replace("{items}", items).encode()


def test_request_escapes_the_codes_and_puts_each_field_in_its_namespace() -> None:
    body = lookup_request("user<&>", 'p"a<s>&s', "094420307")
    root = etree.fromstring(body)
    assert root.tag == f"{{{SOAP_NS}}}Envelope"
    assert root.findtext(f".//{{{WSSE_NS}}}Username") == "user<&>"
    assert root.findtext(f".//{{{WSSE_NS}}}Password") == 'p"a<s>&s'
    record = root.find(f".//{{{SERVICE_NS}}}rgWsPublic2AfmMethod/{{{SERVICE_NS}}}INPUT_REC")
    assert record is not None
    assert [etree.QName(c).localname for c in record] == ["afm_called_by", "afm_called_for"]
    assert record.findtext(f"{{{RECORD_NS}}}afm_called_for") == "094420307"


def test_as_on_date_is_sent_only_with_a_date() -> None:
    assert b"as_on_date" not in lookup_request("u", "p", "094420307")
    dated = etree.fromstring(lookup_request("u", "p", "094420307", as_on=date(2026, 1, 31)))
    assert dated.findtext(f".//{{{RECORD_NS}}}as_on_date") == "2026-01-31"


def test_padding_double_spaces_and_nil_fields_are_cleaned() -> None:
    reg = read_lookup_answer(_answer(MAIN + SECOND))
    assert reg.vat == "094420307"
    assert reg.legal_name == "DEMO ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ"
    assert reg.trade_name == ""  # nil
    assert reg.tax_office_code == "1159" and reg.tax_office == "ΦΑΕ ΑΘΗΝΩΝ"
    assert reg.address == "ΛΕΩΦ ΣΥΓΓΡΟΥ 100, 11741 ΑΘΗΝΑ"
    assert reg.active and reg.registered_on == date(2015, 3, 2) and reg.stopped_on is None


def test_activities_one_or_many_and_the_leading_code_is_dropped() -> None:
    one = read_lookup_answer(_answer(MAIN))
    assert [(a.code, a.description, a.kind) for a in one.activities] == [
        ("62010000", "ΥΠΗΡΕΣΙΕΣ ΠΡΟΓΡΑΜΜΑΤΙΣΜΟΥ", "main")
    ]
    many = read_lookup_answer(_answer(MAIN + SECOND))
    assert [a.kind for a in many.activities] == ["main", "secondary"]
    assert many.main_activity is not None and many.main_activity.code == "62010000"
    assert read_lookup_answer(_answer("")).activities == ()


def test_the_error_record_wins_over_the_empty_data_beside_it() -> None:
    body = _answer(MAIN).replace(
        b'<error_code xsi:nil="true"/><error_descr xsi:nil="true"/>',
        "<error_code>RG_WS_PUBLIC_TOKEN_USERNAME_NOT_AUTHENTICATED</error_code>"
        "<error_descr>Ο συνδυασμός χρήστη/κωδικού   </error_descr>".encode(),
    )
    with pytest.raises(Refused) as caught:
        read_lookup_answer(body)
    assert caught.value.code == "RG_WS_PUBLIC_TOKEN_USERNAME_NOT_AUTHENTICATED"
    assert caught.value.outcome is Outcome.CODES_REFUSED
    assert caught.value.description == "Ο συνδυασμός χρήστη/κωδικού"
    assert caught.value.message_en == "Wrong special-codes username or password"


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        ("RG_WS_PUBLIC_TAXPAYER_NF", Outcome.NOT_FOUND),
        ("RG_WS_PUBLIC_EPIT_NF", Outcome.NOT_FOUND),
        ("RG_WS_PUBLIC_WRONG_AFM", Outcome.NOT_FOUND),
        ("RG_WS_PUBLIC_MAX_DAILY_USERNAME_CALLS_EXCEEDED", Outcome.LIMITED),
        ("RG_WS_PUBLIC_FAILURES_TOLERATED_EXCEEDED", Outcome.LIMITED),
        ("RG_WS_PUBLIC_TOKEN_AFM_BLOCKED", Outcome.BLOCKED),
        ("RG_WS_PUBLIC_SERVICE_NOT_ACTIVE", Outcome.UNAVAILABLE),
        ("RG_WS_PUBLIC_SOMETHING_NEW", Outcome.UNAVAILABLE),
    ],
)
def test_every_code_has_an_outcome_and_both_messages(code: str, outcome: Outcome) -> None:
    refused = Refused(code, "")
    assert refused.outcome is outcome
    assert refused.message_el and refused.message_en


def test_a_soap_fault_is_its_own_failure() -> None:
    fault = (
        f'<env:Envelope xmlns:env="{SOAP_NS}"><env:Body><env:Fault><env:Code><env:Value>'
        "env:Receiver</env:Value></env:Code><env:Reason><env:Text>SOAPMessage request format "
        "error - java.lang.NullPointerException</env:Text></env:Reason></env:Fault></env:Body>"
        "</env:Envelope>"
    ).encode()
    with pytest.raises(SoapFault, match="NullPointerException"):
        read_lookup_answer(fault)


@pytest.mark.parametrize(
    "body",
    [
        b"<html>Service Unavailable</html>",
        b"not xml",
        b'<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>',
        _answer(MAIN).replace(b"<afm>094420307</afm>", b"<afm/>"),
    ],
)
def test_anything_else_is_malformed(body: bytes) -> None:
    with pytest.raises(MalformedAnswer):
        read_lookup_answer(body)
