"""What the app opens at start-up and closes at shutdown: store, index, the auth tables' engine, the companies
(``profiles/``, sharing the store's database), the matcher's models (loaded on first use), rate limiters."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from api.companies import CompanyDirectory
from api.security.ratelimit import RateLimits
from app.matching import MatchingModels
from profiles.repository import ProfileRepository
from tenders.index import open_index
from tenders.index.base import TenderIndex
from tenders.settings import Settings
from tenders.store import TenderStore
from tenders.store.engine import create_store_engine


@dataclass
class AppResources:
    settings: Settings
    store: TenderStore
    index: TenderIndex
    auth_engine: sa.Engine
    profiles: ProfileRepository
    companies: CompanyDirectory
    models: MatchingModels
    rate_limits: RateLimits = field(default_factory=RateLimits)

    @classmethod
    def open(cls, settings: Settings) -> AppResources:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        store = TenderStore.from_settings(settings)  # the whole schema: migrated (SQLite) or checked (PostgreSQL)
        auth_engine = create_store_engine(settings.sqlalchemy_url)
        profiles = ProfileRepository(store.engine, settings.secret_key.get_secret_value())
        return cls(settings=settings, store=store, index=open_index(settings), auth_engine=auth_engine,
                   profiles=profiles, companies=profiles, models=MatchingModels(settings))

    def close(self) -> None:
        self.index.close()
        self.store.close()
        self.auth_engine.dispose()
