"""Issue 13, secrets and transport: weak secrets refused at start-up, Argon2id with rehash, HSTS, security headers
on errors, wrong API keys limited per address, and X-Forwarded-For believed only from the trusted proxies."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.app import create_app
from api.middleware import SECURITY_HEADERS
from api.security.accounts import Role, authenticate, create_api_key, create_user
from api.security.tables import users
from cli.serve import canonical_base_url, uvicorn_options
from tenders.settings import Settings
from tests.api.conftest import free_loopback_port

ANBUDSVAKT = Path(sys.executable).parent / "anbudsvakt"
PASSWORD = "ett-långt-lösenord-för-test"


def run_serve(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ANBUDSVAKT_")}
    return subprocess.run([str(ANBUDSVAKT), "serve", "--port", str(free_loopback_port()), *args],
                          env=clean | {"ANBUDSVAKT_DATA_DIR": str(tmp_path), **env}, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(("environment", "host", "secret"), [
    ("development", "0.0.0.0", "change-me"),
    ("development", "192.0.2.10", ""),
    ("production", "127.0.0.1", "kort"),
])
def test_serve_refuses_a_weak_secret_outside_development_on_loopback(tmp_path: Path, environment: str, host: str,
                                                                     secret: str) -> None:
    done = run_serve(tmp_path, "--host", host, ANBUDSVAKT_ENVIRONMENT=environment, ANBUDSVAKT_SECRET_KEY=secret)
    assert done.returncode != 0
    assert "ANBUDSVAKT_SECRET_KEY" in done.stderr and "Traceback" not in done.stderr.split("ANBUDSVAKT_SECRET_KEY")[0]


def test_uvicorn_believes_forwarded_addresses_only_from_the_trusted_proxies() -> None:
    settings = Settings(trusted_proxies="10.0.0.5,192.168.0.0/16")
    assert uvicorn_options(settings, "0.0.0.0", 8000)["forwarded_allow_ips"] == "10.0.0.5,192.168.0.0/16"
    assert uvicorn_options(Settings(), "127.0.0.1", 8000)["forwarded_allow_ips"] == "127.0.0.1"


def _scrypt_hash(password: str) -> str:
    """A hash in the format the service wrote before Argon2id (scrypt, n=2**14)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    encoded = (base64.b64encode(raw).decode() for raw in (salt, digest))
    return "$".join(("scrypt", str(2**14), "8", "1", *encoded))


def test_new_passwords_are_argon2id_and_old_scrypt_hashes_are_rehashed_on_sign_in(client: TestClient) -> None:
    engine = client.app.state.resources.auth_engine  # type: ignore[attr-defined]
    with Session(engine) as db, db.begin():
        user = create_user(db, "ny@kommun.se", PASSWORD, Role.DEVELOPER)
        old = create_user(db, "gammal@kommun.se", PASSWORD, Role.DEVELOPER)
        db.execute(update(users).where(users.c.id == old.id).values(password_hash=_scrypt_hash(PASSWORD)))
    with Session(engine) as db, db.begin():
        assert str(db.scalar(select(users.c.password_hash).where(users.c.id == user.id))).startswith("$argon2id$")
        assert authenticate(db, "gammal@kommun.se", "fel-lösenord-helt-och-hållet") is None
        assert authenticate(db, "gammal@kommun.se", PASSWORD) is not None
    with Session(engine) as db, db.begin():
        rehashed = str(db.scalar(select(users.c.password_hash).where(users.c.id == old.id)))
        assert rehashed.startswith("$argon2id$")
        assert authenticate(db, "gammal@kommun.se", PASSWORD) is not None


def _boom() -> None:
    raise RuntimeError("ett fel mitt i en förfrågan")


@pytest.mark.parametrize("path", ["/boom", "/api/boom", "/finns-inte", "/api/finns-inte"])
def test_every_response_carries_the_security_headers_errors_included(app: FastAPI, path: str) -> None:
    app.add_api_route("/boom", _boom)
    app.add_api_route("/api/boom", _boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get(path)
    assert response.status_code == (500 if path.endswith("boom") else 404)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    assert "strict-transport-security" not in response.headers  # served over http: no HSTS


def test_hsts_when_the_base_url_is_https(settings: Settings) -> None:
    with TestClient(create_app(settings.model_copy(update={"base_url": "https://anbudsvakt.example"}))) as client:
        assert client.get("/api/health").headers["strict-transport-security"].startswith("max-age=31536000")


def test_wrong_api_keys_are_limited_per_address_and_the_right_key_waits_too(client: TestClient) -> None:
    with Session(client.app.state.resources.auth_engine) as db, db.begin():  # type: ignore[attr-defined]
        user = create_user(db, "nyckel@kommun.se", PASSWORD, Role.DEVELOPER)
        _, key = create_api_key(db, user.id, "test")
    assert client.get("/api/users/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    codes = [client.get("/api/users/me", headers={"Authorization": f"Bearer avk_gissning{i}"}).status_code
             for i in range(21)]
    assert codes == [401] * 20 + [429]
    refused = client.get("/api/users/me", headers={"Authorization": f"Bearer {key}"})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0


def test_forwarded_addresses_from_a_trusted_proxy_get_their_own_rate_limit(settings: Settings) -> None:
    port = free_loopback_port()
    application = create_app(settings.model_copy(update={"trusted_proxies": "127.0.0.1"}))
    server = uvicorn.Server(uvicorn.Config(application, log_level="warning",
                                           **uvicorn_options(application.state.settings, "127.0.0.1", port)))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        def wrong_key(forwarded_for: str) -> int:
            headers = {"Authorization": "Bearer avk_fel", "X-Forwarded-For": forwarded_for}
            return httpx.get(f"http://127.0.0.1:{port}/api/users/me", headers=headers, timeout=10).status_code

        assert [wrong_key("203.0.113.7") for _ in range(21)][-1] == 429
        assert wrong_key("198.51.100.9") == 401  # another visitor behind the same proxy is not refused
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def test_links_point_where_the_development_server_listens_unless_a_base_url_is_set() -> None:
    assert Settings().base_url == "http://127.0.0.1:8000"  # what `anbudsvakt serve` announces by default
    assert canonical_base_url(Settings(), "127.0.0.1", 8010).base_url == "http://127.0.0.1:8010"
    explicit = Settings(base_url="https://anbudsvakt.example")
    assert canonical_base_url(explicit, "127.0.0.1", 8010).base_url == "https://anbudsvakt.example"


def test_secrets_never_show_in_a_settings_dump() -> None:
    settings = Settings(secret_key="s" * 40, smtp_password="relay-lösen", opensearch_password="os-lösen",
                        database_url="postgresql+psycopg://app:db-lösen@db/anbudsvakt")
    shown = repr(settings) + str(settings.model_dump())
    assert not any(secret in shown for secret in ("s" * 40, "relay-lösen", "os-lösen", "db-lösen"))
    assert settings.sqlalchemy_url.endswith("app:db-lösen@db/anbudsvakt")
