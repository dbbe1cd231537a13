"""Build a company's digest from its recorded alerts: never empty, best match first, each with its UDD support."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from alerts.digest.formatting import buyer_text, deadline_text, kind_label, swedish_date, value_band
from alerts.digest.model import Digest, DigestItem, SavedSearchSection
from alerts.support import SupportCatalogue, supports_for_company, supports_for_notice
from tenders.demo import DEMO_SOURCE
from tenders.formatting import human_source_link
from tenders.model import Tender, pick_language
from tenders.public_urls import PublicUrls


@dataclass(frozen=True)
class ScoredNotice:
    """One recorded alert: which notice (of which procurement), its score and the matcher's Swedish reasons."""

    tender_id: str
    notice_id: str
    score: float
    reasons: Sequence[str]
    saved_search: str | None = None  # found by this saved search of the company, not by the matcher


@dataclass(frozen=True)
class Recipient:
    company_name: str
    has_bid_before: bool | None
    unsubscribe_link: str
    profile_link: str


def tender_link(base_url: str, tender_id: str) -> str:
    return PublicUrls(base_url).tender(tender_id)


def digest_item(alert: ScoredNotice, tender: Tender, catalogue: SupportCatalogue, *, base_url: str,
                timezone: str) -> DigestItem:
    deadline = tender.submission_deadline or tender.participation_deadline
    return DigestItem(
        tender_id=alert.tender_id,
        notice_id=alert.notice_id,
        title=pick_language(tender.title) or "(annonsen saknar rubrik)",
        kind_label=kind_label(tender),
        buyer=buyer_text(tender),
        deadline_text=deadline_text(deadline, timezone),
        value_band=value_band(tender, tender.value_sek()),
        link=tender_link(base_url, alert.tender_id),
        source_link=human_source_link(tender),
        score=alert.score,
        reasons=list(alert.reasons) or ["matchar er bevakning"],
        supports=supports_for_notice(catalogue, tender),
        deadline=deadline,
        saved_search=alert.saved_search,
    )


def saved_search_sections(items: Sequence[DigestItem]) -> list[SavedSearchSection]:
    """The saved searches' items, one section per search (alphabetical), each item once (the outbox saw to it)."""
    by_name: dict[str, list[DigestItem]] = {}
    for item in items:
        if item.saved_search is not None:
            by_name.setdefault(item.saved_search, []).append(item)
    return [SavedSearchSection(name, by_name[name]) for name in sorted(by_name, key=str.casefold)]


def build_digest(
    recipient: Recipient,
    day: date,
    alerts: Sequence[ScoredNotice],
    tenders: Mapping[str, Tender],
    catalogue: SupportCatalogue,
    *,
    base_url: str,
    timezone: str,
) -> Digest | None:
    """The digest of ``day``; None when no alert has a notice to show (a digest is never empty)."""
    items = [
        digest_item(alert, tenders[alert.tender_id], catalogue, base_url=base_url, timezone=timezone)
        for alert in alerts
        if alert.tender_id in tenders
    ]
    if not items:
        return None
    items.sort(key=lambda item: (-item.score, item.tender_id))
    matched = [item for item in items if item.saved_search is None]
    # Example notices (tenders/demo.py) must never pass for real ones, in the subject line least of all.
    shown_demo = any(tenders[alert.tender_id].source == DEMO_SOURCE for alert in alerts if alert.tender_id in tenders)
    demo = "Exempeldata – " if shown_demo else ""
    demo_note = "Exempeldata: annonserna nedan är exempel och går inte att lämna anbud på. " if shown_demo else ""
    count = len(items)
    noun = "ny annons" if count == 1 else "nya annonser"
    what = "dagens annonser som passar" if matched else "dagens nya annonser från de sparade sökningarna för"
    first = ", den bästa träffen först" if matched else ""
    return Digest(
        company_name=recipient.company_name,
        day=day,
        items=matched,
        saved_sections=saved_search_sections(items),
        company_supports=supports_for_company(catalogue, has_bid_before=recipient.has_bid_before),
        contact=catalogue.kontakt,
        unsubscribe_link=recipient.unsubscribe_link,
        profile_link=recipient.profile_link,
        subject=f"{demo}Anbudsvakt {swedish_date(day)}: {count} {noun} för {recipient.company_name}",
        intro=f"{demo_note}Här är {what} {recipient.company_name}{first}.",
    )
