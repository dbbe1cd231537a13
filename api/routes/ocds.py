"""OCDS 1.1 out: a process's releases and its record, and a release package per publication year.

The bodies are OCDS documents as the standard defines them (validated against its schema in the tests), so they
are returned as they are rather than through a second set of pydantic schemas.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, status
from fastapi.responses import StreamingResponse

from api.deps import SettingsDep, StoreDep
from tenders.ocds import (
    iter_releases,
    process_record,
    process_releases,
    record_package,
    release_package,
    stream_release_package,
)
from tenders.public_urls import PublicUrls

router = APIRouter(prefix="/api/ocds", tags=["ocds"])
NOT_FOUND = "Ingen upphandling med detta ocid."


def _base(settings: SettingsDep) -> str:
    return PublicUrls(settings.base_url).ocds_api()


@router.get("/releases/{ocid}", summary="En upphandlings releaser (OCDS release package)")
def releases(ocid: str, store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
    found = process_releases(store, ocid, settings.ocds_prefix)
    if not found:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return release_package(found, f"{_base(settings)}/releases/{ocid}")


@router.get("/records/{ocid}", summary="En upphandlings record: releaser och aktuellt läge (OCDS record package)")
def records(ocid: str, store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
    found = process_record(store, ocid, settings.ocds_prefix)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return record_package([found], f"{_base(settings)}/records/{ocid}")


@router.get("/packages/{year}", summary="Alla kungörelser publicerade ett år (OCDS release package)",
            response_class=StreamingResponse)
def year_package(year: Annotated[int, Path(ge=1990, le=2100)], store: StoreDep,
                 settings: SettingsDep) -> StreamingResponse:
    uri = f"{_base(settings)}/packages/{year}"
    pieces = stream_release_package(
        iter_releases(store, settings.ocds_prefix, date(year, 1, 1), date(year, 12, 31)), uri)
    filename = f"anbudsvakt-ocds-{year}.json"
    return StreamingResponse(pieces, media_type="application/json",
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})
