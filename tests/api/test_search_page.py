"""The search page and the search API (issue 14): OR/ELLER and words without å/ä/ö find notices; a field that cannot be
read is answered with the visitor's input kept in the form and a Swedish message beside the field (422), the rest of
the search still made; the API answers the same searches and a 422 JSON error naming the parameter."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from lxml import html

from api.search_form import AMOUNTS_CROSSED, OTHER_ERROR, QUERY_TOO_LONG, read_date
from tenders.index import open_index
from tenders.index.base import IndexDocument
from tenders.settings import Settings
from tests.api.company_fixtures import register
from tests.api.test_companies import sign_in
from tests.api.test_saved_searches import save_from_search_page

WINTER = IndexDocument(tender_id="t-winter", notice_id="t-winter", version="1", title="Snöröjning i Orsa",
                       buyer_names=["Orsa kommun"], form_type="competition",
                       deadline=datetime(2030, 1, 20, 12, tzinfo=UTC), value_sek=900_000)
CLEANING = IndexDocument(tender_id="t-cleaning", notice_id="t-cleaning", version="1", title="Städning av skolor",
                         buyer_names=["Orsa kommun"], form_type="competition",
                         deadline=datetime(2030, 3, 1, 12, tzinfo=UTC), value_sek=4_000_000)


@pytest.fixture
def swedish(settings: Settings) -> Settings:
    index = open_index(settings)
    try:
        index.index([WINTER, CLEANING])
    finally:
        index.close()
    return settings


def hits(page_html: str) -> list[str]:
    return html.fromstring(page_html).xpath("//article[contains(@class,'tender-card')]//a/text()")


def field(page_html: str, name: str) -> html.HtmlElement:
    found = html.fromstring(page_html).xpath(f"//*[@id='{name}']")
    assert found, name
    return found[0]


def assert_field_error(page_html: str, name: str, message: str) -> None:
    """The message beside the field, tied to it for screen readers, and linked from the summary at the top."""
    element = field(page_html, name)
    assert element.get("aria-invalid") == "true"
    assert f"{name}-fel" in (element.get("aria-describedby") or "").split()
    assert field(page_html, f"{name}-fel").text_content().strip() == message
    summary = html.fromstring(page_html).xpath("//div[contains(@class,'error-summary')]//a")
    assert [a.get("href") for a in summary if a.text_content().strip() == message] == [f"#{name}"]


@pytest.mark.parametrize("query", ["snöröjning OR städning", "snöröjning eller städning", "SNÖRÖJNING Eller städning"])
def test_or_and_eller_find_either(client: TestClient, swedish: Settings, query: str) -> None:
    page = client.get("/sok", params={"q": query})
    assert page.status_code == 200
    assert set(hits(page.text)) == {"Snöröjning i Orsa", "Städning av skolor"}


@pytest.mark.parametrize("query", ["snorojning", "stadning", "SNOROJNING orsa"])
def test_words_without_a_ring_or_dots_find_the_notice(client: TestClient, swedish: Settings, query: str) -> None:
    assert len(hits(client.get("/sok", params={"q": query}).text)) == 1


@pytest.mark.parametrize("query", ["OR", "OR OR", '"', "tak)(* NEAR", "a" * 500, "eller " * 80])
def test_odd_searches_answer_a_page(client: TestClient, swedish: Settings, query: str) -> None:
    page = client.get("/sok", params={"q": query})
    assert page.status_code == 200, page.text[:300]
    assert field(page.text, "q").get("value") == query


def test_a_search_over_500_characters_is_kept_and_explained(client: TestClient, swedish: Settings) -> None:
    query = "snöröjning " + "x" * 600
    page = client.get("/sok", params={"q": query, "municipality": "2080"})
    assert page.status_code == 422
    assert field(page.text, "q").get("value") == query  # the whole text, for the visitor to shorten
    assert_field_error(page.text, "q", QUERY_TOO_LONG.format(length="611", limit=500))
    assert 'name="municipality" value="2080" checked' in page.text  # the filter is kept


@pytest.mark.parametrize(("name", "value"), [("value_min", "abc"), ("value_max", "xyz"), ("value_min", "1e309"),
                                             ("value_max", "nan")])
def test_an_unreadable_amount_is_kept_with_a_message_and_the_rest_searched(client: TestClient, swedish: Settings,
                                                                            name: str, value: str) -> None:
    page = client.get("/sok", params={"q": "städning", "open_now": "true", name: value})
    assert page.status_code == 422
    assert field(page.text, name).get("value") == value
    message = field(page.text, f"{name}-fel").text_content().strip()
    assert message.startswith(("Skriv beloppet", "Beloppet")) and ("”från”" in message) == (name == "value_min")
    assert_field_error(page.text, name, message)
    assert field(page.text, "q").get("value") == "städning"
    assert field(page.text, "open_now").get("checked") is not None
    assert hits(page.text) == ["Städning av skolor"]  # searched without the amount


def test_amounts_written_the_swedish_way(client: TestClient, swedish: Settings) -> None:
    asked = {"q": "orsa", "value_min": "1 500 000 kr", "value_max": "4\u00a0000\u00a0000,00",
             "deadline_after": "2030-2-1"}
    moved = client.get("/sok", params=asked, follow_redirects=False)
    assert moved.status_code == 303  # to the same search written plainly, as the API, the CSV and saving read it
    assert moved.headers["location"] == "/sok?q=orsa&value_min=1500000&value_max=4000000&deadline_after=2030-02-01"
    page = client.get(moved.headers["location"])
    assert page.status_code == 200 and hits(page.text) == ["Städning av skolor"]
    assert "aria-invalid" not in page.text
    assert client.get(csv_link(page.text)).status_code == 200


def csv_link(page_html: str) -> str:
    links = html.fromstring(page_html).xpath("//a[contains(@href,'/api/tenders.csv')]/@href")
    assert len(links) == 1
    return str(links[0])


def test_the_export_links_of_a_page_with_errors_leave_the_unreadable_fields_out(client: TestClient,
                                                                                 swedish: Settings) -> None:
    page = client.get("/sok", params={"q": "orsa", "value_min": "abc", "deadline_after": "i morgon", "sort": "x"})
    assert page.status_code == 422
    link = csv_link(page.text)
    assert link == "/api/tenders.csv?q=orsa"
    export = client.get(link)
    assert export.status_code == 200 and export.text.count("Orsa kommun") == 2


def test_crossed_amounts_are_named(client: TestClient, swedish: Settings) -> None:
    page = client.get("/sok", params={"q": "orsa", "value_min": "5000000", "value_max": "1000"})
    assert page.status_code == 422
    assert_field_error(page.text, "value_max", AMOUNTS_CROSSED)
    assert hits(page.text) == []  # from 5 000 000, no upper bound: neither notice


def test_deadline_after_filters_and_a_bad_date_is_explained(client: TestClient, swedish: Settings) -> None:
    page = client.get("/sok", params={"q": "orsa", "deadline_after": "2030-02-01"})
    assert page.status_code == 200 and hits(page.text) == ["Städning av skolor"]
    bad = client.get("/sok", params={"q": "orsa", "deadline_after": "2030-13-45"})
    assert bad.status_code == 422
    assert_field_error(bad.text, "deadline_after", field(bad.text, "deadline_after-fel").text_content().strip())
    assert "”2030-13-45”" in field(bad.text, "deadline_after-fel").text_content()
    assert set(hits(bad.text)) == {"Snöröjning i Orsa", "Städning av skolor"}


@pytest.mark.parametrize("typed", ["2030-02-01", "2030-2-1", "2030/02/01", "20300201", " 2030.02.01 "])
def test_dates_as_people_type_them(typed: str) -> None:
    assert read_date(typed) == (datetime(2030, 2, 1).date(), None)


@pytest.mark.parametrize("page_number", ["abc", "0", "-3", "99999999"])
def test_an_odd_page_number_shows_a_page(client: TestClient, page_number: str) -> None:
    moved = client.get(f"/sok?q=&page={page_number}", follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] in ("/sok?q=&page=1", "/sok?q=&page=10000")
    page = client.get(moved.headers["location"])
    assert page.status_code == 200
    assert hits(page.text)


def test_other_unreadable_parameters_are_left_out_with_one_line(client: TestClient, swedish: Settings) -> None:
    page = client.get("/sok", params={"q": "orsa", "sort": "sideways"})
    assert page.status_code == 422
    assert OTHER_ERROR in page.text and len(hits(page.text)) == 2


def test_the_form_has_no_error_marks_when_all_is_well(client: TestClient, swedish: Settings) -> None:
    page = client.get("/sok", params={"q": "orsa", "value_min": "0"})
    assert page.status_code == 200
    assert "aria-invalid" not in page.text and "error-summary" not in page.text


# -- the API ---------------------------------------------------------------------------------------------------


def test_the_api_searches_the_same_way(client: TestClient, swedish: Settings) -> None:
    def titles(query: str) -> set[str]:
        response = client.get("/api/tenders", params={"q": query})
        assert response.status_code == 200
        return {t["title"] for t in response.json()["data"]}

    assert titles("snöröjning ELLER städning") == {"Snöröjning i Orsa", "Städning av skolor"}
    assert titles("snorojning") == {"Snöröjning i Orsa"}
    assert titles('"av skolor"') == {"Städning av skolor"}
    deadline = client.get("/api/tenders", params={"q": "orsa", "deadline_after": "2030-02-01"}).json()
    assert [t["title"] for t in deadline["data"]] == ["Städning av skolor"]


@pytest.mark.parametrize(("query", "parameter"), [
    ({"value_min": "abc"}, "value_min"), ({"deadline_after": "2030-13-45"}, "deadline_after"),
    ({"q": "x" * 501}, "q"), ({"page": "0"}, "page"), ({"sort": "sideways"}, "sort"),
])
def test_the_api_names_a_bad_parameter_in_a_422(client: TestClient, query: dict[str, str], parameter: str) -> None:
    response = client.get("/api/tenders", params=query)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/json")
    assert [error["loc"] for error in response.json()["detail"]] == [["query", parameter]]


def test_the_search_hint_names_eller(client: TestClient) -> None:
    hint = field(client.get("/sok").text, "q-tips").text_content()
    assert re.search(r"\beller\b", hint) and "citattecken" in hint
    assert "q-tips" in field(client.get("/sok").text, "q").get("aria-describedby")



def test_a_company_saves_a_search_written_the_swedish_way_and_is_not_offered_a_broken_one(
        company_client: TestClient, company_settings: Settings) -> None:
    company_id = register(company_client, 41)
    sign_in(company_client, company_id, "info41@tak41.se")
    save_from_search_page(company_client, "q=tak+eller+städ&value_min=1+000+kr", "Tak eller städ")
    saved = company_client.get(f"/api/companies/{company_id}/saved-searches").json()["data"]
    assert [s["query"] for s in saved] == ["q=tak+eller+st%C3%A4d&value_min=1000"]
    broken = company_client.get("/sok?q=tak&value_min=abc")
    assert broken.status_code == 422 and "Spara sökningen" not in broken.text
