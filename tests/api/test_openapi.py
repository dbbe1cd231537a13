"""The OpenAPI document: it validates (openapi-spec-validator), its operation ids are stable and readable, every
operation has a Swedish summary, feeds have their own tag, and the API key and CSRF header are security schemes on
the protected operations, so /docs offers "Authorize"."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from api.openapi import SUMMARIES


@pytest.fixture
def schema(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def operations(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {op["operationId"]: {**op, "path": path, "method": method}
            for path, methods in schema["paths"].items() for method, op in methods.items()}


def test_the_document_validates(schema: dict[str, Any]) -> None:
    validate(schema)


def test_operation_ids_are_tag_and_name(schema: dict[str, Any]) -> None:
    ops = operations(schema)
    assert len(ops) == sum(len(methods) for methods in schema["paths"].values())  # unique
    assert ops["companies-give-feedback"]["path"] == "/api/companies/{company_id}/feedback/{tender_id}"
    assert ops["tenders-search"]["path"] == "/api/tenders"
    for operation_id, op in ops.items():
        assert operation_id.startswith(op["tags"][0] + "-"), operation_id


def test_every_operation_has_a_swedish_summary(schema: dict[str, Any]) -> None:
    missing = set(operations(schema)) - set(SUMMARIES)
    assert not missing, f"no Swedish summary in api/openapi.py SUMMARIES for {sorted(missing)}"
    for operation_id, op in operations(schema).items():
        assert op["summary"] == SUMMARIES[operation_id][0]


def test_feeds_have_their_own_tag(schema: dict[str, Any]) -> None:
    feed_ops = [op for op in operations(schema).values() if op["path"].startswith("/api/feeds/")]
    assert feed_ops and all(op["tags"] == ["feeds"] for op in feed_ops)
    assert "feeds" in {tag["name"] for tag in schema["tags"]}


def test_api_key_and_csrf_header_are_security_schemes(schema: dict[str, Any]) -> None:
    schemes = schema["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {**schemes["ApiKey"], "type": "http", "scheme": "bearer"}
    assert schemes["CsrfToken"] == {**schemes["CsrfToken"], "type": "apiKey", "in": "header", "name": "x-csrf-token"}
    ops = operations(schema)
    assert ops["accounts-get-api-keys"]["security"] == [{"ApiKey": []}, {"Session": []}]
    assert ops["accounts-add-api-key"]["security"] == [{"ApiKey": []}, {"Session": [], "CsrfToken": []}]
    assert ops["companies-give-feedback"]["security"] == [{"ApiKey": []}, {"Session": [], "CsrfToken": []}]
    assert "security" not in ops["tenders-search"] and "security" not in ops["feeds-match-feed-xml"]


def test_examples_fit_their_schemas(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    with_examples = {name: s for name, s in components.items() if s.get("examples")}
    assert {"TenderPublic", "CompanyCreate"} <= set(with_examples)
    for name, component in with_examples.items():
        resolvable = {**component, "components": schema["components"]}
        validator = jsonschema.Draft202012Validator(resolvable)
        for example in component["examples"]:
            errors = [e.message for e in validator.iter_errors(example)]
            assert not errors, f"{name}: {errors}"


def test_a_wrong_api_key_still_answers_401_and_a_right_one_is_not_asked_for_csrf(client: TestClient) -> None:
    wrong = client.get("/api/users/me", headers={"Authorization": "Bearer not-a-key"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    basic = client.get("/api/users/me", headers={"Authorization": "Basic dXNlcjpwdw=="})
    assert basic.status_code == 401  # not silently anonymous


def test_docs_page_loads_swagger_ui_which_offers_authorize(client: TestClient, schema: dict[str, Any]) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and 'id="swagger-ui"' in page.text
    assert "swagger-ui-bundle.js" in page.text
    # Swagger UI shows its Authorize button exactly when the document has security schemes.
    assert schema["components"]["securitySchemes"]
