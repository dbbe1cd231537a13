"""Ingest (store, then index) and the IndexDocument projection; a rebuilt index equals the incremental one."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.ingest import ingest
from tenders.index.base import SearchQuery, SortOrder
from tenders.index.documents import to_index_document
from tenders.index.sqlite import SqliteIndex
from tenders.model import Buyer, FormType, Lot, Money, Tender
from tenders.store import TenderStore, UpsertOutcome
from tests.tenders.conftest import build_tender

QUERIES = [
    SearchQuery(),
    SearchQuery(text="snöröjning"),
    SearchQuery(text="röjning", sort=SortOrder.DEADLINE),
    SearchQuery(form_types=["competition"], sort=SortOrder.PUBLISHED),
    SearchQuery(municipalities=["2062"], page_size=2, page=2),
]


def test_ingest_stores_then_indexes_the_current_view(
    store: TenderStore, index: SqliteIndex, change_history: list[Tender]
) -> None:
    contract, change, award = change_history
    assert ingest(contract, b"cn", store, index) is UpsertOutcome.INSERTED
    hit = index.search(SearchQuery(text="halkbekämpning")).hits[0].document
    assert (hit.tender_id, hit.form_type, hit.deadline) == ("proc-snow", "competition", contract.submission_deadline)
    ingest(change, b"ch", store, index)
    ingest(award, b"can", store, index)
    assert index.count() == 1
    hit = index.search(SearchQuery(text="röjning")).hits[0].document
    assert (hit.notice_id, hit.form_type) == ("can-1", "result")
    assert hit.deadline == datetime(2026, 4, 15, 12, tzinfo=UTC)  # kept from the change notice
    assert hit.sme_suitable is True and hit.value_sek == 2_000_000
    assert ingest(award, b"can", store, index) is UpsertOutcome.UNCHANGED
    assert index.count() == 1


def test_ingest_moves_a_notice_between_procurements(store: TenderStore, index: SqliteIndex) -> None:
    ingest(build_tender("n-1", procedure_id="old"), b"x", store, index)
    ingest(build_tender("n-1", procedure_id="new"), b"x", store, index)
    assert [h.document.tender_id for h in index.search(SearchQuery()).hits] == ["new"]


def _corpus() -> list[Tender]:
    mora = Buyer(name="Mora kommun", orgnr="2120002361", city="Mora")
    return [
        build_tender("a", title={"swe": "Snöröjning i Mora"}, buyers=[mora], publication_date=date(2026, 2, 1),
                     submission_deadline=datetime(2026, 5, 1, tzinfo=UTC)),
        build_tender("b", title={"eng": "Road clearing"}, description={"swe": "Vägröjning längs skogsbilvägar"},
                     buyers=[mora], publication_date=date(2026, 3, 1)),
        build_tender("c", title={"swe": "Takarbeten"}, form_type=FormType.RESULT, publication_date=date(2026, 1, 1)),
        build_tender("d", procedure_id="p", title={"swe": "Skolskjuts"}, buyers=[mora]),
        build_tender("e", procedure_id="p", title={"swe": "Skolskjuts, rättelse"}, form_type=FormType.CHANGE,
                     buyers=[mora], publication_date=date(2026, 3, 2)),
    ]


def test_reindex_from_the_store_equals_incremental_indexing(store: TenderStore, tmp_path) -> None:
    incremental = SqliteIndex(tmp_path / "incremental.sqlite3")
    for tender in _corpus():
        ingest(tender, tender.notice_id.encode(), store, incremental)
    rebuilt = SqliteIndex(tmp_path / "rebuilt.sqlite3")
    rebuilt.index([to_index_document(t) for t in store.iter_tenders(batch_size=2)])
    assert rebuilt.count() == incremental.count() == store.count_tenders() == 4
    for query in QUERIES:
        assert rebuilt.search(query) == incremental.search(query)
    assert {h.document.tender_id for h in rebuilt.search(QUERIES[2]).hits} == {"a", "b"}
    rebuilt.close()
    incremental.close()


def test_projection_of_a_tender() -> None:
    tender = build_tender(
        "n", procedure_id="proc", title={"eng": "Snow", "swe": "Snö"}, description={"eng": "Only English"},
        main_cpv="90620000", additional_cpv=["90630000"],
        buyers=[Buyer(name="Mora kommun", orgnr="2120002361", city="Mora", nuts="SE312"),
                Buyer(name="Falu kommun", municipality_code="2080")],
        place_of_performance=["SE312"],
        lots=[Lot(id="LOT-1", main_cpv="45233141", sme_suitable=False, place_of_performance=["SE311"],
                  submission_deadline=datetime(2026, 5, 2, tzinfo=UTC)),
              Lot(id="LOT-2", additional_cpv=["90620000"], sme_suitable=True,
                  submission_deadline=datetime(2026, 5, 1, tzinfo=UTC))],
    )
    doc = to_index_document(tender)
    assert (doc.tender_id, doc.title, doc.description) == ("proc", "Snö", "Only English")
    assert doc.cpv_codes == ["90620000", "90630000", "45233141"] and doc.cpv_divisions == ["90", "45"]
    assert doc.municipalities == ["2062", "2080"]  # Mora derived from the buyer's city
    assert doc.nuts == ["SE312", "SE311"]
    assert doc.deadline == datetime(2026, 5, 1, tzinfo=UTC)  # the earliest lot deadline
    assert doc.sme_suitable is True and doc.lots == 2
    assert doc.buyer_orgnrs == ["2120002361"] and doc.buyer_names == ["Mora kommun", "Falu kommun"]


def test_projection_values_only_in_sek() -> None:
    assert to_index_document(build_tender("n", estimated_value=Money(amount=5, currency="EUR"))).value_sek is None
    lots = [Lot(id="1", estimated_value=Money(amount=100)), Lot(id="2", estimated_value=Money(amount=50))]
    assert to_index_document(build_tender("n", lots=lots)).value_sek == 150
    no_lots_said = [Lot(id="1")]
    assert to_index_document(build_tender("n", lots=no_lots_said)).sme_suitable is None
    fallback = build_tender("n", title={}, lots=[Lot(id="1", title={"swe": "Delområde snö"})])
    assert to_index_document(fallback).title == "Delområde snö"
