"""Tables of companies and what they asked for, prefixed ``profile_``, in the store's database.

They have their own metadata; their migrations are in the one tree (``tenders/store/migrations/versions``, 0004
and 0005), written out there because the tree sits in the lowest layer. Change the models and a new revision
together (``alembic revision --autogenerate`` from the repository root compares them).

A company's whole validated profile (interests included) is kept as JSON in ``profile_companies.profile``: the
matcher reads the profile as one document, and the columns beside it are the ones looked up by value.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tenders.store.tables import UTCDateTime


class ProfileBase(DeclarativeBase):
    pass


class CompanyRow(ProfileBase):
    __tablename__ = "profile_companies"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    orgnr: Mapped[str] = mapped_column(sa.String(10), unique=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    municipality_code: Mapped[str | None] = mapped_column(sa.String(4))
    size: Mapped[str | None] = mapped_column(sa.String(10))
    # None: not asked. False picks the support for first-time bidders (tender school, individual coaching).
    has_bid_before: Mapped[bool | None] = mapped_column(sa.Boolean)
    profile: Mapped[dict[str, Any]] = mapped_column(sa.JSON)  # the validated CompanyProfile, interests included
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: no alerts at all
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChannelRow(ProfileBase):
    """Where alerts go: an e-mail address, or an Apprise URL for another channel. Unsubscribing ends one channel."""

    __tablename__ = "profile_channels"
    __table_args__ = (sa.UniqueConstraint("company_id", "kind", "address", name="uq_profile_channels_address"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    company_id: Mapped[str] = mapped_column(sa.ForeignKey("profile_companies.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(10))  # email | apprise
    address: Mapped[str] = mapped_column(sa.Text)  # e-mail address or Apprise URL (may hold a token: never logged)
    active: Mapped[bool] = mapped_column(sa.Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ConsentRow(ProfileBase):
    """Consent history: when alerts were agreed to and when withdrawn (GDPR: show it, prove it, honour it)."""

    __tablename__ = "profile_consents"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    company_id: Mapped[str] = mapped_column(sa.ForeignKey("profile_companies.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(sa.String(20))  # given | withdrawn | unsubscribed
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    via: Mapped[str] = mapped_column(sa.String(30))  # cli | web | unsubscribe-link


class FollowRow(ProfileBase):
    """A company follows a procurement; ``snapshot`` is what it was last told about (deadline, notices seen)."""

    __tablename__ = "profile_follows"

    company_id: Mapped[str] = mapped_column(
        sa.ForeignKey("profile_companies.id", ondelete="CASCADE"), primary_key=True
    )
    tender_id: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    followed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    snapshot: Mapped[dict[str, Any]] = mapped_column(sa.JSON)


class FeedbackRow(ProfileBase):
    """A company's verdict on one alert: relevant or not (the matcher's evaluation reads these)."""

    __tablename__ = "profile_feedback"

    company_id: Mapped[str] = mapped_column(
        sa.ForeignKey("profile_companies.id", ondelete="CASCADE"), primary_key=True
    )
    notice_id: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    relevant: Mapped[bool] = mapped_column(sa.Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class SavedSearchRow(ProfileBase):
    """A search a company saved from /sok: the page's query string, replayed for its own Atom feed."""

    __tablename__ = "profile_saved_searches"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    company_id: Mapped[str] = mapped_column(sa.ForeignKey("profile_companies.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    query: Mapped[str] = mapped_column(sa.Text)  # e.g. "q=tak&municipality=2062"
    in_digest: Mapped[bool] = mapped_column(sa.Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebhookSecretRow(ProfileBase):
    """The key a company's webhook deliveries are signed with (HMAC-SHA256); shown to the company once."""

    __tablename__ = "profile_webhook_secrets"

    company_id: Mapped[str] = mapped_column(
        sa.ForeignKey("profile_companies.id", ondelete="CASCADE"), primary_key=True
    )
    secret: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
