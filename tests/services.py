"""Real services for the tests: PostgreSQL, OpenSearch, an SMTP server on loopback and headless Chromium.

Session fixtures start a service on first use and stop it when the session ends. A service that cannot start
FAILS the test that asked for it, with the tail of the service's log: a test never skips or passes without
the real thing. The start/stop logic lives in ``scripts/services/`` so the benchmarks and developers use the
same commands (``scripts/services/opensearch start DIR``).
"""

from __future__ import annotations

import email.policy
import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import psycopg
import pytest
from aiosmtpd.controller import Controller

from tenders.store.engine import create_store_engine
from tenders.store.schema import upgrade_schema

SERVICE_SCRIPTS = Path(__file__).resolve().parents[1] / "scripts" / "services"
CHROMIUM = Path("/usr/bin/chromium")
# Fetching OpenSearch from Maven Central on a fresh machine plus its start-up can take minutes on 2 busy cores.
START_TIMEOUT_S = 900


def _run_service_script(service: str, action: str, directory: Path) -> str:
    """Runs ``scripts/services/<service> <action> <directory>`` and returns what it printed (the URL)."""
    command = [str(SERVICE_SCRIPTS / service), action, str(directory)]
    # The scripts stop the service themselves if this test session dies without its teardown.
    environment = {**os.environ, "ANBUDSVAKT_SERVICE_OWNER_PID": str(os.getpid())}
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=START_TIMEOUT_S, check=False,
                              env=environment)
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"{service} {action} did not finish within {START_TIMEOUT_S} s: {error.stderr!r}", pytrace=False)
    if done.returncode != 0:
        pytest.fail(f"{service} could not {action} (exit {done.returncode}):\n{done.stderr}", pytrace=False)
    return done.stdout.strip()


@pytest.fixture(scope="session")
def services_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("services")


@pytest.fixture(scope="session")
def postgresql_server(services_dir: Path) -> Iterator[str]:
    """A SQLAlchemy URL to the ``postgres`` maintenance database of a throwaway cluster."""
    directory = services_dir / "postgresql"
    url = _run_service_script("postgresql", "start", directory)
    try:
        yield url
    finally:
        _run_service_script("postgresql", "stop", directory)


@pytest.fixture(scope="session")
def postgresql_url(postgresql_server: str) -> str:
    """A SQLAlchemy URL (postgresql+psycopg) to a database on a real local PostgreSQL, migrated to the newest schema
    as ``anbudsvakt db upgrade`` would (the service refuses a PostgreSQL database that is behind)."""
    url = create_postgresql_database(postgresql_server, "anbudsvakt_test")
    engine = create_store_engine(url)
    try:
        upgrade_schema(engine)
    finally:
        engine.dispose()
    return url


@pytest.fixture
def empty_postgresql_url(postgresql_server: str) -> str:
    """A URL to a new, empty (never migrated) database of this test's own on the real local PostgreSQL."""
    return create_postgresql_database(postgresql_server, f"anbudsvakt_empty_{uuid.uuid4().hex[:12]}")


def create_postgresql_database(server_url: str, name: str) -> str:
    """Create database ``name`` (dropped first if a previous run left it) on the server; its SQLAlchemy URL."""
    plain_url = server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="session")
def opensearch_url(services_dir: Path) -> Iterator[str]:
    """The URL of a real single-node OpenSearch (security off, loopback only)."""
    directory = services_dir / "opensearch"
    url = _run_service_script("opensearch", "start", directory)
    try:
        yield url
    finally:
        _run_service_script("opensearch", "stop", directory)


@dataclass
class SmtpServer:
    """A real SMTP server on loopback; ``messages`` holds every e-mail received, parsed, in arrival order."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)  # (MAIL FROM, RCPT TO) per message

    def clear(self) -> None:
        self.messages.clear()
        self.envelopes.clear()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        # aiosmtpd calls this for each message; parse with the modern policy so tests get EmailMessage objects.
        message = BytesParser(policy=email.policy.default).parsebytes(envelope.content)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


def _free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    """aiosmtpd on 127.0.0.1 and a free port. Call ``smtp_server.clear()`` before a test that counts messages."""
    server = SmtpServer(host="127.0.0.1", port=_free_loopback_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    try:
        controller.start()
    except Exception as error:  # any start failure must fail the test loudly, with its cause
        pytest.fail(f"SMTP server could not start on {server.host}:{server.port}: {error}", pytrace=False)
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """Debian's headless Chromium (``scripts/services/install`` installs it)."""
    path = os.environ.get("ANBUDSVAKT_CHROMIUM", str(CHROMIUM))
    if not Path(path).is_file() or not os.access(path, os.X_OK) or shutil.which(path) is None:
        pytest.fail(f"Chromium not found at {path}: run scripts/services/install", pytrace=False)
    return path
