"""A signed-in company's own resources. Every route takes the company from the session, never from the URL alone:
an id in the path that is not the caller's answers 404, exactly like an id that does not exist."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from api.deps import CurrentCompany
from api.schemas.companies import CompanySessionPublic

router = APIRouter(prefix="/api/companies", tags=["companies"])


@router.get("/me", response_model=CompanySessionPublic)
def my_company(company: CurrentCompany) -> CompanySessionPublic:
    return CompanySessionPublic(company_id=company.subject_id, email=company.email)


@router.get("/{company_id}", response_model=CompanySessionPublic, responses={404: {"description": "Not yours"}})
def company_by_id(company_id: str, company: CurrentCompany) -> CompanySessionPublic:
    if company_id != company.subject_id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Företaget finns inte")
    return CompanySessionPublic(company_id=company.subject_id, email=company.email)
