"""The crash test: the sender process is KILLED (SIGKILL) in the middle of a batch, exactly between the SMTP
server accepting a message and the sender recording it; resuming sends every other digest once and never the
interrupted one a second time (it is flagged for review with its Message-ID)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from alerts.delivery.outbox import rows_in_review, state_counts
from alerts.delivery.sender import SENDING_LEASE
from app.daily import send_digests
from tests.matcher.alerting import add_company, make_settings, make_tender, open_all, record_matches

ROOT = Path(__file__).resolve().parents[2]
COMPANIES = 6
KILL_AT = 3  # the third message reaches the server, its "250 OK" never reaches the sender


def _sender_environment(settings) -> dict[str, str]:
    return {
        **os.environ,
        "ANBUDSVAKT_ENVIRONMENT": "test", "ANBUDSVAKT_DATA_DIR": str(settings.data_dir),
        "ANBUDSVAKT_DATABASE_URL": settings.sqlalchemy_url, "ANBUDSVAKT_SMTP_HOST": settings.smtp_host,
        "ANBUDSVAKT_SMTP_PORT": str(settings.smtp_port), "ANBUDSVAKT_BASE_URL": settings.base_url,
        "ANBUDSVAKT_SECRET_KEY": settings.secret_key.get_secret_value(), "ANBUDSVAKT_MAIL_FROM": settings.mail_from,
    }


def _wait_for(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the sender"
        time.sleep(0.05)


def _hold_reply_after(smtp_server, count: int, release: threading.Event):
    """Make the server accept message ``count`` but hold back its reply until ``release`` is set."""
    accept = type(smtp_server).handle_DATA

    async def handle_DATA(server, session, envelope):
        reply = await accept(smtp_server, server, session, envelope)
        if len(smtp_server.messages) == count:
            while not release.is_set():
                await asyncio.sleep(0.05)
        return reply

    return handle_DATA


def test_killing_the_sender_mid_batch_neither_loses_nor_repeats_a_digest(tmp_path, smtp_server):
    settings = make_settings(tmp_path, smtp_server.port)
    store, profiles = open_all(settings)
    tender = make_tender("cn-crash", title="Ventilationsarbeten i Leksand")
    store.upsert_notice(tender, b"<xml/>")
    for serial in range(COMPANIES):
        company = add_company(profiles, 100 + serial, email=f"kontakt@firma{serial}.se")
        record_matches(store, company, [(tender, 0.7, ["CPV 45 ingår i era intressen"])])
    smtp_server.clear()
    release = threading.Event()
    smtp_server.handle_DATA = _hold_reply_after(smtp_server, KILL_AT, release)
    try:
        sender = subprocess.Popen(
            [sys.executable, "-c", "from cli.main import run; run()", "digest", "send"],
            cwd=ROOT, env=_sender_environment(settings), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        _wait_for(lambda: len(smtp_server.messages) >= KILL_AT or sender.poll() is not None)
        assert sender.poll() is None, f"the sender ended by itself: {sender.communicate()[1].decode()[-2000:]}"
        time.sleep(0.3)  # the sender is now blocked waiting for the reply to DATA
        os.kill(sender.pid, signal.SIGKILL)
        sender.wait(timeout=30)
    finally:
        release.set()
        del smtp_server.handle_DATA
    assert sender.returncode == -signal.SIGKILL
    assert len(smtp_server.messages) == KILL_AT
    interrupted_id = smtp_server.messages[KILL_AT - 1]["Message-ID"]
    assert state_counts(store.engine) == {"sent": KILL_AT - 1, "sending": 1, "pending": COMPANIES - KILL_AT}

    # Resuming at once: the pending digests go out; the in-flight one is left alone (its lease still runs).
    now = datetime.now(UTC)
    assert send_digests(settings, now).sent == COMPANIES - KILL_AT
    # Later: the dead sender's claim has expired; the digest is flagged for review, not sent again.
    later = send_digests(settings, now + SENDING_LEASE + timedelta(minutes=1))
    assert later.sent == 0 and later.review == 1
    assert send_digests(settings, now + timedelta(hours=2)).sent == 0

    recipients = Counter(rcpt for _, rcpts in smtp_server.envelopes for rcpt in rcpts)
    assert recipients == Counter({f"kontakt@firma{serial}.se": 1 for serial in range(COMPANIES)})
    assert len({m["Message-ID"] for m in smtp_server.messages}) == COMPANIES
    (flagged,) = rows_in_review(store.engine)
    assert flagged.message_id == interrupted_id  # staff can look it up in the relay's log
    assert state_counts(store.engine) == {"sent": COMPANIES - 1, "review": 1}
    with store.engine.connect() as connection:
        attempts = connection.execute(sa.text("select max(attempts) from alert_outbox")).scalar_one()
    assert attempts == 1
