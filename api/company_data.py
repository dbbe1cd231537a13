"""A signed-in company's matches, follows and verdicts, read and written through profiles/, tenders/ and matcher/."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from alerts.follow import start_following
from api.search import tender_page_url
from app.matching import CompanyMatch, MatchingModels, match_documents, recent_documents, window_start
from matcher.feedback import traits_for_verdicts
from matcher.match import MatchProfile
from profiles.model import CompanyProfile
from profiles.repository import ProfileRepository
from tenders.index.base import TenderIndex
from tenders.model import Tender, pick_language
from tenders.store import TenderStore


@dataclass(frozen=True)
class MatchView:
    found: CompanyMatch
    followed: bool
    relevant: bool | None


@dataclass(frozen=True)
class FollowView:
    tender_id: str
    title: str
    url: str
    deadline: datetime | None


def followed_ids(profiles: ProfileRepository, company_id: str) -> list[str]:
    return [tender_id for _, tender_id, _ in profiles.follows(company_id)]


def profile_matches(index: TenderIndex, store: TenderStore, models: MatchingModels, company_id: str,
                    profile: CompanyProfile, verdicts: dict[str, bool], now: datetime,
                    followed: frozenset[str] = frozenset()) -> list[CompanyMatch]:
    """Matches of ``profile`` among the notices of the last 90 days, after the verdicts (also for the wizard)."""
    documents = list(recent_documents(index, window_start(now)))
    judged = traits_for_verdicts(verdicts, store.tender)
    return match_documents(MatchProfile.from_company(company_id, profile), documents, models.sni_tables(),
                           verdicts, judged, followed)


def company_matches(index: TenderIndex, store: TenderStore, profiles: ProfileRepository, models: MatchingModels,
                    company_id: str, profile: CompanyProfile, now: datetime) -> list[MatchView]:
    verdicts = profiles.feedback(company_id)
    followed = frozenset(followed_ids(profiles, company_id))
    found = profile_matches(index, store, models, company_id, profile, verdicts, now, followed)
    return [MatchView(f, f.document.tender_id in followed, verdicts.get(f.document.tender_id)) for f in found]


def _listed(tender_id: str, tender: Tender | None) -> FollowView:
    """A procurement as a line in "Upphandlingar ni följer" or "Dolda annonser"."""
    title = pick_language(tender.title) if tender else ""
    deadline = tender.submission_deadline if tender else None
    return FollowView(tender_id, title or "Upphandling utan rubrik", tender_page_url(tender_id), deadline)


def hidden(store: TenderStore, profiles: ProfileRepository, company_id: str) -> list[FollowView]:
    """The procurements the company marked "inte relevant" (hidden from its matches), to show them again."""
    rejected = [tender_id for tender_id, relevant in sorted(profiles.feedback(company_id).items()) if not relevant]
    return [_listed(tender_id, tender) for tender_id in rejected if (tender := store.tender(tender_id)) is not None]


def follows(store: TenderStore, profiles: ProfileRepository, company_id: str) -> list[FollowView]:
    return [_listed(tender_id, store.tender(tender_id)) for tender_id in followed_ids(profiles, company_id)]


# Following starts from the procurement as it is now, exactly as the daily follow check expects.
follow = start_following


def record_verdict(store: TenderStore, profiles: ProfileRepository, company_id: str, tender_id: str,
                   relevant: bool) -> bool:
    """Store "relevant"/"inte relevant" on a procurement; False if there is no such tender."""
    if store.tender(tender_id) is None:
        return False
    profiles.record_feedback(company_id, tender_id, relevant)
    return True
