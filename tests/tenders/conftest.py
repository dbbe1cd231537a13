"""Fixtures for the store, the embedded index and ingest: real SQLite files in tmp_path, Tenders built in code.

``STORE_BACKENDS`` parametrises the ``store`` fixture; add "postgresql" to run every store test on the
real PostgreSQL that the ``postgresql_url`` service fixture starts (its tables are emptied after each test).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tenders.index.sqlite import SqliteIndex
from tenders.model import Buyer, FormType, Lot, Money, Tender
from tenders.store import TenderStore

STORE_BACKENDS = ["sqlite", "postgresql"]
TenderFactory = Callable[..., Tender]


def _store_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return str(request.getfixturevalue(f"{backend}_url"))


@pytest.fixture(params=STORE_BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TenderStore]:
    tender_store = TenderStore.from_url(_store_url(request.param, request, tmp_path))
    yield tender_store
    if request.param != "sqlite":  # a shared server database: leave it empty for the next test
        with tender_store.engine.begin() as connection:
            for table in ("notices", "tenders", "crawl_runs"):
                connection.execute(sa.text(f"DELETE FROM {table}"))
    tender_store.close()


@pytest.fixture
def index(tmp_path: Path) -> Iterator[SqliteIndex]:
    sqlite_index = SqliteIndex(tmp_path / "index.sqlite3")
    yield sqlite_index
    sqlite_index.close()


def build_tender(notice_id: str, **fields: Any) -> Tender:
    """A competition notice with sensible defaults; keyword arguments override any Tender field."""
    defaults: dict[str, Any] = {
        "form_type": FormType.COMPETITION,
        "notice_type": "cn-standard",
        "title": {"swe": f"Upphandling {notice_id}"},
        "publication_date": date(2026, 3, 1),
        "buyers": [Buyer(name="Falu kommun", orgnr="2120002072", municipality_code="2080", nuts="SE312")],
        "main_cpv": "45000000",
        "place_of_performance": ["SE312"],
    }
    return Tender(notice_id=notice_id, **{**defaults, **fields})


@pytest.fixture
def make_tender() -> TenderFactory:
    return build_tender


@pytest.fixture
def change_history() -> list[Tender]:
    """One procurement told in three notices: the contract notice, a change of deadline, the award."""
    procedure = "proc-snow"
    lots = [Lot(id="LOT-0001", title={"swe": "Snöröjning Falun"}, sme_suitable=True,
                submission_deadline=datetime(2026, 4, 1, 12, tzinfo=UTC))]
    contract = build_tender(
        "cn-1", procedure_id=procedure, title={"swe": "Snöröjning och halkbekämpning"},
        description={"swe": "Vinterväghållning av kommunala gator."}, lots=lots,
        submission_deadline=datetime(2026, 4, 1, 12, tzinfo=UTC), estimated_value=Money(amount=2_000_000),
        publication_date=date(2026, 3, 1), source_url="https://ted.europa.eu/n/cn-1",
    )
    change = contract.model_copy(update={
        "notice_id": "ch-1", "form_type": FormType.CHANGE, "notice_type": "corr", "changes_notice": "cn-1-01",
        "submission_deadline": datetime(2026, 4, 15, 12, tzinfo=UTC), "publication_date": date(2026, 3, 20),
        "lots": [lots[0].model_copy(update={"submission_deadline": datetime(2026, 4, 15, 12, tzinfo=UTC)})],
        "source_url": "https://ted.europa.eu/n/ch-1",
    })
    award = build_tender(
        "can-1", procedure_id=procedure, form_type=FormType.RESULT, notice_type="can-standard",
        title={"swe": "Snöröjning och halkbekämpning"}, lots=[Lot(id="LOT-0001")], publication_date=date(2026, 6, 1),
        source_url="https://ted.europa.eu/n/can-1",
    )
    return [contract, change, award]
