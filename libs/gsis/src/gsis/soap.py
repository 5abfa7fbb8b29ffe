"""The RgWsPublic2 SOAP 1.2 envelope, built with lxml (so the codes are escaped as XML text),
and its answer, read by local name because the live service is loose about namespaces.

The live quirks handled here: CHAR fields blank-padded, names with double spaces, nil elements
(``xsi:nil="true"``), ``firm_act_tab/item`` one or many, an activity description that sometimes
starts with its own 8-digit code, and ``error_rec`` that must be read before anything else.
"""

from __future__ import annotations

import re
from datetime import date

from lxml import etree

from contracts.registry import Activity, ActivityKind, Registration
from gsis.errors import MalformedAnswer, Refused, SoapFault

SOAP_NS = "http://www.w3.org/2003/05/soap-envelope"
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
SERVICE_NS = "http://rgwspublic2/RgWsPublic2Service"
RECORD_NS = "http://rgwspublic2/RgWsPublic2"
CONTENT_TYPE = "application/soap+xml; charset=utf-8"
MAX_ANSWER_BYTES = 1024 * 1024

_NSMAP = {"env": SOAP_NS, "ns1": WSSE_NS, "ns2": SERVICE_NS, "ns3": RECORD_NS}
_KINDS: dict[str, ActivityKind] = {"1": "main", "2": "secondary", "3": "other", "4": "auxiliary"}
_SPACES = re.compile(r"\s+")
_LEADING_CODE = re.compile(r"^\d{8}\s*[-:]?\s*")


def lookup_request(
    username: str, password: str, vat: str, *, called_by: str = "", as_on: date | None = None
) -> bytes:
    """The ``rgWsPublic2AfmMethod`` envelope. ``as_on`` is omitted when None: an empty
    ``<as_on_date/>`` makes the live service answer with a SOAP Fault."""
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap=_NSMAP)
    token = _sub(
        _sub(_sub(envelope, SOAP_NS, "Header"), WSSE_NS, "Security"), WSSE_NS, "UsernameToken"
    )
    _sub(token, WSSE_NS, "Username").text = username
    _sub(token, WSSE_NS, "Password").text = password
    method = _sub(_sub(envelope, SOAP_NS, "Body"), SERVICE_NS, "rgWsPublic2AfmMethod")
    record = _sub(method, SERVICE_NS, "INPUT_REC")
    _sub(record, RECORD_NS, "afm_called_by").text = called_by or None
    _sub(record, RECORD_NS, "afm_called_for").text = vat
    if as_on is not None:
        _sub(record, RECORD_NS, "as_on_date").text = as_on.isoformat()
    return bytes(etree.tostring(envelope, xml_declaration=True, encoding="UTF-8"))


def read_lookup_answer(body: bytes) -> Registration:
    """The registration in an answer; raises :class:`Refused` for an ``error_rec`` code,
    :class:`SoapFault` for a Fault and :class:`MalformedAnswer` for anything else."""
    root = _parse(body)
    if (fault := _first(root, "Fault")) is not None:
        reason = " ".join(_clean(t) for t in fault.itertext() if _clean(t))
        raise SoapFault(reason or "SOAP Fault without a reason")
    result = _first(root, "rg_ws_public2_result_rtType")
    if result is None:
        raise MalformedAnswer("no rg_ws_public2_result_rtType in the answer")
    error = _first(result, "error_rec")
    if error is not None and (code := _text(error, "error_code")):
        raise Refused(code, _text(error, "error_descr"))
    basic = _first(result, "basic_rec")
    if basic is None or not _text(basic, "afm"):
        raise MalformedAnswer("neither an error nor a basic_rec with an afm")
    return _registration(basic, _first(result, "firm_act_tab"))


def _registration(basic: etree._Element, activities: etree._Element | None) -> Registration:
    return Registration(
        vat=_text(basic, "afm"),
        legal_name=_text(basic, "onomasia"),
        trade_name=_text(basic, "commer_title"),
        legal_status=_text(basic, "legal_status_descr"),
        business_status=_text(basic, "firm_flag_descr"),
        active=_text(basic, "deactivation_flag") == "1",
        street=_text(basic, "postal_address"),
        street_number=_text(basic, "postal_address_no"),
        postcode=_text(basic, "postal_zip_code"),
        city=_text(basic, "postal_area_description"),
        tax_office_code=_text(basic, "doy"),
        tax_office=_text(basic, "doy_descr"),
        registered_on=_date(_text(basic, "regist_date")),
        stopped_on=_date(_text(basic, "stop_date")),
        activities=tuple(_activities(activities)),
    )


def _activities(table: etree._Element | None) -> list[Activity]:
    if table is None:
        return []
    out = []
    for item in (e for e in table if _local(e) == "item"):
        code = _text(item, "firm_act_code")
        if not code:
            continue
        described = _LEADING_CODE.sub("", _text(item, "firm_act_descr"), count=1)
        kind = _KINDS.get(_text(item, "firm_act_kind"), "other")
        out.append(Activity(code=code, description=described, kind=kind))
    return out


def _parse(body: bytes) -> etree._Element:
    if len(body) > MAX_ANSWER_BYTES:
        raise MalformedAnswer(f"answer larger than {MAX_ANSWER_BYTES} bytes")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise MalformedAnswer(f"not XML: {exc}") from exc
    if root.getroottree().docinfo.internalDTD is not None:
        raise MalformedAnswer("answers with a DTD are refused")
    return root


def _sub(parent: etree._Element, ns: str, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{ns}}}{name}")


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _first(element: etree._Element, name: str) -> etree._Element | None:
    return next((e for e in element.iter() if _local(e) == name), None)


def _text(parent: etree._Element, name: str) -> str:
    """A child's text, stripped and with runs of spaces collapsed; nil or absent gives ''."""
    child = next((e for e in parent if _local(e) == name), None)
    return _clean(child.text) if child is not None else ""


def _clean(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


def _date(text: str) -> date | None:
    # Live answers give YYYY-MM-DD, sometimes with a time or zone after it.
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None
