"""Apply a layout to a page: rows and fields out, and a verdict on whether the page still has its structure.

Parsel (Scrapy's selector library) is used directly so that ``anbudsvakt source try`` extracts exactly
what a crawl would, without starting Scrapy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from parsel import Selector as Page

from crawlers.sources.layout import ListLayout, Selector, label_xpath

URL_FIELDS = frozenset({"url", "documents_url"})
ROW_HTML = "_row_html"


@dataclass
class ListPage:
    records: list[dict[str, str]] = field(default_factory=list)
    next_url: str | None = None
    rows_found: int = 0
    says_empty: bool = False  # the page's own "nothing right now" text is there

    def structure_problem(self, layout: ListLayout, url: str) -> str:
        """One line for the health alarm when a page that loaded has none of its expected structure, else ""."""
        if self.rows_found == 0 and not self.says_empty:
            return f"struktur ändrad: inga träffar för listselektorn {layout.rows.describe()!r} på {url}"
        if self.rows_found and not any(record.get("title") for record in self.records):
            return f"struktur ändrad: inga träffar för titelselektorn i listans {self.rows_found} rader på {url}"
        return ""


def page_of(body: bytes | str, url: str = "", encoding: str = "utf-8") -> Page:
    text = body.decode(encoding, "replace") if isinstance(body, bytes) else body
    return Page(text=text, base_url=url)


def values(node: Page, selector: Selector) -> list[str]:
    """The texts a selector picks in ``node``: each match's own text (or attribute), whitespace collapsed."""
    if selector.css is not None:
        matches = node.css(selector.css)
    else:
        matches = node.xpath(selector.xpath or label_xpath(selector.label or ""))
    texts = []
    for match in matches:
        root = match.root
        text = root if isinstance(root, str) else " ".join(match.xpath(".//text()").getall())
        text = " ".join(str(text).split())
        if text:
            texts.append(text)
    return texts[:1] if selector.first else texts


def value(node: Page, selector: Selector, name: str, base_url: str) -> str:
    texts = values(node, selector)
    if name in URL_FIELDS:
        texts = texts[:1]
    text = " ".join(texts)
    if text and selector.regex:
        match = re.search(selector.regex, text)
        text = (match.group(1) if match and match.groups() else match.group(0) if match else "").strip()
    if text and name in URL_FIELDS:
        text = urljoin(base_url, text)
        if not text.startswith(("http://", "https://")):  # javascript:, mailto: are no notice addresses
            return ""
    return text


def extract_fields(node: Page, fields: dict[str, Selector], base_url: str) -> dict[str, str]:
    return {name: text for name, selector in fields.items() if (text := value(node, selector, name, base_url))}


def extract_list(page: Page, layout: ListLayout, url: str) -> ListPage:
    rows = page.css(layout.rows.css) if layout.rows.css is not None else page.xpath(layout.rows.xpath or "")
    result = ListPage(rows_found=len(rows))
    for row in rows:
        record = extract_fields(row, layout.fields, url)
        if record:
            record[ROW_HTML] = row.get()  # the row is the notice's raw document when there is no detail page
            result.records.append(record)
    if layout.empty_text:
        page_text = " ".join(" ".join(page.xpath("//body//text()").getall()).split())
        result.says_empty = layout.empty_text.casefold() in page_text.casefold()
    if layout.next_page is not None:
        result.next_url = value(page, layout.next_page, "url", url) or None
    return result
