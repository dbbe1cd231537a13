"""``anbudsvakt digest send --dry-run``: compose what would be sent now, claim nothing, send nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from alerts.delivery.sender import Outgoing, due_batches
from alerts.digest.compose import AlertComposer
from alerts.digest.formatting import local_day
from alerts.support import load_catalogue
from profiles.repository import ProfileRepository
from tenders.settings import Settings
from tenders.store import TenderStore


def preview_outgoing(settings: Settings, now: datetime) -> list[Outgoing]:
    catalogue = load_catalogue()
    store = TenderStore.from_settings(settings)
    try:
        profiles = ProfileRepository(store.engine, settings.secret_key.get_secret_value())
        composer = AlertComposer(settings, store, profiles, catalogue)
        outgoing = []
        for batch in due_batches(store.engine, now, local_day(now, settings.timezone)):
            with Session(store.engine) as session:
                composed = composer(batch, session)
            if composed is not None:
                outgoing.append(composed)
        return outgoing
    finally:
        store.close()


def describe(outgoing: Outgoing) -> str:
    if outgoing.email is not None:
        text = outgoing.email.get_body(preferencelist=("plain",))
        body = text.get_content() if text is not None else ""
        return f"Till: {outgoing.email['To']}\nÄmne: {outgoing.email['Subject']}\n\n{body}"
    if outgoing.webhook is not None:
        count = len(outgoing.webhook.payload.get("alerts", []))
        return f"Kanal: webhook {outgoing.webhook.url}\nHändelse: {outgoing.webhook.payload['event']}, {count} annonser"
    title = outgoing.notification.title if outgoing.notification else ""
    body = outgoing.notification.body if outgoing.notification else ""
    return f"Kanal: Apprise\nRubrik: {title}\n\n{body}"
