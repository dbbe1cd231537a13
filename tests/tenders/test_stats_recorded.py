"""The statistics service's raw CSV (``;``, BOM, ``Uppgift saknas``, ``; `` inside cells) gives the same
figures as the cleaned 2021 exports for the same buyers. The raw files are rebuilt from the cleaned ones by
``tests/fixtures/uhm/build_recorded.py``; the check is that reading either form gives one answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tenders.stats import ParticipationReport, participation_report
from tenders.stats.uhm import ExportFile, find_export

REPO = Path(__file__).resolve().parents[2]
RECORDED = REPO / "tests" / "fixtures" / "uhm" / "service-2021-dalarna-neighbours"
CLEANED = REPO / "datasets" / "uhm-2021"
NEIGHBOURS = (
    "2120002346", "2120002320", "2120002296", "2120002288", "2120002510", "2120001777",
    "2120001884", "2120001876", "2120002023", "2120002106", "2120002072",
)


@pytest.fixture(scope="module")
def recorded() -> ParticipationReport:
    return participation_report(RECORDED)


@pytest.fixture(scope="module")
def cleaned() -> ParticipationReport:
    return participation_report(CLEANED, buyer_orgnrs=NEIGHBOURS)


def test_recorded_files_are_the_raw_service_form() -> None:
    raw = find_export(RECORDED, "contracted_suppliers").read_bytes()
    assert raw.startswith("\ufeffÅr;".encode())
    assert b"Uppgift saknas" in raw
    assert b"Inte direktivstyrd" in raw
    requests = json.loads((RECORDED / "requests.json").read_text(encoding="utf-8"))
    assert requests["tenders_per_lot"]["distributedUnit"] == "Upphandlingar, Bas.Antal anbud"


def test_raw_and_cleaned_give_the_same_figures(recorded: ParticipationReport, cleaned: ParticipationReport) -> None:
    assert recorded.overall == cleaned.overall
    assert recorded.by_buyer == cleaned.by_buyer
    assert recorded.by_year == cleaned.by_year
    # Division labels differ only where the cleaner had turned a CPV label's "; " into ",".
    strip = {"label"}
    assert [d.model_dump(exclude=strip) for d in recorded.by_cpv_division] == [
        d.model_dump(exclude=strip) for d in cleaned.by_cpv_division
    ]
    assert recorded.overall.procurements > 100  # the comparison is over real rows, not an empty filter


def test_semicolon_inside_a_cell_does_not_shift_columns() -> None:
    path = find_export(RECORDED, "contracted_suppliers")
    lines_with_list_cells = [line for line in path.read_text(encoding="utf-8-sig").splitlines() if "; " in line]
    assert lines_with_list_cells, "the fixture must hold a cell with '; ' for this test to mean anything"
    rows = list(ExportFile(path, ("Anbudsområdes-ID", "Antal kontrakterade anbud*, Summa")))
    assert len(rows) == len(path.read_text(encoding="utf-8-sig").splitlines()) - 1
    for row in rows:
        # A split cell would push CPV text into later columns: the count would not parse, the ids would be words.
        assert row.count("Antal kontrakterade anbud*, Summa") is not None
        assert row.text("Anbudsområdes-ID").startswith("CAN-")
        assert row.cpv_division != "00" or row.text("Huvudsaklig CPV-kod").startswith("00000000")
