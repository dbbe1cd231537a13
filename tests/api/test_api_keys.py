"""API keys for companies and developers. A company's key (shown once, stored hashed) opens that company's own
routes as /api/companies/me/... and nothing else; it cannot mint more keys, is never a session cookie, and ends
when revoked or when the company is erased. A developer signs in, lands on the search with "API-nycklar" in the
menu, and creates and revokes keys on that page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import text

from api.security.accounts import Role
from api.security.sessions import SESSION_COOKIE
from tests.api.company_fixtures import register
from tests.api.conftest import csrf_token
from tests.api.test_authorization import add_user, bearer, db_session, sign_in_user
from tests.api.test_companies import sign_in


def _company_key(client: TestClient, company_id: str, headers: dict[str, str]) -> str:
    created = client.post(f"/api/companies/{company_id}/api-keys", headers=headers)
    assert created.status_code == 201, created.text
    return str(created.json()["key"])


def test_a_company_key_opens_its_own_routes_as_me_and_nothing_else(company_client: TestClient) -> None:
    owner, other = register(company_client, 80), register(company_client, 81)
    key = _company_key(company_client, owner, sign_in(company_client, owner, "info80@tak80.se"))
    company_client.cookies.clear()  # from here on only the key speaks
    assert key.startswith("avc_")
    me = company_client.get("/api/companies/me", headers=bearer(key))
    assert me.json() == {"company_id": owner, "email": "info80@tak80.se"}
    assert company_client.get("/api/companies/me/matches", headers=bearer(key)).status_code == 200
    assert company_client.get("/api/companies/me/saved-searches", headers=bearer(key)).status_code == 200
    # No CSRF token needed with a key (no cookie to forge), but another company stays out of reach.
    assert company_client.put("/api/companies/me/follows/x", headers=bearer(key)).status_code in (404, 201, 204)
    assert company_client.get(f"/api/companies/{other}", headers=bearer(key)).status_code == 404
    assert company_client.get("/api/users/me", headers=bearer(key)).status_code == 403
    refused = company_client.post("/api/companies/me/api-keys", headers=bearer(key))
    assert refused.status_code == 403  # a leaked key cannot mint the keys that would outlive it
    assert company_client.get("/", cookies={SESSION_COOKIE: key}).status_code == 200  # never a session cookie
    assert "Inloggad som" not in company_client.get("/", cookies={SESSION_COOKIE: key}).text


def test_company_keys_are_stored_hashed_listed_without_the_key_and_revoked(company_client: TestClient) -> None:
    company_id = register(company_client, 82)
    headers = sign_in(company_client, company_id, "info82@tak82.se")
    key = _company_key(company_client, company_id, headers)
    with db_session(company_client) as db:
        stored = " ".join(str(v) for row in db.execute(text("SELECT * FROM auth_sessions")) for v in row)
    assert key not in stored
    (listed,) = company_client.get(f"/api/companies/{company_id}/api-keys").json()["data"]
    assert set(listed) == {"id", "created_at", "expires_at"}
    assert company_client.delete(f"/api/companies/{company_id}/api-keys/{listed['id']}",
                                 headers=headers).status_code == 204
    company_client.cookies.clear()
    assert company_client.get("/api/companies/me", headers=bearer(key)).status_code == 401


def test_an_erased_company_s_keys_end_with_it(company_client: TestClient) -> None:
    company_id = register(company_client, 83)
    headers = sign_in(company_client, company_id, "info83@tak83.se")
    key = _company_key(company_client, company_id, headers)
    assert company_client.delete(f"/api/companies/{company_id}", headers=headers).status_code == 204
    company_client.cookies.clear()
    assert company_client.get("/api/companies/me", headers=bearer(key)).status_code == 401


def test_the_company_key_page_shows_a_new_key_once(company_client: TestClient) -> None:
    company_id = register(company_client, 84)
    sign_in(company_client, company_id, "info84@tak84.se")
    token = csrf_token(company_client, "/mina-uppgifter/api-nyckel")
    made = company_client.post("/mina-uppgifter/api-nyckel", data={"csrf_token": token})
    found = re.search(r'>(avc_[^<]+)<', made.text)
    assert made.status_code == 200 and found and made.headers["cache-control"] == "no-store"
    company_client.cookies.clear()
    assert company_client.get("/api/companies/me", headers=bearer(found.group(1))).status_code == 200


def test_a_developer_lands_on_the_search_and_manages_keys_on_their_page(client: TestClient) -> None:
    add_user(client, "eva@mora.se", Role.DEVELOPER)
    landed = client.post("/personal/logga-in", data={
        "email": "eva@mora.se", "password": "ett-långt-lösenord-för-test",
        "csrf_token": csrf_token(client, "/personal/logga-in")}, follow_redirects=False)
    assert landed.headers["location"] == "/sok"  # not the staff pages, which would refuse a developer
    sign_in_user(client, "eva@mora.se")
    page = client.get("/personal/api-nycklar")
    assert page.status_code == 200 and 'href="/personal/api-nycklar" aria-current="page"' in page.text
    token = csrf_token(client, "/personal/api-nycklar")
    made = client.post("/personal/api-nycklar", data={"namn": "Intranätet", "csrf_token": token})
    found = re.search(r'>(avk_[^<]+)<', made.text)
    assert found and "Intranätet" in made.text
    assert client.get("/api/users/me", headers=bearer(found.group(1)), cookies={}).status_code == 200
    key_id = re.search(r'Intranätet.*?name="key_id" value="(\d+)"', made.text, re.DOTALL)
    assert key_id is not None
    revoked = client.post("/personal/api-nycklar/sparra", data={"key_id": key_id.group(1), "csrf_token": token})
    assert revoked.status_code == 200 and "Nyckeln är spärrad" in revoked.text
    assert "Intranätet" not in client.get("/personal/api-nycklar").text
    client.cookies.clear()
    assert client.get("/personal/api-nycklar", follow_redirects=False).headers["location"].startswith(
        "/personal/logga-in?tillbaka=")
