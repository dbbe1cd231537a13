"""The TED expert query and request body: pure functions, checked without any network."""

from __future__ import annotations

import json
import re
from datetime import date

from stdnum.se import orgnr as se_orgnr

from crawlers import ted_query
from tenders.codelists import dalarna_buyers
from tests.crawlers.conftest import FIXTURES


def test_query_covers_place_of_performance_at_every_level_buyer_nuts_and_buyer_orgnr():
    query = ted_query.build_dalarna_query(None, nuts="SE312", buyer_orgnrs=["2120002270", "212000-2213"])
    assert query == (
        "(place-of-performance-subdiv-lot IN (SE312) OR place-of-performance-subdiv-proc IN (SE312)"
        " OR place-of-performance-subdiv-part IN (SE312) OR place-of-performance IN (SE312)"
        ' OR buyer-country-sub IN (SE312) OR buyer-identifier IN ("212000-2213" "212000-2270" "2120002213"'
        ' "2120002270" "SE212000221301" "SE212000227001"))'
    )


def test_since_is_anded_outside_the_or_group_as_yyyymmdd():
    query = ted_query.build_dalarna_query(date(2026, 7, 1), nuts="SE312", buyer_orgnrs=[])
    group, _, date_clause = query.rpartition(" AND ")
    assert date_clause == "publication-date >= 20260701"
    assert group.startswith("(") and group.endswith(")") and " AND " not in group
    assert "buyer-identifier" not in query  # no buyers, no empty IN ()


def test_the_spiders_query_names_every_valid_dalarna_buyer_in_all_three_spellings():
    query = ted_query.dalarna_query(date(2026, 1, 31))
    for orgnr in filter(se_orgnr.is_valid, dalarna_buyers()):
        assert all(f'"{form}"' in query for form in (orgnr, f"{orgnr[:6]}-{orgnr[6:]}", f"SE{orgnr}01"))
    assert query.count("(") == query.count(")")
    assert query.endswith("AND publication-date >= 20260131")


def test_every_buyer_identifier_in_the_query_passes_the_orgnr_check():
    query = ted_query.dalarna_query(None)
    identifiers = re.findall(r'"([^"]+)"', query.split("buyer-identifier IN (")[1])
    assert len(identifiers) >= 3 * 39
    for identifier in identifiers:
        digits = identifier.removeprefix("SE").removesuffix("01") if identifier.startswith("SE") else identifier
        assert se_orgnr.is_valid(digits), identifier
    assert "233100-0180" not in query  # the statistics' misspelling of Region Dalarna's 232100-0180


def test_the_fifteen_municipalities_are_all_buyers():
    municipal = {name for name in dalarna_buyers().values() if name.endswith("KOMMUN")}
    for name in ("FALU", "GAGNEFS", "ORSA", "ÄLVDALENS", "SÄTERS", "HEDEMORA", "BORLÄNGE", "LUDVIKA", "MORA"):
        assert f"{name} KOMMUN" in municipal
    assert len(municipal) == 15


def test_orgnr_variants_keep_foreign_identifiers_as_given():
    assert ted_query.orgnr_variants(" 212000-2270 ") == ["2120002270", "212000-2270", "SE212000227001"]
    assert ted_query.orgnr_variants("233100-0180") == []  # fails the check digit
    assert ted_query.orgnr_variants("FR123456789") == ["FR123456789"]
    assert ted_query.orgnr_variants("  ") == []


def test_request_body_is_iteration_mode_within_the_apis_limits():
    body = ted_query.search_request_body("ND=1", token="abc")
    assert body["paginationMode"] == "ITERATION" and body["iterationNextToken"] == "abc"
    assert body["limit"] <= 250 and body["limit"] * len(body["fields"]) <= 10_000
    assert "links" in body["fields"] and body["scope"] == "ALL"
    assert "checkQuerySyntax" not in body
    checked = ted_query.search_request_body("ND=1", check_syntax=True)
    assert checked["checkQuerySyntax"] is True and "iterationNextToken" not in checked
    json.dumps(checked)  # the body is plain JSON


def test_fields_exist_in_the_apis_field_list(tmp_path):
    known = {line.split("\t")[0] for line in (FIXTURES / "ted" / "search-api-v3-fields.tsv").read_text().splitlines()}
    assert set(ted_query.SEARCH_FIELDS) <= known
    query_fields = ["place-of-performance-subdiv-lot", "place-of-performance-subdiv-proc",
                    "place-of-performance-subdiv-part", "place-of-performance", "buyer-country-sub"]
    assert {*query_fields, "buyer-identifier", "publication-date"} <= known


def test_notice_xml_url_prefers_the_listed_link_and_falls_back_to_the_publication_number():
    listed = {"publication-number": "1-2026", "links": {"xml": {"MUL": "https://example.org/x.xml"}}}
    assert ted_query.notice_xml_url(listed) == "https://example.org/x.xml"
    assert ted_query.notice_xml_url({"ND": "475939-2026"}) == "https://ted.europa.eu/en/notice/475939-2026/xml"
    assert ted_query.notice_xml_url({"links": {}}) is None
