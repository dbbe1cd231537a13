"""Tender.value_sek: the one definition of a notice's value in SEK used by the index, size, support and matching."""

from tenders.model import Lot, Money, Tender


def lots(*values: Money) -> list[Lot]:
    return [Lot(id=f"LOT-{i}", estimated_value=value) for i, value in enumerate(values, 1)]


def test_procedure_value_in_sek_wins() -> None:
    tender = Tender(notice_id="a", estimated_value=Money(amount=3e6), lots=lots(Money(amount=1e6)))
    assert tender.value_sek() == 3e6


def test_lot_values_are_summed_when_all_are_in_sek() -> None:
    assert Tender(notice_id="b", lots=lots(Money(amount=1e6), Money(amount=5e5))).value_sek() == 1.5e6


def test_other_currencies_are_never_converted_or_mixed() -> None:
    assert Tender(notice_id="c", estimated_value=Money(amount=1e6, currency="EUR")).value_sek() is None
    mixed = Tender(notice_id="d", lots=lots(Money(amount=1e6), Money(amount=1e5, currency="EUR")))
    assert mixed.value_sek() is None
    assert Tender(notice_id="e").value_sek() is None
