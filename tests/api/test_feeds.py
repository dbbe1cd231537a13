"""Atom, RSS and iCalendar feeds at secret addresses: they parse, hold the company's matches and deadlines, and
any other token answers 404."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlparse

from fastapi.testclient import TestClient
from icalendar import Calendar

from api.security.feed_tokens import company_for_feed_token, feed_token
from tests.api.company_fixtures import register
from tests.api.conftest import TEST_SECRET
from tests.api.test_companies import sign_in

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_paths(client: TestClient, company_id: str) -> dict[str, str]:
    urls = client.get(f"/api/companies/{company_id}/feeds").json()
    return {kind: urlparse(url).path for kind, url in urls.items()}


def test_atom_and_rss_list_the_matches(company_client: TestClient) -> None:
    company_id = register(company_client, 20, interests={"cpv": ["4526"]})
    sign_in(company_client, company_id, "info20@tak20.se")
    paths = feed_paths(company_client, company_id)
    company_client.cookies.clear()  # a feed reader has no session
    atom = company_client.get(paths["atom"])
    assert atom.status_code == 200 and atom.headers["content-type"].startswith("application/atom+xml")
    entries = ET.fromstring(atom.content).findall(f"{ATOM}entry")
    titles = {e.findtext(f"{ATOM}title") for e in entries}
    assert titles == {"Takarbeten på Mora gymnasium", "Takläggning och plåtarbeten, Falu kommuns förskolor"}
    assert "ingår i era intressen" in (entries[0].findtext(f"{ATOM}summary") or "")
    rss = ET.fromstring(company_client.get(paths["rss"]).content)
    assert len(rss.findall("./channel/item")) == 2
    assert rss.findtext("./channel/language") == "sv"


def test_ical_holds_deadlines_of_matched_and_followed_tenders(company_client: TestClient) -> None:
    company_id = register(company_client, 21, interests={"cpv": ["4526"]})
    headers = sign_in(company_client, company_id, "info21@tak21.se")
    company_client.put(f"/api/companies/{company_id}/follows/dal-it-mora", headers=headers)
    path = feed_paths(company_client, company_id)["ical"]
    company_client.cookies.clear()
    response = company_client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    uids = sorted(str(e["uid"]) for e in events)
    assert uids == ["dal-it-mora@anbudsvakt", "dal-tak-falun@anbudsvakt", "dal-tak-mora@anbudsvakt"]
    assert all(str(e["summary"]).startswith("Sista anbudsdag: ") for e in events)
    assert all(e.walk("VALARM") for e in events)


def test_wrong_and_other_tokens_answer_404(company_client: TestClient) -> None:
    first = register(company_client, 22)
    second = register(company_client, 23)
    token = feed_token(TEST_SECRET, first)
    assert company_for_feed_token(TEST_SECRET, token) == first
    forged = [
        f"{second}.{token.rpartition('.')[2]}",  # B's id with A's MAC
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # one character off
        feed_token("another-secret-key", first),  # signed with another key
        first, f"{first}.", "..", "x" * 40,
    ]
    for bad in forged:
        for name in ("atom.xml", "rss.xml", "sista-anbudsdagar.ics"):
            assert company_client.get(f"/api/feeds/{bad}/{name}").status_code == 404, (bad, name)
    assert company_client.get(f"/api/feeds/{token}/annat.xml").status_code == 404
    assert company_client.get(f"/api/feeds/{token}/atom.xml").status_code == 200
