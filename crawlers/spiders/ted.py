"""TED: the EU-threshold notices for Dalarna, from Search API v3 and each notice's eForms XML."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from crawlers import rules, ted_query
from crawlers.spiders.base import JsonSearchApiSpider, XmlDocumentSpider


class TedSpider(JsonSearchApiSpider, XmlDocumentSpider):
    """Every TED notice performed in Dalarna (SE312) or bought by a Dalarna buyer, published since ``since``.

    Fixtures NOT recorded from the live site by this project (no network here): the search pages are built
    from a real saved Search API v3 response and the documents are the official eForms examples and a real
    Swedish TED notice (tests/fixtures/SOURCES.md says how).
    """

    name = "ted"
    custom_settings = {  # noqa: RUF012 - Scrapy's own attribute, read once per crawl
        # TED's Search API is its published machine interface, and links.xml.MUL is the API's own pointer
        # to the notice XML; robots.txt speaks to web crawlers of ted.europa.eu's pages, not to API clients.
        "ROBOTSTXT_OBEY": False,
        # Off unless ANBUDSVAKT_SAVE_FIXTURES names a directory (anbudsvakt crawl ted --save-fixtures DIR).
        "EXTENSIONS": {"crawlers.recording.ResponseRecorder": 500},
    }

    # read by NoticeSpider
    source = "ted"
    source_label = "TED"
    fixtures_recorded_live = False
    # The EU's reuse policy covers TED's data, and the Search API is published for machines.
    terms_url = "https://ted.europa.eu/en/legal-notice"
    automated_access = rules.ALLOWED

    # read by JsonSearchApiSpider
    records_key = "notices"
    total_key = "totalNoticeCount"
    next_token_key = "iterationNextToken"  # noqa: S105 - a JSON key, not a secret
    token_param = "iterationNextToken"  # noqa: S105
    page_size_param = "limit"
    page_size = ted_query.PAGE_SIZE

    def __init__(self, since: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.since = date.fromisoformat(since) if since else None

    def search_url(self) -> str:
        return self.project_settings.ted_api_url

    def search_body(self) -> dict[str, Any]:
        return ted_query.search_request_body(ted_query.dalarna_query(self.since))

    def parse_record(self, record: dict[str, Any]) -> Iterator[Any]:
        url = ted_query.notice_xml_url(record)
        if url is None:
            self.count_error("no_xml_link")
            return
        yield self.document_request(url, reference=ted_query.publication_number(record))
