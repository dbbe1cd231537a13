"""Fixtures for the web app: a real store and index holding the repository's example notices, the app, clients."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_companies
from tenders.index import open_index
from tenders.ingest import ingest
from tenders.parse import parse_notice
from tenders.settings import Settings
from tenders.store import TenderStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EXAMPLE_NOTICES = sorted([*(FIXTURES / "eforms").glob("*.xml"), *(FIXTURES / "ted" / "eforms-converted").glob("*.xml")])
TEST_SECRET = "test-secret-key-for-anbudsvakt-tests-only"


@dataclass
class RegisteredCompanies:
    """Companies known to the sign-in, until profiles/ provides them: e-mail → company id."""

    by_email: dict[str, str] = field(default_factory=dict)

    def company_id_for_email(self, email: str) -> str | None:
        return self.by_email.get(email.casefold())

    def company_exists(self, company_id: str) -> bool:
        return company_id in self.by_email.values()


def load_examples(settings: Settings) -> int:
    store, index = TenderStore.from_settings(settings), open_index(settings)
    try:
        for path in EXAMPLE_NOTICES:
            raw = path.read_bytes()
            ingest(parse_notice(raw, source="file"), raw, store, index)
        return store.count_tenders()
    finally:
        index.close()
        store.close()


@pytest.fixture(scope="session")
def example_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example notices stored and indexed once; each test gets its own copy."""
    data_dir = tmp_path_factory.mktemp("examples")
    assert load_examples(Settings(environment="test", data_dir=data_dir, secret_key=TEST_SECRET)) > 10
    return data_dir


@pytest.fixture
def settings(example_data_dir: Path, tmp_path: Path) -> Settings:
    data_dir = tmp_path / "data"
    shutil.copytree(example_data_dir, data_dir)
    return Settings(environment="test", data_dir=data_dir, secret_key=TEST_SECRET, base_url="http://testserver")


@pytest.fixture
def companies() -> RegisteredCompanies:
    return RegisteredCompanies({"info@takab.se": "101", "kontakt@stadbolaget.se": "202"})


@pytest.fixture
def app(settings: Settings, companies: RegisteredCompanies) -> FastAPI:
    application = create_app(settings)
    application.dependency_overrides[get_companies] = lambda: companies
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def csrf_token(client: TestClient, path: str = "/logga-in") -> str:
    """The form token a browser would get on ``path`` (the CSRF cookie is kept by the client)."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "no CSRF field on " + path
    return found.group(1)
