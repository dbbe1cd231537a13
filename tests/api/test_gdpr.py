"""Export and erase (GDPR art. 15, 17, 20) and unsubscribe: through the API and through the pages."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from profiles.repository import ProfileRepository
from tests.api.company_fixtures import register
from tests.api.conftest import csrf_token
from tests.api.test_companies import sign_in


def repository(client: TestClient) -> ProfileRepository:
    return client.app.state.resources.profiles  # type: ignore[attr-defined]


def test_export_holds_everything_stored(company_client: TestClient) -> None:
    company_id = register(company_client, 30, sni=["43910"])
    headers = sign_in(company_client, company_id, "info30@tak30.se")
    company_client.put(f"/api/companies/{company_id}/follows/dal-tak-mora", headers=headers)
    company_client.put(f"/api/companies/{company_id}/feedback/dal-it-mora", headers=headers, json={"relevant": False})
    company_client.post(f"/api/companies/{company_id}/saved-searches", headers=headers,
                        json={"name": "Tak i Mora", "query": "q=tak&municipality=2062", "in_digest": True})
    hook = company_client.put(f"/api/companies/{company_id}/webhook", headers=headers,
                              json={"url": "http://127.0.0.1:9/hook"}).json()
    key = company_client.post(f"/api/companies/{company_id}/api-keys", headers=headers).json()
    for path in (f"/api/companies/{company_id}/export", "/mina-uppgifter/export.json"):
        response = company_client.get(path)
        assert response.status_code == 200
        assert "attachment" in response.headers["content-disposition"]
        data = json.loads(response.content)
        assert data["id"] == company_id and data["profil"]["sni"] == ["43910"]
        assert data["kanaler"] == [{"typ": "email", "adress": "info30@tak30.se", "aktiv": True},
                                   {"typ": "webhook", "adress": "http://127.0.0.1:9/hook", "aktiv": True}]
        assert data["foljer"] == ["dal-tak-mora"] and data["bedomningar"] == {"dal-it-mora": False}
        assert [e["event"] for e in data["samtycke"]] == ["pending"]  # signed in without the mailed link
        assert [(s["namn"], s["sokning"], s["i_sammanstallningen"]) for s in data["sparade_sokningar"]] == [
            ("Tak i Mora", "q=tak&municipality=2062", True)]
        assert data["webhook"]["adress"] == "http://127.0.0.1:9/hook"
        assert hook["secret"] not in response.text  # shown once at registration, never again
        assert [k["id"] for k in data["api_nycklar"]] == [key["id"]] and key["key"] not in response.text


def test_erase_through_the_page_needs_confirmation_then_removes_everything(company_client: TestClient) -> None:
    company_id = register(company_client, 31)
    headers = sign_in(company_client, company_id, "info31@tak31.se")
    company_client.put(f"/api/companies/{company_id}/follows/dal-tak-mora", headers=headers)
    assert "Radera Takföretaget 31 AB?" in company_client.get("/mina-uppgifter/radera").text
    token = csrf_token(company_client, "/mina-uppgifter/radera")
    unconfirmed = company_client.post("/mina-uppgifter/radera", data={"csrf_token": token})
    assert unconfirmed.status_code == 422 and repository(company_client).get(company_id) is not None
    done = company_client.post("/mina-uppgifter/radera", data={"csrf_token": token, "bekrafta": "ja"})
    assert done.status_code == 200 and "är raderat" in done.text
    assert repository(company_client).get(company_id) is None
    assert [f for f in repository(company_client).follows() if f[0] == company_id] == []
    assert repository(company_client).feedback(company_id) == {}
    assert company_client.get("/api/companies/me").status_code == 401  # signed out everywhere


def test_erase_through_the_api(company_client: TestClient) -> None:
    company_id = register(company_client, 32)
    headers = sign_in(company_client, company_id, "info32@tak32.se")
    assert company_client.delete(f"/api/companies/{company_id}").status_code == 403  # no CSRF token
    assert company_client.delete(f"/api/companies/{company_id}", headers=headers).status_code == 204
    assert repository(company_client).get(company_id) is None
    assert company_client.get(f"/api/companies/{company_id}").status_code == 401


def test_unsubscribe_one_click_and_through_the_confirm_page(company_client: TestClient) -> None:
    company_id = register(company_client, 33)
    token = repository(company_client).unsubscribe_token(company_id, "email")
    page = company_client.get(f"/avregistrera/{token}")
    assert page.status_code == 200 and "Avsluta utskicken" in page.text
    company_client.cookies.clear()  # RFC 8058: the mail client posts without cookies or CSRF token
    done = company_client.post(f"/avregistrera/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "avslutade" in done.text
    assert repository(company_client).channels(company_id) == []
    assert company_client.post(f"/avregistrera/{token}").status_code == 200  # repeating is harmless
    assert company_client.post(f"/avregistrera/{token}x").status_code == 404
    assert company_client.post("/avregistrera/inte-en-token").status_code == 404
