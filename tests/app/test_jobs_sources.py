"""Which sources the daily job crawls: every spider and declarative source, the yearly statistics weekly."""

from datetime import date

from app.daily import WEEKLY_SOURCES, crawl_sources

MONDAY, TUESDAY = date(2026, 11, 23), date(2026, 11, 24)


def test_every_source_is_crawled_daily_and_the_statistics_on_mondays() -> None:
    monday, tuesday = set(crawl_sources(MONDAY)), set(crawl_sources(TUESDAY))
    assert {"ted", "eavrop", "kommersannons", "exempel-kommun"} <= tuesday  # spiders and a YAML definition
    assert monday >= WEEKLY_SOURCES and not WEEKLY_SOURCES & tuesday
    assert monday - tuesday == WEEKLY_SOURCES
