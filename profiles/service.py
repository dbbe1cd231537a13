"""Company life cycle on top of the repository: register, update, erase, and the GDPR export.

Input is always an already validated :class:`~profiles.model.CompanyProfile` (the CLI and the API validate);
errors here are one Swedish line (:class:`CompanyError`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from profiles.model import ChannelKind, CompanyProfile
from profiles.repository import CONSENT_NEW_EMAIL_VIA, Company, ProfileRepository
from profiles.saved_searches import SavedSearches
from profiles.webhooks import Webhooks


class CompanyError(ValueError):
    """A request about a company that cannot be carried out; ``str(err)`` is one line."""


def email_address(profile: CompanyProfile) -> str | None:
    """The address digests and sign-in links go to (compared case-insensitively: the web stores it casefolded)."""
    return next((c.address.casefold() for c in profile.channels if c.kind is ChannelKind.EMAIL), None)


class CompanyService:
    def __init__(self, repository: ProfileRepository) -> None:
        self.repository = repository

    def register(self, profile: CompanyProfile, *, has_bid_before: bool | None = None, via: str = "cli",
                 confirm_by_email: bool = False) -> Company:
        """Store a new company. With ``confirm_by_email`` (the public web) consent given in the form stays
        pending until the company uses its e-mail link (double opt-in): anyone can type someone else's address."""
        existing = self.repository.by_orgnr(profile.orgnr)
        if existing is not None:
            if confirm_by_email and self._unconfirmed_retry(existing, profile):
                # The first attempt was saved but its link may never have arrived (the relay was down): the same
                # company again, so the caller sends the link once more instead of answering "already registered".
                return existing
            raise CompanyError(f"organisationsnummer {profile.orgnr} är redan registrerat (id {existing.id})")
        wants_alerts = confirm_by_email and profile.consent_at is not None
        if confirm_by_email:
            profile = profile.model_copy(update={"consent_at": None})
        return self.repository.save(profile, has_bid_before=has_bid_before, via=via, consent_pending=wants_alerts)

    def update(self, company_id: str, profile: CompanyProfile, *, has_bid_before: bool | None = None,
               via: str = "cli", confirm_by_email: bool = False) -> Company:
        """Replace the profile. With ``confirm_by_email`` (the web) consent never covers an unconfirmed address:
        a new e-mail address puts it back to pending, and a pending one cannot be given by ticking a box."""
        current = self._require(company_id)
        other = self.repository.by_orgnr(profile.orgnr)
        if other is not None and other.id != current.id:
            raise CompanyError(f"organisationsnummer {profile.orgnr} tillhör ett annat företag (id {other.id})")
        pending = False
        if confirm_by_email:
            was_pending = self.repository.consent_pending(company_id)
            wants_alerts = profile.consent_at is not None or was_pending
            pending = wants_alerts and email_address(profile) != email_address(current.profile)
            if pending:
                via = CONSENT_NEW_EMAIL_VIA
            if pending or was_pending:
                profile = profile.model_copy(update={"consent_at": None})
        return self.repository.save(profile, company_id=company_id, has_bid_before=has_bid_before, via=via,
                                    consent_pending=pending)

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
        webhook = Webhooks(repo).current(company_id)
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
            "foljer": [tender_id for _, tender_id, _ in repo.follows(company_id)],
            "bedomningar": repo.feedback(company_id),
            "sparade_sokningar": [
                {"namn": s.name, "sokning": s.query, "i_sammanstallningen": s.in_digest,
                 "skapad": s.created_at.isoformat()}
                for s in SavedSearches(repo.engine).of_company(company_id)
            ],
            # The address and when it was registered; the signing secret is shown once and never exported.
            "webhook": None if webhook is None else {"adress": webhook.url,
                                                     "registrerad": webhook.registered_at.isoformat()},
        }

    def erase(self, company_id: str) -> None:
        """GDPR art. 17: remove the company and everything that refers to it."""
        if not self.repository.delete(company_id):
            raise CompanyError(f"inget företag med id {company_id}")

    def _unconfirmed_retry(self, existing: Company, profile: CompanyProfile) -> bool:
        """Same org.nr and e-mail address, and the company never confirmed anything (no consent given, and its
        consent log is empty or only waits for the link): nothing a stranger could learn or change by retrying."""
        address = email_address(profile)
        if address is None or address != email_address(existing.profile) or existing.profile.consent_at is not None:
            return False
        return self.repository.consent_pending(existing.id) or not self.repository.consent_log(existing.id)

    def _require(self, company_id: str) -> Company:
        company = self.repository.get(company_id)
        if company is None:
            raise CompanyError(f"inget företag med id {company_id}")
        return company
