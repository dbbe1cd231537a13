"""What a digest says, before it is rendered: one company, one day, the notices ordered by score."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from alerts.support import Contact, Support


@dataclass(frozen=True)
class DigestItem:
    tender_id: str
    notice_id: str
    title: str
    kind_label: str
    buyer: str
    deadline_text: str
    value_band: str
    link: str
    source_link: str | None
    score: float
    reasons: list[str]
    supports: list[Support]
    deadline: datetime | None = None  # the machine-readable deadline (the webhook's JSON), beside deadline_text
    saved_search: str | None = None  # the name of the company's saved search that found it, not the matcher


@dataclass(frozen=True)
class SavedSearchSection:
    """"Från era sparade sökningar": the new notices one saved search found that the matcher did not."""

    name: str
    items: list[DigestItem]


@dataclass(frozen=True)
class Digest:
    company_name: str
    day: date
    items: list[DigestItem]  # the matcher's, best first
    company_supports: list[Support]
    contact: Contact
    unsubscribe_link: str
    profile_link: str
    subject: str
    greeting: str = "Hej!"
    intro: str = ""
    saved_sections: list[SavedSearchSection] = field(default_factory=list)

    @property
    def all_items(self) -> list[DigestItem]:
        return [*self.items, *(item for section in self.saved_sections for item in section.items)]


@dataclass(frozen=True)
class FollowMessage:
    company_name: str
    tender_id: str
    title: str
    buyer: str
    changes: list[str]
    deadline_text: str
    link: str
    unsubscribe_link: str
    subject: str
