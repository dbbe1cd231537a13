"""Saved searches: a signed-in company saves the search it is looking at on /sok, the list shows it with its own
secret Atom feed, the feed (fetched over real HTTP from a loopback server, as a feed reader would) holds the
search's notices, another company cannot see or delete it, and a deleted search's feed answers 404."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

import httpx
from fastapi.testclient import TestClient

from api.app import create_app
from api.saved_search_feed import clean_query, saved_search_token, search_id_for_token
from api.security.feed_tokens import feed_token
from tenders.settings import Settings
from tests.api.company_fixtures import register
from tests.api.conftest import TEST_SECRET, csrf_token, free_loopback_port, serving
from tests.api.test_companies import sign_in

ATOM = "{http://www.w3.org/2005/Atom}"


def save_from_search_page(client: TestClient, query: str, name: str) -> None:
    page = client.get(f"/sok?{query}")
    assert page.status_code == 200 and "Spara sökningen" in page.text
    form_query = re.search(r'name="query" value="([^"]*)"', page.text)
    assert form_query is not None
    response = client.post("/sparade-sokningar", data={"namn": name, "query": form_query.group(1).replace("&amp;", "&"),
                                                       "i_sammanstallning": "ja",
                                                       "csrf_token": csrf_token(client, f"/sok?{query}")},
                           follow_redirects=False)
    assert response.status_code == 303, response.text


def test_save_list_feed_and_delete(company_client: TestClient, company_settings: Settings) -> None:
    company_id = register(company_client, 40)
    headers = sign_in(company_client, company_id, "info40@tak40.se")
    save_from_search_page(company_client, "q=tak&page=2", "Tak")
    listed = company_client.get(f"/api/companies/{company_id}/saved-searches").json()
    assert listed["count"] == 1
    saved = listed["data"][0]
    assert saved["name"] == "Tak" and saved["query"] == "q=tak" and saved["in_digest"] is True
    page = company_client.get("/sparade-sokningar")
    assert "Sparade sökningar" in page.text and saved["feed_url"] in page.text

    feed_path = urlparse(saved["feed_url"]).path
    port = free_loopback_port()  # a feed reader: plain HTTP to a real server, no session
    with serving(create_app(company_settings), port) as url, httpx.Client(base_url=url) as reader:
        atom = reader.get(feed_path)
    assert atom.status_code == 200 and atom.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(atom.content)
    assert root.findtext(f"{ATOM}title") == "Anbudsvakt: Tak"
    titles = [e.findtext(f"{ATOM}title") or "" for e in root.findall(f"{ATOM}entry")]
    assert titles and any("Tak" in t or "tak" in t for t in titles)

    gone = company_client.delete(f"/api/companies/{company_id}/saved-searches/{saved['id']}", headers=headers)
    assert gone.status_code == 204
    company_client.cookies.clear()
    assert company_client.get(feed_path).status_code == 404


def test_the_digest_flag_is_switched_on_the_page_and_over_the_api(company_client: TestClient) -> None:
    company_id = register(company_client, 43)
    headers = sign_in(company_client, company_id, "info43@tak43.se")
    created = company_client.post(f"/api/companies/{company_id}/saved-searches", headers=headers,
                                  json={"name": "Städ", "query": "q=städning"}).json()
    assert created["in_digest"] is False
    page = company_client.get("/sparade-sokningar")
    assert "kommer inte med i den dagliga sammanställningen" in page.text
    switched = company_client.post("/sparade-sokningar/sammanstallning", follow_redirects=False, data={
        "search_id": created["id"], "i_sammanstallning": "ja", "csrf_token": csrf_token(company_client, "/")})
    assert switched.status_code == 303
    assert "Från era sparade sökningar" in company_client.get("/sparade-sokningar").text
    path = f"/api/companies/{company_id}/saved-searches/{created['id']}"
    assert company_client.patch(path, json={"in_digest": False}, headers=headers).json()["in_digest"] is False
    other = register(company_client, 44)
    other_headers = sign_in(company_client, other, "info44@tak44.se")
    assert company_client.patch(path, json={"in_digest": True}, headers=other_headers).status_code == 404


def test_another_company_cannot_list_or_delete(company_client: TestClient) -> None:
    owner = register(company_client, 41)
    other = register(company_client, 42)
    headers = sign_in(company_client, owner, "info41@tak41.se")
    created = company_client.post(f"/api/companies/{owner}/saved-searches", headers=headers,
                                  json={"name": "IT", "query": "cpv=48"})
    assert created.status_code == 201, created.text
    other_headers = sign_in(company_client, other, "info42@tak42.se")
    assert company_client.get(f"/api/companies/{owner}/saved-searches").status_code == 404
    deleted = company_client.delete(f"/api/companies/{other}/saved-searches/{created.json()['id']}",
                                    headers=other_headers)
    assert deleted.status_code == 404
    assert company_client.get(urlparse(created.json()["feed_url"]).path).status_code == 200


def test_tokens_do_not_cross_between_company_and_search_feeds() -> None:
    token = saved_search_token(TEST_SECRET, 7)
    assert search_id_for_token(TEST_SECRET, token) == 7
    assert search_id_for_token(TEST_SECRET, feed_token(TEST_SECRET, "abc123")) is None
    assert search_id_for_token(TEST_SECRET, token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_only_search_filters_are_kept() -> None:
    assert clean_query("q=tak&page=3&sort=deadline&evil=1&cpv=45&cpv=48") == "q=tak&cpv=45&cpv=48"
    assert clean_query("value_min=inf") is None

