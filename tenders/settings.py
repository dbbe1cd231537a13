"""The one settings class. Every value can be set as ``ANBUDSVAKT_<NAME>`` in the environment or `.env`.

Nothing here is read at import time: call :func:`get_settings` (or build ``Settings(...)`` in tests).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The trained model ships in the repository beside the packages; a relative model_dir is read from here, so the
# command works from any working directory.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER_SECRET = "change-me"  # noqa: S105 - the marker refused outside development, not a secret


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ANBUDSVAKT_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("./data")
    # Empty means the SQLite file in data_dir; PostgreSQL as postgresql+psycopg://user:pw@host/db
    database_url: str = ""
    index_backend: Literal["sqlite", "opensearch"] = "sqlite"
    opensearch_url: str = "http://localhost:9200"
    opensearch_user: str = ""
    opensearch_password: str = ""
    opensearch_index: str = "anbudsvakt-tenders"
    matcher_backend: Literal["embedded", "percolator"] = "embedded"

    ted_api_url: str = "https://api.ted.europa.eu/v3/notices/search"
    user_agent: str = "Anbudsvakt/0.1 (Upphandlingsdialog Dalarna; +https://upphandlingsdialogdalarna.se)"
    model_dir: Path = Path("models/cpv_classifier")
    # OCDS ocid prefix (ocds- + 6 characters) registered with the Open Contracting Partnership; the default is a
    # placeholder until UDD registers its own, so published ocids must not rely on it.
    ocds_prefix: str = "ocds-udddal"

    base_url: str = "http://localhost:8000"
    secret_key: str = PLACEHOLDER_SECRET
    smtp_host: str = ""  # empty: alerts are written to the file outbox in data_dir
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "Anbudsvakt <anbudsvakt@localhost>"
    timezone: str = "Europe/Stockholm"
    digest_hour: int = 7
    # Run the daily jobs (crawl, matching, digests) inside the web process; off when a separate
    # ``anbudsvakt scheduler`` process runs them (docker-compose), so they never run twice.
    scheduler_in_web: bool = False

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        # A forgotten secret in production would let anyone forge magic links and unsubscribe tokens.
        if self.environment == "production" and self.secret_key in ("", PLACEHOLDER_SECRET):
            raise ValueError("ANBUDSVAKT_SECRET_KEY must be set to a real secret outside development")
        return self

    @cached_property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'anbudsvakt.sqlite3'}"

    @property
    def model_path(self) -> Path:
        return self.model_dir if self.model_dir.is_absolute() else PROJECT_ROOT / self.model_dir

    @property
    def index_path(self) -> Path:
        return self.data_dir / "index.sqlite3"


def get_settings() -> Settings:
    return Settings()
