"""Between the API's company schemas and ``profiles.model.CompanyProfile`` (which validates org.nr, codes, e-mail)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from api.schemas.companies import CompanyCreate, CompanyPublic, CompanyUpdate
from profiles.model import Channel, ChannelKind, CompanyProfile
from profiles.repository import Company


def profile_from_create(data: CompanyCreate, now: datetime) -> CompanyProfile:
    """A new profile; raises pydantic's ValidationError (a 422 in the API) on a bad org.nr, code or address."""
    return CompanyProfile(
        orgnr=data.orgnr, name=data.name, municipality_code=data.municipality_code or None, sni=data.sni,
        size=data.size, capacity_note=data.description or None, interests=data.interests,
        channels=[Channel(address=data.email.strip().casefold())], consent_at=now if data.consent else None,
    )


def profile_with_update(profile: CompanyProfile, update: CompanyUpdate, now: datetime) -> CompanyProfile:
    """The profile with the given fields replaced; consent keeps its original time while it stays given."""
    given = update.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {k: given[k] for k in ("name", "municipality_code", "sni", "size") if k in given}
    if "description" in given:
        changes["capacity_note"] = given["description"] or None
    if update.interests is not None:
        changes["interests"] = update.interests
    if update.email is not None:
        others = [c for c in profile.channels if c.kind is not ChannelKind.EMAIL]
        changes["channels"] = [Channel(address=update.email.strip().casefold()), *others]
    if update.consent is not None:
        changes["consent_at"] = (profile.consent_at or now) if update.consent else None
    # Validate again as a whole: model_copy alone would let an invalid field through.
    return CompanyProfile.model_validate({**profile.model_dump(), **changes})


def company_email(profile: CompanyProfile) -> str | None:
    return next((c.address for c in profile.channels if c.kind is ChannelKind.EMAIL), None)


def company_public(company: Company, alerts_active: bool) -> CompanyPublic:
    profile = company.profile
    return CompanyPublic(
        id=company.id, orgnr=profile.orgnr, name=profile.name, email=company_email(profile),
        municipality_code=profile.municipality_code, size=profile.size, sni=profile.sni,
        description=profile.capacity_note, has_bid_before=company.has_bid_before, interests=profile.interests,
        alerts_active=alerts_active, created_at=company.created_at,
    )
