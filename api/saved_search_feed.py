"""A saved search: its query string kept from /sok, replayed for the search's own Atom feed.

The feed's address is a feed token (api/security/feed_tokens.py) over ``sok-<id>``: the same HMAC as a company's
feeds, another subject, so neither kind of token opens the other kind of feed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from urllib.parse import parse_qsl, urlencode

from feedgen.feed import FeedGenerator
from pydantic import ValidationError

from api.feeds import xml_text
from api.schemas.tenders import TenderSearchParams
from api.security.feed_tokens import company_for_feed_token, feed_token
from tenders.index.base import IndexDocument, SortOrder
from tenders.public_urls import PublicUrls

FEED_ENTRIES = 50
_SUBJECT = "sok-"
# What a saved search keeps: the filters, never the page it was on.
_KEPT = set(TenderSearchParams.model_fields) - {"page", "page_size", "sort"}
_LISTS = {name for name, field in TenderSearchParams.model_fields.items() if field.annotation == list[str]}


def clean_query(query: str) -> str | None:
    """The search's filters as a query string, or None when they are not a valid search."""
    pairs = [(k, v) for k, v in parse_qsl(query.lstrip("?"), keep_blank_values=False) if k in _KEPT]
    return urlencode(pairs) if feed_params(urlencode(pairs)) is not None else None


def feed_params(query: str) -> TenderSearchParams | None:
    """The saved filters as a search for the feed: newest first, one page."""
    raw: dict[str, str | list[str]] = {}
    for key, value in parse_qsl(query):
        listed = raw.setdefault(key, []) if key in _LISTS else None
        if isinstance(listed, list):
            listed.append(value)
        else:
            raw[key] = value
    try:
        params = TenderSearchParams.model_validate(raw)
    except ValidationError:
        return None
    return params.model_copy(update={"sort": SortOrder.PUBLISHED, "page": 1, "page_size": FEED_ENTRIES})


def saved_search_token(secret_key: str, search_id: int) -> str:
    return feed_token(secret_key, f"{_SUBJECT}{search_id}")


def search_id_for_token(secret_key: str, token: str) -> int | None:
    subject = company_for_feed_token(secret_key, token) or ""
    number = subject.removeprefix(_SUBJECT)
    return int(number) if subject.startswith(_SUBJECT) and number.isdigit() else None


def saved_search_feed_url(base_url: str, secret_key: str, search_id: int) -> str:
    return f"{PublicUrls(base_url).company_feeds('sok')}/{saved_search_token(secret_key, search_id)}/atom.xml"


def _published(document: IndexDocument) -> datetime:
    return datetime.combine(document.published or date(2000, 1, 1), time(6, 0), tzinfo=UTC)


def saved_search_atom(name: str, documents: Iterable[IndexDocument], base_url: str, self_url: str, query: str,
                      now: datetime) -> bytes:
    urls = PublicUrls(base_url)
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(xml_text(f"Anbudsvakt: {name}"))
    feed.subtitle("Nya offentliga upphandlingar i Dalarna som motsvarar er sparade sökning.")
    feed.link(href=f"{urls.home()}sok?{query}", rel="alternate")
    feed.link(href=self_url, rel="self")
    feed.language("sv")
    feed.author({"name": "Upphandlingsdialog Dalarna"})
    items = sorted(documents, key=_published)  # feedgen prepends: the newest ends up first
    feed.updated(max((_published(d) for d in items), default=now))
    for document in items:
        url = urls.tender(document.tender_id)
        entry = feed.add_entry()
        entry.id(url)
        entry.title(xml_text(document.title) or "Upphandling utan rubrik")
        entry.link(href=url)
        lines = [f"Beställare: {', '.join(document.buyer_names)}"] if document.buyer_names else []
        if document.deadline:
            lines.append(f"Sista anbudsdag: {document.deadline:%Y-%m-%d %H:%M}")
        entry.summary(xml_text("\n".join(lines)) or None)
        entry.published(_published(document))
        entry.updated(_published(document))
    return bytes(feed.atom_str(pretty=True))
