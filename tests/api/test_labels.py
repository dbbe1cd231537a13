"""What people read instead of codes (issue 14, finding 4): CPV prefixes at every level, places, buyers, money,
org.nr, procedures, TED's notice page instead of its XML."""

from __future__ import annotations

from api.labels import cpv_name, cpv_text, facet_label, nuts_text, sek
from tenders import formatting
from tenders.model import Tender


def test_a_cpv_prefix_gets_its_own_levels_label() -> None:
    assert cpv_name("9091") == "Städning"
    assert cpv_name("909") == "Städning och renhållning"
    assert cpv_name("9092") == "Sanering av anläggningar"
    assert cpv_text("90").startswith("90 Avlopps")


def test_places_buyers_and_money_read_as_words() -> None:
    assert nuts_text("SE312") == "Dalarnas län (SE312)"
    assert nuts_text("LU000") == "utanför Sverige (LU000)"
    assert facet_label("buyer", "2120002221") == "Falu kommun"
    assert formatting.orgnr("2120002221") == "212000-2221"
    assert sek(2_400_000) == "2\xa0400\xa0000\xa0kr"
    assert formatting.money(9_999_999.99, "EUR") == "9\xa0999\xa0999,99\xa0€"
    assert formatting.procedure("neg-w-call") == "Förhandlat förfarande med föregående annonsering"
    assert formatting.procedure("open") == "Öppet förfarande"


def test_ted_notices_link_to_the_page_a_person_reads_and_keep_the_xml_apart() -> None:
    tender = Tender(notice_id="n", publication_number="475939-2026", source="ted",
                    source_url="https://ted.europa.eu/en/notice/475939-2026/xml")
    assert formatting.human_source_link(tender) == "https://ted.europa.eu/en/notice/-/detail/475939-2026"
    assert formatting.machine_source_link(tender) == "https://ted.europa.eu/en/notice/475939-2026/xml"
    web = Tender(notice_id="w", source="eavrop", source_url="https://www.e-avrop.com/x/Detail.aspx?id=1")
    assert formatting.human_source_link(web) == web.source_url and formatting.machine_source_link(web) is None
