"""The Greek VAT check digit."""

from __future__ import annotations

import pytest

from mydata.vat import is_valid_greek_vat, vat_problem


@pytest.mark.parametrize("vat", ["094420307", "090000045", "100000003", "100000015"])
def test_valid_numbers(vat: str) -> None:
    assert is_valid_greek_vat(vat)


@pytest.mark.parametrize(
    ("vat", "problem"),
    [
        ("094420308", "check digit does not match"),
        ("000000000", "must not be all zeros"),
        ("09442030", "must be 9 digits"),
        ("EL094420307", "must be 9 digits"),
        ("", "must be 9 digits"),
    ],
)
def test_invalid_numbers_say_why(vat: str, problem: str) -> None:
    assert vat_problem(vat) == problem
