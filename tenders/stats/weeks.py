"""Weeks as the reach figures count them: ISO weeks of the Swedish date, named as people in Sweden name them."""

from __future__ import annotations

from datetime import date, timedelta


def iso_week(day: date) -> str:
    """ "2026 v. 49": sorts in time order as text, and reads as a Swedish week number."""
    year, week, _ = day.isocalendar()
    return f"{year} v. {week:02d}"


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def recent_weeks(today: date, count: int) -> list[tuple[str, date]]:
    """The last ``count`` weeks up to the one holding ``today`` as (name, Monday), the newest first."""
    monday = week_start(today)
    return [(iso_week(monday - timedelta(weeks=n)), monday - timedelta(weeks=n)) for n in range(count)]
