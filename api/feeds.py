"""A company's matches as Atom and RSS (feedgen), and the deadlines of its matched and followed procurements as
an iCalendar file (icalendar), each event with a reminder two days before."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator
from icalendar import Alarm, Calendar, Event

from api.company_data import FollowView, MatchView
from tenders.formatting import TIMEZONE, local_wall_clock
from tenders.index.base import IndexDocument
from tenders.public_urls import PublicUrls

# What XML 1.0 cannot carry (control characters but tab and line breaks, lone surrogates, U+FFFE/U+FFFF). lxml
# refuses such a string outright, so one in a company name or a notice title made the whole feed a 500.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


def published_at(document: IndexDocument) -> datetime:
    """A feed entry's time: its publication day, in the Swedish morning (not in London)."""
    return datetime.combine(document.published or date(2000, 1, 1), time(6, 0), tzinfo=ZoneInfo(TIMEZONE))


def notice_lines(document: IndexDocument) -> list[str]:
    """The summary lines every feed entry starts with: buyer and deadline (Swedish time)."""
    buyer = ", ".join(document.buyer_names)
    lines = [f"Beställare: {buyer}"] if buyer else []
    if document.deadline:
        lines.append(f"Sista anbudsdag: {local_wall_clock(document.deadline):%Y-%m-%d %H:%M} (svensk tid)")
    return lines


def atom_feed(title: str, subtitle: str, alternate: str, self_url: str) -> FeedGenerator:
    """An empty Swedish feed by UDD with its own and its web page's address."""
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(xml_text(title))
    feed.subtitle(subtitle)
    feed.description(subtitle)
    feed.link(href=alternate, rel="alternate")
    feed.link(href=self_url, rel="self")
    feed.language("sv")
    feed.author({"name": "Upphandlingsdialog Dalarna"})
    return feed


def add_entries(feed: FeedGenerator, urls: PublicUrls, entries: Sequence[tuple[IndexDocument, list[str]]],
                now: datetime) -> None:
    """One entry per (document, summary lines), the newest first; the feed's time is the newest entry's."""
    ordered = sorted(entries, key=lambda entry: published_at(entry[0]))  # feedgen prepends: newest ends up first
    feed.updated(max((published_at(document) for document, _ in ordered), default=now))
    for document, lines in ordered:
        url = urls.tender(document.tender_id)
        entry = feed.add_entry()
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(xml_text(document.title) or "Upphandling utan rubrik")
        entry.link(href=url)
        entry.summary(xml_text("\n".join(lines)) or None)
        entry.published(published_at(document))
        entry.updated(published_at(document))


def match_feed(company_name: str, views: Sequence[MatchView], base_url: str, self_url: str,
               now: datetime) -> FeedGenerator:
    urls = PublicUrls(base_url)
    feed = atom_feed(f"Anbudsvakt: annonser för {company_name}",
                     "Offentliga upphandlingar i Dalarna som matchar er bevakning, med skälen.", urls.my_matches(),
                     self_url)
    entries = [(view.found.document, [*notice_lines(view.found.document),
                                      *(f"• {reason}" for reason in view.found.match.reasons)]) for view in views]
    add_entries(feed, urls, entries, now)
    return feed


def deadline_calendar(company_name: str, matches: Sequence[MatchView], followed: Sequence[FollowView],
                      base_url: str, now: datetime) -> Calendar:
    urls = PublicUrls(base_url)
    calendar = Calendar()
    calendar.add("prodid", "-//Upphandlingsdialog Dalarna//Anbudsvakt//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Sista anbudsdagar – {company_name}")
    deadlines: dict[str, tuple[str, datetime, str]] = {}
    for view in matches:
        document = view.found.document
        if document.deadline:
            deadlines[document.tender_id] = (document.title, in_utc(document.deadline), "Matchar er bevakning")
    for follow in followed:
        if follow.deadline:
            deadlines[follow.tender_id] = (follow.title, in_utc(follow.deadline), "Ni följer upphandlingen")
    for tender_id, (title, deadline, why) in sorted(deadlines.items(), key=lambda item: item[1][1]):
        calendar.add_component(_deadline_event(tender_id, title, deadline, why, urls, now))
    return calendar


def in_utc(moment: datetime) -> datetime:
    """The moment in UTC. eForms deadlines carry fixed offsets (+01:00); written as they are, icalendar emits
    TZID=+01:00 without a VTIMEZONE, which calendar programs reject. UTC needs no VTIMEZONE. A naive value is
    already UTC: the store keeps every time in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _deadline_event(tender_id: str, title: str, deadline: datetime, why: str, urls: PublicUrls,
                    now: datetime) -> Event:
    event = Event()
    event.add("uid", f"{tender_id}@anbudsvakt")
    event.add("dtstamp", in_utc(now))
    event.add("dtstart", deadline)
    event.add("dtend", deadline + timedelta(minutes=30))
    event.add("summary", f"Sista anbudsdag: {title or 'upphandling'}")
    event.add("description", f"{why}.\n{urls.tender(tender_id)}")
    event.add("url", urls.tender(tender_id))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Två dagar kvar: {title or 'upphandling'}")
    alarm.add("trigger", timedelta(days=-2))
    event.add_component(alarm)
    return event
