"""TED_EXPORT R2.0.9 notices, and agreement with their eForms-converted twins where both carry a value."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tenders.model import FormType, Money, Tender
from tenders.parse import parse_notice

TED = Path(__file__).parents[1] / "fixtures" / "ted"
CONTRACT_NOTICE = "21-364236-001-EXP.xml"  # Uppsala universitet, laboratory furniture (F02)
AWARD_NOTICE = "21-364240-001-EXP.xml"  # Uppsala kommun, dynamic purchasing system discontinued (F03)


def _r209(name: str) -> Tender:
    return parse_notice((TED / "r209" / name).read_bytes())


def _converted(name: str) -> Tender:
    return parse_notice((TED / "eforms-converted" / name).read_bytes())


def test_both_r209_fixtures_are_covered() -> None:
    assert sorted(p.name for p in (TED / "r209").glob("*.xml")) == sorted([CONTRACT_NOTICE, AWARD_NOTICE])


def test_contract_notice_f02() -> None:
    tender = _r209(CONTRACT_NOTICE)

    assert (tender.notice_id, tender.version, tender.publication_number) == ("352907-2021", "01", "352907-2021")
    assert (tender.form_type, tender.notice_type, tender.procedure_type) == (
        FormType.COMPETITION,
        "cn-standard",
        "open",
    )
    assert tender.raw_format == "ted-r209"
    assert tender.title == {"swe": "Laboratorieinredning Hus 6 och 7 Ångström"}
    assert tender.description == {"swe": "Laboratorieinredning"}
    assert (tender.main_cpv, tender.contract_nature) == ("39180000", "supplies")
    (buyer,) = tender.buyers
    assert (buyer.name, buyer.orgnr, buyer.country, buyer.city, buyer.nuts) == (
        "Uppsala universitet", "2021002932", "SWE", "Uppsala", "SE121",
    )  # fmt: skip
    assert tender.estimated_value == Money(amount=2_000_000, currency="SEK")
    # "2021-08-18 23:59" written without a zone: Swedish local time, which is summer time (+02:00) in August.
    assert tender.submission_deadline == datetime.fromisoformat("2021-08-18T23:59:00+02:00")
    (lot,) = tender.lots
    assert (lot.id, lot.main_cpv, lot.additional_cpv, lot.place_of_performance) == (
        "1",
        "39180000",
        ["39180000"],
        ["SE121"],
    )
    assert (str(lot.start_date), str(lot.end_date)) == ("2021-09-10", "2022-08-18")
    assert (
        tender.documents_url
        == tender.submission_url
        == ("https://www.kommersannons.se/elite/Notice/NoticeDispatch.aspx?NoticeId=59970")
    )
    assert (str(tender.publication_date), str(tender.issue_date)) == ("2021-07-13", "2021-07-08")
    assert tender.results == []


def test_award_notice_f03_discontinued() -> None:
    tender = _r209(AWARD_NOTICE)

    assert tender.notice_id == "354339-2021"
    assert (tender.form_type, tender.notice_type, tender.procedure_type) == (
        FormType.RESULT,
        "can-standard",
        "restricted",
    )
    assert tender.title == {"swe": "Arbetsbefrämjande insatser"}
    assert (tender.main_cpv, tender.contract_nature) == ("85300000", "services")
    assert [(b.name, b.orgnr) for b in tender.buyers] == [("Uppsala kommun", None)]
    assert tender.lots[0].additional_cpv == ["98000000", "85310000"]
    (result,) = tender.results
    assert (result.lot_id, result.status, result.winners, result.tenders_received) == ("1", "clos-nw", [], None)


@pytest.mark.parametrize("name", [CONTRACT_NOTICE, AWARD_NOTICE])
def test_key_fields_agree_with_the_eforms_conversion(name: str) -> None:
    old, new = _r209(name), _converted(name)

    assert old.notice_id == new.publication_number
    assert (old.form_type, old.notice_type, old.notice_subtype) == (new.form_type, new.notice_type, new.notice_subtype)
    assert (old.procedure_type, old.contract_nature, old.language) == (
        new.procedure_type,
        new.contract_nature,
        new.language,
    )
    assert old.title == new.title
    assert old.description == new.description
    assert old.main_cpv == new.main_cpv
    assert [(b.name, b.orgnr, b.country, b.city) for b in old.buyers] == [
        (b.name, b.orgnr, b.country, b.city) for b in new.buyers
    ]
    assert old.estimated_value == new.estimated_value
    assert old.publication_date == new.publication_date
    assert old.issue_date == new.issue_date
    assert [lot.additional_cpv for lot in old.lots] == [lot.additional_cpv for lot in new.lots]
    assert [r.status for r in old.results] == [r.status for r in new.results]


def test_deadline_agrees_with_the_conversion_on_the_wall_clock() -> None:
    old, new = _r209(CONTRACT_NOTICE), _converted(CONTRACT_NOTICE)

    assert old.submission_deadline is not None and new.submission_deadline is not None
    # The converter assumes CET (+01:00) for every R2.0.9 time; we use the buyer's zone, so only the
    # local date and time must agree.
    assert old.submission_deadline.replace(tzinfo=None) == new.submission_deadline.replace(tzinfo=None)
    assert new.submission_deadline.utcoffset() != old.submission_deadline.utcoffset()


def test_converted_twins_are_read_as_eforms() -> None:
    new = _converted(CONTRACT_NOTICE)

    assert new.raw_format == "eforms"
    assert new.lots[0].id == "LOT-0000"
    assert new.buyers[0].orgnr == "2021002932"
