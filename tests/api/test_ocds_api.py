"""The OCDS endpoints over the app's real store of example notices; every body validates against OCDS 1.1."""

from __future__ import annotations

import json
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.deps import Principal, get_principal
from api.security.accounts import Role
from tenders.ocds.validate import package_errors
from tenders.settings import Settings
from tenders.store import TenderStore


def _a_process(settings: Settings) -> tuple[str, int, int]:
    """An ocid with its number of notice versions, and the publication year of one of them."""
    store = TenderStore.from_settings(settings)
    try:
        tender = next(t for t in store.iter_tenders() if t.procedure_id and (t.publication_date or t.issue_date))
        history = store.tender_history(tender.procedure_id or "")
    finally:
        store.close()
    day = tender.publication_date or tender.issue_date
    assert day
    return f"{settings.ocds_prefix}-{tender.procedure_id}", len(history), day.year


def test_releases_and_record_of_a_process(client: TestClient, settings: Settings) -> None:
    ocid, versions, _year = _a_process(settings)
    releases = client.get(f"/api/ocds/releases/{ocid}")
    assert releases.status_code == 200, releases.text
    assert len(releases.json()["releases"]) == versions
    assert package_errors(releases.json()) == []
    records = client.get(f"/api/ocds/records/{ocid}")
    assert records.status_code == 200
    assert records.json()["records"][0]["compiledRelease"]["ocid"] == ocid
    assert package_errors(records.json()) == []


def test_an_unknown_ocid_is_a_swedish_404(client: TestClient) -> None:
    for kind in ("releases", "records"):
        response = client.get(f"/api/ocds/{kind}/ocds-other1-nothing")
        assert response.status_code == 404
        assert response.json()["detail"] == "Ingen upphandling med detta ocid."


def test_a_year_package_streams_a_valid_download(client: TestClient, settings: Settings) -> None:
    _ocid, _versions, year = _a_process(settings)
    response = client.get(f"/api/ocds/packages/{year}")
    assert response.status_code == 200
    assert f"anbudsvakt-ocds-{year}.json" in response.headers["content-disposition"]
    package = json.loads(response.text)
    assert package["releases"] and package_errors(package) == []
    assert client.get("/api/ocds/packages/12").status_code == 422


def test_the_staff_statistics_page_links_a_package_per_year(app: FastAPI, client: TestClient) -> None:
    app.dependency_overrides[get_principal] = lambda: Principal("user", "1", "bo@udd.se", role=Role.STAFF)
    page = client.get("/personal/statistik").text
    years = re.findall(r'href="/api/ocds/packages/(\d{4})" download', page)
    assert years, "no OCDS package link on the staff statistics page"
    assert client.get(f"/api/ocds/packages/{years[0]}").status_code == 200
