"""The deadline calendar is valid iCalendar: eForms deadlines with fixed offsets are written in UTC, so no TZID
appears without its VTIMEZONE, and icalendar's own parser reads the same instants back."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from icalendar import Calendar

from api.company_data import FollowView
from api.feeds import deadline_calendar

STOCKHOLM_SUMMER = timezone(timedelta(hours=2))
STOCKHOLM_WINTER = timezone(timedelta(hours=1))  # how eForms states a deadline: 2024-03-15T12:00:00+01:00


def test_fixed_offset_deadlines_are_written_in_utc() -> None:
    followed = [
        FollowView("dal-a", "Snöröjning i Mora", "https://x/a", datetime(2024, 3, 15, 12, 0, tzinfo=STOCKHOLM_WINTER)),
        FollowView("dal-b", "Takbyte", "https://x/b", datetime(2024, 6, 1, 23, 59, tzinfo=STOCKHOLM_SUMMER)),
        FollowView("dal-c", "Städning", "https://x/c", datetime(2024, 9, 1, 10, 0)),  # naive: the store's UTC
    ]
    now = datetime(2024, 3, 1, 8, 0, tzinfo=STOCKHOLM_WINTER)
    text = deadline_calendar("Tak AB", [], followed, "https://anbudsvakt.example", now).to_ical().decode()
    assert "TZID" not in text or "BEGIN:VTIMEZONE" in text
    assert re.search(r"^DTSTART:20240315T110000Z\r?$", text, re.MULTILINE), text
    assert re.search(r"^DTSTAMP:20240301T070000Z\r?$", text, re.MULTILINE), text
    events = {str(e["uid"]): e for e in Calendar.from_ical(text).walk("VEVENT")}
    assert events["dal-a@anbudsvakt"].decoded("dtstart") == datetime(2024, 3, 15, 11, 0, tzinfo=UTC)
    assert events["dal-b@anbudsvakt"].decoded("dtstart") == datetime(2024, 6, 1, 21, 59, tzinfo=UTC)
    assert events["dal-c@anbudsvakt"].decoded("dtstart") == datetime(2024, 9, 1, 10, 0, tzinfo=UTC)
    for event in events.values():
        assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=30)


def test_every_tzid_in_the_calendar_has_its_vtimezone() -> None:
    deadline = datetime(2025, 1, 31, 12, 0, tzinfo=STOCKHOLM_WINTER)
    calendar = deadline_calendar("Tak AB", [], [FollowView("dal-a", "Tak", "u", deadline)], "https://x",
                                 datetime(2025, 1, 1, tzinfo=UTC))
    text = calendar.to_ical().decode()
    tzids = set(re.findall(r";TZID=\"?([^:\";]+)", text))
    defined = {str(tz["tzid"]) for tz in Calendar.from_ical(text).walk("VTIMEZONE")}
    assert tzids <= defined
