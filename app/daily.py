"""The scheduled jobs, run by APScheduler 3.x inside the service (``anbudsvakt serve`` with scheduling enabled).

Two jobs, both kept in a SQLAlchemyJobStore in the store's database (table ``apscheduler_jobs``), so a restart
knows when each last ran and what it missed:

- ``daily-pipeline`` at 05:00 Europe/Stockholm: each spider's crawl in a subprocess of its own (Twisted's
  reactor cannot restart in one process), then the index refresh, then matching of new notices and the follow
  check (both only RECORD alerts in the outbox).
- ``daily-digests`` at ``settings.digest_hour`` (07:00) Europe/Stockholm: sends what the outbox holds.

Misfires and coalescing: ``coalesce=True`` on both — after a downtime of several days, one run does the work of
all missed runs (the crawl reads from its last complete run, the outbox holds every pending alert), and running
them one after another would only repeat the same work. ``misfire_grace_time``: the digests 12 hours (a
service back at 11:00 still sends the morning's digests the same day; after 19:00 they wait for the next
morning rather than arrive in the night), the pipeline 6 hours (a late crawl is still worth it before the
digests of the day; later, the next day's run covers it). ``max_instances=1``: a long crawl never overlaps
itself.

The job functions take no required arguments (APScheduler stores them by reference ``app.daily:...``) and
read the settings themselves; tests call them directly with ``settings`` and a pinned ``now``.
"""

from __future__ import annotations

import logging
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from alerts.delivery.sender import DeliveryReport, OutboxSender
from alerts.delivery.transport import email_transport
from alerts.digest.compose import AlertComposer
from alerts.digest.formatting import local_day
from alerts.follow import record_follow_changes
from alerts.support import load_catalogue
from app.alerting import MatchFunction, record_new_matches, settings_matcher
from app.demo import refuse_crawls_into_demo
from app.ingest import IngestReport, index_documents
from profiles.repository import ProfileRepository
from tenders.health import FileAlertOutbox, check_sources, staff_alert_path
from tenders.index import open_index
from tenders.index.base import IndexDocument, TenderIndex, document_stamp
from tenders.index.documents import to_index_document
from tenders.model import Tender
from tenders.settings import Settings, get_settings
from tenders.store import TenderStore
from tenders.store.engine import create_store_engine

log = logging.getLogger(__name__)

JOBSTORE_TABLE = "apscheduler_jobs"
PIPELINE_HOUR = 5
CRAWL_TIMEOUT_SECONDS = 3 * 3600  # a hung crawl must not block the day's matching forever
DIGEST_GRACE_SECONDS = 12 * 3600
PIPELINE_GRACE_SECONDS = 6 * 3600
DEFAULT_SOURCES = ("ted",)
# Upphandlingsmyndigheten publishes yearly statistics (~50 MB per download): weekly, on Mondays, is plenty and
# kinder to their service than a daily download of the same files.
WEEKLY_SOURCES = frozenset({"uhm"})
REFRESH_BATCH = 500  # procurements per read of views, stamps and index write in the index refresh


@dataclass
class PipelineReport:
    crawls: dict[str, int] = field(default_factory=dict)  # source -> exit status
    indexed: int = 0  # procurements the index refresh wrote
    index_current: int = 0  # changed procurements the index already held as projected (the crawls indexed them)
    matched: int = 0
    follow_changes: int = 0
    silent_sources: list[str] = field(default_factory=list)  # sources whose health alarm is on
    backfill: bool = False

    def summary(self) -> str:
        crawls = ", ".join(f"{source}: {status}" for source, status in self.crawls.items()) or "inga"
        silent = " (återfyllnad: inga bevakningar)" if self.backfill else ""
        alarms = f"; larm för källor: {', '.join(self.silent_sources)}" if self.silent_sources else ""
        return (f"genomsökningar {crawls}; indexerade {self.indexed} (redan aktuella {self.index_current}); "
                f"nya träffar {self.matched}; ändringar i följda upphandlingar {self.follow_changes}{silent}{alarms}")


def crawl_sources(today: date | None = None) -> tuple[str, ...]:
    """The spiders to crawl today: every spider of the Scrapy project, the weekly ones only on Mondays."""
    monday = (today or date.today()).weekday() == 0
    return tuple(name for name in _all_spiders() if monday or name not in WEEKLY_SOURCES)


def _all_spiders() -> tuple[str, ...]:
    """Every spider of the project: the Python spiders and the declarative source definitions."""
    try:
        # Scrapy is imported only when the jobs run: the web process imports this module for its scheduler.
        from scrapy.spiderloader import get_spider_loader  # noqa: PLC0415

        from crawlers.run import scrapy_settings  # noqa: PLC0415 - crawlers.run imports Scrapy

        names = get_spider_loader(scrapy_settings(get_settings())).list()
    except Exception:  # a broken spider module must not stop the others: fall back to the primary source
        log.exception("spider list unavailable; crawling %s only", DEFAULT_SOURCES)
        return DEFAULT_SOURCES
    return tuple(sorted(names)) or DEFAULT_SOURCES


def crawl_all(sources: tuple[str, ...], since: date | None = None) -> dict[str, int]:
    """Run each source's crawl as a subprocess (``crawlers.run``), one after the other; exit status per source."""
    from crawlers.run import crawl_command  # noqa: PLC0415 - here, not at the top: see _all_spiders

    statuses = {}
    for source in sources:
        try:
            done = subprocess.run(crawl_command(source, since), timeout=CRAWL_TIMEOUT_SECONDS, check=False)
            statuses[source] = done.returncode
        except subprocess.TimeoutExpired:
            statuses[source] = -1
        log.info("crawl %s finished with status %s", source, statuses[source])
    return statuses


@dataclass
class RefreshReport:
    """What the index refresh did: procurements written, those the index already held as projected, and failures."""

    indexed: int = 0
    current: int = 0  # skipped: the index holds the very document (same stamp), the crawl's ingest indexed it
    failed: int = 0  # could not be read, projected or indexed: logged with the reason, left for the next refresh


def refresh_index(settings: Settings, since: datetime) -> RefreshReport:
    """Bring the procurements changed since ``since`` into the search index where it does not hold them as the store
    now projects them (the store is the truth).

    The crawls index what they store, so this is the repair step for a crash between a store write and its index
    write, for a store written without its index, and for a projection that changed with an upgrade: each changed
    procurement is projected, and written only when the index holds no document of the same stamp
    (``TenderIndex.stamps``). It never raises: a procurement that cannot be projected or indexed is logged with its
    reason and left out, a batch the index refuses whole is logged and the next goes on, and an index or store that
    cannot be opened is logged — the day's matching must run regardless."""
    refresh = RefreshReport()
    try:
        store = TenderStore.from_settings(settings)
    except Exception:
        log.exception("index refresh: the store could not be opened")
        return refresh
    try:
        index = open_index(settings)
    except Exception:
        log.exception("index refresh: the search index could not be opened")
        store.close()
        return refresh
    try:
        tender_ids = store.tender_ids_updated_since(since)
        for start in range(0, len(tender_ids), REFRESH_BATCH):
            _refresh_batch(store, index, tender_ids[start:start + REFRESH_BATCH], refresh)
    except Exception:  # the store went away mid-way: what was written stays written
        log.exception("index refresh stopped")
    finally:
        index.close()
        store.close()
    log.info("index refresh: %s written, %s already current, %s failed", refresh.indexed, refresh.current,
             refresh.failed)
    return refresh


def _refresh_batch(store: TenderStore, index: TenderIndex, tender_ids: list[str], refresh: RefreshReport) -> None:
    report = IngestReport()
    documents: dict[str, IndexDocument] = {}
    for tender_id, data in store.tender_data(tender_ids).items():
        try:
            documents[tender_id] = to_index_document(Tender.model_validate(data))
        except Exception as error:  # one unreadable view must not stop the others
            report.fail(tender_id, "projection", error)
    try:
        held = index.stamps(list(documents))
    except Exception:  # the index cannot say what it holds: write them all, as before stamps
        log.exception("index refresh: stamps unavailable; writing every changed procurement")
        held = {}
    stale = [doc for tender_id, doc in documents.items() if not _holds(held.get(tender_id), doc)]
    refresh.current += len(documents) - len(stale)
    try:
        index_documents(index, stale, report)
        refresh.indexed += len(stale) - report.counts["not_indexed"]
    except Exception:  # the index refused the whole batch (unreachable, full disk): the next batch goes on
        log.exception("index refresh: %s procurements not written; the next refresh tries them again", len(stale))
        refresh.failed += len(stale)
    refresh.failed += report.counts["failed"] + report.counts["not_indexed"]


def _holds(stamp: str | None, document: IndexDocument) -> bool:
    """Whether an indexed document of this stamp is ``document`` (a document that cannot be stamped is written, and
    the index names why it refuses it)."""
    if stamp is None:
        return False
    try:
        return stamp == document_stamp(document)
    except Exception:
        return False


def record_alerts_job(settings: Settings, now: datetime, matcher: MatchFunction | None = None) -> tuple[int, int]:
    """Matching and the follow check: (new match alerts, new follow changes) recorded in the outbox."""

    store = TenderStore.from_settings(settings)
    try:
        profiles = ProfileRepository(store.engine, settings.secret_key.get_secret_value())
        matched = record_new_matches(store, profiles, now, matcher=matcher or settings_matcher(settings))
        changes = record_follow_changes(store, profiles, now, settings.timezone)
        return matched, changes
    finally:
        store.close()


def check_source_health(settings: Settings, now: datetime) -> list[str]:
    """After the crawls: alert staff (once per silence) about each source that stopped yielding."""

    store = TenderStore.from_settings(settings)
    try:
        healths = check_sources(store, FileAlertOutbox(staff_alert_path(settings)), now)
    finally:
        store.close()
    return [health.source for health in healths if health.alarm]


def _refuse_crawls_into_demo(settings: Settings, sources: tuple[str, ...]) -> str | None:
    """Example notices never mix with crawled ones: while any is stored the crawls are skipped (and logged as
    skipped in the crawl log), and matching goes on over what is stored."""
    store = TenderStore.from_settings(settings)
    try:
        return refuse_crawls_into_demo(store, sources)
    finally:
        store.close()


def daily_pipeline(settings: Settings | None = None, now: datetime | None = None, *,
                   backfill_since: date | None = None, crawl: bool = True,
                   matcher: MatchFunction | None = None) -> PipelineReport:
    """Crawl → index → match → follow. With ``backfill_since`` it crawls from that date and alerts NOBODY."""
    settings = settings or get_settings()
    started = now or datetime.now(UTC)
    report = PipelineReport(backfill=backfill_since is not None)
    if crawl:
        sources = crawl_sources(started.date())
        if refusal := _refuse_crawls_into_demo(settings, sources):
            log.warning("daily pipeline: no crawls: %s", refusal)
        else:
            report.crawls = crawl_all(sources, backfill_since)
            report.silent_sources = check_source_health(settings, started)
    refresh = refresh_index(settings, started - timedelta(days=2))
    report.indexed, report.index_current = refresh.indexed, refresh.current
    if backfill_since is None:
        report.matched, report.follow_changes = record_alerts_job(settings, started, matcher)
    log.info("daily pipeline: %s", report.summary())
    return report


def send_digests(settings: Settings | None = None, now: datetime | None = None, *,
                 sleep: Callable[[float], None] = time.sleep) -> DeliveryReport:
    """Send every due alert: one digest per company, channel and day; one message per followed change."""

    settings = settings or get_settings()
    catalogue = load_catalogue()  # refused here, before anything is claimed, if UDD's edit broke the file
    store = TenderStore.from_settings(settings)
    try:
        profiles = ProfileRepository(store.engine, settings.secret_key.get_secret_value())
        sender = OutboxSender(
            store.engine, email_transport(settings), AlertComposer(settings, store, profiles, catalogue),
            today=lambda moment: local_day(moment, settings.timezone),
            clock=(lambda: now) if now else (lambda: datetime.now(UTC)), sleep=sleep,
        )
        report = sender.run()
    finally:
        store.close()
    log.info("digests: %s", report.summary())
    return report


def build_scheduler(settings: Settings) -> BackgroundScheduler:
    """The service's scheduler with both jobs in the persistent job store (call ``.start()`` / ``.shutdown()``)."""


    # The store's engine factory: on SQLite the job store then shares WAL and the busy timeout with the others.
    jobstore = SQLAlchemyJobStore(engine=create_store_engine(settings.sqlalchemy_url), tablename=JOBSTORE_TABLE)
    scheduler = BackgroundScheduler(
        jobstores={"default": jobstore},
        timezone=settings.timezone,
    )
    common = {"coalesce": True, "max_instances": 1, "replace_existing": True}
    scheduler.add_job("app.daily:daily_pipeline", CronTrigger(hour=PIPELINE_HOUR, minute=0,
                      timezone=settings.timezone), id="daily-pipeline", misfire_grace_time=PIPELINE_GRACE_SECONDS,
                      **common)
    scheduler.add_job("app.daily:send_digests", CronTrigger(day_of_week="mon-fri", hour=settings.digest_hour, minute=0,
                      timezone=settings.timezone), id="daily-digests", misfire_grace_time=DIGEST_GRACE_SECONDS,
                      **common)
    return scheduler


def start_scheduler_if_enabled(settings: Settings) -> BackgroundScheduler | None:
    """For the web app's lifespan: the scheduler, started, when ``settings.scheduler_in_web`` is set."""
    if not settings.scheduler_in_web:
        return None
    scheduler = build_scheduler(settings)
    scheduler.start()
    return scheduler


def run_once(settings: Settings | None = None, now: datetime | None = None, *, crawl: bool = True) -> str:
    """Everything the day's jobs do, now, in order (``anbudsvakt jobs run-once``)."""
    settings = settings or get_settings()
    pipeline = daily_pipeline(settings, now, crawl=crawl)
    digests = send_digests(settings, now)
    return f"{pipeline.summary()}\n{digests.summary()}"
