"""'Inte relevant' with control: the page says what was hidden and offers 'Ångra'; hidden notices are listed and
can be shown again, after which they and their like rank as before."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.company_fixtures import register
from tests.api.conftest import csrf_token
from tests.api.test_companies import sign_in
from tests.api.test_matches import matches


def test_a_hidden_notice_can_be_undone_at_once_or_restored_from_the_list(company_client: TestClient) -> None:
    company_id = register(company_client, 21, interests={"cpv": ["45"]})
    sign_in(company_client, company_id, "info21@tak21.se")
    before = {m["tender_id"]: m["score"] for m in matches(company_client, company_id)}
    token = csrf_token(company_client, "/mina-bevakningar")
    hidden = company_client.post("/mina-bevakningar/bedomning", follow_redirects=False,
                                 data={"tender_id": "dal-tak-mora", "relevant": "nej", "csrf_token": token})
    assert hidden.status_code == 303 and "dold=dal-tak-mora" in hidden.headers["location"]
    page = company_client.get(hidden.headers["location"])
    assert "är dold" in page.text and "Ångra" in page.text and "Dolda annonser" in page.text
    assert "dal-tak-mora" not in {m["tender_id"] for m in matches(company_client, company_id)}

    undone = company_client.post("/mina-bevakningar/angra", follow_redirects=False,
                                 data={"tender_id": "dal-tak-mora", "csrf_token": token})
    assert undone.status_code == 303
    after = {m["tender_id"]: m["score"] for m in matches(company_client, company_id)}
    assert after == before  # shown again, and its like ranked as before
    assert "Inga dolda annonser" in company_client.get("/mina-bevakningar").text
