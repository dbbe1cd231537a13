"""Converters the parsers share: deadlines with time zones, languages, amounts, durations, form types."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tenders.model import FormType, Money
from tenders.parse.form_types import form_type
from tenders.parse.values import duration, language_code, parse_date, parse_deadline, publication_number, sum_money


@pytest.mark.parametrize(
    ("day", "clock", "expected"),
    [
        ("2020-02-04+02:00", "10:00:00+02:00", "2020-02-04T10:00:00+02:00"),
        ("2019-06-24Z", "16:00:00Z", "2019-06-24T16:00:00+00:00"),
        # The time's own offset wins over the date's (eForms allows them to differ).
        ("2020-02-04+01:00", "10:00:00+02:00", "2020-02-04T10:00:00+02:00"),
        ("2020-02-04+01:00", "10:00:00", "2020-02-04T10:00:00+01:00"),
        ("2020-02-04+01:00", None, "2020-02-04T00:00:00+01:00"),
        ("2020-02-04+01:00", "10:00:00.500+01:00", "2020-02-04T10:00:00+01:00"),
    ],
)
def test_deadline_is_an_aware_datetime(day: str, clock: str | None, expected: str) -> None:
    assert parse_deadline(day, clock) == datetime.fromisoformat(expected)


def test_deadline_without_any_zone_is_local_time_of_the_default_zone() -> None:
    stockholm = ZoneInfo("Europe/Stockholm")
    summer = parse_deadline("2021-08-18", "23:59", stockholm)
    winter = parse_deadline("2021-12-01", "12:00", stockholm)

    assert summer is not None and summer.utcoffset().total_seconds() == 7200  # type: ignore[union-attr]
    assert winter is not None and winter.utcoffset().total_seconds() == 3600  # type: ignore[union-attr]


@pytest.mark.parametrize("day", ["", None, "not a date", "2020-13-45+01:00"])
def test_unreadable_dates_give_none(day: str | None) -> None:
    assert parse_deadline(day, "10:00:00") is None
    assert parse_date(day) is None


def test_dates_in_both_notations() -> None:
    assert str(parse_date("2021-07-13+01:00")) == str(parse_date("20210713")) == "2021-07-13"


@pytest.mark.parametrize(("given", "code"), [("SWE", "swe"), ("ENG", "eng"), ("SV", "swe"), ("FR", "fra"), (" ", None)])
def test_language_codes_are_lower_case_three_letter(given: str, code: str | None) -> None:
    assert language_code(given) == code


def test_duration_in_months() -> None:
    two_years = duration("2", "YEAR")
    ninety_days = duration("90", "day")

    assert two_years is not None and two_years.months == 24
    assert ninety_days is not None and (ninety_days.unit, ninety_days.months) == ("DAY", 2.96)
    assert duration("x", "MONTH") is None


def test_money_is_only_summed_in_one_currency() -> None:
    sek = [Money(amount=1.5, currency="SEK"), Money(amount=2, currency="SEK")]

    assert sum_money(sek) == Money(amount=3.5, currency="SEK")
    assert sum_money([*sek, Money(amount=1, currency="EUR")]) is None
    assert sum_money([]) is None


@pytest.mark.parametrize(
    ("list_name", "notice_type", "subtype", "expected"),
    [
        ("competition", "cn-standard", "16", FormType.COMPETITION),
        (None, "can-social", "33", FormType.RESULT),
        (None, None, "38", FormType.CONT_MODIF),
        (None, None, "E5", FormType.COMPLETION),
        (None, "veat", None, FormType.DIR_AWARD_PRE),
        ("no-such-form", "pmc", "E1", FormType.CONSULTATION),
        (None, None, "7", FormType.PLANNING),
        (None, None, "99", None),
    ],
)
def test_form_type(
    list_name: str | None, notice_type: str | None, subtype: str | None, expected: FormType | None
) -> None:
    assert form_type(list_name, notice_type, subtype) == expected


@pytest.mark.parametrize(
    ("written", "number"), [("00475939-2026", "475939-2026"), ("352907-2021", "352907-2021"), (" ", None), ("x", "x")]
)
def test_publication_number_as_the_ted_api_writes_it(written: str, number: str | None) -> None:
    assert publication_number(written) == number
