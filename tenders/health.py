"""Source health: per source its last run, items, errors, completeness, and an alarm when it has gone quiet.

``source_health(source, runs, now)`` is a pure function of a source's crawl-run history. A source "yields" when
a run stored at least one notice. Its usual gap is the median time between runs that yielded; the alarm trips
when the source has yielded nothing for longer than that gap times a factor (never sooner than
``HealthPolicy.min_alarm_after``, so a weekend or a public holiday without notices does not wake anyone).
Completeness is what a run stored against what the source said it had (TED: the search API's
``totalNoticeCount``, recorded as the run's ``expected``).

``check_sources(store, sink, now)`` computes the health of every source and hands each alarm to a
:class:`StaffAlertSink`; :class:`FileAlertOutbox` records alerts once per silence, so a daily check does not
repeat an alarm staff have already had.
"""

from __future__ import annotations

import itertools
import json
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from tenders.settings import Settings
from tenders.store import CrawlRun, TenderStore

# Sources the service is meant to crawl: one that has never run is shown (and alarms) rather than missing.
KNOWN_SOURCES = ("ted", "mercell", "eavrop", "kommersannons", "uhm")
SOURCE_LABELS = {"ted": "TED (EU:s annonsdatabas)", "mercell": "Mercell", "eavrop": "e-Avrop",
                 "kommersannons": "KommersAnnons",
                 "uhm": "Upphandlingsmyndighetens statistik"}
BLOCKED_MARKER = "är blockerad:"  # how a crawl run's note says robots.txt or the terms stopped it
HISTORY_RUNS = 200  # runs per source read to estimate its usual gap: months of daily crawls
COMPLETENESS_WARNING = 0.99  # below this share of the expected notices the page warns


@dataclass(frozen=True)
class HealthPolicy:
    factor: float = 3.0
    min_yielding_runs: int = 3  # fewer runs that yielded than this: the usual gap is not yet known
    fallback_gap: timedelta = timedelta(days=1)  # assumed until then: the crawls are meant to run daily
    min_alarm_after: timedelta = timedelta(days=4)  # a long weekend (Friday to Tuesday) is no alarm


@dataclass(frozen=True)
class SourceHealth:
    source: str
    runs: int  # runs in the history read
    last_run: CrawlRun | None
    last_complete_run: CrawlRun | None
    last_yield_at: datetime | None  # start of the newest run that stored a notice
    usual_gap: timedelta | None  # median gap between runs that yielded; None until enough history
    alarm_after: timedelta
    silent_for: timedelta | None  # since the last yield, or since the first run when it never yielded
    completeness: float | None  # stored / expected of the newest run that stated what to expect
    completeness_run: CrawlRun | None
    alarm: bool
    reason: str  # one Swedish line saying why it alarms, empty when it does not
    warnings: tuple[str, ...] = ()
    blocked: str = ""  # why robots.txt, the terms of use or the definition stopped the last run; empty if none


    @property
    def label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    @property
    def alert_key(self) -> str:
        """Same key for the whole of one silence: the alert is sent once, not on every check."""
        since = self.last_yield_at.isoformat() if self.last_yield_at else "aldrig"
        return f"{self.source}:tyst-sedan:{since}"


def aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; the store writes UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run_completeness(run: CrawlRun) -> float | None:
    """Share of the expected notices the run stored; None when the source stated no expectation."""
    if run.expected is None:
        return None
    if run.expected == 0:
        return 1.0  # nothing to fetch, nothing missed
    return min(run.items, run.expected) / run.expected


def usual_gap(runs: Iterable[CrawlRun], policy: HealthPolicy) -> timedelta | None:
    """Median time between consecutive runs that stored something; None with too little history."""
    starts = sorted(aware(run.started_at) for run in runs if run.items > 0)
    if len(starts) < max(policy.min_yielding_runs, 2):
        return None
    gaps = [(later - earlier).total_seconds() for earlier, later in itertools.pairwise(starts)]
    return timedelta(seconds=statistics.median(gaps))


def source_health(
    source: str, runs: Sequence[CrawlRun], now: datetime, policy: HealthPolicy | None = None
) -> SourceHealth:
    """The health of ``source`` from its runs (any order) as of ``now``."""
    policy = policy or HealthPolicy()
    ordered = sorted(runs, key=lambda run: (aware(run.started_at), run.id), reverse=True)  # newest first
    gap = usual_gap(ordered, policy)
    alarm_after = max((gap or policy.fallback_gap) * policy.factor, policy.min_alarm_after)
    last_yield = next((run for run in ordered if run.items > 0), None)
    last_yield_at = aware(last_yield.started_at) if last_yield else None
    quiet_since = last_yield_at or (aware(ordered[-1].started_at) if ordered else None)
    silent_for = now - quiet_since if quiet_since else None
    measured = next((run for run in ordered if run.expected is not None), None)
    return SourceHealth(
        source=source,
        runs=len(ordered),
        last_run=ordered[0] if ordered else None,
        last_complete_run=next((run for run in ordered if run.complete), None),
        last_yield_at=last_yield_at,
        usual_gap=gap,
        alarm_after=alarm_after,
        silent_for=silent_for,
        completeness=run_completeness(measured) if measured else None,
        completeness_run=measured,
        alarm=silent_for is None or silent_for > alarm_after,
        reason=_alarm_reason(source, ordered, last_yield_at, silent_for, alarm_after),
        warnings=_warnings(ordered, measured),
        blocked=blocked_reason(ordered[0]) if ordered else "",
    )


def blocked_reason(run: CrawlRun) -> str:
    """The crawl log's "<källa> är blockerad: <why>" (crawlers/outcome.py) of a run, else empty."""
    _, marker, reason = (run.note or "").partition(BLOCKED_MARKER)
    return reason.strip() if marker else ""


def _alarm_reason(
    source: str, ordered: Sequence[CrawlRun], last_yield_at: datetime | None, silent_for: timedelta | None,
    alarm_after: timedelta,
) -> str:
    label = SOURCE_LABELS.get(source, source)
    if silent_for is None:
        return f"{label} har aldrig körts."
    if silent_for <= alarm_after:
        return ""
    limit = days_text(alarm_after)
    if last_yield_at is None:
        return f"{label} har inte gett några notiser på {len(ordered)} körningar sedan {last_run_date(ordered)} " \
               f"(larmgräns {limit})."
    return f"{label} har inte gett några notiser på {days_text(silent_for)}, sedan {last_yield_at:%Y-%m-%d} " \
           f"(brukar gå högst {limit})."


def last_run_date(ordered: Sequence[CrawlRun]) -> str:
    return f"{aware(ordered[-1].started_at):%Y-%m-%d}"


def days_text(span: timedelta) -> str:
    days = span.total_seconds() / 86_400
    if days < 1:
        return f"{span.total_seconds() / 3600:.0f} timmar"
    return f"{days:.1f} dygn".replace(".", ",")


def _warnings(ordered: Sequence[CrawlRun], measured: CrawlRun | None) -> tuple[str, ...]:
    found = []
    if ordered and not ordered[0].complete:
        note = f" ({ordered[0].note})" if ordered[0].note else ""
        found.append(f"Senaste körningen blev inte komplett{note}.")
    if ordered and ordered[0].errors:
        found.append(f"Senaste körningen hade {ordered[0].errors} fel.")
    share = run_completeness(measured) if measured else None
    if measured is not None and share is not None and share < COMPLETENESS_WARNING:
        found.append(f"Lagrade {measured.items} av {measured.expected} notiser som källan angav.")
    return tuple(found)


# ----- alerts to staff -----


@dataclass(frozen=True)
class StaffAlert:
    key: str  # the same key is never sent twice
    source: str
    subject: str
    body: str
    created_at: str


class StaffAlertSink(Protocol):
    def send(self, alert: StaffAlert) -> bool:
        """Record or deliver the alert; False when this key was already sent."""


class FileAlertOutbox:
    """Alerts as JSON lines in a file (``data_dir/staff-alerts.jsonl``), each key once, for mail or the page."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def alerts(self) -> list[StaffAlert]:
        """Every recorded alert, oldest first."""
        if not self.path.is_file():
            return []
        with self.path.open(encoding="utf-8") as handle:
            return [StaffAlert(**json.loads(line)) for line in handle if line.strip()]

    def sent_keys(self) -> set[str]:
        return {alert.key for alert in self.alerts()}

    def send(self, alert: StaffAlert) -> bool:
        if alert.key in self.sent_keys():
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(alert), ensure_ascii=False) + "\n")
        return True


def staff_alert_path(settings: Settings) -> Path:
    """Where the daily health check records staff alerts and the sources page reads them."""
    return settings.data_dir / "staff-alerts.jsonl"


def sources_in(store: TenderStore, known: Iterable[str] = KNOWN_SOURCES) -> list[str]:
    """The known sources first, then any other source that has runs in the store."""
    seen = [run.source for run in store.runs(limit=HISTORY_RUNS)]
    return list(dict.fromkeys([*known, *sorted(seen)]))


def store_health(store: TenderStore, now: datetime | None = None, policy: HealthPolicy | None = None,
                 known: Iterable[str] = KNOWN_SOURCES) -> list[SourceHealth]:
    now = now or datetime.now(UTC)
    return [source_health(s, store.runs(s, limit=HISTORY_RUNS), now, policy) for s in sources_in(store, known)]


def check_sources(store: TenderStore, sink: StaffAlertSink, now: datetime | None = None,
                  policy: HealthPolicy | None = None, known: Iterable[str] = KNOWN_SOURCES) -> list[SourceHealth]:
    """Compute every source's health and send one alert per source that has gone quiet."""
    now = now or datetime.now(UTC)
    healths = store_health(store, now, policy, known)
    for health in healths:
        if health.alarm:
            sink.send(StaffAlert(key=health.alert_key, source=health.source,
                                 subject=f"Anbudsvakt: {health.label} ger inga notiser",
                                 body=health.reason, created_at=now.isoformat()))
    return healths
