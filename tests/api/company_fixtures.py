"""Dalarna notices dated relative to now (so the 90-day window sees them), and helpers to register and sign in
companies through the real routes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from stdnum import luhn

from app.ingest import ingest
from tenders.index import open_index
from tenders.model import Buyer, FormType, Money, Tender
from tenders.settings import Settings
from tenders.store import TenderStore

MORA = Buyer(name="Mora kommun", orgnr="2120002296", nuts="SE312", municipality_code="2062")
FALUN = Buyer(name="Falu kommun", orgnr="2120002098", nuts="SE312", municipality_code="2080")
BORLANGE = Buyer(name="Borlänge kommun", orgnr="2120002106", nuts="SE312", municipality_code="2081")

# (tender id, title, main CPV, buyer, days since publication, form type)
DALARNA_NOTICES = [
    ("dal-tak-mora", "Takarbeten på Mora gymnasium", "45261210", MORA, 5, FormType.COMPETITION),
    ("dal-tak-falun", "Takläggning och plåtarbeten, Falu kommuns förskolor", "45261000", FALUN, 12,
     FormType.COMPETITION),
    ("dal-fasad-borlange", "Fasadrenovering av Borlänge stadshus", "45443000", BORLANGE, 20, FormType.COMPETITION),
    ("dal-stad-falun", "Städning av kontor och skolor i Falun", "90911200", FALUN, 8, FormType.COMPETITION),
    ("dal-it-mora", "Drift av IT-system för Mora kommun", "72500000", MORA, 15, FormType.COMPETITION),
    ("dal-tak-gammal", "Takarbeten på Mora lasarett", "45261210", MORA, 130, FormType.COMPETITION),
]


def orgnr(serial: int) -> str:
    body = f"55{serial:07d}"
    return body + luhn.calc_check_digit(body)


def dalarna_tender(tender_id: str, title: str, cpv: str, buyer: Buyer, age_days: int, form: FormType,
                   now: datetime) -> Tender:
    published: date = (now - timedelta(days=age_days)).date()
    return Tender(
        notice_id=f"{tender_id}-n1", procedure_id=tender_id, publication_date=published, form_type=form,
        buyers=[buyer], title={"swe": title}, description={"swe": f"{title}. Uppdraget utförs i Dalarna."},
        main_cpv=cpv, place_of_performance=["SE312"], estimated_value=Money(amount=2_000_000),
        submission_deadline=(now + timedelta(days=30 - age_days % 7)).replace(microsecond=0), source="test",
    )


def load_dalarna_notices(settings: Settings, now: datetime | None = None) -> int:
    moment = now or datetime.now(UTC)
    store, index = TenderStore.from_settings(settings), open_index(settings)
    try:
        for row in DALARNA_NOTICES:
            tender = dalarna_tender(*row, now=moment)
            ingest(tender, json.dumps(tender.model_dump(mode="json")).encode(), store, index)
        return len(DALARNA_NOTICES)
    finally:
        index.close()
        store.close()


def registration(serial: int, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "orgnr": orgnr(serial), "name": f"Takföretaget {serial} AB", "email": f"info{serial}@tak{serial}.se",
        "municipality_code": "2062", "size": "small", "interests": {"cpv": ["4526"]}, "consent": True,
    }
    return {**body, **overrides}


def register(client: TestClient, serial: int, **overrides: object) -> str:
    """Register through the public API; returns the new company's id."""
    response = client.post("/api/companies", json=registration(serial, **overrides))
    assert response.status_code == 201, response.text
    return str(response.json()["company"]["id"])
