"""What a digest says, before it is rendered: one company, one day, the notices ordered by score."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


@dataclass(frozen=True)
class Digest:
    company_name: str
    day: date
    items: list[DigestItem]
    company_supports: list[Support]
    contact: Contact
    unsubscribe_link: str
    profile_link: str
    subject: str
    greeting: str = "Hej!"
    intro: str = ""


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
