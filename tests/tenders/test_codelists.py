"""Code lists: CPV normalisation and labels, and deriving a Dalarna municipality from a buyer."""

import pytest

from tenders import codelists


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("45261210-9", "45261210"),
        (" 45261210 ", "45261210"),
        ("4526121", None),
        ("", None),
        (None, None),
        ("abc", None),
    ],
)
def test_normalise_cpv(raw: str | None, expected: str | None) -> None:
    assert codelists.normalise_cpv(raw) == expected


def test_cpv_labels_are_swedish_and_divisions_complete() -> None:
    assert codelists.cpv_label("45261210") == "Takläggningsarbete"
    assert codelists.cpv_label("45261210", "en") == "Roof-covering work"
    divisions = codelists.cpv_divisions()
    assert len(divisions) == 45 and divisions["90"].startswith("Avlopps")
    assert codelists.cpv_label("99999999") == ""


@pytest.mark.parametrize(
    ("city", "buyer", "expected"),
    [
        ("Falun", None, "2080"),
        ("MORA", None, "2062"),
        ("Sälen", None, "2023"),
        ("Grängesberg", None, "2085"),
        (None, "Falu kommun", "2080"),
        (None, "MALUNG-SÄLENS KOMMUN", "2023"),
        (None, "Ludvika kommun", "2085"),
        ("Uppsala", "Uppsala kommun", None),
        (None, "Region Dalarna", None),
    ],
)
def test_municipality_code(city: str | None, buyer: str | None, expected: str | None) -> None:
    assert codelists.municipality_code(city=city, buyer_name=buyer) == expected


def test_dalarna_tables() -> None:
    assert len(codelists.dalarna_municipalities()) == 15
    assert codelists.dalarna_buyers()["2120002213"] == "MORA KOMMUN"
    assert codelists.nuts_labels()["SE312"] == "Dalarnas län"
