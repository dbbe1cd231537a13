"""The digest goes out "varje vardagsmorgon" as the pages promise (issue 14, finding 9): never on a weekend."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from app.daily import build_scheduler
from tenders.settings import Settings
from tests.api.conftest import TEST_SECRET

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def test_after_friday_morning_the_next_digest_is_monday(tmp_path: Path) -> None:
    scheduler = build_scheduler(Settings(environment="test", data_dir=tmp_path, secret_key=TEST_SECRET))
    digests = next(job for job in scheduler.get_jobs() if job.id == "daily-digests")
    friday_noon = datetime(2026, 12, 4, 12, 0, tzinfo=STOCKHOLM)
    fire_at = digests.trigger.get_next_fire_time(None, friday_noon)
    assert (fire_at.date().isoformat(), fire_at.hour) == ("2026-12-07", 7)  # Monday, not Saturday
