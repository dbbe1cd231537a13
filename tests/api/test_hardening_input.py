"""Issue 13, input validation at the edge: non-finite and absurd amounts are 422 in the API and a message on the
search page (which keeps the rest of the search); control characters are refused in company names and never
reach the XML feeds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from api.feeds import match_feed
from api.schemas.tenders import MAX_VALUE_SEK
from api.search_form import AMOUNT_OUT_OF_RANGE, AMOUNT_UNREADABLE
from profiles.model import CompanyProfile
from tenders.formatting import number
from tests.api.company_fixtures import orgnr, registration


@pytest.mark.parametrize("query", ["value_min=inf", "value_max=1e309", "value_min=nan", "value_max=-inf",
                                   "value_max=1e14", "value_min=-1"])
def test_the_api_refuses_non_finite_and_out_of_range_amounts(client: TestClient, query: str) -> None:
    response = client.get(f"/api/tenders?{query}")
    assert response.status_code == 422, response.text
    assert client.get(f"/api/tenders.csv?{query}").status_code == 422


def test_the_api_still_takes_a_real_amount(client: TestClient) -> None:
    assert client.get("/api/tenders?value_min=0&value_max=5000000").status_code == 200


@pytest.mark.parametrize("query", ["value_min=inf", "value_max=1e309", "value_min=nan", "value_max=abc"])
def test_the_search_page_keeps_the_search_and_says_what_it_could_not_read(client: TestClient, query: str) -> None:
    page = client.get(f"/sok?q=skola&municipality=2080&open_now=true&{query}")
    assert page.status_code == 422, page.text[:500]  # the page, without the amount (tests/api/test_search_page.py)
    bound = "från" if "value_min" in query else "till"
    assert (AMOUNT_UNREADABLE.format(bound=bound) in page.text
            or AMOUNT_OUT_OF_RANGE.format(bound=bound, limit=number(MAX_VALUE_SEK)) in page.text)
    assert 'value="skola"' in page.text  # the words and filters chosen are still there
    assert 'name="open_now" value="true" checked' in page.text


@pytest.mark.parametrize("name", ["Tak\x0bservice AB", "Tak\x00AB", "Rad\nbrytning AB", "C1\x85 AB"])
def test_a_company_name_with_a_control_character_is_refused(company_client: TestClient, name: str) -> None:
    response = company_client.post("/api/companies", json=registration(81, name=name))
    assert response.status_code == 422, response.text
    assert "styrtecken" in response.text


def test_a_stored_name_with_a_control_character_loads_without_it() -> None:
    # Profiles saved before names were checked must still load (and feed) after the change.
    profile = CompanyProfile(orgnr=orgnr(82), name="Tak\x0bservice\x1f AB")
    assert profile.name == "Takservice AB"


def test_feeds_strip_what_xml_cannot_carry() -> None:
    feed = match_feed("Tak\x0bservice\x00 AB\ufffe", [], "http://testserver", "http://testserver/api/feeds/x/atom.xml",
                      datetime(2026, 8, 1, tzinfo=UTC))
    for xml in (feed.atom_str(), feed.rss_str()):
        title = etree.fromstring(xml).findtext(".//{*}title")
        assert title == "Anbudsvakt: annonser för Takservice AB"
