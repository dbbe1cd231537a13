"""Staff statistics count Dalarna only (issue 14, finding 3): an award notice from Rouen or Uppsala in the store
is not a Dalarna figure; Region Dalarna's two org.nr are one buyer; an empty group says why."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tenders.model import Buyer, FormType, LotResult, Tender, Winner
from tenders.stats.dalarna import DashboardFilters, load_procurements
from tenders.stats.dashboard_tables import comparison_table
from tenders.stats.sweden import SwedenData
from tenders.store import TenderStore


def award(notice_id: str, buyer: Buyer, places: list[str] | None = None) -> Tender:
    return Tender(
        notice_id=notice_id, procedure_id=notice_id, form_type=FormType.RESULT, publication_date=date(2026, 5, 4),
        buyers=[buyer], title={"swe": "Städtjänster"}, main_cpv="90910000", place_of_performance=places or [],
        results=[LotResult(lot_id="1", tenders_received=2, winners=[Winner(name="Städ AB", size="small")])],
    )


def test_only_dalarna_buyers_and_places_count(tmp_path: Path) -> None:
    store = TenderStore.from_url(f"sqlite:///{tmp_path / 's.sqlite3'}")
    try:
        for tender in (
            award("rouen", Buyer(name="Rouen Habitat", country="FRA"), ["FRD22"]),
            award("uppsala", Buyer(name="Uppsala kommun", orgnr="2120003005")),
            award("region-1", Buyer(name="REGION DALARNA", orgnr="2321000180")),
            award("region-2", Buyer(name="REGION DALARNA", orgnr="2331000180")),
            award("elsewhere-in-dalarna", Buyer(name="Trafikverket", orgnr="2021006545"), ["SE312"]),
        ):
            store.upsert_notice(tender, b"{}")
        found = load_procurements(store)
    finally:
        store.close()
    assert sorted(p.tender.notice_id for p in found) == ["elsewhere-in-dalarna", "region-1", "region-2"]
    region = {p.buyer_key for p in found if p.buyer_name == "Region Dalarna"}
    assert region == {"2321000180"}  # one buyer in the list, not two


def test_an_empty_group_is_explained(tmp_path: Path) -> None:
    table = comparison_table([], SwedenData(None, "ingen export"), DashboardFilters())
    assert table.note and "Dalarna (UHM) saknar uppgifter" in table.note
    assert "Dalarna (annonser) saknar uppgifter" in table.note
