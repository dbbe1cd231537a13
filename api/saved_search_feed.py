"""A saved search: its query string kept from /sok, replayed for the search's own Atom feed.

The feed's address is a feed token (api/security/feed_tokens.py) over ``sok-<id>``: the same HMAC as a company's
feeds, another subject, so neither kind of token opens the other kind of feed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import parse_qsl, urlencode

from pydantic import ValidationError

from api.feeds import add_entries, atom_feed, notice_lines
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


def saved_search_atom(name: str, documents: Iterable[IndexDocument], base_url: str, self_url: str, query: str,
                      now: datetime) -> bytes:
    urls = PublicUrls(base_url)
    feed = atom_feed(f"Anbudsvakt: {name}", "Nya offentliga upphandlingar i Dalarna som motsvarar er sparade sökning.",
                     f"{urls.home()}sok?{query}", self_url)
    add_entries(feed, urls, [(document, notice_lines(document)) for document in documents], now)
    return bytes(feed.atom_str(pretty=True))
