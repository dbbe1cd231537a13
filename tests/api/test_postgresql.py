"""The auth tables on the scale-out database: accounts, API keys, sessions and spent links on real PostgreSQL."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.app import create_app
from api.security.accounts import Role, create_api_key, create_user
from api.security.magic_links import MagicLinkError, consume_magic_link_token, issue_magic_link_token
from tenders.settings import Settings
from tests.api.conftest import TEST_SECRET

pytestmark = pytest.mark.services


def test_auth_works_on_postgresql(postgresql_url: str, tmp_path: Path) -> None:
    settings = Settings(environment="test", data_dir=tmp_path, database_url=postgresql_url, secret_key=TEST_SECRET)
    staff_email = f"staff-{uuid.uuid4().hex[:8]}@udd.se"
    with TestClient(create_app(settings)) as client:
        engine = client.app.state.resources.auth_engine  # type: ignore[attr-defined]
        assert engine.dialect.name == "postgresql"
        with Session(engine) as db, db.begin():
            staff = create_user(db, staff_email, "ett-långt-lösenord", Role.STAFF)
            key = create_api_key(db, staff.id, "pg")[1]
        users = client.get("/api/users", headers={"Authorization": f"Bearer {key}"})
        assert users.status_code == 200 and staff_email in [u["email"] for u in users.json()["data"]]
        assert client.get("/api/ready").json()["checks"] == {"store": "ok", "index": "ok", "auth": "ok"}

        token = issue_magic_link_token(TEST_SECRET, "101", "info@takab.se")
        with Session(engine) as db, db.begin():
            assert consume_magic_link_token(db, TEST_SECRET, token).company_id == "101"
        with Session(engine) as db, db.begin(), pytest.raises(MagicLinkError, match="used"):
            consume_magic_link_token(db, TEST_SECRET, token)
