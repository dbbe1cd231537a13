"""The service fixtures give real, working services (and so the other suites can trust them)."""

from __future__ import annotations

import smtplib
import subprocess
from email.message import EmailMessage

import httpx
import psycopg

from tests.services import SmtpServer


def test_postgresql_url_is_its_own_writable_database_on_a_real_server(postgresql_url: str) -> None:
    assert postgresql_url.startswith("postgresql+psycopg://")
    # Other tests share the session's database, so this one checks what it is, not that it is still empty.
    with psycopg.connect(postgresql_url.replace("+psycopg", ""), autocommit=True) as connection:
        version = connection.execute("SHOW server_version_num").fetchone()
        database = connection.execute("SELECT current_database()").fetchone()
        connection.execute("CREATE TEMPORARY TABLE probe (n integer)")
        connection.execute("INSERT INTO probe VALUES (1), (2)")
        total = connection.execute("SELECT sum(n) FROM probe").fetchone()
    assert version is not None and int(version[0]) >= 150000
    assert database == ("anbudsvakt_test",)
    assert total == (3,)


def test_opensearch_url_answers_with_a_healthy_cluster(opensearch_url: str) -> None:
    health = httpx.get(f"{opensearch_url}/_cluster/health", timeout=10).json()
    assert health["status"] in {"green", "yellow"}
    tokens = httpx.post(
        f"{opensearch_url}/_analyze", json={"analyzer": "swedish", "text": "Vägunderhåll i kommunerna"}, timeout=10
    ).json()["tokens"]
    assert [token["token"] for token in tokens] == ["vägunderhåll", "kommun"]


def test_smtp_server_receives_parsed_messages(smtp_server: SmtpServer) -> None:
    smtp_server.clear()
    message = EmailMessage()
    message["From"] = "anbudsvakt@example.se"
    message["To"] = "foretag@example.se"
    message["Subject"] = "Nya upphandlingar för er"
    message.set_content("Hej! Tre nya annonser matchar er profil.")
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10) as client:
        client.send_message(message)
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received["Subject"] == "Nya upphandlingar för er"
    assert "Tre nya annonser" in received.get_content()
    assert smtp_server.envelopes == [("anbudsvakt@example.se", ["foretag@example.se"])]
    smtp_server.clear()
    assert smtp_server.messages == []


def test_chromium_executable_runs_headless(chromium_executable: str) -> None:
    done = subprocess.run([chromium_executable, "--version"], capture_output=True, text=True, timeout=60, check=True)
    assert "Chromium" in done.stdout
