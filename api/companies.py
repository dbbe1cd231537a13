"""How the web app finds a company by e-mail when it asks for a sign-in link.

Companies belong to ``profiles/``; the sign-in only needs these two questions answered, so it depends on this
small protocol. ``AppResources`` plugs in ``profiles.repository.ProfileRepository``, which answers both; tests
may plug in a dictionary.
"""

from __future__ import annotations

from typing import Protocol


class CompanyDirectory(Protocol):
    def company_id_for_email(self, email: str) -> str | None:
        """The id of the company whose sign-in e-mail this is, if any (compared case-insensitively)."""

    def company_exists(self, company_id: str) -> bool:
        """False once a company has been erased: its sessions then stop working."""
