"""Input as hostile as an ERP or a probe can send it, through the gateway (SPEC API-1, API-9).

Property: whatever the body or the query, the platform answers below 500, in its error shape,
and a request that issued nothing spends no call. Hypothesis mutates the sample invoice one
field at a time (header or line) into text with NUL and control characters, Greek, sizes past
the seed's limits, numbers past 64 bits, negative zero, exponents that underflow, wrong types;
and sends raw bytes and hostile look-up parameters.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.platform import Customer, Platform

from . import invoices

RAW = "@@raw@@"  # marks a string to be written as a raw JSON number literal
CALLS = 10_000
# Answers that refuse the input itself, so they must name each field and rule (myDATA's own
# refusals, mydata_sync_004, carry its errors in data.errors instead).
REFUSED_INPUT = (
    "mydata_sync_003",
    "customer_api_007",
    "customer_api_009",
    "customer_api_014",
    "invalid_request",
    "issuer_vat_not_authorised",
)
HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=400),
    st.sampled_from(["\x00", "A\x00B", "\x01", "\x1f", "\ufffe", "Ω" * 61, "9" * 200, "<script>"]),
)
RAW_NUMBERS = st.sampled_from(
    ["-0", "-0.0", "1e-400", "1e400", "1E5", str(2**64), str(-(2**63) - 1), "0.000001", "1e2"]
)
VALUES = st.one_of(
    HOSTILE_TEXT,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    RAW_NUMBERS.map(lambda literal: RAW + literal),
)
HEADER_FIELDS = [*sorted(invoices.sale().keys() - {"einv02"}), "unknown_field", "einv00", "lang"]
LINE_FIELDS = [*sorted(invoices.sale()["einv02"][0].keys()), "rectype", "vatexcat", "comments"]


def _encode(body: dict[str, Any]) -> bytes:
    """JSON with every ``RAW``-marked string written as its raw literal (``-0``, ``1e-400``…),
    which no JSON encoder would write but an ERP's hand-made JSON may."""
    text = json.dumps(body, ensure_ascii=False)  # not orjson: integers past 64 bits too
    return re.sub(f'"{RAW}([^"]*)"', r"\1", text).encode()


def assert_error_shape(response: httpx.Response) -> None:
    assert response.status_code < 500, (response.status_code, response.text)
    if response.status_code != 200:
        answer = response.json()
        assert answer["ok"] == 0 and answer["code"] and answer["error"]["title"], answer


async def _post(platform: Platform, customer: Customer, raw: bytes) -> httpx.Response:
    headers = customer.headers | {"Content-Type": "application/json"}
    return await platform.gateway.post("/invoice-data", content=raw, headers=headers)


@pytest.fixture
async def customer(platform: Platform) -> Customer:
    """One customer per test function, shared by its examples."""
    return await platform.create_customer(calls=CALLS)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(where=st.sampled_from(["header", "line"]), data=st.data())
async def test_a_hostile_field_is_a_4xx_never_a_5xx_and_never_charged(
    platform: Platform, customer: Customer, where: str, data: st.DataObject
) -> None:
    body = invoices.sale()
    fields = HEADER_FIELDS if where == "header" else LINE_FIELDS
    field = data.draw(st.sampled_from(fields), label="field")
    target = body if where == "header" else body["einv02"][0]
    target[field] = data.draw(VALUES, label="value")
    before = await platform.calls_used(customer)
    response = await _post(platform, customer, _encode(body))
    assert_error_shape(response)
    spent = await platform.calls_used(customer) - before
    assert spent == (1 if response.status_code == 200 else 0), (response.status_code, spent)
    answer = response.json()
    if answer.get("code") in REFUSED_INPUT:
        problems = answer["data"]["validation_errors"]
        assert problems and all(":" in p for p in problems), problems  # field: rule


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
async def test_raw_bytes_are_a_4xx_and_never_charged(
    platform: Platform, customer: Customer, raw: bytes
) -> None:
    before = await platform.calls_used(customer)
    response = await _post(platform, customer, raw)
    assert_error_shape(response)
    assert response.status_code != 200
    assert await platform.calls_used(customer) == before


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(param=st.sampled_from(["auth_code", "pnr01"]), value=HOSTILE_TEXT)
async def test_hostile_look_up_parameters_are_a_4xx(
    platform: Platform, customer: Customer, param: str, value: str
) -> None:
    response = await platform.gateway.get(
        "/invoice-data", params={param: value}, headers=customer.headers
    )
    assert_error_shape(response)
    assert response.status_code in (400, 404), response.text


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(number=st.one_of(st.integers(min_value=-(2**80), max_value=2**80), st.just(2**64)))
async def test_numbers_past_64_bits_in_internal_paths_and_queries_are_a_4xx(
    platform: Platform, number: int
) -> None:
    one = await platform.sync.post(f"/internal/resend/{number}")
    page = await platform.sync.get("/internal/resend", params={"offset": number})
    for response in (one, page):
        assert_error_shape(response)
        assert response.status_code in (200, 404, 400), response.text


# What a probe of the running platform found (issue #7): each was a 500, some of them charged.
PROBE_FINDINGS = [
    ("header", "cp_name", "ΛΗΠΤΗΣ\x00ΕΠΕ", "cp_name"),
    ("header", "series", "A\x00", "series"),
    ("header", "pnr01", "ERP\x00-1", "pnr01"),
    ("line", "p106", "Υπηρεσία\x00", "einv02[0].p106"),
    ("line", "comments", "a\x01b", "einv02[0].comments"),
    ("header", "cp_name", "bad\x1fname", "cp_name"),
    ("line", "quantity", RAW + "-0", "einv02[0].quantity"),
    ("line", "quantity", RAW + "1e-400", "einv02[0].quantity"),
    ("header", "transmission_failure", "0", "transmission_failure"),
]


@pytest.mark.parametrize(("where", "field", "value", "named"), PROBE_FINDINGS)
async def test_the_probes_findings_are_4xx_naming_the_field(
    platform: Platform, customer: Customer, where: str, field: str, value: str, named: str
) -> None:
    body = invoices.sale()
    (body if where == "header" else body["einv02"][0])[field] = value
    response = await _post(platform, customer, _encode(body))
    assert response.status_code == 400, response.text
    answer = response.json()
    problems = answer.get("data", {}).get("validation_errors", [])
    assert any(p.startswith(f"{named}:") for p in problems), problems
    assert await platform.calls_used(customer) == 0
