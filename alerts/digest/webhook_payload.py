"""A digest or a followed change as the webhook's JSON: the same content as the e-mail, as fields a program reads.

Keys are English (a developer's contract, like the API's JSON); values a person reads (reasons, value band,
support) stay Swedish. ``id`` is the outbox's Message-ID: a receiver that sees the same id twice (a retry after a
lost answer) can drop the second. The body stays under ``MAX_BODY_BYTES``: alerts beyond it are left out, counted
in ``omitted`` and still found in Anbudsvakt.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alerts.delivery.webhook import MAX_BODY_BYTES, encode_body
from alerts.digest.model import Digest, DigestItem, FollowMessage


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def alert_json(item: DigestItem) -> dict[str, Any]:
    return {
        "notice_id": item.notice_id,
        "tender_id": item.tender_id,
        "title": item.title,
        "kind": item.kind_label,
        "buyer": item.buyer,
        "deadline": _iso(item.deadline),
        "deadline_text": item.deadline_text,
        "url": item.link,
        "source_url": item.source_link,
        "score": round(item.score, 3),
        "reasons": list(item.reasons),
        "value_band": item.value_band,
        "udd_support": [{"title": s.rubrik, "text": s.text, "url": str(s.lank)} for s in item.supports],
        "saved_search": item.saved_search,
    }


def digest_payload(digest: Digest, *, company_id: str, message_id: str, sent_at: datetime) -> dict[str, Any]:
    alerts = [alert_json(item) for item in digest.all_items]
    payload: dict[str, Any] = {
        "event": "alerts", "id": message_id, "sent_at": sent_at.isoformat(), "day": digest.day.isoformat(),
        "company": {"id": company_id, "name": digest.company_name}, "subject": digest.subject,
        "alerts": alerts, "omitted": 0,
    }
    while len(encode_body(payload)) > MAX_BODY_BYTES and alerts:
        alerts.pop()
        payload["omitted"] += 1
    return payload


def follow_payload(message: FollowMessage, *, company_id: str, message_id: str,
                   sent_at: datetime) -> dict[str, Any]:
    return {
        "event": "follow", "id": message_id, "sent_at": sent_at.isoformat(),
        "company": {"id": company_id, "name": message.company_name}, "subject": message.subject,
        "tender": {"tender_id": message.tender_id, "title": message.title[:1000], "buyer": message.buyer,
                   "deadline_text": message.deadline_text, "url": message.link},
        "changes": message.changes[:50],
    }


def sample_event_payload(*, company_id: str, company_name: str, sent_at: datetime) -> dict[str, Any]:
    """"Skicka testhändelse": the shape of a real delivery with one made-up alert, so a receiver can be built."""
    return {
        "event": "test", "id": f"test-{int(sent_at.timestamp())}", "sent_at": sent_at.isoformat(),
        "company": {"id": company_id, "name": company_name}, "subject": "Testhändelse från Anbudsvakt",
        "alerts": [{
            "notice_id": "00000-2026", "tender_id": "test", "title": "Testannons: Takarbeten på Mora skola",
            "kind": "Upphandling – öppen för anbud", "buyer": "Mora kommun", "deadline": None,
            "deadline_text": "anges i upphandlingsdokumenten", "url": None, "source_url": None, "score": 1.0,
            "reasons": ["Detta är en testhändelse – ingen riktig annons"], "value_band": "värde ej angivet",
            "udd_support": [], "saved_search": None,
        }],
        "omitted": 0,
    }
