"""Liveness and readiness: readiness reports a failing index instead of pretending all is well."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from tenders.settings import PLACEHOLDER_SECRET, Settings


def test_health_is_ok(client: TestClient) -> None:
    assert client.get("/api/health").json() == {"status": "ok"}


def test_ready_counts_store_and_index(client: TestClient) -> None:
    response = client.get("/api/ready")
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"] == {"store": "ok", "index": "ok", "auth": "ok"}
    assert body["tenders"] == body["indexed"] > 10


def test_ready_is_503_when_the_index_is_gone(client: TestClient) -> None:
    app_resources = client.app.state.resources  # type: ignore[attr-defined]
    app_resources.index.close()  # a real failure: the index's connection is closed
    response = client.get("/api/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["index"].startswith("fel:")
    assert response.json()["checks"]["store"] == "ok"


@pytest.mark.parametrize("environment", ["production", "test"])
@pytest.mark.parametrize("secret", ["", PLACEHOLDER_SECRET, "x", "a-real-but-short-secret-31-byte"])
def test_settings_refuse_a_missing_placeholder_or_short_secret_outside_development(secret: str,
                                                                                   environment: str) -> None:
    with pytest.raises(ValidationError, match="ANBUDSVAKT_SECRET_KEY"):
        Settings(environment=environment, secret_key=secret)


def test_settings_accept_a_real_secret_in_production_and_the_placeholder_in_development() -> None:
    real = "a-real-long-random-secret-of-32-bytes"
    assert Settings(environment="production", secret_key=real).environment == "production"
    assert Settings(environment="development").secret_key.get_secret_value() == PLACEHOLDER_SECRET
