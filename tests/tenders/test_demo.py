"""The example notices (tenders/demo.py): built from the UHM 2021 export in datasets/, marked as demo everywhere,
dated around today, and never mixed with crawled notices."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tenders.demo import DEMO_SOURCE, buyer_display_name, demo_tenders, mixing_problem, moved_years
from tenders.model import FormType, Tender
from tenders.store import TenderStore

TODAY = date(2026, 12, 4)


@pytest.fixture(scope="module")
def tenders() -> list[Tender]:
    return demo_tenders(today=TODAY)


def test_a_few_hundred_notices_all_marked_as_example_data(tenders: list[Tender]) -> None:
    assert 250 <= len(tenders) <= 400
    assert {t.source for t in tenders} == {DEMO_SOURCE}
    assert all(t.description["swe"].startswith("Exempeldata") for t in tenders)
    assert len({t.notice_id for t in tenders}) == len(tenders)


def test_the_same_selection_every_day_only_the_dates_move(tenders: list[Tender]) -> None:
    later = demo_tenders(today=date(2027, 3, 1))
    assert [t.notice_id for t in later] == [t.notice_id for t in tenders]
    assert max(t.publication_date for t in later if t.publication_date) > max(
        t.publication_date for t in tenders if t.publication_date)


def test_dates_are_in_the_recent_past_and_deadlines_mostly_ahead(tenders: list[Tender]) -> None:
    assert all(0 <= (TODAY - t.publication_date).days <= 60 for t in tenders if t.publication_date)
    deadlines = [t.submission_deadline for t in tenders if t.form_type == FormType.COMPETITION]
    now = datetime(2026, 12, 4, tzinfo=UTC)
    ahead = sum(1 for d in deadlines if d and d > now)
    assert ahead > len(deadlines) / 2 and ahead < len(deadlines)  # some passed, to show "Sista dag passerad"


def test_most_are_presented_in_dalarna_and_awards_carry_winners(tenders: list[Tender]) -> None:
    dalarna = [t for t in tenders if "SE312" in t.place_of_performance]
    assert 0.55 < len(dalarna) / len(tenders) < 0.85
    assert all("Beställaren var" in t.description["swe"] for t in dalarna)  # honest about the changed buyer
    awards = [t for t in tenders if t.form_type == FormType.RESULT]
    assert awards and all(r.winners for t in awards for r in t.results)


@pytest.mark.parametrize("word", ["snöröjning", "skol", "bygg", "städ", "livsmedel", "tak"])
def test_every_word_a_new_user_tries_has_notices(tenders: list[Tender], word: str) -> None:
    assert any(word in t.title["swe"].casefold() for t in tenders)


def test_buyer_names_read_as_names() -> None:
    assert buyer_display_name("MALUNG-SÄLENS KOMMUN") == "Malung-Sälens kommun"
    assert buyer_display_name("DALA ENERGI AB (PUBL)") == "Dala Energi AB (publ)"
    assert buyer_display_name("LÄNSSTYRELSEN I DALARNAS LÄN") == "Länsstyrelsen i Dalarnas län"


def test_example_data_is_never_mixed_with_real_notices(tmp_path, tenders: list[Tender], make_tender) -> None:
    store = TenderStore.from_url(f"sqlite:///{tmp_path / 's.sqlite3'}")
    try:
        assert mixing_problem(store, loading_demo=True) is None
        store.upsert_notice(tenders[0], b"{}")
        assert mixing_problem(store, loading_demo=True) is None  # more example data is fine
        assert "exempeldata" in (mixing_problem(store, loading_demo=False) or "")
        store.upsert_notice(make_tender("real-1"), b"<x/>")
        assert "riktiga annonser" in (mixing_problem(store, loading_demo=True) or "")
    finally:
        store.close()


def test_years_in_example_titles_move_with_the_dates() -> None:
    assert moved_years("Snöröjning Centrum 2021", 5) == "Snöröjning Centrum 2026"
    assert moved_years("Kem, städredskap 2021-2025", 5) == "Kem, städredskap 2026-2030"
    assert moved_years("Ärende 12021 enligt SFS 2008:1", 5) == "Ärende 12021 enligt SFS 2008:1"  # not a contract year
