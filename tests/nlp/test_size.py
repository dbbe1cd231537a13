"""Value bands against dated thresholds, lots, duration and the SME-fit reasons."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from nlp.entities import build_entity_pipeline
from nlp.size import assess_size, thresholds_on, value_band
from tenders.model import Lot, Money, Tender


@pytest.fixture(scope="module")
def entity_nlp():
    return build_entity_pipeline()


def test_direct_award_limit_changes_on_2022_02_01():
    assert thresholds_on(date(2022, 1, 31)).direct_award == 615_312
    assert thresholds_on(date(2022, 2, 1)).direct_award == 700_000


def test_eu_thresholds_by_period():
    assert thresholds_on(date(2023, 6, 1)).eu_sub_central == 2_216_714
    assert thresholds_on(date(2024, 1, 1)).eu_works == 60_529_378
    limits_2026 = thresholds_on(date(2026, 3, 1))
    assert limits_2026.eu_central is not None and not limits_2026.verified
    assert thresholds_on(date(2019, 1, 1)).eu_works is None


def test_value_band_uses_works_or_supplies_threshold():
    limits = thresholds_on(date(2024, 5, 1))
    assert value_band(600_000, limits, works=False)[0] == "direktupphandling"
    assert value_band(2_000_000, limits, works=False)[0] == "under-eu"
    assert value_band(2_000_000, limits, works=False, central=True)[0] == "over-eu"
    assert value_band(30_000_000, limits, works=True)[0] == "under-eu"
    assert value_band(None, limits, works=True)[0] == "okänt"


def _tender(**fields) -> Tender:
    return Tender(notice_id="n1", publication_date=date(2024, 3, 1), **fields)


def test_value_and_lots_from_text_when_fields_are_missing(entity_nlp):
    tender = _tender(
        title={"swe": "Snöröjning"},
        description={"swe": "Uppskattat värde ca 2 miljoner kronor. Tre delområden. Avtalstid 2 år med option 1+1 år."},
    )
    size = assess_size(tender, entity_nlp, today=date(2024, 3, 1))
    assert (size.value_sek, size.value_source, size.lots) == (2_000_000, "text", 3)
    assert size.value_per_lot_sek == pytest.approx(2_000_000 / 3)
    assert (size.duration_months, size.option_months) == (24, 24)
    assert size.band == "under-eu"
    assert any("3 delområden" in r.text and r.positive for r in size.reasons)


def test_sme_fit_good_for_small_reserved_lots_with_time(entity_nlp):
    lots = [Lot(id=f"LOT-{i}", reserved=True, sme_suitable=True, estimated_value=Money(amount=400_000)) for i in (1, 2)]
    tender = _tender(title={"swe": "Städning"}, lots=lots, submission_deadline=datetime(2024, 4, 15, 12))
    size = assess_size(tender, entity_nlp, today=date(2024, 3, 1))
    assert size.value_source == "notice" and size.value_sek == 800_000
    assert size.sme_fit == "god"
    assert size.days_to_deadline == 45


def test_sme_fit_weak_for_large_single_contract_with_turnover_demand(entity_nlp):
    tender = _tender(
        title={"swe": "Totalentreprenad nytt sjukhus"},
        description={"swe": "Krav på en årsomsättning om minst 200 miljoner kronor och god kreditvärdighet."},
        estimated_value=Money(amount=90_000_000),
        contract_nature="works",
        submission_deadline=datetime(2024, 3, 10),
    )
    size = assess_size(tender, entity_nlp, today=date(2024, 3, 1))
    assert size.band == "over-eu"
    assert size.sme_fit == "svag"
    texts = " ".join(r.text for r in size.reasons if not r.positive)
    assert "omsättning" in texts and "Kort tid" in texts and "Stort värde" in texts
