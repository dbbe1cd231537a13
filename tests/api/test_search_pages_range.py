"""/sok?page=999 (issue 14, finding 10): an out-of-range page shows the last page's hits, not an empty page."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_page_past_the_end_shows_the_last_page(client: TestClient) -> None:
    last = client.get("/sok?page=2")
    beyond = client.get("/sok?page=999")
    assert beyond.status_code == 200
    assert "Inga upphandlingar matchar" not in beyond.text
    assert beyond.text.count('class="tender-card') == last.text.count('class="tender-card') > 0
