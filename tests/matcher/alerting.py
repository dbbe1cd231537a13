"""Helpers for the digest, delivery, follow and job tests: settings on a temporary SQLite file pointed at the
loopback SMTP server, real Tender notices in a real store, companies through the real repository."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session
from stdnum import luhn

from alerts.delivery.outbox import NewAlert, record_alerts
from alerts.delivery.tables import AlertKind
from profiles.model import Channel, CompanyProfile, Interests
from profiles.repository import Company, ProfileRepository
from tenders.model import Buyer, FormType, Lot, LotResult, Money, Tender, Winner
from tenders.settings import Settings
from tenders.store import TenderStore

BASE_URL = "https://anbudsvakt.example"


def make_settings(tmp_path: Path, smtp_port: int | None = None, **extra: Any) -> Settings:
    return Settings(
        environment="test", data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'anbudsvakt.sqlite3'}",
        smtp_host="127.0.0.1" if smtp_port else "", smtp_port=smtp_port or 25, base_url=BASE_URL,
        secret_key="test-secret-key-for-anbudsvakt-alerts",  # 32 bytes at least, or Settings refuses it
        mail_from="Anbudsvakt <anbudsvakt@anbudsvakt.example>", **extra,
    )


def orgnr(serial: int) -> str:
    """A valid Swedish organisation number (Luhn check digit), distinct per serial."""
    body = f"55{serial:07d}"
    return body + luhn.calc_check_digit(body)


def make_tender(notice_id: str, *, procedure_id: str | None = None, form_type: FormType = FormType.COMPETITION,
                title: str = "Takarbeten på Mora skola", cpv: str = "45261210", published: date | None = None,
                deadline: datetime | None = None, version: str = "01", value_sek: float | None = 3_000_000,
                lots: list[Lot] | None = None, winners: list[str] | None = None) -> Tender:
    results = [LotResult(lot_id="LOT-0001", winners=[Winner(name=w) for w in winners])] if winners else []
    return Tender(
        notice_id=notice_id, version=version, procedure_id=procedure_id or f"proc-{notice_id}",
        publication_date=published or datetime.now(UTC).date(), form_type=form_type,
        buyers=[Buyer(name="Mora kommun", orgnr="2120002064", nuts="SE312")], title={"swe": title},
        description={"swe": f"{title}. Uppdraget utförs i Mora kommun."}, main_cpv=cpv, place_of_performance=["SE312"],
        estimated_value=Money(amount=value_sek) if value_sek else None, lots=lots or [],
        submission_deadline=deadline or datetime.now(UTC).replace(microsecond=0) + timedelta(days=30),
        results=results, source_url=f"https://ted.europa.eu/sv/notice/-/detail/{notice_id}",
    )


def open_all(settings: Settings) -> tuple[TenderStore, ProfileRepository]:
    store = TenderStore.from_settings(settings)
    return store, ProfileRepository(store.engine, settings.secret_key.get_secret_value())


def add_company(profiles: ProfileRepository, serial: int, *, email: str | None = None, cpv: list[str] | None = None,
                consent_at: datetime | None = None, has_bid_before: bool | None = True,
                apprise: list[str] | None = None) -> Company:
    channels = [Channel(address=email or f"info{serial}@foretag{serial}.se")]
    channels += [Channel(kind="apprise", address=url) for url in apprise or []]
    profile = CompanyProfile(
        orgnr=orgnr(serial), name=f"Företag {serial} AB", size="small", interests=Interests(cpv=cpv or ["45"]),
        channels=channels, consent_at=consent_at or datetime.now(UTC) - timedelta(days=30),
    )
    return profiles.save(profile, has_bid_before=has_bid_before)


def record_matches(store: TenderStore, company: Company, scored: list[tuple[Tender, float, list[str]]],
                   channel: str = "email") -> int:
    """Put alerts in the outbox as the matching step would (the delivery tests do not depend on the matcher)."""
    alerts = [
        NewAlert(company.id, channel, AlertKind.MATCH, tender.notice_id, tender.notice_id,
                 tender.procedure_id or tender.notice_id, score, reasons)
        for tender, score, reasons in scored
    ]
    with Session(store.engine) as session, session.begin():
        return record_alerts(session, alerts, datetime.now(UTC))
