"""Base spider: an ASP.NET WebForms list (a GridView) paged by postbacks, with GET detail pages.

A WebForms page keeps its state in hidden form fields (``__VIEWSTATE``, ``__VIEWSTATEGENERATOR``,
``__EVENTVALIDATION``); the next page is the same form posted back with ``__EVENTTARGET`` = the grid's
UniqueID and ``__EVENTARGUMENT`` = ``Page$N``, carrying the hidden fields of the response it came from
(a stale or missing ``__EVENTVALIDATION`` makes the server refuse the postback). The pager's links
(``javascript:__doPostBack('<grid>','Page$3')``) say which pages exist, so paging stops on the last page.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

import scrapy

from crawlers.spiders.html_list import HtmlListSpider, ListStart

if TYPE_CHECKING:
    from scrapy.http import TextResponse

    from crawlers.sources.extract import ListPage

_POSTBACK = re.compile(r"__doPostBack\(\s*['\"]([^'\"]*)['\"]\s*,\s*['\"]([^'\"]*)['\"]\s*\)")


def postback_pages(response: TextResponse, target: str) -> set[int]:
    """Page numbers the grid's pager offers (``Page$N`` postbacks to ``target``)."""
    pages = set()
    for href in response.css("a::attr(href)").getall():
        for event_target, argument in _POSTBACK.findall(href):
            if event_target == target and argument.startswith("Page$") and argument[5:].isdigit():
                pages.add(int(argument[5:]))
    return pages


def hidden_fields(response: TextResponse, form_css: str) -> dict[str, str]:
    """Every hidden input of the form: the WebForms state the server expects back unchanged."""
    form = response.css(form_css)[:1]
    fields = {}
    for field in form.css("input[type=hidden], input[type=HIDDEN]"):
        name = field.attrib.get("name")
        if name:
            fields[name] = field.attrib.get("value", "")
    return fields


class WebFormsListSpider(HtmlListSpider):
    """Pages through a GridView by posting the form back with ``Page$N``; the rest is HtmlListSpider's."""

    # read by WebFormsListSpider
    grid_target: ClassVar[str] = ""  # __EVENTTARGET: the grid's UniqueID, e.g. "ctl00$mainContent$tenderGridView"
    form_css: ClassVar[str] = "form"  # the page's one server form (ASP.NET allows one per page)

    def next_list_request(
        self, response: TextResponse, listing: ListPage, start: ListStart, page: int
    ) -> scrapy.Request | None:
        if page + 1 not in postback_pages(response, self.grid_target):
            return None  # the last page: the pager offers no later one
        if self.page_limit_reached(response, page):
            return None
        state = hidden_fields(response, self.form_css)
        if "__VIEWSTATE" not in state:
            self.structure_changed(f"struktur ändrad: inget __VIEWSTATE att posta tillbaka på {response.url}")
            return None
        formdata = {**state, "__EVENTTARGET": self.grid_target, "__EVENTARGUMENT": f"Page${page + 1}"}
        action = response.css(self.form_css)[:1].attrib.get("action") or response.url
        return scrapy.FormRequest(
            response.urljoin(action), formdata=formdata, callback=self.parse_list, errback=self.list_failed,
            cb_kwargs={"start": start, "page": page + 1}, dont_filter=True,
        )
