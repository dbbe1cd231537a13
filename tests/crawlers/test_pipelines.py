"""The pipeline steps on real documents, in memory: what is refused is counted, never stored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawlers import outcome
from crawlers.items import NoticeDocument
from crawlers.pipelines import ClassifyPipeline, ParseNoticePipeline, ValidateDocumentPipeline
from tenders.model import Tender
from tests.crawlers.conftest import API_DIR, FIXTURES


def crawler(**settings: object):
    return get_crawler(Spider, {"CLASSIFY_HOOK": "crawlers.pipelines.keep_classification", **settings})


def item(raw: bytes, tender: Tender | None = None) -> NoticeDocument:
    return NoticeDocument(
        source="ted", source_url="https://x/1/xml", raw=raw, retrieved_at=datetime.now(UTC), tender=tender
    )


def mark_classified(tender: Tender) -> Tender:
    return tender.model_copy(update={"main_cpv": "45000000"})


@pytest.mark.parametrize(("raw", "kind"), [(b"", "empty_document"), (b" \n", "empty_document"), (b"{}", "not_xml")])
def test_validate_refuses_empty_and_foreign_documents(raw: bytes, kind: str):
    c = crawler()
    with pytest.raises(DropItem):
        ValidateDocumentPipeline(c).process_item(item(raw))
    assert c.stats.get_value(outcome.ERROR_KIND + kind) == 1
    assert c.stats.get_value(outcome.ERRORS) == 1
    assert not c.stats.get_value(outcome.TRANSIENT_ERRORS)


def test_validate_lets_xml_through():
    c = crawler()
    raw = b"\xef\xbb\xbf\n<?xml version='1.0'?><x/>"
    assert ValidateDocumentPipeline(c).process_item(item(raw)).raw == raw
    assert not c.stats.get_value(outcome.ERRORS)


def test_parse_normalises_a_real_notice_and_keeps_where_it_came_from():
    c = crawler()
    raw = (FIXTURES / "eforms" / "cn_24_multilingual.xml").read_bytes()
    parsed = ParseNoticePipeline(c).process_item(item(raw))
    assert parsed.tender is not None
    assert parsed.tender.notice_id == "55aae64f-88a8-44a5-b2fb-8228e97fe6ee"
    assert parsed.tender.source_url == "https://x/1/xml"


def test_parse_refuses_broken_xml_in_one_line():
    c = crawler()
    with pytest.raises(DropItem) as refused:
        ParseNoticePipeline(c).process_item(item((API_DIR / "broken_notice.xml").read_bytes()))
    assert "\n" not in str(refused.value)
    assert c.stats.get_value(outcome.ERROR_KIND + "parse") == 1


def test_parse_leaves_a_tender_the_spider_extracted():
    c = crawler()
    tender = Tender(notice_id="html-1", title={"swe": "Snöröjning"}, source="kommersannons")
    assert ParseNoticePipeline(c).process_item(item(b"<html/>", tender)).tender is tender


def test_classify_runs_the_configured_hook():
    c = crawler(CLASSIFY_HOOK="tests.crawlers.test_pipelines.mark_classified")
    result = ClassifyPipeline(c).process_item(item(b"<x/>", Tender(notice_id="n-1")))
    assert result.tender is not None and result.tender.main_cpv == "45000000"
    c = crawler()
    unchanged = ClassifyPipeline(c).process_item(item(b"<x/>", Tender(notice_id="n-1")))
    assert unchanged.tender is not None and unchanged.tender.main_cpv is None
