"""KommersAnnons (Antirio eLite): the notice list, rows performed in Dalarna, each with its overview page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import scrapy

from crawlers import rules
from crawlers.items import NoticeDocument
from crawlers.sources.layout import BuyerInfo, DetailLayout, ListLayout, Selector, SourceLayout
from crawlers.spiders.html_list import HtmlListSpider, ListStart
from crawlers.spiders.webforms import hidden_fields
from tenders.codelists import names_place_in_dalarna
from tenders.model import FormType

if TYPE_CHECKING:
    from scrapy.http import TextResponse

    from crawlers.sources.extract import ListPage

DEFAULT_BASE_URL = "https://www.kommersannons.se"
LIST_PATH = "/elite/notice/noticelist.aspx"
NEXT_BUTTON = ("ctl00$ctl00$content$Content$btnNext", "Nästa")  # the pager's submit button and its value
# Dalarna's buyers on KommersAnnons in 2021 (Upphandlingsmyndigheten's statistics): their org.nr when the
# overview page names them in a short form ("IUC Dalarna"). Setting KOMMERSANNONS_BUYERS ("Namn:orgnr,...") adds.
BUYERS = (
    BuyerInfo("Rättviks kommun", "2120002171", "SE312"),
    BuyerInfo("Rättviks Fastigheter AB", "5566921119", "SE312"),
    BuyerInfo("IUC Dalarna", "5565425575", "SE312"),
    BuyerInfo("Industriellt Utvecklingscenter Dalarna AB", "5565425575", "SE312"),
)
AWARD_KINDS = ("efterannons", "tilldelning")  # winners sit behind a login: an award row adds nothing to act on
CONSULTATION_KINDS = ("rfi", "förhandsannons")

_CLASS = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"
_ROWS = f"//div[{_CLASS.format('row')} and {_CLASS.format('mt-4')} and .//a[contains(@href, 'NoticeOverview')]]"
_LINK = ".//a[contains(@href, 'NoticeOverview.aspx')]"
_INFO = ".//small[not(contains(@class, 'text-muted'))]"
_COUNTER = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class KommersAnnonsSpider(HtmlListSpider):
    """Notices on KommersAnnons' list whose place of performance is in Dalarna, each read from its overview page.

    Fixtures NOT recorded from the live site (no network where they were written). What is known, from public
    clients read for their structure (magnusfroste/agentanbud ``scraper/kommersannons.py``, robots.txt
    ``allow: /`` checked 2026-10-06; tomasbackmansmail-source/byggsignal; DanielWarg/Upphandling
    ``scrapers/kommers.py``): the list ``/elite/notice/noticelist.aspx`` holds 20 rows ``div.row.mt-4``, each with
    a link ``NoticeOverview.aspx?ProcurementId=N`` around a ``<span>`` reference, " - title", the notice kind in
    ``small.text-muted`` and one ``small`` with "visas mellan …", "Sista anbudsdag är …" and "Utförandeort …"; an
    "N / M" counter; the next page is the form posted back with ``btnNext=Nästa``. No buyer or CPV in the list:
    the overview page names the buyer (``hlProcuringEntity``), the deadline (``setDeadline('…')``) and
    "CPV nnnnnnnn-n". Guesses: where exactly the counter and the CPV label sit in the markup, the description's
    place, and that Dalarna's buyers give a Dalarna place of performance (the list is filtered on it so that
    only those overview pages are fetched). Terms: Antirio's terms (§3.3) are reported to forbid automated
    access, so the source is off until UDD decides (crawlers/sources/rules.py).
    Record a real session with ``anbudsvakt crawl kommersannons --save-fixtures DIR``.
    Setting ``KOMMERSANNONS_BASE_URL`` points the spider at another host (the tests' local server).
    """

    name = "kommersannons"

    # read by NoticeSpider
    source = "kommersannons"
    source_label = "KommersAnnons"
    fixtures_recorded_live = False
    # Antirio's terms for its eLite sites are reported (magnusfroste/agentanbud) to forbid automated access in
    # §3.3, although robots.txt allows all: blocked until UDD has the owner's consent (-s SOURCES_ENABLED=...).
    terms_url = "https://www.kommersannons.se/elite/Misc/TermsOfUse.aspx"  # the address is a guess
    automated_access = rules.FORBIDDEN

    # read by HtmlListSpider
    layout = SourceLayout(
        list=ListLayout(
            rows=Selector(xpath=_ROWS),
            fields={
                "url": Selector(xpath=f"{_LINK}/@href"),
                "reference": Selector(xpath=f"{_LINK}/span", first=True),
                "title": Selector(xpath=f"{_LINK}/following-sibling::text()[1]", first=True, regex=r"^\s*-\s*(.+)$"),
                "kind": Selector(xpath=".//small[contains(@class, 'text-muted')]", first=True),
                "published": Selector(xpath=_INFO, regex=r"visas mellan (\d{4}-\d{2}-\d{2})"),
                "deadline": Selector(xpath=_INFO, regex=r"Sista anbudsdag(?:en)? är (\d{4}-\d{2}-\d{2})"),
                "town": Selector(xpath=_INFO, regex=r"Utförandeort (.+?)\.?\s*$"),
            },
            empty_text="Inga annonser",
        ),
        detail=DetailLayout(
            fields={
                "buyer_name": Selector(xpath="//a[contains(@id, 'hlProcuringEntity')]", first=True),
                "deadline": Selector(xpath="//script[contains(., 'setDeadline')]",
                                     regex=r"setDeadline\('(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})", first=True),
                "cpv": Selector(label="CPV"),
                "description": Selector(xpath="//p[contains(., 'annonserad publikt')]/following-sibling::p[1]",
                                        first=True),
            }
        ),
    )
    max_pages = 60  # about 20 list pages in 2026; a ceiling so a pager that never ends cannot loop

    def list_starts(self) -> list[ListStart]:
        base = (self.settings.get("KOMMERSANNONS_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        return [ListStart(f"{base}{LIST_PATH}", None, "KommersAnnons")]

    def known_buyers(self) -> tuple[BuyerInfo, ...]:
        configured = str(self.settings.get("KOMMERSANNONS_BUYERS") or "")
        extra = [part.strip().rpartition(":") for part in configured.split(",") if ":" in part]
        return BUYERS + tuple(BuyerInfo(name, orgnr or None, "SE312") for name, _, orgnr in extra)

    def follow_record(self, record: dict[str, str], response: TextResponse, start: ListStart) -> Iterator[Any]:
        kind = record.get("kind", "").casefold()
        if any(word in kind for word in AWARD_KINDS) or not names_place_in_dalarna(record.get("town", "")):
            return
        yield from super().follow_record({**record, "place": "SE312"}, response, start)

    def notice(self, record: dict[str, str], raw: bytes, url: str, start: ListStart) -> Iterator[NoticeDocument]:
        name = " ".join(record.get("buyer_name", "").casefold().split())
        known = next((b for b in self.known_buyers() if b.name.casefold() == name), None)
        if known is not None and not record.get("buyer_orgnr"):
            record = {**record, "buyer_orgnr": known.orgnr or ""}
        consultation = any(word in record.get("kind", "").casefold() for word in CONSULTATION_KINDS)
        for document in super().notice(record, raw, url, start):
            if consultation and document.tender is not None:
                document.tender = document.tender.model_copy(update={"form_type": FormType.CONSULTATION})
            yield document

    def next_list_request(
        self, response: TextResponse, listing: ListPage, start: ListStart, page: int
    ) -> scrapy.Request | None:
        texts = response.xpath(f"//*[{_CLASS.format('text-center')}]/text()").getall()
        found = next((m for m in map(_COUNTER.match, texts) if m), None)
        if found is None or int(found.group(1)) >= int(found.group(2)) or self.page_limit_reached(response, page):
            return None  # the last page (or no counter: one page)
        if int(found.group(1)) != page:  # "Nästa" answered with another page than the one asked for
            self.structure_changed(f"struktur ändrad: sidräknaren visar {found.group(0).strip()} på sida {page}")
            return None
        formdata = {**hidden_fields(response, "form"), NEXT_BUTTON[0]: NEXT_BUTTON[1]}
        return scrapy.FormRequest(
            response.url, formdata=formdata, callback=self.parse_list, errback=self.list_failed,
            cb_kwargs={"start": start, "page": page + 1}, dont_filter=True,
        )
