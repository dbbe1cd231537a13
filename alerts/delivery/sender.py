"""Send what the outbox holds: one digest per company, channel and day; one message per followed change.

Idempotency (a crash must never cause a second e-mail):
  1. The Message-ID is chosen and the rows are marked ``sending`` (attempts + 1, claimed_at) and COMMITTED before
     the transport is called.
  2. After the transport returns, the rows are marked ``sent``.
  If the process dies between 1 and 2 we cannot know whether the relay accepted the message: SMTP offers no way
  to ask it. We choose the conservative side: a ``sending`` row whose claim is older than ``SENDING_LEASE`` is
  never resent; it is moved to ``review`` with its Message-ID, so staff can look it up in the relay's log and
  requeue it (``anbudsvakt digest requeue``). A lost alert is visible and recoverable; a duplicate e-mail is not
  recoverable. The window is small (the claim is committed just before the transport call), and the same rule
  covers a connection that breaks during DATA (:class:`~alerts.delivery.transport.AmbiguousSendError`).
  The lease (longer than any SMTP timeout) keeps a second sender running at the same time from flagging the
  first one's in-flight rows.

Retries: a definite, temporary refusal (no connection, 4xx) is retried a few times in the same run with growing
pauses, then left ``pending`` with a later ``next_attempt_at`` for the next run; after ``max_attempts`` it is
``failed``. A permanent refusal (5xx) is ``failed`` at once. A message that cannot be composed at all (a broken
template, a bug) leaves its rows pending with the reason for a later run; the others are still delivered.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from alerts.delivery.tables import AlertKind, AlertState, OutboxRow
from alerts.delivery.transport import (
    AmbiguousSendError,
    AppriseTransport,
    DefiniteSendError,
    EmailTransport,
    Notification,
)
from alerts.delivery.webhook import WebhookDelivery, WebhookTransport

logger = logging.getLogger("anbudsvakt.delivery")
SENDING_LEASE = timedelta(minutes=10)  # far longer than SMTP_TIMEOUT_SECONDS; a live sender finishes well within
MESSAGE_ID_DOMAIN = "anbudsvakt"


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    attempts_per_run: int = 3
    first_pause_seconds: float = 2.0  # in-run pauses: 2 s, 8 s (a relay restarting, a greylisting 451)
    later_pause: timedelta = timedelta(minutes=30)  # between runs: 30 min, 1 h, 2 h ... capped below

    def pause_in_run(self, attempt: int) -> float:
        return self.first_pause_seconds * 4 ** (attempt - 1)

    def next_run_delay(self, attempts: int) -> timedelta:
        return min(self.later_pause * 2 ** (attempts - 1), timedelta(hours=12))


@dataclass(frozen=True)
class Batch:
    """Rows that go out as ONE message (a digest, or one followed change) to one channel of one company."""

    company_id: str
    channel: str
    kind: AlertKind
    row_ids: tuple[int, ...]
    message_id: str
    today: date


@dataclass
class Outgoing:
    """The composed message: an e-mail for the ``email`` channel, signed JSON for a ``webhook`` channel, a
    notification + Apprise URL otherwise."""

    email: EmailMessage | None = None
    apprise_url: str | None = None
    notification: Notification | None = None
    webhook: WebhookDelivery | None = None


@dataclass
class DeliveryReport:
    sent: int = 0
    retry_later: int = 0
    failed: int = 0
    review: int = 0
    skipped: int = 0
    messages: list[str] = field(default_factory=list)  # Message-IDs sent in this run

    def summary(self) -> str:
        return (f"skickade {self.sent}, försöker senare {self.retry_later}, misslyckade {self.failed}, "
                f"att granska {self.review}, hoppade över {self.skipped}")


Composer = Callable[[Batch, Session], Outgoing | None]


class OutboxSender:
    def __init__(
        self,
        engine: sa.Engine,
        email: EmailTransport,
        compose: Composer,
        *,
        today: Callable[[datetime], date],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        apprise: AppriseTransport | None = None,
        webhook: WebhookTransport | None = None,
    ) -> None:
        self.engine, self.email, self.compose = engine, email, compose
        self.today, self.clock, self.sleep = today, clock, sleep
        self.policy = policy or RetryPolicy()
        self.apprise = apprise or AppriseTransport()
        self.webhook = webhook or WebhookTransport()

    def run(self) -> DeliveryReport:
        report = DeliveryReport()
        now = self.clock()
        report.review += flag_stale_claims(self.engine, now)
        for batch in due_batches(self.engine, now, self.today(now)):
            self._deliver(batch, report)
        return report

    def _deliver(self, batch: Batch, report: DeliveryReport) -> None:
        try:
            with Session(self.engine) as session:
                outgoing = self.compose(batch, session)
        except Exception as err:  # one company's message that cannot be made must not stop the others' delivery
            logger.exception("could not compose the message for %s/%s", batch.company_id, batch.channel)
            later = self.clock() + self.policy.later_pause  # nothing was claimed: left pending for a later run
            _release(self.engine, batch, later, f"meddelandet kunde inte skapas: {type(err).__name__}")
            report.retry_later += 1
            return
        if outgoing is None:  # the channel was unsubscribed or the company erased since the alert was recorded
            _finish(self.engine, batch, AlertState.FAILED, self.clock(), "kanalen är avslutad")
            report.skipped += 1
            return
        for attempt in range(1, self.policy.attempts_per_run + 1):
            attempts = _claim(self.engine, batch, self.clock())
            if attempts is None:  # another sender claimed these rows first
                report.skipped += 1
                return
            outcome = self._attempt(batch, outgoing, attempts, final=attempt == self.policy.attempts_per_run)
            if outcome is not None:
                _count(report, outcome, batch)
                return
            self.sleep(self.policy.pause_in_run(attempt))

    def _attempt(self, batch: Batch, outgoing: Outgoing, attempts: int, *, final: bool) -> AlertState | None:
        """One try. Returns the state the rows ended in, or None to try again in this run."""
        try:
            self._transmit(outgoing)
        except AmbiguousSendError as err:
            _finish(self.engine, batch, AlertState.REVIEW, self.clock(), str(err))
            return AlertState.REVIEW
        except DefiniteSendError as err:
            if err.permanent or attempts >= self.policy.max_attempts:
                _finish(self.engine, batch, AlertState.FAILED, self.clock(), str(err))
                return AlertState.FAILED
            later = self.clock() + (self.policy.next_run_delay(attempts) if final else timedelta(0))
            _release(self.engine, batch, later, str(err))
            return AlertState.PENDING if final else None
        _finish(self.engine, batch, AlertState.SENT, self.clock(), "")
        return AlertState.SENT

    def _transmit(self, outgoing: Outgoing) -> None:
        if outgoing.email is not None:
            self.email.send(outgoing.email)
        elif outgoing.webhook is not None:
            self.webhook.send(outgoing.webhook)
        elif outgoing.apprise_url and outgoing.notification:
            self.apprise.send(outgoing.apprise_url, outgoing.notification)


def _count(report: DeliveryReport, state: AlertState, batch: Batch) -> None:
    if state is AlertState.SENT:
        report.sent += 1
        report.messages.append(batch.message_id)
    elif state is AlertState.REVIEW:
        report.review += 1
    elif state is AlertState.FAILED:
        report.failed += 1
    else:
        report.retry_later += 1


def flag_stale_claims(engine: sa.Engine, now: datetime) -> int:
    """Rows left ``sending`` by a sender that died: outcome unknown, so ``review`` (never resent automatically).

    Returns the number of messages (not rows: a digest of five notices is one message) flagged.
    """
    stale = (OutboxRow.state == AlertState.SENDING, OutboxRow.claimed_at < now - SENDING_LEASE)
    with engine.begin() as connection:
        messages = connection.execute(sa.select(sa.func.count(sa.distinct(OutboxRow.message_id))).where(*stale))
        flagged = messages.scalar_one()
        connection.execute(
            sa.update(OutboxRow)
            .where(*stale)
            .values(state=AlertState.REVIEW, last_error="avbrutet under sändning: kan ha levererats, granska")
        )
    return int(flagged)


def due_batches(engine: sa.Engine, now: datetime, today: date) -> Iterable[Batch]:
    """Pending rows that are due, grouped into messages; a channel that had its digest today waits for tomorrow."""
    with Session(engine) as session:
        rows = session.execute(
            sa.select(OutboxRow.id, OutboxRow.company_id, OutboxRow.channel, OutboxRow.kind)
            .where(OutboxRow.state == AlertState.PENDING, OutboxRow.next_attempt_at <= now)
            .order_by(OutboxRow.company_id, OutboxRow.channel, OutboxRow.id)
        ).all()
        had_digest = _channels_with_digest_on(session, today)
    digests: dict[tuple[str, str], list[int]] = {}
    for row_id, company_id, channel, kind in rows:
        if kind == AlertKind.FOLLOW:
            yield Batch(company_id, channel, AlertKind.FOLLOW, (row_id,), _message_id(), today)
        elif (company_id, channel) not in had_digest:
            digests.setdefault((company_id, channel), []).append(row_id)
    for (company_id, channel), ids in digests.items():
        yield Batch(company_id, channel, AlertKind.MATCH, tuple(ids), _message_id(), today)


def _channels_with_digest_on(session: Session, today: date) -> set[tuple[str, str]]:
    query = sa.select(OutboxRow.company_id, OutboxRow.channel).where(
        OutboxRow.kind == AlertKind.MATCH,
        OutboxRow.digest_date == today,
        OutboxRow.state.in_([AlertState.SENDING, AlertState.SENT, AlertState.REVIEW]),
    )
    return {(company_id, channel) for company_id, channel in session.execute(query).all()}


def _message_id() -> str:
    return make_msgid(domain=MESSAGE_ID_DOMAIN)


def _claim(engine: sa.Engine, batch: Batch, now: datetime) -> int | None:
    """Mark the batch ``sending`` with its Message-ID and commit; None if any row is no longer pending."""
    with engine.begin() as connection:
        claimed = connection.execute(
            sa.update(OutboxRow)
            .where(OutboxRow.id.in_(batch.row_ids), OutboxRow.state == AlertState.PENDING)
            .values(state=AlertState.SENDING, attempts=OutboxRow.attempts + 1, claimed_at=now,
                    message_id=batch.message_id, digest_date=batch.today)
        ).rowcount
        if claimed != len(batch.row_ids):
            connection.rollback()
            return None
        return connection.execute(
            sa.select(sa.func.max(OutboxRow.attempts)).where(OutboxRow.id.in_(batch.row_ids))
        ).scalar_one()


def _finish(engine: sa.Engine, batch: Batch, state: AlertState, now: datetime, error: str) -> None:
    values: dict[str, object] = {"state": state, "last_error": error[:2000]}
    if state is AlertState.SENT:
        values["sent_at"] = now
    with engine.begin() as connection:
        connection.execute(sa.update(OutboxRow).where(OutboxRow.id.in_(batch.row_ids)).values(**values))


def _release(engine: sa.Engine, batch: Batch, next_attempt_at: datetime, error: str) -> None:
    """A definite, temporary failure: back to ``pending`` (nothing was sent), due again at ``next_attempt_at``."""
    with engine.begin() as connection:
        connection.execute(
            sa.update(OutboxRow)
            .where(OutboxRow.id.in_(batch.row_ids))
            .values(state=AlertState.PENDING, next_attempt_at=next_attempt_at, last_error=error[:2000],
                    digest_date=None, claimed_at=None)
        )
