"""Saved searches in the API: create one from a search's query string, list them with their feed addresses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

_EXAMPLE: dict[str, Any] = {"id": 7, "name": "Tak i Mora", "query": "q=tak&municipality=2062", "in_digest": True,
            "search_url": "https://anbudsvakt.example/sok?q=tak&municipality=2062",
            "feed_url": "https://anbudsvakt.example/api/feeds/sok/sok-7.Zm9vYmFy/atom.xml",
            "created_at": "2026-08-01T08:15:00Z"}


class SavedSearchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [
        {"name": "Tak i Mora", "query": "q=tak&municipality=2062", "in_digest": True}]})

    name: str = Field(min_length=1, max_length=100, description="Ert namn på sökningen")
    query: str = Field(max_length=2000, description="Sökningens frågesträng från /sok, t.ex. q=tak&cpv=45")
    in_digest: bool = Field(default=False, description="Ta med sökningens nya annonser i den dagliga "
                                                       "sammanställningen, under 'Från era sparade sökningar'")


class SavedSearchUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"in_digest": False}]})

    in_digest: bool = Field(description="Ta med sökningens nya annonser i den dagliga sammanställningen")


class SavedSearchPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    id: int
    name: str
    query: str
    in_digest: bool
    search_url: str = Field(description="Sökningen på webbplatsen")
    feed_url: str = Field(description="Hemligt Atomflöde för sökningen: dela det inte")
    created_at: datetime


class SavedSearchesPublic(BaseModel):
    data: list[SavedSearchPublic]
    count: int
