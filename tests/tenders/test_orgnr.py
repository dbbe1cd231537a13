"""Organisation numbers: Swedish ones in every usual spelling become the same 10 digits."""

from __future__ import annotations

import pytest

from tenders.orgnr import normalise_orgnr

UPPSALA_UNIVERSITET = "2021002932"


@pytest.mark.parametrize(
    "written",
    [
        "202100-2932",
        "2021002932",
        " 202100 2932 ",
        "SE202100293201",
        "SE 202100-2932 01",
        "16202100-2932",
        "SE2021002932",
    ],
)
def test_swedish_orgnr_spellings_normalise_to_ten_digits(written: str) -> None:
    assert normalise_orgnr(written, "SWE") == UPPSALA_UNIVERSITET
    assert normalise_orgnr(written, "SE") == UPPSALA_UNIVERSITET


@pytest.mark.parametrize("invalid", ["202100-2933", "12345", "n/a", "SE20210029320", "abcdefghij"])
def test_invalid_swedish_orgnr_is_none(invalid: str) -> None:
    assert normalise_orgnr(invalid, "SWE") is None


def test_sole_trader_personal_number_keeps_its_ten_digits() -> None:
    # A sole trader's org.nr is the owner's personal number; written with the century it has 12 digits.
    assert normalise_orgnr("19811218-9876", "SWE") == "8112189876"


def test_other_countries_are_kept_as_written() -> None:
    assert normalise_orgnr(" 123  456 789 ", "FRA") == "123 456 789"
    assert normalise_orgnr("EU-PO", "LUX") == "EU-PO"


def test_unknown_country_normalises_only_what_is_valid_swedish() -> None:
    assert normalise_orgnr("202100-2932", None) == UPPSALA_UNIVERSITET
    assert normalise_orgnr("B12345678", None) == "B12345678"


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_nothing_gives_none(empty: str | None) -> None:
    assert normalise_orgnr(empty) is None
