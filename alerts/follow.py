"""Followed procurements: exactly one message for each change a company has not been told about.

A follow keeps a *snapshot* of what the company last heard: the submission deadline and the notices of the
procurement (``notice_id/version``). When the store's history differs from the snapshot, the difference is
ONE change, described in Swedish (new deadline, a corrigendum, an award), recorded in the outbox under a key
made of the procurement id and a fingerprint of the new snapshot, and the snapshot is moved forward in the SAME
transaction. Running the check twice, or after a crash, therefore records nothing new; the outbox sends each
recorded change once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from alerts.delivery.outbox import NewAlert, record_alerts
from alerts.delivery.tables import AlertKind
from alerts.digest.formatting import deadline_text
from profiles.repository import ProfileRepository
from profiles.tables import FollowRow
from tenders.model import FormType, Tender
from tenders.store import TenderStore


@dataclass(frozen=True)
class FollowChange:
    tender_id: str
    notice_id: str  # the newest notice that brought the change
    changes: list[str]  # Swedish, one line each
    snapshot: dict[str, Any]  # the snapshot after the change

    @property
    def event_key(self) -> str:
        return f"{self.tender_id}#{fingerprint(self.snapshot)}"


def snapshot_of(history: Sequence[Tender], current: Tender | None) -> dict[str, Any]:
    """What a follower knows once told about this state: the deadline and every notice version."""
    deadline = current.submission_deadline if current else None
    return {
        "deadline": deadline.isoformat() if deadline else None,
        "notices": sorted(f"{t.notice_id}/{t.version}" for t in history),
    }


def fingerprint(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()[:16]


def _award_line(notice: Tender) -> str:
    winners = [w.name for result in notice.results for w in result.winners if w.name]
    if winners:
        shown = ", ".join(dict.fromkeys(winners))
        return f"Upphandlingen är tilldelad: {shown}"
    return "Ett tilldelningsbeslut eller en tilldelning har publicerats"


def _describe_notice(notice: Tender) -> str:
    if notice.form_type is FormType.RESULT:
        return _award_line(notice)
    if notice.form_type is FormType.CHANGE:
        return "En rättelse (ändringsannons) har publicerats"
    if notice.form_type is FormType.COMPETITION:
        return "Upphandlingen är nu annonserad och öppen för anbud"
    return "En ny annons har publicerats i upphandlingen"


def detect_change(
    tender_id: str, previous: dict[str, Any], history: Sequence[Tender], current: Tender | None, timezone: str
) -> FollowChange | None:
    """The one change since ``previous`` (None when nothing the follower cares about changed)."""
    now = snapshot_of(history, current)
    if now == previous or not history:
        return None
    lines: list[str] = []
    if now["deadline"] != previous.get("deadline") and now["deadline"] is not None:
        old = previous.get("deadline")
        old_text = deadline_text(datetime.fromisoformat(old), timezone) if old else "ej angiven"
        new_text = deadline_text(datetime.fromisoformat(now["deadline"]), timezone)
        lines.append(f"Sista anbudsdag är ändrad: {old_text} → {new_text}")
    seen = set(previous.get("notices", []))
    new_notices = [t for t in history if f"{t.notice_id}/{t.version}" not in seen]
    lines.extend(dict.fromkeys(_describe_notice(t) for t in new_notices))
    if not lines:  # e.g. a deadline removed: record the new state quietly, no message
        return FollowChange(tender_id, history[-1].notice_id, [], now)
    newest = new_notices[-1].notice_id if new_notices else history[-1].notice_id
    return FollowChange(tender_id, newest, lines, now)


def record_follow_changes(store: TenderStore, profiles: ProfileRepository, now: datetime, timezone: str) -> int:
    """Check every follow; record each new change in the outbox and move the snapshot, in one transaction."""
    recorded = 0
    for company_id, tender_id, previous in profiles.follows():
        change = detect_change(tender_id, previous, store.tender_history(tender_id), store.tender(tender_id),
                               timezone)
        if change is None:
            continue
        channels = profiles.channels(company_id)
        alerts = [
            NewAlert(company_id, channel.key, AlertKind.FOLLOW, change.event_key, change.notice_id, tender_id,
                     detail={"changes": change.changes})
            for channel in channels
        ] if change.changes else []
        with Session(profiles.engine) as session, session.begin():
            recorded += record_alerts(session, alerts, now)
            follow = session.get(FollowRow, (company_id, tender_id))
            if follow is not None:
                follow.snapshot = change.snapshot
    return recorded


def start_following(store: TenderStore, profiles: ProfileRepository, company_id: str, tender_id: str) -> bool:
    """Follow a procurement from its current state (no message about what already happened); False if unknown."""
    current = store.tender(tender_id)
    if current is None:
        return False
    profiles.follow(company_id, tender_id, snapshot_of(store.tender_history(tender_id), current))
    return True
