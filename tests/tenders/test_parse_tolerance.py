"""Notices written differently from the examples (prefixes, missing attributes and parts) still parse.

`anbudsvakt parse` must get the key fields of notices never seen here right, so each test takes a real
example and changes it the way other SDK versions, eSenders or countries do.
"""

from __future__ import annotations

import re
from pathlib import Path

from tenders.model import FormType, Money
from tenders.parse import parse_notice

EFORMS = Path(__file__).parents[1] / "fixtures" / "eforms"
CN = (EFORMS / "cn_24_minimal.xml").read_bytes()
CAN = (EFORMS / "can_24_minimal.xml").read_bytes()


def _key_fields(data: bytes) -> tuple[object, ...]:
    t = parse_notice(data)
    winners = [(w.name, w.size) for r in t.results for w in r.winners]
    return (t.notice_id, t.form_type, t.notice_type, t.main_cpv, [b.name for b in t.buyers],
            [lot.id for lot in t.lots], t.submission_deadline, winners)  # fmt: skip


def test_other_namespace_prefixes_give_the_same_notice() -> None:
    renamed = CAN
    for old, new in [(b"cbc", b"b"), (b"cac", b"a"), (b"efac", b"ea"), (b"efbc", b"eb"), (b"ext", b"x")]:
        renamed = re.sub(rb"(</?|xmlns:)" + old + rb"([:=])", rb"\1" + new + rb"\2", renamed)
    # A prefixed root element, as some eSenders write it.
    root_namespace = b"urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2"
    renamed = renamed.replace(
        b"<ContractAwardNotice ", b'<urn:ContractAwardNotice xmlns:urn="' + root_namespace + b'" '
    )
    renamed = renamed.replace(b"</ContractAwardNotice>", b"</urn:ContractAwardNotice>")
    assert b"<b:ID" in renamed and b"<urn:ContractAwardNotice" in renamed

    assert _key_fields(renamed) == _key_fields(CAN)


def test_a_changed_extension_namespace_version_is_still_found() -> None:
    bumped = CAN.replace(b"eforms-ubl-extension-aggregate-components/1", b"eforms-ubl-extension-aggregate-components/2")
    assert _key_fields(bumped) == _key_fields(CAN)


def test_lots_without_scheme_name_are_recognised_by_their_id() -> None:
    plain = CN.replace(b'<cbc:ID schemeName="Lot">', b"<cbc:ID>")
    assert [lot.id for lot in parse_notice(plain).lots] == ["LOT-0000"]


def test_form_type_falls_back_to_notice_type_then_subtype() -> None:
    without_list_name = CN.replace(b'<cbc:NoticeTypeCode listName="competition">', b"<cbc:NoticeTypeCode>")
    assert parse_notice(without_list_name).form_type is FormType.COMPETITION

    subtype_only = CAN.replace(b'<cbc:NoticeTypeCode listName="result">can-standard', b"<cbc:NoticeTypeCode>")
    tender = parse_notice(subtype_only)
    assert (tender.form_type, tender.notice_type, tender.notice_subtype) == (FormType.RESULT, None, "29")


def test_only_the_mandatory_identifier_is_needed() -> None:
    bare = b"""<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2"
        xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
        <cbc:ID schemeName="notice-id">00000000-0000-4000-8000-000000000001</cbc:ID></ContractNotice>"""
    tender = parse_notice(bare)

    assert (tender.notice_id, tender.version, tender.form_type) == ("00000000-0000-4000-8000-000000000001", "01", None)
    assert (tender.title, tender.buyers, tender.lots, tender.results) == ({}, [], [], [])


def test_a_swedish_buyer_gets_a_normalised_orgnr_and_municipality() -> None:
    swedish = (
        CN.replace(b"Publications Office of the European Union", b"Falu kommun")
        .replace(b"<cbc:CityName>Luxembourg</cbc:CityName>", b"<cbc:CityName>Falun</cbc:CityName>", 1)
        .replace(b">LUX<", b">SWE<", 1)
        .replace(b"<cbc:CompanyID>EU-PO</cbc:CompanyID>", b"<cbc:CompanyID>SE212000218901</cbc:CompanyID>")
    )
    (buyer,) = parse_notice(swedish).buyers

    assert (buyer.name, buyer.orgnr, buyer.country, buyer.municipality_code) == (
        "Falu kommun",
        "2120002189",
        "SWE",
        "2080",
    )


def test_an_invalid_swedish_orgnr_is_dropped_not_guessed() -> None:
    swedish = CN.replace(b">LUX<", b">SWE<", 1).replace(b"<cbc:CompanyID>EU-PO", b"<cbc:CompanyID>212000-2188")
    assert parse_notice(swedish).buyers[0].orgnr is None


def test_estimated_value_falls_back_to_the_sum_of_the_lots() -> None:
    notice = (EFORMS / "cn_24_maximal.xml").read_bytes()
    procedure_value = re.compile(
        rb"(<cac:ProcurementProject>(?:(?!</cac:ProcurementProject>).)*?)<cac:RequestedTenderTotal>.*?</cac:RequestedTenderTotal>",
        re.DOTALL,
    )
    without = procedure_value.sub(rb"\1", notice, count=1)
    tender = parse_notice(without)

    assert [lot.estimated_value for lot in tender.lots] == [Money(amount=9999999.99, currency="EUR")] * 2
    assert tender.estimated_value is not None
    assert (tender.estimated_value.amount, tender.estimated_value.currency) == (19999999.98, "EUR")


def test_change_notice_points_to_the_notice_it_changes() -> None:
    change = CN.replace(
        b"<efext:EformsExtension>",
        b"<efext:EformsExtension><efac:Changes><efbc:ChangedNoticeIdentifier>"
        b"f42be27e-09cf-4f0e-a745-63ec689631e6-01</efbc:ChangedNoticeIdentifier></efac:Changes>",
    ).replace(b"<cbc:VersionID>01</cbc:VersionID>", b"<cbc:VersionID>02</cbc:VersionID>")
    tender = parse_notice(change)

    assert (tender.version, tender.changes_notice) == ("02", "f42be27e-09cf-4f0e-a745-63ec689631e6-01")
    # eForms keeps the form type of the changed notice; the change is marked by BT-758.
    assert tender.form_type is FormType.COMPETITION


def test_placeholder_award_dates_are_not_taken_for_real_ones() -> None:
    assert parse_notice(CAN).results[0].award_date is not None
    placeholder = CAN.replace(
        b"<cbc:IssueDate>2019-09-03+02:00</cbc:IssueDate>", b"<cbc:IssueDate>2000-01-01Z</cbc:IssueDate>"
    )
    assert parse_notice(placeholder).results[0].award_date is None
