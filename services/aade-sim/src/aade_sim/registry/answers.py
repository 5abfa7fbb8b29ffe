"""The XML the stand-in reads and writes, shaped like the live service's."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from aade_sim.registry.companies import Company

SOAP_NS = "http://www.w3.org/2003/05/soap-envelope"
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
SERVICE_NS = "http://rgwspublic2/RgWsPublic2Service"
RECORD_NS = "http://rgwspublic2/RgWsPublic2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
CONTENT_TYPE = "application/soap+xml; charset=utf-8"
NULL_POINTER = "SOAPMessage request format error - java.lang.NullPointerException"
_BASIC_FIELDS = (
    "afm",
    "doy",
    "doy_descr",
    "i_ni_flag_descr",
    "deactivation_flag",
    "deactivation_flag_descr",
    "firm_flag_descr",
    "onomasia",
    "commer_title",
    "legal_status_descr",
    "postal_address",
    "postal_address_no",
    "postal_zip_code",
    "postal_area_description",
    "regist_date",
    "stop_date",
    "normal_vat_system_flag",
)


class UnreadableRequest(ValueError):
    """What the live service answers with a SOAP Fault."""


@dataclass(frozen=True, slots=True)
class LookupRequest:
    username: str
    password: str
    called_for: str
    called_by: str


def read_request(body: bytes) -> LookupRequest:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableRequest(f"SOAPMessage request format error - {exc}") from exc
    if _find(root, "rgWsPublic2AfmMethod") is None:
        raise UnreadableRequest("SOAPMessage request format error - no rgWsPublic2AfmMethod")
    as_on = _find(root, "as_on_date")
    if as_on is not None and not (as_on.text or "").strip():
        raise UnreadableRequest(NULL_POINTER)
    return LookupRequest(
        username=_text(root, "Username"),
        password=_text(root, "Password"),
        called_for=_text(root, "afm_called_for"),
        called_by=_text(root, "afm_called_by"),
    )


def registration_answer(seq: int, called_by: str, company: Company) -> bytes:
    result = _result(seq, called_by)
    _nil_error(result)
    _basic(result, company["basic"])
    table = _record(result, "firm_act_tab")
    for code, description, kind, kind_descr in company["activities"]:
        item = _record(table, "item")
        for name, value in (
            ("firm_act_code", code),
            ("firm_act_descr", description),
            ("firm_act_kind", kind),
            ("firm_act_kind_descr", kind_descr),
        ):
            _record(item, name).text = value
    return _envelope_bytes(result)


def error_answer(seq: int, called_by: str, code: str, description: str) -> bytes:
    """An error as the live service sends it: HTTP 200, ``error_rec`` filled, every other
    field present and nil (the data a careless client would take for an empty company)."""
    result = _result(seq, called_by)
    error = _record(result, "error_rec")
    _record(error, "error_code").text = code
    _record(error, "error_descr").text = description
    _basic(result, dict.fromkeys(_BASIC_FIELDS))
    _record(result, "firm_act_tab")
    return _envelope_bytes(result)


def fault_answer(reason: str) -> bytes:
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"env": SOAP_NS})
    fault = _sub(_sub(envelope, SOAP_NS, "Body"), SOAP_NS, "Fault")
    _sub(_sub(fault, SOAP_NS, "Code"), SOAP_NS, "Value").text = "env:Receiver"
    text = _sub(_sub(fault, SOAP_NS, "Reason"), SOAP_NS, "Text")
    text.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    text.text = reason
    return bytes(etree.tostring(envelope, xml_declaration=True, encoding="UTF-8"))


_ENVELOPE_NSMAP = {"env": SOAP_NS, "srvc": SERVICE_NS, None: RECORD_NS, "xsi": XSI_NS}


def _result(seq: int, called_by: str) -> etree._Element:
    result = etree.Element(f"{{{RECORD_NS}}}rg_ws_public2_result_rtType")
    _record(result, "call_seq_id").text = str(seq)
    by = _record(result, "afm_called_by_rec")
    for name in (
        "token_username",
        "token_afm",
        "token_afm_fullname",
        "afm_called_by",
        "afm_called_by_fullname",
        "as_on_date",
    ):
        _nil(_record(by, name))
    if called_by:
        named = by[3]  # afm_called_by
        named.attrib.clear()
        named.text = called_by
    return result


def _envelope_bytes(result: etree._Element) -> bytes:
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap=_ENVELOPE_NSMAP)
    _sub(envelope, SOAP_NS, "Header")
    response = _sub(_sub(envelope, SOAP_NS, "Body"), SERVICE_NS, "rgWsPublic2AfmMethodResponse")
    _sub(response, SERVICE_NS, "result").append(result)
    return bytes(etree.tostring(envelope, xml_declaration=True, encoding="UTF-8"))


def _nil_error(result: etree._Element) -> None:
    error = _record(result, "error_rec")
    _nil(_record(error, "error_code"))
    _nil(_record(error, "error_descr"))


def _basic(result: etree._Element, fields: dict[str, str | None]) -> None:
    basic = _record(result, "basic_rec")
    for name in _BASIC_FIELDS:
        element = _record(basic, name)
        value = fields.get(name)
        if value is None:
            _nil(element)
        else:
            element.text = value


def _nil(element: etree._Element) -> None:
    element.set(f"{{{XSI_NS}}}nil", "true")


def _record(parent: etree._Element, name: str) -> etree._Element:
    return _sub(parent, RECORD_NS, name)


def _sub(parent: etree._Element, ns: str, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{ns}}}{name}")


def _find(root: etree._Element, name: str) -> etree._Element | None:
    return next(
        (e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == name),
        None,
    )


def _text(root: etree._Element, name: str) -> str:
    element = _find(root, name)
    return (element.text or "").strip() if element is not None else ""
