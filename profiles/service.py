"""Company life cycle on top of the repository: register, update, erase, and the GDPR export.

Input is always an already validated :class:`~profiles.model.CompanyProfile` (the CLI and the API validate);
errors here are one Swedish line (:class:`CompanyError`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from profiles.model import CompanyProfile
from profiles.repository import Company, ProfileRepository


class CompanyError(ValueError):
    """A request about a company that cannot be carried out; ``str(err)`` is one line."""


class CompanyService:
    def __init__(self, repository: ProfileRepository) -> None:
        self.repository = repository

    def register(self, profile: CompanyProfile, *, has_bid_before: bool | None = None, via: str = "cli",
                 confirm_by_email: bool = False) -> Company:
        """Store a new company. With ``confirm_by_email`` (the public web) consent given in the form stays
        pending until the company uses its e-mail link (double opt-in): anyone can type someone else's address."""
        existing = self.repository.by_orgnr(profile.orgnr)
        if existing is not None:
            raise CompanyError(f"organisationsnummer {profile.orgnr} är redan registrerat (id {existing.id})")
        wants_alerts = confirm_by_email and profile.consent_at is not None
        if confirm_by_email:
            profile = profile.model_copy(update={"consent_at": None})
        return self.repository.save(profile, has_bid_before=has_bid_before, via=via, consent_pending=wants_alerts)

    def update(self, company_id: str, profile: CompanyProfile, *, has_bid_before: bool | None = None,
               via: str = "cli") -> Company:
        current = self._require(company_id)
        other = self.repository.by_orgnr(profile.orgnr)
        if other is not None and other.id != current.id:
            raise CompanyError(f"organisationsnummer {profile.orgnr} tillhör ett annat företag (id {other.id})")
        return self.repository.save(profile, company_id=company_id, has_bid_before=has_bid_before, via=via)

    def give_consent(self, company_id: str, at: datetime | None = None, via: str = "cli") -> Company:
        company = self._require(company_id)
        profile = company.profile.model_copy(update={"consent_at": at or datetime.now(UTC)})
        return self.repository.save(profile, company_id=company_id, via=via)

    def withdraw_consent(self, company_id: str, via: str = "cli") -> Company:
        company = self._require(company_id)
        profile = company.profile.model_copy(update={"consent_at": None})
        return self.repository.save(profile, company_id=company_id, via=via)

    def export(self, company_id: str) -> dict[str, Any]:
        """Everything stored about the company (GDPR art. 15/20), as JSON-ready data."""
        company = self._require(company_id)
        repo = self.repository
        return {
            "id": company.id,
            "registrerad": company.created_at.isoformat(),
            "profil": company.profile.model_dump(mode="json"),
            "har_lamnat_anbud_tidigare": company.has_bid_before,
            "kanaler": [
                {"typ": c.kind.value, "adress": c.address, "aktiv": c.active}
                for c in repo.channels(company_id, active_only=False)
            ],
            "samtycke": repo.consent_log(company_id),
            "foljer": [tender_id for cid, tender_id, _ in repo.follows() if cid == company_id],
            "bedomningar": repo.feedback(company_id),
        }

    def erase(self, company_id: str) -> None:
        """GDPR art. 17: remove the company and everything that refers to it."""
        if not self.repository.delete(company_id):
            raise CompanyError(f"inget företag med id {company_id}")

    def _require(self, company_id: str) -> Company:
        company = self.repository.get(company_id)
        if company is None:
            raise CompanyError(f"inget företag med id {company_id}")
        return company
