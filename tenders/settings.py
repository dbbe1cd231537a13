"""The one settings class. Every value can be set as ``ANBUDSVAKT_<NAME>`` in the environment or `.env`.

Nothing here is read at import time: call :func:`get_settings` (or build ``Settings(...)`` in tests).
"""

from __future__ import annotations

import ipaddress
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The trained model ships in the repository beside the packages; a relative model_dir is read from here, so the
# command works from any working directory.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER_SECRET = "change-me"  # noqa: S105 - the marker refused outside development, not a secret
MIN_SECRET_BYTES = 32  # 256 bits: HMAC-SHA256 (links, CSRF, feed addresses) gains nothing from more
SECRET_HINT = "generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"  # noqa: S105 - advice, not a secret


class SecretKeyError(ValueError):
    """The secret key is missing, the placeholder or too short where that is not allowed (one line to print)."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ANBUDSVAKT_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("./data")
    # Empty means the SQLite file in data_dir; PostgreSQL as postgresql+psycopg://user:pw@host/db (a secret: it
    # carries the password)
    database_url: SecretStr = SecretStr("")
    index_backend: Literal["sqlite", "opensearch"] = "sqlite"
    opensearch_url: str = "http://localhost:9200"
    opensearch_user: str = ""
    opensearch_password: SecretStr = SecretStr("")
    opensearch_index: str = "anbudsvakt-tenders"
    matcher_backend: Literal["embedded", "percolator"] = "embedded"

    ted_api_url: str = "https://api.ted.europa.eu/v3/notices/search"
    user_agent: str = "Anbudsvakt/0.1 (Upphandlingsdialog Dalarna; +https://upphandlingsdialogdalarna.se)"
    model_dir: Path = Path("models/cpv_classifier")
    # OCDS ocid prefix (ocds- + 6 characters) registered with the Open Contracting Partnership; the default is a
    # placeholder until UDD registers its own, so published ocids must not rely on it.
    ocds_prefix: str = "ocds-udddal"

    # The same host the server announces (``anbudsvakt serve`` listens on 127.0.0.1:8000), so links in mails and
    # feeds open the server the console points at.
    base_url: str = "http://127.0.0.1:8000"
    # Signs sign-in links, CSRF tokens, feed addresses and unsubscribe links: anyone who knows it can sign in as
    # any company. At least 32 bytes; the placeholder is accepted only by a development server on loopback.
    secret_key: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    # Peers whose X-Forwarded-For is believed (comma-separated addresses or networks, "*" for any): the reverse
    # proxy in front of the service. Everyone else is rate limited by the address they connect from.
    trusted_proxies: str = "127.0.0.1"
    # Companies' webhooks: in production only public https addresses are called, because the service would
    # otherwise POST into its own network for anyone who registers an internal address (SSRF). Set this where
    # a receiver on an internal network is wanted; development and test always allow it (and plain http to
    # loopback), so a receiver on 127.0.0.1 works there.
    webhook_private_addresses: bool = False
    smtp_host: str = ""  # empty: alerts are written to the file outbox in data_dir
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_starttls: bool = False  # STARTTLS on smtp_port; port 465 always speaks TLS from the start
    mail_from: str = "Anbudsvakt <anbudsvakt@localhost>"
    timezone: str = "Europe/Stockholm"
    digest_hour: int = 7
    # Run the daily jobs (crawl, matching, digests) inside the web process; off when a separate
    # ``anbudsvakt scheduler`` process runs them (docker-compose), so they never run twice.
    scheduler_in_web: bool = False

    @model_validator(mode="after")
    def _refuse_weak_secret(self) -> Settings:
        # A known or guessable secret lets anyone forge sign-in links: only development may start without one,
        # and its server must then listen on loopback (checked by ``require_secret_for_serving``).
        problem = self.secret_problem()
        if problem and self.environment != "development":
            raise SecretKeyError(f"ANBUDSVAKT_SECRET_KEY {problem} (environment {self.environment}); {SECRET_HINT}")
        return self

    def secret_problem(self) -> str | None:
        """Why the secret key is unfit for a reachable service, or None."""
        secret = self.secret_key.get_secret_value()
        if not secret:
            return "is not set"
        if secret == PLACEHOLDER_SECRET:
            return f"is the placeholder {PLACEHOLDER_SECRET!r}"
        if len(secret.encode()) < MIN_SECRET_BYTES:
            return f"is shorter than {MIN_SECRET_BYTES} bytes"
        return None

    def require_secret_for_serving(self, host: str) -> None:
        """Refuse to serve on ``host`` with a weak secret, unless this is development listening on loopback."""
        problem = self.secret_problem()
        if problem and not (self.environment == "development" and is_loopback(host)):
            raise SecretKeyError(
                f"ANBUDSVAKT_SECRET_KEY {problem}: only a development server on 127.0.0.1 may run without a real "
                f"secret (environment {self.environment}, host {host}); {SECRET_HINT}")

    @cached_property
    def sqlalchemy_url(self) -> str:
        return self.database_url.get_secret_value() or f"sqlite:///{self.data_dir / 'anbudsvakt.sqlite3'}"

    @property
    def model_path(self) -> Path:
        return self.model_dir if self.model_dir.is_absolute() else PROJECT_ROOT / self.model_dir

    @property
    def index_path(self) -> Path:
        return self.data_dir / "index.sqlite3"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def get_settings() -> Settings:
    return Settings()
