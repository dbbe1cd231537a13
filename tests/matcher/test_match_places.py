"""A profile's municipality, however a company writes it, resolves through the shared code lists."""

import pytest

from matcher.match.notice import municipality_code_of


@pytest.mark.parametrize(
    ("written", "code"),
    [("2062", "2062"), ("Mora", "2062"), ("mora kommun", "2062"), ("Falu kommun", "2080"), ("Leksands kommun", "2029"),
     ("Malung-Sälens kommun", "2023"), ("Sälen", "2023"), ("Uppsala", None), ("", None)],
)
def test_municipality_as_written_by_a_company(written: str, code: str | None) -> None:
    assert municipality_code_of(written) == code
