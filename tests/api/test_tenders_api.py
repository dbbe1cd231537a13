"""Search, detail and CSV export over HTTP, on the real SQLite index and store holding the example notices."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from api.export import csv_cell


def search(client: TestClient, **params: object) -> dict:
    response = client.get("/api/tenders", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_search_returns_data_count_and_labelled_facets(client: TestClient) -> None:
    body = search(client, page_size=5)
    assert body["count"] > 5 and len(body["data"]) == 5
    assert set(body["facets"]) == {"cpv_division", "municipality", "buyer", "form_type"}
    form_types = {f["value"]: f for f in body["facets"]["form_type"]}
    assert form_types["competition"]["label"] == "Upphandling – anbud kan lämnas"
    assert sum(f["count"] for f in body["facets"]["form_type"]) >= body["count"] - 2  # a few notices lack a form type
    first = body["data"][0]
    assert first["url"] == f"/upphandlingar/{first['tender_id']}"


def test_filter_by_facet_narrows_to_matching_tenders(client: TestClient) -> None:
    everything = search(client, page_size=100)
    division = everything["facets"]["cpv_division"][0]
    narrowed = search(client, cpv=division["value"], page_size=100)
    assert narrowed["count"] == division["count"] < everything["count"]
    assert all(division["value"] in t["cpv_divisions"] for t in narrowed["data"])


def test_filters_combine_with_and_and_values_with_or(client: TestClient) -> None:
    kinds = search(client, page_size=100)["facets"]["form_type"]
    first, second = kinds[0], kinds[1]
    both = search(client, form_type=[first["value"], second["value"]])
    assert both["count"] == first["count"] + second["count"]
    division = search(client, form_type=first["value"])["facets"]["cpv_division"][0]
    combined = search(client, form_type=first["value"], cpv=division["value"], page_size=100)
    assert combined["count"] == division["count"]
    assert all(t["form_type"] == first["value"] for t in combined["data"])


def test_text_search_finds_a_title_word(client: TestClient) -> None:
    everything = search(client, page_size=100)["data"]
    titled = next(t for t in everything if len(t["title"].split()) >= 2 and t["title"] != "Procedure Name")
    word = max(titled["title"].split(), key=len).strip(".,:;()")
    found = search(client, q=word, page_size=100)
    assert titled["tender_id"] in [t["tender_id"] for t in found["data"]]
    assert found["count"] < len(everything)


def test_pages_do_not_overlap_and_cover_the_count(client: TestClient) -> None:
    count = search(client)["count"]
    seen: list[str] = []
    for page in range(1, count // 4 + 2):
        seen += [t["tender_id"] for t in search(client, page=page, page_size=4, sort="published")["data"]]
    assert len(seen) == len(set(seen)) == count


def test_sort_by_published_is_newest_first(client: TestClient) -> None:
    dates = [t["published"] for t in search(client, sort="published", page_size=100)["data"] if t["published"]]
    assert len(dates) > 3 and dates == sorted(dates, reverse=True)


def test_invalid_parameters_are_422_not_500(client: TestClient) -> None:
    assert client.get("/api/tenders", params={"page": 0}).status_code == 422
    assert client.get("/api/tenders", params={"sort": "random"}).status_code == 422
    assert client.get("/api/tenders", params={"page_size": 1000}).status_code == 422


def test_detail_has_the_notice_and_history(client: TestClient) -> None:
    tender = search(client, page_size=1)["data"][0]
    detail = client.get(f"/api/tenders/{tender['tender_id']}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["title"] == tender["title"]
    assert body["notice"]["notice_id"] == tender["notice_id"]
    assert [v["version"] for v in body["history"]][-1] == tender["version"]


def test_unknown_tender_is_404_in_json(client: TestClient) -> None:
    response = client.get("/api/tenders/finns-inte")
    assert response.status_code == 404
    assert response.json() == {"detail": "Upphandlingen finns inte"}


def test_csv_export_has_every_row_of_the_search(client: TestClient) -> None:
    division = search(client)["facets"]["cpv_division"][0]
    response = client.get("/api/tenders.csv", params={"cpv": division["value"]})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:2] == ["Upphandlings-ID", "Rubrik"]
    assert len(rows) - 1 == division["count"]
    ids = {t["tender_id"] for t in search(client, cpv=division["value"], page_size=100)["data"]}
    assert {row[0] for row in rows[1:]} == ids


def test_csv_cells_cannot_start_a_formula() -> None:
    assert csv_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert csv_cell("-1+1") == "'-1+1"
    assert csv_cell("Takarbeten") == "Takarbeten"
    assert csv_cell(True) == "ja" and csv_cell(None) == "" and csv_cell(["a", "b"]) == "a, b"


def test_openapi_documents_search_with_examples(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/tenders" in schema["paths"] and "/api/tenders/{tender_id}" in schema["paths"]
    assert schema["components"]["schemas"]["TendersPublic"]["examples"][0]["count"] == 1
