"""Dependencies of the company routes: the profiles repository, the matcher's models, the clock, and the
signed-in company's OWN record. Every company route goes through ``OwnCompany`` or ``SignedInCompany``: an id
in the path that is not the caller's answers 404, exactly like an id that does not exist."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, HTTPException, status

from api.deps import CurrentCompany, ResourcesDep
from app.matching import MatchingModels
from profiles.repository import Company, ProfileRepository
from profiles.service import CompanyService


def get_profiles(resources: ResourcesDep) -> ProfileRepository:
    return resources.profiles


def get_models(resources: ResourcesDep) -> MatchingModels:
    return resources.models


def get_clock() -> datetime:
    """Now, in UTC; tests override this to pin the 90-day window."""
    return datetime.now(UTC)


ProfilesDep = Annotated[ProfileRepository, Depends(get_profiles)]
ModelsDep = Annotated[MatchingModels, Depends(get_models)]
NowDep = Annotated[datetime, Depends(get_clock)]


def get_company_service(profiles: ProfilesDep) -> CompanyService:
    return CompanyService(profiles)


CompanyServiceDep = Annotated[CompanyService, Depends(get_company_service)]

NOT_FOUND = "Företaget finns inte"
# OpenAPI: what a company route answers for another company's id, an unknown id or an unknown tender.
NOT_YOURS: dict[int | str, dict[str, Any]] = {404: {"description": "Finns inte – eller är inte ert"}}


def signed_in_company(principal: CurrentCompany, profiles: ProfilesDep) -> Company:
    company = profiles.get(principal.subject_id)
    if company is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return company


SignedInCompany = Annotated[Company, Depends(signed_in_company)]


ME = "me"  # /api/companies/me/...: the caller's own company, for a client holding a company API key


def own_company(company_id: str, company: SignedInCompany) -> Company:
    if company_id not in (company.id, ME):
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return company


OwnCompany = Annotated[Company, Depends(own_company)]
