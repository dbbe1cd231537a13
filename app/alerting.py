"""The matching step of the daily job: new notices × consenting companies → alerts recorded in the outbox.

Only notices that pass :mod:`matcher.eligibility` are matched (that is where backfills are kept silent), and
each (company, channel, notice) is recorded once, whatever runs twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from alerts.delivery.outbox import NewAlert, record_alerts
from alerts.delivery.tables import AlertKind
from matcher.eligibility import DEFAULT_WINDOW, CandidateNotice, alertable_notices, consented
from matcher.feedback import down_rank, feedback_signals, traits_for_verdicts, traits_of
from matcher.match.model import Match, MatchNotice, MatchProfile
from profiles.repository import ChannelRecord, Company, ProfileRepository
from tenders.settings import Settings
from tenders.store import TenderStore

MatchFunction = Callable[[Sequence[MatchProfile], Sequence[MatchNotice]], list[Match]]


def embedded_matcher(profiles: Sequence[MatchProfile], notices: Sequence[MatchNotice]) -> list[Match]:
    """The embedded candidate index over the profiles, the same matcher ``anbudsvakt match`` uses."""
    from matcher.match import CandidateIndex
    from matcher.sni_tables import SniTables

    index = CandidateIndex(profiles, SniTables.load())
    return [match for notice in notices for match in index.match(notice)]


def _notices(store: TenderStore, candidates: Sequence[CandidateNotice]) -> list[MatchNotice]:
    notices = []
    for candidate in candidates:
        tender = store.get_notice(candidate.notice_id, candidate.version)
        if tender is not None:
            # One alert per NOTICE: a prior information notice and the later contract notice of the same
            # procurement are two pieces of news, so the notice id (not the procurement id) names the alert.
            notices.append(MatchNotice.from_tender(tender).model_copy(update={"id": candidate.notice_id}))
    return notices


def settings_matcher(settings: Settings) -> MatchFunction:
    """The matcher ``settings.matcher_backend`` chooses (embedded index or OpenSearch percolator)."""

    def match(profiles: Sequence[MatchProfile], notices: Sequence[MatchNotice]) -> list[Match]:
        from matcher.backends import open_matcher
        from matcher.sni_tables import SniTables

        found = open_matcher(settings, profiles, SniTables.load()).match_many(notices)
        return [m for per_notice in found for m in per_notice]

    return match


def apply_verdicts(matches: Sequence[Match], notices: Sequence[MatchNotice],
                   candidates: Mapping[str, CandidateNotice], profiles: ProfileRepository,
                   store: TenderStore) -> list[Match]:
    """Each company's "relevant / inte relevant" verdicts drop or down-rank its matches before they become alerts
    (the same rule the web app's "mina bevakningar" applies)."""
    traits = {n.id: traits_of(n, candidates[n.id].tender_id) for n in notices if n.id in candidates}
    by_company: dict[str, list[Match]] = defaultdict(list)
    for match in matches:
        by_company[match.profile_id].append(match)
    kept: list[Match] = []
    for company_id, company_matches in by_company.items():
        verdicts = profiles.feedback(company_id)
        if verdicts:
            signals = feedback_signals(verdicts, traits_for_verdicts(verdicts, store.tender))
            followed = frozenset(tender_id for _, tender_id, _ in profiles.follows(company_id))
            company_matches = down_rank(company_matches, traits, signals, followed)
        kept.extend(company_matches)
    return kept


def record_new_matches(
    store: TenderStore,
    profiles: ProfileRepository,
    now: datetime,
    *,
    window: timedelta = DEFAULT_WINDOW,
    matcher: MatchFunction | None = None,
) -> int:
    """Match the alertable notices against every company that may receive alerts; returns the alerts added."""
    with Session(store.engine) as session:
        candidates = {c.notice_id: c for c in alertable_notices(session, now, window)}
    recipients: dict[str, tuple[Company, list[ChannelRecord]]] = {}
    for company in profiles.companies():
        channels = profiles.channels(company.id)
        if company.consent_at is not None and channels:
            recipients[company.id] = (company, channels)
    if not candidates or not recipients:
        return 0
    match = matcher or embedded_matcher
    notices = _notices(store, list(candidates.values()))
    matches = match([MatchProfile.from_company(cid, c.profile) for cid, (c, _) in recipients.items()], notices)
    matches = apply_verdicts(matches, notices, candidates, profiles, store)
    alerts = [
        NewAlert(m.profile_id, channel.key, AlertKind.MATCH, m.notice_id, m.notice_id,
                 candidates[m.notice_id].tender_id, m.score, list(m.reasons))
        for m in matches
        if m.notice_id in candidates and m.profile_id in recipients
        and consented(candidates[m.notice_id], recipients[m.profile_id][0].consent_at)
        for channel in recipients[m.profile_id][1]
    ]
    with Session(profiles.engine) as session, session.begin():
        return record_alerts(session, alerts, now)
