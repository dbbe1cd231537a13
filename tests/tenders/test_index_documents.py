"""The index projection's deadline: the date a company must act by."""

from datetime import UTC, datetime
from pathlib import Path

from tenders.index.documents import to_index_document
from tenders.model import Lot, Tender
from tenders.parse import parse_notice

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
JAN, FEB = datetime(2027, 1, 15, 12, tzinfo=UTC), datetime(2027, 2, 1, 12, tzinfo=UTC)


def test_tender_deadline_wins_over_the_participation_deadline() -> None:
    tender = Tender(notice_id="a", submission_deadline=FEB, participation_deadline=JAN)
    assert to_index_document(tender).deadline == FEB


def test_restricted_procedure_counts_by_its_request_deadline() -> None:
    tender = Tender(notice_id="b", lots=[Lot(id="LOT-1", participation_deadline=FEB), Lot(id="LOT-2")])
    assert to_index_document(tender).deadline == FEB
    assert to_index_document(Tender(notice_id="c")).deadline is None


def test_real_negotiated_notice_gets_its_request_deadline() -> None:
    tender = parse_notice((FIXTURES / "eforms/cn_24_maximal.xml").read_bytes())
    assert tender.submission_deadline is None and tender.participation_deadline is not None
    assert to_index_document(tender).deadline == tender.participation_deadline
