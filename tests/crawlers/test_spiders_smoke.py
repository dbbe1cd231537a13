"""Every spider in crawlers/spiders is a complete declaration: name, source, honest docstring, settings."""

from __future__ import annotations

import re

import pytest
from scrapy import Spider
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.test import get_crawler

from crawlers import settings as crawl_settings
from crawlers.rules import ACCESS_VALUES
from crawlers.spiders.base import NoticeSpider


def spider_classes() -> list[type[Spider]]:
    settings = Settings()
    settings.setmodule("crawlers.settings")
    loader = SpiderLoader.from_settings(settings)
    return [loader.load(name) for name in sorted(loader.list())]


def test_there_are_spiders():
    assert "ted" in [cls.name for cls in spider_classes()]


@pytest.mark.parametrize("spider_class", spider_classes(), ids=lambda cls: cls.name)
def test_spider_is_a_complete_declaration(spider_class: type[Spider]):
    assert issubclass(spider_class, NoticeSpider)
    assert re.fullmatch(r"[a-z][a-z0-9_]*", spider_class.name)
    assert spider_class.source and spider_class.source_label
    doc = " ".join((spider_class.__doc__ or "").split())
    says_live = re.search(r"\brecorded from the live site\b", doc, re.IGNORECASE)
    assert says_live, f"{spider_class.name}: docstring must say whether fixtures were recorded from the live site"
    says_not = re.search(r"\bnot recorded from the live site\b", doc, re.IGNORECASE)
    assert bool(says_not) != spider_class.fixtures_recorded_live
    assert spider_class.terms_url.startswith("https://"), f"{spider_class.name}: name the terms-of-use page"
    assert spider_class.automated_access in ACCESS_VALUES
    assert isinstance(spider_class.custom_settings, dict)
    assert all(key.isupper() for key in spider_class.custom_settings)


@pytest.mark.parametrize("spider_class", spider_classes(), ids=lambda cls: cls.name)
def test_spider_starts_under_the_project_settings(spider_class: type[Spider]):
    project = {key: getattr(crawl_settings, key) for key in dir(crawl_settings) if key.isupper()}
    crawler = get_crawler(spider_class, project)
    spider = crawler._create_spider()
    assert spider.name == spider_class.name
    assert crawler.settings.getbool("AUTOTHROTTLE_ENABLED")
    assert crawler.settings["DOWNLOADER_MIDDLEWARES"]["crawlers.middlewares.BackoffRetryMiddleware"]
