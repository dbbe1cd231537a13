"""Amounts, durations and lot counts from Swedish text through the EntityRuler."""

from __future__ import annotations

import pytest

from nlp.entities import build_entity_pipeline, extract_facts, parse_money, parse_number


@pytest.fixture(scope="module")
def nlp():
    return build_entity_pipeline()


@pytest.mark.parametrize(
    ("text", "amount"),
    [("Uppskattat värde ca 3 miljoner kronor.", 3_000_000), ("Värde 2 MSEK", 2_000_000),
     ("Högst 500 000 kr exkl. moms.", 500_000), ("1 250 000 kr inkl. moms", 1_000_000), ("cirka 3,5 mkr", 3_500_000),
     ("tre miljoner kronor", 3_000_000)],
)
def test_amounts_in_sek(nlp, text, amount):
    assert extract_facts(nlp, text).amounts_sek == [pytest.approx(amount)]


def test_contract_term_and_options(nlp):
    facts = extract_facts(nlp, "Ramavtal. Avtalstid 2 år med option 1+1 år.")
    assert (facts.duration_months, facts.option_months) == (24, 24)
    facts = extract_facts(nlp, "Avtalstiden är 24 månader med möjlighet till förlängning 2 x 12 månader.")
    assert (facts.duration_months, facts.option_months) == (24, 24)


def test_lot_count(nlp):
    assert extract_facts(nlp, "Upphandlingen är uppdelad i tre delområden.").lots == 3
    assert extract_facts(nlp, "Upphandlingen omfattar 12 anbudsområden").lots == 12


def test_text_without_facts(nlp):
    assert extract_facts(nlp, "Snöröjning i Falun") == extract_facts(nlp, "")
    assert extract_facts(nlp, "").amounts_sek == []


def test_number_parsing():
    assert parse_number("3,5") == 3.5
    assert parse_number("fyra") == 4
    assert parse_number("1+1") == 2
    assert parse_number("många") is None
    assert parse_money("kr") is None
