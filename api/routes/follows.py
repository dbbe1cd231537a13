"""Following a procurement: the company hears about a new deadline, a corrigendum and the award (alerts.follow)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status

from api.company_data import follow, follows
from api.company_deps import NOT_YOURS, OwnCompany, ProfilesDep
from api.deps import CsrfProtected, StoreDep
from api.schemas.companies import FollowPublic, FollowsPublic

router = APIRouter(prefix="/api/companies/{company_id}/follows", tags=["companies"])


@router.get("", response_model=FollowsPublic, responses=NOT_YOURS)
def list_follows(company: OwnCompany, store: StoreDep, profiles: ProfilesDep) -> FollowsPublic:
    views = follows(store, profiles, company.id)
    data = [FollowPublic(tender_id=v.tender_id, title=v.title, url=v.url, deadline=v.deadline) for v in views]
    return FollowsPublic(data=data, count=len(data))


@router.put("/{tender_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_YOURS,
            dependencies=[CsrfProtected])
def follow_tender(company: OwnCompany, tender_id: str, store: StoreDep, profiles: ProfilesDep) -> Response:
    """Follow a procurement (following it again changes nothing)."""
    if not follow(store, profiles, company.id, tender_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Upphandlingen finns inte")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/{tender_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_YOURS,
               dependencies=[CsrfProtected])
def unfollow_tender(company: OwnCompany, tender_id: str, profiles: ProfilesDep) -> Response:
    if not profiles.unfollow(company.id, tender_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Företaget följer inte den upphandlingen")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
