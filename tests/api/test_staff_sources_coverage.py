"""The source-health page shows the coverage ledger: Dalarna's procurements in the statistics against the store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.deps import get_principal
from tenders.model import Buyer, FormType, Tender
from tenders.settings import Settings
from tenders.store import TenderStore
from tests.api.conftest import TEST_SECRET
from tests.api.test_staff_dashboard import STAFF
from tests.tenders.test_stats_uhm_files import PROCUREMENT_COLUMNS, write_export

COLUMNS = (*PROCUREMENT_COLUMNS, "Annonsdatabas")
MORA = ("2021", "MORA KOMMUN", "2120002213", "45000000 Bygg", "45000000 Bygg")
LEKSAND = ("2021", "LEKSANDS KOMMUN", "2120002163", "90000000 Avlopp", "90620000 Snöröjning")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    data_dir = tmp_path / "data"
    (data_dir / "uhm").mkdir(parents=True)
    write_export(data_dir / "uhm", "procurements", COLUMNS, [
        (*MORA, "SE58001", "Ombyggnad av Mora simhall", "e-Avrop"),
        (*LEKSAND, "MT901", "Snöröjning 2021", "Mercell Annonsdatabas"),
        ("2021", "LUNDS KOMMUN", "2120001132", "79000000 X", "79000000 X", "MT1", "Revision", "Mercell Annonsdatabas"),
    ])
    settings = Settings(environment="test", data_dir=data_dir, secret_key=TEST_SECRET, base_url="http://testserver")
    store = TenderStore.from_settings(settings)
    try:
        url = "https://www.e-avrop.com/mora/visa/upphandling.aspx?id=58001"
        store.upsert_notice(Tender(
            notice_id="eavrop:upphandling-58001", title={"swe": "Mora simhall"}, form_type=FormType.COMPETITION,
            buyers=[Buyer(name="Mora kommun", orgnr="2120002213")], source="eavrop", source_url=url,
            source_urls=[url], retrieved_at=datetime(2021, 3, 1, tzinfo=UTC), raw_format="html"), b"<html/>")
    finally:
        store.close()
    return settings


def test_sources_page_shows_the_ledger_for_dalarnas_buyers(app: FastAPI, client: TestClient) -> None:
    app.dependency_overrides[get_principal] = lambda: STAFF
    page = client.get("/personal/kallor").text.split('id="rubrik-tackning"')[1]
    assert "Täckning 2021: lagret mot Upphandlingsmyndighetens statistik" in page
    e_avrop = page.split('<th scope="row">e-Avrop</th>')[1].split("</tr>")[0]
    assert '<td class="num">1</td><td class="num">1</td>' in e_avrop and "100,0 %" in e_avrop
    total = page.split('<th scope="row">Totalt</th>')[1].split("</tr>")[0]
    assert '<td class="num">2</td><td class="num">1</td>' in total and "50,0 %" in total
    assert "MT901 (Mercell Annonsdatabas), LEKSANDS KOMMUN: Snöröjning 2021" in page
    assert "LUNDS KOMMUN" not in page  # not a Dalarna buyer


def test_a_blocked_source_shows_blockerad_not_unreachable(app: FastAPI, client: TestClient,
                                                         settings: Settings) -> None:
    store = TenderStore.from_settings(settings)
    try:
        run_id = store.start_run("eavrop")
        store.finish_run(run_id, requests=1, items=0, errors=0, complete=False, expected=None,
                         note="since=2026-12-01; e-Avrop är blockerad: robots.txt förbjuder https://www.e-avrop.com/x")
    finally:
        store.close()
    app.dependency_overrides[get_principal] = lambda: STAFF
    row = client.get("/personal/kallor").text.split('<th scope="row">e-Avrop</th>')[1].split("</tr>")[0]
    assert '<strong class="status-alarm">Blockerad</strong> robots.txt förbjuder https://www.e-avrop.com/x' in row
