"""SNI codes read as words wherever a person sees them: the detailed group's name, else its class's."""

from __future__ import annotations

import pytest

from tenders.sni import sni_label, sni_text


@pytest.mark.parametrize(("code", "text"), [
    ("02200", "SNI 02200 Avverkningsföretag"),
    ("2200", "SNI 02200 Avverkningsföretag"),  # the zero the statistics export drops comes back
    ("62010", "SNI 62010 Programvaruproducenter"),
    # Not a detailed group of SNI 2007 (43.91 splits into 43911 and 43912), but its class is known.
    ("43910", "SNI 43910 Byggnadsplåtslagerier och andra entreprenörer för takarbeten"),
    ("99999", "SNI 99999"),  # unknown: the code alone, never a wrong name
])
def test_sni_text(code: str, text: str) -> None:
    assert sni_text(code) == text


def test_upper_levels_whose_codes_lost_a_zero_are_not_trusted() -> None:
    # The export labels division "62" with 06's natural gas; a label for 62 must not come from there.
    assert "naturgas" not in sni_label("62")
    assert sni_label("62") == ""
