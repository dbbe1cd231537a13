"""Company A tries company B's ids, tender actions, unsubscribe and feed tokens: every attempt fails, and B's data
is unchanged afterwards. Users (developers, staff) are not companies and get no company data either."""

from __future__ import annotations

import base64
import json

from fastapi.testclient import TestClient

from api.security.accounts import Role
from api.security.feed_tokens import feed_token
from profiles.repository import ProfileRepository
from tests.api.company_fixtures import register
from tests.api.conftest import TEST_SECRET
from tests.api.test_authorization import add_user, bearer
from tests.api.test_companies import sign_in


def repository(client: TestClient) -> ProfileRepository:
    return client.app.state.resources.profiles  # type: ignore[attr-defined]


def test_company_a_cannot_read_or_change_company_b(company_client: TestClient) -> None:
    a = register(company_client, 40)
    b = register(company_client, 41)
    b_before = repository(company_client).get(b)
    headers = sign_in(company_client, a, "info40@tak40.se")
    for path in ("", "/matches", "/follows", "/feeds", "/export"):
        assert company_client.get(f"/api/companies/{b}{path}").status_code == 404, path
        assert company_client.get(f"/api/companies/{a}{path}").status_code == 200, path
    writes = [
        ("PATCH", f"/api/companies/{b}", {"json": {"name": "Kapad AB"}}),
        ("DELETE", f"/api/companies/{b}", {}),
        ("PUT", f"/api/companies/{b}/follows/dal-tak-mora", {}),
        ("DELETE", f"/api/companies/{b}/follows/dal-tak-mora", {}),
        ("PUT", f"/api/companies/{b}/feedback/dal-tak-mora", {"json": {"relevant": False}}),
    ]
    for method, path, extra in writes:
        assert company_client.request(method, path, headers=headers, **extra).status_code == 404, (method, path)  # type: ignore[arg-type]
    assert repository(company_client).get(b) == b_before
    assert repository(company_client).feedback(b) == {}
    assert [f for f in repository(company_client).follows() if f[0] == b] == []


def test_ids_that_look_like_b_do_not_work(company_client: TestClient) -> None:
    a = register(company_client, 42)
    sign_in(company_client, a, "info42@tak42.se")
    for other in (a.upper(), f"{a} ", f"{a}%00", a[:-1], "..", "me%2F..", "*"):
        assert company_client.get(f"/api/companies/{other}").status_code == 404, other


def test_a_feed_token_of_a_opens_only_a(company_client: TestClient) -> None:
    a = register(company_client, 43)
    b = register(company_client, 44)
    mac_of_a = feed_token(TEST_SECRET, a).rpartition(".")[2]
    assert company_client.get(f"/api/feeds/{b}.{mac_of_a}/atom.xml").status_code == 404
    assert company_client.get(f"/api/feeds/{feed_token(TEST_SECRET, a)}/atom.xml").status_code == 200
    repository(company_client).delete(a)
    assert company_client.get(f"/api/feeds/{feed_token(TEST_SECRET, a)}/atom.xml").status_code == 404  # erased


def test_an_unsubscribe_token_ends_only_its_own_channel(company_client: TestClient) -> None:
    a = register(company_client, 45)
    b = register(company_client, 46)
    token_a = repository(company_client).unsubscribe_token(a, "email")
    signature = token_a.rpartition(".")[2]
    payload = base64.urlsafe_b64encode(json.dumps({"c": b, "ch": "email"}).encode()).decode().rstrip("=")
    tampered = f"{payload}.{signature}"  # B's id under A's signature
    assert company_client.post(f"/avregistrera/{tampered}").status_code == 404
    assert company_client.post(f"/avregistrera/{token_a}").status_code == 200
    assert repository(company_client).channels(a) == []
    assert len(repository(company_client).channels(b)) == 1


def test_the_pages_act_only_on_the_signed_in_company(company_client: TestClient) -> None:
    a = register(company_client, 47)
    b = register(company_client, 48)
    sign_in(company_client, b, "info48@tak48.se")
    page = company_client.get("/mina-uppgifter")
    assert "Takföretaget 48 AB" in page.text and "Takföretaget 47 AB" not in page.text
    exported = company_client.get("/mina-uppgifter/export.json").json()
    assert exported["id"] == b
    # The page forms carry no company id at all: there is nothing to swap for A's.
    assert a not in company_client.get("/mina-bevakningar").text


def test_users_and_anonymous_visitors_get_no_company_data(company_client: TestClient) -> None:
    a = register(company_client, 49)
    key = add_user(company_client, "utvecklare@mora.se", Role.STAFF)
    assert company_client.get(f"/api/companies/{a}", headers=bearer(key)).status_code == 403
    assert company_client.get(f"/api/companies/{a}/matches", headers=bearer(key)).status_code == 403
    assert company_client.get(f"/api/companies/{a}/export").status_code == 401
    anonymous = company_client.get("/mina-bevakningar", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/logga-in")
