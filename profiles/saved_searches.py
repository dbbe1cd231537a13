"""A company's saved searches: a name, the search page's query string, and whether the daily digest includes it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from profiles.tables import SavedSearchRow

MAX_PER_COMPANY = 50  # a bound on the feed work one company can cause


@dataclass(frozen=True)
class SavedSearch:
    id: int
    company_id: str
    name: str
    query: str
    in_digest: bool
    created_at: datetime


def _record(row: SavedSearchRow) -> SavedSearch:
    return SavedSearch(row.id, row.company_id, row.name, row.query, row.in_digest, row.created_at)


class TooManySavedSearchesError(Exception):
    pass


class SavedSearches:
    """Reads and writes ``profile_saved_searches``; every call but :meth:`get` is scoped to one company."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine  # the tables come with ProfileRepository's migrations

    def add(self, company_id: str, name: str, query: str, *, in_digest: bool = False) -> SavedSearch:
        with Session(self.engine) as session, session.begin():
            count = session.scalar(sa.select(sa.func.count()).where(SavedSearchRow.company_id == company_id))
            if (count or 0) >= MAX_PER_COMPANY:
                raise TooManySavedSearchesError(company_id)
            row = SavedSearchRow(company_id=company_id, name=name, query=query, in_digest=in_digest,
                                 created_at=datetime.now(UTC))
            session.add(row)
            session.flush()
            return _record(row)

    def of_company(self, company_id: str) -> list[SavedSearch]:
        with Session(self.engine) as session:
            rows = session.scalars(sa.select(SavedSearchRow).where(SavedSearchRow.company_id == company_id)
                                   .order_by(SavedSearchRow.id))
            return [_record(row) for row in rows]

    def in_digest(self, company_ids: Collection[str]) -> dict[str, list[SavedSearch]]:
        """The searches each of these companies asked to have in its daily digest, oldest first."""
        query = (sa.select(SavedSearchRow).where(SavedSearchRow.in_digest.is_(True))
                 .order_by(SavedSearchRow.company_id, SavedSearchRow.id))
        wanted = set(company_ids)
        found: dict[str, list[SavedSearch]] = {}
        with Session(self.engine) as session:
            for row in session.scalars(query):
                if row.company_id in wanted:
                    found.setdefault(row.company_id, []).append(_record(row))
        return found

    def get(self, search_id: int) -> SavedSearch | None:
        with Session(self.engine) as session:
            row = session.get(SavedSearchRow, search_id)
            return _record(row) if row else None

    def set_in_digest(self, company_id: str, search_id: int, in_digest: bool) -> SavedSearch | None:
        """None when there is no such search of this company (another company's id changes nothing)."""
        with Session(self.engine) as session, session.begin():
            row = session.get(SavedSearchRow, search_id)
            if row is None or row.company_id != company_id:
                return None
            row.in_digest = in_digest
            return _record(row)

    def delete(self, company_id: str, search_id: int) -> bool:
        """False when there is no such search of this company (another company's id changes nothing)."""
        with Session(self.engine) as session, session.begin():
            row = session.get(SavedSearchRow, search_id)
            if row is None or row.company_id != company_id:
                return False
            session.delete(row)
            return True
