"""Every official eForms example notice parses to the values written in its XML (read by hand)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from tenders.model import FormType, Money
from tenders.parse import parse_notice

EFORMS = Path(__file__).parents[1] / "fixtures" / "eforms"


@dataclass(frozen=True)
class Expected:
    notice_id: str
    form_type: FormType
    notice_type: str
    subtype: str
    procedure_type: str | None
    title: tuple[str, str]  # language, start of the procedure title
    main_cpv: str
    buyer: tuple[str, str | None]  # name, org id as written (not Swedish, so kept)
    lots: list[str]
    deadline: str | None = None  # earliest BT-131, ISO 8601
    value: Money | None = None
    version: str = "01"


def _lots(prefix: str, count: int) -> list[str]:
    return [f"{prefix}-{n:04d}" for n in range(1, count + 1)]


ROUEN = ("Rouen Habitat", "123 456 789")
FIN_ADM = ("Financial Adinistration for ...", "998298")
OP = ("Publications Office of the European Union", "EU-PO")
SERVICE_FRA = ("fra", "Service d'entretien de remise en état")

CASES: dict[str, Expected] = {
    "E1_minimal.xml": Expected("52fe3748-f475-4381-9dbf-31ebb08889e8", FormType.CONSULTATION, "pmc", "E1", None,
                               ("eng", "Procedure Name"), "72000000", ("Buyer Org", None), ["LOT-0001"]),
    "E2_minimal.xml": Expected("bbf5e8cd-f62f-4f29-9254-43ec31c00f48", FormType.PLANNING, "pin-only", "E2", None,
                               ("eng", "Procedure Name"), "72000000", ("Buyer Org", None), ["PAR-0001"]),
    "E3_minimal.xml": Expected("a03fdc6d-9924-4e99-93cf-39b925bb4826", FormType.COMPETITION, "cn-standard", "E3",
                               "open", ("eng", "Provision of IT Services related to"), "72230000", ("Buyer Org", None),
                               ["LOT-0001"]),
    "E4_minimal.xml": Expected("d1106611-6941-48f4-9029-8b11062939af", FormType.RESULT, "can-standard", "E4", None,
                               SERVICE_FRA, "77310000", ("Rouen Habitat", None), ["LOT-0001"]),
    "can_24_FRA_comments.xml": Expected("df45f4d1-2208-47cb-bc7a-9c7edcf8d2b8", FormType.RESULT, "can-standard", "29",
                                        "open", SERVICE_FRA, "77310000", ROUEN, _lots("LOT", 2)),
    "can_24_maximal.xml": Expected("15377ca1-6cf7-4060-90f0-9290128957a3", FormType.RESULT, "can-standard", "29",
                                   "neg-w-call", ("eng", "Procurement Title ---"), "79710000", FIN_ADM, _lots("LOT", 2),
                                   value=Money(amount=9999999.99, currency="EUR"), version="03"),
    "can_24_minimal.xml": Expected("65667997-031a-4198-bd25-7225449ef479", FormType.RESULT, "can-standard", "29",
                                   "open", SERVICE_FRA, "77310000", ROUEN, ["LOT-0000"]),
    "can_24_no_tenders.xml": Expected("da7ec2b4-ff04-4838-8e28-489a3b5c573c", FormType.RESULT, "can-standard", "29",
                                      "oth-single", ("eng", "foo"), "72000000", ("foo", "123456"), ["LOT-0001"]),
    "can_25_ENG.xml": Expected("359f3b87-c2ec-4c6a-b279-58c843551e7c", FormType.RESULT, "can-standard", "30", "open",
                               ("eng", "Making Tax Digital for VAT (MTDfV)"), "72260000",
                               ("NI Water and its subsidiaries", "123 456 789"), ["LOT-0000"]),
    "cn-social_24.xml": Expected("76c82dad-10b1-4e6a-9326-9312b4bf9baf", FormType.COMPETITION, "cn-social", "20",
                                 "oth-single", ("eng", "Secure Care Services"), "85311300", ("Scotland Excel", "n/a"),
                                 ["LOT-0000"], deadline="2020-01-06T12:00:00+01:00"),
    "cn_24_FRA_comments.xml": Expected("da4d46e9-490b-41ff-a2ae-8166d356a619", FormType.COMPETITION, "cn-standard",
                                       "16", "open", SERVICE_FRA, "77310000", ROUEN, _lots("LOT", 2),
                                       deadline="2019-06-24T16:00:00+00:00"),
    "cn_24_maximal.xml": Expected("14549263-b47b-4e59-96a1-2d0d13e19343", FormType.COMPETITION, "cn-standard", "16",
                                  "neg-w-call", ("eng", "Procurement Title ---"), "79710000", FIN_ADM, _lots("LOT", 2),
                                  value=Money(amount=9999999.99, currency="EUR"), version="03"),
    "cn_24_minimal.xml": Expected("f42be27e-09cf-4f0e-a745-63ec689631e6", FormType.COMPETITION, "cn-standard", "16",
                                  "open", ("eng", "Provision of IT Services Related to OP IT Systems"), "72230000", OP,
                                  ["LOT-0000"], deadline="2020-02-04T10:00:00+02:00"),
    "cn_24_multilingual.xml": Expected("55aae64f-88a8-44a5-b2fb-8228e97fe6ee", FormType.COMPETITION, "cn-standard",
                                       "16", "open", ("swe", "Tillhandahållande av IT-tjänster avseende OP IT Systems"),
                                       "72230000", OP, ["LOT-0000"], deadline="2020-02-03T13:00:00+00:00",
                                       value=Money(amount=4500000, currency="EUR")),
    "cn_24_open.xml": Expected("c4c415ee-ac08-4465-8fa6-57568cf69462", FormType.COMPETITION, "cn-standard", "16",
                               "open", ("eng", "Term Contract for a Planned Programme"), "71630000",
                               ("Renfrewshire Council", "not available"), ["LOT-0000"],
                               deadline="2020-04-03T12:00:00+01:00", value=Money(amount=500000, currency="EUR")),
    "cn_81.xml": Expected("fc9cfb17-81d0-4f26-9a00-0c4bd25cf0a2", FormType.COMPETITION, "cn-standard", "18",
                          "restricted", ("eng", "Procurement of Military Working Dogs"), "80512000",
                          ("Ministry of Defence", None), ["LOT-0000"], value=Money(amount=123456, currency="EUR")),
    "pin-buyer_24.xml": Expected("e5dc3c2b-3df5-45e0-af7f-399ca201d7e0", FormType.PLANNING, "pin-buyer", "1", None,
                                 ("ita", "Avviso consultazione preliminare"), "33157000",
                                 ("IRCCS Policlinico ospedale San Martino", "123 456 789"), []),
    "pin-cfc_24.xml": Expected("fc972075-4e70-4491-b97a-7e3cb3665826", FormType.COMPETITION, "pin-cfc-standard", "10",
                               "innovation", ("eng", "A Son vol3"), "18000000", ("ZenithNova Innovations Ltd.", "ABE"),
                               ["LOT-0001"]),
    "pin-only_24.xml": Expected("f252f386-55ac-4fa8-9be4-9f950b9904c8", FormType.PLANNING, "pin-only", "4", None,
                                ("eng", "ProPrName1234"), "72000000", ("PartyName1234", "PartyLegalEntityCID1234"),
                                ["PAR-0000"], value=Money(amount=100000, currency="EUR")),
    "pin-only_24_lots.xml": Expected("199b243b-4daf-4d7d-ba7c-f37f88102480", FormType.PLANNING, "pin-only", "4", None,
                                     ("eng", "Fusion21 Materials Supply Framework"), "44110000",
                                     ("Fusion21 Members Consortium", "123456789"), _lots("PAR", 10),
                                     value=Money(amount=750000000, currency="EUR")),
    "veat_24.xml": Expected("6ea164b2-228c-4ae8-b3b5-26f3946b8300", FormType.DIR_AWARD_PRE, "veat", "25",
                            "neg-wo-call", ("eng", "Supply of Profiling Beds with Accessories"), "33000000",
                            ("Middlesbrough Council", "buyerid01"), ["LOT-0000"]),
}  # fmt: skip


def test_the_table_covers_every_example_notice() -> None:
    assert sorted(CASES) == sorted(path.name for path in EFORMS.glob("*.xml"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_key_fields(name: str) -> None:
    expected = CASES[name]
    tender = parse_notice((EFORMS / name).read_bytes())

    assert (tender.notice_id, tender.version) == (expected.notice_id, expected.version)
    assert tender.form_type == expected.form_type
    assert (tender.notice_type, tender.notice_subtype) == (expected.notice_type, expected.subtype)
    assert tender.procedure_type == expected.procedure_type
    lang, start = expected.title
    assert tender.title[lang].startswith(start)
    assert tender.main_cpv == expected.main_cpv
    assert [(b.name, b.orgnr) for b in tender.buyers][:1] == [expected.buyer]
    assert [lot.id for lot in tender.lots] == expected.lots
    deadline = tender.submission_deadline
    assert (deadline.isoformat() if deadline else None) == expected.deadline
    assert tender.estimated_value == expected.value
    assert tender.raw_format == "eforms"


@pytest.mark.parametrize("name", sorted(CASES))
def test_deadlines_are_time_zone_aware_and_every_lot_has_an_id(name: str) -> None:
    tender = parse_notice((EFORMS / name).read_bytes())
    for lot in tender.lots:
        assert lot.id
        for moment in (lot.submission_deadline, lot.participation_deadline):
            assert moment is None or moment.utcoffset() is not None
    assert all(len(code) == 8 and code.isdigit() for code in tender.all_cpv())


def test_multilingual_notice_keeps_every_language_with_lower_case_codes() -> None:
    tender = parse_notice((EFORMS / "cn_24_multilingual.xml").read_bytes())

    assert len(tender.title) == 24
    assert {"swe", "eng", "fra", "deu", "bul"} <= set(tender.title)
    assert tender.description["swe"].startswith("Tillhandahållande av IT-tjänster")
    assert tender.language == "eng"
    # The buyer's name is taken in the notice's own language.
    assert tender.buyers[0].name == "Publications Office of the European Union"


def test_lot_level_details_of_the_maximal_contract_notice() -> None:
    tender = parse_notice((EFORMS / "cn_24_maximal.xml").read_bytes())
    lot = tender.lots[0]

    assert lot.title == {"eng": "Title ---"}
    assert lot.main_cpv == "75121000"
    assert lot.sme_suitable is True
    assert (lot.environmental_criteria, lot.social_criteria, lot.reserved) == (True, True, True)
    assert (lot.start_date.isoformat(), lot.end_date.isoformat()) == ("2023-01-01", "2023-05-23")  # type: ignore[union-attr]
    # A negotiated procedure asks for requests to participate (BT-1311), not tenders (BT-131).
    assert lot.submission_deadline is None
    assert lot.participation_deadline == datetime.fromisoformat("2023-05-22T20:59:32+01:00")
    assert tender.participation_deadline == lot.participation_deadline
    assert tender.additional_cpv == ["79720000"]
    assert tender.framework_agreement is True
    assert tender.documents_url == "http://nonrestricteddocuments.com"
    assert tender.submission_url == "http://tender-submit.fin-adm.com/esubmission"


def test_duration_is_kept_with_its_unit_and_in_months() -> None:
    tender = parse_notice((EFORMS / "cn_24_minimal.xml").read_bytes())
    duration = tender.lots[0].duration

    assert duration is not None
    assert (duration.value, duration.unit, duration.months) == (48, "MONTH", 48)
    assert tender.contract_nature == "services"
    assert tender.place_of_performance == ["FRD22"]
    assert tender.issue_date is not None and tender.issue_date.isoformat() == "2019-11-21"


def test_prior_information_parts_stand_in_for_lots() -> None:
    tender = parse_notice((EFORMS / "pin-only_24_lots.xml").read_bytes())

    assert len(tender.lots) == 10
    assert all(lot.title for lot in tender.lots)
    assert tender.results == []
