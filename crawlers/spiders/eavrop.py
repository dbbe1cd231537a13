"""e-Avrop: the procurement portals of Dalarna's buyers that advertise there, one spider, a table of portals."""

from __future__ import annotations

from dataclasses import dataclass

from crawlers.sources.layout import BuyerInfo, DetailLayout, ListLayout, Selector, SourceLayout
from crawlers.spiders.html_list import ListStart
from crawlers.spiders.webforms import WebFormsListSpider

DEFAULT_BASE_URL = "https://www.e-avrop.com"


@dataclass(frozen=True)
class Portal:
    path: str  # the portal's folder on e-avrop.com; its list is <base>/<path>/e-Upphandling/Default.aspx
    buyer: BuyerInfo


# The portal folders are as e-Avrop's public links name them; check them against the first live crawl
# (anbudsvakt crawl eavrop --save-fixtures DIR) and correct here.
PORTALS = (
    Portal("regiondalarna", BuyerInfo("Region Dalarna", "2321000180", "SE312")),
    Portal("ludvika", BuyerInfo("Ludvika kommun", "2120002270", "SE312")),
    Portal("mora", BuyerInfo("Mora kommun", "2120002213", "SE312")),
    Portal("smedjebacken", BuyerInfo("Smedjebackens kommun", "2120002205", "SE312")),
    Portal("hogskolandalarna", BuyerInfo("Högskolan Dalarna", "2021002908", "SE312")),
    Portal("faluenergivatten", BuyerInfo("Falu Energi & Vatten AB", "5565096731", "SE312")),
)

# Rows of the GridView that link to a notice (the header has <th>, the pager row a nested table).
_GRID = "//table[contains(@id, 'tenderGridView')]"
_NOTICE_ROW = "tr[td[1]//a[@href] and not(.//table)]"
_ROWS = f"{_GRID}/{_NOTICE_ROW} | {_GRID}/tbody/{_NOTICE_ROW}"


class EavropSpider(WebFormsListSpider):
    """Pågående upphandlingar in each e-Avrop portal (ASP.NET GridView, paged by postback), and each notice's page.

    Fixtures NOT recorded from the live site (e-avrop.com cannot be reached from where they were written):
    tests/fixtures/sources/eavrop/ mirrors the public structure as third-party scrapers describe it
    (table ``#ctl00_mainContent_tenderGridView``, columns Rubrik | Publicerad | Organisation | Kategori |
    Sista anbudsdag, pager ``Page$N`` postbacks). Record the real pages with
    ``anbudsvakt crawl eavrop --save-fixtures DIR`` (tests/fixtures/SOURCES.md).
    Setting ``EAVROP_BASE_URL`` points the spider at another host (the tests' local server).
    """

    name = "eavrop"

    # read by NoticeSpider
    source = "eavrop"
    source_label = "e-Avrop"
    fixtures_recorded_live = False

    # read by HtmlListSpider
    layout = SourceLayout(
        list=ListLayout(
            rows=Selector(xpath=_ROWS),
            fields={
                "title": Selector(xpath="td[1]//a", first=True),
                "url": Selector(xpath="td[1]//a/@href"),
                "published": Selector(xpath="td[2]"),
                "buyer_name": Selector(xpath="td[3]"),
                "category": Selector(xpath="td[4]"),
                "deadline": Selector(xpath="td[5]"),
            },
            empty_text="Inga annonser",
        ),
        detail=DetailLayout(
            fields={
                "title": Selector(label="Upphandlingens namn", first=True),
                "reference": Selector(label="Referensnummer", first=True),
                "buyer_name": Selector(label="Organisation", first=True),
                "buyer_orgnr": Selector(label="Organisationsnummer", regex=r"(\d{6}-?\d{4})", first=True),
                "description": Selector(label="Beskrivning", first=True),
                "cpv": Selector(label="CPV"),
                "deadline": Selector(label="Sista anbudsdag", first=True),
                "published": Selector(label="Publicerad", first=True),
                "documents_url": Selector(xpath="//a[contains(@href, 'Dokument') or contains(., 'dokument')]/@href"),
            }
        ),
    )

    # read by WebFormsListSpider
    grid_target = "ctl00$mainContent$tenderGridView"

    def list_starts(self) -> list[ListStart]:
        base = (self.settings.get("EAVROP_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        return [
            ListStart(f"{base}/{portal.path}/e-Upphandling/Default.aspx", portal.buyer, portal.buyer.name)
            for portal in PORTALS
        ]
