"""Small value conversions every part of the OCDS mapping shares."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from tenders.model import Money


def put(target: dict[str, Any], key: str, value: Any) -> None:
    """Set only what is known: OCDS leaves a field out rather than writing null or an empty list."""
    if value not in (None, "", [], {}):
        target[key] = value


def money(value: Money | None) -> dict[str, Any] | None:
    return {"amount": value.amount, "currency": value.currency.upper()} if value else None


def day_start(day: date) -> str:
    """A date as the RFC 3339 date-time OCDS requires: midnight UTC of that day."""
    return datetime.combine(day, time.min).isoformat() + "Z"
