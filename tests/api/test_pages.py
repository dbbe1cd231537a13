"""The server-rendered pages: Swedish, lang="sv", landmarks, forms that work without JavaScript."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_start_page_is_swedish_with_landmarks(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="sv">' in html
    assert "Hitta offentliga upphandlingar i Dalarna" in html and "Senast publicerade" in html
    for landmark in ("<header", "<nav aria-label=\"Huvudmeny\"", "<main id=\"innehall\"", "<footer"):
        assert landmark in html
    assert 'href="#innehall">Hoppa till innehållet' in html
    count = int(re.search(r"innehåller just nu <strong>(\d+)</strong>", html).group(1))  # type: ignore[union-attr]
    assert count == client.get("/api/tenders").json()["count"]


def test_search_page_lists_results_and_facets_from_a_get_form(client: TestClient) -> None:
    api = client.get("/api/tenders", params={"form_type": "competition"}).json()
    page = client.get("/sok", params={"form_type": "competition"})
    assert page.status_code == 200
    html = page.text
    assert '<form method="get" action="/sok"' in html
    assert f"{api['count']} upphandlingar" in html
    assert html.count('class="tender-card"') == min(api["count"], 20)
    assert re.search(r'name="form_type" value="competition" checked', html)
    assert "<legend>Bransch (CPV)</legend>" in html and "<legend>Typ av annons</legend>" in html
    assert '/api/tenders.csv?form_type=competition' in html


def test_search_page_accepts_empty_form_fields(client: TestClient) -> None:
    # A GET form submits every field, empty ones as "": that means "no filter", never an error.
    page = client.get("/sok?q=&value_min=&value_max=&sort=relevance")
    assert page.status_code == 200 and "upphandlingar" in page.text


def test_search_page_pages_through_results(client: TestClient) -> None:
    total = client.get("/api/tenders").json()["count"]
    page = client.get("/sok", params={"page_size": 5, "page": 2})
    assert f"Sida 2 av {-(-total // 5)}" in page.text
    assert 'rel="prev"' in page.text and 'aria-current="page">2<' in page.text


def test_tender_page_shows_the_notice_in_swedish(client: TestClient) -> None:
    tender = client.get("/api/tenders", params={"form_type": "competition", "page_size": 1}).json()["data"][0]
    page = client.get(tender["url"])
    assert page.status_code == 200
    assert '<html lang="sv">' in page.text
    assert "Typ av annons" in page.text and "Upphandling – anbud kan lämnas" in page.text
    assert "Dokument och anbud" in page.text


def test_unknown_page_is_a_swedish_404(client: TestClient) -> None:
    for path in ("/finns-inte", "/upphandlingar/finns-inte"):
        page = client.get(path)
        assert page.status_code == 404
        assert "Sidan finns inte" in page.text or "Upphandlingen finns inte" in page.text
        assert '<html lang="sv">' in page.text


def test_pages_send_security_headers_and_a_csrf_cookie(client: TestClient) -> None:
    page = client.get("/logga-in")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("anbudsvakt_csrf=") and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()


def test_company_only_page_sends_anonymous_visitors_to_sign_in(client: TestClient) -> None:
    response = client.get("/api/companies/me")
    assert response.status_code == 401  # the API answers in JSON
    assert response.json() == {"detail": "Logga in först"}
