"""A company's webhook: at most one registered address (a ``webhook`` channel) and the secret that signs it.

The address is a channel like the e-mail address (``profile_channels``, kept in the profile's channel list), so the
outbox records alerts for it and one-click unsubscribe, erasure and the GDPR export treat it like any channel.
The secret lives apart in ``profile_webhook_secrets``: it is a credential, never part of the profile document
the matcher reads or the export hands out. Which addresses are acceptable (https, no private networks) depends on
the settings and on DNS, so the caller checks that before :meth:`Webhooks.register` (alerts/delivery/webhook.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from profiles.model import Channel, ChannelKind
from profiles.repository import ChannelRecord, ProfileRepository
from profiles.tables import WebhookSecretRow


@dataclass(frozen=True)
class Webhook:
    channel: ChannelRecord
    registered_at: datetime  # when the current secret was made

    @property
    def url(self) -> str:
        return self.channel.address


class Webhooks:
    def __init__(self, repository: ProfileRepository) -> None:
        self.repository = repository

    def current(self, company_id: str) -> Webhook | None:
        channel = next((c for c in self.repository.channels(company_id, active_only=False)
                        if c.kind is ChannelKind.WEBHOOK), None)
        with Session(self.repository.engine) as session:
            row = session.get(WebhookSecretRow, company_id)
        return Webhook(channel, row.created_at) if channel is not None and row is not None else None

    def secret(self, company_id: str) -> str | None:
        with Session(self.repository.engine) as session:
            row = session.get(WebhookSecretRow, company_id)
            return row.secret if row is not None else None

    def register(self, company_id: str, url: str, secret: str) -> Webhook:
        """Register or replace the company's webhook with a NEW secret (the old one stops verifying at once).

        The secret is written first: a crash in between leaves a secret without an address, which sends nothing,
        never an address whose deliveries cannot be signed."""
        company = self.repository.get(company_id)
        if company is None:
            raise LookupError(company_id)
        with Session(self.repository.engine) as session, session.begin():
            row = session.get(WebhookSecretRow, company_id)
            if row is None:
                row = WebhookSecretRow(company_id=company_id)
                session.add(row)
            row.secret, row.created_at = secret, datetime.now(UTC)
        others = [c for c in company.profile.channels if c.kind is not ChannelKind.WEBHOOK]
        channels = [*others, Channel(kind=ChannelKind.WEBHOOK, address=url)]
        self.repository.save(company.profile.model_copy(update={"channels": channels}), company_id=company_id,
                             via="web")
        webhook = self.current(company_id)
        assert webhook is not None
        return webhook

    def remove(self, company_id: str) -> bool:
        """Remove the address and its secret; alerts still waiting for it are dropped by the sender."""
        company = self.repository.get(company_id)
        if company is None or self.current(company_id) is None:
            return False
        channels = [c for c in company.profile.channels if c.kind is not ChannelKind.WEBHOOK]
        self.repository.save(company.profile.model_copy(update={"channels": channels}), company_id=company_id,
                             via="web")
        with Session(self.repository.engine) as session, session.begin():
            row = session.get(WebhookSecretRow, company_id)
            if row is not None:
                session.delete(row)
        return True
