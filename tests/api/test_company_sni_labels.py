"""'Mina uppgifter' names a company's SNI codes instead of showing bare digits."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.company_fixtures import register
from tests.api.test_companies import sign_in


def test_mina_uppgifter_names_the_sni_codes(company_client: TestClient) -> None:
    company_id = register(company_client, 41, sni=["43910", "02200"])
    sign_in(company_client, company_id, "info41@tak41.se")
    page = company_client.get("/mina-uppgifter").text
    assert "SNI 43910 Byggnadsplåtslagerier och andra entreprenörer för takarbeten" in page
    assert "SNI 02200 Avverkningsföretag" in page
