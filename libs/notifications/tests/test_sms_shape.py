"""SMS alphabet and part counts (INTEGRATIONS.md §3): GSM-7 160/153, UCS-2 70/67."""

from __future__ import annotations

import pytest

from notifications import GSM7, UCS2, sms_shape

GREEK_GSM_CAPITALS = "ΔΦΓΛΩΠΨΣΘΞ"


def test_latin_text_is_gsm7_in_one_part() -> None:
    shape = sms_shape("Your e-invoicing password: Ab3$xY9!")
    assert (shape.encoding, shape.parts) == (GSM7, 1)
    assert shape.units == len("Your e-invoicing password: Ab3$xY9!")


def test_the_ten_greek_capitals_of_gsm7_stay_gsm7() -> None:
    assert sms_shape(GREEK_GSM_CAPITALS).encoding == GSM7


@pytest.mark.parametrize("letter", ["Α", "Β", "Ε", "Κ", "α", "ά", "ω", "ς"])
def test_any_other_greek_letter_forces_ucs2(letter: str) -> None:
    shape = sms_shape("PASSWORD " + letter)
    assert shape.encoding == UCS2
    assert shape.units == len("PASSWORD ") + 1


def test_lower_case_greek_sentence_is_ucs2() -> None:
    shape = sms_shape("Κωδικός πρόσβασης e-invoicing: Ab3xY9")
    assert (shape.encoding, shape.parts) == (UCS2, 1)


@pytest.mark.parametrize(
    ("length", "parts"), [(160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)]
)
def test_gsm7_part_boundaries(length: int, parts: int) -> None:
    assert sms_shape("a" * length).parts == parts


@pytest.mark.parametrize(("length", "parts"), [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_ucs2_part_boundaries(length: int, parts: int) -> None:
    assert sms_shape("α" * length).parts == parts


def test_extension_characters_cost_two_septets() -> None:
    shape = sms_shape("€" * 80)
    assert (shape.encoding, shape.units, shape.parts) == (GSM7, 160, 1)
    assert sms_shape("€" * 80 + "a").parts == 2


def test_an_escape_pair_is_never_split_across_parts() -> None:
    # 152 septets, then "€" (2): it does not fit in part one's last septet, so it moves whole.
    text = "a" * 152 + "€" + "a" * 152
    assert sms_shape(text).units == 306
    assert sms_shape(text).parts == 3


def test_a_surrogate_pair_counts_two_units_and_is_not_split() -> None:
    assert sms_shape("😀").units == 2
    assert sms_shape("α" * 66 + "😀" + "α" * 66).parts == 3


def test_empty_text_is_one_part() -> None:
    assert sms_shape("").parts == 1
