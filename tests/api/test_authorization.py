"""Who may do what: companies see only themselves, staff-only routes refuse everyone else, CSRF and rate limits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from api.deps import get_rate_limits
from api.security.accounts import Role, create_api_key, create_user
from api.security.ratelimit import RateLimits, SlidingWindowLimiter
from api.security.sessions import SESSION_COOKIE, create_session
from tests.api.conftest import csrf_token

PASSWORD = "ett-långt-lösenord-för-test"


def db_session(client: TestClient) -> Session:
    return Session(client.app.state.resources.auth_engine)  # type: ignore[attr-defined]


def add_user(client: TestClient, email: str, role: Role) -> str:
    """Create a user; returns an API key of that user."""
    with db_session(client) as db, db.begin():
        user = create_user(db, email, PASSWORD, role)
        return create_api_key(db, user.id, "test")[1]


def sign_in_company(client: TestClient, company_id: str, email: str) -> None:
    with db_session(client) as db, db.begin():
        token, _ = create_session(db, "company", company_id, email)
    client.cookies.set(SESSION_COOKIE, token)


def sign_in_user(client: TestClient, email: str) -> None:
    response = client.post(
        "/personal/logga-in",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(client, "/personal/logga-in")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_company_cannot_read_another_company(client: TestClient) -> None:
    # With real registered companies, every company route is covered in test_company_authorization.py.
    sign_in_company(client, "101", "info@takab.se")
    assert client.get("/api/companies/me").json()["company_id"] == "101"
    for other in ("202", "999", "101 ", "%31%30%31x"):
        assert client.get(f"/api/companies/{other}").status_code == 404


def test_a_session_of_an_erased_company_stops_working(client: TestClient) -> None:
    sign_in_company(client, "303", "borta@example.se")  # not (any longer) in the directory
    assert client.get("/api/companies/me").status_code == 401


def test_a_forged_session_cookie_is_anonymous(client: TestClient) -> None:
    client.cookies.set(SESSION_COOKIE, "not-a-session")
    assert client.get("/api/companies/me").status_code == 401


def test_staff_routes_refuse_anonymous_company_and_developer(client: TestClient) -> None:
    developer_key = add_user(client, "anna@mora.se", Role.DEVELOPER)
    staff_key = add_user(client, "bo@udd.se", Role.STAFF)
    assert client.get("/api/users").status_code == 401
    assert client.get("/api/users", headers=bearer(developer_key)).status_code == 403
    assert client.get("/api/users", headers=bearer("avk_wrong")).status_code == 401
    users = client.get("/api/users", headers=bearer(staff_key))
    assert users.status_code == 200 and users.json()["count"] == 2
    sign_in_company(client, "101", "info@takab.se")
    assert client.get("/api/users").status_code == 403
    client.cookies.clear()
    sign_in_user(client, "anna@mora.se")
    assert client.get("/api/users").status_code == 403
    assert client.get("/api/users/me").json()["role"] == "developer"


def test_only_staff_create_users_and_a_company_cannot_act_as_a_user(client: TestClient) -> None:
    staff_key = add_user(client, "bo@udd.se", Role.STAFF)
    new_user = {"email": "cia@falun.se", "role": "developer", "password": PASSWORD}
    sign_in_company(client, "101", "info@takab.se")
    headers = {"x-csrf-token": csrf_token(client, "/")}
    assert client.post("/api/users", json=new_user, headers=headers).status_code == 403
    assert client.get("/api/api-keys").status_code == 403
    client.cookies.clear()
    assert client.post("/api/users", json=new_user, headers=bearer(staff_key)).status_code == 201
    assert client.post("/api/users", json=new_user, headers=bearer(staff_key)).status_code == 409


def test_a_user_cannot_revoke_another_users_api_key(client: TestClient) -> None:
    first = add_user(client, "anna@mora.se", Role.DEVELOPER)
    second = add_user(client, "bo@udd.se", Role.STAFF)
    first_key_id = client.get("/api/api-keys", headers=bearer(first)).json()["data"][0]["id"]
    assert client.delete(f"/api/api-keys/{first_key_id}", headers=bearer(second)).status_code == 404
    assert client.get("/api/users/me", headers=bearer(first)).status_code == 200
    assert client.delete(f"/api/api-keys/{first_key_id}", headers=bearer(first)).status_code == 204
    assert client.get("/api/users/me", headers=bearer(first)).status_code == 401  # revoked


def test_api_keys_are_stored_only_as_hashes(client: TestClient) -> None:
    key = add_user(client, "anna@mora.se", Role.DEVELOPER)
    created = client.post("/api/api-keys", json={"name": "intranät"}, headers=bearer(key))
    assert created.status_code == 201
    plain = created.json()["key"]
    with db_session(client) as db:
        stored = " ".join(str(value) for row in db.execute(text("SELECT * FROM auth_api_keys")) for value in row)
    assert plain not in stored and key not in stored
    assert "key" not in client.get("/api/api-keys", headers=bearer(plain)).json()["data"][0]


def test_wrong_password_is_refused_with_one_message(client: TestClient) -> None:
    add_user(client, "anna@mora.se", Role.DEVELOPER)
    for email in ("anna@mora.se", "ingen@mora.se"):
        page = client.post("/personal/logga-in", data={"email": email, "password": "fel-lösenord-123",
                                                       "csrf_token": csrf_token(client, "/personal/logga-in")})
        assert page.status_code == 400 and "Fel e-postadress eller lösenord" in page.text
    assert client.get("/api/users/me").status_code == 401


@pytest.mark.parametrize("token", [None, "", "wrong", "from-another-browser"])
def test_forms_refuse_a_missing_or_wrong_csrf_token(client: TestClient, app: FastAPI, token: str | None) -> None:
    csrf_token(client)  # the browser has its CSRF cookie
    if token == "from-another-browser":
        with TestClient(app) as other_browser:
            token = csrf_token(other_browser)
    data = {"email": "info@takab.se"} | ({"csrf_token": token} if token is not None else {})
    assert client.post("/logga-in", data=data).status_code == 403
    assert client.post("/logga-ut", data=data).status_code == 403


def test_a_csrf_token_of_another_session_is_refused(client: TestClient) -> None:
    anonymous_token = csrf_token(client, "/logga-in")
    sign_in_company(client, "101", "info@takab.se")
    assert client.post("/logga-ut", data={"csrf_token": anonymous_token}).status_code == 403
    assert client.post("/logga-ut", data={"csrf_token": csrf_token(client, "/")},
                       follow_redirects=False).status_code == 303


def test_cookie_sessions_need_csrf_on_api_writes_but_api_keys_do_not(client: TestClient) -> None:
    key = add_user(client, "anna@mora.se", Role.DEVELOPER)
    sign_in_user(client, "anna@mora.se")
    assert client.post("/api/api-keys", json={"name": "x"}).status_code == 403
    assert client.post("/api/api-keys", json={"name": "x"}, headers={"x-csrf-token": csrf_token(client, "/")}
                       ).status_code == 201
    client.cookies.clear()
    assert client.post("/api/api-keys", json={"name": "y"}, headers=bearer(key)).status_code == 201


@pytest.fixture
def tight_limits(app: FastAPI) -> Iterator[RateLimits]:
    limits = RateLimits(
        search=SlidingWindowLimiter(3, 60.0),
        magic_link_per_client=SlidingWindowLimiter(5, 3600.0),
        magic_link_per_email=SlidingWindowLimiter(2, 3600.0),
    )
    app.dependency_overrides[get_rate_limits] = lambda: limits
    yield limits
    app.dependency_overrides.pop(get_rate_limits)


def test_public_search_is_rate_limited(client: TestClient, tight_limits: RateLimits) -> None:
    assert [client.get("/api/tenders").status_code for _ in range(3)] == [200] * 3
    refused = client.get("/api/tenders")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    page = client.get("/sok")
    assert page.status_code == 429 and "För många förfrågningar" in page.text


def test_magic_link_requests_are_rate_limited_per_address(client: TestClient, tight_limits: RateLimits) -> None:
    def ask(email: str) -> int:
        return client.post("/logga-in", data={"email": email, "csrf_token": csrf_token(client)}).status_code

    assert [ask("info@takab.se") for _ in range(3)] == [200, 200, 429]
    assert ask("kontakt@stadbolaget.se") == 200
    assert client.post("/api/auth/magic-link", json={"email": "kontakt@stadbolaget.se"}).status_code == 202
    assert client.post("/api/auth/magic-link", json={"email": "kontakt@stadbolaget.se"}).status_code == 429


@pytest.mark.parametrize(("asked", "lands"), [("/personal/kallor", "/personal/kallor"), (None, "/personal"),
                                              ("https://evil.example/x", "/personal"), ("//evil.example", "/personal")])
def test_staff_sign_in_returns_to_the_page_asked_for_and_never_off_site(client: TestClient, asked: str | None,
                                                                         lands: str) -> None:
    add_user(client, "bo@udd.se", Role.STAFF)
    form = "/personal/logga-in" + (f"?tillbaka={asked}" if asked else "")
    page = client.get(form)
    assert page.status_code == 200
    sent_back = asked if asked and asked.startswith("/") and not asked.startswith("//") else "/personal"
    assert f'name="tillbaka" value="{sent_back}"' in page.text
    data = {"email": "bo@udd.se", "password": PASSWORD, "csrf_token": csrf_token(client, form),
            "tillbaka": asked or "/personal"}
    signed_in = client.post("/personal/logga-in", data=data, follow_redirects=False)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == lands
