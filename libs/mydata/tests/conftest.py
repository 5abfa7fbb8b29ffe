"""Fixtures of the mydata tests: the shared samples, one schema per worker, ERP body factories."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mydata.xsd import SchemaValidator

Body = dict[str, Any]


def shared_dir() -> Path:
    return Path(os.environ.get("EINV_SHARED_DIR") or "../shared")


@pytest.fixture(scope="session")
def samples() -> Path:
    return shared_dir() / "mydata-samples"


@pytest.fixture(scope="session")
def validator() -> SchemaValidator:
    schema = SchemaValidator()
    schema.load()
    return schema


BASE_1_1: Body = {
    "transmission_failure": 0,
    "is_vat": "094420307",
    "is_country": "GR",
    "is_branch": 0,
    "is_name": "ΕΚΔΟΤΗΣ ΑΕ",
    "cp_vat": "888888888",
    "cp_country": "GR",
    "cp_branch": 0,
    "cp_name": "ΛΗΠΤΗΣ ΕΠΕ",
    "cp_address": "ΟΔΟΣ",
    "cp_address_num": "12",
    "cp_city": "ΗΡΑΚΛΕΙΟ",
    "cp_zip": "71202",
    "series": "ΤΠ-ΔΑ",
    "aa": "26",
    "issuedate": "2023-03-09",
    "issuetime": "10:15:00",
    "invtype": "1.1",
    "currency": "EUR",
    "paytype": "3",
    "tnetvalue": "1500.00",
    "tvat_am": "360.00",
    "tgross_val": "1860.00",
    "p00": 1,
    "pnr01": "ERP-0001",
    "einv02": [
        {
            "linenumber": 1,
            "quantity": "10",
            "munit": "1",
            "netvalue": "1000.00",
            "vatcat": "1",
            "fpavalue": "240.00",
            "mydt57_p00": "category1_1",
            "mydt61_p00": "E3_561_001",
        },
        {
            "linenumber": 2,
            "netvalue": "500.00",
            "vatcat": "1",
            "fpavalue": "120.00",
            "mydt57_p00": "category1_3",
            "mydt61_p00": "E3_561_001",
            "comments": "Υπηρεσίες",
        },
    ],
    "einv00": {"p01": 2, "p02": 1, "p010": "buyer@example.gr"},
    "lang": "el",
}


@pytest.fixture
def body() -> Callable[..., Body]:
    """A valid 1.1 body; keyword arguments override header fields (None removes one)."""

    def make(**changes: Any) -> Body:
        out = copy.deepcopy(BASE_1_1)
        for key, value in changes.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = value
        return out

    return make
