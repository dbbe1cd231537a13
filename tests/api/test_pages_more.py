"""Public pages (issue 14): an out-of-range search page shows the last page; the home page links UDD support."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_page_past_the_end_shows_the_last_page(client: TestClient) -> None:
    last = client.get("/sok?page=2")
    beyond = client.get("/sok?page=999")
    assert beyond.status_code == 200
    assert "Inga upphandlingar matchar" not in beyond.text
    assert beyond.text.count('class="tender-card') == last.text.count('class="tender-card') > 0


def test_the_home_page_support_section_links_and_names_a_contact(client: TestClient) -> None:
    page = client.get("/").text
    section = page[page.index('id="stod"'):]
    assert "Anbudsskola" in section and 'href="https://upphandlingsdialogdalarna.se/"' in section
    assert "mailto:" in section and "tel:" in section
