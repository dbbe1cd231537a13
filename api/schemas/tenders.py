"""Tender schemas: search results (``TendersPublic``) and one tender with its notice history."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tenders.index.base import IndexDocument, SortOrder
from tenders.model import Tender

_TENDER_EXAMPLE: dict[str, Any] = {
    "tender_id": "f5b7a8a6-8a5d-4b9f-9d5c-1f0e4b7c2a10",
    "notice_id": "f5b7a8a6-8a5d-4b9f-9d5c-1f0e4b7c2a10",
    "version": "01",
    "title": "Takarbeten på Mora gymnasium",
    "description": "Byte av yttertak och plåtarbeten.",
    "buyer_names": ["Mora kommun"],
    "buyer_orgnrs": ["2120002296"],
    "cpv_codes": ["45261210"],
    "cpv_divisions": ["45"],
    "municipalities": ["2062"],
    "nuts": ["SE312"],
    "form_type": "competition",
    "value_sek": 2400000.0,
    "deadline": "2026-09-15T23:59:00+02:00",
    "published": "2026-08-01",
    "sme_suitable": True,
    "lots": 2,
    "source": "ted",
    "url": "/upphandlingar/f5b7a8a6-8a5d-4b9f-9d5c-1f0e4b7c2a10",
    "score": 3.2,
}


class TenderPublic(IndexDocument):
    """One tender (procurement) as the search index knows it (its newest notice), with its page and score."""

    model_config = ConfigDict(json_schema_extra={"examples": [_TENDER_EXAMPLE]})

    url: str = Field(description="The tender's page in Anbudsvakt")
    score: float = 0.0


class FacetPublic(BaseModel):
    value: str
    label: str
    count: int


class TendersPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "data": [_TENDER_EXAMPLE],
                    "count": 1,
                    "page": 1,
                    "page_size": 20,
                    "facets": {"cpv_division": [{"value": "45", "label": "Anläggningsarbete", "count": 1}]},
                }
            ]
        }
    )

    data: list[TenderPublic]
    count: int = Field(description="Matching tenders in all pages")
    page: int
    page_size: int
    facets: dict[str, list[FacetPublic]] = Field(default_factory=dict)


class NoticeVersionPublic(BaseModel):
    notice_id: str
    version: str
    form_type: str | None
    publication_date: date | None


class TenderDetailPublic(BaseModel):
    """A procurement's current view (``notice``), in full, with every notice version published for it."""

    tender_id: str
    title: str
    description: str
    url: str
    notice: Tender
    history: list[NoticeVersionPublic]


MAX_VALUE_SEK = 1e13  # ten trillion kronor: above any procurement's value, below float's trouble
MAX_QUERY_CHARS = 500  # a search is a few words; the index reads at most 32 of them anyway
MAX_PAGE = 10_000


def _empty_to_none(value: object) -> object:
    # HTML forms send empty fields as "", which means "no filter", not an invalid number.
    return None if value == "" else value


class TenderSearchParams(BaseModel):
    """Query parameters of the search (API, CSV and the search page share them)."""

    model_config = ConfigDict(extra="ignore")

    q: str = Field(default="", max_length=MAX_QUERY_CHARS, description=(
        "Fritext: alla ord ska finnas (svensk stemming, sammansättningar); ord med OR eller ELLER emellan räcker det "
        "att ett finns; \"citattecken\" för en fras; å, ä, ö kan utelämnas"))
    cpv: list[str] = Field(default_factory=list, description="CPV code or prefix, e.g. 45 or 4526")
    municipality: list[str] = Field(default_factory=list, description="SCB municipality code, e.g. 2080")
    nuts: list[str] = Field(default_factory=list, description="NUTS prefix, e.g. SE312")
    buyer: list[str] = Field(default_factory=list, description="Buyer org.nr (10 digits)")
    form_type: list[str] = Field(default_factory=list, description="planning, competition, result, …")
    # inf, nan and 1e309 parse as floats; an amount above every real contract is a typo, not a filter.
    value_min: float | None = Field(default=None, ge=0, le=MAX_VALUE_SEK, allow_inf_nan=False)
    value_max: float | None = Field(default=None, ge=0, le=MAX_VALUE_SEK, allow_inf_nan=False)
    deadline_after: date | None = Field(default=None, description="Sista anbudsdag tidigast (ÅÅÅÅ-MM-DD)")
    sme_suitable: bool | None = None
    open_now: bool = False
    sort: SortOrder = SortOrder.RELEVANCE
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    page_size: int = Field(default=20, ge=1, le=100)

    @field_validator("value_min", "value_max", "deadline_after", "sme_suitable", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return _empty_to_none(value)

    @field_validator("cpv", "municipality", "nuts", "buyer", "form_type", mode="before")
    @classmethod
    def _drop_blanks(cls, value: object) -> object:
        if isinstance(value, list):
            return [v.strip() for v in value if isinstance(v, str) and v.strip()]
        return value


