"""Turn a batch of outbox rows into the message for one channel: the daily digest or a followed change."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from alerts.delivery.sender import Batch, Outgoing
from alerts.delivery.tables import AlertKind, OutboxRow
from alerts.delivery.webhook import WebhookDelivery, WebhookPolicy
from alerts.digest.build import Recipient, ScoredNotice, build_digest, tender_link
from alerts.digest.formatting import buyer_text, deadline_text
from alerts.digest.model import Digest, FollowMessage
from alerts.digest.render import alert_email, alert_notification
from alerts.digest.webhook_payload import digest_payload, follow_payload
from alerts.support import SupportCatalogue
from profiles.model import ChannelKind
from profiles.repository import ChannelRecord, Company, ProfileRepository
from profiles.webhooks import Webhooks
from tenders.model import Tender, pick_language
from tenders.public_urls import PublicUrls
from tenders.settings import Settings
from tenders.store import TenderStore


def unsubscribe_link(base_url: str, token: str) -> str:
    return PublicUrls(base_url).unsubscribe(token)


class AlertComposer:
    """The sender's ``compose`` callback: reads the company, its channel and the notices as they are NOW."""

    def __init__(self, settings: Settings, store: TenderStore, profiles: ProfileRepository,
                 catalogue: SupportCatalogue) -> None:
        self.settings, self.store, self.profiles, self.catalogue = settings, store, profiles, catalogue

    def __call__(self, batch: Batch, session: Session) -> Outgoing | None:
        company = self.profiles.get(batch.company_id)
        channel = next((c for c in self.profiles.channels(batch.company_id) if c.key == batch.channel), None)
        if company is None or channel is None or company.consent_at is None:
            return None
        rows = list(session.scalars(sa.select(OutboxRow).where(OutboxRow.id.in_(batch.row_ids))))
        token = self.profiles.unsubscribe_token(company.id, channel.key)
        if batch.kind is AlertKind.MATCH:
            return self._digest(company, channel, rows, batch, token)
        return self._follow(company, channel, rows[0], batch, token)

    def _digest(self, company: Company, channel: ChannelRecord, rows: list[OutboxRow], batch: Batch,
                token: str) -> Outgoing | None:
        alerts = _best_per_tender(rows)
        tenders = {a.tender_id: t for a in alerts if (t := self.store.tender(a.tender_id)) is not None}
        recipient = Recipient(
            company_name=company.profile.name,
            has_bid_before=company.has_bid_before,
            unsubscribe_link=unsubscribe_link(self.settings.base_url, token),
            profile_link=PublicUrls(self.settings.base_url).signin(),
        )
        digest = build_digest(recipient, batch.today, alerts, tenders, self.catalogue,
                              base_url=self.settings.base_url, timezone=self.settings.timezone)
        if digest is None:
            return None
        return self._outgoing(digest, channel, batch, token)

    def _follow(self, company: Company, channel: ChannelRecord, row: OutboxRow, batch: Batch,
                token: str) -> Outgoing | None:
        tender = self.store.tender(row.tender_id)
        if tender is None:
            return None
        message = follow_message(company.profile.name, tender, row.tender_id, list(row.detail.get("changes", [])),
                                 self.settings, unsubscribe_link(self.settings.base_url, token))
        return self._outgoing(message, channel, batch, token)

    def _outgoing(self, message: Digest | FollowMessage, channel: ChannelRecord, batch: Batch,
                  token: str) -> Outgoing | None:
        if channel.kind is ChannelKind.WEBHOOK:
            return self._webhook(message, channel, batch)
        if channel.key == "email":
            return Outgoing(email=alert_email(message, mail_from=self.settings.mail_from, to=channel.address,
                                              message_id=batch.message_id, token=token))
        return Outgoing(apprise_url=channel.address, notification=alert_notification(message))

    def _webhook(self, message: Digest | FollowMessage, channel: ChannelRecord, batch: Batch) -> Outgoing | None:
        secret = Webhooks(self.profiles).secret(channel.company_id)
        if secret is None:  # removed since the alert was recorded: nothing to sign with, nowhere to send
            return None
        sent_at = datetime.now(UTC)
        if isinstance(message, Digest):
            payload = digest_payload(message, company_id=channel.company_id, message_id=batch.message_id,
                                     sent_at=sent_at)
        else:
            payload = follow_payload(message, company_id=channel.company_id, message_id=batch.message_id,
                                     sent_at=sent_at)
        policy = WebhookPolicy.from_settings(self.settings)
        return Outgoing(webhook=WebhookDelivery(channel.address, secret, payload, policy))


def follow_message(company_name: str, tender: Tender, tender_id: str, changes: list[str], settings: Settings,
                   unsubscribe: str) -> FollowMessage:
    title = pick_language(tender.title) or "(annonsen saknar rubrik)"
    return FollowMessage(
        company_name=company_name,
        tender_id=tender_id,
        title=title,
        buyer=buyer_text(tender),
        changes=changes,
        deadline_text=deadline_text(tender.submission_deadline, settings.timezone),
        link=tender_link(settings.base_url, tender_id),
        unsubscribe_link=unsubscribe,
        subject=f"Ändring i en upphandling ni följer: {title[:80]}",
    )


def _saved_search(row: OutboxRow) -> str | None:
    name = (row.detail or {}).get("saved_search")
    return str(name) if name else None


def _best_per_tender(rows: list[OutboxRow]) -> list[ScoredNotice]:
    """One entry per procurement (its prior information notice and contract notice may arrive the same day); the
    matcher's alert wins over a saved search's, so a notice both found is shown once, among the matches."""
    best: dict[str, OutboxRow] = {}

    def rank(row: OutboxRow) -> tuple[bool, float]:
        return _saved_search(row) is None, row.score

    for row in rows:
        if row.tender_id not in best or rank(row) > rank(best[row.tender_id]):
            best[row.tender_id] = row
    return [ScoredNotice(r.tender_id, r.notice_id, r.score, list(r.reasons), _saved_search(r))
            for r in best.values()]

