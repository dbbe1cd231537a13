"""A company's matches with the matcher's Swedish reasons, and its verdicts on them ("relevant" / "inte relevant").

Verdicts are stored per procurement and change what the company is shown: a procurement marked "inte relevant"
disappears and notices like it (same CPV group or buyer) sink; see ``matcher.feedback``."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status

from api.company_data import MatchView, company_matches, record_verdict
from api.company_deps import NOT_YOURS, ModelsDep, NowDep, OwnCompany, ProfilesDep
from api.deps import CsrfProtected, IndexDep, StoreDep
from api.schemas.companies import FeedbackCreate, MatchesPublic, MatchPublic
from api.search import tender_page_url
from app.matching import WINDOW_DAYS

router = APIRouter(prefix="/api/companies/{company_id}", tags=["companies"])


def match_public(view: MatchView) -> MatchPublic:
    document, match = view.found.document, view.found.match
    return MatchPublic(
        tender_id=document.tender_id, title=document.title, url=tender_page_url(document.tender_id),
        score=match.score, reasons=list(match.reasons), buyer_names=document.buyer_names,
        deadline=document.deadline, published=document.published, form_type=document.form_type,
        followed=view.followed, relevant=view.relevant,
    )


@router.get("/matches", response_model=MatchesPublic, responses=NOT_YOURS)
def list_matches(company: OwnCompany, index: IndexDep, store: StoreDep, profiles: ProfilesDep, models: ModelsDep,
                 now: NowDep) -> MatchesPublic:
    """The notices of the last 90 days that match the company's profile, best first, each with why."""
    views = company_matches(index, store, profiles, models, company.id, company.profile, now)
    return MatchesPublic(data=[match_public(v) for v in views], count=len(views), window_days=WINDOW_DAYS)


@router.put("/feedback/{tender_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_YOURS,
            dependencies=[CsrfProtected])
def give_feedback(company: OwnCompany, tender_id: str, verdict: FeedbackCreate, store: StoreDep,
                  profiles: ProfilesDep) -> Response:
    """Mark a procurement relevant or not; giving a new verdict replaces the old one."""
    if not record_verdict(store, profiles, company.id, tender_id, verdict.relevant):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Upphandlingen finns inte")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
