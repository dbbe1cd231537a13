"""Companies in the database: profiles, channels, consent history, unsubscribe, follows and alert feedback.

The validated :class:`profiles.model.CompanyProfile` is stored whole as JSON; the channels also get rows of
their own because each can be unsubscribed on its own (a one-click link ends one channel, not the company).
It also answers the web app's ``CompanyDirectory`` questions (``company_id_for_email``, ``company_exists``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from profiles.model import Channel, ChannelKind, CompanyProfile
from profiles.tables import ChannelRow, CompanyRow, ConsentRow, FeedbackRow, FollowRow
from tenders.store.schema import prepare_schema

UNSUBSCRIBE_SALT = "anbudsvakt-unsubscribe"
CONSENT_PENDING = "pending"  # registered on the web; consent counts only once the e-mail link is confirmed
CONSENT_CONFIRMED_VIA = "email-link"
CONSENT_NEW_EMAIL_VIA = "new-email-address"  # the address changed: consent waits for a link to the new one
CONSENT_DESCRIPTIONS = {"pending": "registrerad, väntar på bekräftelse", "given": "samtycke givet",
                        "withdrawn": "samtycke återkallat", "unsubscribed": "avregistrerad via länk"}


def describe_consent_event(event: str, via: str) -> str:
    """The Swedish line shown to the company (export, pages) for one consent-log event."""
    if event == "given" and via == CONSENT_CONFIRMED_VIA:
        return "bekräftad via e-postlänk"
    if event == CONSENT_PENDING and via == CONSENT_NEW_EMAIL_VIA:
        return "ny e-postadress, väntar på bekräftelse"
    return CONSENT_DESCRIPTIONS.get(event, event)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Company:
    id: str
    profile: CompanyProfile
    has_bid_before: bool | None
    created_at: datetime

    @property
    def consent_at(self) -> datetime | None:
        return self.profile.consent_at


@dataclass(frozen=True)
class ChannelRecord:
    id: int
    company_id: str
    kind: ChannelKind
    address: str
    active: bool

    @property
    def key(self) -> str:
        """The outbox's name for this channel: ``email`` for the company's address, ``<kind>:<id>`` otherwise
        (``apprise:7``, ``webhook:9``)."""
        return "email" if self.kind is ChannelKind.EMAIL else f"{self.kind.value}:{self.id}"


def _company(row: CompanyRow) -> Company:
    return Company(row.id, CompanyProfile.model_validate(row.profile), row.has_bid_before, row.created_at)


def _channel(row: ChannelRow) -> ChannelRecord:
    return ChannelRecord(row.id, row.company_id, ChannelKind(row.kind), row.address, row.active)


def _pending(session: Session, company_id: str) -> bool:
    latest = session.scalars(sa.select(ConsentRow.event).where(ConsentRow.company_id == company_id)
                             .order_by(ConsentRow.id.desc()).limit(1)).first()
    return latest == CONSENT_PENDING


class ProfileRepository:
    def __init__(self, engine: sa.Engine, secret_key: str) -> None:
        self.engine = engine
        self._signer = URLSafeSerializer(secret_key, salt=UNSUBSCRIBE_SALT)
        prepare_schema(engine)  # the profile_* tables are part of the one schema (tenders/store/migrations)

    # -- companies -----------------------------------------------------------------------------

    def save(self, profile: CompanyProfile, *, company_id: str | None = None, has_bid_before: bool | None = None,
             via: str = "cli", consent_pending: bool = False) -> Company:
        """Create (no id, or an unknown one) or replace a company's profile; consent changes are logged.

        ``consent_pending`` logs that consent was asked for but waits for the e-mail link (double opt-in); for a
        company that had consent it replaces the "withdrawn" event, as nobody took consent back."""
        now = _now()
        with Session(self.engine) as session, session.begin():
            row = session.get(CompanyRow, company_id) if company_id else None
            if row is None:
                row = CompanyRow(id=company_id or uuid.uuid4().hex, created_at=now, consent_at=None)
                session.add(row)
            if consent_pending and profile.consent_at is None:
                session.add(ConsentRow(company_id=row.id, event=CONSENT_PENDING, at=now, via=via))
            else:
                self._log_consent_change(session, row, profile.consent_at, now, via)
            profile = profile.model_copy(update={"unsubscribe_token": self.unsubscribe_token(row.id, "email")})
            row.orgnr, row.name, row.size = profile.orgnr, profile.name, profile.size.value if profile.size else None
            row.municipality_code, row.consent_at = profile.municipality_code, profile.consent_at
            row.profile = profile.model_dump(mode="json")
            if has_bid_before is not None:
                row.has_bid_before = has_bid_before
            row.updated_at = now
            session.flush()
            self._sync_channels(session, row.id, profile.channels, now)
            return _company(row)

    @staticmethod
    def _log_consent_change(session: Session, row: CompanyRow, consent_at: datetime | None, now: datetime,
                            via: str) -> None:
        if consent_at is not None and row.consent_at is None:
            session.add(ConsentRow(company_id=row.id, event="given", at=consent_at, via=via))
        elif consent_at is None and row.consent_at is not None:
            session.add(ConsentRow(company_id=row.id, event="withdrawn", at=now, via=via))

    def confirm_consent(self, company_id: str, at: datetime, via: str = CONSENT_CONFIRMED_VIA, *,
                        address: str | None = None) -> bool:
        """Give the consent left pending (registration, new address); False (nothing changes) unless the latest
        consent event is a pending one, so a second link, or a link after a withdrawal, never moves it. With
        ``address`` (the one the link went to) it must still be the company's: an old address's link confirms
        nothing about the new one."""
        with Session(self.engine) as session, session.begin():
            row = session.get(CompanyRow, company_id, with_for_update=True)
            if row is None or row.consent_at is not None or not _pending(session, company_id):
                return False
            profile = CompanyProfile.model_validate(row.profile)
            emails = {c.address.casefold() for c in profile.channels if c.kind is ChannelKind.EMAIL}
            if address is not None and address.casefold() not in emails:
                return False
            row.profile = profile.model_copy(update={"consent_at": at}).model_dump(mode="json")
            row.consent_at, row.updated_at = at, at
            session.add(ConsentRow(company_id=company_id, event="given", at=at, via=via))
            return True

    def consent_pending(self, company_id: str) -> bool:
        """True while consent waits for the e-mail link (the latest consent event is a pending one)."""
        with Session(self.engine) as session:
            row = session.get(CompanyRow, company_id)
            return row is not None and row.consent_at is None and _pending(session, company_id)

    @staticmethod
    def _sync_channels(session: Session, company_id: str, channels: list[Channel], now: datetime) -> None:
        # An existing channel keeps its state (an unsubscribed address stays unsubscribed); removed ones go.
        existing = {(r.kind, r.address): r for r in session.scalars(
            sa.select(ChannelRow).where(ChannelRow.company_id == company_id))}
        wanted = {(c.kind.value, c.address) for c in channels}
        for key, row in existing.items():
            if key not in wanted:
                session.delete(row)
        for kind, address in wanted - existing.keys():
            session.add(ChannelRow(company_id=company_id, kind=kind, address=address, active=True, created_at=now))

    def get(self, company_id: str) -> Company | None:
        with Session(self.engine) as session:
            row = session.get(CompanyRow, company_id)
            return _company(row) if row else None

    def by_orgnr(self, orgnr: str) -> Company | None:
        with Session(self.engine) as session:
            row = session.scalars(sa.select(CompanyRow).where(CompanyRow.orgnr == orgnr)).one_or_none()
            return _company(row) if row else None

    def companies(self) -> list[Company]:
        with Session(self.engine) as session:
            return [_company(r) for r in session.scalars(sa.select(CompanyRow).order_by(CompanyRow.created_at))]

    def delete(self, company_id: str) -> bool:
        """Erase a company and everything about it (channels, consent log, follows, feedback, its alerts)."""
        with Session(self.engine) as session, session.begin():
            row = session.get(CompanyRow, company_id)
            if row is None:
                return False
            session.delete(row)  # ON DELETE CASCADE removes the rest, including alert_outbox rows
            return True

    # -- channels and unsubscribe --------------------------------------------------------------

    def channels(self, company_id: str, *, active_only: bool = True) -> list[ChannelRecord]:
        query = sa.select(ChannelRow).where(ChannelRow.company_id == company_id).order_by(ChannelRow.id)
        if active_only:
            query = query.where(ChannelRow.active.is_(True))
        with Session(self.engine) as session:
            return [_channel(r) for r in session.scalars(query)]

    def unsubscribe_token(self, company_id: str, channel_key: str) -> str:
        """A signed, non-expiring token: an unsubscribe link must keep working for as long as mail is sent."""
        return str(self._signer.dumps({"c": company_id, "ch": channel_key}))

    def unsubscribe(self, token: str, via: str = "unsubscribe-link") -> bool:
        """End the channel named in a valid token; True if the token was valid (repeating it is harmless)."""
        try:
            claims: Any = self._signer.loads(token)
            company_id, channel_key = str(claims["c"]), str(claims["ch"])
        except (BadSignature, KeyError, TypeError):
            return False
        now = _now()
        with Session(self.engine) as session, session.begin():
            if session.get(CompanyRow, company_id) is None:
                return True  # already erased: nothing left to send to
            for row in session.scalars(sa.select(ChannelRow).where(ChannelRow.company_id == company_id)):
                if _channel(row).key == channel_key and row.active:
                    row.active, row.unsubscribed_at = False, now
                    session.add(ConsentRow(company_id=company_id, event="unsubscribed", at=now, via=via))
            return True

    # -- the web app's CompanyDirectory ---------------------------------------------------------

    def company_id_for_email(self, email: str) -> str | None:
        query = sa.select(ChannelRow.company_id).where(
            ChannelRow.kind == ChannelKind.EMAIL.value, sa.func.lower(ChannelRow.address) == email.strip().lower()
        )
        with Session(self.engine) as session:
            return session.scalars(query).first()

    def company_exists(self, company_id: str) -> bool:
        with Session(self.engine) as session:
            return session.get(CompanyRow, company_id) is not None

    # -- follows and feedback -------------------------------------------------------------------

    def follow(self, company_id: str, tender_id: str, snapshot: dict[str, Any]) -> None:
        with Session(self.engine) as session, session.begin():
            if session.get(FollowRow, (company_id, tender_id)) is None:
                session.add(FollowRow(company_id=company_id, tender_id=tender_id, followed_at=_now(),
                                      snapshot=snapshot))

    def unfollow(self, company_id: str, tender_id: str) -> bool:
        with Session(self.engine) as session, session.begin():
            row = session.get(FollowRow, (company_id, tender_id))
            if row is not None:
                session.delete(row)
            return row is not None

    def follows(self, company_id: str | None = None) -> list[tuple[str, str, dict[str, Any]]]:
        """Every follow as (company id, tender id, snapshot); only one company's when ``company_id`` is given."""
        query = sa.select(FollowRow).order_by(FollowRow.company_id, FollowRow.tender_id)
        if company_id is not None:
            query = query.where(FollowRow.company_id == company_id)
        with Session(self.engine) as session:
            return [(r.company_id, r.tender_id, dict(r.snapshot)) for r in session.scalars(query)]

    def record_feedback(self, company_id: str, notice_id: str, relevant: bool) -> None:
        with Session(self.engine) as session, session.begin():
            row = session.get(FeedbackRow, (company_id, notice_id))
            if row is None:
                session.add(FeedbackRow(company_id=company_id, notice_id=notice_id, relevant=relevant, at=_now()))
            else:
                row.relevant, row.at = relevant, _now()

    def forget_feedback(self, company_id: str, notice_id: str) -> bool:
        """Undo a verdict ("Ångra", "Visa igen"); False when there was none."""
        with Session(self.engine) as session, session.begin():
            row = session.get(FeedbackRow, (company_id, notice_id))
            if row is None:
                return False
            session.delete(row)
            return True

    def feedback(self, company_id: str) -> dict[str, bool]:
        with Session(self.engine) as session:
            rows = session.scalars(sa.select(FeedbackRow).where(FeedbackRow.company_id == company_id))
            return {r.notice_id: r.relevant for r in rows}

    def consent_log(self, company_id: str) -> list[dict[str, Any]]:
        with Session(self.engine) as session:
            rows = session.scalars(
                sa.select(ConsentRow).where(ConsentRow.company_id == company_id).order_by(ConsentRow.id))
            return [{"event": r.event, "at": r.at.isoformat(), "via": r.via,
                     "beskrivning": describe_consent_event(r.event, r.via)} for r in rows]
