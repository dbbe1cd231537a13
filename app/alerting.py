"""The matching step of the daily job: new notices × consenting companies → alerts recorded in the outbox.

Only notices that pass :mod:`matcher.eligibility` are matched (that is where backfills are kept silent), and
each (company, channel, notice) is recorded once, whatever runs twice. The saved searches a company wants in its
digest run over the same notices (:mod:`app.saved_search_alerts`) and add what the matcher did not find.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from alerts.delivery.outbox import NewAlert, record_alerts
from alerts.delivery.tables import AlertKind
from app.saved_search_alerts import saved_search_alerts
from matcher.backends import open_matcher
from matcher.eligibility import DEFAULT_WINDOW, CandidateNotice, alertable_notices, consented
from matcher.feedback import down_rank, feedback_signals, traits_for_verdicts, traits_of
from matcher.match import CandidateIndex
from matcher.match.model import Match, MatchNotice, MatchProfile
from matcher.sni_tables import SniTables
from profiles.repository import ChannelRecord, Company, ProfileRepository
from profiles.saved_searches import SavedSearches
from tenders.index.base import IndexDocument
from tenders.index.documents import to_index_document
from tenders.settings import Settings
from tenders.store import TenderStore

MatchFunction = Callable[[Sequence[MatchProfile], Sequence[MatchNotice]], list[Match]]


def embedded_matcher(profiles: Sequence[MatchProfile], notices: Sequence[MatchNotice]) -> list[Match]:
    """The embedded candidate index over the profiles, the same matcher ``anbudsvakt match`` uses."""
    index = CandidateIndex(profiles, SniTables.load())
    return [match for notice in notices for match in index.match(notice)]


def _documents(store: TenderStore, candidates: Sequence[CandidateNotice]) -> list[IndexDocument]:
    """Each candidate notice's own index projection, named by the NOTICE id: a prior information notice and the
    later contract notice of the same procurement are two pieces of news, so the notice id names the alert."""
    documents = []
    for candidate in candidates:
        tender = store.get_notice(candidate.notice_id, candidate.version)
        if tender is not None:
            documents.append(to_index_document(tender).model_copy(update={"tender_id": candidate.notice_id}))
    return documents


def _recipients(profiles: ProfileRepository) -> dict[str, tuple[Company, list[ChannelRecord]]]:
    """The companies that may receive alerts now: consent given and at least one active channel."""
    recipients: dict[str, tuple[Company, list[ChannelRecord]]] = {}
    for company in profiles.companies():
        channels = profiles.channels(company.id)
        if company.consent_at is not None and channels:
            recipients[company.id] = (company, channels)
    return recipients


def settings_matcher(settings: Settings) -> MatchFunction:
    """The matcher ``settings.matcher_backend`` chooses (embedded index or OpenSearch percolator)."""

    def match(profiles: Sequence[MatchProfile], notices: Sequence[MatchNotice]) -> list[Match]:
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
    """Match the alertable notices against every company that may receive alerts, add what each company's
    digest-flagged saved searches find; returns the alerts added."""
    with Session(store.engine) as session:
        candidates = {c.notice_id: c for c in alertable_notices(session, now, window)}
    recipients = _recipients(profiles)
    if not candidates or not recipients:
        return 0
    match = matcher or embedded_matcher
    documents = _documents(store, list(candidates.values()))
    # MatchNotice.from_document is THE matcher input (see its docstring); the id stays the notice's.
    notices = [MatchNotice.from_document(document) for document in documents]
    matches = match([MatchProfile.from_company(cid, c.profile) for cid, (c, _) in recipients.items()], notices)
    matches = apply_verdicts(matches, notices, candidates, profiles, store)
    matches = [m for m in matches if m.notice_id in candidates and m.profile_id in recipients
               and consented(candidates[m.notice_id], recipients[m.profile_id][0].consent_at)]
    alerts = [
        NewAlert(m.profile_id, channel.key, AlertKind.MATCH, m.notice_id, m.notice_id,
                 candidates[m.notice_id].tender_id, m.score, list(m.reasons))
        for m in matches
        for channel in recipients[m.profile_id][1]
    ]
    searches = SavedSearches(profiles.engine).in_digest(recipients)
    verdicts = {company_id: profiles.feedback(company_id) for company_id in searches}
    alerts += saved_search_alerts(searches, documents, candidates, recipients,
                                  {(m.profile_id, m.notice_id) for m in matches}, verdicts, now)
    with Session(profiles.engine) as session, session.begin():
        return record_alerts(session, alerts, now)
